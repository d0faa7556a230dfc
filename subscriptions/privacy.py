"""What the portal holds of one email address as a subscriber, and erasing it.

For the secretariat's export and erasure of one person's data (issue 19, point 6); a
subscriber erases their own from the page their emails link to (views.delete).
"""

from __future__ import annotations

from subscriptions.models import Subscriber, Subscription


def _subscribers(email: str):
    return Subscriber.objects.with_email(email)


def personal_data(email: str) -> dict:
    """Everything stored for `email` as a subscriber, as plain data (JSON-ready); {} when
    the address is no subscriber."""
    subscribers = list(
        _subscribers(email)
        .select_related("user")
        .prefetch_related("subscriptions__work_areas", "subscriptions__countries")
    )
    if not subscribers:
        return {}
    return {
        "subscribers": [
            {
                "email": subscriber.email,
                "language": subscriber.language,
                "member_account": subscriber.user.get_username() if subscriber.user else None,
                "created_at": subscriber.created_at.isoformat(),
                "confirmed_at": (
                    subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None
                ),
                "subscriptions": [
                    _subscription_data(subscription)
                    for subscription in subscriber.subscriptions.all()
                ],
            }
            for subscriber in subscribers
        ]
    }


def _subscription_data(subscription: Subscription) -> dict:
    return {
        "kind": subscription.kind,
        "frequency": subscription.frequency,
        "saved_search": subscription.query,
        "work_areas": [area.slug for area in subscription.work_areas.all()],
        "countries": [country.iso3 for country in subscription.countries.all()],
        "created_at": subscription.created_at.isoformat(),
        "last_sent_at": (
            subscription.last_sent_at.isoformat() if subscription.last_sent_at else None
        ),
    }


def erase(email: str) -> int:
    """Delete the subscriber of `email` and their subscriptions: how many records went."""
    return _subscribers(email).delete()[0]
