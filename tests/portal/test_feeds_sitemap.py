"""Feeds and the sitemap: they parse, and they list public items only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from apap_portal.sitemaps import LanguageVersions, LocalizedSitemap, seconds_until_next_story
from knowledge.models import BestPractice
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    translation,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

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


def test_the_unprefixed_feed_is_in_the_default_language_whatever_the_browser_asks(client, library):
    root = ET.fromstring(client.get("/feeds/stories/", HTTP_ACCEPT_LANGUAGE="vi").content)
    assert root.find("channel/item/link").text == "http://testserver/stories/public-story/"


def test_pages_announce_the_feeds(client):
    html = client.get("/").text
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/stories/"' in html
    assert 'href="/feeds/best-practices/"' in html


# Feeds in each language (issue 17): Lan follows APAP's stories in Vietnamese


@pytest.fixture
def translated_library():
    story = StoryFactory(
        title="Rangers of Cat Tien", slug="rangers", lead="Rangers met.", kind="news"
    )
    translation(story, title="Kiểm lâm Cát Tiên", lead="Các kiểm lâm đã gặp nhau.")
    StoryFactory(title="Only in English", slug="only-english", lead="Not translated.")
    practice = BestPracticeFactory(title="Patrols", slug="patrols", summary="Weekly **patrols**.")
    translation(practice, title="Tuần tra", summary="Tuần tra **hằng tuần**.")
    translation(StoryFactory(title="Drafted", slug="drafted"), status="draft", title="Bản nháp")


def rss_items(response) -> list[tuple[str, str, str]]:
    """(title, link, description) of each item of an RSS feed."""
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [
        (item.findtext("title"), item.findtext("link"), item.findtext("description"))
        for item in root.iter("item")
    ]


def test_the_vietnamese_story_feed_reads_translated_stories_in_vietnamese(
    client, translated_library
):
    response = client.get("/vi/feeds/stories/")
    root = ET.fromstring(response.content)
    assert root.findtext("channel/language") == "vi"
    assert root.findtext("channel/title") == "Câu chuyện APAP"
    assert root.findtext("channel/link") == "http://testserver/vi/stories/"
    items = sorted(rss_items(response))
    assert items == [
        ("Drafted", "http://testserver/vi/stories/drafted/", items[0][2]),
        ("Kiểm lâm Cát Tiên", "http://testserver/vi/stories/rangers/", "Các kiểm lâm đã gặp nhau."),
        ("Only in English", "http://testserver/vi/stories/only-english/", "Not translated."),
    ]
    # The English feed is unchanged: English text, English links.
    english = ET.fromstring(client.get("/feeds/stories/").content)
    assert english.findtext("channel/language") == "en"
    assert sorted(title for title, _link, _text in rss_items(client.get("/feeds/stories/"))) == [
        "Drafted",
        "Only in English",
        "Rangers of Cat Tien",
    ]
    assert "Kiểm lâm" not in client.get("/feeds/stories/atom/").text


def test_the_vietnamese_best_practice_feeds_read_translations(client, translated_library):
    assert rss_items(client.get("/vi/feeds/best-practices/")) == [
        (
            "Tuần tra",
            "http://testserver/vi/knowledge/best-practices/patrols/",
            "<p>Tuần tra <strong>hằng tuần</strong>.</p>",
        )
    ]
    atom = client.get("/vi/feeds/best-practices/atom/")
    assert atom_titles(atom) == ["Tuần tra"]
    assert 'xml:lang="vi"' in atom.text
    assert atom_titles(client.get("/feeds/best-practices/atom/")) == ["Patrols"]


def test_vietnamese_pages_announce_the_vietnamese_feeds(client):
    head = client.get("/vi/").text.split("</head>")[0]
    assert 'type="application/rss+xml" title="Câu chuyện APAP" href="/vi/feeds/stories/"' in head
    assert 'href="/vi/feeds/best-practices/"' in head
    assert 'href="/feeds/stories/"' not in head


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


def test_sitemap_lists_public_items_in_the_languages_they_exist_in_and_nothing_else(
    client, library
):
    MemberOrganizationFactory(slug="korea-national-park-service")
    ProtectedAreaFactory(slug="open-park")
    ProtectedAreaFactory(slug="closed-park", visibility="members")
    ActivityFactory(slug="open-forum")
    ActivityFactory(slug="members-webinar", visibility="members")
    ResourceFactory(slug="open-guidelines")
    ResourceFactory(slug="members-guidelines", visibility="members")

    locations = sitemap_locations(client)

    # The site's own pages and the countries' profiles, in every language.
    for path in ("/", "/stories/", "/countries/", "/countries/vnm/"):
        assert f"http://testserver{path}" in locations, path
        assert f"http://testserver/vi{path.rstrip('/')}/".replace("/vi//", "/vi/") in locations
    # Records without a translation, in their own language only.
    for path in (
        "/knowledge/best-practices/public-patrols/",
        "/stories/public-story/",
        "/protected-areas/open-park/",
        "/activities/open-forum/",
        "/knowledge/resources/open-guidelines/",
        "/members/korea-national-park-service/",
    ):
        assert f"http://testserver{path}" in locations, path
        assert f"http://testserver/vi{path}" not in locations, path
    assert "http://testserver/work-areas/knowledge-capacity/" in locations
    hidden = ("members-patrols", "draft-patrols", "members-story", "draft-story",
              "future-story", "closed-park", "members-webinar", "members-guidelines")  # fmt: skip
    for slug in hidden:
        assert not any(slug in location for location in locations), slug


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


# The sitemap at scale: paginated lazily, cached until the content changes


def sitemap_page_locations(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def entries(client, path: str) -> list[str]:
    """The URLs a sitemap page lists, without the alternates each entry names."""
    urlset = ET.fromstring(client.get(path).content)
    return [url.findtext(f"{SITEMAP}loc") for url in urlset.iter(f"{SITEMAP}url")]


@pytest.fixture
def small_pages(monkeypatch):
    """Sitemap pages of 4 URLs: two items, each in English and Vietnamese."""
    monkeypatch.setattr(LocalizedSitemap, "limit", 4)


def test_language_versions_slice_like_the_list_django_builds():
    """The lazy pairs of a section, sliced anywhere, are those of Django's own list."""
    practices = BestPracticeFactory.create_batch(5)
    items = BestPractice.objects.filter(pk__in=[p.pk for p in practices]).order_by("pk")
    whole = [(item, language) for item in items for language in ("en", "vi")]
    versions = LanguageVersions(items, ["en", "vi"])
    assert len(versions) == len(whole) == 10
    for start, stop in [(0, 4), (4, 8), (8, 10), (0, 5), (5, 10), (3, 7), (9, 10), (0, 10)]:
        assert versions[start:stop] == whole[start:stop], (start, stop)


