"""The funding-proposal pipeline: the secretariat's proposals by status, with their totals.

Emma (editor) follows the proposals; members and visitors have no access.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings

from activities.models import FundingProposal
from tests.factories import FundingProposalFactory, OrganizationFactory, country

pytestmark = pytest.mark.django_db

URL = "/reports/funding-proposals/"

# Query counts include the savepoint and its release that wrap each request in
# tests (ATOMIC_REQUESTS), and the session and user of the signed-in editor.


def section(response, status: str) -> str:
    """The part of the page about one status."""
    return response.text.split(
        f'<section class="pipeline-status" aria-labelledby="status-{status}">'
    )[1].split("</section>")[0]


def test_only_staff_see_the_pipeline(client, member_client, other_member_client, editor_client):
    FundingProposalFactory()

    anonymous = client.get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/accounts/login/?next=/reports/funding-proposals/"
    assert member_client.get(URL).status_code == 403
    assert other_member_client.get(URL).status_code == 403
    assert editor_client.get(URL).status_code == 200


def test_proposals_are_grouped_by_status_in_order_with_a_count_each(editor_client):
    FundingProposalFactory(title="Kailash landscape, phase II", status="approved")
    FundingProposalFactory(title="Mekong wetlands", status="idea")
    FundingProposalFactory(title="Heart of Borneo exchange", status="idea")

    response = editor_client.get(URL)

    groups = [
        (group.status, sorted(proposal.title for proposal in group.proposals))
        for group in response.context["pipeline"].groups
    ]
    assert groups == [
        ("idea", ["Heart of Borneo exchange", "Mekong wetlands"]),
        ("drafting", []),
        ("submitted", []),
        ("approved", ["Kailash landscape, phase II"]),
        ("rejected", []),
        ("in-implementation", []),
        ("closed", []),
    ]
    headings = re.findall(
        r'<h2 id="status-[^"]+">([^<]+) <span class="badge">([^<]+)</span>', response.text
    )
    assert headings == [
        ("Idea", "2 proposals"),
        ("Drafting", "0 proposals"),
        ("Submitted", "0 proposals"),
        ("Approved", "1 proposal"),
        ("Rejected", "0 proposals"),
        ("In implementation", "0 proposals"),
        ("Closed", "0 proposals"),
    ]
    assert "Open: 3 proposals" in response.text


def test_each_proposal_links_to_the_admin_with_its_details(editor_client):
    donor = OrganizationFactory(name="Global Environment Facility", kind="donor", country=None)
    lead = OrganizationFactory(name="Department of National Parks, Wildlife and Plant Conservation")
    proposal = FundingProposalFactory(
        title="Dong Phayayen–Khao Yai and Cambodia transboundary cooperation",
        lead_organization=lead,
        donor=donor,
        amount_requested=Decimal("1250000.00"),
        amount_awarded=Decimal("900000.00"),
        status="approved",
        submitted_on=datetime.date(2023, 3, 15),
        decided_on=datetime.date(2023, 9, 1),
    )
    proposal.countries.set([country("THA"), country("KHM")])

    text = section(editor_client.get(URL), "approved")

    assert (
        f'<a href="/admin/activities/fundingproposal/{proposal.pk}/change/">'
        "Dong Phayayen–Khao Yai and Cambodia transboundary cooperation</a>"
    ) in text
    assert "Department of National Parks, Wildlife and Plant Conservation" in text
    assert "Global Environment Facility" in text
    assert "Cambodia, Thailand" in text
    assert "USD 1,250,000.00" in text
    assert "USD 900,000.00" in text
    assert "Submitted 15 March 2023" in text
    assert "Decided 1 September 2023" in text


def test_totals_are_per_currency_never_across_currencies(editor_client):
    FundingProposalFactory(status="submitted", currency="USD", amount_requested=Decimal("1000"))
    FundingProposalFactory(
        status="submitted",
        currency="USD",
        amount_requested=Decimal("2500.50"),
        amount_awarded=Decimal("2000"),
    )
    FundingProposalFactory(status="submitted", currency="EUR", amount_requested=Decimal("700"))
    FundingProposalFactory(status="approved", currency="USD", amount_requested=Decimal("10000"))

    response = editor_client.get(URL)

    pipeline = response.context["pipeline"]
    submitted = next(group for group in pipeline.groups if group.status == "submitted")
    assert [(t.currency, t.requested, t.awarded, t.count) for t in submitted.totals] == [
        ("EUR", Decimal("700.00"), None, 1),
        ("USD", Decimal("3500.50"), Decimal("2000.00"), 2),
    ]
    assert [(t.currency, t.requested, t.awarded, t.count) for t in pipeline.totals] == [
        ("EUR", Decimal("700.00"), None, 1),
        ("USD", Decimal("13500.50"), Decimal("2000.00"), 3),
    ]
    text = section(response, "submitted")
    assert "Total in USD (2 proposals)" in text
    assert "USD 3,500.50" in text
    assert "Total in EUR (1 proposal)" in text
    assert "EUR 700.00" in text
    assert "4,200.50" not in response.text
    assert "USD 13,500.50" in response.text


def test_an_empty_pipeline_says_so(editor_client):
    response = editor_client.get(URL)

    assert response.status_code == 200
    assert "No funding proposal yet." in response.text
    assert response.text.count("No proposal with this status.") == len(FundingProposal.Status)


@pytest.mark.parametrize("proposals", [3, 40])
def test_query_count_does_not_grow(editor_client, django_assert_num_queries, proposals):
    """Intended to prevent an n+1 issue on the organizations and countries of proposals."""
    donor = OrganizationFactory(kind="donor", country=None)
    statuses = FundingProposal.Status.values
    for number in range(proposals):
        proposal = FundingProposalFactory(
            status=statuses[number % len(statuses)],
            currency=["USD", "EUR"][number % 2],
            donor=donor,
        )
        proposal.countries.set([country("VNM"), country("LAO")])
    # 1. savepoint  2. session  3. user  4.-5. the user's permissions, own and from groups
    # 6. proposals with lead organization and donor  7. their countries
    # 8. totals per status and currency (added up per currency in Python)  9. release savepoint
    with django_assert_num_queries(9):
        response = editor_client.get(URL)
    assert response.context["pipeline"].count == proposals


# Open proposals and ended ones


def test_rejected_and_closed_proposals_stay_out_of_the_totals(editor_client):
    FundingProposalFactory(status="submitted", amount_requested=Decimal("120000"))
    FundingProposalFactory(
        status="in-implementation",
        amount_requested=Decimal("80000"),
        amount_awarded=Decimal("75000"),
    )
    FundingProposalFactory(title="Rejected one", status="rejected", amount_requested=300000)
    FundingProposalFactory(
        status="closed", amount_requested=Decimal("40000"), amount_awarded=Decimal("40000")
    )

    response = editor_client.get(URL)

    pipeline = response.context["pipeline"]
    assert [(t.currency, t.requested, t.awarded, t.count) for t in pipeline.totals] == [
        ("USD", Decimal("200000.00"), Decimal("75000.00"), 2),
    ]
    assert [(t.currency, t.requested, t.awarded, t.count) for t in pipeline.ended_totals] == [
        ("USD", Decimal("340000.00"), Decimal("40000.00"), 2),
    ]
    totals = response.text.split('<tbody class="pipeline-totals__open">')[1].split("</tbody>")[0]
    assert "USD 200,000.00" in totals
    assert "300,000" not in totals
    assert "500,000" not in totals
    assert "Open: 2 proposals" in response.text
    ended = response.text.split('<tbody class="pipeline-totals__ended">')[1].split("</tbody>")[0]
    assert "Rejected and closed, not in the totals: 2 proposals" in ended
    assert "USD 340,000.00" in ended
    # The rejected proposal is still listed, under its status.
    assert "Rejected one" in section(response, "rejected")


def test_without_ended_proposals_there_is_no_line_for_them(editor_client):
    FundingProposalFactory(status="idea")

    response = editor_client.get(URL)

    assert response.context["pipeline"].ended_totals == []
    assert "pipeline-totals__ended" not in response.text


def test_every_status_table_shares_the_same_column_widths(editor_client):
    """The amounts of one status stand under those of the next: the tables are laid out
    with the same columns (table-layout: fixed), numbers right-aligned in tabular figures."""
    FundingProposalFactory(status="idea", title="Short")
    FundingProposalFactory(status="approved", title="A much longer title " * 5)

    text = editor_client.get(URL).text

    table = r'<table class="data-table pipeline-table">\s*(<colgroup>.*?</colgroup>)'
    colgroups = re.findall(table, text, re.S)
    assert len(colgroups) == 2
    assert colgroups[0] == colgroups[1]
    assert colgroups[0].count("<col ") == 7
    site_css = (settings.BASE_DIR / "static/css/site.css").read_text()
    assert ".pipeline-table { table-layout: fixed;" in site_css
    assert ".data-table .num { text-align: right; font-variant-numeric: tabular-nums; }" in site_css


# CSV


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_pipeline_downloads_as_csv_one_row_per_proposal(editor_client):
    donor = OrganizationFactory(name="Global Environment Facility", kind="donor", country=None)
    proposal = FundingProposalFactory(
        title="Heart of Borneo exchange",
        status="approved",
        donor=donor,
        currency="EUR",
        amount_requested=Decimal("1250000.00"),
        amount_awarded=Decimal("900000.50"),
        submitted_on=datetime.date(2023, 3, 15),
    )
    proposal.countries.set([country("MYS"), country("IDN")])
    FundingProposalFactory(title='=HYPERLINK("https://evil.example")', status="rejected")

    page = editor_client.get(URL)
    download = editor_client.get(URL, {"format": "csv"})

    assert 'href="?format=csv" download' in page.text
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="funding-proposals-')
    rows = csv_rows(download)
    assert [row["Title"] for row in rows] == [
        "Heart of Borneo exchange",
        '\'=HYPERLINK("https://evil.example")',  # kept as text, never run as a formula
    ]
    approved, rejected = rows
    assert approved == {
        "Status": "Approved",
        "In the totals": "yes",
        "Title": "Heart of Borneo exchange",
        "Lead organization": proposal.lead_organization.name,
        "Donor": "Global Environment Facility",
        "Countries": "Indonesia, Malaysia",
        "Currency": "EUR",
        "Amount requested": "1250000.00",
        "Amount awarded": "900000.50",
        "Submitted on": "2023-03-15",
        "Decided on": "",
        "Project start": "",
        "Project end": "",
    }
    assert rejected["In the totals"] == "no"


def test_members_get_no_csv(member_client):
    FundingProposalFactory()

    assert member_client.get(URL, {"format": "csv"}).status_code == 403


def test_the_printout_carries_the_apap_letterhead(editor_client):
    text = editor_client.get(URL).text

    letterhead = text.split('<div class="print-letterhead">')[1].split("</div>")[0]
    assert "Asia Protected Areas Partnership" in letterhead
    assert "Prepared on " in letterhead
