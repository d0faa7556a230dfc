"""Killing the worker in the middle of a run loses no email.

A real `manage.py db_worker` process sends a queue of emails to a local SMTP server that
takes its time; it is killed (SIGKILL: no graceful stop) after a few; the scheduler's
periodic resend and a new worker send the rest. The rows are committed, for the other
processes to see, outside any test transaction, and removed afterwards: no flush, so
the reference data the other tests of this process need stays.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django_tasks_db.models import DBTaskResult

from apap_portal.outbox import Message, queue_emails
from apap_portal.outbox.models import Email
from apap_portal.outbox.tasks import MARK_SENT_EVERY
from tests.processes import manage, start_manage


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            Email.objects.all().delete()
            DBTaskResult.objects.all().delete()


class SlowSink:
    """A local SMTP server that takes its time over each message and records it."""

    def __init__(self):
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.05)
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def smtp_sink():
    sink = SlowSink()
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_killing_the_worker_in_the_middle_of_a_run_loses_no_email(committed, smtp_sink):
    sink, port = smtp_sink
    database = connection.settings_dict["NAME"]
    environment = {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "OUTBOX_BATCH_SIZE": "50",
        "OUTBOX_CLAIM_SECONDS": "2",
        "DJANGO_DEBUG": "true",
    }
    addresses = [f"subscriber{number}@example.org" for number in range(40)]
    queue_emails(Message(to=to, subject="Digest", body="News.") for to in addresses)

    worker = start_manage(
        "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1",
        database=database, **environment,
    )  # fmt: skip
    try:
        assert _wait_for(lambda: len(sink.received) >= 5, 60), "the worker sent nothing"
        worker.send_signal(signal.SIGKILL)  # no graceful stop: as a crash or an OOM kill
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    sent_before = len(set(sink.received))
    assert 5 <= sent_before < len(addresses), "the worker was not killed in the middle"
    unfinished = Email.objects.exclude(status=Email.Status.SENT).count()
    assert unfinished >= len(addresses) - sent_before

    # Its claim runs out; the scheduler's periodic resend enqueues them; a new worker sends.
    time.sleep(2.5)
    resend = manage("scheduler", "--once", database=database, **environment)
    assert resend.returncode == 0, resend.stdout + resend.stderr
    batch = manage(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", database=database,
        **environment,
    )  # fmt: skip
    assert batch.returncode == 0, batch.stdout + batch.stderr

    assert set(sink.received) == set(addresses)
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
    # At least once, never zero: at most the few not yet recorded as sent came twice.
    assert len(sink.received) - len(addresses) <= MARK_SENT_EVERY
