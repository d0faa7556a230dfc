"""What deploy/ runs, checked against the code: real manage.py commands and options, and
gunicorn started with our gunicorn.conf.py on our WSGI application."""

from __future__ import annotations

import importlib
import runpy
import shlex
from pathlib import Path

from django.core.management import get_commands, load_command_class
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Where deploy/README.md puts the checkout on a server; the units and the nginx site name it.
SERVER_CHECKOUT = "/srv/apap/portal"


def check_manage_py(arguments: list[str]) -> None:
    """`manage.py NAME OPTIONS…` names a command of the portal that accepts those options."""
    name, *options = arguments
    commands = get_commands()
    assert name in commands, f"manage.py has no command {name!r}"
    command = load_command_class(commands[name], name)
    # The parser raises CommandError on an option the command does not know.
    command.create_parser("manage.py", name).parse_args(options)


def gunicorn_settings(arguments: list[str]) -> Config:
    """gunicorn's settings from its command line and the config file it names (which must
    exist), as gunicorn reads them; its application must be importable."""
    config = Config()
    parsed = config.parser().parse_args(arguments)
    assert parsed.config, "gunicorn is started without --config gunicorn.conf.py"
    config_file = Path(parsed.config.replace(SERVER_CHECKOUT, str(ROOT)))
    if not config_file.is_absolute():
        config_file = ROOT / config_file
    assert config_file == ROOT / "gunicorn.conf.py"
    for key, value in runpy.run_path(str(config_file)).items():
        if key in config.settings:
            config.set(key, value)  # validated as gunicorn validates its config file
    for key, value in vars(parsed).items():
        if value is not None and key in config.settings and key != "config":
            config.set(key, value)
    (application,) = parsed.args
    module, _, name = application.partition(":")
    assert callable(getattr(importlib.import_module(module), name or "application"))
    return config


def check_command(command: str | list[str]) -> str:
    """A process of deploy/: gunicorn, `python manage.py …` or deploy/release. Its kind."""
    arguments = shlex.split(command) if isinstance(command, str) else list(command)
    program = Path(arguments[0]).name
    if program == "gunicorn":
        gunicorn_settings(arguments[1:])
        return "gunicorn"
    if program.startswith("python") and arguments[1:2] == ["manage.py"]:
        check_manage_py(arguments[2:])
        return arguments[2]
    if arguments[0].replace(SERVER_CHECKOUT, str(ROOT)).endswith("deploy/release"):
        return "release"
    raise AssertionError(f"deploy/ runs something unknown: {command!r}")


def procfile() -> dict[str, str]:
    """The Procfile's processes: name: command."""
    entries = {}
    for line in (DEPLOY / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            assert name not in entries, f"{name} twice in the Procfile"
            entries[name] = command.strip()
    return entries


def release_commands() -> list[list[str]]:
    """The manage.py commands deploy/release runs, in order."""
    lines = (DEPLOY / "release").read_text().splitlines()
    return [
        shlex.split(line.split("manage.py", 1)[1])
        for line in lines
        if "manage.py" in line and not line.lstrip().startswith("#")
    ]
