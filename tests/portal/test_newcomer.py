"""A new machine: what `make lint` and the system-package script do before anything exists."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "install-system-packages"


def executable(path: Path, script: str) -> None:
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def run_script(purpose: str, path: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", str(SCRIPT), purpose],
        env={
            "PATH": str(path),
            "HOME": "/nonexistent",
            "POSTGRESQL_SERVERS": str(path / "postgresql"),
            "POSTGRESQL_EXTENSIONS": str(path / "postgresql-share"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def bare_path(tmp_path):
    """A PATH with `id` and nothing the portal needs (no gettext, pg_dump, java, apt-get)."""
    (tmp_path / "id").symlink_to("/usr/bin/id")
    return tmp_path


def test_the_script_names_what_is_missing_in_one_line_where_it_cannot_install(bare_path):
    result = run_script(
        "test", bare_path, CHROMIUM_PATH="/nonexistent/chromium", NGINX_PATH="/nonexistent/nginx"
    )

    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "make test" in lines[0]
    for package in ("gettext", "postgresql-client", "gdal-bin", "chromium", "default-jre-headless"):
        assert package in lines[0]
    for package in ("nginx", "docker-compose"):  # tests/deploy
        assert package in lines[0]


def test_postgis_is_asked_for_each_local_postgresql_server_without_it(bare_path):
    for version in ("15", "16"):
        server = bare_path / "postgresql" / version / "bin"
        server.mkdir(parents=True)
        (server / "postgres").symlink_to("/bin/true")
    extension = bare_path / "postgresql-share" / "16" / "extension"
    extension.mkdir(parents=True)
    (extension / "postgis.control").touch()

    result = run_script("run", bare_path)

    assert "postgresql-15-postgis-3" in result.stderr
    assert "postgresql-16-postgis-3" not in result.stderr


def test_make_run_does_not_ask_for_the_browser_tests_packages(bare_path):
    result = run_script("run", bare_path, CHROMIUM_PATH="/nonexistent/chromium")

    assert result.returncode == 1
    assert "gettext postgresql-client gdal-bin" in result.stderr
    assert "chromium" not in result.stderr


def test_nothing_is_installed_when_nothing_is_missing(tmp_path):
    for command in ("id", "msgfmt", "pg_dump", "java", "docker-compose", "nginx"):
        (tmp_path / command).symlink_to("/bin/true")
    chromium = tmp_path / "chromium"
    chromium.symlink_to("/bin/true")
    executable(tmp_path / "fc-list", "echo 'Noto Sans'")
    libraries = ["libgdal.so.32", "libpango-1.0.so.0", "libpangoft2-1.0.so.0"]
    libraries.append("libharfbuzz-subset.so.0")
    executable(
        tmp_path / "ldconfig", "; ".join(f"echo '{name} => /usr/lib/{name}'" for name in libraries)
    )
    server = tmp_path / "postgresql" / "15" / "bin"
    server.mkdir(parents=True)
    for program in ("postgres", "initdb", "pg_basebackup"):
        (server / program).symlink_to("/bin/true")
    extension = tmp_path / "postgresql-share" / "15" / "extension"
    extension.mkdir(parents=True)
    (extension / "postgis.control").touch()

    result = run_script(
        "test", tmp_path, CHROMIUM_PATH=str(chromium), NGINX_PATH=str(tmp_path / "nginx")
    )

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_make_test_asks_for_a_local_server_for_the_replication_tests(bare_path):
    """They start a primary and a standby of their own (initdb, pg_basebackup)."""
    result = run_script("test", bare_path)
    assert "postgresql postgresql-postgis" in result.stderr

    assert "postgresql postgresql-postgis" not in run_script("run", bare_path).stderr


def test_make_bench_asks_for_the_load_generator_and_the_load_balancer(bare_path):
    result = run_script("bench", bare_path, HAPROXY_PATH="/nonexistent/haproxy")

    assert result.returncode == 1
    assert "make bench" in result.stderr
    assert "wrk haproxy" in result.stderr


def test_make_run_asks_for_what_the_pdf_profiles_need(bare_path):
    """WeasyPrint's libraries (Pango, HarfBuzz) and a font with Vietnamese diacritics."""
    result = run_script("run", bare_path)

    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in result.stderr
    assert "fontconfig fonts-dejavu-core" in result.stderr


def test_an_unknown_purpose_is_refused(bare_path):
    result = run_script("deploy", bare_path)

    assert result.returncode == 2
    assert "usage" in result.stderr


def test_the_migration_check_of_make_lint_needs_no_database():
    """`make lint` runs before any database exists on a new machine (issue 13)."""
    commands = subprocess.run(
        ["make", "--dry-run", "--always-make", "lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    [migration_check] = [line for line in commands if "makemigrations" in line]

    result = subprocess.run(
        migration_check,
        shell=True,
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/apap_portal_never_created",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert "--check" in migration_check
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
