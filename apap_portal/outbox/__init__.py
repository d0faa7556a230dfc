"""Email through the outbox: written with the change that causes it, sent by the worker.

    send_email(to=..., subject=..., template="app/emails/x.txt", context={...})

renders the message now (in the site's default language unless `language` says
otherwise), stores it in the outbox in the current transaction, and enqueues the task
that sends it in that same transaction. `queue_emails` does the same for many rendered
messages at once (digests): give it a generator and memory stays bounded, whatever the
number of messages. See apap_portal/outbox/models.py for what happens after.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation


@dataclass
class Message:
    """A rendered email, ready for the outbox."""

    to: str
    subject: str
    body: str
    html_body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = ""


def one_line(text: str) -> str:
    """An email subject: no line breaks (a header cannot hold them), spaces collapsed."""
    return " ".join(str(text).split())


def render_message(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    html_template: str | None = None,
    headers: dict[str, str] | None = None,
    kind: str = "",
    language: str | None = None,
) -> Message:
    """Render one message in `language` (the site's default when not given)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return Message(
            to=to,
            subject=one_line(subject),
            body=render_to_string(template, context),
            html_body=render_to_string(html_template, context) if html_template else "",
            headers=dict(headers or {}),
            kind=kind,
        )


def send_email(**kwargs) -> None:
    """Render a message (see `render_message`) and queue it for the worker to send."""
    queue_emails([render_message(**kwargs)])


def _batches(messages: Iterable[Message], size: int) -> Iterator[list[Message]]:
    iterator = iter(messages)
    while batch := list(islice(iterator, size)):
        yield batch


def queue_emails(messages: Iterable[Message]) -> int:
    """Store the messages in the outbox and enqueue one sending task per batch.

    Both happen in the caller's transaction: roll it back and nothing is sent. Messages
    are read from `messages` one batch at a time (OUTBOX_BATCH_SIZE), so a generator of
    ten thousand digests never holds more than one batch in memory. Returns how many
    messages were queued; a message without an address is skipped with a warning.
    """
    from apap_portal.outbox.models import Email
    from apap_portal.outbox.tasks import logger, send_emails

    queued = 0
    for batch in _batches(messages, settings.OUTBOX_BATCH_SIZE):
        now = timezone.now()
        rows = []
        for message in batch:
            if not message.to:
                logger.warning("No address to send %r to; not sent.", message.subject)
                continue
            rows.append(
                Email(
                    to=message.to,
                    subject=message.subject,
                    body=message.body,
                    html_body=message.html_body,
                    headers=message.headers,
                    kind=message.kind,
                    next_attempt_at=now,
                )
            )
        if not rows:
            continue
        Email.objects.bulk_create(rows)
        send_emails.enqueue([row.pk for row in rows])
        queued += len(rows)
    return queued
