"""The countries list as a CSV download."""

import pytest

from tests.downloads import csv_table
from tests.factories import CountryStatisticsFactory, country

pytestmark = pytest.mark.django_db


def test_countries_download_in_the_list_order_with_their_coverage(client):
    CountryStatisticsFactory()  # Viet Nam
    response = client.get("/countries/", {"format": "csv", "sort": "land"})
    assert response.streaming
    assert "apap-countries-" in response["Content-Disposition"]
    rows = csv_table(response)
    first = rows[0]  # the only country with statistics comes first by land coverage
    assert (first["iso3"], first["name"], first["url"]) == (
        "VNM",
        "Viet Nam",
        "http://testserver/countries/vnm/",
    )
    assert (first["oecm_pa_land_percent"], first["statistics_as_of"]) == ("7.57", "2026-05-01")
    assert rows[1]["oecm_pa_land_percent"] == ""
    assert "AUS" not in [row["iso3"] for row in rows]  # Asia only, as the page


@pytest.mark.parametrize("with_statistics", [["VNM"], ["VNM", "LAO", "KHM", "THA", "MNG"]])
def test_countries_download_query_count_is_constant(
    client, django_assert_num_queries, with_statistics
):
    """Intended to prevent an n+1 issue on statistics and members."""
    for iso3 in with_statistics:
        CountryStatisticsFactory(country=country(iso3))
    # 1. savepoint  2. release  3. the countries with their statistics and whether a
    # member is there
    with django_assert_num_queries(3):
        rows = csv_table(client.get("/countries/", {"format": "csv"}))
    assert sum(1 for row in rows if row["statistics_as_of"]) == len(with_statistics)


def test_the_countries_list_links_its_csv_in_its_order(client):
    html = client.get("/countries/", {"sort": "sea"}).text
    assert 'href="?sort=sea&amp;format=csv" download>Download CSV</a>' in html
