"""Members' personal API tokens: the token is shown once, only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every token starts with, so that a token pasted by mistake is recognised as ours.
TOKEN_PREFIX = "apap_"
# How much of a token its list shows, to tell one from another (never enough to use it).
SHOWN_CHARACTERS = 8


def token_hash(token: str) -> str:
    """The SHA-256 of a token: a token is 256 random bits, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def of(self, user) -> ApiTokenQuerySet:
        """A member's tokens, the newest first (their page on /my/)."""
        return self.filter(user=user).order_by("-created_at", "-id")


class ApiToken(models.Model):
    """A member's personal token for the API: it adds the members-only records."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “GIS workstation”.")
    )
    key_hash = models.CharField(_("hash of the token"), max_length=64, unique=True, editable=False)
    key_start = models.CharField(_("token starts with"), max_length=32, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_start}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


def api_token_create(user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the record, and the token itself (shown once, never stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=token_hash(token),
        key_start=token[: len(TOKEN_PREFIX) + SHOWN_CHARACTERS],
    )
    return record, token
