"""Error pages in the site's layout, in both languages."""

import logging
import sys

import pytest
from django.db import OperationalError, connections
from django.test import Client

from apap_portal.errors import OneLineFailureFilter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("/vi", "vi")])
def test_not_found_page_is_in_the_layout_and_language(client, prefix, lang):
    response = client.get(f"{prefix}/members/no-such-member/")
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.text
    assert '<nav class="site-nav"' in response.text
    assert "<h1>" in response.text


def test_forbidden_page_is_in_the_layout(member_client):
    response = member_client.get("/reports/cooperation/")
    assert response.status_code == 403
    assert '<nav class="site-nav"' in response.text


def test_csrf_failure_explains_and_keeps_the_layout(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "vi"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.text
    assert '<nav class="site-nav"' in response.text


def test_server_error_page_needs_nothing_but_a_template(client, settings):
    from django.test import RequestFactory

    from apap_portal.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_crash_answers_with_the_500_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("apap_portal.views.render", broken)
    client.raise_request_exception = False
    response = client.get("/about/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text


@pytest.fixture
def database_down(django_db_blocker):
    """The default database points at a port where nothing listens: a real outage."""
    wrapper = connections["default"]
    original = wrapper.settings_dict.copy()
    wrapper.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1", "NAME": "apap_missing"})
    try:
        with django_db_blocker.unblock():
            wrapper.close()
            yield
    finally:
        wrapper.close()
        wrapper.settings_dict.clear()
        wrapper.settings_dict.update(original)


@pytest.mark.parametrize("url", ["/about/", "/protected-areas/", "/knowledge/best-practices/"])
def test_while_the_database_is_down_a_request_logs_one_line_and_gets_a_page(
    database_down, caplog, url
):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get(url)
    assert response.status_code == 503
    assert "The portal is temporarily unavailable" in response.text
    assert response["Retry-After"] == "60"
    records = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(records) == 1
    assert records[0].getMessage().startswith(f"Database unavailable: GET {url}")
    assert records[0].exc_info is None


def test_a_database_error_outside_a_view_is_logged_in_one_line():
    """Django logs errors raised outside views with their traceback: the filter folds it."""
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/",), None
    )
    try:
        raise OperationalError('connection to server at "127.0.0.1", port 1 failed\nmore')
    except OperationalError:
        record.exc_info = sys.exc_info()
    assert OneLineFailureFilter().filter(record)
    assert record.exc_info is None
    assert record.getMessage() == (
        'Internal Server Error: / (database unavailable: connection to server at "127.0.0.1", '
        "port 1 failed)"
    )


def test_a_refused_request_is_logged_in_one_line_and_other_errors_keep_their_traceback():
    from django.core.exceptions import DisallowedHost

    def logged(error: Exception) -> logging.LogRecord:
        record = logging.LogRecord(
            "django.security", logging.ERROR, __file__, 1, str(error), (), None
        )
        try:
            raise error
        except Exception:
            record.exc_info = sys.exc_info()
        assert OneLineFailureFilter().filter(record)
        return record

    refused = logged(DisallowedHost("Invalid HTTP_HOST header: 'evil.example'."))
    crash = logged(ZeroDivisionError("a bug"))

    assert refused.exc_info is None
    assert refused.getMessage() == "Invalid HTTP_HOST header: 'evil.example'."
    assert crash.exc_info is not None
