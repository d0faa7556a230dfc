"""Error pages in the site's layout, in both languages."""

import pytest
from django.test import Client

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
