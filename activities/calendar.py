"""The activities as an iCalendar (RFC 5545) feed, built with the icalendar library.

The feed is bounded: it holds at most `MAX_EVENTS` activities (see `calendar_activities`).
"""

import datetime
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from activities.models import Activity, last_day

PRODUCT_ID = "-//Asia Protected Areas Partnership//APAP Portal//EN"
UID_DOMAIN = "apap-portal"

# At APAP's pace (a few dozen activities a year) the whole history fits for decades; at
# a hundred times that, the next month or so. Building an event costs about 0.4 ms.
MAX_EVENTS = 500

EVENT_STATUS = {
    Activity.Status.PLANNED: "TENTATIVE",
    Activity.Status.CONFIRMED: "CONFIRMED",
    Activity.Status.COMPLETED: "CONFIRMED",
    Activity.Status.CANCELLED: "CANCELLED",
}


# Other sections add their own events to the feed (the calls their deadlines): each source
# is registered by its app (`AppConfig.ready`), so that this module names no app above it.
# A source takes the function that makes a record's absolute URL and gives its events.
type EventSource = Callable[[Callable[[object], str]], Iterable[Event]]
EVENT_SOURCES: list[EventSource] = []


def add_event_source(source: EventSource) -> None:
    if source not in EVENT_SOURCES:
        EVENT_SOURCES.append(source)


def calendar_activities(activities: QuerySet[Activity], today: datetime.date) -> list[Activity]:
    """The activities a subscribed calendar holds: current and upcoming ones first.

    A subscriber needs what is on and what is coming; past activities fill the room
    left, the latest first, up to `MAX_EVENTS` in all. So the feed holds everything
    while there are fewer activities than that, and when there are more, the oldest
    past ones drop out first, then (only if more than `MAX_EVENTS` are still to come)
    those ending furthest ahead. One query: each part is read in the order of the
    last-day index from `today` outwards, stopping once it has enough; the rows are
    then read by key, as `activities` reads them (in the reader's language).
    """
    dated = activities.alias(last_day=last_day())
    ahead = dated.filter(last_day__gte=today).order_by("last_day", "pk").values("pk")
    behind = dated.filter(last_day__lt=today).order_by("-last_day", "-pk").values("pk")
    chosen = ahead[:MAX_EVENTS].union(behind[:MAX_EVENTS], all=True)
    rows = list(activities.filter(pk__in=chosen).order_by())  # sorted below
    current = sorted((a for a in rows if a.last_day >= today), key=lambda a: (a.last_day, a.pk))
    past = sorted((a for a in rows if a.last_day < today), key=lambda a: (a.last_day, a.pk))
    return [*current, *reversed(past)][:MAX_EVENTS]


def activity_uid(activity: Activity) -> str:
    """Stable across edits and renames, so calendars update the event instead of adding one."""
    return f"activity-{activity.pk}@{UID_DOMAIN}"


def activity_event(activity: Activity, absolute_url: str) -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    # The text in the language it is shown in: a translation's, or the original's.
    language = {"LANGUAGE": activity.shown_language}
    event.add("summary", activity.title, parameters=language)
    # All-day events: DTEND is the day after the last day (it is exclusive).
    event.add("dtstart", activity.start_date)
    event.add("dtend", activity.last_day + datetime.timedelta(days=1))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("created", activity.created_at)
    event.add("status", EVENT_STATUS[activity.status])
    event.add("url", absolute_url)
    # The kind is a label of the interface: in the page's language.
    event.add(
        "categories",
        [activity.get_kind_display()],
        parameters={"LANGUAGE": translation.get_language()},
    )
    if activity.place:
        event.add("location", activity.place)
    description = [activity.summary] if activity.summary else []
    if activity.date_precision != Activity.DatePrecision.DAY:
        with translation.override(activity.shown_language):  # in the summary's language
            dates = _("Dates known only as: %(dates)s.") % {"dates": activity.dates_label()}
        description.append(dates)
    description.append(absolute_url)
    event.add("description", "\n\n".join(description), parameters=language)
    return event


def new_calendar() -> Calendar:
    """An empty iCalendar object as the portal publishes it (feed or single event)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def activities_calendar(
    activities: Iterable[Activity],
    absolute_url,
    name: str | None = None,
    other_events: bool = False,
) -> bytes:
    """An iCalendar feed of the activities; `absolute_url(record)` gives each one's link.

    Named in the active language, as a subscriber's calendar app lists it. With
    `other_events`, the events of the other sections (`EVENT_SOURCES`) follow.
    """
    calendar = new_calendar()
    # A subscription: named, and fetched again twice a day.
    calendar.add("x-wr-calname", name or _("APAP activities"))
    calendar.add("x-wr-timezone", timezone.get_default_timezone_name())
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for activity in activities:
        calendar.add_component(activity_event(activity, absolute_url(activity)))
    for source in EVENT_SOURCES if other_events else ():
        for event in source(absolute_url):
            calendar.add_component(event)
    return calendar.to_ical()


def activity_calendar_file(activity: Activity, absolute_url: str) -> bytes:
    """One activity to add to a calendar: the feed's event, in a file of its own.

    Without a calendar name or refresh interval: a calendar application adds the event to
    a calendar of the reader's choice instead of making a new (subscribed) one.
    """
    calendar = new_calendar()
    calendar.add_component(activity_event(activity, absolute_url))
    return calendar.to_ical()
