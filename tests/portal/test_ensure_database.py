import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError


def test_an_unreachable_server_is_named_in_one_line(monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(settings.DATABASES["default"], "PORT", "1")
    with pytest.raises(CommandError, match=r"PostgreSQL is not reachable at 127\.0\.0\.1:1"):
        call_command("ensure_database", "--check-only")


def test_a_server_without_postgis_is_named_in_one_line(monkeypatch):
    from apap_portal.backups import Server

    monkeypatch.setattr(Server, "has_extension", lambda self, name: False)

    with pytest.raises(CommandError, match=r"^PostGIS is not installed on the PostgreSQL server"):
        call_command("ensure_database", "--check-only")
