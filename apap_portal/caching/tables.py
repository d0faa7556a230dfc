"""Which tables a cached value was computed from, and how far each has changed since.

Every table has a *generation*, a number in the cache that moves forward whenever a row
of the table is written. The portal learns of writes from the SQL itself: a wrapper on
every database connection (`watch_connection`) reads the statement about to run, and an
INSERT, UPDATE, DELETE or TRUNCATE moves the generation of the tables it names. So a
save, a delete, a many-to-many change (a row of the link table), `QuerySet.update()`,
`bulk_create()`, the WDPA import and the scale generator all count, whatever the model,
with no list of models to keep by hand. Only writes made outside this process's
connections go unseen — a database restored with pg_restore — and those call
`everything_changed()`.

With read replicas, a commit also records how far the primary's WAL had gone, for the
values computed on a replica (`positions`).

A write moves the generation at once, so that this transaction's next reads (a test, a
form that saves and then redirects) see it, and again when the transaction commits, so
that a value computed meanwhile by another request, from the data before the commit, is
not kept under the new generation.

The same wrapper notes the tables a SELECT names while a value is being computed
(`reading`): the value is stored with the generation each of those tables had before
the computation began, and is good as long as they all still have it.

Generations start from the clock (nanoseconds), not from 1: should the cache lose one
(eviction, a restart of Redis), it restarts from a number no older entry was stored under.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache as memoized

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction

from apap_portal.caching import positions

PREFIX = "table-generation:"

# The table a statement writes: Django quotes every table name it sends to PostgreSQL.
WRITTEN_TABLE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.I)
TRUNCATE = re.compile(r"^\s*TRUNCATE\b", re.I)
QUOTED_NAME = re.compile(r'"([^"]+)"')

# The sets of tables that the values being computed in this thread have read, innermost
# last: a value computed inside another (a count inside a page) counts for both.
_readers: ContextVar[tuple[set[str], ...]] = ContextVar("cache_table_readers", default=())


@memoized
def known_tables() -> frozenset[str]:
    """Every table of every installed model, link tables of many-to-many relations included."""
    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))


def table_of(model_or_table: type[models.Model] | str) -> str:
    return model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table


def _key(table: str) -> str:
    return f"{PREFIX}{table}"


def generations(tables: Iterable[str]) -> dict[str, int]:
    """The current generation of each table (in one cache request), set on first use."""
    tables = list(tables)
    found = cache.get_many([_key(table) for table in tables])
    current = {table: found.get(_key(table)) for table in tables}
    for table, generation in current.items():
        if generation is None:
            cache.add(_key(table), time.time_ns(), timeout=None)
            current[table] = cache.get(_key(table))
    return current


def tables_changed(*tables: type[models.Model] | str) -> None:
    """Move the generation of tables forward: what was computed from them is stale."""
    for table in {table_of(table) for table in tables}:
        try:
            cache.incr(_key(table))
        except ValueError:  # not in the cache (yet, or any more)
            cache.set(_key(table), time.time_ns(), timeout=None)


def everything_changed() -> None:
    """After writes the portal did not see (a restore): every cached value is stale."""
    tables_changed(*known_tables())


def written_tables(sql: str) -> set[str]:
    """The tables a statement writes, or an empty set for one that only reads."""
    if match := WRITTEN_TABLE.match(sql):
        return {match.group(1)}
    if TRUNCATE.match(sql):
        return set(QUOTED_NAME.findall(sql)) & known_tables()
    return set()


def watch_statement(execute, sql, params, many, context):
    """The wrapper of every statement: writes move generations, reads are noted."""
    sql_text = sql if isinstance(sql, str) else str(sql)
    written = written_tables(sql_text)
    if not written:
        if readers := _readers.get():
            read = set(QUOTED_NAME.findall(sql_text)) & known_tables()
            for tables in readers:
                tables |= read
        return execute(sql, params, many, context)
    result = execute(sql, params, many, context)
    tables_changed(*written)
    connection = context["connection"]
    if positions.replicas_configured():
        # Replicas replay the commit later: its position first (caching.positions).
        positions.after_commit(connection, written, tables_changed)
    else:
        transaction.on_commit(lambda: tables_changed(*written), using=connection.alias)
    return result


def watch_connection(connection, **kwargs) -> None:
    """Install the wrapper on a connection (the `connection_created` signal), once.

    First in the list: `connection.execute_wrapper()` removes the last one on exit, which
    must stay the one it added even when the connection opened inside it.
    """
    if watch_statement not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_statement)


@contextmanager
def reading() -> Iterator[set[str]]:
    """Collect the tables read inside the block (and report them to enclosing blocks too)."""
    tables: set[str] = set()
    token = _readers.set((*_readers.get(), tables))
    try:
        yield tables
    finally:
        _readers.reset(token)


def read_elsewhere(tables: Iterable[str]) -> None:
    """Tables a value read from the cache was computed from count as read by its users."""
    for reader in _readers.get():
        reader.update(tables)
