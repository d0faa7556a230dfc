"""Where each query goes: the per-request routing state and the database router.

The middleware opens a `Routing` for a request whose reads may go to a replica; the
router reads it from a context variable. Outside such a request there is none, and
every query goes to the primary: the task worker, the scheduler, management commands,
migrations, members, staff and the admin.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

# Every replica's alias starts so (settings.py names them replica_0, replica_1, …).
REPLICA_PREFIX = "replica_"

# The replay position of a standby, in bytes of WAL; NULL on a server that is not one.
REPLAY_POSITION = "SELECT pg_last_wal_replay_lsn() - '0/0'"


def replica_aliases() -> list[str]:
    return [alias for alias in connections.settings if alias.startswith(REPLICA_PREFIX)]


def is_replica(alias: str) -> bool:
    return alias.startswith(REPLICA_PREFIX)


# Replicas found not answering, until when (time.monotonic()) they are left alone; per
# process, as connections are.
_down_until: dict[str, float] = {}
_turns = itertools.count()


def mark_down(alias: str, error: BaseException) -> None:
    seconds = settings.DATABASE_REPLICA_RETRY_SECONDS
    _down_until[alias] = time.monotonic() + seconds
    logger.warning(
        "Replica %s skipped for %s s, reads go to the primary (%s: %s)",
        alias,
        seconds,
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "",
    )


def is_down(alias: str) -> bool:
    until = _down_until.get(alias)
    if until is None:
        return False
    if time.monotonic() >= until:
        _down_until.pop(alias, None)
        return False
    return True


def _ask_position(connection) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(REPLAY_POSITION)
        (position,) = cursor.fetchone()
    return None if position is None else int(position)


def replay_position(alias: str) -> int | None:
    """Ask a replica how far it has replayed (this is also its health check), or raise."""
    connection = connections[alias]
    try:
        return _ask_position(connection)
    except (OperationalError, InterfaceError):
        # A connection kept from an earlier request may have died with its server's
        # restart: once more, on a new one, before the replica counts as down.
        connection.close()
        return _ask_position(connection)


@dataclass
class Routing:
    """One request's reading: may it use a replica, which one, and what it has done."""

    # How deep the primary's transactions are when the view runs (ATOMIC_REQUESTS' block):
    # anything deeper is the code's own transaction.atomic(), where reads lock rows.
    view_atomic_depth: int = 0
    replica: str | None = None
    # The chosen replica's replay position when chosen (caching.positions compares it).
    replica_position: int | None = None
    chosen: bool = False
    wrote: bool = False
    replica_failed: bool = False

    def choose(self) -> str | None:
        """A replica that answers (once per request), or None for the primary."""
        if not self.chosen:
            self.chosen = True
            aliases = replica_aliases()
            start = next(_turns)
            for offset in range(len(aliases)):
                alias = aliases[(start + offset) % len(aliases)]
                if is_down(alias):
                    continue
                try:
                    self.replica_position = replay_position(alias)
                except (OperationalError, InterfaceError) as error:
                    connections[alias].close()
                    mark_down(alias, error)
                    continue
                self.replica = alias
                break
        return self.replica

    def reads_from_replica(self) -> bool:
        """True when the next read may go to a replica."""
        if self.wrote or self.replica_failed:
            return False
        # Inside the code's own transaction.atomic(): what it reads it may write back, or
        # lock (Django asks db_for_write for a SELECT … FOR UPDATE, the primary): the
        # primary, for every read of the transaction.
        return len(connections[DEFAULT_DB_ALIAS].atomic_blocks) <= self.view_atomic_depth


_routing: ContextVar[Routing | None] = ContextVar("replica_routing", default=None)


def current_routing() -> Routing | None:
    """The routing of the request being answered, if its reads may use a replica."""
    return _routing.get()


@contextmanager
def reading_from_replicas(routing: Routing) -> Iterator[Routing]:
    """Inside the block, reads may go to a replica, as `routing` allows."""
    token = _routing.set(routing)
    try:
        yield routing
    finally:
        _routing.reset(token)


class ReplicaRouter:
    """Reads of the public's requests to a replica; all else, and all writes, to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        routing = _routing.get()
        if routing is None or not routing.reads_from_replica():
            return DEFAULT_DB_ALIAS if replica_aliases() else None
        return routing.choose() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str | None:
        if not replica_aliases():
            return None
        if (routing := _routing.get()) is not None:
            # From now on this request reads what it wrote: from the primary.
            routing.wrote = True
        # Also for an object read from a replica: a replica accepts no write.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replicas hold the primary's rows: an object from one may point to the other's.
        databases = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        if all(db == DEFAULT_DB_ALIAS or is_replica(db) for db in databases):
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # A replica is a copy of the primary: only the primary is migrated.
        return False if is_replica(db) else None


def watch_replica(connection, **kwargs) -> None:
    """On a replica's connection (`connection_created`): a failing query marks it down.

    The middleware then answers the request again from the primary.
    """
    if is_replica(connection.alias) and fail_over not in connection.execute_wrappers:
        connection.execute_wrappers.append(fail_over)


def fail_over(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError) as error:
        alias = context["connection"].alias
        # Not while choosing it (Routing.choose then tries the next one): in a read.
        if (routing := _routing.get()) is not None and routing.replica == alias:
            routing.replica_failed = True
            mark_down(alias, error)
        raise
