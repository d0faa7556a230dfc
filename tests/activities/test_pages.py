"""The activity list, detail and work-area pages."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, FocalActivity
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    OrganizationFactory,
    country,
    work_area,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

# Query counts include the savepoint and its release that wrap each request in
# tests (ATOMIC_REQUESTS).


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [activity.title for activity in response.context["object_list"]]


def test_list_filters_by_work_area_kind_country_and_year(client):
    ActivityFactory(
        title="Technical Workshop on human–wildlife conflict",
        kind="technical-workshop",
        work_area=work_area("knowledge-capacity"),
        start_date=datetime.date(2017, 10, 1),
        country=country("BTN"),
        city="Thimphu",
    )
    webinar = ActivityFactory(
        title="Webinar on OECMs",
        kind="webinar",
        work_area=work_area("awareness-advocacy"),
        start_date=datetime.date(2020, 4, 23),
        is_online=True,
        country=None,
        city="",
    )
    webinar.participating_countries.add(country("BTN"))

    assert titles(client.get("/activities/", {"work_area": "awareness-advocacy"})) == [
        "Webinar on OECMs"
    ]
    assert titles(client.get("/activities/", {"kind": "technical-workshop"})) == [
        "Technical Workshop on human–wildlife conflict"
    ]
    assert titles(client.get("/activities/", {"year": 2020})) == ["Webinar on OECMs"]
    # Held in Bhutan, or with Bhutan among the participating countries.
    assert titles(client.get("/activities/", {"country": "BTN"})) == [
        "Webinar on OECMs",
        "Technical Workshop on human–wildlife conflict",
    ]


def test_list_filters_by_focal_activity(client):
    focal = FocalActivity.objects.filter(work_area__slug="transboundary-cooperation").first()
    tagged = ActivityFactory(title="Sundarbans exchange")
    tagged.focal_activities.add(focal)
    ActivityFactory(title="Untagged meeting")

    assert titles(client.get("/activities/", {"focal_activity": focal.pk})) == [
        "Sundarbans exchange"
    ]


def test_year_filter_includes_activities_spanning_into_the_year(client):
    ActivityFactory(
        title="Technical Workshop on management effectiveness",
        start_date=datetime.date(2017, 1, 1),
        end_date=datetime.date(2018, 12, 31),
        date_precision="year",
    )
    assert titles(client.get("/activities/", {"year": 2018})) == [
        "Technical Workshop on management effectiveness"
    ]


def test_upcoming_and_past(client):
    today = timezone.localdate()
    ActivityFactory(title="Next year's forum", start_date=today + datetime.timedelta(days=300))
    ActivityFactory(
        title="Running now",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=1),
    )
    ActivityFactory(title="Last year's workshop", start_date=today - datetime.timedelta(days=300))
    ActivityFactory(
        title="Cancelled webinar",
        start_date=today + datetime.timedelta(days=30),
        status="cancelled",
    )

    assert titles(client.get("/activities/", {"when": "upcoming"})) == [
        "Running now",
        "Next year's forum",
    ]
    assert titles(client.get("/activities/", {"when": "past"})) == ["Last year's workshop"]


def test_bad_filters_explain_instead_of_failing(client):
    response = client.get("/activities/", {"year": "twenty", "kind": "party", "when": "soon"})
    assert response.status_code == 200
    assert "Enter a number" in response.text
    assert "Select a valid choice" in response.text


def test_pagination_keeps_the_filters(client):
    for number in range(30):
        ActivityFactory(title=f"Webinar {number:02}", kind="webinar")
    response = client.get("/activities/", {"kind": "webinar"})
    assert 'href="?kind=webinar&amp;page=2"' in response.text


def test_list_offers_a_calendar_subscription_with_the_same_filters(client):
    response = client.get("/activities/", {"kind": "webinar", "page": "1"})
    assert 'href="/activities/calendar.ics?kind=webinar"' in response.text
    assert 'rel="alternate" type="text/calendar"' in response.text


@pytest.mark.parametrize("rows", [10, 300])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the activity list."""
    ActivityFactory.create_batch(rows)
    # 1. savepoint  2. count  3. the page with work areas and countries
    # 4-7. the choices of the work area, focal activity, country and GBF target filters
    # 8. release
    with django_assert_num_queries(8):
        assert client.get("/activities/").status_code == 200


def test_list_count_is_cached_until_an_activity_is_saved(client, django_assert_num_queries):
    ActivityFactory.create_batch(3)
    assert client.get("/activities/").context["paginator"].count == 3
    # The count comes from the cache: 1. savepoint  2. the page
    # 3-6. the choices of the filters  7. release
    with django_assert_num_queries(7):
        assert client.get("/activities/").context["paginator"].count == 3

    ActivityFactory(title="Ranger exchange")

    response = client.get("/activities/")
    assert response.context["paginator"].count == 4
    assert "Ranger exchange" in response.text


def test_list_counts_are_cached_per_filter_and_audience(client, member_client):
    ActivityFactory(kind="webinar")
    ActivityFactory(kind="forum", visibility="members")
    assert client.get("/activities/").context["paginator"].count == 1
    assert member_client.get("/activities/").context["paginator"].count == 2
    assert member_client.get("/activities/", {"kind": "forum"}).context["paginator"].count == 1
    assert client.get("/activities/", {"kind": "forum"}).context["paginator"].count == 0


def test_every_page_holds_the_next_rows_in_order(client):
    """Pages are found by key first: together they hold each row once, in the list's order."""
    for number in range(60):
        # Many on the same day: the title orders those.
        ActivityFactory(
            title=f"Workshop {number:02}", start_date=datetime.date(2020, 1, 1 + number % 5)
        )
    in_order = list(Activity.objects.values_list("title", flat=True))

    paged = []
    for page in (1, 2, 3):
        paged += titles(client.get("/activities/", {"page": page}))

    assert paged == in_order
    assert client.get("/activities/", {"page": 4}).status_code == 404


