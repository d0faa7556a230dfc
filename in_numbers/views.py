"""/in-numbers/: the partnership in figures and charts, and its contribution to the GBF.

The figures come from `in_numbers.figures` (cached per audience and language); this module
turns them into charts with their tables, the GBF matrix with the links behind its cells,
and the same figures as CSV.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from apap_portal.downloads import csv_response
from in_numbers.charts import (
    Cell,
    Chart,
    Series,
    Table,
    TableRow,
    bar_chart,
    column_chart,
    formatted,
)
from in_numbers.figures import Figures, MembershipFigures, figures_for
from members.models import IucnCategory, Realm, audience_of
from members.tallies import AreaGroup


@require_GET
def in_numbers(request):
    figures = figures_for(request.user)
    if request.GET.get("format") == "csv":
        stamp = timezone.localdate().isoformat()
        return csv_response(f"apap-in-numbers-{stamp}.csv", csv_header(), csv_rows(figures))
    context = {
        "figures": figures,
        "audience": audience_of(request.user),
        "membership_chart": membership_chart(figures),
        "activity_chart": activity_chart(figures),
        "participant_chart": participant_chart(figures),
        "country_chart": country_chart(figures),
        "theme_chart": theme_chart(figures),
        "category_chart": area_chart(
            "chart-iucn-categories",
            _("Protected areas by IUCN management category"),
            _("IUCN category"),
            figures.protected_areas.by_category,
            category_label,
            "iucn_category",
            _(
                "Protected areas by IUCN management category (OECMs apart); the table adds "
                "their reported area."
            ),
        ),
        "realm_chart": area_chart(
            "chart-realms",
            _("Protected areas by realm"),
            _("Realm"),
            figures.protected_areas.by_realm,
            realm_label,
            "realm",
            _("Protected areas by realm (OECMs apart); the table adds their reported area."),
        ),
        "gbf_rows": gbf_matrix(figures),
    }
    return render(request, "in_numbers/in_numbers.html", context)


def filtered(url_name: str, **params) -> str:
    return f"{reverse(url_name)}?{urlencode(params)}"


def country_profile(iso3: str) -> str:
    return reverse("countries:detail", kwargs={"iso3": iso3.lower()})


def category_label(key: str) -> str:
    return str(IucnCategory(key).label)


def realm_label(key: str) -> str:
    return str(Realm(key).label)


# The charts


def membership_chart(figures: Figures) -> Chart:
    membership = figures.membership
    years = [str(row.year) for row in membership.years]
    series = [
        Series(_("Members"), tuple(row.members for row in membership.years)),
        Series(_("Member countries"), tuple(row.countries for row in membership.years)),
    ]
    table = Table(
        caption=_("Members and member countries by year of joining"),
        corner=_("Year"),
        columns=(
            _("Joined that year"),
            _("Members (cumulative)"),
            _("Countries joining"),
            _("Countries (cumulative)"),
        ),
        rows=tuple(
            TableRow(
                str(row.year),
                (Cell(row.joined), Cell(row.members), Cell(row.new_countries), Cell(row.countries)),
            )
            for row in membership.years
        ),
    )
    if membership.years:
        first, last = membership.years[0], membership.years[-1]
        description = _(
            "Members and member countries, cumulative by year of joining, from %(first_members)s "
            "members in %(first)s to %(members)s members from %(countries)s countries in "
            "%(last)s."
        ) % {
            "first_members": formatted(first.members),
            "first": first.year,
            "members": formatted(last.members),
            "countries": formatted(last.countries),
            "last": last.year,
        }
    else:
        description = _("No membership has a recorded date yet.")
    return column_chart(
        id="chart-members",
        title=_("Members and member countries over time"),
        description=description,
        counts=membership_counts(membership),
        missing=membership_missing(membership),
        categories=years,
        series=series,
        table=table,
    )


def membership_counts(membership: MembershipFigures) -> str:
    withdrawn, regional = membership.withdrawn_members, membership.regional_members
    rule = _(
        "Members and member countries, cumulative, by the year they joined (or signed "
        "their letter of intent, when that is the only date). A date known only to its "
        "month or its year counts in that year."
    )
    notes = [
        (
            ngettext(
                "%(count)s member has since withdrawn; the record holds no withdrawal date, "
                "so it counts from the year it joined.",
                "%(count)s members have since withdrawn; the record holds no withdrawal date, "
                "so they count from the year they joined.",
                withdrawn,
            ),
            withdrawn,
        ),
        (
            ngettext(
                "%(count)s regional or international member belongs to no country.",
                "%(count)s regional or international members belong to no country.",
                regional,
            ),
            regional,
        ),
    ]
    return " ".join([rule, *counted_sentences(notes)])


def membership_missing(membership: MembershipFigures) -> str:
    """The memberships left out for want of a date: none is given one."""
    undated, countries = membership.undated_members, membership.undated_countries
    if not undated:
        return _("Every membership has a known start year.")
    notes = [
        (
            ngettext(
                "%(count)s membership without a known start year is not counted.",
                "%(count)s memberships without a known start year are not counted.",
                undated,
            ),
            undated,
        ),
        (
            ngettext(
                "For the same reason %(count)s member country is not counted.",
                "For the same reason %(count)s member countries are not counted.",
                countries,
            ),
            countries,
        ),
    ]
    return " ".join(counted_sentences(notes))


def counted_sentences(notes: list[tuple[str, int]]) -> list[str]:
    """The sentences of (sentence, count) pairs whose count is not zero, the count written in."""
    return [sentence % {"count": formatted(count)} for sentence, count in notes if count]


def activity_chart(figures: Figures) -> Chart:
    activities = figures.activities
    years = [str(row.year) for row in activities.years]
    series = [
        Series(area.name, tuple(row.by_work_area[index] for row in activities.years))
        for index, area in enumerate(activities.work_areas)
    ]
    table = Table.of(
        _("Activities per year by work area"), _("Year"), years, series, total=_("Total")
    )
    if activities.years:
        busiest = max(activities.years, key=lambda row: (row.total, row.year))
        description = _(
            "%(total)s activities from %(first)s to %(last)s, stacked by work area; the "
            "busiest year was %(busiest)s with %(busiest_total)s."
        ) % {
            "total": formatted(activities.total),
            "first": activities.years[0].year,
            "last": activities.years[-1].year,
            "busiest": busiest.year,
            "busiest_total": formatted(busiest.total),
        }
    else:
        description = _("No activity recorded yet.")
    if activities.cancelled:
        missing = ngettext(
            "%(count)s cancelled activity is left out.",
            "%(count)s cancelled activities are left out.",
            activities.cancelled,
        ) % {"count": formatted(activities.cancelled)}
    else:
        missing = _("Every activity has a start date: none is left out.")
    return column_chart(
        id="chart-activities",
        title=_("Activities per year, by work area"),
        description=description,
        counts=_("Activities by the year they start, planned ones included, by work area."),
        missing=missing,
        categories=years,
        series=series,
        table=table,
        stacked=True,
    )


def participant_chart(figures: Figures) -> Chart:
    activities = figures.activities
    # Up to the last year with activities held: the years to come have no participants yet.
    held = [row.year for row in activities.years if row.taken_place]
    years = [row for row in activities.years if held and row.year <= max(held)]
    table = Table(
        caption=_("Participants reached per year"),
        corner=_("Year"),
        columns=(
            _("Participants"),
            _("Activities with a recorded number"),
            _("Activities held"),
        ),
        rows=tuple(
            TableRow(
                str(row.year),
                (Cell(row.participants), Cell(row.with_participants), Cell(row.taken_place)),
            )
            for row in years
        ),
    )
    description = _(
        "%(participants)s participants recorded, for %(counted)s of the %(held)s activities "
        "held; the others have no recorded number and add nothing."
    ) % {
        "participants": formatted(activities.participants),
        "counted": formatted(activities.with_participants),
        "held": formatted(activities.taken_place),
    }
    without = activities.taken_place - activities.with_participants
    if without:
        missing = ngettext(
            "%(count)s of the %(held)s activities held has no recorded number of participants "
            "and adds nothing: the totals are a lower bound.",
            "%(count)s of the %(held)s activities held have no recorded number of participants "
            "and add nothing: the totals are a lower bound.",
            without,
        ) % {"count": formatted(without), "held": formatted(activities.taken_place)}
    else:
        missing = _("Every activity held has a recorded number of participants.")
    return column_chart(
        id="chart-participants",
        title=_("Participants reached per year"),
        description=description,
        counts=_("Participants recorded for the activities held so far, by the year they start."),
        missing=missing,
        categories=[str(row.year) for row in years],
        series=[Series(_("Participants"), tuple(row.participants for row in years))],
        table=table,
    )


def country_chart(figures: Figures) -> Chart:
    library = figures.library
    rows = library.best_practices_by_country
    table = Table(
        caption=_("Best practices by country"),
        corner=_("Country"),
        columns=(_("Best practices"),),
        rows=tuple(
            TableRow(
                row.name,
                (Cell(row.count, filtered("knowledge:bestpractice_list", country=row.key)),),
                href=country_profile(row.key),
            )
            for row in rows
        ),
    )
    description = ngettext(
        "Best practices in %(countries)s country, the most first.",
        "Best practices in %(countries)s countries, the most first.",
        len(rows),
    ) % {"countries": formatted(len(rows))}
    without = library.best_practices_without_country
    if without:
        missing = ngettext(
            "%(count)s best practice names no country and is not counted here.",
            "%(count)s best practices name no country and are not counted here.",
            without,
        ) % {"count": formatted(without)}
    else:
        missing = _("Every best practice names a country.")
    return bar_chart(
        id="chart-countries",
        title=_("Best practices by country"),
        description=description,
        counts=_(
            "Best practices in each country they are tagged with or where their protected "
            "area lies, once per country. Resources are not tied to a country."
        ),
        missing=missing,
        categories=[row.name for row in rows],
        series=[Series(_("Best practices"), tuple(row.count for row in rows))],
        table=table,
    )


def theme_chart(figures: Figures) -> Chart:
    themes = figures.library.by_theme
    table = Table(
        caption=_("Best practices and resources by theme"),
        corner=_("Theme"),
        columns=(_("Best practices"), _("Resources")),
        rows=tuple(
            TableRow(
                row.name,
                (
                    Cell(
                        row.best_practices,
                        filtered("knowledge:bestpractice_list", theme=row.key)
                        if row.best_practices
                        else "",
                    ),
                    Cell(
                        row.resources,
                        filtered("knowledge:resource_list", theme=row.key) if row.resources else "",
                    ),
                ),
                language=row.language,
            )
            for row in themes
        ),
    )
    description = ngettext(
        "Best practices and resources in %(themes)s theme.",
        "Best practices and resources in %(themes)s themes, the most best practices first.",
        len(themes),
    ) % {"themes": formatted(len(themes))}
    library = figures.library
    if library.best_practices_without_theme or library.resources_without_theme:
        missing = _(
            "Without a theme, and not counted here: %(practices)s best practices and "
            "%(resources)s resources."
        ) % {
            "practices": formatted(library.best_practices_without_theme),
            "resources": formatted(library.resources_without_theme),
        }
    else:
        missing = _("Every best practice and resource has a theme.")
    return bar_chart(
        id="chart-themes",
        title=_("Best practices and resources by theme"),
        description=description,
        counts=_("Best practices and resources in each theme they are tagged with."),
        missing=missing,
        categories=[row.name for row in themes],
        series=[
            Series(_("Best practices"), tuple(row.best_practices for row in themes)),
            Series(_("Resources"), tuple(row.resources for row in themes)),
        ],
        table=table,
    )


def area_chart(
    chart_id: str,
    title: str,
    corner: str,
    groups: tuple[AreaGroup, ...],
    label_of,
    parameter: str,
    counts: str,
) -> Chart:
    labels = [label_of(group.key) for group in groups]
    table = Table(
        caption=title,
        corner=corner,
        columns=(
            _("Protected areas"),
            _("Reported area (km²)"),
            _("Protected areas with a reported area"),
        ),
        rows=tuple(
            TableRow(
                label,
                (
                    Cell(
                        group.count,
                        filtered("members:protectedarea_list", **{parameter: group.key}),
                    ),
                    Cell(group.area_km2),
                    Cell(group.with_area),
                ),
            )
            for label, group in zip(labels, groups, strict=True)
        ),
    )
    if groups:
        largest = max(groups, key=lambda group: group.count)
        description = _(
            "%(total)s protected areas; the most in %(largest)s (%(count)s). The table gives "
            "their reported area."
        ) % {
            "total": formatted(sum(group.count for group in groups)),
            "largest": label_of(largest.key),
            "count": formatted(largest.count),
        }
    else:
        description = _("No protected area recorded yet.")
    total = sum(group.count for group in groups)
    without = total - sum(group.with_area for group in groups)
    if without:
        missing = ngettext(
            "%(count)s of the %(total)s protected areas has no reported area: the table's "
            "areas leave it out.",
            "%(count)s of the %(total)s protected areas have no reported area: the table's "
            "areas leave them out.",
            without,
        ) % {"count": formatted(without), "total": formatted(total)}
    else:
        missing = _("Every protected area has a reported area.")
    return bar_chart(
        id=chart_id,
        title=title,
        description=description,
        counts=counts,
        missing=missing,
        categories=labels,
        series=[Series(_("Protected areas"), tuple(group.count for group in groups))],
        table=table,
    )


# The GBF matrix


@dataclass(frozen=True)
class MatrixCell:
    count: int
    kind: str  # what is counted, for screen readers: "activities"
    href: str  # the list of these items ("" when there is none)


@dataclass(frozen=True)
class MatrixRow:
    number: int
    short_title: str
    cells: tuple[MatrixCell, ...]  # activities, best practices, resources
    reached: bool
    share_href: str  # the submission form, this target ticked: an invitation to members
    language: str = ""  # the short title's


def gbf_matrix(figures: Figures) -> list[MatrixRow]:
    """The 23 targets against the three kinds of items; each non-empty cell links to its list,
    and each target links to the form a member shares a best practice for it with."""
    columns = (
        (_("activities"), "activities:activity_list"),
        (_("best practices"), "knowledge:bestpractice_list"),
        (_("resources"), "knowledge:resource_list"),
    )
    rows = []
    for target in figures.gbf:
        counts = (target.activities, target.best_practices, target.resources)
        cells = tuple(
            MatrixCell(count, kind, filtered(url_name, gbf_target=target.number) if count else "")
            for (kind, url_name), count in zip(columns, counts, strict=True)
        )
        share = filtered("submissions:bestpractice_submit", gbf_target=target.number)
        rows.append(
            MatrixRow(
                target.number, target.short_title, cells, target.reached, share, target.language
            )
        )
    return rows


# The CSV


def csv_header() -> list[str]:
    return [_("figure"), _("dimension"), _("breakdown"), _("value"), _("unit")]


def csv_rows(figures: Figures) -> Iterator[tuple]:
    """Every figure in long format: one number per row, ready for a pivot table."""
    membership = figures.membership
    members, countries = _("members"), _("countries")
    for row in membership.years:
        yield _("Members joining"), row.year, "", row.joined, members
        yield _("Members (cumulative)"), row.year, "", row.members, members
        yield _("Member countries joining"), row.year, "", row.new_countries, countries
        yield _("Member countries (cumulative)"), row.year, "", row.countries, countries
    yield _("Members joining"), _("date not recorded"), "", membership.undated_members, members
    yield _("Members"), _("active today"), "", membership.active_members, members
    yield _("Members"), _("withdrawn"), "", membership.withdrawn_members, members
    yield _("Member countries"), _("active today"), "", membership.active_countries, countries

    activities = figures.activities
    unit = _("activities")
    for row in activities.years:
        for area, count in zip(activities.work_areas, row.by_work_area, strict=True):
            yield _("Activities"), row.year, area.name, count, unit
    for row in activities.years:
        if row.taken_place:  # the years to come have no participants yet
            yield _("Participants reached"), row.year, "", row.participants, _("participants")
            yield (
                _("Activities with a recorded number of participants"),
                row.year,
                "",
                row.with_participants,
                unit,
            )
            yield _("Activities held"), row.year, "", row.taken_place, unit
    yield _("Activities"), _("cancelled"), "", activities.cancelled, unit

    library = figures.library
    practices, resources = _("best practices"), _("resources")
    for tally in library.best_practices_by_country:
        yield _("Best practices by country"), tally.name, "", tally.count, practices
    yield (
        _("Best practices by country"),
        _("no country"),
        "",
        library.best_practices_without_country,
        practices,
    )
    for theme in library.by_theme:
        yield _("Best practices by theme"), theme.name, "", theme.best_practices, practices
    yield (
        _("Best practices by theme"),
        _("no theme"),
        "",
        library.best_practices_without_theme,
        practices,
    )
    for theme in library.by_theme:
        yield _("Resources by theme"), theme.name, "", theme.resources, resources
    yield _("Resources by theme"), _("no theme"), "", library.resources_without_theme, resources

    areas = figures.protected_areas
    for figure, groups, label_of in (
        (_("Protected areas by IUCN category"), areas.by_category, category_label),
        (_("Protected areas by realm"), areas.by_realm, realm_label),
    ):
        for group in groups:
            label = label_of(group.key)
            yield figure, label, _("protected areas"), group.count, _("protected areas")
            yield figure, label, _("reported area"), group.area_km2, "km²"
            yield figure, label, _("with a reported area"), group.with_area, _("protected areas")
    for group in areas.oecms_by_realm:
        figure, label = _("OECMs by realm"), realm_label(group.key)
        yield figure, label, _("OECMs"), group.count, _("OECMs")
        yield figure, label, _("reported area"), group.area_km2, "km²"
        yield figure, label, _("with a reported area"), group.with_area, _("OECMs")

    kinds = ((_("activities"), "activities"), (_("best practices"), "best_practices"))
    kinds += ((_("resources"), "resources"),)
    for target in figures.gbf:
        for kind, attribute in kinds:
            yield (
                _("Items tagged with a GBF target"),
                f"{target.number}. {target.short_title}",
                kind,
                getattr(target, attribute),
                kind,
            )
