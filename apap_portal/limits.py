"""How often one address, or one email address, may ask for what costs an email or a guess.

Sign-ins from one address across every username, password resets from one address and
for one email address: each kind of request has a rate in `settings.REQUEST_LIMITS`
("30/h": thirty an hour, `m` for minutes, `d` for days), which the environment sets. The
counting is django-ratelimit's, in the cache: with several server processes it must be
the shared Redis cache (`REDIS_URL`), or each process counts apart. The address is the
one sign-in throttling trusts (`apap_portal.signin.client_ip_address`). Forms that send
email to an address someone types (account requests, subscriptions) use the same
`limit_reached`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def limit_reached(request: HttpRequest, action: str, *, email: str | None = None) -> bool:
    """Count this request towards `action`'s limit; whether the limit is now passed.

    Counted per client address, or per email address when `email` is given (lower-cased,
    so that Ana@Example.org and ana@example.org are one).
    """
    rate = settings.REQUEST_LIMITS[action]
    if email is None:
        key = "ip"
    else:
        normalized = email.strip().lower()

        def key(group, request):
            return normalized

    return is_ratelimited(
        request, group=f"apap:{action}", key=key, rate=rate, method=ALL, increment=True
    )
