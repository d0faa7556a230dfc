"""The member directory and the protected areas as downloads (CSV, and GeoJSON for areas)."""

import pytest

from members.models import Visibility
from tests.downloads import body_of, csv_table, geojson_of
from tests.factories import (
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    TransboundaryAreaFactory,
    country,
)

pytestmark = pytest.mark.django_db

MEMBERS = "/members/"
AREAS = "/protected-areas/"


def names(response) -> list[str]:
    return sorted(row["name"] for row in csv_table(response))


# The member directory


def test_members_download_the_filtered_directory(client):
    MemberOrganizationFactory(name="Viet Nam agency", slug="vn-agency", country=country("VNM"))
    MemberOrganizationFactory(name="Nepal agency", country=country("NPL"))
    rows = csv_table(client.get(MEMBERS, {"format": "csv", "country": "VNM"}))
    assert [row["name"] for row in rows] == ["Viet Nam agency"]
    row = rows[0]
    assert row["url"] == "http://testserver/members/vn-agency/"
    assert (row["country"], row["subregion"], row["membership_category"]) == (
        "VNM",
        "south-east",
        "country",
    )


def test_a_formula_in_a_member_name_is_kept_as_text(client):
    MemberOrganizationFactory(name='=HYPERLINK("https://evil.example")', slug="a")
    MemberOrganizationFactory(name="+cmd|' /C calc'!A0", slug="b")
    assert names(client.get(MEMBERS, {"format": "csv"})) == [
        "'+cmd|' /C calc'!A0",
        '\'=HYPERLINK("https://evil.example")',
    ]


def test_members_download_with_a_bad_filter_answers_400_naming_it(client):
    response = client.get(MEMBERS, {"format": "csv", "category": "nonsense"})
    assert response.status_code == 400
    assert response.content.decode().startswith("Invalid filter: category:")


@pytest.mark.parametrize("rows", [3, 40])
def test_members_download_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue."""
    MemberOrganizationFactory.create_batch(rows)
    # 1. savepoint  2. release  3. the organizations with country and membership
    with django_assert_num_queries(3):
        assert len(csv_table(client.get(MEMBERS, {"format": "csv"}))) == rows


# Protected areas


def test_protected_areas_download_the_filtered_list(client):
    chitwan = ProtectedAreaFactory(
        name="Chitwan National Park", slug="chitwan", iucn_category="II", wdpa_id=1
    )
    ProtectedAreaFactory(name="Annapurna", iucn_category="VI")
    TransboundaryAreaFactory(protected_areas=[chitwan])
    chitwan.countries.add(country("IND"))
    rows = csv_table(client.get(AREAS, {"format": "csv", "iucn_category": "II"}))
    assert [row["name"] for row in rows] == ["Chitwan National Park"]
    row = rows[0]
    assert row["url"] == "http://testserver/protected-areas/chitwan/"
    assert (row["wdpa_id"], row["country"], row["is_transboundary"]) == ("1", "NPL", "True")
    assert "IND" in row["countries"].split(";")
    assert (float(row["latitude"]), float(row["longitude"])) == (27.5, 84.3)


def test_members_only_areas_are_downloaded_by_members_only(client, member_client):
    ProtectedAreaFactory(name="Open park")
    ProtectedAreaFactory(name="Confidential patrol site", visibility=Visibility.MEMBERS)
    assert names(client.get(AREAS, {"format": "csv"})) == ["Open park"]
    assert names(member_client.get(AREAS, {"format": "csv"})) == [
        "Confidential patrol site",
        "Open park",
    ]
    public = geojson_of(client.get(AREAS, {"format": "geojson"}))
    assert [f["properties"]["name"] for f in public["features"]] == ["Open park"]
    assert len(geojson_of(member_client.get(AREAS, {"format": "geojson"}))["features"]) == 2


def test_protected_areas_download_follows_the_search(client):
    ProtectedAreaFactory(name="Chitwan National Park")
    ProtectedAreaFactory(name="Sagarmatha National Park")
    assert names(client.get(AREAS, {"format": "csv", "q": "chitwan"})) == ["Chitwan National Park"]


def test_a_formula_in_an_area_name_is_kept_as_text(client):
    ProtectedAreaFactory(name='=HYPERLINK("https://evil.example")')
    text = body_of(client.get(AREAS, {"format": "csv"}))
    assert ",\"'=HYPERLINK(" in text


def test_protected_areas_geojson_is_points_with_the_list_attributes(client):
    chitwan = ProtectedAreaFactory(
        name="Chitwan National Park", slug="chitwan", iucn_category="II", reported_area_km2="952.63"
    )
    chitwan.countries.add(country("IND"))
    ProtectedAreaFactory(name="Annapurna", iucn_category="VI")
    ProtectedAreaFactory(name="Somewhere", iucn_category="II", latitude=None, longitude=None)
    response = client.get(AREAS, {"format": "geojson", "iucn_category": "II"})
    assert response.streaming
    assert "apap-protected-areas-" in response["Content-Disposition"]
    collection = geojson_of(response)
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]  # the area without a location has no point
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [84.3, 27.5]}
    properties = feature["properties"]
    assert properties["url"] == "http://testserver/protected-areas/chitwan/"
    assert (properties["iucn_category"], properties["country"]) == ("II", "NPL")
    assert (properties["reported_area_km2"], properties["countries"]) == (952.63, ["IND"])
    assert "latitude" not in properties  # the point says it


def test_protected_areas_geojson_of_no_area_is_an_empty_collection(client):
    collection = geojson_of(client.get(AREAS, {"format": "geojson"}))
    assert collection == {"type": "FeatureCollection", "features": []}


def test_protected_areas_download_with_a_bad_filter_answers_400_naming_it(client):
    for wanted in ("csv", "geojson"):
        response = client.get(AREAS, {"format": wanted, "iucn_category": "XII"})
        assert response.status_code == 400
        assert "iucn_category" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 40])
def test_protected_areas_download_query_count_does_not_grow(
    client, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue: the countries come in the rows' own query."""
    for area in ProtectedAreaFactory.create_batch(rows):
        area.countries.add(country("IND"))
    # 1. savepoint  2. release  3. the areas, their countries as a subquery
    with django_assert_num_queries(3):
        assert len(csv_table(client.get(AREAS, {"format": "csv"}))) == rows
    with django_assert_num_queries(3):
        assert len(geojson_of(client.get(AREAS, {"format": "geojson"}))["features"]) == rows


def test_the_protected_area_list_links_csv_and_geojson_with_its_filters(client):
    ProtectedAreaFactory(iucn_category="II")
    html = client.get(AREAS, {"iucn_category": "II"}).text
    assert 'href="?iucn_category=II&amp;format=csv" download>Download CSV</a>' in html
    assert 'href="?iucn_category=II&amp;format=geojson" download>Download GeoJSON</a>' in html
    MemberOrganizationFactory()
    assert 'href="?format=csv" download>Download CSV</a>' in client.get(MEMBERS).text
