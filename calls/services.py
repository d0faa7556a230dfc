"""A member's response to a call: saved with its attachments, the secretariat told of it.

Emails go through the outbox (`apap_portal.outbox`): stored in the same transaction as the
response, sent by the worker. Links in emails are absolute, built on `base_url` (the
site's root as the request saw it), in the site's default language.
"""

from __future__ import annotations

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from apap_portal.editing.history import revision
from apap_portal.outbox import send_email
from calls.models import Call, CallResponse, CallResponseAttachment
from members.models import User


class CallClosed(ValueError):
    """The call takes no response now: not open yet, or past its deadline."""


def call_response_save(
    call: Call,
    response: CallResponse,
    user: User,
    *,
    now: datetime.datetime,
    new_files: list[UploadedFile],
    removed: list[CallResponseAttachment],
    base_url: str,
) -> CallResponse:
    """Save a member's response (new or changed) with its files; a new one is announced to
    the secretariat by email. Refused once the call is closed, whatever the form said."""
    if not call.is_open(now):
        raise CallClosed(f"Call {call.pk} takes no response at {now.isoformat()}.")
    creating = response.pk is None
    response.call = call
    response.user = user
    if creating:
        response.organization_id = user.organization_id
    comment = "Responded to the call." if creating else "Changed the response."
    with revision(comment, user=user), transaction.atomic():
        response.save()
        # The file stays in storage: the response's history still names it.
        for attachment in removed:
            attachment.delete()
        for upload in new_files:
            attachment = CallResponseAttachment(response=response)
            attachment.file.save(upload.name, upload, save=True)
        if creating:
            _tell_the_secretariat(call, response, user, base_url)
    return response


def _tell_the_secretariat(call: Call, response: CallResponse, user: User, base_url: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New response to “%(call)s” from %(organization)s") % {
            "call": call.title,
            "organization": response.organization,
        }
        responses_url = urljoin(
            base_url, reverse("admin:calls_callresponse_changelist") + f"?call__id__exact={call.pk}"
        )
    send_email(
        to=settings.SECRETARIAT_EMAIL,
        subject=subject,
        template="calls/emails/new_response.txt",
        context={
            "call": call,
            "response": response,
            "user": user,
            "attachment_count": response.attachments.count(),
            "responses_url": responses_url,
        },
        kind="calls.new_response",
    )
