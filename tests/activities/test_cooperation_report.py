"""The cooperation report: what a partner did with APAP during a period, as a page and CSV.

Emma (editor) prepares the report on Viet Nam's Nature and Biodiversity Conservation
Agency (NBCA) for the first half of 2023; members and visitors have no access.
"""

import csv
import datetime
import html
import io
import re

import pytest
from django.conf import settings
from django.utils import timezone

from activities.forms import CooperationReportForm
from activities.reports import period_bounds
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    OrganizationFactory,
    country,
    work_area,
)

pytestmark = pytest.mark.django_db

URL = "/reports/cooperation/"
H1_2023 = {"partner": "nbca", "period": "2023-H1"}

# Query counts include the savepoint and its release that wrap each request in
# tests (ATOMIC_REQUESTS), and the session and user of the signed-in editor.


@pytest.fixture
def nbca():
    return OrganizationFactory(
        name="Nature and Biodiversity Conservation Agency",
        acronym="NBCA",
        slug="nbca",
        country=country("VNM"),
    )


@pytest.fixture
def iucn():
    return OrganizationFactory(
        name="IUCN Asia Regional Office",
        slug="iucn-aro",
        kind="intergovernmental",
        country=country("THA"),
    )


def cooperation(partner, role="partner", **fields):
    """An activity on which `partner` cooperated in `role`."""
    activity = ActivityFactory(**fields)
    ActivityOrganizationFactory(activity=activity, organization=partner, role=role)
    return activity


def report_titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row.activity.title for row in response.context["report"].rows]


def html_rows(response) -> list[tuple[str, str]]:
    """(title, partner role) of each activity, as the page shows them."""
    titles = re.findall(r'class="report-item__link"[^>]*>([^<]*)</a>', response.text)
    roles = re.findall(r'class="report-item__role">([^<]*)</dd>', response.text)
    return [
        (html.unescape(title), html.unescape(role))
        for title, role in zip(titles, roles, strict=True)
    ]


def report_part(response) -> str:
    """The page below the form: the report itself (the form lists every organization)."""
    return response.text.split('<section class="results"', 1)[1]


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# Who may see it


@pytest.mark.parametrize(
    "query", [{}, H1_2023, {**H1_2023, "format": "csv"}], ids=["form", "report", "csv"]
)
def test_only_staff_see_the_report(
    client, member_client, other_member_client, editor_client, nbca, query
):
    cooperation(nbca, title="Members-only steering committee", visibility="members")

    anonymous = client.get(URL, query)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=/reports/cooperation/")
    assert member_client.get(URL, query).status_code == 403
    assert other_member_client.get(URL, query).status_code == 403
    assert editor_client.get(URL, query).status_code == 200


def test_without_parameters_the_form_is_shown_without_errors(editor_client):
    response = editor_client.get(URL)

    assert response.status_code == 200
    assert response.context["report"] is None
    assert '<label for="id_partner">Partner organization</label>' in response.text
    assert '<input type="date" name="start"' in response.text
    assert "field__error" not in response.text
    assert "form-errors" not in response.text


def test_the_report_is_available_in_vietnamese(editor_client, nbca):
    cooperation(nbca, title="Exchange visit to Cuc Phuong", start_date=datetime.date(2023, 3, 2))

    response = editor_client.get("/vi/reports/cooperation/", H1_2023)

    assert report_titles(response) == ["Exchange visit to Cuc Phuong"]


# What it shows


def test_activities_are_grouped_by_work_area_with_a_count_each(editor_client, nbca):
    cooperation(
        nbca,
        title="Training on protected-area management effectiveness",
        start_date=datetime.date(2023, 5, 10),
    )
    cooperation(
        nbca,
        title="Exchange visit on transboundary cooperation",
        work_area=work_area("transboundary-cooperation"),
        start_date=datetime.date(2023, 2, 1),
    )
    cooperation(
        nbca,
        title="Workshop on transboundary landscapes",
        work_area=work_area("transboundary-cooperation"),
        start_date=datetime.date(2023, 6, 1),
    )

    response = editor_client.get(URL, H1_2023)

    groups = [
        (group.work_area.slug, [row.activity.title for row in group.rows])
        for group in response.context["report"].groups
    ]
    assert groups == [
        ("knowledge-capacity", ["Training on protected-area management effectiveness"]),
        (
            "transboundary-cooperation",
            ["Exchange visit on transboundary cooperation", "Workshop on transboundary landscapes"],
        ),
        ("awareness-advocacy", []),
    ]
    assert "3 activities" in response.text
    assert "1 activity</span>" in response.text
    assert "2 activities</span>" in response.text
    assert "0 activities</span>" in response.text
    assert "No activity in this work area during the period." in response.text


