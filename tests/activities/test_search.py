"""`?q=` in the activity list and its iCalendar feed: ranked, highlighted, with other filters."""

import datetime

import factory
import pytest
from icalendar import Calendar

from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

# Query counts include the savepoint and its release that wrap each request in
# tests (ATOMIC_REQUESTS).


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [activity.title for activity in response.context["object_list"]]


def test_the_list_searches_and_ranks_title_matches_first(client):
    ActivityFactory(title="Regional forum", summary="Delegates discussed seagrass once.")
    ActivityFactory(title="Seagrass monitoring training", summary="Rangers learnt to survey.")
    ActivityFactory(title="Webinar on OECMs", summary="Other effective conservation measures.")

    assert titles(client.get("/activities/", {"q": "seagrass"})) == [
        "Seagrass monitoring training",
        "Regional forum",
    ]


def test_the_list_shows_where_the_words_matched(client):
    ActivityFactory(
        title="Regional forum",
        summary='Delegates discussed <script>alert("x")</script> seagrass & dugongs.',
    )

    html = client.get("/activities/", {"q": "dugongs"}).text

    assert "<mark>dugongs</mark>" in html
    assert "<script>alert" not in html
    assert "&amp; <mark>dugongs</mark>" in html
    # Without a search, the card shows the summary as it always did.
    assert "<mark>" not in client.get("/activities/").text


def test_search_combines_with_the_other_filters(client):
    ActivityFactory(title="Seagrass workshop", kind="workshop")
    ActivityFactory(title="Seagrass webinar", kind="webinar", is_online=True)

    assert titles(client.get("/activities/", {"q": "seagrass", "kind": "webinar"})) == [
        "Seagrass webinar"
    ]


def test_rank_orders_the_results_even_where_a_filter_sorts(client):
    """Upcoming activities are listed soonest first, but a search ranks them."""
    today = datetime.date.today()
    ActivityFactory(
        title="Annual meeting",
        summary="Seagrass will be on the agenda.",
        start_date=today + datetime.timedelta(days=10),
    )
    ActivityFactory(
        title="Seagrass field school", summary="", start_date=today + datetime.timedelta(days=90)
    )

    assert titles(client.get("/activities/", {"when": "upcoming", "q": "seagrass"})) == [
        "Seagrass field school",
        "Annual meeting",
    ]
    assert titles(client.get("/activities/", {"when": "upcoming"})) == [
        "Annual meeting",
        "Seagrass field school",
    ]


def test_a_misspelling_finds_close_titles_and_says_so(client):
    ActivityFactory(title="Transboundary cooperation workshop")
    ActivityFactory(title="Webinar on OECMs")

    response = client.get("/activities/", {"q": "tranboundary"})

    assert titles(response) == ["Transboundary cooperation workshop"]
    assert "No exact matches: showing approximate matches for “tranboundary”." in response.text


def test_the_misspelling_fallback_looks_only_at_what_the_other_filters_kept(client):
    ActivityFactory(title="Transboundary workshop", kind="workshop")
    ActivityFactory(title="Tranboundary typo forum", kind="forum")

    # The forum's typo is an exact match for the query, but not among workshops: there
    # nothing matches exactly, so the near miss is what the visitor gets.
    assert titles(client.get("/activities/", {"q": "tranboundary", "kind": "workshop"})) == [
        "Transboundary workshop"
    ]


def test_members_only_activities_stay_hidden_from_anna(client, member_client):
    ActivityFactory(title="Seagrass steering committee", visibility="members")

    assert titles(client.get("/activities/", {"q": "seagrass"})) == []
    assert titles(client.get("/activities/", {"q": "seagrasss"})) == []
    assert titles(member_client.get("/activities/", {"q": "seagrass"})) == [
        "Seagrass steering committee"
    ]


@pytest.mark.parametrize(
    "q", ["x" * 5000, "seagrass\x00", "\x00", "<script>", "'; DROP TABLE x; --", '"', "-"]
)
def test_hostile_queries_never_break_the_list_or_the_feed(client, q):
    ActivityFactory(title="Seagrass workshop")

    assert client.get("/activities/", {"q": q}).status_code == 200
    assert client.get("/activities/calendar.ics", {"q": q}).status_code == 200


def test_the_list_keeps_the_query_in_its_form_pages_and_calendar_link(client):
    ActivityFactory.create_batch(30, summary="Seagrass meadows.")

    html = client.get("/activities/", {"q": "seagrass"}).text

    assert 'type="search" name="q" value="seagrass"' in html
    assert 'href="?q=seagrass&amp;page=2"' in html
    assert 'href="/activities/calendar.ics?q=seagrass"' in html


def test_the_calendar_feed_applies_the_search(client, member_client):
    ActivityFactory(title="Seagrass workshop")
    ActivityFactory(title="Webinar on OECMs")
    ActivityFactory(title="Seagrass steering committee", visibility="members")

    for visitor in (client, member_client):
        response = visitor.get("/activities/calendar.ics", {"q": "seagrass"})
        assert response.status_code == 200
        events = Calendar.from_ical(response.content).walk("VEVENT")
        assert [str(event["summary"]) for event in events] == ["Seagrass workshop"]
    close = client.get("/activities/calendar.ics", {"q": "seagrasss"})
    assert [str(e["summary"]) for e in Calendar.from_ical(close.content).walk("VEVENT")] == [
        "Seagrass workshop"
    ]


@pytest.mark.parametrize("rows", [5, 100])
def test_searching_the_list_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue when the list is searched."""
    ActivityFactory.create_batch(
        rows, title=factory.Sequence(lambda n: f"Seagrass workshop {n}"), summary="Seagrass."
    )
    # 1. savepoint  2. the ranking of the matches (which the count is read from)
    # 3. the page, ranked, with snippets, work areas and countries
    # 4-7. the choices of the work area, focal activity, country and GBF target filters
    # 8. release
    with django_assert_num_queries(8):
        assert client.get("/activities/", {"q": "seagrass"}).status_code == 200
    # The misspelling fallback ranks twice: the full-text search finds nothing, then
    # the titles close to the words are ranked.
    with django_assert_num_queries(9):
        assert client.get("/activities/", {"q": "seagrasss"}).status_code == 200
    # The feed: 1. savepoint  2. whether anything matches  3. the events  4. release
    with django_assert_num_queries(4):
        assert client.get("/activities/calendar.ics", {"q": "seagrass"}).status_code == 200
