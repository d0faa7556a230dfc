"""deploy/env.example: the production settings the units and Compose read, documented in
.env.example, accepted by production mode, and pointing where nginx looks."""

import json
import os
import secrets
import subprocess

from tests.deploy.commands import DEPLOY, ROOT
from tests.deploy.nginx import block, directives, site_text
from tests.processes import run_manage


def production_environment() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def manage(*arguments: str) -> subprocess.CompletedProcess:
    """manage.py with deploy/env.example's settings (and this machine's test database)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "MEDIA_", "REDIS_", "EMAIL_"))
        or key == "DJANGO_SETTINGS_MODULE"
    }
    environment |= production_environment()
    environment["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    environment["DATABASE_URL"] = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/apap_portal"
    )
    return run_manage(arguments, environment, timeout=120)


def test_every_production_variable_is_documented_in_env_example():
    documented = (ROOT / ".env.example").read_text()

    for key in production_environment():
        assert f"\n{key}=" in documented or f"\n# {key}=" in documented, key


def test_production_mode_accepts_the_settings_and_passes_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr


def test_uploads_are_where_nginx_reads_them_and_sent_by_nginx():
    code = (
        "import json; from django.conf import settings; print(json.dumps("
        "[str(settings.MEDIA_ROOT), settings.SENDFILE_BACKEND, settings.SENDFILE_URL]))"
    )
    result = manage("shell", "--no-imports", "-c", code)
    media_root, backend, url = json.loads(result.stdout)
    protected = block(site_text(), f"location {url}/")

    assert directives(protected, "alias") == [f"{media_root}/"]
    assert backend == "django_sendfile.backends.nginx"


def test_nginx_answers_to_every_allowed_host():
    """The load balancer's probe by the internal name reaches the portal, not another site."""
    names = {name for value in directives(site_text(), "server_name") for name in value.split()}

    for host in production_environment()["DJANGO_ALLOWED_HOSTS"].split(","):
        assert host in names
