"""deploy/Procfile and deploy/release: the processes an operator runs, and the release step."""

import subprocess

import pytest
from django.core.management import CommandError

from tests.deploy.commands import (
    DEPLOY,
    check_command,
    check_manage_py,
    procfile,
    release_commands,
)


def test_the_procfile_runs_the_web_server_the_worker_and_the_scheduler():
    processes = procfile()

    assert {name: check_command(command) for name, command in processes.items()} == {
        "release": "release",
        "web": "gunicorn",
        "worker": "db_worker",
        "scheduler": "scheduler",
    }


@pytest.mark.parametrize("arguments", [["dbworker"], ["scheduler", "--twice"]])
def test_a_command_or_option_the_portal_lacks_is_caught(arguments):
    """The check above can fail: a misspelt command or option is refused."""
    with pytest.raises((AssertionError, CommandError)):
        check_manage_py(arguments)


def test_the_release_step_migrates_collects_static_files_and_checks_the_settings():
    commands = release_commands()

    for arguments in commands:
        check_manage_py(arguments)
    assert [arguments[0] for arguments in commands] == ["check", "migrate", "collectstatic"]
    assert "--deploy" in commands[0]
    assert all("--no-input" in arguments for arguments in commands[1:])
    script = (DEPLOY / "release").read_text()
    assert "msgfmt --check-format" in script  # the translations, as `make messages` does


def test_the_release_script_is_executable_bash():
    release = DEPLOY / "release"

    assert release.stat().st_mode & 0o111
    result = subprocess.run(["bash", "-n", str(release)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