def test_sections_are_paginated_by_whole_items(client, small_pages):
    slugs = [f"patrols-{n}" for n in range(5)]
    for slug in slugs:
        translation(BestPracticeFactory(slug=slug))

    index = sitemap_page_locations(client, "/sitemap.xml")
    section = "http://testserver/sitemap-best-practices.xml"
    assert [loc for loc in index if loc.startswith(section)] == [
        section,
        f"{section}?p=2",
        f"{section}?p=3",
    ]
    pages = [entries(client, f"/sitemap-best-practices.xml?p={page}") for page in (1, 2, 3)]
    url = "http://testserver{}/knowledge/best-practices/{}/".format
    assert pages[0] == [
        url("", slugs[0]),
        url("/vi", slugs[0]),
        url("", slugs[1]),
        url("/vi", slugs[1]),
    ]
    assert pages[2] == [url("", slugs[4]), url("/vi", slugs[4])]
    assert client.get("/sitemap-best-practices.xml?p=4").status_code == 404


def test_a_sitemap_is_served_from_the_cache(client, library, django_assert_num_queries):
    first = client.get("/sitemap-best-practices.xml")
    # 1. savepoint  2. release: the XML comes from the cache, with its headers.
    with django_assert_num_queries(2):
        again = client.get("/sitemap-best-practices.xml")
    assert again.content == first.content
    for header in ("Content-Type", "X-Robots-Tag", "Last-Modified"):
        assert again[header] == first[header], header
    client.get("/sitemap.xml")
    with django_assert_num_queries(2):
        assert client.get("/sitemap.xml").status_code == 200


def test_an_edit_shows_in_the_sitemap_at_once(client, library, small_pages):
    assert "http://testserver/knowledge/best-practices/public-patrols/" in entries(
        client, "/sitemap-best-practices.xml"
    )
    second_page = "http://testserver/sitemap-best-practices.xml?p=2"
    assert second_page not in client.get("/sitemap.xml").text

    BestPracticeFactory(slug="new-patrols")
    BestPracticeFactory(slug="newer-patrols")
    assert "http://testserver/knowledge/best-practices/new-patrols/" in entries(
        client, "/sitemap-best-practices.xml"
    )
    assert second_page in client.get("/sitemap.xml").text

    hidden = BestPractice.objects.get(slug="public-patrols")
    hidden.visibility = "members"
    hidden.save()
    assert not any(
        "public-patrols" in url for url in entries(client, "/sitemap-best-practices.xml")
    )


def test_members_and_visitors_share_the_public_sitemap(client, member_client, library):
    """Crawlers are anonymous; a member asking first must not leave members-only items."""
    for_a_member = member_client.get("/sitemap-best-practices.xml").text
    assert "members-patrols" not in for_a_member
    assert client.get("/sitemap-best-practices.xml").text == for_a_member


