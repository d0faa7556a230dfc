"""/countries/ and /countries/<iso3>/: the countries of Asia and their progress toward
GBF Target 3, and each country's profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apap_portal.pdf import cached_pdf
from countries.coverage import coverage_of
from countries.downloads import countries_csv
from countries.linked_data import country_data
from countries.models import COUNTRY_ORDERS, DEFAULT_ORDER, countries_with_coverage
from countries.profiles import AreaGroup, SiteTally, profile_for
from members.models import Country, GovernanceType, IucnCategory, Realm, audience_of

DETAIL_TEMPLATE = "countries/country_detail.html"


@require_GET
def country_list(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("sort", DEFAULT_ORDER)
    if order not in COUNTRY_ORDERS:
        order = DEFAULT_ORDER  # a link from elsewhere may carry anything: no error for it
    if request.GET.get("format") == "csv":
        return countries_csv(request, countries_with_coverage(order))
    context = {
        "countries": countries_with_coverage(order),
        "order": order,
        "download_formats": ("csv",),
    }
    return render(request, "countries/country_list.html", context)


@require_GET
def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    if iso3 != iso3.lower():
        return HttpResponsePermanentRedirect(
            reverse("countries:detail", kwargs={"iso3": iso3.lower()})
        )
    return render(request, DETAIL_TEMPLATE, profile_context(request, iso3))


@transaction.non_atomic_requests  # it only reads, and a cached answer needs only the lookup
@require_GET
def country_pdf(request: HttpRequest, iso3: str) -> HttpResponse:
    """The country's profile as a printable PDF (apap_portal.pdf), cached until it changes."""
    if iso3 != iso3.lower():
        return HttpResponsePermanentRedirect(
            reverse("countries:pdf", kwargs={"iso3": iso3.lower()})
        )
    # The lookup, on every request; the rest is read inside the cached computation.
    record = Country.objects.filter(iso3=iso3.upper())
    if not record.exists():
        raise Http404("No country found.")

    def page() -> tuple[str, dict]:
        page_url = request.build_absolute_uri(reverse("countries:detail", kwargs={"iso3": iso3}))
        return DETAIL_TEMPLATE, {**profile_context(request, iso3), "page_url": page_url}

    return cached_pdf(
        request,
        record=record,
        audience=audience_of(request.user),
        page=page,
        name=iso3,
    )


def profile_context(request: HttpRequest, iso3: str) -> dict:
    """What the country's page shows (and its PDF prints)."""
    country = get_object_or_404(Country.objects.select_related("statistics"), iso3=iso3.upper())
    statistics = getattr(country, "statistics", None)  # None: nothing imported for it
    profile = profile_for(country, request.user)
    return {
        "country": country,
        "statistics": statistics,
        "coverage": coverage_of(statistics) if statistics else (),
        "profile": profile,
        "area_tables": area_tables(profile.protected_areas, profile.oecms),
        "structured_data": country_data(request, country),
    }


# The protected areas and OECMs side by side, by each dimension


@dataclass(frozen=True)
class AreaRow:
    key: str
    label: str
    protected_areas: AreaGroup | None
    oecms: AreaGroup | None


@dataclass(frozen=True)
class AreaTable:
    id: str
    parameter: str  # the protected-area list's filter of this dimension
    rows: tuple[AreaRow, ...]


def area_tables(protected_areas: SiteTally, oecms: SiteTally) -> tuple[AreaTable, ...]:
    def table(id: str, parameter: str, attribute: str, choices, label_of: Callable) -> AreaTable:
        pa_groups = {group.key: group for group in getattr(protected_areas, attribute)}
        oecm_groups = {group.key: group for group in getattr(oecms, attribute)}
        rows = tuple(
            AreaRow(key, label_of(key), pa_groups.get(key), oecm_groups.get(key))
            for key in choices.values
            if key in pa_groups or key in oecm_groups
        )
        return AreaTable(id, parameter, rows)

    def label(choices) -> Callable[[str], str]:
        return lambda key: str(choices(key).label)

    return (
        table("by-category", "iucn_category", "by_category", IucnCategory, label(IucnCategory)),
        table(
            "by-governance",
            "governance_type",
            "by_governance",
            GovernanceType,
            label(GovernanceType),
        ),
        table("by-realm", "realm", "by_realm", Realm, label(Realm)),
    )
