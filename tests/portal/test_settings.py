"""Production mode refuses to start without its secrets, and passes Django's deploy checks."""

import os
import subprocess

import pytest

from tests.processes import run_manage

STRONG_KEY = "x7Gq2-Lk9vP0sZrT4mWc8bYhN1dJfA6eUuQiRoE3tS5yKaXlCwVnBgMjHpDzF_0"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") or key == "DJANGO_SETTINGS_MODULE"
    }
    environment.update(env)
    return run_manage(args, environment, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="apap.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="short",
        DJANGO_ALLOWED_HOSTS="apap.example.org",
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must list" in result.stderr


def test_production_with_its_settings_passes_the_deploy_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="apap.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://root@localhost/apap"])
def test_only_postgresql_is_accepted(url):
    result = manage("check", DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


def cache_backend(**env: str) -> str:
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_databases_sharing_a_redis_database_do_not_share_cached_values():
    script = "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"
    prefixes = set()
    for name in ("apap_portal", "apap_portal_staging"):
        result = manage(
            "shell",
            "-c",
            script,
            REDIS_URL="redis://127.0.0.1:6379/15",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
        )
        assert result.returncode == 0, result.stderr
        prefixes.add(result.stdout.strip().splitlines()[-1])
    assert prefixes == {"apap:apap_portal", "apap:apap_portal_staging"}


def test_the_cache_is_redis_when_redis_url_is_set_and_memory_otherwise():
    assert cache_backend(REDIS_URL="") == "django.core.cache.backends.locmem.LocMemCache"
    redis = cache_backend(REDIS_URL="redis://127.0.0.1:6379/15")
    assert redis == "django.core.cache.backends.redis.RedisCache"


def test_a_filemail_url_writes_each_message_into_its_folder(tmp_path):
    """EMAIL_URL=filemail:///folder keeps the mail on disk, e.g. to check a flood locally."""
    result = manage(
        "shell",
        "-c",
        "from django.core.mail import send_mail;"
        "send_mail('Subject', 'Body', 'apap@example.org', ['minh@example.org'])",
        EMAIL_URL=f"filemail://{tmp_path}",
    )

    assert result.returncode == 0, result.stderr
    [message] = list(tmp_path.iterdir())
    assert "To: minh@example.org" in message.read_text()
