"""STUB until the lead's outbox lands on main (issue 19 point 1): same signature, sends at once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_email(
    *,
    to,
    subject,
    template,
    context,
    html_template=None,
    headers=None,
    kind="",
    language=None,
) -> None:
    if not to:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject = " ".join(str(subject).split())
    EmailMessage(subject, body, None, [to], headers=headers or {}).send()
