"""The digests: each due subscription gets what is new since its last one, if anything.

`send_due_digests(now)` is run every few minutes by the worker (settings.PERIODIC_TASKS)
and decides itself what is due, so running it again, late or twice changes nothing:

- due: a confirmed subscriber's subscription whose high-water mark (`checked_up_to`) is a
  period old (a day, a week; less the scheduler's interval);
- what is new is read once per group of subscriptions that follow the same thing for the
  same audience in the same language (`sources.Group`), not once per subscriber;
- a subscription with nothing new is sent nothing; every due one has its mark moved to
  `now`, in the same transaction as the emails it queued, so a failed run sends nothing
  and the next one starts again from the same marks;
- subscriptions are read from a server-side cursor and the messages handed to the outbox
  as a generator: memory stays bounded whatever the number of subscribers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import Min, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from apap_portal.outbox import Message, queue_emails
from subscriptions import links
from subscriptions.models import Subscription
from subscriptions.sources import SOURCES, Group, Item

Kind = Subscription.Kind
Frequency = Subscription.Frequency

# The scheduler looks every five minutes (settings.PERIODIC_TASKS): a daily digest sent at
# 08:02 yesterday is due from 07:57 today, so it goes about a day apart, not a day and
# five minutes (its hour creeps earlier by at most that much a day).
SLACK = datetime.timedelta(minutes=5)
# A mark older than this (a subscriber long unreachable) reads no further back.
LOOK_BACK_AT_MOST = datetime.timedelta(days=31)
# The most items one digest lists; it links to the list for the rest.
SHOWN_AT_MOST = 20
UPDATE_BATCH = 1000
# Where each subscriber's own links go in a digest rendered once for many.
MANAGE_URL = "@@manage-url@@"
UNSUBSCRIBE_URL = "@@unsubscribe-url@@"
# One run at a time: a run started while another goes leaves the due digests to that one.
LOCK_ID = 0x5B5C_D1_6E


def due(now: datetime.datetime):
    """The subscriptions whose digest is due at `now`, of confirmed subscribers only."""
    is_due = Q()
    for frequency, period in Subscription.PERIODS.items():
        is_due |= Q(frequency=frequency, checked_up_to__lte=now - period + SLACK)
    return Subscription.objects.filter(is_due, subscriber__confirmed_at__isnull=False)


def _with_filters(subscriptions):
    """Each subscription with its subscriber (and account) and its filters' ids, in one query."""
    through_areas = Subscription.work_areas.through.objects.filter(
        subscription_id=OuterRef("pk")
    ).order_by("workarea_id")
    through_countries = Subscription.countries.through.objects.filter(
        subscription_id=OuterRef("pk")
    ).order_by("country_id")
    return (
        subscriptions.select_related("subscriber__user")
        .annotate(
            work_area_ids=ArraySubquery(through_areas.values("workarea_id")),
            country_ids=ArraySubquery(through_countries.values("country_id")),
        )
        .order_by("pk")
    )


def _lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_ID])
        return cursor.fetchone()[0]


def send_due_digests(now: datetime.datetime | None = None) -> int:
    """Queue the digests due at `now` (default: now); the number of emails queued."""
    now = now or timezone.now()
    with transaction.atomic():
        if not _lock():
            return 0  # another run is under way: it sends these
        subscriptions = due(now)
        oldest = subscriptions.aggregate(oldest=Min("checked_up_to"))["oldest"]
        if oldest is None:
            return 0
        run = DigestRun(now, since=max(oldest, now - LOOK_BACK_AT_MOST))
        queued = queue_emails(run.messages(_with_filters(subscriptions)))
        run.advance_marks()
    return queued