def test_heading_names_the_partner_the_period_and_the_total(editor_client, nbca):
    cooperation(nbca, start_date=datetime.date(2023, 4, 27))

    response = editor_client.get(URL, H1_2023)

    assert "Cooperation with Nature and Biodiversity Conservation Agency" in response.text
    assert re.search(r"From 1 January 2023 to 30 June 2023:\s+1 activity\s+</p>", response.text)


def test_each_activity_shows_dates_place_roles_organizers_and_summary(editor_client, nbca, iucn):
    activity = cooperation(
        nbca,
        role="host",
        title="Regional workshop on management effectiveness",
        start_date=datetime.date(2023, 4, 25),
        end_date=datetime.date(2023, 4, 27),
        city="Ha Noi",
        country=country("VNM"),
        participants_count=42,
        summary="Twelve member agencies compared their assessments.",
    )
    ActivityOrganizationFactory(activity=activity, organization=nbca, role="co-organizer")
    ActivityOrganizationFactory(activity=activity, organization=iucn, role="organizer")
    ActivityOrganizationFactory(
        activity=activity,
        organization=OrganizationFactory(name="A participant"),
        role="participant",
    )

    response = editor_client.get(URL, H1_2023)

    assert html_rows(response) == [
        ("Regional workshop on management effectiveness", "Co-organizer, Host")
    ]
    text = report_part(response)
    assert "25–27 April 2023" in text
    assert "Ha Noi, Viet Nam" in text
    assert "Workshop" in text
    assert 'href="/activities/regional-workshop-on-management-effectiveness/"' in text
    assert 'IUCN Asia Regional Office <span class="hint">(organizer)</span>' in text
    assert "A participant" not in text
    assert "42" in text
    assert "Twelve member agencies compared their assessments." in text


def test_only_the_partners_activities_and_no_cancelled_ones(editor_client, nbca, iucn):
    cooperation(nbca, title="With NBCA", start_date=datetime.date(2023, 3, 1))
    cooperation(iucn, title="Without NBCA", start_date=datetime.date(2023, 3, 1))
    cooperation(
        nbca, title="Cancelled with NBCA", status="cancelled", start_date=datetime.date(2023, 3, 1)
    )
    cooperation(
        nbca, title="Planned with NBCA", status="planned", start_date=datetime.date(2023, 6, 20)
    )
    cooperation(
        nbca,
        title="Members-only with NBCA",
        visibility="members",
        start_date=datetime.date(2023, 5, 1),
    )

    response = editor_client.get(URL, H1_2023)

    assert report_titles(response) == ["With NBCA", "Members-only with NBCA", "Planned with NBCA"]
    assert "Without NBCA" not in report_part(response)
    assert "Cancelled with NBCA" not in report_part(response)


def test_period_boundaries_are_inclusive(editor_client, nbca):
    cooperation(
        nbca,
        title="Ends on the first day",
        start_date=datetime.date(2022, 12, 28),
        end_date=datetime.date(2023, 1, 1),
    )
    cooperation(nbca, title="One day on the last day", start_date=datetime.date(2023, 6, 30))
    cooperation(
        nbca,
        title="Spans the whole period",
        start_date=datetime.date(2022, 11, 1),
        end_date=datetime.date(2023, 8, 31),
    )
    cooperation(nbca, title="Starts the day after", start_date=datetime.date(2023, 7, 1))
    cooperation(
        nbca,
        title="Ends the day before",
        start_date=datetime.date(2022, 12, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    cooperation(nbca, title="One day the day before", start_date=datetime.date(2022, 12, 31))

    response = editor_client.get(URL, H1_2023)

    assert sorted(report_titles(response)) == [
        "Ends on the first day",
        "One day on the last day",
        "Spans the whole period",
    ]


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2023-H1", datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)),
        ("2023-H2", datetime.date(2023, 7, 1), datetime.date(2023, 12, 31)),
        ("2023", datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),
        ("2024-H1", datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
    ],
)
def test_quick_periods_set_the_dates(editor_client, nbca, period, start, end):
    cooperation(nbca, start_date=datetime.date(2013, 11, 13))

    response = editor_client.get(URL, {"partner": "nbca", "period": period})

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end) == (start, end)
    assert period_bounds(period) == (start, end)


