"""Subscribing, confirming, following a search, unsubscribing: what changes who gets email.

Double opt-in: asking to subscribe stores only the address (unconfirmed) and emails it a
signed link carrying what was asked for (`links.Request`); the subscriptions exist once
the link is confirmed. An address already confirmed is asked the same way for anything
new, so nobody can sign someone else up for mail. A member's subscriptions are tied to
their account and confirmed by their being signed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apap_portal.outbox import send_email
from subscriptions import links
from subscriptions.models import Subscriber, Subscription


def subscription_request(request: links.Request, language: str) -> None:
    """Email the address a link to confirm what it asked for (and store the address)."""
    try:
        with transaction.atomic():
            Subscriber.objects.get_or_create(
                email__iexact=request.email,
                defaults={"email": request.email, "language": language},
            )
    except IntegrityError:
        pass  # the same address, asked for at the same moment: it is there
    confirm_url = links.url_in(language, "subscriptions:confirm", links.confirmation_token(request))
    with translation.override(language):
        kinds = [Subscription.Kind(kind).label for kind in request.kinds]
        subject = _("Confirm your APAP subscription")
    send_email(
        to=request.email,
        subject=subject,
        template="subscriptions/emails/confirm.txt",
        context={"confirm_url": confirm_url, "kinds": kinds, "request": request},
        kind="subscriptions.confirm",
        language=language,
    )


def subscription_confirm(request: links.Request, language: str) -> Subscriber:
    """The address confirmed what it asked for: it subscribes, in the language it used."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(request.email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(email=request.email, language=language)
        subscriber.language = language
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.save(update_fields=["language", "confirmed_at"])
        for kind in request.kinds:
            if kind in Subscription.LIBRARY_KINDS:
                continue  # a saved search is followed by a signed-in member only
            subscription_add(
                subscriber,
                kind,
                request.frequency,
                work_areas=request.work_areas if kind == Subscription.Kind.ACTIVITIES else (),
                countries=request.countries if kind == Subscription.Kind.ACTIVITIES else (),
            )
    return subscriber


def subscriber_for_member(user) -> Subscriber:
    """A signed-in user's subscriber record: their account's, at their account's address.

    An address that subscribed before signing up becomes theirs (and confirmed: they
    proved it is theirs by signing in to an account with it).
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(user=user).first()
        if subscriber is None:
            subscriber = Subscriber.objects.select_for_update().with_email(user.email).first()
        if subscriber is None:
            subscriber = Subscriber(
                email=user.email, language=translation.get_language() or settings.LANGUAGE_CODE
            )
        if (subscriber.user_id, subscriber.email) != (user.pk, user.email) or (
            subscriber.confirmed_at is None
        ):
            _take_over_address(subscriber, user.email)
            subscriber.user = user
            subscriber.email = user.email
            subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
            subscriber.save()
    return subscriber


def _take_over_address(subscriber: Subscriber, email: str) -> None:
    """A member whose account's address changed to one that subscribed on its own: what
    that address followed becomes the member's, and its separate record goes."""
    if subscriber.pk is None:
        return  # a new record: no other has the address (it was looked for)
    other = Subscriber.objects.with_email(email).exclude(pk=subscriber.pk).first()
    if other is None:
        return
    other.subscriptions.update(subscriber=subscriber)
    other.delete()


def subscription_add(
    subscriber: Subscriber,
    kind: str,
    frequency: str,
    *,
    query: str = "",
    work_areas=(),
    countries=(),
) -> Subscription:
    """Follow something; following the same thing again only changes how often."""
    wanted_areas = sorted(int(getattr(area, "pk", area)) for area in work_areas)
    wanted_countries = sorted(int(getattr(country, "pk", country)) for country in countries)
    for existing in subscriber.subscriptions.filter(kind=kind, query=query).prefetch_related(
        "work_areas", "countries"
    ):
        areas = sorted(area.pk for area in existing.work_areas.all())
        countries_now = sorted(country.pk for country in existing.countries.all())
        if areas == wanted_areas and countries_now == wanted_countries:
            if existing.frequency != frequency:
                existing.frequency = frequency
                existing.save(update_fields=["frequency"])
            return existing
    subscription = Subscription.objects.create(
        subscriber=subscriber, kind=kind, frequency=frequency, query=query
    )
    subscription.work_areas.set(wanted_areas)
    subscription.countries.set(wanted_countries)
    return subscription


def unsubscribe(subscriber: Subscriber, subscription_id: int | None = None) -> int:
    """Stop one subscription, or all of them (None); how many stopped."""
    subscriptions = subscriber.subscriptions.all()
    if subscription_id is not None:
        subscriptions = subscriptions.filter(pk=subscription_id)
    return subscriptions.delete()[1].get(Subscription._meta.label, 0)


def subscriber_erase(subscriber: Subscriber) -> int:
    """Delete the subscriber and everything they follow: how many records went."""
    return subscriber.delete()[0]
