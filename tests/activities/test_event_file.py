"""/activities/<slug>/event.ics: one activity to add to a calendar, read back with icalendar."""

import datetime

import pytest
from icalendar import Calendar

from tests.factories import ActivityFactory, ActivityOrganizationFactory, country, translation

pytestmark = pytest.mark.django_db


def only_event(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_event_file_holds_the_activity_as_an_all_day_event(client):
    congress = ActivityFactory(
        title="1st Asia Parks Congress",
        start_date=datetime.date(2013, 11, 13),
        end_date=datetime.date(2013, 11, 17),
        city="Sendai",
        country=country("JPN"),
    )
    ActivityFactory(title="Another activity")

    response = client.get(f"/activities/{congress.slug}/event.ics")
    event = only_event(response)

    assert response["Content-Disposition"] == f'attachment; filename="{congress.slug}.ics"'
    assert str(event["summary"]) == "1st Asia Parks Congress"
    assert event["summary"].params["LANGUAGE"] == "en"
    assert event.decoded("dtstart") == datetime.date(2013, 11, 13)
    assert event.decoded("dtend") == datetime.date(2013, 11, 18)  # exclusive
    assert str(event["url"]) == f"http://testserver/activities/{congress.slug}/"
    assert str(event["location"]) == "Sendai, Japan"


def test_event_has_the_uid_of_the_feed(client):
    """Added alone or through the feed, a calendar holds the activity once."""
    activity = ActivityFactory(title="Planning workshop")
    single = only_event(client.get(f"/activities/{activity.slug}/event.ics"))
    feed = Calendar.from_ical(client.get("/activities/calendar.ics").content).walk("VEVENT")
    assert str(single["uid"]) == str(feed[0]["uid"]) == f"activity-{activity.pk}@apap-portal"


def test_members_only_activity_is_404_to_the_public_and_a_file_for_members(client, member_client):
    secret = ActivityFactory(title="Members exchange", visibility="members")
    url = f"/activities/{secret.slug}/event.ics"

    assert client.get(url).status_code == 404
    assert str(only_event(member_client.get(url))["summary"]) == "Members exchange"


def test_unknown_activity_is_404(client):
    assert client.get("/activities/no-such-activity/event.ics").status_code == 404


def test_vietnamese_event_has_the_published_translation(client):
    activity = ActivityFactory(title="Planning workshop")
    translation(activity, title="Hội thảo lập kế hoạch")

    event = only_event(client.get(f"/vi/activities/{activity.slug}/event.ics"))

    assert str(event["summary"]) == "Hội thảo lập kế hoạch"
    assert event["summary"].params["LANGUAGE"] == "vi"
    assert str(event["url"]) == f"http://testserver/vi/activities/{activity.slug}/"


def test_activity_page_links_to_its_event_file_unless_cancelled(client):
    activity = ActivityFactory(status="confirmed")
    cancelled = ActivityFactory(status="cancelled")

    html = client.get(activity.get_absolute_url()).text
    vietnamese = client.get(f"/vi/activities/{activity.slug}/").text

    assert f'href="/activities/{activity.slug}/event.ics" download>Add to calendar</a>' in html
    assert f'href="/vi/activities/{activity.slug}/event.ics" download>Thêm vào lịch</a>' in (
        vietnamese
    )
    assert "event.ics" not in client.get(cancelled.get_absolute_url()).text


@pytest.mark.parametrize("organizers", [1, 20])
def test_event_file_query_count_does_not_grow(client, django_assert_num_queries, organizers):
    """Intended to keep the file at one query, however many organizers the activity has."""
    activity = ActivityFactory()
    for _ in range(organizers):
        ActivityOrganizationFactory(activity=activity)
    # 1. savepoint  2. the activity with its country (in the reader's language)  3. release
    with django_assert_num_queries(3):
        only_event(client.get(f"/activities/{activity.slug}/event.ics"))
