"""The secretariat's admin site: a home that says what needs doing, and a Markdown preview.

Django's admin home lists models; the secretariat starts its day from the work instead:
the submissions waiting for review (the longest-waiting first, and for how long), the
activities coming up, what was edited lately and by whom, and the reports. It is a
composition module (it names the apps), like the root URLconf.

Our own templates rather than an admin theme such as django-unfold: the secretariat's
needs are a few pages of work (this home, the review queue) and the partnership's
colours; unfold would restyle and re-template every admin page, its widgets and its
tests, for looks the admin's own CSS variables already give.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from apap_portal import markdown_preview, personal_data_admin
from apap_portal.landing import landing_url
from apap_portal.outbox.models import Email
from knowledge.models import BestPractice
from members.models import AccountRequest, ProfileChange

# What the home shows of each list: the rest is one link away.
HOME_ROWS = 8


@dataclass(frozen=True)
class ReportLink:
    label: str
    url_name: str
    permission: str


REPORTS = [
    ReportLink(
        _("Funding proposals"), "reports:funding_pipeline", "activities.view_fundingproposal"
    ),
    ReportLink(_("Cooperation report"), "reports:cooperation", "activities.view_activity"),
    ReportLink(
        _("One person's data: export or erase"),
        "admin:personal_data",
        personal_data_admin.PERMISSION,
    ),
]


def waiting_for_review(user) -> dict:
    """The oldest submissions waiting for review, and how many wait in all (two queries)."""
    if not user.has_perm("knowledge.view_bestpractice"):
        return {}
    waiting = BestPractice.objects.waiting_for_review()
    return {"waiting": list(waiting[:HOME_ROWS]), "waiting_count": waiting.count()}


def waiting_from_members(user) -> dict:
    """How many profile changes wait for review, and account requests for a decision (a query
    each, for staff who may see them)."""
    waiting = {}
    if user.has_perm("members.view_profilechange"):
        waiting["profile_changes_waiting"] = ProfileChange.objects.filter(
            status=ProfileChange.Status.SUBMITTED
        ).count()
    if user.has_perm("members.view_accountrequest"):
        waiting["account_requests_waiting"] = AccountRequest.objects.pending().count()
    return waiting


def upcoming_activities(user) -> dict:
    """The next activities, running ones first (one query)."""
    if not user.has_perm("activities.view_activity"):
        return {}
    today = timezone.localdate()
    upcoming = (
        Activity.objects.upcoming(today)
        .soonest_first(today)
        .select_related("work_area", "country")
        .defer("body", "outcomes", "search_vector")
    )
    return {"upcoming": list(upcoming[:HOME_ROWS])}


def viewable_records(user) -> Q:
    """The log entries of the kinds of record `user` may view (from the permissions the
    admin has loaded already: no query)."""
    if user.is_superuser:
        return Q()
    kinds = Q(pk__in=[])
    for permission in user.get_all_permissions():
        app_label, _dot, codename = permission.partition(".")
        action, _sep, model = codename.partition("_")
        if action in ("view", "change"):
            kinds |= Q(content_type__app_label=app_label, content_type__model=model)
    return kinds


def recent_edits(user) -> list[LogEntry]:
    """What the secretariat changed lately in the admin, whoever did it, in the kinds of
    record `user` may see (one query)."""
    edits = LogEntry.objects.filter(viewable_records(user)).select_related("user", "content_type")
    return list(edits.order_by("-action_time")[:HOME_ROWS])


def failed_emails(user) -> dict:
    """How many emails failed for good (one query), for those who may see the outbox."""
    if not user.has_perm("apap_portal.view_email"):
        return {}
    return {"failed_emails": Email.objects.filter(status=Email.Status.FAILED).count()}


def reports(user) -> list[dict]:
    return [
        {"label": report.label, "url": reverse(report.url_name)}
        for report in REPORTS
        if user.has_perm(report.permission)
    ]


class PortalAdminSite(admin.AdminSite):
    site_header = _("APAP secretariat")
    site_title = _("APAP portal admin")
    index_title = _("What needs doing")
    # At 1280 px the side menu took a quarter of the width the lists need; the home and
    # the breadcrumbs lead everywhere it did.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        user = request.user
        dashboard = {
            **failed_emails(user),
            **waiting_for_review(user),
            **waiting_from_members(user),
            **upcoming_activities(user),
            "recent_edits": recent_edits(user),
            "reports": reports(user),
        }
        return super().index(request, {**dashboard, **(extra_context or {})})

    def login(self, request, extra_context=None):
        # Without a `next` to go back to, staff land where their work is, as after the
        # site's own sign-in: the admin's form carries the address of `landing`.
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            landing = reverse("admin:landing", current_app=self.name)
            extra_context = {REDIRECT_FIELD_NAME: landing, **(extra_context or {})}
        return super().login(request, extra_context)

    def landing(self, request: HttpRequest) -> HttpResponse:
        return redirect(landing_url(request.user))

    def get_urls(self):
        return [
            # The members' preview (the same renderer and limits), for staff only here.
            path(
                "markdown-preview/",
                self.admin_view(markdown_preview.preview),
                name="markdown_preview",
            ),
            path("landing/", self.admin_view(self.landing), name="landing"),
            path(
                "personal-data/",
                self.admin_view(lambda request: personal_data_admin.person(request, self)),
                name="personal_data",
            ),
            *super().get_urls(),
        ]
