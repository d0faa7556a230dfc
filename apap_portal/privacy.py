"""The plumbing's personal data: emails sent to an address (apap_portal.personal_data).

Sent emails keep their address and subject for OUTBOX_KEEP_DAYS (their text is dropped
when they leave); erasing forgets them, and any still waiting is not sent.
"""

from __future__ import annotations

from apap_portal.outbox.models import Email


def personal_data(email: str) -> list[dict]:
    return [
        {
            "subject": row.subject,
            "kind": row.kind,
            "status": row.status,
            "queued_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in Email.objects.filter(to__iexact=email).order_by("created_at")
    ]


def erase(email: str) -> int:
    deleted, _ = Email.objects.filter(to__iexact=email).delete()
    return deleted
