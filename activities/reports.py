"""Staff reports: the cooperation report for a partner, and the funding-proposal pipeline.

The page and its CSV are built from the same rows, so the two always agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    ActivityOrganization,
    FundingProposal,
    OrganizationRole,
    WorkArea,
)
from members.models import Organization

# A report covers at most this many years: longer spans are mistakes more often than not,
# and an unbounded one would load the whole history into one page.
MAX_REPORT_YEARS = 10

# The roles that make an organization one of an activity's organizers (not a participant).
ORGANIZING_ROLES = [
    role for role in OrganizationRole.values if role != OrganizationRole.PARTICIPANT
]


# Periods: "2023" (the year), "2023-H1" (January–June), "2023-H2" (July–December)


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period; ValueError when the period is not one."""
    year_text, _sep, half = period.partition("-")
    if len(year_text) != 4 or not year_text.isdigit() or half not in ("", "H1", "H2"):
        raise ValueError(f"Not a period: {period!r}")
    year = int(year_text)
    if half == "H1":
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    if half == "H2":
        return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def period_choices(first_year: int, last_year: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods a report can cover, grouped by year, newest first."""
    return [
        (
            str(year),
            [
                (str(year), _("%(year)s, whole year") % {"year": year}),
                (f"{year}-H2", _("%(year)s, second half (July–December)") % {"year": year}),
                (f"{year}-H1", _("%(year)s, first half (January–June)") % {"year": year}),
            ],
        )
        for year in range(last_year, first_year - 1, -1)
    ]


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day some years later (29 February becomes 28 February)."""
    year = day.year + years
    if year > datetime.MAXYEAR:
        return datetime.date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


# The cooperation report


@dataclass(frozen=True)
class CooperationRow:
    """One activity of the report, as both the page and the CSV show it."""

    activity: Activity
    partner_roles: list[str]
    organizers: list[tuple[Organization, str]]

    @property
    def organizers_label(self) -> str:
        return "; ".join(f"{organization.name} ({role})" for organization, role in self.organizers)


@dataclass(frozen=True)
class WorkAreaGroup:
    work_area: WorkArea
    rows: list[CooperationRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class CooperationReport:
    partner: Organization
    start: datetime.date
    end: datetime.date
    groups: list[WorkAreaGroup]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def rows(self) -> list[CooperationRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def filename(self) -> str:
        return f"cooperation-{self.partner.slug}-{self.start:%Y-%m-%d}-{self.end:%Y-%m-%d}.csv"


def cooperation_activities(
    activities: QuerySet[Activity],
    partner: Organization,
    start: datetime.date,
    end: datetime.date,
) -> QuerySet[Activity]:
    """The activities a partner took part in, in any role, during a period, oldest first.

    Cancelled activities are left out: nobody cooperated on them. Two queries, whatever
    the number of activities: the activities with their work area and country (in the
    reader's language where translated), and every organization's role in them.
    """
    return (
        activities.overlapping(start, end)
        .with_organization(partner)
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("work_area", "country")
        .prefetch_related(
            Prefetch(
                "organization_roles",
                queryset=ActivityOrganization.objects.select_related("organization").order_by(
                    "role", "organization__name"
                ),
            )
        )
        .order_by("start_date", "title", "pk")
        .translated(related=("work_area",))
    )


def cooperation_row(activity: Activity, partner: Organization) -> CooperationRow:
    links = activity.organization_roles.all()
    return CooperationRow(
        activity=activity,
        partner_roles=[
            str(link.get_role_display()) for link in links if link.organization_id == partner.pk
        ],
        organizers=[
            (link.organization, str(link.get_role_display()))
            for link in links
            if link.organization_id != partner.pk and link.role in ORGANIZING_ROLES
        ],
    )


def cooperation_report(
    activities: QuerySet[Activity],
    partner: Organization,
    start: datetime.date,
    end: datetime.date,
) -> CooperationReport:
    """The report of a partner's cooperation, grouped by work area.

    `activities` are those the reader may see (`Activity.objects.visible_to(user)`).
    Every work area is listed, in its order, even when the partner did nothing there.
    """
    groups = {area.pk: WorkAreaGroup(work_area=area) for area in WorkArea.objects.translated()}
    for activity in cooperation_activities(activities, partner, start, end):
        groups[activity.work_area_id].rows.append(cooperation_row(activity, partner))
    return CooperationReport(partner=partner, start=start, end=end, groups=list(groups.values()))


COOPERATION_CSV_HEADER = [
    "Work area",
    "Start date",
    "End date",
    "Dates",
    "Title",
    "Kind",
    "Place",
    "Partner role",
    "Organizers",
    "Participants",
    "Summary",
    "URL",
]


def cooperation_csv_rows(
    report: CooperationReport, absolute_url: Callable[[str], str]
) -> list[list[object]]:
    """The rows of the report's CSV, in the order of the page; `absolute_url` makes links."""
    return [
        [
            row.activity.work_area.name,
            row.activity.start_date.isoformat(),
            row.activity.last_day.isoformat(),
            row.activity.dates_label(),
            row.activity.title,
            row.activity.get_kind_display(),
            row.activity.place,
            "; ".join(row.partner_roles),
            row.organizers_label,
            "" if row.activity.participants_count is None else row.activity.participants_count,
            row.activity.summary,
            absolute_url(row.activity.get_absolute_url()),
        ]
        for row in report.rows
    ]


# The funding-proposal pipeline


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    requested: Decimal | None
    awarded: Decimal | None
    count: int


@dataclass(frozen=True)
class StatusGroup:
    status: str
    label: str
    proposals: list[FundingProposal] = field(default_factory=list)
    totals: list[CurrencyTotal] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.proposals)


# Proposals that will bring no more money: rejected ones, and projects that are over.
# The pipeline's totals leave them out (a rejected USD 300,000 is not money in sight)
# and give them a line of their own.
ENDED_STATUSES = frozenset({FundingProposal.Status.REJECTED, FundingProposal.Status.CLOSED})


@dataclass(frozen=True)
class FundingPipeline:
    groups: list[StatusGroup]
    # Per currency: the open proposals, and apart from them the rejected and closed ones.
    totals: list[CurrencyTotal]
    ended_totals: list[CurrencyTotal]

    @property
    def count(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def open_count(self) -> int:
        return sum(group.count for group in self.groups if group.status not in ENDED_STATUSES)

    @property
    def ended_count(self) -> int:
        return self.count - self.open_count

    @property
    def proposals(self) -> list[FundingProposal]:
        return [proposal for group in self.groups for proposal in group.proposals]


def _currency_total(row: dict) -> CurrencyTotal:
    return CurrencyTotal(
        currency=row["currency"],
        requested=row["requested"],
        awarded=row["awarded"],
        count=row["count"],
    )


def _add(first: Decimal | None, second: Decimal | None) -> Decimal | None:
    """A sum of amounts where None is "none given" (not zero), as in SQL's SUM."""
    if first is None:
        return second
    return first if second is None else first + second


def _per_currency(totals: list[CurrencyTotal]) -> list[CurrencyTotal]:
    """Totals of several statuses added up per currency, by currency code."""
    merged: dict[str, CurrencyTotal] = {}
    for total in totals:
        known = merged.setdefault(total.currency, CurrencyTotal(total.currency, None, None, 0))
        merged[total.currency] = CurrencyTotal(
            currency=total.currency,
            requested=_add(known.requested, total.requested),
            awarded=_add(known.awarded, total.awarded),
            count=known.count + total.count,
        )
    return [merged[currency] for currency in sorted(merged)]


def funding_pipeline() -> FundingPipeline:
    """Proposals by status, in the order of the statuses, with their totals per currency.

    Amounts in different currencies are never added together: the database sums them per
    (status, currency), and those sums are added up per currency, for the open proposals
    and apart for the ended ones (ENDED_STATUSES). Three queries, whatever the number of
    proposals.
    """
    amounts = {
        "requested": Sum("amount_requested"),
        "awarded": Sum("amount_awarded"),
        "count": Count("pk"),
    }
    groups = {
        status: StatusGroup(status=status, label=str(label))
        for status, label in FundingProposal.Status.choices
    }
    for proposal in FundingProposal.objects.for_pipeline().order_by("-updated_at", "pk"):
        groups[proposal.status].proposals.append(proposal)
    per_status = (
        FundingProposal.objects.order_by()
        .values("status", "currency")
        .annotate(**amounts)
        .order_by("status", "currency")
    )
    for row in per_status:
        groups[row["status"]].totals.append(_currency_total(row))
    open_totals, ended_totals = [], []
    for group in groups.values():
        (ended_totals if group.status in ENDED_STATUSES else open_totals).extend(group.totals)
    return FundingPipeline(
        groups=list(groups.values()),
        totals=_per_currency(open_totals),
        ended_totals=_per_currency(ended_totals),
    )


FUNDING_CSV_HEADER = [
    "Status",
    "In the totals",
    "Title",
    "Lead organization",
    "Donor",
    "Countries",
    "Currency",
    "Amount requested",
    "Amount awarded",
    "Submitted on",
    "Decided on",
    "Project start",
    "Project end",
]


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def funding_csv_rows(pipeline: FundingPipeline) -> list[list[object]]:
    """The proposals of the pipeline, in the order of the page, one row each; amounts as
    plain numbers (no currency sign, no thousands separator) for a spreadsheet to add up."""
    return [
        [
            proposal.get_status_display(),
            "no" if proposal.status in ENDED_STATUSES else "yes",
            proposal.title,
            proposal.lead_organization.name,
            proposal.donor.name if proposal.donor else "",
            ", ".join(str(country) for country in proposal.countries.all()),
            proposal.currency,
            "" if proposal.amount_requested is None else proposal.amount_requested,
            "" if proposal.amount_awarded is None else proposal.amount_awarded,
            _iso(proposal.submitted_on),
            _iso(proposal.decided_on),
            _iso(proposal.start_date),
            _iso(proposal.end_date),
        ]
        for proposal in pipeline.proposals
    ]
