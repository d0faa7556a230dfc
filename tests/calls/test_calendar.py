"""Calls appear in the activities' iCalendar feed as events at their deadlines."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.factories import ActivityFactory, CallFactory

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

FEED = "/activities/calendar.ics"


def events(response) -> dict[str, object]:
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_a_published_call_is_an_event_at_its_deadline_with_its_url(client):
    deadline = datetime.datetime(2027, 1, 15, 17, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    call = CallFactory(
        title="Nominations to the steering committee",
        opens_at=deadline - datetime.timedelta(days=30),
        deadline=deadline,
    )
    CallFactory(title="A draft call", status="draft")

    found = events(client.get(FEED))

    event = found["Deadline: Nominations to the steering committee"]
    assert event.decoded("dtstart") == deadline  # the instant, 10:00 UTC
    assert "dtend" not in event  # an instant: it ends when it starts
    assert str(event["url"]) == f"http://testserver{call.get_absolute_url()}"
    assert str(event["uid"]) == f"call-{call.pk}@apap-portal"
    assert "15 January 2027, 17:00 (Asia/Bangkok, UTC+7)" in str(event["description"])
    assert "Deadline: A draft call" not in found


def test_a_filtered_feed_holds_only_the_activities_it_asks_for(client):
    ActivityFactory(title="Technical workshop", kind="workshop")
    CallFactory(title="Survey")
    assert set(events(client.get(FEED, {"kind": "workshop"}))) == {"Technical workshop"}


def test_a_published_call_refreshes_the_cached_feed(client):
    client.get(FEED)
    CallFactory(title="Expression of interest")
    assert "Deadline: Expression of interest" in events(client.get(FEED))


@pytest.mark.parametrize("rows", [3, 60])
def test_feed_query_count_does_not_grow_with_calls(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue in the calls' events."""
    ActivityFactory.create_batch(3)
    CallFactory.create_batch(rows)
    # 1. savepoint  2. the activities  3. the calls with their work areas  4. release
    with django_assert_num_queries(4):
        assert len(events(client.get(FEED))) == rows + 3
