"""The partnership in figures: what the "in numbers" page and its CSV show.

Every figure counts what the visitor may see, through the models' `listed_for(user)`
querysets (best practices and stories: their published ones only, so that members and
staff, who see the same published items, share one cached copy). The database does the
counting, in the same few queries whatever the number of rows: GROUP BYs over integer
keys, several in one UNION ALL (`counted`), never a count per row or per tag.

The figures hold keys, numbers and the names stored in the database (work areas, themes
and GBF targets named in the reader's language where a translation is published), never
the interface's labels: they are cached once per audience and language.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import get_language

from activities.models import Activity, WorkArea
from apap_portal.caching import cached
from knowledge.models import BestPractice, GbfTarget, Resource, Theme
from members.models import (
    Country,
    IucnCategory,
    Membership,
    ProtectedArea,
    Realm,
    SiteType,
    audience_of,
    if_visible,
)
from members.tallies import AreaGroup, RealmTotals, area_rows, grouped

CACHE_NAME = "in-numbers"


# Members and countries over time


@dataclass(frozen=True)
class MembershipYear:
    year: int
    joined: int  # members who joined that year
    members: int  # members who had joined by the end of the year
    new_countries: int  # countries whose first member joined that year
    countries: int  # countries with a member by the end of the year


@dataclass(frozen=True)
class MembershipFigures:
    """Memberships by year of joining (or of the letter of intent when that is all we have).

    A joining date known only to its month or year (`Membership.joined_on_precision`) is
    stored as the first day of it, so it counts in its year like any other. Members who
    later withdrew count from the year they joined: the record holds no
    withdrawal date. Members without any date are counted apart, never given one.
    """

    years: tuple[MembershipYear, ...]
    active_members: int
    active_countries: int
    withdrawn_members: int
    undated_members: int
    undated_countries: int  # countries with members, none of them with a date
    regional_members: int  # regional and international bodies: members without a country

    @property
    def total_members(self) -> int:
        return self.years[-1].members + self.undated_members if self.years else self.undated_members


def membership_figures(until_year: int) -> MembershipFigures:
    """Memberships over time, year by year up to `until_year` (or the last year joined)."""
    rows = (
        Membership.objects.order_by()
        .annotate(since=Coalesce("joined_on", "letter_of_intent_on"))
        .values("status", country=F("organization__country_id"), year=ExtractYear("since"))
        .annotate(count=Count("pk"))
    )
    joined: Counter[int] = Counter()
    first_year_of_country: dict[int, int] = {}
    countries: set[int] = set()
    active_countries: set[int] = set()
    active = withdrawn = undated = regional = 0
    for row in rows:
        count, country, year = row["count"], row["country"], row["year"]
        if row["status"] == Membership.Status.ACTIVE:
            active += count
            if country is not None:
                active_countries.add(country)
        else:
            withdrawn += count
        if country is None:
            regional += count
        else:
            countries.add(country)
        if year is None:
            undated += count
            continue
        joined[year] += count
        if country is not None:
            first_year_of_country[country] = min(first_year_of_country.get(country, year), year)
    new_countries = Counter(first_year_of_country.values())
    years = []
    if joined:
        members = country_total = 0
        for year in range(min(joined), max(max(joined), until_year) + 1):
            members += joined[year]
            country_total += new_countries[year]
            years.append(
                MembershipYear(year, joined[year], members, new_countries[year], country_total)
            )
    return MembershipFigures(
        years=tuple(years),
        active_members=active,
        active_countries=len(active_countries),
        withdrawn_members=withdrawn,
        undated_members=undated,
        undated_countries=len(countries - first_year_of_country.keys()),
        regional_members=regional,
    )


# Activities and participants


@dataclass(frozen=True)
class Named:
    """A record of the database as the figures name it: its key for links, and its name."""

    key: str
    name: str


@dataclass(frozen=True)
class ActivityYear:
    year: int
    by_work_area: tuple[int, ...]  # in the order of ActivityFigures.work_areas
    participants: int  # the sum of the recorded counts
    with_participants: int  # activities with a recorded count (that have taken place)
    taken_place: int  # activities that have taken place (started by today)

    @property
    def total(self) -> int:
        return sum(self.by_work_area)


@dataclass(frozen=True)
class ActivityFigures:
    """Activities by year of their start and work area; cancelled ones are left out.

    Participants are those recorded for activities that have taken place; an activity
    without a recorded number adds nothing, and the figures say how many have one.
    """

    work_areas: tuple[Named, ...]
    years: tuple[ActivityYear, ...]
    cancelled: int

    @property
    def total(self) -> int:
        return sum(year.total for year in self.years)

    @property
    def participants(self) -> int:
        return sum(year.participants for year in self.years)

    @property
    def with_participants(self) -> int:
        return sum(year.with_participants for year in self.years)

    @property
    def taken_place(self) -> int:
        return sum(year.taken_place for year in self.years)


def activity_figures(user) -> ActivityFigures:
    areas = [
        (area.pk, area.slug, area.name)
        for area in WorkArea.objects.only("pk", "slug", "name").translated()
    ]
    position = {pk: index for index, (pk, _slug, _name) in enumerate(areas)}
    held = ~Q(status=Activity.Status.CANCELLED)
    taken_place = held & Q(start_date__lte=timezone.localdate())
    rows = (
        Activity.objects.listed_for(user)
        .order_by()
        .values("work_area_id", year=ExtractYear("start_date"))
        .annotate(
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=~held),
            taken_place=Count("pk", filter=taken_place),
            with_participants=Count("participants_count", filter=taken_place),
            participants=Sum("participants_count", filter=taken_place),
        )
    )
    by_year: dict[int, list[int]] = defaultdict(lambda: [0] * len(areas))
    reached: Counter[int] = Counter()
    counted: Counter[int] = Counter()
    took_place: Counter[int] = Counter()
    cancelled = 0
    for row in rows:
        cancelled += row["cancelled"]
        if not row["held"]:
            continue
        year = row["year"]
        by_year[year][position[row["work_area_id"]]] += row["held"]
        reached[year] += row["participants"] or 0
        counted[year] += row["with_participants"]
        took_place[year] += row["taken_place"]
    years = (
        tuple(
            ActivityYear(
                year,
                tuple(by_year[year]) if year in by_year else (0,) * len(areas),
                reached[year],
                counted[year],
                took_place[year],
            )
            for year in range(min(by_year), max(by_year) + 1)
        )
        if by_year
        else ()
    )
    return ActivityFigures(
        work_areas=tuple(Named(slug, name) for _pk, slug, name in areas),
        years=years,
        cancelled=cancelled,
    )


# Best practices and resources


@dataclass(frozen=True)
class Tally:
    """How many items a country, a theme or a category holds."""

    key: str  # the value the lists filter by: ISO3 code, slug, category
    name: str
    count: int


@dataclass(frozen=True)
class ThemeTally:
    key: str
    name: str
    best_practices: int
    resources: int
    language: str = ""  # the name's (the reader's where it is translated)


@dataclass(frozen=True)
class LibraryFigures:
    best_practices: int
    resources: int
    best_practices_by_country: tuple[Tally, ...]  # most first
    best_practices_without_country: int
    by_theme: tuple[ThemeTally, ...]  # themes holding anything, most best practices first
    best_practices_without_theme: int
    resources_without_theme: int


def visible_best_practices(user) -> QuerySet[BestPractice]:
    """The best practices the library lists for the user (drafts are followed on /my/)."""
    return BestPractice.objects.listed_for(user)


def library_figures(user) -> LibraryFigures:
    """The library's counts, all in one query (`counted`), then named.

    A practice is in a country when it is tagged with it or told of a protected area in
    it, as the best-practice list's country filter has it (`BestPracticeQuerySet.in_country`):
    its tags count it, and its area's country when it is not tagged with that one.
    """
    practices = visible_best_practices(user)
    resources = Resource.objects.listed_for(user)
    counts = counted(
        in_total(practices, "practices"),
        in_total(resources, "resources"),
        by_tag(practices, "countries", "practices by country"),
        by_area_country(practices, "practices by area", user),
        by_tag(practices, "themes", "practices by theme"),
        by_tag(resources, "themes", "resources by theme"),
    )
    practices_in, resources_in = counts["practices by theme"], counts["resources by theme"]
    return LibraryFigures(
        best_practices=counts["practices"][None],
        resources=counts["resources"][None],
        best_practices_by_country=country_tallies(
            counts["practices by country"] + counts["practices by area"]
        ),
        best_practices_without_country=counts["practices by area"][None],
        by_theme=theme_tallies(practices_in, resources_in),
        best_practices_without_theme=practices_in[None],
        resources_without_theme=resources_in[None],
    )


def country_tallies(in_country: Counter[int | None]) -> tuple[Tally, ...]:
    """The countries holding any best practice, the most first; ties by name.

    The names come in the database's order (its collation), and the sort keeps it.
    """
    tallies = [
        Tally(iso3, name, in_country[pk])
        for pk, iso3, name in Country.objects.order_by("name").values_list("pk", "iso3", "name")
        if in_country[pk]
    ]
    return tuple(sorted(tallies, key=lambda tally: -tally.count))


def theme_tallies(
    practices_in: Counter[int | None], resources_in: Counter[int | None]
) -> tuple[ThemeTally, ...]:
    """The themes holding anything, most best practices first, then most resources.

    Ties keep the themes' own order, as the database gives it.
    """
    themes = Theme.objects.order_by("order", "name").only("pk", "slug", "name").translated()
    tallies = [
        ThemeTally(
            theme.slug,
            theme.name,
            practices_in[theme.pk],
            resources_in[theme.pk],
            theme.shown_language,
        )
        for theme in themes
        if practices_in[theme.pk] or resources_in[theme.pk]
    ]
    return tuple(sorted(tallies, key=lambda tally: (-tally.best_practices, -tally.resources)))


def by_area_country(practices: QuerySet[BestPractice], figure: str, user) -> QuerySet:
    """How many of `practices` each country holds by their protected area alone.

    Those tagged with their area's country are left out (their tag counts them), and so
    are those with no area but some country tag: under the tag None remain the practices
    in no country at all. An area the visitor may not see counts as no area: its country
    would give it away.
    """
    area_country = if_visible(F("protected_area__country_id"), practices.area_seen_by(user))
    practices = practices.annotate(area_country=area_country)
    counted_by_a_tag = BestPractice.countries.through.objects.filter(
        bestpractice_id=OuterRef("pk"),
        # The area's country; with no area, any country. One condition for both, so that
        # the database tests every practice in one pass (an anti-join).
        country_id=Coalesce(OuterRef("area_country"), F("country_id")),
    )
    return (
        practices.exclude(Exists(counted_by_a_tag))
        .order_by()
        .values(figure=Value(figure), tag=F("area_country"))
        .annotate(count=Count("pk"))
    )


# Counting in the database


def counted(*branches: QuerySet) -> dict[str, Counter[int | None]]:
    """Grouped counts (`by_tag`, `in_total`…) run as one UNION ALL: {figure: {tag id: count}}.

    One query whatever the number of rows. Each branch is one GROUP BY over an integer
    key; the names come from the (small) tables of the tags. (A count per tag, as a
    subquery for each, took seconds at scale.)
    """
    first, *others = branches
    rows = first.union(*others, all=True).order_by().values_list("figure", "tag", "count")
    counts: dict[str, Counter[int | None]] = defaultdict(Counter)
    for figure, tag, count in rows:
        counts[figure][tag] += count
    return counts


def by_tag(items: QuerySet, relation: str, figure: str) -> QuerySet:
    """How many of `items` each tag of their many-to-many `relation` holds (a `counted` branch).

    The items without any tag are counted under the tag None: one pass (the items joined
    to the relation's table, grouped by the tag's id) gives both.
    """
    return (
        items.order_by().values(figure=Value(figure), tag=F(relation)).annotate(count=Count("pk"))
    )


def in_total(items: QuerySet, figure: str) -> QuerySet:
    """How many `items` there are (a `counted` branch, under the tag None)."""
    return (
        items.order_by()
        # Typed: an untyped NULL would not match the other branches' ids in the UNION.
        .values(figure=Value(figure), tag=Cast(Value(None), BigIntegerField()))
        .annotate(count=Count("pk"))
    )


# Protected areas


@dataclass(frozen=True)
class ProtectedAreaFigures(RealmTotals):
    """Protected areas, and apart from them the OECMs (GBF Target 3 counts both, but
    Protected Planet and the partnership's members report them separately)."""

    by_category: tuple[AreaGroup, ...]  # in the IUCN order, categories holding any
    by_realm: tuple[AreaGroup, ...]
    oecms_by_realm: tuple[AreaGroup, ...] = ()

    @property
    def oecms(self) -> int:
        return sum(group.count for group in self.oecms_by_realm)

    @property
    def oecm_area_km2(self) -> Decimal:
        return sum((group.area_km2 for group in self.oecms_by_realm), Decimal(0))


def protected_area_figures(user) -> ProtectedAreaFigures:
    rows = area_rows(ProtectedArea.objects.listed_for(user), "site_type", "iucn_category", "realm")
    areas = [row for row in rows if row["site_type"] == SiteType.PROTECTED_AREA]
    oecms = [row for row in rows if row["site_type"] == SiteType.OECM]
    return ProtectedAreaFigures(
        by_category=grouped(areas, "iucn_category", IucnCategory.values),
        by_realm=grouped(areas, "realm", Realm.values),
        oecms_by_realm=grouped(oecms, "realm", Realm.values),
    )


# The Global Biodiversity Framework


@dataclass(frozen=True)
class GbfContribution:
    """One GBF target: how many visible items of each kind are tagged with it.

    Each count is the number of items the list behind it shows for this visitor.
    """

    number: int
    short_title: str
    activities: int
    best_practices: int
    resources: int
    language: str = ""  # the short title's (the reader's where it is translated)

    @property
    def reached(self) -> bool:
        return bool(self.activities or self.best_practices or self.resources)


def gbf_contributions(user) -> tuple[GbfContribution, ...]:
    """Every target with how many visible items of each kind are tagged with it."""
    counts = counted(
        by_tag(Activity.objects.listed_for(user), "gbf_targets", "activities"),
        by_tag(visible_best_practices(user), "gbf_targets", "practices"),
        by_tag(Resource.objects.listed_for(user), "gbf_targets", "resources"),
    )
    activities, practices, resources = (
        counts["activities"],
        counts["practices"],
        counts["resources"],
    )
    targets = GbfTarget.objects.order_by("number").only("pk", "number", "short_title")
    return tuple(
        GbfContribution(
            target.number,
            target.short_title,
            activities[target.pk],
            practices[target.pk],
            resources[target.pk],
            target.shown_language,
        )
        for target in targets.translated()
    )


# All of it


@dataclass(frozen=True)
class Figures:
    membership: MembershipFigures
    activities: ActivityFigures
    library: LibraryFigures
    protected_areas: ProtectedAreaFigures
    gbf: tuple[GbfContribution, ...]

    @property
    def gbf_reached(self) -> tuple[GbfContribution, ...]:
        return tuple(target for target in self.gbf if target.reached)

    @property
    def gbf_not_reached(self) -> tuple[GbfContribution, ...]:
        return tuple(target for target in self.gbf if not target.reached)


def compute_figures(user) -> Figures:
    """Every figure, for what `user` may see: a constant number of queries (nine)."""
    return Figures(
        membership=membership_figures(until_year=timezone.localdate().year),
        activities=activity_figures(user),
        library=library_figures(user),
        protected_areas=protected_area_figures(user),
        gbf=gbf_contributions(user),
    )


def figures_for(user) -> Figures:
    """The figures for what `user` may see, from the cache when the content has not changed.

    Members and staff share one copy, the public another: `compute_figures` counts only
    published items, which members and staff see alike. Each language has its own copy:
    the figures name work areas, themes and targets in it.
    """
    key = (CACHE_NAME, audience_of(user), get_language())
    return cached(key, lambda: compute_figures(user))
