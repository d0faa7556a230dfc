"""The plumbing's own tables: the outbox of emails (apap_portal.outbox)."""

from apap_portal.outbox.models import Email

__all__ = ["Email"]