def test_explicit_dates_win_over_the_quick_period(editor_client, nbca):
    cooperation(nbca, title="In March", start_date=datetime.date(2023, 3, 10))
    cooperation(nbca, title="In May", start_date=datetime.date(2023, 5, 10))

    response = editor_client.get(
        URL, {"partner": "nbca", "period": "2023-H1", "start": "2023-03-01", "end": "2023-03-31"}
    )

    assert report_titles(response) == ["In March"]
    assert "From 1 March 2023 to 31 March 2023:" in response.text


def test_quick_periods_run_from_the_first_activity_year_to_next_year_newest_first(nbca):
    cooperation(nbca, start_date=datetime.date(2013, 11, 13))
    next_year = datetime.date.today().year + 1

    choices = CooperationReportForm().fields["period"].choices

    years = [group for group, _options in choices[1:]]
    assert years == [str(year) for year in range(next_year, 2012, -1)]
    assert choices[1][1][0][0] == str(next_year)
    assert [value for value, _label in dict(choices[1:])["2023"]] == ["2023", "2023-H2", "2023-H1"]


# The CSV


def test_csv_rows_equal_the_page_rows(editor_client, nbca, iucn):
    first = cooperation(
        nbca,
        role="host",
        title="Technical workshop on OECMs, Ha Noi",
        kind="technical-workshop",
        start_date=datetime.date(2023, 3, 14),
        end_date=datetime.date(2023, 3, 16),
        city="Ha Noi",
        country=country("VNM"),
        participants_count=35,
        summary="Agencies discussed “other effective area-based conservation measures”.",
    )
    ActivityOrganizationFactory(activity=first, organization=iucn, role="organizer")
    cooperation(
        nbca,
        title="Webinar on the GBF",
        kind="webinar",
        work_area=work_area("awareness-advocacy"),
        start_date=datetime.date(2023, 2, 1),
        is_online=True,
        city="",
        country=None,
    )
    cooperation(
        nbca,
        title="Exchange visit",
        work_area=work_area("transboundary-cooperation"),
        start_date=datetime.date(2023, 6, 5),
    )

    page = editor_client.get(URL, H1_2023)
    download = editor_client.get(URL, {**H1_2023, "format": "csv"})

    assert (
        download["Content-Disposition"]
        == 'attachment; filename="cooperation-nbca-2023-01-01-2023-06-30.csv"'
    )
    rows = csv_rows(download)
    assert [(row["Title"], row["Partner role"]) for row in rows] == html_rows(page)
    assert list(rows[0]) == [
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
    assert rows[0] == {
        "Work area": "Knowledge sharing and capacity building",
        "Start date": "2023-03-14",
        "End date": "2023-03-16",
        "Dates": "14–16 March 2023",
        "Title": "Technical workshop on OECMs, Ha Noi",
        "Kind": "Technical workshop",
        "Place": "Ha Noi, Viet Nam",
        "Partner role": "Host",
        "Organizers": "IUCN Asia Regional Office (Organizer)",
        "Participants": "35",
        "Summary": "Agencies discussed “other effective area-based conservation measures”.",
        "URL": "http://testserver/activities/technical-workshop-on-oecms-ha-noi/",
    }
    assert rows[1]["Work area"] == "Transboundary and regional cooperation"
    assert rows[2]["Place"] == "Online"
    assert rows[2]["End date"] == "2023-02-01"


def test_csv_with_bad_parameters_shows_the_form_instead(editor_client, nbca):
    response = editor_client.get(URL, {"partner": "nbca", "period": "2023-H3", "format": "csv"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "There is no such period" in response.text


def test_csv_without_parameters_explains_what_is_missing(editor_client):
    response = editor_client.get(URL, {"format": "csv"})

    assert response.status_code == 400
    assert "Choose the partner organization." in response.text


# Bad input


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"partner": "no-such-agency", "period": "2023-H1"}, "There is no such organization"),
        ({"period": "2023-H1"}, "Choose the partner organization."),
        ({"partner": "nbca"}, "Choose a period, or give the first and the last day."),
        (
            {"partner": "nbca", "start": "2023-06-30", "end": "2023-01-01"},
            "The last day cannot be before the first day.",
        ),
        ({"partner": "nbca", "start": "2023-02-30", "end": "2023-03-31"}, "Enter a real date"),
        ({"partner": "nbca", "start": "2023-01-01", "end": "30/06/2023"}, "Enter a real date"),
        ({"partner": "nbca", "period": "2023-H3"}, "There is no such period"),
        ({"partner": "nbca", "period": "1066"}, "There is no such period"),
        ({"partner": "nbca", "start": "2023-01-01"}, "Give the last day too"),
        ({"partner": "nbca", "end": "2023-01-01"}, "Give the first day too"),
        (
            {"partner": "nbca", "start": "2000-01-01", "end": "2023-12-31"},
            "A report covers at most 10 years",
        ),
        (
            {"partner": "nbca", "start": "9999-01-01", "end": "9999-12-31"},
            "A report covers at most 10 years",
        ),
    ],
)
def test_bad_parameters_bring_the_form_back_with_an_error(editor_client, nbca, query, error):
    cooperation(nbca, start_date=datetime.date(2020, 1, 1))

    response = editor_client.get(URL, query)

    assert response.status_code == 400
    assert error in response.text
    assert response.context["report"] is None


