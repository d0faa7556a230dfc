"""The activities' demo data: the events timeline, the cooperation with NBCA in the first
half of 2023, planned activities and illustrative funding proposals."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from activities.models import Activity, ActivityOrganization, FundingProposal, OrganizationRole
from activities.reports import cooperation_report
from demo.activities import DEMO_PROPOSAL_NOTE, load_activities_demo
from demo.members import load_members_demo
from members.models import Country, Organization, Subregion, Visibility

pytestmark = pytest.mark.django_db

DEMO_MODELS = [
    Country,
    Organization,
    Activity,
    Activity.focal_activities.through,
    Activity.gbf_targets.through,
    Activity.participating_countries.through,
    ActivityOrganization,
    FundingProposal,
    FundingProposal.partner_organizations.through,
    FundingProposal.countries.through,
    FundingProposal.related_activities.through,
]

DEHRADUN = (
    "technical-and-steering-committee-meetings-moving-towards-implementation-of-target-3-2023"
)


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of the tables the loader writes, every column (updated_at included)."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


def test_loading_twice_changes_nothing(demo):
    first = snapshot()

    output = load_demo()

    assert snapshot() == first
    assert "activities: " in output
    for line in output.splitlines():
        assert "0 created, 0 updated" in line, line
    counts = {model: len(rows) for model, rows in first.items()}
    assert counts["activities.Activity"] == 16
    assert counts["activities.FundingProposal"] == 4
    assert counts["activities.ActivityOrganization"] == 5


def test_the_loader_reports_nothing_to_do_on_a_second_run():
    load_members_demo()
    first = load_activities_demo()

    second = load_activities_demo()

    assert first["activities"]["created"] == 16
    for label, tally in second.items():
        assert tally["created"] == tally["updated"] == 0, label


def test_loading_again_restores_an_edited_fact_and_only_that_record(demo):
    Activity.objects.filter(slug="1st-asia-parks-congress-2013").update(city="Tokyo")
    untouched = Activity.objects.get(slug="4th-steering-committee-meeting-2018").updated_at

    load_demo()

    assert Activity.objects.get(slug="1st-asia-parks-congress-2013").city == "Sendai"
    assert Activity.objects.get(slug="4th-steering-committee-meeting-2018").updated_at == untouched


def test_loading_again_keeps_an_organizer_that_staff_added(demo):
    congress = Activity.objects.get(slug="1st-asia-parks-congress-2013")
    japan = Organization.objects.get(acronym="MOEJ")
    ActivityOrganization.objects.create(
        activity=congress, organization=japan, role=OrganizationRole.HOST
    )

    load_demo()

    assert list(congress.organizations.all()) == [japan]


def test_the_first_asia_parks_congress(demo):
    congress = Activity.objects.get(slug="1st-asia-parks-congress-2013")

    assert congress.title == "1st Asia Parks Congress"
    assert congress.kind == Activity.Kind.FORUM
    assert (congress.start_date, congress.end_date) == (date(2013, 11, 13), date(2013, 11, 17))
    assert congress.dates_label() == "13–17 November 2013"
    assert congress.place == "Sendai, Japan"
    assert congress.status == Activity.Status.COMPLETED
    assert congress.visibility == Visibility.PUBLIC
    assert "Sendai Charter" in congress.summary


def test_the_launch_in_sydney_is_known_to_the_month(demo):
    launch = Activity.objects.get(slug="launch-of-apap-at-the-iucn-world-parks-congress-2014")

    assert launch.date_precision == Activity.DatePrecision.MONTH
    assert (launch.start_date, launch.end_date) == (date(2014, 11, 1), date(2014, 11, 30))
    assert launch.dates_label() == "November 2014"
    assert launch.country.iso3 == "AUS"
    assert launch.country.subregion == Subregion.OUTSIDE_ASIA
    assert launch.place == "Sydney, Australia"


def test_the_green_list_workshop_is_known_to_the_years(demo):
    workshop = Activity.objects.get(
        slug="technical-workshop-on-management-effectiveness-and-the-iucn-green-list-2017"
    )

    assert workshop.date_precision == Activity.DatePrecision.YEAR
    assert (workshop.start_date, workshop.end_date) == (date(2017, 1, 1), date(2018, 12, 31))
    assert workshop.dates_label() == "2017–2018"
    assert workshop.work_area.slug == "knowledge-capacity"
    assert workshop.place == "Republic of Korea"


def test_the_timeline_is_complete_and_in_the_right_places(demo):
    completed = Activity.objects.filter(status=Activity.Status.COMPLETED)

    assert completed.count() == 14
    assert completed.filter(is_online=True).count() == 3
    assert set(
        completed.filter(kind=Activity.Kind.WEBINAR).values_list("is_online", flat=True)
    ) == {True}
    assert completed.get(slug="technical-workshop-on-human-wildlife-conflict-2017").place == (
        "Thimphu, Bhutan"
    )
    exchange = completed.get(kind=Activity.Kind.EXCHANGE_VISIT)
    assert exchange.dates_label() == "3–30 June 2018"
    assert list(exchange.organizations.values_list("acronym", flat=True)) == ["KNPS"]
    one_day = completed.get(slug="webinar-on-covid-19-and-protected-areas-2020")
    assert one_day.end_date is None
    assert one_day.dates_label() == "23 July 2020"
    # The number of countries is known, not which ones: it is in the text only.
    assert "8 member countries" in completed.get(slug__startswith="1st-technical").summary
    assert not Activity.participating_countries.through.objects.exists()


def test_only_the_target_3_meeting_has_a_gbf_target(demo):
    with_targets = Activity.objects.filter(gbf_targets__isnull=False).distinct()

    assert list(with_targets.values_list("slug", flat=True)) == [DEHRADUN]
    assert list(with_targets.get().gbf_targets.values_list("number", flat=True)) == [3]


def test_the_dehradun_meetings(demo):
    dehradun = Activity.objects.for_detail().get(slug=DEHRADUN)

    assert dehradun.dates_label() == "27–29 April 2023"
    assert dehradun.place == "Dehradun, India"
    assert dehradun.participants_count == 35
    assert "13 countries" in dehradun.summary
    organizers = {org.acronym for org in dehradun.organizations_in_role(OrganizationRole.ORGANIZER)}
    assert organizers == {"IUCN ARO", "MoEFCC", "WII"}
    assert [org.acronym for org in dehradun.organizations_in_role(OrganizationRole.PARTNER)] == [
        "NBCA"
    ]


def test_the_nbca_cooperation_of_the_first_half_of_2023(demo):
    nbca = Organization.objects.get(slug="nature-and-biodiversity-conservation-agency")
    start, end = date(2023, 1, 1), date(2023, 6, 30)

    cooperated = Activity.objects.overlapping(start, end).with_organization(nbca)
    report = cooperation_report(Activity.objects.all(), nbca, start, end)

    assert list(cooperated.values_list("slug", flat=True)) == [DEHRADUN]
    assert [row.activity.slug for row in report.rows] == [DEHRADUN]
    assert report.rows[0].partner_roles == ["Partner"]


def test_planned_activities_fill_the_upcoming_lists_and_say_they_are_planned(demo):
    upcoming = Activity.objects.upcoming(date(2026, 11, 24))

    assert upcoming.count() == 2
    assert upcoming.public().count() == 1
    members_only = upcoming.get(visibility=Visibility.MEMBERS)
    assert "sustainable tourism" in members_only.title
    for activity in upcoming:
        assert activity.status == Activity.Status.PLANNED
        assert activity.summary.startswith("Planned; dates to be confirmed.")
        assert activity.date_precision == Activity.DatePrecision.MONTH
        assert activity.start_date.year == 2027


def test_funding_proposals_are_marked_as_demo_data(demo):
    proposals = FundingProposal.objects.all()

    assert proposals.count() == 4
    assert {proposal.notes for proposal in proposals} == {DEMO_PROPOSAL_NOTE}
    assert not proposals.filter(donor__isnull=False).exists()
    sundarbans = proposals.get(title="Sundarbans transboundary knowledge exchange")
    assert sundarbans.status == FundingProposal.Status.DRAFTING
    assert sundarbans.lead_organization.acronym == "IUCN ARO"
    assert sundarbans.amount_awarded is None
    assert sorted(sundarbans.countries.values_list("iso3", flat=True)) == ["BGD", "IND"]
    approved = proposals.get(status=FundingProposal.Status.APPROVED)
    assert approved.currency == "EUR"
    assert approved.amount_awarded is not None
    assert proposals.filter(status=FundingProposal.Status.REJECTED, amount_awarded=None).exists()
    assert proposals.filter(status=FundingProposal.Status.IDEA).exists()


def test_slugs_are_the_title_and_the_year(demo):
    slugs = set(Activity.objects.values_list("slug", flat=True))

    assert {
        "1st-asia-parks-congress-2013",
        "apap-planning-committee-meeting-2014",
        "1st-technical-workshop-on-collaborative-management-2015",
        "4th-steering-committee-meeting-2018",
        "6th-technical-workshop-on-oecms-2020",
        "apap-planning-workshop-2023",
    } <= slugs
