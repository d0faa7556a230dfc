"""deploy/systemd: units systemd accepts, running the portal's own commands."""

import configparser
import shutil
import subprocess

import pytest

from tests.deploy.commands import DEPLOY, ROOT, SERVER_CHECKOUT, check_command
from tests.deploy.nginx import block, directives, site_text

UNITS = DEPLOY / "systemd"
SERVICES = {
    "apap-portal-web.service": "gunicorn",
    "apap-portal-worker.service": "db_worker",
    "apap-portal-scheduler.service": "scheduler",
    "apap-portal-release.service": "release",
}


def service(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read(UNITS / name)
    return unit


def unit_texts() -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(UNITS.iterdir())}


def verify(units: dict[str, str], folder) -> subprocess.CompletedProcess:
    """`systemd-analyze verify` on the units (name: text), their paths pointing into this
    checkout so that it finds the programs they run."""
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed (no systemd on this machine)")
    for name, text in units.items():
        (folder / name).write_text(text.replace(SERVER_CHECKOUT, str(ROOT)))
    return subprocess.run(
        [analyze, "verify", *sorted(str(path) for path in folder.iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
        check=False,
    )


def test_systemd_accepts_the_units(tmp_path):
    result = verify(unit_texts(), tmp_path)

    # verify exits 0 after a setting it ignores: what it says counts too.
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


def test_verify_reports_a_misspelt_setting(tmp_path):
    """The test above can fail."""
    units = unit_texts()
    web = units["apap-portal-web.service"]
    units["apap-portal-web.service"] = web.replace("Type=notify", "Type=notfy")

    result = verify(units, tmp_path)

    assert "notfy" in result.stderr


@pytest.mark.parametrize(("name", "kind"), SERVICES.items())
def test_each_unit_runs_the_portals_command_with_the_production_environment(name, kind):
    unit = service(name)["Service"]

    assert check_command(unit["ExecStart"].replace(SERVER_CHECKOUT, str(ROOT))) == kind
    assert unit["WorkingDirectory"] == SERVER_CHECKOUT
    assert unit["EnvironmentFile"] == "/etc/apap-portal/env"
    assert unit["User"] == "apap"
    assert unit["NoNewPrivileges"] == "yes"
    assert unit["ProtectSystem"] == "strict"


def test_only_the_web_server_writes_and_where_nginx_reads_the_uploads():
    protected = block(site_text(), "location /protected-media/")
    (media_root,) = directives(protected, "alias")

    assert service("apap-portal-web.service")["Service"]["ReadWritePaths"] == media_root.rstrip("/")
    for name in ("apap-portal-worker.service", "apap-portal-scheduler.service"):
        assert "ReadWritePaths" not in service(name)["Service"]


def test_the_long_running_services_restart_and_belong_to_the_target():
    target = service("apap-portal.target")["Unit"]["Wants"].split()

    for name in (
        "apap-portal-web.service",
        "apap-portal-worker.service",
        "apap-portal-scheduler.service",
    ):
        unit = service(name)
        assert name in target
        assert unit["Service"]["Restart"] in {"always", "on-failure"}
        assert unit["Unit"]["PartOf"] == "apap-portal.target"