@pytest.mark.parametrize("rows", [30, 300])
def test_deep_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to keep a deep page as cheap as the first: one query finds its rows."""
    ActivityFactory.create_batch(rows)
    last_page = -(-rows // 24)
    # 1. savepoint  2. count  3. the page's keys and rows, with work areas and countries
    # 4-7. the choices of the work area, focal activity, country and GBF target filters
    # 8. release
    with django_assert_num_queries(8):
        response = client.get("/activities/", {"page": last_page})
    assert len(response.context["object_list"]) == rows - (last_page - 1) * 24


def test_detail_renders_markdown_safely(client):
    activity = ActivityFactory(
        body="**Bold** move\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))",
        outcomes='<img src=x onerror="alert(3)"> Agreed on a *joint* plan',
    )
    html = client.get(activity.get_absolute_url()).text
    assert "<strong>Bold</strong>" in html
    assert "<em>joint</em>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_detail_shows_organizers_with_their_roles_and_dates(client):
    activity = ActivityFactory(
        title="7th Partnership Forum",
        start_date=datetime.date(2023, 4, 27),
        end_date=datetime.date(2023, 4, 29),
    )
    ActivityOrganizationFactory(
        activity=activity,
        organization=OrganizationFactory(name="Wildlife Institute of India"),
        role="organizer",
    )
    html = client.get(activity.get_absolute_url()).text
    assert "27–29 April 2023" in html
    assert "Wildlife Institute of India" in html
    assert "(organizer)" in html
    assert "Dehradun, India" in html


@pytest.mark.parametrize("links", [1, 20])
def test_detail_query_count_does_not_grow(client, django_assert_num_queries, links):
    """Intended to prevent an n+1 issue on an activity's organizers and tags."""
    activity = ActivityFactory()
    for _ in range(links):
        ActivityOrganizationFactory(activity=activity)
    activity.participating_countries.add(country("NPL"), country("BTN"))
    # 1. savepoint  2. the activity with work area and country  3. focal activities
    # 4. participating countries  5. GBF targets  6. documents
    # 7. organizer roles with organizations  8. release
    with django_assert_num_queries(8):
        assert client.get(activity.get_absolute_url()).status_code == 200


def test_members_only_activity_is_hidden_from_the_public_everywhere(client, member_client):
    secret = ActivityFactory(title="Members exchange on patrol data", visibility="members")
    url = secret.get_absolute_url()

    assert client.get(url).status_code == 404
    assert "Members exchange" not in client.get("/activities/").text
    assert "Members exchange" not in client.get("/activities/calendar.ics").text
    assert "Members exchange" not in client.get(secret.work_area.get_absolute_url()).text
    assert member_client.get(url).status_code == 200
    assert "Members exchange" in member_client.get("/activities/").text


def test_work_area_page_shows_focal_activities_and_activities(client):
    area = work_area("transboundary-cooperation")
    ActivityFactory(title="Sundarbans dialogue", work_area=area, kind="dialogue")
    ActivityFactory(title="Unrelated training", work_area=work_area("knowledge-capacity"))

    response = client.get("/work-areas/transboundary-cooperation/")

    assert response.status_code == 200
    assert "Transboundary and regional cooperation" in response.text
    assert "Disseminate the WCPA Best Practice Guidelines" in response.text
    assert "Sundarbans dialogue" in response.text
    assert "Unrelated training" not in response.text
    assert client.get("/work-areas/unknown/").status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_work_area_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the work-area page."""
    ActivityFactory.create_batch(rows, work_area=work_area("awareness-advocacy"))
    # 1. savepoint  2. the work area  3. its focal activities  4. the latest activities
    # 5. their count  6. counts by kind  7. resources  8. stories  9. release
    with django_assert_num_queries(9):
        assert client.get("/work-areas/awareness-advocacy/").status_code == 200


def test_dates_label_follows_what_is_known():
    def label(start, end=None, precision="day"):
        return Activity(start_date=start, end_date=end, date_precision=precision).dates_label()

    assert label(datetime.date(2013, 11, 13), datetime.date(2013, 11, 17)) == "13–17 November 2013"
    assert label(datetime.date(2014, 4, 24), datetime.date(2014, 4, 25)) == "24–25 April 2014"
    assert label(datetime.date(2018, 6, 3), datetime.date(2018, 6, 30)) == "3–30 June 2018"
    assert label(datetime.date(2020, 7, 23)) == "23 July 2020"
    assert label(datetime.date(2014, 11, 1), datetime.date(2014, 11, 30), "month") == (
        "November 2014"
    )
    assert label(datetime.date(2017, 1, 1), datetime.date(2018, 12, 31), "year") == "2017–2018"


def test_work_area_page_links_its_studies_and_statements(client):
    from tests.factories import ResourceFactory, StoryFactory

    area = work_area("awareness-advocacy")
    ResourceFactory(title="Benefits of protected areas study", kind="study", work_area=area)
    StoryFactory(title="Statement at CBD COP15", kind="statement", work_area=area)
    StoryFactory(title="Members-only briefing", work_area=area, visibility="members")
    ResourceFactory(title="Unrelated toolkit", work_area=work_area("knowledge-capacity"))

    html = client.get("/work-areas/awareness-advocacy/").text

    assert "Benefits of protected areas study" in html
    assert "Statement at CBD COP15" in html
    assert "Members-only briefing" not in html
    assert "Unrelated toolkit" not in html
