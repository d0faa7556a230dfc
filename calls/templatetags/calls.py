"""Calls in templates: their time left, and the member's open calls (on /my/).

The dashboard (knowledge) shows the member's calls through `{% member_calls %}`: a
template tag, so that the library, below the calls in the layers, imports nothing of them.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from calls.models import Call

register = template.Library()


@register.filter
def time_left(call: Call, now: datetime.datetime | None = None) -> str:
    """ "closes in 2 days, 4 hours", "closed 3 days ago", "opens in 5 days"."""
    return call.time_left(now or timezone.now())


@register.filter
def call_state(call: Call, now: datetime.datetime | None = None) -> str:
    """ "open", "upcoming" (not open yet) or "closed": a class and a badge of the card."""
    now = now or timezone.now()
    if call.is_closed(now):
        return "closed"
    return "open" if call.is_open(now) else "upcoming"


@register.inclusion_tag("calls/includes/member_calls.html", takes_context=True)
def member_calls(context) -> dict:
    """The open calls the signed-in member may answer, nearest deadline first, each saying
    whether they have responded (one query)."""
    user = context["request"].user
    now = timezone.now()
    calls = Call.objects.answerable_by(user, now).for_event().with_response_of(user)
    return {"calls": list(calls), "now": now}
