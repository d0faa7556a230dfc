"""Periodic work: the scheduler enqueues each task of PERIODIC_TASKS at its interval.

The tasks themselves decide what is due (a digest whose period has passed, a reminder
not yet sent, an email whose retry time has come), and record what they did in the
database. So running one twice, or late, or after a restart is harmless, and the
scheduler keeps no state of its own: it only says "look now" often enough.

One scheduler runs at a time: each holds a PostgreSQL advisory lock while it enqueues,
so a second one started on another machine waits as a standby.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.tasks import Task
from django.utils.module_loading import import_string

logger = logging.getLogger("apap_portal.scheduler")

# pg_try_advisory_lock's key: any number the portal uses for nothing else ("APAP").
LOCK_KEY = 0x41504150


@dataclass
class Periodic:
    name: str
    task: Task
    every_seconds: int


def periodic_tasks() -> list[Periodic]:
    """PERIODIC_TASKS, each task imported (a wrong path fails at start, not at 3 a.m.)."""
    return [
        Periodic(name, import_string(spec["task"]), int(spec["every_seconds"]))
        for name, spec in settings.PERIODIC_TASKS.items()
    ]


def _holds_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        return cursor.fetchone()[0]


def enqueue(periodic: Periodic) -> None:
    periodic.task.enqueue()
    logger.info("Enqueued %s.", periodic.name)


def enqueue_all(tasks: list[Periodic]) -> None:
    for periodic in tasks:
        enqueue(periodic)


def run(
    *,
    tasks: list[Periodic],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    keep_going: Callable[[], bool] = lambda: True,
    tick_seconds: float = 5,
) -> None:
    """Enqueue each task when its interval has passed, from the first tick on."""
    next_run = dict.fromkeys((periodic.name for periodic in tasks), clock())
    standby_logged = False
    while keep_going():
        if _holds_lock():
            standby_logged = False
            now = clock()
            for periodic in tasks:
                if now >= next_run[periodic.name]:
                    enqueue(periodic)
                    next_run[periodic.name] = now + periodic.every_seconds
        elif not standby_logged:
            logger.info("Another scheduler holds the lock; standing by.")
            standby_logged = True
        sleep(tick_seconds)
