"""manage.py in a process of its own, on a database of the tests, as on a server."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connections


def database_url(name: str) -> str:
    """DATABASE_URL for database `name` on the server the tests use."""
    config = connections["default"].settings_dict
    password = f":{quote(config['PASSWORD'], safe='')}" if config.get("PASSWORD") else ""
    return (
        f"postgres://{quote(config.get('USER') or '', safe='')}{password}"
        f"@{quote(config.get('HOST') or '', safe='')}:{config.get('PORT') or 5432}/{name}"
    )


def manage_environment(database: str, **environment: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(database), **environment}


def run_manage(
    arguments: tuple[str, ...], environment: dict[str, str], timeout: float | None = None
) -> subprocess.CompletedProcess:
    """Run manage.py to its end with exactly `environment`; its output captured."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def manage(*arguments: str, database: str, **environment: str) -> subprocess.CompletedProcess:
    """Run manage.py to its end on a test database; its output captured."""
    return run_manage(arguments, manage_environment(database, **environment))


def start_manage(*arguments: str, database: str, **environment: str) -> subprocess.Popen:
    """Start manage.py in the background (a worker, a server); the caller stops it."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=manage_environment(database, **environment),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