class DigestRun:
    """One run: the groups read so far, and which subscriptions it went through."""

    def __init__(self, now: datetime.datetime, since: datetime.datetime):
        self.now = now
        self.since = since
        self.items: dict[Group, list[Item]] = {}
        self.rendered: dict[tuple, tuple[str, str, str]] = {}
        self.members: dict[str, object] = {}  # a member to read members' groups for
        self.checked: list[int] = []
        self.sent: list[int] = []

    def messages(self, subscriptions) -> Iterator[Message]:
        for subscription in subscriptions.iterator(chunk_size=2000):
            self.checked.append(subscription.pk)
            message = self.digest(subscription)
            if message is not None:
                self.sent.append(subscription.pk)
                yield message

    def group_of(self, subscription: Subscription) -> Group:
        subscriber = subscription.subscriber
        audience = "members" if subscriber.sees_members_only else "public"
        if audience == "members":
            self.members.setdefault(subscriber.language, subscriber.user)
        if subscription.kind == Kind.ACTIVITIES:
            return Group(
                subscription.kind,
                audience,
                subscriber.language,
                work_areas=tuple(subscription.work_area_ids),
                countries=tuple(subscription.country_ids),
                ahead=subscription.period,
            )
        if subscription.kind == Kind.CALLS:
            days = getattr(settings, "CALL_REMINDER_DAYS", 3)
            return Group(
                subscription.kind,
                audience,
                subscriber.language,
                ahead=datetime.timedelta(days=days),
            )
        query = subscription.query if subscription.is_library_search else ""
        return Group(subscription.kind, audience, subscriber.language, query=query)

    def read(self, group: Group) -> list[Item]:
        if group not in self.items:
            viewer = self.members[group.language] if group.audience == "members" else None
            with translation.override(group.language):
                self.items[group] = SOURCES[group.kind](
                    group, viewer or AnonymousUser(), self.since, self.now
                )
        return self.items[group]

    def digest(self, subscription: Subscription) -> Message | None:
        if subscription.is_library_search and not subscription.subscriber.sees_members_only:
            return None  # a saved search is a member's; an account no longer one gets none
        group = self.group_of(subscription)
        mark = subscription.checked_up_to
        new = [item for item in self.read(group) if item.is_new_since(mark, group.ahead)]
        if not new:
            return None
        return self.message(subscription, group, new)

    def message(self, subscription: Subscription, group: Group, new: list[Item]) -> Message:
        """The digest: rendered once for everyone who gets the same items in the same
        language (`rendered`), then given each subscriber's own signed links."""
        subscriber = subscription.subscriber
        subject, body, html = self.render(subscription, group, new)
        with translation.override(group.language):
            manage_url = links.url_in(
                group.language, "subscriptions:manage", links.manage_token(subscriber)
            )
            unsubscribe_url = links.url_in(
                group.language,
                "subscriptions:unsubscribe",
                links.unsubscribe_token(subscriber, subscription),
            )
        # The signed links hold letters, digits and ":-_" only: nothing to escape in HTML.
        own = {MANAGE_URL: manage_url, UNSUBSCRIBE_URL: unsubscribe_url}
        for placeholder, url in own.items():
            body, html = body.replace(placeholder, url), html.replace(placeholder, url)
        return Message(
            to=subscriber.email,
            subject=subject,
            body=body,
            html_body=html,
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            kind=f"subscriptions.digest.{subscription.kind}",
        )

    def render(self, subscription, group: Group, new: list[Item]) -> tuple[str, str, str]:
        """Subject, text and HTML of the digest of these items, with placeholders for the
        subscriber's own links."""
        shown = new[:SHOWN_AT_MOST]
        key = (group, tuple(item.record.pk for item in new))
        if key not in self.rendered:
            with translation.override(group.language):
                context = {
                    "kind": subscription.kind,
                    "kind_label": subscription.get_kind_display(),
                    "items": [item.record for item in shown],
                    "site_url": settings.SITE_URL,
                    "more": len(new) - len(shown),
                    "list_url": list_url(subscription),
                    "manage_url": MANAGE_URL,
                    "unsubscribe_url": UNSUBSCRIBE_URL,
                }
                self.rendered[key] = (
                    digest_subject(subscription, len(new)),
                    render_to_string("subscriptions/emails/digest.txt", context),
                    render_to_string("subscriptions/emails/digest.html", context),
                )
        return self.rendered[key]

    def advance_marks(self) -> None:
        """Every subscription gone through is checked up to now; those sent to, sent now."""
        for field, ids in (("checked_up_to", self.checked), ("last_sent_at", self.sent)):
            for start in range(0, len(ids), UPDATE_BATCH):
                batch = ids[start : start + UPDATE_BATCH]
                Subscription.objects.filter(pk__in=batch).update(**{field: self.now})


LISTS = {
    Kind.STORIES: "knowledge:story_list",
    Kind.ACTIVITIES: "activities:activity_list",
    Kind.BEST_PRACTICES: "knowledge:bestpractice_list",
    Kind.RESOURCES: "knowledge:resource_list",
    Kind.CALLS: "calls:call_list",
}


def list_url(subscription: Subscription) -> str:
    """The page listing what the subscription follows, in the active language."""
    try:
        path = reverse(LISTS[subscription.kind])
    except NoReverseMatch:  # the calls list, until the calls app lands
        path = reverse("home")
    if subscription.is_library_search and subscription.query:
        path = f"{path}?{subscription.query}"
    return links.absolute(path)


def digest_subject(subscription: Subscription, count: int) -> str:
    """The subject line, in the active language: what is new and how many."""
    subjects = {
        Kind.STORIES: ngettext("APAP: %(count)d new story", "APAP: %(count)d new stories", count),
        Kind.ACTIVITIES: ngettext(
            "APAP: %(count)d upcoming activity", "APAP: %(count)d upcoming activities", count
        ),
        Kind.CALLS: ngettext(
            "APAP: %(count)d call to members", "APAP: %(count)d calls to members", count
        ),
        Kind.BEST_PRACTICES: ngettext(
            "APAP: %(count)d new best practice matching your search",
            "APAP: %(count)d new best practices matching your search",
            count,
        ),
        Kind.RESOURCES: ngettext(
            "APAP: %(count)d new resource matching your search",
            "APAP: %(count)d new resources matching your search",
            count,
        ),
    }
    return subjects[subscription.kind] % {"count": count}
