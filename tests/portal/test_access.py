"""Who may open what: every URL pattern of the portal, for every persona, GET and POST.

Anna is an anonymous visitor, Minh a member, Oyuna a member of another organization,
Emma a secretariat editor and Mark a secretariat manager (tests/conftest.py); Emma and
Mark hold only what their groups give them (members/permissions.py).

Every URL pattern of the project — the pages (in English and under /vi/), the feeds,
the accounts pages and every admin URL — is walked, given real values (slugs and ids
of objects made here), and asked by each persona with GET and with an empty POST. The
answer must be the one written in EXPECTED. A URL pattern missing from EXPECTED fails
the test: a new page gets its access decided on purpose, not by accident.

Posts go through the test client, which does not check CSRF tokens: the table says what
the view does with a post, and no answer may ever be a 500.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone
from PIL import Image

from activities.models import FocalActivity, WorkArea
from apap_portal.outbox.models import Email
from apap_portal.sitemaps import SITEMAPS
from api.models import api_token_create
from knowledge.models import Challenge, Ecosystem, GbfTarget, HomeHero, Theme
from members.models import AccountRequest, ProfileChange, WdpaImport
from members.permissions import EDITORS, GROUP_PERMISSIONS, MANAGERS, codenames, sync_groups
from subscriptions.models import Subscriber, Subscription
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    CallFactory,
    CallResponseFactory,
    CountryStatisticsFactory,
    FundingProposalFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    TransboundaryAreaFactory,
    UserFactory,
    country,
    translation,
)

pytestmark = pytest.mark.django_db

MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
PERSONAS = ("anonymous", "member", "other_member", "editor", "manager")
METHODS = ("GET", "POST")


# What an answer must be


@dataclass(frozen=True)
class Redirect:
    """A 302 to a path that starts with `to` (or is exactly `to`).

    `localized`: under /vi/ the target is under /vi/ too. `relative`: `to` follows the
    requested URL (the admin's /<id>/ sends to /<id>/change/).
    """

    to: str
    exact: bool = False
    localized: bool = False
    relative: bool = False

    def matches(self, response, url: str, language_prefix: str) -> bool:
        if response.status_code != 302:
            return False
        location = urlsplit(response["Location"]).path
        if self.relative:
            return location == url + self.to
        target = (language_prefix if self.localized else "") + self.to
        return location == target if self.exact else location.startswith(target)

    def __str__(self) -> str:
        return f"302 → {self.to}"


Expected = int | frozenset | Redirect


def answer_matches(expected: Expected, response, url: str, language_prefix: str) -> bool:
    if isinstance(expected, Redirect):
        return expected.matches(response, url, language_prefix)
    if isinstance(expected, frozenset):
        return response.status_code in expected
    return response.status_code == expected


SIGN_IN = Redirect("/accounts/login/", localized=True)
ADMIN_SIGN_IN = Redirect("/admin/login/")


# The table: EXPECTED[(route, persona, method)]

EXPECTED: dict[tuple[str, str, str], Expected] = {}


def expect(route: str, *, get: Expected | dict, post: Expected | dict) -> None:
    """Record the answers for one route; `get`/`post` are one answer for every persona,
    or a dict persona → answer."""
    for method, answers in (("GET", get), ("POST", post)):
        per_persona = answers if isinstance(answers, dict) else dict.fromkeys(PERSONAS, answers)
        assert set(per_persona) == set(PERSONAS), f"{route} {method}: name every persona"
        for persona, answer in per_persona.items():
            EXPECTED[(route, persona, method)] = answer


def everyone(answer: Expected) -> dict:
    return dict.fromkeys(PERSONAS, answer)


def signed_in(answer: Expected) -> dict:
    """Anyone signed in gets `answer`; a visitor is sent to sign in."""
    return {**everyone(answer), "anonymous": SIGN_IN}


def members_only(answer: Expected) -> dict:
    """Members (of any organization) get `answer`; staff without an organization 403."""
    return {**signed_in(answer), "editor": 403, "manager": 403}


def secretariat(answer: Expected) -> dict:
    """The secretariat gets `answer`; members are refused, a visitor is sent to sign in."""
    return {**signed_in(403), "editor": answer, "manager": answer}


def admin_staff(editor: Expected, manager: Expected | None = None) -> dict:
    """Every admin URL sends a visitor or a member (not staff) to the admin's sign-in."""
    return {
        **everyone(ADMIN_SIGN_IN),
        "editor": editor,
        "manager": editor if manager is None else manager,
    }


# Public pages: anyone reads them, and they answer only GET.
PUBLIC_PAGES = [
    "",
    "about/",
    "privacy/",
    "accessibility/",
    "members/",
    "members/<slug:slug>/",
    "members/<slug:slug>/pdf/",
    "protected-areas/",
    "protected-areas/map.geojson",
    "protected-areas/map/<int:zoom>/<int:x>/<int:y>.geojson",
    "protected-areas/<slug:slug>/",
    "protected-areas/<slug:slug>/pdf/",
    "protected-areas/<slug:slug>/boundary.geojson",
    "transboundary/",
    "activities/",
    "activities/calendar.ics",
    "activities/<slug:slug>/event.ics",
    "activities/<slug:slug>/",
    "work-areas/<slug:slug>/",
    "knowledge/",
    "knowledge/best-practices/",
    "knowledge/best-practices/<slug:slug>/",
    "knowledge/best-practices/<slug:slug>/pdf/",
    "knowledge/resources/",
    "knowledge/resources/<slug:slug>/",
    "stories/",
    "stories/<slug:slug>/",
    "search/",
    "in-numbers/",
    "countries/",
    "countries/<iso3>/",
    "data/",
    "data/catalog.jsonld",
    "countries/<iso3>/pdf/",
    "calls/",
    "robots.txt",
]
for route in PUBLIC_PAGES:
    expect(route, get=200, post=405)

# Feeds and sitemaps answer any method with the same document.
for route in [
    "sitemap.xml",
    "sitemap-<section>.xml",
    "feeds/stories/",
    "feeds/stories/atom/",
    "feeds/best-practices/",
    "feeds/best-practices/atom/",
]:
    expect(route, get=200, post=200)

# A call is public; responding (a POST) needs a member of a country it is for (here
# Viet Nam's: Minh, whose empty response is refused with the form's message).
expect(
    "calls/<slug:slug>/",
    get=200,
    post={**signed_in(403), "member": 400},
)

# Load balancers probe it with whatever method they like.
expect("healthz", get=200, post=200)
# The live Markdown preview of forms: signed-in users, by POST only (the test client
# skips CSRF; tests/knowledge/test_guided_form.py checks it).
expect("markdown-preview/", get=everyone(405), post={**everyone(200), "anonymous": 403})
# Uploaded files: this one belongs to a public resource (apap_portal/media.py).
expect("media/<path:path>", get=200, post=405)
# Choosing a language: back to the page (here none: the home page).
expect("i18n/setlang/", get=Redirect("/", exact=True), post=Redirect("/", exact=True))

# The JSON API (tests/api/ walks it with tokens): anyone reads it, by GET only.
API_COLLECTIONS = {
    "countries": "members.country",
    "organizations": "members.organization",
    "protected-areas": "members.protectedarea",
    "transboundary-areas": "members.transboundaryarea",
    "activities": "activities.activity",
    "best-practices": "knowledge.bestpractice",
    "resources": "knowledge.resource",
    "stories": "knowledge.story",
    "work-areas": "activities.workarea",
    "gbf-targets": "knowledge.gbftarget",
}
API_KEYS = {"countries": "<iso3>", "gbf-targets": "<number>"}
for route in ["api/v1/", "api/v1/openapi.json", "api/v1/docs/"]:
    expect(route, get=200, post=405)
for collection in API_COLLECTIONS:
    expect(f"api/v1/{collection}/", get=200, post=405)
    expect(f"api/v1/{collection}/{API_KEYS.get(collection, '<slug>')}/", get=200, post=405)

# Accounts
expect("accounts/login/", get=200, post=200)  # an empty form: shown again with errors
expect("accounts/logout/", get=405, post=Redirect("/", exact=True))
expect("accounts/password-change/", get=signed_in(200), post=signed_in(200))
expect("accounts/password-change/done/", get=signed_in(200), post=signed_in(405))
expect("accounts/password-reset/", get=200, post=200)
expect("accounts/password-reset/done/", get=200, post=405)
# With a link that does not work (the good link is tested in test_signin.py).
expect("accounts/password-reset/<uidb64>/<token>/", get=200, post=200)
expect("accounts/password-reset/complete/", get=200, post=405)

# Asking for an account: anyone (a signed-in person is told they have one); an empty
# form is shown again with its errors. The answer page is read only.
expect("accounts/request/", get=200, post=200)
expect("accounts/request/received/", get=200, post=405)

# Members' own pages
# An empty post has lost the building blocks' form counts: 400, the form is shown again.
expect("knowledge/best-practices/submit/", get=members_only(200), post=members_only(400))
# Minh's organization's draft: Oyuna and the secretariat cannot edit it here.
expect(
    "knowledge/best-practices/<slug:slug>/edit/",
    get={**signed_in(404), "member": 200},
    post={**signed_in(404), "member": 400},
)
expect("my/", get=signed_in(200), post=signed_in(200))
# The organization's profile: members edit their own; staff without one are told (403).
# An empty post has lost the focal points' form counts: 400, the form is shown again.
expect("my/organization/", get=members_only(200), post=members_only(400))
# API tokens: members and staff have their own; an empty form is shown again (400).
expect("my/api-tokens/", get=signed_in(200), post=signed_in(400))
# Minh's token: only Minh may revoke it (after a confirmation page).
expect(
    "my/api-tokens/<int:pk>/revoke/",
    get={**signed_in(404), "member": 200},
    post={**signed_in(404), "member": Redirect("/my/api-tokens/", exact=True, localized=True)},
)

# Subscriptions (issue 19): anyone subscribes by email; the pages of an email's signed
# links answer 400 to a link that does not work (here every one); a member's own page.
expect("subscribe/", get=200, post=200)  # an empty form: shown again with errors
expect("subscribe/sent/", get=200, post=405)
for route in [
    "subscribe/confirm/<str:token>/",
    "subscribe/manage/<str:token>/delete/",
    "subscribe/unsubscribe/<str:token>/",
]:
    expect(route, get=400, post=400)
expect("subscribe/manage/<str:token>/", get=400, post=405)
expect("my/subscriptions/", get=signed_in(200), post=signed_in(400))
# "Follow this search": members and staff; an empty post is refused, back to their page.
expect(
    "my/subscriptions/follow/",
    get=signed_in(405),
    post=signed_in(Redirect("/my/subscriptions/", exact=True, localized=True)),
)
# A subscription of nobody's here (stopping one's own: tests/subscriptions).
expect("my/subscriptions/<int:pk>/stop/", get=signed_in(405), post=signed_in(404))

# The secretariat's reports (need staff and the permission to view the records).
expect("reports/cooperation/", get=secretariat(200), post=secretariat(405))
expect("reports/funding-proposals/", get=secretariat(200), post=secretariat(405))


# The admin site

expect("admin/", get=admin_staff(200), post=admin_staff(200))
expect(
    "admin/login/",
    get={**everyone(200), "editor": Redirect("/admin/"), "manager": Redirect("/admin/")},
    post=200,  # an empty form: shown again with errors
)
# Signing out of the admin when not signed in to it: back to the admin's door.
expect(
    "admin/logout/",
    get={**everyone(Redirect("/admin/", exact=True)), "editor": 405, "manager": 405},
    post={
        **everyone(Redirect("/admin/", exact=True)),
        "editor": Redirect("/", exact=True),
        "manager": Redirect("/", exact=True),
    },
)
expect("admin/password_change/", get=admin_staff(200), post=admin_staff(200))
expect("admin/password_change/done/", get=admin_staff(200), post=admin_staff(405))
# Without its parameters, the autocomplete refuses.
expect("admin/autocomplete/", get=admin_staff(403), post=admin_staff(405))
expect("admin/jsi18n/", get=admin_staff(200), post=admin_staff(405))
# "View on site": to the object's public page.
expect(
    "admin/r/<path:content_type_id>/<path:object_id>/",
    get=admin_staff(Redirect("/members/")),
    post=admin_staff(Redirect("/members/")),
)
expect("admin/<app_label>/", get=admin_staff(200), post=admin_staff(200))
# The Markdown preview of the admin's forms: a post of the text.
expect("admin/markdown-preview/", get=admin_staff(405), post=admin_staff(200))
# Where the admin's sign-in leads without a `next`: the reviewers' queue.
expect(
    "admin/landing/",
    get=admin_staff(Redirect("/admin/knowledge/bestpractice/review/", exact=True)),
    post=admin_staff(Redirect("/admin/knowledge/bestpractice/review/", exact=True)),
)
# The review queue (needs the change permission, as its actions do); a row's Publish
# button comes back to it (the practice here is not waiting: it is skipped), Request
# changes first asks for the message.
expect("admin/knowledge/bestpractice/review/", get=admin_staff(200), post=admin_staff(405))
expect(
    "admin/knowledge/bestpractice/review/<int:pk>/publish/",
    get=admin_staff(405),
    post=admin_staff(Redirect("/admin/knowledge/bestpractice/review/", exact=True)),
)
expect(
    "admin/knowledge/bestpractice/review/<int:pk>/request-changes/",
    get=admin_staff(405),
    post=admin_staff(200),
)
# Any other admin path.
expect("admin/<url>", get=admin_staff(404), post=admin_staff(404))

# What a group may do with a kind of record in the admin.
NONE, VIEW, EDIT, FULL = "none", "view", "add+change+view", "add+change+delete+view"


def admin_model(label: str, *, editor: str, manager: str) -> None:
    """The admin URLs of one model, from what editors and managers may do with it."""
    base = "admin/{}/{}/".format(*label.split("."))

    def answer(level_needed: set[str], granted: int = 200) -> dict:
        return admin_staff(
            granted if levels["editor"] in level_needed else 403,
            granted if levels["manager"] in level_needed else 403,
        )

    levels = {"editor": editor, "manager": manager}
    may_view, may_add = {VIEW, EDIT, FULL}, {EDIT, FULL}
    expect(base, get=answer(may_view), post=answer(may_view))
    expect(f"{base}add/", get=answer(may_add), post=answer(may_add))
    expect(f"{base}<path:object_id>/history/", get=answer(may_view), post=answer(may_view))
    expect(f"{base}<path:object_id>/delete/", get=answer({FULL}), post=answer({FULL}))
    # Viewing the form needs view; sending it needs change.
    expect(f"{base}<path:object_id>/change/", get=answer(may_view), post=answer(may_add))
    expect(f"{base}<path:object_id>/", get=admin_staff(CHANGE_PAGE), post=admin_staff(CHANGE_PAGE))
    # History (django-reversion), for the admins that keep it: recovering a deleted
    # record needs add and change; a version that does not exist is not found.
    expect(f"{base}recover/", get=answer(may_add), post=answer(may_add))
    expect(f"{base}recover/(\\d+)/", get=answer(may_add, 404), post=answer(may_add, 404))
    expect(f"{base}([^/]+)/history/(\\d+)/", get=admin_staff(404), post=admin_staff(404))


CHANGE_PAGE = Redirect("change/", relative=True)

CONTENT = [
    "activities.activity",
    "activities.workarea",
    "activities.focalactivity",
    "knowledge.bestpractice",
    "knowledge.resource",
    "knowledge.story",
    "knowledge.theme",
    "knowledge.ecosystem",
    "knowledge.challenge",
    "knowledge.gbftarget",
    "knowledge.homehero",
    "members.organization",
    "members.membership",
    "members.protectedarea",
    "members.transboundaryarea",
    # Translations with an admin of their own (those of reference data are inlines).
    "activities.activitytranslation",
    "knowledge.bestpracticetranslation",
    "knowledge.resourcetranslation",
    "knowledge.storytranslation",
    "members.organizationtranslation",
    "members.protectedareatranslation",
]
for label in CONTENT:
    admin_model(label, editor=EDIT, manager=FULL)
admin_model("activities.fundingproposal", editor=EDIT, manager=FULL)
admin_model("calls.call", editor=EDIT, manager=FULL)
admin_model("calls.calltranslation", editor=EDIT, manager=FULL)
# Members' responses to calls: read by the secretariat, deleted by managers only.
admin_model("calls.callresponse", editor=VIEW, manager=VIEW)
expect(
    "admin/calls/callresponse/<path:object_id>/delete/",
    get=admin_staff(403, 200),
    post=admin_staff(403, 200),
)
admin_model("members.country", editor=VIEW, manager=FULL)
# Protected Planet's statistics: imported, never edited by hand.
admin_model("countries.countrystatistics", editor=VIEW, manager=VIEW)
# The record of each WDPA import: written by import_wdpa only.
admin_model("members.wdpaimport", editor=VIEW, manager=VIEW)
# Account requests: editors read them; managers decide them (and delete spam).
admin_model("members.accountrequest", editor=VIEW, manager=FULL)
# Members' profile changes: reviewed like best practices.
admin_model("members.profilechange", editor=EDIT, manager=FULL)
# Accounts: managers keep them, but delete none (they are deactivated).
admin_model("members.user", editor=NONE, manager=EDIT)
admin_model("auth.group", editor=NONE, manager=VIEW)
expect(
    "admin/members/user/<id>/password/",
    get=admin_staff(403, 200),
    post=admin_staff(403, 200),
)
# Members' API tokens: managers see and revoke them; nobody adds, changes or deletes one.
expect("admin/api/apitoken/", get=admin_staff(403, 200), post=admin_staff(403, 200))
expect("admin/api/apitoken/add/", get=admin_staff(403), post=admin_staff(403))
expect("admin/api/apitoken/<path:object_id>/delete/", get=admin_staff(403), post=admin_staff(403))
expect(
    "admin/api/apitoken/<path:object_id>/history/",
    get=admin_staff(403, 200),
    post=admin_staff(403, 200),
)
expect(
    "admin/api/apitoken/<path:object_id>/change/",
    get=admin_staff(403, 200),
    post=admin_staff(403, Redirect("/admin/api/apitoken/", exact=True)),
)
expect(
    "admin/api/apitoken/<path:object_id>/",
    get=admin_staff(CHANGE_PAGE),
    post=admin_staff(CHANGE_PAGE),
)
# The outbox: the secretariat sees what was sent and why one failed; managers send a
# failed one again (a change, from the list's action); nobody writes or deletes one.
expect("admin/apap_portal/email/", get=admin_staff(200), post=admin_staff(200))
for suffix in ["add/", "<path:object_id>/delete/"]:
    expect(f"admin/apap_portal/email/{suffix}", get=admin_staff(403), post=admin_staff(403))
expect(
    "admin/apap_portal/email/<path:object_id>/history/", get=admin_staff(200), post=admin_staff(200)
)
expect(
    "admin/apap_portal/email/<path:object_id>/change/",
    get=admin_staff(200),
    post=admin_staff(403, Redirect("/admin/apap_portal/email/", exact=True)),
)
expect(
    "admin/apap_portal/email/<path:object_id>/",
    get=admin_staff(CHANGE_PAGE),
    post=admin_staff(CHANGE_PAGE),
)
# One person's data, exported or erased: those who manage accounts.
expect("admin/personal-data/", get=admin_staff(403, 200), post=admin_staff(403, 200))
# Sign-in attempts (django-axes): superusers only.
for label in ["axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"]:
    admin_model(label, editor=NONE, manager=NONE)
# Subscribers' addresses (personal data): managers only.
for label in ["subscriptions.subscriber", "subscriptions.subscription"]:
    admin_model(label, editor=NONE, manager=FULL)

# Routes that exist only in some configurations: the history admin's (django-reversion)
# where a VersionAdmin is used.
OPTIONAL_ROUTE = re.compile(r"^admin/.*(recover/|history/\(\\d\+\)/)")


# The project's URL patterns


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project, as written (regexes tidied), and where it lives."""

    route: str
    localized: bool  # under i18n_patterns: answers at / and at /vi/

    def __str__(self) -> str:
        return self.route or "(home)"


def _tidy(pattern: str) -> str:
    """A regex pattern written readably: named groups as <name>, no anchors."""
    pattern = re.sub(r"\(\?P<(\w+)>[^()]*\)", r"<\1>", pattern)
    return pattern.removeprefix("^").removesuffix("$")


def project_routes(patterns=None, prefix: str = "", localized: bool = False):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            is_locale = isinstance(pattern.pattern, LocalePrefixPattern)
            yield from project_routes(
                pattern.url_patterns,
                prefix if is_locale else prefix + _tidy(str(pattern.pattern)),
                localized or is_locale,
            )
        elif isinstance(pattern, URLPattern):
            yield Route(prefix + _tidy(str(pattern.pattern)), localized)


ROUTES = sorted(set(project_routes()), key=lambda route: route.route)


# Real values for every part of every URL


def _secretariat_user(username: str, group: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def _make_records(media_root) -> dict:
    (media_root / "resources" / "2024").mkdir(parents=True)
    (media_root / "resources" / "2024" / "guidelines.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (media_root / "home" / "2026").mkdir(parents=True)
    picture = io.BytesIO()
    Image.new("RGB", (16, 9), (30, 120, 60)).save(picture, "JPEG")
    (media_root / "home" / "2026" / "rangers.jpg").write_bytes(picture.getvalue())
    organization = MemberOrganizationFactory(country=country("VNM"))
    users = {
        "member": UserFactory(organization=organization),
        "other_member": UserFactory(organization=MemberOrganizationFactory()),
        "editor": _secretariat_user("access-editor", EDITORS),
        "manager": _secretariat_user("access-manager", MANAGERS),
    }
    area = ProtectedAreaFactory(
        boundary=MultiPolygon(Polygon.from_bbox((84.0, 27.4, 84.6, 27.7)), srid=4326)
    )
    activity = ActivityFactory()
    practice = BestPracticeFactory(organization=organization)
    draft = BestPracticeFactory(
        organization=organization,
        submitted_by=users["member"],
        status="draft",
        published_at=None,
    )
    resource = ResourceFactory(file="resources/2024/guidelines.pdf")
    story = StoryFactory()
    work_area = WorkArea.objects.get(slug="knowledge-capacity")
    call = CallFactory(eligibility="countries", countries=[country("VNM")])
    attempt = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "minh",
               "http_accept": "text/html", "path_info": "/accounts/login/"}  # fmt: skip
    objects = {
        "activities.activity": activity,
        "activities.workarea": work_area,
        "activities.focalactivity": FocalActivity.objects.filter(work_area=work_area).first(),
        "activities.fundingproposal": FundingProposalFactory(),
        "calls.call": call,
        "calls.calltranslation": translation(call),
        "calls.callresponse": CallResponseFactory(call=call, user=users["member"]),
        "knowledge.bestpractice": practice,
        "knowledge.resource": resource,
        "knowledge.story": story,
        "knowledge.theme": Theme.objects.first(),
        "knowledge.ecosystem": Ecosystem.objects.first(),
        "knowledge.challenge": Challenge.objects.first(),
        "knowledge.gbftarget": GbfTarget.objects.first(),
        "knowledge.homehero": HomeHero.objects.create(
            title="Rangers", image="home/2026/rangers.jpg", image_alt="Two rangers"
        ),
        "members.country": country("VNM"),
        "countries.countrystatistics": CountryStatisticsFactory(),
        "members.wdpaimport": WdpaImport.objects.create(
            file_name="WDPA_Jan2026_Public_shp.zip",
            started_at=timezone.now(),
            finished_at=timezone.now(),
        ),
        "members.accountrequest": AccountRequest.objects.create(
            name="Lan", email="lan@vnforest.example", role="Officer", organization=organization
        ),
        "members.profilechange": ProfileChange.objects.create(
            organization=organization, status="submitted", submitted_by=users["member"]
        ),
        "members.user": users["member"],
        "api.apitoken": api_token_create(users["member"], "Laptop")[0],
        "apap_portal.email": Email.objects.create(
            to="minh@example.org", subject="Published", next_attempt_at=timezone.now()
        ),
        "members.organization": organization,
        "members.membership": organization.membership,
        "members.protectedarea": area,
        "members.transboundaryarea": TransboundaryAreaFactory(protected_areas=[area]),
        "auth.group": Group.objects.get(name=EDITORS),
        "axes.accessattempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**attempt),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt),
        "subscriptions.subscription": Subscription.objects.create(
            subscriber=Subscriber.objects.create(email="anna@example.org"), kind="stories"
        ),
    }
    objects["subscriptions.subscriber"] = objects["subscriptions.subscription"].subscriber
    for label in ["activities.activity", "knowledge.bestpractice", "knowledge.resource",
                  "knowledge.story", "members.organization", "members.protectedarea"]:  # fmt: skip
        objects[f"{label}translation"] = translation(objects[label])
    slugs = {
        "members/": organization.slug,
        "protected-areas/": area.slug,
        "activities/": activity.slug,
        "work-areas/": work_area.slug,
        "knowledge/best-practices/": practice.slug,
        "knowledge/resources/": resource.slug,
        "stories/": story.slug,
        "calls/": call.slug,
    }
    return {
        "users": users,
        "objects": objects,
        "slugs": slugs,
        "draft": draft,
        "media_root": media_root,
    }


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker, tmp_path_factory):
    """A record of each kind, made once for the ~200 tests of the table, and an uploaded
    file. They live in a transaction that is rolled back after this module."""
    media_root = tmp_path_factory.mktemp("media")
    fast_hashing = override_settings(PASSWORD_HASHERS=[MD5_HASHER])
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        yield _make_records(media_root)
        transaction.set_rollback(True)


@pytest.fixture
def world(records, settings):
    """The records, and a client for each persona (a test may sign one out)."""
    settings.MEDIA_ROOT = records["media_root"]
    settings.SENDFILE_ROOT = str(records["media_root"])
    clients = {"anonymous": Client()}
    for persona, user in records["users"].items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    return {**records, "clients": clients}


def concrete_url(route: str, world) -> str:
    """The route with each of its parameters given a real value."""
    if route.endswith("<slug:slug>/edit/"):
        return "/" + route.replace("<slug:slug>", world["draft"].slug)
    if "<slug:slug>" in route:
        slug = world["slugs"][route.split("<slug:slug>")[0]]
        return "/" + route.replace("<slug:slug>", slug)
    if route.startswith("my/subscriptions/<int:pk>/"):
        return "/" + route.replace("<int:pk>", "999999")
    if route.startswith("my/api-tokens/<int:pk>/"):
        return "/" + route.replace("<int:pk>", str(world["objects"]["api.apitoken"].pk))
    if route.startswith("api/v1/") and re.search(r"<(slug|number)>", route):
        record = world["objects"][API_COLLECTIONS[route.split("/")[2]]]
        key = record.number if route.endswith("<number>/") else record.slug
        return "/" + re.sub(r"<(slug|number)>", str(key), route)
    if route.startswith("admin/r/"):
        organization = world["objects"]["members.organization"]
        content_type = ContentType.objects.get_for_model(organization)
        return f"/admin/r/{content_type.pk}/{organization.pk}/"
    model_admin_path = re.match(r"admin/(\w+)/(\w+)/", route)
    if model_admin_path and f"{model_admin_path[1]}.{model_admin_path[2]}" in world["objects"]:
        obj = world["objects"][f"{model_admin_path[1]}.{model_admin_path[2]}"]
        route = route.replace("<path:object_id>", str(obj.pk)).replace("<id>", str(obj.pk))
        route = route.replace("<int:pk>", str(obj.pk))
        route = route.replace("([^/]+)", str(obj.pk)).replace("(\\d+)", "999999")
    values = {
        "<app_label>": "members",
        "<url>": "no-such-page/",
        "<section>": next(iter(SITEMAPS)),
        "<uidb64>": "MQ",
        "<token>": "not-a-valid-token",
        "<str:token>": "not-a-valid-token",
        "<path:path>": "resources/2024/guidelines.pdf",
        "<int:zoom>/<int:x>/<int:y>": "2/3/1",
        "<iso3>": "vnm",
    }
    for token, value in values.items():
        route = route.replace(token, value)
    assert not re.search(r"[<(]", route), f"no value for a parameter of {route}"
    return "/" + route


# The tests


def test_every_url_pattern_has_its_answers_in_the_table():
    missing = sorted(
        {
            str(route)
            for route in ROUTES
            for persona in PERSONAS
            for method in METHODS
            if (route.route, persona, method) not in EXPECTED
        }
    )
    assert not missing, (
        "Decide who may open these URL patterns and add them to EXPECTED: " + ", ".join(missing)
    )


def test_the_table_names_only_url_patterns_that_exist():
    existing = {route.route for route in ROUTES}
    stale = sorted(
        {
            route
            for route, _persona, _method in EXPECTED
            if route not in existing and not OPTIONAL_ROUTE.search(route)
        }
    )
    assert not stale, "EXPECTED names URL patterns the project no longer has: " + ", ".join(stale)


def test_the_walk_finds_the_pages_the_admin_and_the_vietnamese_pages():
    routes = {route.route: route for route in ROUTES}
    assert routes["knowledge/best-practices/<slug:slug>/"].localized
    assert not routes["healthz"].localized
    assert "admin/members/user/<path:object_id>/change/" in routes
    assert "admin/<url>" in routes


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_persona_gets_the_answer_of_the_table(route, world):
    language_prefixes = ["", "/vi"] if route.localized else [""]
    wrong = []
    for language_prefix in language_prefixes:
        url = language_prefix + concrete_url(route.route, world)
        for persona in PERSONAS:
            for method in METHODS:
                expected = EXPECTED.get((route.route, persona, method))
                assert expected is not None, f"{route}: no answer in EXPECTED for {persona}"
                client = world["clients"][persona]
                response = client.get(url) if method == "GET" else client.post(url, {})
                if not answer_matches(expected, response, url, language_prefix):
                    location = response.get("Location", "")
                    wrong.append(
                        f"{method} {url} as {persona}: expected {expected}, got "
                        f"{response.status_code} {location}".rstrip()
                    )
    assert not wrong, "\n".join(wrong)


# Beyond the table


def test_staff_without_a_group_may_open_the_admin_but_no_record_and_no_report(client):
    """The staff flag alone lets one in the admin's door, and no further."""
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/knowledge/bestpractice/").status_code == 403
    assert client.get("/reports/cooperation/").status_code == 403
    assert client.get("/reports/funding-proposals/").status_code == 403


def test_an_editor_cannot_delete_a_record_but_a_manager_can(editor_client, manager_client):
    story = StoryFactory()
    url = f"/admin/knowledge/story/{story.pk}/delete/"

    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert story.__class__.objects.filter(pk=story.pk).exists()

    assert manager_client.post(url, {"post": "yes"}).status_code == 302
    assert not story.__class__.objects.filter(pk=story.pk).exists()


def test_an_editor_cannot_give_himself_more_rights(editor, editor_client):
    response = editor_client.post(
        f"/admin/members/user/{editor.pk}/change/",
        {"username": editor.username, "is_superuser": "on", "is_staff": "on"},
    )

    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_a_manager_manages_accounts_but_deletes_none(manager_client, member):
    assert manager_client.get(f"/admin/members/user/{member.pk}/change/").status_code == 200
    response = manager_client.post(f"/admin/members/user/{member.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(member).objects.filter(pk=member.pk).exists()


def test_registered_admin_models_all_have_their_answers():
    """Intended to catch an admin registered without deciding who may use it."""
    labels = {model._meta.label_lower for model in admin.site._registry}
    decided = {
        ".".join(route.split("/")[1:3])
        for route, _persona, _method in EXPECTED
        if re.match(r"admin/\w+/\w+/$", route)
    }
    assert labels <= decided, sorted(labels - decided)


@pytest.mark.parametrize("group", GROUP_PERMISSIONS)
def test_the_groups_hold_exactly_the_permissions_of_their_table(group):
    """The data migration gave each group every permission of members/permissions.py
    (a misspelt model or action would be missing here), and nothing else."""
    held = Group.objects.get(name=group).permissions.values_list(
        "content_type__app_label", "codename"
    )

    assert set(held) == codenames(group)


def test_syncing_the_groups_again_takes_back_what_was_added_by_hand():
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.add(Permission.objects.get(codename="delete_activity"))

    sync_groups(apps)

    assert set(editors.permissions.values_list("content_type__app_label", "codename")) == (
        codenames(EDITORS)
    )
    assert Group.objects.filter(name__in=[EDITORS, MANAGERS]).count() == 2