def test_ten_years_exactly_is_allowed(editor_client, nbca):
    response = editor_client.get(
        URL, {"partner": "nbca", "start": "2014-01-01", "end": "2023-12-31"}
    )

    assert response.status_code == 200


def test_the_form_keeps_what_was_chosen(editor_client, nbca):
    cooperation(nbca, start_date=datetime.date(2023, 4, 27))

    response = editor_client.get(
        URL, {"partner": "nbca", "start": "2023-01-01", "end": "2023-02-30"}
    )

    assert '<option value="nbca" selected>' in response.text
    assert 'value="2023-01-01"' in response.text
    # The error is announced with the field it belongs to.
    assert 'aria-describedby="id_end_helptext id_end_error"' in response.text
    assert '<div id="id_end_error" role="alert"><p class="field__error">Enter a real date' in (
        response.text
    )


# Printing


def test_the_report_prints_on_a4_with_its_own_stylesheet(editor_client, nbca):
    cooperation(nbca, start_date=datetime.date(2023, 4, 27))

    response = editor_client.get(URL, H1_2023)

    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in response.text
    assert '<script src="/static/js/print-button.js" defer></script>' in response.text
    assert "<script>" not in response.text
    assert "style=" not in response.text


def test_the_printout_carries_the_apap_letterhead_and_the_day_it_was_prepared(editor_client, nbca):
    cooperation(nbca, start_date=datetime.date(2023, 4, 27))

    text = editor_client.get(URL, H1_2023).text
    today = timezone.localdate()

    letterhead = text.split('<div class="print-letterhead">')[1].split("</div>")[0]
    assert '<img class="print-letterhead__logo" src="/static/img/favicon.svg" alt=""' in letterhead
    assert "Asia Protected Areas Partnership" in letterhead
    assert f"Prepared on {today.day} {today:%B %Y}" in letterhead
    # On paper only: the screen's stylesheet hides it, the printer's shows it.
    site_css = (settings.BASE_DIR / "static/css/site.css").read_text()
    print_css = (settings.BASE_DIR / "static/css/print.css").read_text()
    assert ".print-letterhead { display: none; }" in site_css
    assert re.search(r"\.print-letterhead \{\s*display: flex !important;", print_css)


def test_the_form_alone_has_no_letterhead(editor_client):
    assert "print-letterhead" not in editor_client.get(URL).text


def test_members_only_activities_carry_no_printed_address(editor_client, nbca):
    cooperation(nbca, title="Public one", slug="public-one", start_date=datetime.date(2023, 3, 1))
    cooperation(
        nbca, title="Members one", visibility="members", start_date=datetime.date(2023, 3, 2)
    )

    response = editor_client.get(URL, H1_2023)

    assert 'data-print-url="http://testserver/activities/public-one/"' in response.text
    assert response.text.count("data-print-url=") == 1


# Queries


@pytest.mark.parametrize("activities", [3, 60])
def test_query_count_does_not_grow(
    editor_client, django_assert_num_queries, nbca, iucn, activities
):
    """Intended to prevent an n+1 issue on the activities and their organizations."""
    for number in range(activities):
        activity = cooperation(
            nbca,
            start_date=datetime.date(2023, 1, 1) + datetime.timedelta(days=number % 180),
            work_area=work_area(
                ["knowledge-capacity", "transboundary-cooperation", "awareness-advocacy"][
                    number % 3
                ]
            ),
        )
        ActivityOrganizationFactory(activity=activity, organization=iucn, role="organizer")
    # 1. savepoint  2. session  3. user  4.-5. the user's permissions, own and from groups
    # 6. first activity year (quick periods)  7. the partner by its slug  8. work areas
    # 9. activities with work area and country  10. their organizations' roles with the
    # organizations  11. organizations of the form  12. release savepoint
    with django_assert_num_queries(12):
        response = editor_client.get(URL, H1_2023)
    assert response.context["report"].total == activities
    # The CSV does without the form's list of organizations.
    with django_assert_num_queries(11):
        assert editor_client.get(URL, {**H1_2023, "format": "csv"}).status_code == 200
