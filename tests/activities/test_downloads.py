"""The activity list as a CSV download."""

import datetime

import pytest

from tests.downloads import csv_table
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    OrganizationFactory,
    country,
    translation,
)

pytestmark = pytest.mark.django_db

ACTIVITIES = "/activities/"


def titles(response) -> list[str]:
    return sorted(row["title"] for row in csv_table(response))


def test_activities_download_the_filtered_list(client):
    workshop = ActivityFactory(
        title="Transboundary workshop",
        slug="tb-workshop",
        start_date=datetime.date(2023, 4, 27),
        end_date=datetime.date(2023, 4, 29),
    )
    workshop.participating_countries.add(country("VNM"), country("LAO"))
    ActivityOrganizationFactory(activity=workshop, organization=OrganizationFactory(slug="nbca"))
    ActivityFactory(title="An older workshop", start_date=datetime.date(2019, 3, 1))
    response = client.get(ACTIVITIES, {"format": "csv", "year": "2023"})
    assert response.streaming
    rows = csv_table(response)
    assert [row["title"] for row in rows] == ["Transboundary workshop"]
    row = rows[0]
    assert row["url"] == "http://testserver/activities/tb-workshop/"
    assert (row["start_date"], row["end_date"]) == ("2023-04-27", "2023-04-29")
    assert (row["country"], row["participating_countries"]) == ("IND", "LAO;VNM")
    assert (row["organizations"], row["work_area"], row["language"]) == (
        "nbca",
        "knowledge-capacity",
        "en",
    )


def test_members_only_activities_are_downloaded_by_members_only(client, member_client):
    ActivityFactory(title="Open forum")
    ActivityFactory(title="Steering committee", visibility="members")
    assert titles(client.get(ACTIVITIES, {"format": "csv"})) == ["Open forum"]
    assert titles(member_client.get(ACTIVITIES, {"format": "csv"})) == [
        "Open forum",
        "Steering committee",
    ]


def test_activities_download_follows_the_search(client):
    ActivityFactory(title="Mangrove field visit")
    ActivityFactory(title="Ranger forum")
    assert titles(client.get(ACTIVITIES, {"format": "csv", "q": "mangrove"})) == [
        "Mangrove field visit"
    ]


def test_a_formula_in_an_activity_title_is_kept_as_text(client):
    ActivityFactory(title='=HYPERLINK("https://evil.example","click")')
    assert titles(client.get(ACTIVITIES, {"format": "csv"})) == [
        '\'=HYPERLINK("https://evil.example","click")'
    ]


def test_activities_download_in_vietnamese_where_translated(client):
    activity = ActivityFactory(title="Regional workshop", summary="Agencies met.")
    translation(activity, title="Hội thảo khu vực", summary="Các cơ quan đã gặp nhau.")
    ActivityFactory(title="Ranger forum")
    rows = {row["slug"]: row for row in csv_table(client.get("/vi" + ACTIVITIES + "?format=csv"))}
    assert (rows[activity.slug]["title"], rows[activity.slug]["language"]) == (
        "Hội thảo khu vực",
        "vi",
    )
    assert rows[activity.slug]["summary"] == "Các cơ quan đã gặp nhau."
    assert "Ranger forum" in [row["title"] for row in rows.values()]


def test_activities_download_with_a_bad_filter_answers_400_naming_it(client):
    response = client.get(ACTIVITIES, {"format": "csv", "year": "soon"})
    assert response.status_code == 400
    assert response.content.decode().startswith("Invalid filter: year:")


@pytest.mark.parametrize("rows", [3, 40])
def test_activities_download_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue: related keys come in the rows' own query."""
    organization = OrganizationFactory()
    for activity in ActivityFactory.create_batch(rows):
        activity.participating_countries.add(country("VNM"))
        ActivityOrganizationFactory(activity=activity, organization=organization)
    # 1. savepoint  2. release  3. the activities, their countries, organizations and
    # targets as subqueries, their translation joined
    with django_assert_num_queries(3):
        assert len(csv_table(client.get(ACTIVITIES, {"format": "csv"}))) == rows


def test_the_activity_list_links_its_csv_with_its_filters(client):
    ActivityFactory(start_date=datetime.date(2023, 4, 27))
    html = client.get(ACTIVITIES, {"year": "2023"}).text
    assert 'href="?year=2023&amp;format=csv" download>Download CSV</a>' in html
