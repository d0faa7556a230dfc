"""Every public page in English and Vietnamese, and every section within two clicks of home."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

SECTIONS = [
    "/about/",
    "/work-areas/knowledge-capacity/",
    "/work-areas/transboundary-cooperation/",
    "/work-areas/awareness-advocacy/",
    "/members/",
    "/protected-areas/",
    "/transboundary/",
    "/activities/",
    "/knowledge/",
    "/knowledge/best-practices/",
    "/knowledge/resources/",
    "/stories/",
    "/search/",
]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("//"):
            self.hrefs.append(href.split("#")[0])


def links_of(html: str) -> set[str]:
    parser = Links()
    parser.feed(html)
    return set(parser.hrefs)


def within_two_clicks(client, home: str) -> set[str]:
    first = links_of(client.get(home).text)
    reached = set(first)
    for url in first:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            reached |= links_of(response.text)
    return {url.split("?")[0] for url in reached}


@pytest.mark.parametrize("prefix", ["", "/vi"])
def test_every_public_section_is_within_two_clicks_of_home(client, demo, prefix):
    reached = within_two_clicks(client, f"{prefix}/")
    for section in SECTIONS:
        assert f"{prefix}{section}" in reached, section


def public_pages(client) -> list[str]:
    """Every section, and the first detail page each list links to."""
    pages = ["/", *SECTIONS]
    for listing, pattern in [
        ("/members/", r'href="(/members/[a-z0-9-]+/)"'),
        ("/protected-areas/", r'href="(/protected-areas/[a-z0-9-]+/)"'),
        ("/activities/", r'href="(/activities/[a-z0-9-]+/)"'),
        (
            "/knowledge/best-practices/",
            r'href="(/knowledge/best-practices/(?!submit/)[a-z0-9-]+/)"',
        ),
        ("/knowledge/resources/", r'href="(/knowledge/resources/[a-z0-9-]+/)"'),
        ("/stories/", r'href="(/stories/[a-z0-9-]+/)"'),
    ]:
        found = re.findall(pattern, client.get(listing).text)
        assert found, listing
        pages.append(found[0])
    return pages


def test_every_public_page_answers_in_both_languages(client, demo):
    for page in public_pages(client):
        english = client.get(page)
        vietnamese = client.get(f"/vi{page}")
        assert english.status_code == 200, page
        assert vietnamese.status_code == 200, page
        assert '<html lang="en">' in english.text, page
        assert '<html lang="vi">' in vietnamese.text, page


def test_vietnamese_pages_are_translated(client):
    html = client.get("/vi/members/").text
    assert "Thành viên" in html
    assert "Khu bảo tồn" in html
    assert "Members" not in re.sub(r"<[^>]+>", " ", html).split("Asia Protected")[0]


def test_dates_follow_the_language(client):
    from tests.factories import ActivityFactory

    url = ActivityFactory(title="Dehradun forum").get_absolute_url()
    assert "27 April 2023" in client.get(url).text
    assert "tháng" in client.get(f"/vi{url}").text.lower()
