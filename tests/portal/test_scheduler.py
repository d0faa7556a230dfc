"""The scheduler enqueues each periodic task at its interval, and only one scheduler at
a time does (the others stand by)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from apap_portal import scheduler
from apap_portal.outbox.tasks import prune, resend_due
from tests.processes import database_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _release_the_lock(db):
    """A scheduler holds its lock as long as its connection lives: the test's outlives it."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock_all()")


class Clock:
    """Time that passes only when the scheduler sleeps."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _run_for(seconds: float, tasks) -> None:
    clock = Clock()
    scheduler.run(
        tasks=tasks,
        clock=clock,
        sleep=clock.sleep,
        keep_going=lambda: clock.now < seconds,
        tick_seconds=5,
    )


def _enqueued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_each_periodic_task_is_enqueued_at_its_interval():
    tasks = [
        scheduler.Periodic("resend", resend_due, every_seconds=60),
        scheduler.Periodic("prune", prune, every_seconds=3600),
    ]

    _run_for(600, tasks)  # ten minutes

    enqueued = _enqueued()
    assert enqueued.count(resend_due.module_path) == 10
    assert enqueued.count(prune.module_path) == 1


def test_the_settings_name_tasks_that_exist():
    names = {periodic.name for periodic in scheduler.periodic_tasks()}
    assert "resend unsent emails" in names


def test_a_second_scheduler_stands_by_while_the_first_holds_the_lock():
    # Another scheduler, on another connection, holds the lock.
    with psycopg.connect(database_url(connection.settings_dict["NAME"]), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [scheduler.LOCK_KEY])
        _run_for(300, [scheduler.Periodic("resend", resend_due, every_seconds=60)])
        assert _enqueued() == []
        other.execute("SELECT pg_advisory_unlock(%s)", [scheduler.LOCK_KEY])

    # The first is gone: this one takes over.
    _run_for(60, [scheduler.Periodic("resend", resend_due, every_seconds=60)])
    assert _enqueued() == [resend_due.module_path]
