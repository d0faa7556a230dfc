"""Who follows what by email: subscribers (one per address) and what each follows.

A subscriber is an email address that asked to be told of new stories, activities, calls,
or — a member — of new best practices or resources matching a saved library search.
Nothing but the confirmation is ever sent to an address until it is confirmed (double
opt-in); a member's address is their account's, confirmed by their signing in.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import WorkArea
from members.models import Country, is_member_or_staff


def new_key() -> str:
    return secrets.token_urlsafe(16)


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def with_email(self, email: str) -> SubscriberQuerySet:
        """The subscriber of an address, however it is capitalised."""
        return self.filter(email__iexact=email.strip())


class Subscriber(models.Model):
    """An email address that follows something on the portal."""

    email = models.EmailField(_("email address"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the site they subscribed in: their emails are in it."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriber",
        help_text=_("A member's subscriptions follow their account (and its email address)."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Signed links carry it: changing it makes every link sent before invalid.
    key = models.CharField(_("link key"), max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_unique",
                violation_error_message=_("This address already subscribes."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def sees_members_only(self) -> bool:
        """Whether members-only items may reach this address: a signed-up, active member's only."""
        user = self.user
        return user is not None and user.is_active and is_member_or_staff(user)


class Subscription(models.Model):
    """One thing a subscriber follows, and how far its digests have got."""

    class Kind(models.TextChoices):
        STORIES = "stories", _("New stories")
        ACTIVITIES = "activities", _("Upcoming activities")
        CALLS = "calls", _("Calls to members and their deadlines")
        BEST_PRACTICES = "best-practices", _("Best practices matching a search")
        RESOURCES = "resources", _("Resources matching a search")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    # A saved search of the library: for members only.
    LIBRARY_KINDS = frozenset({Kind.BEST_PRACTICES, Kind.RESOURCES})
    PERIODS = {
        Frequency.DAILY: datetime.timedelta(days=1),
        Frequency.WEEKLY: datetime.timedelta(days=7),
    }

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    work_areas = models.ManyToManyField(
        WorkArea,
        verbose_name=_("work areas"),
        blank=True,
        related_name="+",
        help_text=_("Activities: only those of these work areas (none: all)."),
    )
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries"),
        blank=True,
        related_name="+",
        help_text=_("Activities: only those in or with these countries (none: all)."),
    )
    query = models.CharField(
        _("saved search"),
        max_length=1000,
        blank=True,
        help_text=_("The library list's own search and filters, as in its address (q=…&theme=…)."),
    )
    # The high-water mark: everything published up to it was considered for a digest.
    checked_up_to = models.DateTimeField(_("checked up to"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["subscriber", "kind", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["frequency", "checked_up_to"])]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.get_kind_display()}"

    @property
    def period(self) -> datetime.timedelta:
        return self.PERIODS[self.frequency]

    @property
    def is_library_search(self) -> bool:
        return self.kind in self.LIBRARY_KINDS
