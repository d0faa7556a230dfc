"""What a country's profile shows, computed once per audience and cached.

Everything counts or lists what the visitor may see (`listed_for(user)`): a members-only
protected area, activity or best practice is neither counted nor shown to the public.
Members and staff see the same published items, so they share one cached copy and the
public another (`audience_of`). The figures hold keys and numbers, never translated
labels; the latest records it lists are read in the reader's language, so each language
has its own copy.

Protected areas and OECMs are counted apart, as GBF Target 3 reports them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language

from activities.models import Activity
from apap_portal.caching import cached
from knowledge.models import BestPractice
from members.models import (
    Country,
    EffectivenessCounts,
    GovernanceType,
    IucnCategory,
    Organization,
    ProtectedArea,
    Realm,
    SiteType,
    audience_of,
)
from members.tallies import AreaGroup, RealmTotals, area_rows, grouped

CACHE_NAME = "country-profile"
# The latest activities and best practices a profile lists; the lists behind them hold all.
LATEST = 8


@dataclass(frozen=True)
class SiteTally(RealmTotals):
    """The country's protected areas, or its OECMs: how many, and by each dimension."""

    site_type: str
    by_category: tuple[AreaGroup, ...]  # in the IUCN order, categories holding any
    by_governance: tuple[AreaGroup, ...]
    by_realm: tuple[AreaGroup, ...]


@dataclass(frozen=True)
class Profile:
    members: tuple[Organization, ...]  # the country's organizations with a membership
    protected_areas: SiteTally
    oecms: SiteTally
    activities: tuple[Activity, ...]  # the latest first
    activity_count: int
    best_practices: tuple[BestPractice, ...]  # the latest first
    best_practice_count: int
    # Management effectiveness and the IUCN Green List, by site type ("pa", "oecm").
    effectiveness: dict[str, EffectivenessCounts] = field(default_factory=dict)


def sites_in(country: Country, user):
    """The visible sites the protected-area list shows for `?country=` (a site spanning
    several countries is in each), so that the profile's counts match its links."""
    return ProtectedArea.objects.listed_for(user).in_country(country, user)


def site_tallies(country: Country, user) -> dict[str, SiteTally]:
    """The visible sites of the country by site type, each by category, governance and
    realm: one GROUP BY."""
    rows = area_rows(
        sites_in(country, user),
        "site_type",
        "iucn_category",
        "governance_type",
        "realm",
    )

    tallies = {}
    for site_type in SiteType.values:
        of_type = [row for row in rows if row["site_type"] == site_type]
        tallies[site_type] = SiteTally(
            site_type=site_type,
            by_category=grouped(of_type, "iucn_category", IucnCategory.values),
            by_governance=grouped(of_type, "governance_type", GovernanceType.values),
            by_realm=grouped(of_type, "realm", Realm.values),
        )
    return tallies


def compute_profile(country: Country, user) -> Profile:
    """A country's profile for what `user` may see, in seven queries whatever the rows."""
    members = (
        Organization.objects.members()
        .filter(country=country)
        .select_related("membership", "country")
    )
    tallies = site_tallies(country, user)
    sites = sites_in(country, user)
    activities = Activity.objects.listed_for(user).in_country(country, user)
    practices = BestPractice.objects.listed_for(user).in_country(country, user)
    return Profile(
        members=tuple(members.order_by("name")),
        protected_areas=tallies[SiteType.PROTECTED_AREA],
        oecms=tallies[SiteType.OECM],
        activities=tuple(activities.for_list().order_by("-start_date", "title")[:LATEST]),
        activity_count=activities.count(),
        best_practices=tuple(practices.for_list(user).order_by("-published_at", "title")[:LATEST]),
        best_practice_count=practices.count(),
        effectiveness=sites.effectiveness_counts_by_site_type(),
    )


def profile_for(country: Country, user) -> Profile:
    """The profile, from the cache while nothing it read has changed; per audience and
    language."""
    key = (CACHE_NAME, country.iso3, audience_of(user), get_language())
    return cached(key, lambda: compute_profile(country, user))
