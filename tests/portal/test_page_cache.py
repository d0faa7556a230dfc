"""Whole pages for anonymous visitors: served from the cache until what they show changes."""

import pytest
from django.core.cache import cache
from django.http import HttpResponseBase

from apap_portal import caching
from tests.factories import ActivityFactory, BestPracticeFactory, ProtectedAreaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_an_anonymous_page_is_served_from_the_cache_until_an_edit(
    client, django_assert_num_queries
):
    area = ProtectedAreaFactory(name="Ba Bể National Park")
    assert "Ba Bể National Park" in client.get("/protected-areas/").text
    with django_assert_num_queries(0):
        assert "Ba Bể National Park" in client.get("/protected-areas/").text

    area.name = "Ba Be Lake National Park"
    area.save()

    assert "Ba Be Lake National Park" in client.get("/protected-areas/").text


def test_an_edit_of_another_kind_keeps_the_page(client, django_assert_num_queries):
    """An activity edited: the library's pages are still served from the cache."""
    BestPracticeFactory(title="Mangrove replanting")
    activity = ActivityFactory()
    client.get("/knowledge/best-practices/")
    activity.title = "Renamed workshop"
    activity.save()
    with django_assert_num_queries(0):
        assert "Mangrove replanting" in client.get("/knowledge/best-practices/").text


def test_a_page_served_from_the_cache_is_not_rendered_again(client):
    client.get("/protected-areas/")
    assert client.get("/protected-areas/").context is None


def test_each_url_language_and_query_has_its_own_page(client):
    ProtectedAreaFactory(name="Ba Bể National Park")
    assert client.get("/protected-areas/").text != client.get("/vi/protected-areas/").text
    filtered = client.get("/protected-areas/", {"q": "nothing-like-it"})
    assert "Ba Bể National Park" not in filtered.text
    assert "Ba Bể National Park" in client.get("/protected-areas/").text


def test_http_and_https_pages_are_kept_apart(client):
    """Pages carry absolute URLs (canonical, languages): one scheme's must not serve the other."""
    client.get("/protected-areas/")
    secure = client.get("/protected-areas/", secure=True)
    assert secure.context is not None
    assert 'href="https://testserver/protected-areas/"' in secure.text


def test_signed_in_visitors_never_get_nor_leave_a_cached_page(
    client, member_client, django_assert_num_queries
):
    BestPracticeFactory(title="Ranger exchange", visibility="members")
    # A member's page (members-only practice included) is not kept for anyone.
    assert "Ranger exchange" in member_client.get("/knowledge/best-practices/").text
    assert "Ranger exchange" not in client.get("/knowledge/best-practices/").text
    # Nor does a member receive the page kept for anonymous visitors.
    assert "Ranger exchange" in member_client.get("/knowledge/best-practices/").text


def test_a_page_holding_a_csrf_token_is_not_kept(client):
    """Its token belongs to one visitor's cookie: another would fail to sign in."""
    client.get("/accounts/login/")
    response = client.get("/accounts/login/")
    assert response.context is not None  # rendered again, not served from the cache
    assert "csrfmiddlewaretoken" in response.text


class KeptPages:
    """The cache of cached values, noting the pages it keeps."""

    def __init__(self):
        self.kept = []

    def get(self, key):
        return cache.get(key)

    def set(self, key, entry, timeout):
        if isinstance(entry.value, HttpResponseBase):
            self.kept.append(entry.value)
        cache.set(key, entry, timeout)


def test_private_and_non_200_answers_are_not_kept(client, monkeypatch):
    spy = KeptPages()
    monkeypatch.setattr(caching, "cache", spy)
    client.get("/protected-areas/map.geojson")  # Cache-Control: private (per audience)
    client.get("/no-such-page/")
    client.get("/accounts/login/")  # holds a CSRF token
    assert spy.kept == []
    client.get("/protected-areas/")
    assert len(spy.kept) == 1


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered(client):
    ProtectedAreaFactory(name="Ba Bể National Park")
    client.get("/protected-areas/")  # kept
    client.cookies["messages"] = "anything"
    response = client.get("/protected-areas/")
    assert response.context is not None  # rendered, not served from the cache


def test_the_page_cache_can_be_turned_off(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    ProtectedAreaFactory()
    client.get("/protected-areas/")
    response = client.get("/protected-areas/")
    assert response.context is not None
