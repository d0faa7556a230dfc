"""/activities/calendar.ics, read back with the icalendar library as a calendar app would."""

import datetime

import pytest
from icalendar import Calendar

from tests.factories import ActivityFactory, country

pytestmark = pytest.mark.django_db


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
    # 1. savepoint  2. the activities with their countries  3. release
    with django_assert_num_queries(3):
        calendar = parse(client.get("/activities/calendar.ics"))
    assert len(calendar.walk("VEVENT")) == rows
