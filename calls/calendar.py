"""The calls' deadlines as events of the activities calendar (activities/calendar.py).

Registered by the app (`CallsConfig.ready`): the feed at /activities/calendar.ics holds,
beside the activities, one event per published call, at the instant of its deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Event

from activities.calendar import MAX_EVENTS, UID_DOMAIN
from calls.models import Call


def call_uid(call: Call) -> str:
    """Stable across edits, so that a moved deadline moves the event instead of adding one."""
    return f"call-{call.pk}@{UID_DOMAIN}"


def deadline_event(call: Call, absolute_url: str) -> Event:
    event = Event()
    event.add("uid", call_uid(call))
    language = {"LANGUAGE": call.shown_language}
    event.add("summary", _("Deadline: %(title)s") % {"title": call.title}, parameters=language)
    # An instant, in UTC: without DTEND, the event ends when it starts (RFC 5545, 3.6.1).
    event.add("dtstart", call.deadline)
    event.add("dtstamp", call.updated_at)
    event.add("last-modified", call.updated_at)
    event.add("created", call.created_at)
    event.add("status", "CONFIRMED")
    event.add("url", absolute_url)
    event.add(
        "categories",
        [call.get_kind_display()],
        parameters={"LANGUAGE": translation.get_language()},
    )
    description = [call.summary] if call.summary else []
    description.append(_("Deadline: %(deadline)s") % {"deadline": call.deadline_label()})
    description.append(absolute_url)
    event.add("description", "\n\n".join(description), parameters=language)
    return event


def deadline_events(absolute_url: Callable[[Call], str]) -> Iterator[Event]:
    """The published calls' deadlines, the latest first (at most the feed's bound)."""
    calls = Call.objects.public().for_event().order_by("-deadline", "pk")[:MAX_EVENTS]
    for call in calls:
        yield deadline_event(call, absolute_url(call))
