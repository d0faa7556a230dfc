"""Protected areas in PostGIS: boundaries, map points and OECMs kept apart (issue 15)."""

import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from members.models import ProtectedArea
from tests.factories import ProtectedAreaFactory

pytestmark = pytest.mark.django_db

MAP_URL = "/protected-areas/map.geojson"


def square(west: float, south: float, size: float) -> Polygon:
    return Polygon.from_bbox((west, south, west + size, south + size))


def two_parcels() -> MultiPolygon:
    """Two parcels of one site, as the WDPA gives a site in several parts."""
    return MultiPolygon(square(105.0, 20.0, 0.2), square(105.5, 20.0, 0.1), srid=4326)


@pytest.fixture
def cuc_phuong():
    """A site the WDPA gives as polygons only: no reported point."""
    return ProtectedAreaFactory(
        name="Cuc Phuong National Park", latitude=None, longitude=None, boundary=two_parcels()
    )


def test_an_area_with_only_a_boundary_gets_a_map_point_inside_it(cuc_phuong):
    area = ProtectedArea.objects.get(pk=cuc_phuong.pk)

    assert area.map_point is not None
    assert area.boundary.contains(area.map_point)


def test_a_reported_point_is_the_map_point_even_with_a_boundary():
    area = ProtectedAreaFactory(latitude=20.31, longitude=105.61, boundary=two_parcels())
    area.refresh_from_db()

    assert (area.map_point.x, area.map_point.y) == pytest.approx((105.61, 20.31))


def test_the_map_point_follows_an_update_that_sends_no_signal(cuc_phuong):
    """Imports write with update() and bulk_create(): PostGIS computes the point."""
    ProtectedArea.objects.filter(pk=cuc_phuong.pk).update(latitude=10, longitude=100)

    area = ProtectedArea.objects.get(pk=cuc_phuong.pk)
    assert (area.map_point.x, area.map_point.y) == (100, 10)


def test_an_area_without_point_or_boundary_has_no_place_on_the_map():
    ProtectedAreaFactory(latitude=None, longitude=None)

    assert not ProtectedArea.objects.with_location().exists()


def test_boundary_only_areas_are_on_the_map_and_in_its_boxes(client, cuc_phuong):
    everywhere = client.get(MAP_URL).json()
    inside = client.get(MAP_URL, {"bbox": "104,19,106,21"}).json()
    elsewhere = client.get(MAP_URL, {"bbox": "80,19,90,21"}).json()

    assert [f["properties"]["name"] for f in everywhere["features"]] == [cuc_phuong.name]
    assert inside["total"] == 1
    assert elsewhere["total"] == 0
    longitude, latitude = everywhere["features"][0]["geometry"]["coordinates"]
    assert cuc_phuong.boundary.contains(Point(longitude, latitude, srid=4326))


def test_boundary_geojson_is_a_feature_of_the_whole_boundary(client, cuc_phuong):
    response = client.get(f"/protected-areas/{cuc_phuong.slug}/boundary.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = json.loads(response.content)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert len(feature["geometry"]["coordinates"]) == 2  # both parcels
    assert feature["properties"] == {
        "name": "Cuc Phuong National Park",
        "url": cuc_phuong.get_absolute_url(),
        "wdpa_id": None,
        "site_type": "pa",
    }


def test_boundary_geojson_is_404_without_a_boundary_or_for_whom_may_not_see_it(
    client, member_client
):
    without = ProtectedAreaFactory()
    hidden = ProtectedAreaFactory(visibility="members", boundary=two_parcels())

    assert client.get(f"/protected-areas/{without.slug}/boundary.geojson").status_code == 404
    assert client.get(f"/protected-areas/{hidden.slug}/boundary.geojson").status_code == 404
    assert member_client.get(f"/protected-areas/{hidden.slug}/boundary.geojson").status_code == 200


def test_the_areas_page_asks_its_map_to_draw_the_boundary(client, cuc_phuong):
    with_boundary = client.get(cuc_phuong.get_absolute_url()).text
    point_only = client.get(ProtectedAreaFactory().get_absolute_url()).text

    assert f'data-boundary-url="/protected-areas/{cuc_phuong.slug}/boundary.geojson"' in (
        with_boundary
    )
    assert 'data-point="20.' in with_boundary  # the map point, inside the boundary
    assert "data-boundary-url" not in point_only
    assert 'data-point="27.5,84.3"' in point_only


def test_the_areas_page_reads_no_boundary(client, cuc_phuong):
    """The boundary can hold thousands of points: the page asks only whether there is one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(cuc_phuong.get_absolute_url())

    area_query = next(q["sql"] for q in queries if 'FROM "members_protectedarea"' in q["sql"])
    assert '"members_protectedarea"."boundary",' not in area_query


# OECMs


@pytest.fixture
def oecm():
    return ProtectedAreaFactory(
        name="Community forest of Ban Pong", site_type="oecm", designation="Community Forest"
    )


def test_an_oecm_is_labelled_on_its_page(client, oecm):
    page = client.get(oecm.get_absolute_url()).text

    assert '<abbr title="Other effective area-based conservation measure">OECM</abbr>' in page
    assert "?site_type=oecm" in page


@pytest.mark.parametrize(
    ("site_type", "expected"), [("oecm", ["oecm"]), ("pa", ["pa"]), ("", ["oecm", "pa"])]
)
def test_the_list_and_the_map_filter_by_site_type(client, oecm, site_type, expected):
    ProtectedAreaFactory(name="Chitwan National Park")
    query = {"site_type": site_type}

    listed = client.get("/protected-areas/", query).context["object_list"]
    mapped = client.get(MAP_URL, query).json()["features"]

    assert sorted(area.site_type for area in listed) == expected
    assert sorted(feature["properties"]["site_type"] for feature in mapped) == expected


def test_an_unknown_site_type_is_refused_with_the_reason(client):
    response = client.get(MAP_URL, {"site_type": "park"})

    assert response.status_code == 400
    assert "site_type" in response.json()["errors"]


def test_an_oecm_is_labelled_in_the_list(client, oecm):
    ProtectedAreaFactory(name="Chitwan National Park")

    page = client.get("/protected-areas/").text

    assert page.count(">OECM</abbr>") == 1
