"""Issue 19's "done when" for calls, walked as the people involved would."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calls.models import Call
from calls.tasks import send_deadline_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def test_a_call_due_in_three_days_is_listed_reminded_once_and_answered(
    client, editor_client, member_client, member, mailoutbox, run_worker, settings
):
    """A call published with a deadline in three days appears on /calls/, on /my/ and in
    the calendar; its reminder is sent once; a member's response shows in the admin."""
    settings.CALL_REMINDER_DAYS = 3
    bangkok_now = timezone.localtime()
    deadline = (bangkok_now + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    # Emma publishes the call in the admin, its dates in Bangkok's time.
    created = editor_client.post(
        reverse("admin:calls_call_add"),
        {
            "title": "Nominations to the APAP Steering Committee",
            "slug": "steering-committee-nominations",
            "kind": "nomination",
            "summary": "Each member agency nominates one representative.",
            "body": "Send the signed nomination form.",
            "time_zone": "Asia/Bangkok",
            "opens_at_0": (bangkok_now - datetime.timedelta(days=1)).strftime("%Y-%m-%d"),
            "opens_at_1": "09:00",
            "deadline_0": deadline.strftime("%Y-%m-%d"),
            "deadline_1": deadline.strftime("%H:%M"),
            "eligibility": "all",
            "status": "published",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "reminders-TOTAL_FORMS": "0",
            "reminders-INITIAL_FORMS": "0",
        },
    )
    assert created.status_code == 302
    call = Call.objects.get()
    assert call.deadline == deadline

    # Anna finds it on /calls/, with its time left.
    listing = client.get("/calls/")
    assert "Nominations to the APAP Steering Committee" in listing.text
    assert "closes in 2\xa0days, 23\xa0hours" in listing.text
    # Minh finds it on /my/, not yet answered.
    dashboard = member_client.get("/my/")
    assert "Nominations to the APAP Steering Committee" in dashboard.text
    assert "Not yet" in dashboard.text
    # Calendars get it as an event at the deadline.
    feed = Calendar.from_ical(client.get("/activities/calendar.ics").content)
    [event] = [e for e in feed.walk("VEVENT") if "Steering Committee" in str(e["summary"])]
    assert event.decoded("dtstart") == deadline

    # The scheduler runs the reminders every few minutes: Minh is reminded once.
    send_deadline_reminders.call()
    send_deadline_reminders.call()
    run_worker()
    reminders = [m for m in mailoutbox if "Reminder" in m.subject]
    assert [m.to for m in reminders] == [[member.email]]

    # Minh responds; Emma reads it in the admin.
    answered = member_client.post(call.get_absolute_url(), {"text": "We nominate Ms Lan."})
    assert answered.status_code == 302
    responses = editor_client.get(
        reverse("admin:calls_callresponse_changelist"), {"call__id__exact": call.pk}
    )
    assert responses.status_code == 200
    assert [r.text for r in responses.context["cl"].result_list] == ["We nominate Ms Lan."]
    assert member.organization.name in responses.text
