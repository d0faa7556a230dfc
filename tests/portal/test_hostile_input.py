"""Hostile input never breaks a page: every list, feed, search and report, and every form.

Anna (anonymous), Minh (member) and Emma (editor) send what scanners and attackers send
(Anna all of it, Minh and Emma the nastiest part, since only the rows they see differ):
unknown and malformed values for each filter of each list (enumerated from the
FilterSets themselves), absurd page numbers, a 5,000-character search, HTML and SQL
fragments, NUL bytes and repeated parameters. Mark (manager) sends garbage to the admin's
add form of each model. The answer is a page (200), a refusal (400) or "not found"
(404) — never a server error — and a form says what is wrong.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from activities.filters import ActivityFilter
from apap_portal.sitemaps import SITEMAPS
from knowledge.filters import BestPracticeFilter, ResourceFilter, StoryFilter
from knowledge.models import BestPractice, Theme
from members.filters import OrganizationFilter, ProtectedAreaFilter
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    FundingProposalFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    TransboundaryAreaFactory,
)
from tests.knowledge.test_submission import TWO_BLOCKS, practice_data

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "member", "editor"]
NEVER_BROKEN = {200, 400, 404}

LONG = "x" * 5000
# The nastiest first: members and editors, whose pages differ only in which rows they
# see, get those; anonymous visitors get every one.
HOSTILE_VALUES = [
    "a\x00b",
    LONG,
    "99999999999999999999999999",
    "<script>alert(1)</script>' OR '1'='1' --",
    "no-such-value",
    "-1",
    "1e309",
    "NaN",
    "२०२३",  # digits of another script: int() reads them
]
HOSTILE_PAGES = ["\x00", str(10**30), "-1", "abc", "0", "99999999999", "1.5", "", "last"]
HOSTILE_QUERIES = [
    LONG,
    "mangrove\x00forest",
    "<script>alert(1)</script>'; DROP TABLE members_country; --",
    '"unterminated phrase',
    "\x00",
    "-",
    "a & b | c !d",
    "rang:* (",
    "\\",
    "OR OR -",
    " " * 200,
]
NASTIEST = 4


def for_persona(persona: str, values: list[str]) -> list[str]:
    return values if persona == "anonymous" else values[:NASTIEST]


# Every list page with filters, and the feeds that share its filters.
FILTERED = {
    "/members/": OrganizationFilter,
    "/protected-areas/": ProtectedAreaFilter,
    "/protected-areas/map.geojson": ProtectedAreaFilter,
    "/protected-areas/map/0/0/0.geojson": ProtectedAreaFilter,
    "/activities/": ActivityFilter,
    "/activities/calendar.ics": ActivityFilter,
    "/knowledge/best-practices/": BestPracticeFilter,
    "/knowledge/resources/": ResourceFilter,
    "/stories/": StoryFilter,
}
# Every other page that reads its query string, or could be sent one.
OTHER_PAGES = [
    "/",
    "/about/",
    "/knowledge/",
    "/transboundary/",
    "/work-areas/knowledge-capacity/",
    "/in-numbers/",
    "/countries/",
    "/countries/vnm/",
    "/calls/",
    "/search/",
    "/feeds/stories/",
    "/feeds/stories/atom/",
    "/feeds/best-practices/",
    "/feeds/best-practices/atom/",
    "/sitemap.xml",
    *(f"/sitemap-{section}.xml" for section in SITEMAPS),
    "/robots.txt",
    "/my/",
    "/reports/cooperation/",
    "/reports/funding-proposals/",
]
# The parameters those pages read.
PAGE_PARAMETERS = ["q", "page", "p", "kind", "format", "partner", "period", "start", "end"]
PAGE_PARAMETERS += ["sort"]


@pytest.fixture
def content(member_org):
    """A little of everything, so that filters, facets and feeds have rows to work on."""
    area = ProtectedAreaFactory()
    TransboundaryAreaFactory(protected_areas=[area])
    ActivityFactory()
    practice = BestPracticeFactory(organization=member_org, protected_area=area)
    practice.themes.add(Theme.objects.first())
    ResourceFactory()
    StoryFactory()
    FundingProposalFactory()
    OrganizationFactory(slug="nbca")


@pytest.fixture
def clients(client, member_client, editor_client):
    return {"anonymous": client, "member": member_client, "editor": editor_client}


# Pages for some personas only answer the others with their access answer (test_access.py).
SIGNED_IN_PAGES = {"/my/", "/reports/cooperation/", "/reports/funding-proposals/"}
ACCESS_ANSWERS = {302, 403}


def assert_never_broken(client, url, params) -> None:
    response = client.get(url, params)
    allowed = NEVER_BROKEN | (ACCESS_ANSWERS if url.split("?")[0] in SIGNED_IN_PAGES else set())
    assert response.status_code in allowed, (url, params, response.status_code)


def filtered_list_views():
    """The routes whose view is a FilterView, found by walking the URL patterns."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if getattr(view_class, "filterset_class", None):
                    yield "/" + prefix + str(pattern.pattern), view_class.filterset_class

    return dict(walk(get_resolver().url_patterns))


