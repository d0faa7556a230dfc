"""The API's rate limits: per address without a token, per token with one.

The rates come from settings.API_RATE_LIMITS (from the environment), read at each request
so that a test or a deployment may change them; the counts are kept in the portal's cache
(Redis in production), which every app server shares. A reader over the limit is answered
429 with Retry-After.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from apap_portal.signin import client_ip_address
from api.models import ApiToken


class PortalRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str:
        return settings.API_RATE_LIMITS[self.scope]


class AddressRateThrottle(PortalRateThrottle):
    """Readers without a token, counted per address (behind the trusted proxies)."""

    scope = "address"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiToken):
            return None
        address = client_ip_address(request._request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": address}


class TokenRateThrottle(PortalRateThrottle):
    """Readers with a member's token, counted per token."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
