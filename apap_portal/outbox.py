"""STUB until the lead's outbox lands on main (issue 19 point 1): same signatures, sends on commit.

Deleted when main is merged into `subs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


@dataclass
class Message:
    to: str
    subject: str
    body: str
    html_body: str = ""
    headers: dict = field(default_factory=dict)
    kind: str = ""


def _email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        message.subject, message.body, None, [message.to], headers=message.headers
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    return email


def send_email(
    to, subject, template, context, html_template=None, headers=None, kind="", language=None
):
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        html = render_to_string(html_template, context) if html_template else ""
    message = Message(to, " ".join(str(subject).split()), body, html, headers or {}, kind)
    transaction.on_commit(lambda: _email(message).send())


def queue_emails(messages: Iterable[Message]) -> int:
    emails = [_email(message) for message in messages]
    transaction.on_commit(lambda: get_connection().send_messages(emails))
    return len(emails)
