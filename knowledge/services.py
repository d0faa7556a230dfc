"""The review workflow of best practices: submit, request changes, publish.

Each step changes the status and tells the other side by email, through the outbox:
queued in the step's transaction, so a rolled-back save sends nothing, and sent by the
worker. Links in emails are absolute, built on `base_url` (the site's root as the
request saw it, e.g. `request.build_absolute_uri("/")`), and in the site's default
language: we do not know which language each reader prefers.

Each step is a revision of the practice's history, by the person who took it; inside
an admin view or the submission form, it joins the revision of that request.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apap_portal.editing.history import revision
from apap_portal.outbox import send_email
from knowledge.models import BestPractice
from members.models import User

Status = BestPractice.Status

# A member sends these for review (the ones they may edit); a reviewer publishes or sends
# back these.
SUBMITTABLE_STATUSES = BestPractice.EDITABLE_STATUSES
REVIEWABLE_STATUSES = frozenset({Status.SUBMITTED, Status.CHANGES_REQUESTED})


class InvalidTransition(ValueError):
    """The best practice is not in a status this step starts from."""


def _require_status(best_practice: BestPractice, allowed: frozenset[str], step: str) -> None:
    if best_practice.status not in allowed:
        raise InvalidTransition(
            f"Cannot {step} best practice {best_practice.pk} from status {best_practice.status!r}."
        )


def _absolute(base_url: str, path: str) -> str:
    return urljoin(base_url, path)


def _send(subject: str, template: str, context: dict, recipient: str) -> None:
    """Queue the email (in the default language) in the outbox, in this transaction: a
    rolled-back step sends nothing, and the worker sends, and retries, the rest."""
    send_email(
        to=recipient,
        subject=subject,
        template=template,
        context=context,
        kind="best practice review",
    )


def _submitter_email(best_practice: BestPractice) -> str:
    submitter = best_practice.submitted_by
    return submitter.email if submitter is not None else ""


def best_practice_submit(best_practice: BestPractice, user: User, *, base_url: str) -> None:
    """A member sends a best practice to the secretariat for review."""
    _require_status(best_practice, SUBMITTABLE_STATUSES, "submit")
    best_practice.status = Status.SUBMITTED
    best_practice.submitted_at = timezone.now()
    best_practice.submitted_by = user
    with revision("Submitted for review.", user=user):
        best_practice.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        review_url = _absolute(
            base_url, reverse("admin:knowledge_bestpractice_change", args=[best_practice.pk])
        )
        subject = _("Best practice submitted for review: %(title)s") % {
            "title": best_practice.title
        }
    _send(
        subject,
        "knowledge/emails/submitted.txt",
        {
            "best_practice": best_practice,
            "organization": best_practice.organization,
            "user": user,
            "review_url": review_url,
        },
        settings.SECRETARIAT_EMAIL,
    )


def best_practice_request_changes(
    best_practice: BestPractice, reviewer: User, message: str, *, base_url: str
) -> None:
    """A reviewer sends a best practice back to its submitter with what to change."""
    _require_status(best_practice, REVIEWABLE_STATUSES, "request changes to")
    message = message.strip()
    if not message:
        raise ValueError("A request for changes needs a message.")
    best_practice.status = Status.CHANGES_REQUESTED
    best_practice.review_message = message
    with revision("Changes requested.", user=reviewer):
        best_practice.save(update_fields=["status", "review_message", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        edit_url = _absolute(
            base_url,
            reverse("submissions:bestpractice_edit", kwargs={"slug": best_practice.slug}),
        )
        dashboard_url = _absolute(base_url, reverse("submissions:dashboard"))
        subject = _("Changes requested: %(title)s") % {"title": best_practice.title}
    _send(
        subject,
        "knowledge/emails/changes_requested.txt",
        {
            "best_practice": best_practice,
            "reviewer": reviewer,
            "message": message,
            "edit_url": edit_url,
            "dashboard_url": dashboard_url,
        },
        _submitter_email(best_practice),
    )


def best_practice_publish(best_practice: BestPractice, reviewer: User, *, base_url: str) -> None:
    """A reviewer publishes a best practice; its submitter learns where to find it."""
    _require_status(best_practice, REVIEWABLE_STATUSES, "publish")
    best_practice.status = Status.PUBLISHED
    if best_practice.published_at is None:
        best_practice.published_at = timezone.now()
    with revision("Published.", user=reviewer):
        best_practice.save(update_fields=["status", "published_at", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        public_url = _absolute(base_url, best_practice.get_absolute_url())
        subject = _("Published: %(title)s") % {"title": best_practice.title}
    _send(
        subject,
        "knowledge/emails/published.txt",
        {"best_practice": best_practice, "reviewer": reviewer, "public_url": public_url},
        _submitter_email(best_practice),
    )