def test_every_filtered_list_is_tested_with_its_own_filters():
    for url, filterset_class in filtered_list_views().items():
        assert FILTERED.get(url) is filterset_class, url


# Lists and feeds


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", FILTERED)
def test_each_filter_of_each_list_survives_hostile_values(content, clients, url, persona):
    client = clients[persona]
    filters = list(FILTERED[url].base_filters)
    for name in filters:
        for value in for_persona(persona, HOSTILE_VALUES):
            assert_never_broken(client, url, {name: value})
        # The same parameter repeated, and a list where one value is expected.
        assert_never_broken(client, f"{url}?{name}=1&{name}=2&{name}=no-such-value", {})
        assert_never_broken(client, f"{url}?{name}[]=1&{name}[]=2", {})
    # Every filter at once, each with a different kind of garbage.
    assert_never_broken(
        client,
        url,
        {name: HOSTILE_VALUES[number % len(HOSTILE_VALUES)] for number, name in enumerate(filters)},
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", [*FILTERED, "/search/", "/transboundary/"])
def test_page_numbers_and_searches_never_break_a_list(content, clients, url, persona):
    client = clients[persona]
    for page in for_persona(persona, HOSTILE_PAGES):
        assert_never_broken(client, url, {"page": page})
        assert_never_broken(client, url, {"q": "patrols", "page": page})
    for query in for_persona(persona, HOSTILE_QUERIES):
        assert_never_broken(client, url, {"q": query})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", OTHER_PAGES)
def test_other_pages_ignore_or_refuse_hostile_parameters(content, clients, url, persona):
    client = clients[persona]
    for value in for_persona(persona, [*HOSTILE_VALUES, *HOSTILE_PAGES[:4]]):
        assert_never_broken(client, url, dict.fromkeys(PAGE_PARAMETERS, value))
    assert_never_broken(client, f"{url}?q=a&q=b&page=1&page=2&p=1&p=x&kind=story&kind=x", {})


def test_a_hostile_search_is_shown_back_escaped(client, content):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# Forms


def form_errors(response) -> bool:
    """Whether the page shows what is wrong with the form sent."""
    context = response.context
    forms = [context[name] for name in ("form", "adminform") if context and name in context]
    return any(getattr(form, "form", form).errors for form in forms)


GARBAGE = ["\x00", "a\x00b", LONG, "<script>alert(1)</script>", "' OR 1=1 --", "-1", "😀"]


@pytest.mark.parametrize("value", GARBAGE)
def test_the_sign_in_form_answers_garbage_with_a_message(client, value):
    response = client.post("/accounts/login/", {"username": value, "password": value})

    assert response.status_code == 200
    assert form_errors(response)


def test_a_username_longer_than_any_is_refused_and_still_counted(client, member):
    """Intended to prevent a server error: django-axes keeps 255 characters of it."""
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": LONG, "password": "x"})

    assert response.status_code == 429


def test_the_sign_in_form_survives_missing_and_repeated_fields(client):
    for data in ["", "username=a&username=b&password=x&password=y", "password=only"]:
        response = client.post(
            "/accounts/login/", data, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
        assert form_errors(response)


@pytest.mark.parametrize("value", [*GARBAGE, "not-an-email", "a@b@c", "@example.org"])
def test_the_password_reset_form_answers_garbage(client, value, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": value})

    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert form_errors(response)
    assert mailoutbox == []


@pytest.mark.parametrize("value", GARBAGE)
def test_the_password_change_form_answers_garbage(member_client, value):
    response = member_client.post(
        "/accounts/password-change/",
        {"old_password": value, "new_password1": value, "new_password2": value + "x"},
    )

    assert response.status_code == 200
    assert form_errors(response)


@pytest.mark.parametrize(
    "value", [*GARBAGE, "https://evil.example/", "//evil.example", "/\\evil.example"]
)
def test_choosing_a_language_with_garbage_stays_on_the_site(client, value):
    response = client.post("/i18n/setlang/", {"language": value, "next": value})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.scheme == location.netloc == ""
    assert "evil.example" not in location.path.lstrip("/\\").split("/")[0]


@pytest.mark.parametrize("value", GARBAGE)
def test_the_submission_form_answers_garbage_in_every_field(member_client, value):
    names = [
        "title", "summary", "context", "challenge_description", "impacts", "lessons_learned",
        "protected_area", "countries", "themes", "ecosystems", "challenges", "gbf_targets",
        "language", "cover_image_alt", "contributors", "action",
        "blocks-0-title", "blocks-0-description", "blocks-0-id",
    ]  # fmt: skip
    fields = dict.fromkeys(names, value)
    response = member_client.post(
        "/knowledge/best-practices/submit/", practice_data(blocks=TWO_BLOCKS[:1], **fields)
    )

    assert response.status_code in {200, 400}
    assert form_errors(response) or response.context["blocks_error"]


@pytest.mark.parametrize("value", ["abc", "1000000000", "\x00", ""])
def test_the_submission_form_refuses_tampered_block_counts(member_client, value):
    response = member_client.post(
        "/knowledge/best-practices/submit/",
        practice_data(blocks=TWO_BLOCKS, **{"blocks-TOTAL_FORMS": value}),
    )

    assert response.status_code == 400
    assert "The building blocks could not be read" in response.text


def test_a_negative_block_count_reads_as_no_blocks(member_client):
    response = member_client.post(
        "/knowledge/best-practices/submit/",
        practice_data(blocks=TWO_BLOCKS, **{"blocks-TOTAL_FORMS": "-1"}),
    )

    assert response.status_code == 200
    assert not BestPractice.objects.exists()


@pytest.mark.parametrize("value", GARBAGE)
def test_the_cooperation_report_form_answers_garbage(editor_client, content, value):
    for params in [
        {"partner": value, "period": value},
        {"partner": "nbca", "start": value, "end": value},
        {"partner": "nbca", "start": "2023-02-30", "end": "99999-01-01"},
        {"partner": "nbca", "start": "2024-01-01", "end": "2023-01-01", "format": "csv"},
        {"partner": value, "period": "2023-H1", "format": value},
    ]:
        response = editor_client.get("/reports/cooperation/", params)
        assert response.status_code in {200, 400}, params
        if response.status_code == 400:
            assert form_errors(response)


def admin_add_urls():
    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
        for model in admin.site._registry
    ]


ADMIN_GARBAGE = ["\x00", LONG, "-1", "1e309"]


def admin_garbage_cases():
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
        for value in ADMIN_GARBAGE:
            # Autocomplete widgets once broke on these (apap_portal/admin_widgets.py).
            yield pytest.param(url, value, id=f"{url}-{value[:8]!r}")


@pytest.mark.parametrize(("url", "value"), list(admin_garbage_cases()))
def test_every_admin_add_form_answers_garbage(manager_client, content, url, value):
    page = manager_client.get(url)
    if page.status_code == 403:
        # Sign-in attempts and groups: managers add none; Protected Planet's figures
        # and the record of WDPA imports come from their import commands only; API tokens
        # are made by their members on /my/api-tokens/, responses to calls on the call's page.
        assert url.startswith(
            (
                "/admin/api/apitoken/",
                "/admin/calls/callresponse/",
                "/admin/apap_portal/email/",
                "/admin/axes/",
                "/admin/auth/group/",
                "/admin/countries/countrystatistics/",
                "/admin/members/wdpaimport/",
            )
        )
        return
    form = page.context["adminform"].form
    data = dict.fromkeys(form.fields, value)
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0",
                **{f"{prefix}-0-{name}": value for name in formset.formset.form.base_fields},
            }
        )

    response = manager_client.post(url, data)

    assert response.status_code == 200, (url, response.status_code)
    assert 'class="errornote"' in response.text


def test_the_admin_changelist_survives_hostile_parameters(manager_client, content):
    for url in [url.removesuffix("add/") for url in admin_add_urls()]:
        for value in ["\x00", LONG, "-1", "<script>"]:
            response = manager_client.get(url, {"q": value, "p": value, "o": value, "e": value})
            # The admin answers a changelist it cannot build with a redirect (?e=1).
            assert response.status_code in {200, 302, 403}, (url, value)


def test_anonymous_garbage_posts_to_the_admin_go_to_its_sign_in(content):
    response = Client().post("/admin/knowledge/bestpractice/add/", {"title": "\x00"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
