"""`Authorization: Bearer <token>`: a member's personal token (api.models.ApiToken)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import ApiToken, token_hash

# How often a token's "last used" is written: reading the API should not write a row each time.
LAST_USED_EVERY = timedelta(minutes=5)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A request with a token reads as the token's member; a revoked or unknown token is 401.

    Without an Authorization header the reader is anonymous (public records only).
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token as “Authorization: Bearer <token>”.")
            )
        try:
            token = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        record = ApiToken.objects.select_related("user").filter(key_hash=token_hash(token)).first()
        if record is None or record.is_revoked or not record.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid, or was revoked."))
        now = timezone.now()
        if record.last_used_at is None or now - record.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        return record.user, record

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
