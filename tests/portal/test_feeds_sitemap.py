"""Feeds and the sitemap: they parse, and they list public items only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def library():
    BestPracticeFactory(title="Public patrols", slug="public-patrols")
    BestPracticeFactory(title="Members patrols", slug="members-patrols", visibility="members")
    BestPracticeFactory(title="Draft patrols", slug="draft-patrols", status="draft")
    StoryFactory(title="Public story", slug="public-story")
    StoryFactory(title="Members story", slug="members-story", visibility="members")
    StoryFactory(title="Draft story", slug="draft-story", published_at=None)
    StoryFactory(
        title="Future story",
        slug="future-story",
        published_at=timezone.now() + datetime.timedelta(days=3),
    )


def rss_titles(response) -> list[str]:
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response) -> list[str]:
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_story_feeds_hold_published_public_stories_only(client, member_client, library):
    assert rss_titles(client.get("/feeds/stories/")) == ["Public story"]
    assert atom_titles(client.get("/feeds/stories/atom/")) == ["Public story"]
    # A feed reader has no session: a member's feed is the public one.
    assert rss_titles(member_client.get("/feeds/stories/")) == ["Public story"]


def test_best_practice_feeds_hold_published_public_practices_only(client, library):
    assert rss_titles(client.get("/feeds/best-practices/")) == ["Public patrols"]
    assert atom_titles(client.get("/feeds/best-practices/atom/")) == ["Public patrols"]


def test_feed_links_are_absolute_and_language_neutral(client, library):
    root = ET.fromstring(client.get("/feeds/stories/", HTTP_ACCEPT_LANGUAGE="vi").content)
    assert root.find("channel/item/link").text == "http://testserver/stories/public-story/"


def test_pages_announce_the_feeds(client):
    html = client.get("/").text
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/stories/"' in html
    assert 'href="/feeds/best-practices/"' in html


def sitemap_locations(client) -> set[str]:
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations = set()
    for section in index.iter(f"{SITEMAP}loc"):
        path = section.text.removeprefix("http://testserver")
        page = client.get(path)
        assert page.status_code == 200, path
        urlset = ET.fromstring(page.content)
        assert urlset.tag == f"{SITEMAP}urlset"
        locations |= {loc.text for loc in urlset.iter(f"{SITEMAP}loc")}
    return locations


def test_sitemap_lists_public_items_in_both_languages_and_nothing_else(client, library):
    MemberOrganizationFactory(slug="korea-national-park-service")
    ProtectedAreaFactory(slug="open-park")
    ProtectedAreaFactory(slug="closed-park", visibility="members")
    ActivityFactory(slug="open-forum")
    ActivityFactory(slug="members-webinar", visibility="members")
    ResourceFactory(slug="open-guidelines")
    ResourceFactory(slug="members-guidelines", visibility="members")

    locations = sitemap_locations(client)

    for path in (
        "/",
        "/knowledge/best-practices/public-patrols/",
        "/stories/public-story/",
        "/protected-areas/open-park/",
        "/activities/open-forum/",
        "/knowledge/resources/open-guidelines/",
        "/members/korea-national-park-service/",
        "/work-areas/knowledge-capacity/",
    ):
        assert f"http://testserver{path}" in locations, path
        assert f"http://testserver/vi{path.rstrip('/')}/".replace("/vi//", "/vi/") in locations
    hidden = ("members-patrols", "draft-patrols", "members-story", "draft-story",
              "future-story", "closed-park", "members-webinar", "members-guidelines")  # fmt: skip
    for slug in hidden:
        assert not any(slug in location for location in locations), slug


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text
