"""A person's API tokens (names and dates; the tokens themselves are never stored)."""

from __future__ import annotations

from api.models import ApiToken


def personal_data(email: str) -> list[dict]:
    return [
        {
            "name": token.name,
            "created_at": token.created_at.isoformat(),
            "revoked": token.revoked_at is not None,
        }
        for token in ApiToken.objects.filter(user__email__iexact=email).order_by("created_at")
    ]


def erase(email: str) -> int:
    deleted, _ = ApiToken.objects.filter(user__email__iexact=email).delete()
    return deleted
