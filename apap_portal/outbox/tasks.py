"""The worker's side of the outbox: claim, send, record; retry later, or give up.

Each message is claimed before it is sent (its row locked, skipped by any other worker
that holds it) and marked sent right after. A worker killed in the middle
leaves the messages it had not sent queued, and those it was sending claimed until
`OUTBOX_CLAIM_SECONDS` pass: `resend_due`, run every minute by the scheduler, enqueues
them again. Delivery is therefore at least once: messages are recorded as sent
`MARK_SENT_EVERY` at a time, so a worker killed between the mail server's "accepted"
and our "sent" sends those few twice, never zero times.

A message the mail server refuses is tried again after the delays of
`OUTBOX_RETRY_MINUTES`; after the last, it is `failed`, logged as an error, and listed
in the admin (Emails, "failed"), where staff can send it again.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from apap_portal.outbox.models import Email

logger = logging.getLogger("apap_portal.outbox")

Status = Email.Status
# How many messages a worker sends before it records them as sent, in one UPDATE.
MARK_SENT_EVERY = 10


def _claim(ids: list[int]) -> list[Email]:
    """Lock and claim those of `ids` that are due; others are sent, failed or taken."""
    now = timezone.now()
    claimed_until = now + datetime.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    with transaction.atomic():
        rows = list(
            Email.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids)
            .due(now)
            .order_by("pk")
        )
        Email.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Status.SENDING, claimed_until=claimed_until, attempts=F("attempts") + 1
        )
    for row in rows:
        row.attempts += 1
    return rows


def _renew_claim(rows: list[Email]) -> None:
    claimed_until = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    Email.objects.filter(pk__in=[row.pk for row in rows], status=Status.SENDING).update(
        claimed_until=claimed_until
    )


def _as_email_message(row: Email) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to],
        headers=row.headers,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    return message


def _mark_sent(ids: list[int]) -> None:
    if not ids:
        return
    Email.objects.filter(pk__in=ids).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
        body="",
        html_body="",
    )


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after the `attempts`-th failure; None when it was the last."""
    delays = settings.OUTBOX_RETRY_MINUTES
    if attempts > len(delays):
        return None
    return datetime.timedelta(minutes=delays[attempts - 1])


def _mark_failed(row: Email, error: Exception) -> None:
    description = f"{type(error).__name__}: {error}"[:2000]
    delay = retry_delay(row.attempts)
    if delay is None:
        Email.objects.filter(pk=row.pk).update(
            status=Status.FAILED, claimed_until=None, last_error=description
        )
        logger.error(
            "Email %s (%s) to %s failed for good after %s attempts: %s",
            row.pk, row.kind or "email", row.to, row.attempts, description,
        )  # fmt: skip
        return
    next_attempt_at = timezone.now() + delay
    Email.objects.filter(pk=row.pk).update(
        status=Status.QUEUED,
        claimed_until=None,
        next_attempt_at=next_attempt_at,
        last_error=description,
    )
    send_emails.using(run_after=next_attempt_at).enqueue([row.pk])
    logger.warning(
        "Email %s to %s not sent (attempt %s), tried again at %s: %s",
        row.pk, row.to, row.attempts, next_attempt_at.isoformat(), description,
    )  # fmt: skip


def deliver(ids: list[int]) -> int:
    """Send the due messages among `ids` over one connection; returns how many left."""
    rows = _claim(ids)
    if not rows:
        return 0
    connection = mailers.default
    try:
        connection.open()
    except Exception as error:  # the server is down: every message waits its retry
        for row in rows:
            _mark_failed(row, error)
        return 0
    sent = 0
    # Marked sent a few at a time (one UPDATE a message was a fifth of a worker's time):
    # a worker killed in between sends at most these few again.
    just_sent: list[int] = []
    # A slow server may take longer over the batch than its claim lasts: the claim of
    # what is left is renewed halfway, so no other worker takes a message still in hand.
    renew_at = time.monotonic() + settings.OUTBOX_CLAIM_SECONDS / 2
    try:
        for index, row in enumerate(rows):
            if time.monotonic() >= renew_at:
                _renew_claim(rows[index:])
                renew_at = time.monotonic() + settings.OUTBOX_CLAIM_SECONDS / 2
            try:
                connection.send_messages([_as_email_message(row)])
            except Exception as error:
                _mark_failed(row, error)
            else:
                just_sent.append(row.pk)
                sent += 1
                if len(just_sent) >= MARK_SENT_EVERY:
                    _mark_sent(just_sent)
                    just_sent = []
    finally:
        _mark_sent(just_sent)
        try:
            connection.close()
        except Exception:  # the messages are sent; a failed QUIT changes nothing
            logger.warning("The mail server did not close the connection cleanly.")
    return sent


@task()
def send_emails(ids: list[int]) -> int:
    """Send these messages of the outbox (those still due: a repeated task sends nothing)."""
    return deliver(ids)


@task()
def resend_due() -> int:
    """Enqueue again what is due and has no task on its way: retries whose task was lost
    and messages a stopped or killed worker had claimed. Run every minute by the scheduler."""
    now = timezone.now()
    # A message queued a moment ago has its task in the queue: leave it that moment.
    grace = now - datetime.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    ids = list(
        Email.objects.due(now)
        .filter(next_attempt_at__lte=grace)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.OUTBOX_BATCH_SIZE * 20]
    )
    for start in range(0, len(ids), settings.OUTBOX_BATCH_SIZE):
        send_emails.enqueue(ids[start : start + settings.OUTBOX_BATCH_SIZE])
    if ids:
        logger.info("Enqueued %s unsent emails again.", len(ids))
    return len(ids)


@task()
def prune() -> int:
    """Forget sent messages after OUTBOX_KEEP_DAYS, and the worker's finished tasks."""
    from django.core.management import call_command

    before = timezone.now() - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = Email.objects.filter(status=Status.SENT, sent_at__lt=before).delete()
    call_command("prune_db_task_results", min_age_days=settings.OUTBOX_KEEP_DAYS, verbosity=0)
    return deleted
