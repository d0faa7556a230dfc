"""The base layout every page shares: landmarks, navigation, i18n, no inline code."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    StoryFactory,
)
from tests.portal.test_structured_data import DATA_BLOCK

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


@pytest.fixture
def pages():
    organization = MemberOrganizationFactory()
    area = ProtectedAreaFactory()
    return [
        "/",
        "/about/",
        "/members/",
        organization.get_absolute_url(),
        "/protected-areas/",
        area.get_absolute_url(),
        "/transboundary/",
        "/countries/",
        "/countries/vnm/",
        "/accounts/login/",
    ]


def test_every_page_has_landmarks_skip_link_and_navigation(client, pages):
    for url in pages:
        html = client.get(url).text
        assert '<a class="skip-link" href="#main">' in html, url
        assert '<main id="main"' in html, url
        assert "<header" in html, url
        assert "<footer" in html, url
        assert '<nav class="site-nav" aria-label="Main">' in html, url
        for section in ("/about/", "/members/", "/protected-areas/", "/transboundary/"):
            assert f'href="{section}"' in html, (url, section)
        assert len(re.findall(r"<h1[ >]", html)) == 1, url


def test_no_inline_script_or_style_anywhere(client, pages):
    for url in pages:
        html = client.get(url).text
        assert " style=" not in html, url
        assert "<style" not in html, url
        # Scripts come from files; the one inline is the schema.org data block (not run).
        code = DATA_BLOCK.sub("", html)
        for script in re.findall(r"<script[^>]*>", code):
            assert "src=" in script, (url, script)
        assert re.search(r"<script[^>]*>\s*[^<\s]", code) is None, url
        assert re.search(r"<[a-z][^>]*\son[a-z]+=", html) is None, url


def test_no_asset_comes_from_another_server(client, pages):
    for url in pages:
        html = client.get(url).text
        for asset in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert not asset.endswith((".js", ".css")), (url, asset)


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_vietnamese_pages_live_under_vi_and_english_at_the_root(client):
    english = client.get("/members/")
    vietnamese = client.get("/vi/members/")
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert vietnamese.status_code == 200
    assert '<html lang="vi">' in vietnamese.text
    assert client.get("/en/members/").status_code == 404


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    english = client.get("/members/", {"country": "VNM"})
    assert '<a href="/vi/members/?country=VNM" hreflang="vi" lang="vi">' in english.text
    assert 'hreflang="en" lang="en" aria-current="true">English</a>' in english.text
    vietnamese = client.get("/vi/members/", {"country": "VNM"})
    assert '<a href="/members/?country=VNM" hreflang="en" lang="en">English</a>' in (
        vietnamese.text
    )
    # No form, so no CSRF token: the page is the same for every anonymous visitor.
    assert "csrfmiddlewaretoken" not in english.text


def test_home_counts_what_the_visitor_may_see(client, member_client):
    MemberOrganizationFactory.create_batch(2)
    ProtectedAreaFactory(visibility="public")
    ProtectedAreaFactory(visibility="members")
    assert client.get("/").context["protected_area_count"] == 1
    assert member_client.get("/").context["protected_area_count"] == 2
    # The two agencies and Minh's own.
    assert client.get("/").context["member_count"] == 3


def test_home_counts_oecms_apart_from_protected_areas(client):
    ProtectedAreaFactory()
    ProtectedAreaFactory(site_type="oecm")
    ProtectedAreaFactory(site_type="oecm", visibility="members")

    response = client.get("/")

    assert (response.context["protected_area_count"], response.context["oecm_count"]) == (1, 1)
    assert '<a href="/protected-areas/?site_type=oecm"><strong>1</strong>' in response.text


def test_home_counters_follow_an_edit_at_once(client):
    ProtectedAreaFactory()
    assert client.get("/").context["protected_area_count"] == 1
    ProtectedAreaFactory()
    MemberOrganizationFactory()
    response = client.get("/")
    assert response.context["protected_area_count"] == 2
    assert response.context["member_count"] == 1
    assert response.context["country_count"] == 1


def upcoming_titles(response) -> list[str]:
    return [activity.title for activity in response.context["upcoming_activities"]]


def test_home_lists_the_next_four_activities_running_ones_first(client, member_client):
    today = timezone.localdate()
    days = datetime.timedelta
    ActivityFactory(title="Last month's workshop", start_date=today - days(30))
    ActivityFactory(
        title="Study running for a year", start_date=today - days(200), end_date=today + days(165)
    )
    ActivityFactory(title="Forum today", start_date=today)
    ActivityFactory(title="Webinar tomorrow", start_date=today + days(1), status="planned")
    ActivityFactory(title="Cancelled dialogue", start_date=today + days(2), status="cancelled")
    ActivityFactory(title="Members exchange", start_date=today + days(3), visibility="members")
    ActivityFactory(title="Training next month", start_date=today + days(30))
    ActivityFactory(title="Congress next year", start_date=today + days(300))

    assert upcoming_titles(client.get("/")) == [
        "Study running for a year",
        "Forum today",
        "Webinar tomorrow",
        "Training next month",
    ]
    assert upcoming_titles(member_client.get("/")) == [
        "Study running for a year",
        "Forum today",
        "Webinar tomorrow",
        "Members exchange",
    ]


def test_home_shows_a_new_activity_at_once(client):
    client.get("/")
    ActivityFactory(title="Ranger exchange", start_date=timezone.localdate())
    assert upcoming_titles(client.get("/")) == ["Ranger exchange"]


@pytest.mark.parametrize("rows", [1, 30])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the home page, and to keep it at twelve queries."""
    today = timezone.localdate()
    MemberOrganizationFactory.create_batch(rows)
    ProtectedAreaFactory.create_batch(rows)
    StoryFactory.create_batch(rows)
    BestPracticeFactory.create_batch(rows, is_featured=True)
    ActivityFactory.create_batch(rows, start_date=today + datetime.timedelta(days=1))
    ActivityFactory.create_batch(rows, start_date=today, end_date=today)
    # 1. savepoint  2. members and their countries  3. protected areas  4. best practices
    # 5. work areas  6. their focal activities  7. latest stories
    # 8. upcoming activities (running ones and later ones in one query)
    # 9. the home page's picture  10. featured best practices  11. the nearest open
    # call's deadline  12. release
    with django_assert_num_queries(12):
        assert client.get("/").status_code == 200
    # The counters and the picture now come from the cache.
    with django_assert_num_queries(8):
        assert client.get("/").status_code == 200


def test_home_and_about_lead_to_the_three_work_areas(client):
    for url in ("/", "/about/"):
        html = client.get(url).text
        for slug in ("knowledge-capacity", "transboundary-cooperation", "awareness-advocacy"):
            assert f'href="/work-areas/{slug}/"' in html, (url, slug)
    assert "Facilitate dialogue between countries" in client.get("/").text


def test_staff_find_their_reports_in_the_footer(client, editor_client):
    assert 'href="/reports/cooperation/"' in editor_client.get("/").text
    assert 'href="/reports/funding-proposals/"' in editor_client.get("/").text
    assert "/reports/" not in client.get("/").text


def test_members_find_their_dashboard_in_the_header(client, member_client):
    assert 'href="/my/"' in member_client.get("/").text
    assert 'href="/my/"' not in client.get("/").text
