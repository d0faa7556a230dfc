"""The activities as an iCalendar (RFC 5545) feed, built with the icalendar library."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from activities.models import Activity

PRODUCT_ID = "-//Asia Protected Areas Partnership//APAP Portal//EN"
UID_DOMAIN = "apap-portal"

EVENT_STATUS = {
    Activity.Status.PLANNED: "TENTATIVE",
    Activity.Status.CONFIRMED: "CONFIRMED",
    Activity.Status.COMPLETED: "CONFIRMED",
    Activity.Status.CANCELLED: "CANCELLED",
}


def activity_uid(activity: Activity) -> str:
    """Stable across edits and renames, so calendars update the event instead of adding one."""
    return f"activity-{activity.pk}@{UID_DOMAIN}"


def activity_event(activity: Activity, absolute_url: str) -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("summary", activity.title)
    # All-day events: DTEND is the day after the last day (it is exclusive).
    event.add("dtstart", activity.start_date)
    event.add("dtend", activity.last_day + datetime.timedelta(days=1))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("created", activity.created_at)
    event.add("status", EVENT_STATUS[activity.status])
    event.add("url", absolute_url)
    event.add("categories", [activity.get_kind_display()])
    if activity.place:
        event.add("location", activity.place)
    description = [activity.summary] if activity.summary else []
    if activity.date_precision != Activity.DatePrecision.DAY:
        description.append(f"Dates known only as: {activity.dates_label()}.")
    description.append(absolute_url)
    event.add("description", "\n\n".join(description))
    return event


def activities_calendar(
    activities: Iterable[Activity], absolute_url, name: str = "APAP activities"
) -> bytes:
    """An iCalendar file of the activities; `absolute_url(activity)` gives each one's link."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_default_timezone_name())
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for activity in activities:
        calendar.add_component(activity_event(activity, absolute_url(activity)))
    return calendar.to_ical()
