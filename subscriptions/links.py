"""The signed links of subscription emails: confirm, manage, unsubscribe.

Each is signed with the site's secret (django.core.signing), salted by what it does, so
that one kind of link cannot stand in for another. Managing and unsubscribing links name
the subscriber and their `key`: erasing the subscriber, or changing the key, makes every
link sent before worthless. A confirmation carries what was asked for, and nothing is
stored for it but the address until it is confirmed; it expires.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from subscriptions.models import Subscriber, Subscription

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
CONFIRMATION_VALID_FOR = datetime.timedelta(days=7)


class InvalidLink(Exception):
    """A link that was altered, has expired, or names a subscriber no longer here."""


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def url_in(language: str, name: str, token: str) -> str:
    """The absolute address of a signed page, in the subscriber's language (its prefix)."""
    with translation.override(language):
        return absolute(reverse(name, kwargs={"token": token}))


# Confirmation: what the visitor asked for, until they confirm it.


@dataclass(frozen=True)
class Request:
    """What a subscription form asked for (ids of work areas and countries)."""

    email: str
    kinds: tuple[str, ...]
    frequency: str
    work_areas: tuple[int, ...] = ()
    countries: tuple[int, ...] = ()


def confirmation_token(request: Request) -> str:
    payload = {
        "e": request.email,
        "k": list(request.kinds),
        "f": request.frequency,
        "w": list(request.work_areas),
        "c": list(request.countries),
    }
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_confirmation(token: str) -> Request:
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=CONFIRMATION_VALID_FOR.total_seconds()
        )
        kinds = tuple(str(kind) for kind in payload["k"])
        if not set(kinds) <= set(Subscription.Kind.values):
            raise InvalidLink
        return Request(
            email=str(payload["e"]),
            kinds=kinds,
            frequency=str(payload["f"]),
            work_areas=tuple(int(pk) for pk in payload["w"]),
            countries=tuple(int(pk) for pk in payload["c"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidLink from error


# Managing and unsubscribing: who, and (unsubscribing) which subscription, None for all.


def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.key], salt=MANAGE_SALT)


def unsubscribe_token(subscriber: Subscriber, subscription: Subscription | None = None) -> str:
    target = subscription.pk if subscription is not None else None
    return signing.dumps([subscriber.pk, subscriber.key, target], salt=UNSUBSCRIBE_SALT)


def _subscriber(pk, key) -> Subscriber:
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        raise InvalidLink
    return subscriber


def read_manage(token: str) -> Subscriber:
    try:
        pk, key = signing.loads(token, salt=MANAGE_SALT)
        return _subscriber(int(pk), str(key))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidLink from error


def read_unsubscribe(token: str) -> tuple[Subscriber, int | None]:
    try:
        pk, key, target = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        subscriber = _subscriber(int(pk), str(key))
        return subscriber, (int(target) if target is not None else None)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidLink from error
