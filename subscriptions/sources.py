"""What is new for a kind of subscription, read through each model's own visibility rule.

Each source answers for one group of subscriptions — the same kind, filters, audience and
language — with the items that became news after `since` (the oldest high-water mark of
the run), newest first; the digest then keeps, for each subscription, those after its own
mark (`Item.is_new_since`). A group is read once per run, however many subscribe to it.

`viewer` is who the items are read for: the public (an anonymous user) or a member, so
members-only items are only ever read for a subscriber who is a signed-up member.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone

from activities.models import Activity
from knowledge.filters import BestPracticeFilter, ResourceFilter
from knowledge.models import BestPractice, Resource, Story
from subscriptions.models import Subscription

Kind = Subscription.Kind

# The most items a group reads in one run (a digest shows fewer and links to the list).
READ_AT_MOST = 100


@dataclass(frozen=True)
class Item:
    """A record in a digest, and since when it is news.

    `new_at`: when it appeared (published, announced). `comes_on`: for what is news by
    coming soon, the day (an activity's start) or the moment (a call's deadline) it comes;
    it is news for a subscription once, in the digest whose period brings it into view.
    """

    record: object
    new_at: datetime.datetime
    comes_on: datetime.date | datetime.datetime | None = None  # a day, or a moment

    def is_new_since(self, mark: datetime.datetime, ahead: datetime.timedelta) -> bool:
        if self.new_at > mark:
            return True
        if self.comes_on is None:
            return False
        if isinstance(self.comes_on, datetime.datetime):
            return self.comes_on > mark + ahead
        return self.comes_on > timezone.localdate(mark) + ahead


@dataclass(frozen=True)
class Group:
    """What a set of subscriptions follows in common: one read serves them all."""

    kind: str
    audience: str  # "public" or "members"
    language: str
    query: str = ""
    work_areas: tuple[int, ...] = ()
    countries: tuple[int, ...] = ()
    ahead: datetime.timedelta = datetime.timedelta(0)  # how far ahead "coming soon" looks


def stories(group: Group, viewer, since, now) -> list[Item]:
    rows = (
        Story.objects.listed_for(viewer)
        .filter(published_at__gt=since, published_at__lte=now)
        .for_list()
        .order_by("-published_at", "-pk")[:READ_AT_MOST]
    )
    return [Item(story, story.published_at) for story in rows]


def activities(group: Group, viewer, since, now) -> list[Item]:
    """Activities announced since `since` and still to come, and those coming in the period."""
    today = timezone.localdate(now)
    rows = Activity.objects.listed_for(viewer).upcoming(today)
    if group.work_areas:
        rows = rows.filter(work_area_id__in=group.work_areas)
    if group.countries:
        participating = Activity.participating_countries.through.objects.filter(
            activity_id=OuterRef("pk"), country_id__in=group.countries
        )
        rows = rows.filter(Q(country_id__in=group.countries) | Exists(participating))
    coming = Q(
        start_date__gt=timezone.localdate(since) + group.ahead, start_date__lte=today + group.ahead
    )
    rows = (
        rows.filter(Q(created_at__gt=since, created_at__lte=now) | coming)
        .for_list()
        .order_by("start_date", "title")[:READ_AT_MOST]
    )
    return [Item(activity, activity.created_at, activity.start_date) for activity in rows]


def _library(filterset_class, listed, group: Group, viewer) -> list[Item]:
    """The new items a saved search finds, through the list's own FilterSet."""
    filterset = filterset_class(
        QueryDict(group.query), queryset=listed, request=SimpleNamespace(user=viewer)
    )
    filterset.cacheable = False  # each run asks for a new window: nothing to share
    if not filterset.is_valid():
        # A filter no longer valid (a theme since removed) would widen the search: nothing.
        return []
    return list(filterset.qs[:READ_AT_MOST])


def best_practices(group: Group, viewer, since, now) -> list[Item]:
    listed = (
        BestPractice.objects.listed_for(viewer)
        .filter(published_at__gt=since, published_at__lte=now)
        .for_list(viewer)
        .order_by("-published_at", "-pk")
    )
    rows = _library(BestPracticeFilter, listed, group, viewer)
    return [Item(practice, practice.published_at) for practice in rows]


def resources(group: Group, viewer, since, now) -> list[Item]:
    listed = (
        Resource.objects.listed_for(viewer)
        .filter(created_at__gt=since, created_at__lte=now)
        .for_list()
        .order_by("-created_at", "-pk")
    )
    rows = _library(ResourceFilter, listed, group, viewer)
    return [Item(resource, resource.created_at) for resource in rows]


def calls(group: Group, viewer, since, now) -> list[Item]:
    """Calls opened since `since`, and those whose deadline comes within the reminder days.

    HOOK: the calls app (calls.Call) lands beside this one; until it is installed, there
    is nothing to tell. It is read through the app registry so that this module needs no
    import of it: its queryset's `listed_for(user)` and `for_event()`, the fields `opens_at`
    and `deadline` (aware datetimes) and `deadline_label` (the deadline in its time zone).
    """
    if not apps.is_installed("calls"):
        return []
    call_model = apps.get_model("calls", "Call")
    days = datetime.timedelta(days=getattr(settings, "CALL_REMINDER_DAYS", 3))
    soon = Q(deadline__gt=max(since + days, now), deadline__lte=now + days)
    rows = (
        call_model.objects.listed_for(viewer)
        .filter(deadline__gt=now)
        .filter(Q(opens_at__gt=since, opens_at__lte=now) | soon)
        .for_event()
        .order_by("deadline", "pk")[:READ_AT_MOST]
    )
    return [Item(call, call.opens_at, call.deadline) for call in rows]


SOURCES = {
    Kind.STORIES: stories,
    Kind.ACTIVITIES: activities,
    Kind.CALLS: calls,
    Kind.BEST_PRACTICES: best_practices,
    Kind.RESOURCES: resources,
}


def calls_available() -> bool:
    """Whether the calls app is there to follow (the form offers calls only then)."""
    return apps.is_installed("calls")