def test_each_site_gets_its_own_urls(client, library):
    """The URLs are absolute: a copy cached for one scheme or host never serves another."""
    assert client.get("/sitemap.xml").text.count("<loc>http://testserver/") > 1
    secure = client.get("/sitemap.xml", secure=True).text
    assert "<loc>http://" not in secure
    assert "<loc>https://testserver/sitemap-best-practices.xml</loc>" in secure


def test_a_scheduled_story_bounds_how_long_the_sitemaps_are_kept():
    assert seconds_until_next_story(default=3600) == 3600
    StoryFactory(published_at=timezone.now() + datetime.timedelta(minutes=10))
    # It comes out at the start of its minute, nine to ten minutes from now.
    assert 9 * 60 - 2 <= seconds_until_next_story(default=3600) <= 10 * 60
    assert seconds_until_next_story(default=60) == 60


@pytest.mark.parametrize("rows", [3, 30])
def test_sitemap_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent reading every row: a count per section, and a page's own rows."""
    for number in range(rows):
        practice = BestPracticeFactory()
        if number % 2:
            translation(practice)  # its languages are read with it
        StoryFactory()
        ActivityFactory()
        ProtectedAreaFactory()
        ResourceFactory()
    # 1. savepoint  2. work areas counted  3. countries counted  4-17. each section of
    # records (members, protected areas, activities, best practices, resources,
    # stories, calls): its latest change, and its items counted  18. the next scheduled
    # story  19. release
    with django_assert_num_queries(19):
        assert client.get("/sitemap.xml").status_code == 200
    # 1. savepoint  2. the items counted  3. the page's items, with their translations'
    # languages  4. the next scheduled story  5. release
    with django_assert_num_queries(5):
        page = client.get("/sitemap-best-practices.xml")
    assert page.content.count(b"<url>") == rows + rows // 2


# Each record in the languages it can be read in (issue 17)


def alternates(client, path: str) -> dict[str, dict[str, str]]:
    """Each URL a sitemap page lists, with its alternates: {url: {hreflang: href}}."""
    urlset = ET.fromstring(client.get(path).content)
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href")
            for link in url.iter("{http://www.w3.org/1999/xhtml}link")
        }
        for url in urlset.iter(f"{SITEMAP}url")
    }


def test_a_record_is_listed_in_its_original_language_and_its_published_translations(client):
    translated = StoryFactory(slug="translated")
    translation(translated)
    StoryFactory(slug="untranslated")
    translation(StoryFactory(slug="drafted"), status="draft")
    vietnamese = StoryFactory(slug="viet", language="vi")
    # A record written in a language the site is not read in is read on the default pages.
    StoryFactory(slug="thai", language="th")

    urls = alternates(client, "/sitemap-stories.xml")
    site = "http://testserver"
    both = {
        "en": f"{site}/stories/translated/",
        "vi": f"{site}/vi/stories/translated/",
        "x-default": f"{site}/stories/translated/",
    }
    assert urls == {
        f"{site}/stories/translated/": both,
        f"{site}/vi/stories/translated/": both,
        f"{site}/stories/untranslated/": {
            "en": f"{site}/stories/untranslated/",
            "x-default": f"{site}/stories/untranslated/",
        },
        f"{site}/stories/drafted/": {
            "en": f"{site}/stories/drafted/",
            "x-default": f"{site}/stories/drafted/",
        },
        f"{site}/vi/stories/viet/": {"vi": f"{site}/vi/stories/viet/"},
        f"{site}/stories/thai/": {
            "en": f"{site}/stories/thai/",
            "x-default": f"{site}/stories/thai/",
        },
    }
    # Its English translation adds the English page of a story written in Vietnamese.
    translation(vietnamese, language="en")
    assert set(alternates(client, "/sitemap-stories.xml")[f"{site}/vi/stories/viet/"]) == {
        "en",
        "vi",
        "x-default",
    }


def test_the_site_pages_are_listed_in_every_language(client):
    urls = alternates(client, "/sitemap-pages.xml")
    assert set(urls["http://testserver/about/"]) == {"en", "vi", "x-default"}
    assert "http://testserver/vi/about/" in urls


def test_pages_of_a_section_hold_the_slots_of_their_items_in_every_language(client, small_pages):
    """Untranslated items leave their Vietnamese slot empty: fewer URLs, the same pages."""
    practices = [BestPracticeFactory(slug=f"patrols-{n}") for n in range(5)]
    for practice in practices[1::2]:
        translation(practice)
    section = "http://testserver/sitemap-best-practices.xml"
    index = sitemap_page_locations(client, "/sitemap.xml")
    assert [loc for loc in index if loc.startswith(section)] == [
        section,
        f"{section}?p=2",
        f"{section}?p=3",
    ]
    url = "http://testserver{}/knowledge/best-practices/patrols-{}/".format
    pages = [entries(client, f"/sitemap-best-practices.xml?p={page}") for page in (1, 2, 3)]
    assert pages == [
        [url("", 0), url("", 1), url("/vi", 1)],
        [url("", 2), url("", 3), url("/vi", 3)],
        [url("", 4)],
    ]
