"""Cached values and read replicas: never keep a value under a generation it does not include.

A table's generation moves when a write to it commits on the primary (`tables`). A
replica shows that write a little later, when it has replayed it. A value computed on a
replica in between would otherwise be kept under the new generation while showing the
data before the write, and be served as current until the next write (or `timeout`).

So with replicas configured, each commit first records, per table it wrote, the
primary's WAL position after the commit (`after_commit`, one query a transaction), and
only then moves the tables' generations. The router reads the replica's replay position
before the request's first read from it (`Routing.replica_position`). A value computed
in such a request is kept only if the replica had replayed, before the computation read
anything, every recorded position of the tables the value read (`replica_includes`):
any commit its generations count was recorded before they moved, at or below that
position, so the replica's data includes it. Otherwise the value is served (it is what
the replica shows) and not kept; the next request computes it again.

The recorded positions only move forward (`_raise_to`, with the cache's atomic add and
incr), so two transactions committing at once cannot leave the older one's. One that is
missing (never written since the cache began, or evicted) is taken as the primary's
current position, which is at or after any commit made so far.

Without replicas none of this runs: no query, no cache key.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from apap_portal.replicas import router

PREFIX = "table-position:"
CURRENT_POSITION = "SELECT pg_current_wal_lsn() - '0/0'"


def _key(table: str) -> str:
    return f"{PREFIX}{table}"


def primary_position(alias: str = DEFAULT_DB_ALIAS) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute(CURRENT_POSITION)
        return int(cursor.fetchone()[0])


def _raise_to(key: str, position: int) -> None:
    """Set the cache key to `position` unless it already holds a later one."""
    while True:
        current = cache.get(key)
        if current is None:
            if cache.add(key, position, timeout=None):
                return
            continue  # another process added one meanwhile: compare with it
        if current >= position:
            return
        try:
            # What was read may have grown meanwhile: adding the difference keeps the
            # key at or above both (a later position, never an earlier one).
            cache.incr(key, position - current)
            return
        except ValueError:  # evicted meanwhile
            continue


class CommitBatch:
    """The tables one transaction wrote, recorded and moved on once when it commits."""

    def __init__(self, alias: str, on_recorded) -> None:
        self.alias = alias
        self.tables: set[str] = set()
        self.on_recorded = on_recorded

    def __call__(self) -> None:
        position = primary_position(self.alias)
        for table in self.tables:
            _raise_to(_key(table), position)
        self.on_recorded(*self.tables)


def after_commit(connection, tables: Iterable[str], move_generations) -> None:
    """When the transaction writing `tables` commits: record its position, then move them.

    One callback per transaction: it is found again among the connection's pending ones
    (gone when the transaction, or the savepoint that added it, rolled back).
    """
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, CommitBatch):
            callback.tables.update(tables)
            return
    batch = CommitBatch(connection.alias, move_generations)
    batch.tables.update(tables)
    transaction.on_commit(batch, using=connection.alias)


def replicas_configured() -> bool:
    return bool(router.replica_aliases())


def replica_includes(tables: Iterable[str]) -> bool:
    """Whether a value computed from `tables` in this request saw every write counted so far.

    True outside a request that reads from a replica, and when the server it reads from
    is no standby (its replay position is NULL).
    """
    routing = router.current_routing()
    if routing is None or routing.replica is None or routing.replica_position is None:
        return True
    tables = list(tables)
    if not tables:
        return True
    found = cache.get_many([_key(table) for table in tables])
    missing = [table for table in tables if _key(table) not in found]
    if missing:
        position = primary_position()
        for table in missing:
            _raise_to(_key(table), position)
        found.update(cache.get_many([_key(table) for table in missing]))
    return all(found.get(_key(table), 0) <= routing.replica_position for table in tables)
