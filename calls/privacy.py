"""A person's responses to calls: their text, the files they attached, when.

Erasing deletes the responses of the person's accounts, with their attachments (rows,
files once the erasure commits) and the copies the history keeps of them: a response is
the person's own words, which the secretariat keeps only as long as the person agrees.
"""

from __future__ import annotations

from django.db import transaction
from reversion.models import Version

from calls.models import CallResponse, CallResponseAttachment


def _responses(email: str):
    return CallResponse.objects.filter(user__email__iexact=email)


def personal_data(email: str) -> list[dict]:
    responses = _responses(email).select_related("call", "organization")
    return [
        {
            "call": response.call.title,
            "organization": response.organization.name,
            "text": response.text,
            "attachments": response.attachment_names,
            "received_at": response.created_at.isoformat(),
            "updated_at": response.updated_at.isoformat(),
        }
        for response in responses.prefetch_related("attachments").order_by("created_at")
    ]


def erase(email: str) -> int:
    responses = list(_responses(email).prefetch_related("attachments"))
    attachments = [file for response in responses for file in response.attachments.all()]
    for record in [*attachments, *responses]:
        Version.objects.get_for_object(record).delete()
    for attachment in attachments:
        name, storage = attachment.file.name, attachment.file.storage
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    CallResponseAttachment.objects.filter(pk__in=[file.pk for file in attachments]).delete()
    deleted, _ = CallResponse.objects.filter(pk__in=[r.pk for r in responses]).delete()
    return deleted
