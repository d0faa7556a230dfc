"""Cached values that follow the content: one idea, applied a few ways.

`cached(key, compute)` keeps what `compute()` returns together with the tables it read
and the generation each had (`apap_portal.caching.tables`). The value is served while
every one of those tables is unchanged; a write to any of them makes it stale at once,
and a write to any other table leaves it alone: publishing a best practice refreshes
the library's counts, the home page and the search rankings, and leaves the activity
calendar and the map cached. A value computed inside another (the facet counts inside
a page) counts among its tables, so the outer value follows the inner one's.

The key names what `compute()` depends on that the database does not say: the visitor's
audience, the filters asked for, the language of the URLs it builds. A queryset in the
key stands for its SQL, which holds the filters and the visibility rules. Anything
`compute()` reads from the database must be read inside it (not passed in already
loaded), or be part of the key.

The same entries serve whole pages for anonymous visitors (`caching.pages`) and
fragments of templates (`{% cached_fragment %}`, `apap_portal.templatetags.caching`);
docs/performance.md lists every use and what refreshes it.

With read replicas, a value computed on a standby that has not yet replayed a write its
generations count is served but not kept (`apap_portal.caching.positions`).

The cache must be shared by every server process (Redis, `REDIS_URL`) when there are
several: with each process's own memory, an edit refreshes the values of the process
that saved it at once, the others' within `timeout`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from apap_portal.caching import positions
from apap_portal.caching.tables import (
    everything_changed,
    generations,
    known_tables,
    read_elsewhere,
    reading,
    tables_changed,
)

__all__ = ["DEFAULT_TIMEOUT", "Computation", "cached", "everything_changed", "tables_changed"]

DEFAULT_TIMEOUT = 3600
PREFIX = "cached:"


@dataclass(frozen=True)
class Entry:
    """A cached value and the generation of each table it was computed from."""

    value: Any
    tables: dict[str, int]


class Uncacheable(Exception):
    """A key that stands for nothing definite (a queryset known to select nothing)."""


def key_text(key: tuple) -> str:
    """A key's parts as one text: querysets by their model and SQL, the rest as they print."""
    parts = []
    for part in key:
        if isinstance(part, QuerySet):
            try:
                # A queryset may read more than its SQL says (the language of
                # `.translated()`, apap_portal.translations.queries): it adds that.
                suffix = part.cache_key_suffix() if hasattr(part, "cache_key_suffix") else ""
                parts.append(f"{part.model._meta.label_lower}:{part.query}{suffix}")
            except EmptyResultSet as error:  # no SQL: nothing to keep it under
                raise Uncacheable from error
        else:
            parts.append(repr(part))
    return "\n".join(parts)


def cache_key(key: tuple) -> str:
    return PREFIX + hashlib.sha256(key_text(key).encode()).hexdigest()[:40]


def lookup(name: str) -> Entry | None:
    """The entry stored under `name` if every table it was computed from is unchanged."""
    entry = cache.get(name)
    if entry is None:
        return None
    if entry.tables and generations(entry.tables) != entry.tables:
        return None
    read_elsewhere(entry.tables)
    return entry


class Computation:
    """A value being computed: the tables it reads, from the generations before it began.

    with Computation() as computation:
        value = compute()
    computation.store(name, value, timeout)
    """

    def __enter__(self) -> Computation:
        # Before anything is read: a write that lands meanwhile leaves the value stale.
        self.before = generations(known_tables())
        self._reading = reading()
        self.tables = self._reading.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._reading.__exit__(*exc_info)

    def store(self, name: str, value: Any, timeout: Timeout) -> None:
        if not positions.replica_includes(self.tables):
            return  # computed on a replica behind these generations (caching.positions)
        tables = {table: self.before[table] for table in self.tables}
        seconds = timeout() if callable(timeout) else timeout
        cache.set(name, Entry(value, tables), seconds)


# Seconds, or a function that tells them once the value is computed.
type Timeout = int | Callable[[], int]


def cached[T](key: tuple, compute: Callable[[], T], timeout: Timeout = DEFAULT_TIMEOUT) -> T:
    """`compute()`'s value for `key`, computed again once a table it read has changed.

    `key` is a tuple: a name first, then whatever else the value depends on that is not
    in the database (see the module's docstring). At most `timeout` seconds old.
    """
    try:
        name = cache_key(key)
    except Uncacheable:
        return compute()
    if (entry := lookup(name)) is not None:
        return entry.value
    with Computation() as computation:
        value = compute()
    computation.store(name, value, timeout)
    return value
