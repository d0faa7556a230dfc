"""The real task worker, run inside a test: `manage.py db_worker --batch`.

Tests enqueue through the production backend (django-tasks-db, the queue in the test
database) and run the worker's own loop until the queue is empty. A task that raised
fails the test with its traceback, unless the test expects it.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_worker(*, allow_failures: bool = False) -> None:
    # The worker installs its own signal handlers (a graceful stop); give pytest its own back.
    handlers = {number: signal.getsignal(number) for number in _SIGNALS}
    try:
        # The worker closes connections between tasks, as requests do; the test's
        # connection holds its transaction, so it stays open (Django's test client does
        # the same for requests).
        with mock.patch(f"{db_worker.__name__}.close_old_connections"):
            call_command(
                "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
            )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    if not allow_failures:
        failed = DBTaskResult.objects.failed().first()
        assert failed is None, f"Task {failed.task_path} failed:\n{failed.traceback}"


class SentMail(Sequence):
    """The emails the worker has sent (pytest-django's outbox), read after the worker ran:
    as in production, a message queued by a request leaves when the worker takes it."""

    def _sent(self) -> list:
        run_worker()
        return list(mail.outbox)

    def __getitem__(self, index):
        return self._sent()[index]

    def __len__(self) -> int:
        return len(self._sent())

    def __iter__(self):
        return iter(self._sent())

    def __eq__(self, other) -> bool:
        return self._sent() == list(other)

    def __repr__(self) -> str:
        return repr(list(mail.outbox))
