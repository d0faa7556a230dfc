"""/activities/calendar.ics, read back with the icalendar library as a calendar app would."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.factories import ActivityFactory, country

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_of(calendar: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_feed_holds_public_activities_as_all_day_events(client):
    congress = ActivityFactory(
        title="1st Asia Parks Congress",
        kind="forum",
        start_date=datetime.date(2013, 11, 13),
        end_date=datetime.date(2013, 11, 17),
        city="Sendai",
        country=country("JPN"),
    )

    calendar = parse(client.get("/activities/calendar.ics"))
    event = events_of(calendar)["1st Asia Parks Congress"]

    assert str(calendar["version"]) == "2.0"
    assert event.decoded("dtstart") == datetime.date(2013, 11, 13)
    # DTEND is exclusive: the day after the last day.
    assert event.decoded("dtend") == datetime.date(2013, 11, 18)
    assert str(event["location"]) == "Sendai, Japan"
    assert str(event["url"]) == f"http://testserver{congress.get_absolute_url()}"
    assert str(event["uid"]) == f"activity-{congress.pk}@apap-portal"
    assert event.decoded("last-modified") == congress.updated_at.replace(microsecond=0)


def test_uid_is_stable_when_an_activity_is_renamed(client):
    activity = ActivityFactory(title="Planning workshop")
    before = events_of(parse(client.get("/activities/calendar.ics")))["Planning workshop"]
    activity.title = "Planning workshop, Bangkok"
    activity.save()
    after = events_of(parse(client.get("/activities/calendar.ics")))["Planning workshop, Bangkok"]
    assert str(before["uid"]) == str(after["uid"])


def test_online_activity_is_located_online_and_month_precision_is_explained(client):
    ActivityFactory(
        title="Webinar on OECMs",
        kind="webinar",
        is_online=True,
        country=None,
        city="",
        start_date=datetime.date(2014, 11, 1),
        end_date=datetime.date(2014, 11, 30),
        date_precision="month",
    )
    event = events_of(parse(client.get("/activities/calendar.ics")))["Webinar on OECMs"]
    assert str(event["location"]) == "Online"
    assert "Dates known only as: November 2014." in str(event["description"])


def test_filters_of_the_list_apply(client):
    ActivityFactory(title="Webinar on COVID-19 and protected areas", kind="webinar")
    ActivityFactory(title="Steering Committee meeting", kind="steering-committee")

    calendar = parse(client.get("/activities/calendar.ics", {"kind": "webinar"}))

    assert list(events_of(calendar)) == ["Webinar on COVID-19 and protected areas"]


def test_members_only_and_cancelled_activities_stay_out(client, member_client):
    ActivityFactory(title="Members exchange", visibility="members")
    ActivityFactory(title="Cancelled forum", status="cancelled")
    ActivityFactory(title="Open forum")

    # Calendar applications fetch without a session: a member's feed is the public one too.
    for visitor in (client, member_client):
        assert list(events_of(parse(visitor.get("/activities/calendar.ics")))) == ["Open forum"]


def test_bad_filter_answers_400_with_the_reason(client):
    response = client.get("/activities/calendar.ics", {"year": "soon"})
    assert response.status_code == 400
    assert b"year" in response.content


@pytest.mark.parametrize("rows", [10, 300])
def test_feed_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue in the feed."""
    ActivityFactory.create_batch(rows)
    # 1. savepoint  2. the activities with their countries  3. the calls' deadlines
    # 4. release
    with django_assert_num_queries(4):
        calendar = parse(client.get("/activities/calendar.ics"))
    assert len(calendar.walk("VEVENT")) == rows


def test_feed_is_cached_until_an_activity_is_saved(client, django_assert_num_queries):
    ActivityFactory(title="Open forum")
    first = client.get("/activities/calendar.ics")
    # Served from the cache: 1. savepoint  2. release
    with django_assert_num_queries(2):
        again = client.get("/activities/calendar.ics")
    assert again.content == first.content

    ActivityFactory(title="Ranger exchange")

    assert set(events_of(parse(client.get("/activities/calendar.ics")))) == {
        "Open forum",
        "Ranger exchange",
    }


def test_each_filter_has_its_own_cached_feed(client):
    ActivityFactory(title="Webinar on OECMs", kind="webinar")
    ActivityFactory(title="Steering Committee meeting", kind="steering-committee")

    everything = events_of(parse(client.get("/activities/calendar.ics")))
    webinars = events_of(parse(client.get("/activities/calendar.ics", {"kind": "webinar"})))
    # The same filters in another order, with a parameter that filters nothing.
    same = client.get("/activities/calendar.ics", {"utm_source": "mail", "kind": "webinar"})

    assert set(everything) == {"Webinar on OECMs", "Steering Committee meeting"}
    assert list(webinars) == ["Webinar on OECMs"]
    assert list(events_of(parse(same))) == ["Webinar on OECMs"]


def test_vietnamese_feed_links_to_vietnamese_pages(client):
    activity = ActivityFactory(title="Planning workshop")
    english = events_of(parse(client.get("/activities/calendar.ics")))["Planning workshop"]
    vietnamese = events_of(parse(client.get("/vi/activities/calendar.ics")))["Planning workshop"]
    assert str(english["url"]) == f"http://testserver/activities/{activity.slug}/"
    assert str(vietnamese["url"]) == f"http://testserver/vi/activities/{activity.slug}/"


@pytest.fixture
def timeline():
    """Activities from 2013 to next year, around today."""
    today = timezone.localdate()
    days = datetime.timedelta
    ActivityFactory(title="Congress of 2013", start_date=datetime.date(2013, 11, 13))
    ActivityFactory(title="Workshop last month", start_date=today - days(30))
    ActivityFactory(
        title="Study running now", start_date=today - days(60), end_date=today + days(60)
    )
    ActivityFactory(title="Forum next week", start_date=today + days(7))
    ActivityFactory(title="Dialogue next year", start_date=today + days(300))


def test_feed_holds_the_whole_timeline_while_it_fits(client, timeline):
    assert len(events_of(parse(client.get("/activities/calendar.ics")))) == 5


def test_full_feed_leaves_the_oldest_history_out_first(client, timeline, monkeypatch):
    """A subscriber needs what is on and what is coming; past activities fill the rest."""
    monkeypatch.setattr("activities.calendar.MAX_EVENTS", 4)
    assert set(events_of(parse(client.get("/activities/calendar.ics")))) == {
        "Workshop last month",
        "Study running now",
        "Forum next week",
        "Dialogue next year",
    }


def test_feed_with_more_to_come_than_it_holds_leaves_the_furthest_out(
    client, timeline, monkeypatch
):
    monkeypatch.setattr("activities.calendar.MAX_EVENTS", 2)
    assert set(events_of(parse(client.get("/activities/calendar.ics")))) == {
        "Forum next week",
        "Study running now",
    }
