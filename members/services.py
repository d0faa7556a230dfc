"""Members serving themselves: account requests, and the review of their profile changes.

Every step that tells someone by email goes through the outbox (`apap_portal.outbox`):
the message is stored with the change that causes it, in the same transaction, so a
step that fails sends nothing and a committed one is sent by the worker. Links in emails
are absolute, built on `base_url` (the site's root as the request saw it), and emails
are written in the site's default language: we do not know each reader's.

A profile change follows the review pattern of best practices (knowledge/services.py):
a member submits it, the secretariat publishes it or asks for changes (or declines it);
each step is a revision of its history, by the person who took it.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from apap_portal.editing.history import revision
from apap_portal.outbox import send_email
from apap_portal.slugs import unique_slug
from members.models import (
    AccountRequest,
    FocalPoint,
    Organization,
    ProfileChange,
    User,
)

logger = logging.getLogger(__name__)


def _absolute(base_url: str, path: str) -> str:
    return urljoin(base_url, path)


def _in_default_language(function, *args, **kwargs):
    """Subjects and URLs of emails, in the site's default language (unprefixed)."""
    with translation.override(settings.LANGUAGE_CODE):
        return function(*args, **kwargs)


# Account requests


class AccountRequestRefused(ValueError):
    """The request cannot take this step; the message says why, for the secretariat."""


def account_request_receive(account_request: AccountRequest, *, base_url: str) -> None:
    """Record a request for an account and tell the secretariat."""
    with transaction.atomic():
        account_request.save()
        review_url, subject = _in_default_language(
            lambda: (
                _absolute(
                    base_url,
                    reverse("admin:members_accountrequest_change", args=[account_request.pk]),
                ),
                _("Account request: %(name)s, %(organization)s")
                % {
                    "name": account_request.name,
                    "organization": account_request.organization_label,
                },
            )
        )
        send_email(
            to=settings.SECRETARIAT_EMAIL,
            subject=subject,
            template="members/emails/account_requested.txt",
            context={"account_request": account_request, "review_url": review_url},
            kind="members.account_request",
        )


def _unique_username(email: str) -> str:
    """The email address, lower-cased, as the username; numbered if it is taken."""
    base = email.strip().lower()[: User._meta.get_field("username").max_length - 4]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _organization_for(account_request: AccountRequest, reviewer: User) -> Organization:
    """The organization chosen, or the one named: an existing one of that name, or a new one."""
    if account_request.organization_id:
        return account_request.organization
    name = " ".join(account_request.new_organization_name.split())
    existing = Organization.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    organization = Organization(
        name=name,
        slug=unique_slug(
            name,
            Organization.objects.all(),
            max_length=Organization._meta.get_field("slug").max_length,
            fallback="organization",
        ),
        kind=account_request.new_organization_kind,
        country=account_request.new_organization_country,
    )
    with revision("Created from an account request.", user=reviewer):
        organization.save()
    return organization


