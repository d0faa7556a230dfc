"""Cached figures that stay correct after edits: a generation counter for the content.

Figures computed from the content (the "in numbers" page) are cached under a key that
holds the current *content generation*. Every save, delete or change of a many-to-many
relation of a content model moves the generation forward, so the next request computes
afresh under a new key; the old entries are never read again and expire by themselves.

The generation starts from the clock (nanoseconds), not from 1: should the cache lose
the counter (eviction, a restart of Redis), it restarts from a number no older entry was
stored under.

Writes that send no signal do not move the generation: `QuerySet.update()`,
`bulk_create()` and `bulk_update()` (the WDPA import, the benchmark data), a database
restore. Code doing those calls `bump_content_generation()`; otherwise the cached
figures are at most `timeout` seconds old.

The counter lives in the cache: with several server processes (gunicorn workers, servers)
it must be a shared cache (Redis, `REDIS_URL`); with each process's own memory, an edit
refreshes the figures of the process that saved it at once, the others' within `timeout`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Literal

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "content-generation"
DEFAULT_TIMEOUT = 3600

# Who sees what: members and staff see the same published content (members-only items
# included); everyone else sees the public content. Drafts are never counted.
Audience = Literal["public", "members"]

# The models the cached figures are computed from. Their many-to-many relations count too.
CONTENT_MODELS = [
    "members.Country",
    "members.Organization",
    "members.Membership",
    "members.ProtectedArea",
    "activities.WorkArea",
    "activities.Activity",
    "knowledge.GbfTarget",
    "knowledge.Theme",
    "knowledge.BestPractice",
    "knowledge.Resource",
    "knowledge.Story",
]


def audience_of(user) -> Audience:
    """The visibility class of a visitor, which cached figures are keyed by."""
    # Imported here: the models import the search, which caches through this module.
    from members.models import is_member_or_staff

    return "members" if is_member_or_staff(user) else "public"


def content_generation() -> int:
    """The current generation of the content (set on first use)."""
    return cache.get_or_set(GENERATION_KEY, time.time_ns, timeout=None)


def bump_content_generation() -> None:
    """Make every cached figure stale: the next request computes afresh."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the counter is not in the cache (yet, or any more)
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def cached[T](
    name: str, audience: Audience, compute: Callable[[], T], timeout: int = DEFAULT_TIMEOUT
) -> T:
    """`compute()`'s value, cached for this audience and this generation of the content."""
    return cached_under(f"{name}:{audience}", compute, timeout)


def cached_for_queryset[T](
    name: str,
    queryset: QuerySet | tuple[QuerySet, ...],
    compute: Callable[[], T],
    timeout: int = DEFAULT_TIMEOUT,
) -> T:
    """`compute()`'s value, cached for the rows `queryset` (or each queryset) selects.

    The key is the SQL, which holds whatever decides the rows: the visitor's visibility
    rules, the filters, a date. A queryset built from the clock changes key as the clock
    moves (stories are "published by the minute" for that reason).
    """
    querysets = queryset if isinstance(queryset, tuple) else (queryset,)
    try:
        sql = "\n".join(f"{qs.model._meta.label_lower}:{qs.query}" for qs in querysets)
    except EmptyResultSet:  # a queryset known to select nothing has no SQL: nothing to keep
        return compute()
    digest = hashlib.sha256(sql.encode()).hexdigest()[:32]
    return cached_under(f"{name}:{digest}", compute, timeout)


def cached_under[T](name: str, compute: Callable[[], T], timeout: int = DEFAULT_TIMEOUT) -> T:
    """`compute()`'s value, cached under `name` in this generation of the content."""
    return cache.get_or_set(f"{name}:{content_generation()}", compute, timeout)


def _content_changed(sender, using=None, **kwargs) -> None:
    # Now, so that this process's next request sees the change; and again once the
    # transaction commits, so that figures computed meanwhile by another request (from
    # the data before the commit) are not kept under the new generation.
    bump_content_generation()
    transaction.on_commit(bump_content_generation, using=using)


def connect_content_signals() -> None:
    """Move the generation forward on every change of the content models (from `ready()`)."""
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        uid = f"apap_portal.caching.{label}"
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"{uid}.delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}.{field.name}",
            )