def set_password_url(user: User, base_url: str) -> str:
    """A link that lets `user` choose their password (Django's reset link: once, for a day)."""
    path = _in_default_language(
        reverse,
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return _absolute(base_url, path)


def _send_set_password_link(account_request: AccountRequest, user: User, base_url: str) -> None:
    send_email(
        to=user.email,
        subject=_in_default_language(lambda: _("Your account on the APAP portal")),
        template="members/emails/account_approved.txt",
        context={
            "account_request": account_request,
            "user": user,
            "set_password_url": set_password_url(user, base_url),
            "login_url": _absolute(base_url, _in_default_language(reverse, "login")),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        kind="members.account_approved",
    )


def account_request_approve(
    account_request: AccountRequest, reviewer: User, *, base_url: str
) -> User:
    """Create the account, linked to its organization, and email a set-password link.

    Approving an approved request again makes no second account: it sends the link again
    while the person has not chosen a password yet. An address that already has an
    account, or a declined request, is refused (`AccountRequestRefused`).
    """
    with revision("Approved.", user=reviewer):
        locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
        if locked.status == AccountRequest.Status.DECLINED:
            raise AccountRequestRefused(
                _("The request of %(email)s was declined; it cannot be approved.")
                % {"email": locked.email}
            )
        if locked.status == AccountRequest.Status.APPROVED and locked.user is not None:
            if not locked.user.has_usable_password():
                _send_set_password_link(locked, locked.user, base_url)
            return locked.user
        if User.objects.filter(email__iexact=locked.email).exists():
            raise AccountRequestRefused(
                _(
                    "%(email)s already has an account: no second one was made. Link that "
                    "account to the organization in Users, then decline this request."
                )
                % {"email": locked.email}
            )
        organization = _organization_for(locked, reviewer)
        user = User(
            username=_unique_username(locked.email),
            email=locked.email.strip(),
            first_name=locked.name[: User._meta.get_field("first_name").max_length],
            organization=organization,
        )
        # No password until they choose one from the emailed link.
        user.set_unusable_password()
        user.save()
        locked.status = AccountRequest.Status.APPROVED
        locked.organization = organization
        locked.user = user
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.save()
        _send_set_password_link(locked, user, base_url)
    account_request.refresh_from_db()
    return user


def account_request_decline(
    account_request: AccountRequest, reviewer: User, reason: str = ""
) -> bool:
    """Decline a pending request with a polite note; nothing is created. Whether it was pending."""
    with revision("Declined.", user=reviewer):
        locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
        if locked.status != AccountRequest.Status.PENDING:
            return False
        locked.status = AccountRequest.Status.DECLINED
        locked.decline_reason = reason.strip()
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.save()
        send_email(
            to=locked.email,
            subject=_in_default_language(lambda: _("Your request for an APAP portal account")),
            template="members/emails/account_declined.txt",
            context={"account_request": locked, "reason": locked.decline_reason},
            kind="members.account_declined",
        )
    account_request.refresh_from_db()
    return True


# Profile changes

Status = ProfileChange.Status
REVIEWABLE_STATUSES = frozenset({Status.SUBMITTED, Status.CHANGES_REQUESTED})


class InvalidTransition(ValueError):
    """The profile change is not in a status this step starts from."""


def _require_status(change: ProfileChange, allowed: frozenset[str], step: str) -> None:
    if change.status not in allowed:
        raise InvalidTransition(
            f"Cannot {step} profile change {change.pk} from status {change.status!r}."
        )


def _submitter_email(change: ProfileChange) -> str:
    return change.submitted_by.email if change.submitted_by is not None else ""


def profile_change_submit(change: ProfileChange, user: User, *, base_url: str) -> None:
    """A member sends their organization's profile change to the secretariat for review."""
    _require_status(change, ProfileChange.EDITABLE_STATUSES, "submit")
    change.status = Status.SUBMITTED
    change.submitted_at = timezone.now()
    change.submitted_by = user
    with revision("Submitted for review.", user=user):
        change.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        review_url, subject = _in_default_language(
            lambda: (
                _absolute(
                    base_url, reverse("admin:members_profilechange_change", args=[change.pk])
                ),
                _("Profile change submitted for review: %(organization)s")
                % {"organization": change.organization.name},
            )
        )
        send_email(
            to=settings.SECRETARIAT_EMAIL,
            subject=subject,
            template="members/emails/profile_submitted.txt",
            context={"change": change, "user": user, "review_url": review_url},
            kind="members.profile_submitted",
        )


def profile_change_request_changes(
    change: ProfileChange, reviewer: User, message: str, *, base_url: str
) -> None:
    """A reviewer sends the change back to its submitter with what to change."""
    _require_status(change, REVIEWABLE_STATUSES, "request changes to")
    message = message.strip()
    if not message:
        raise ValueError("A request for changes needs a message.")
    change.status = Status.CHANGES_REQUESTED
    change.review_message = message
    with revision("Changes requested.", user=reviewer):
        change.save(update_fields=["status", "review_message", "updated_at"])
        edit_url, subject = _in_default_language(
            lambda: (
                _absolute(base_url, reverse("members:profile_edit")),
                _("Changes requested to your organization's profile: %(organization)s")
                % {"organization": change.organization.name},
            )
        )
        send_email(
            to=_submitter_email(change),
            subject=subject,
            template="members/emails/profile_changes_requested.txt",
            context={"change": change, "message": message, "edit_url": edit_url},
            kind="members.profile_changes_requested",
        )


def profile_change_decline(
    change: ProfileChange, reviewer: User, message: str, *, base_url: str
) -> None:
    """A reviewer declines the change: the profile stays as published."""
    _require_status(change, REVIEWABLE_STATUSES, "decline")
    change.status = Status.DECLINED
    change.review_message = message.strip()
    with revision("Declined.", user=reviewer):
        change.save(update_fields=["status", "review_message", "updated_at"])
        subject = _in_default_language(
            lambda: (
                _("Your organization's profile change was not published: %(organization)s")
                % {"organization": change.organization.name}
            )
        )
        send_email(
            to=_submitter_email(change),
            subject=subject,
            template="members/emails/profile_declined.txt",
            context={"change": change, "message": change.review_message},
            kind="members.profile_declined",
        )


def _apply_logo(change: ProfileChange, organization: Organization) -> None:
    if change.remove_logo:
        organization.logo = ""
        organization.logo_alt = ""
        organization.logo_width = organization.logo_height = None
    elif change.logo:
        # Stored again as the organization's own (in its folder, in its widths).
        with change.logo.open("rb") as stored:
            organization.logo.save(PurePosixPath(change.logo.name).name, File(stored), save=False)
        organization.logo_alt = change.logo_alt
    elif organization.logo:
        organization.logo_alt = change.logo_alt


def _apply_focal_points(change: ProfileChange, organization: Organization) -> None:
    """The membership's focal points become those proposed: edited, added, removed."""
    membership = getattr(organization, "membership", None)
    if membership is None:
        return
    current = {point.pk: point for point in membership.focal_points.all()}
    kept = set()
    for proposed in change.focal_points.all():
        point = current.get(proposed.focal_point_id) or FocalPoint(membership=membership)
        point.name, point.role, point.email = proposed.name, proposed.role, proposed.email
        point.order = proposed.order
        point.save()
        kept.add(point.pk)
    for pk, point in current.items():
        if pk not in kept:
            point.delete()


def profile_change_publish(change: ProfileChange, reviewer: User, *, base_url: str) -> None:
    """Publish the change: the organization's page shows it from now on; the submitter is told."""
    _require_status(change, REVIEWABLE_STATUSES, "publish")
    with revision("Published a member's profile change.", user=reviewer):
        organization = Organization.objects.select_for_update().get(pk=change.organization_id)
        organization.description = change.description
        organization.website = change.website
        _apply_logo(change, organization)
        organization.save()
        _apply_focal_points(change, organization)
        change.status = Status.PUBLISHED
        change.published_at = timezone.now()
        change.save(update_fields=["status", "published_at", "updated_at"])
        public_url, subject = _in_default_language(
            lambda: (
                _absolute(base_url, organization.get_absolute_url()),
                _("Your organization's profile is updated: %(organization)s")
                % {"organization": organization.name},
            )
        )
        send_email(
            to=_submitter_email(change),
            subject=subject,
            template="members/emails/profile_published.txt",
            context={"change": change, "public_url": public_url},
            kind="members.profile_published",
        )
