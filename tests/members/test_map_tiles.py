"""The map in tiles: every area reachable, clusters far out, boundaries close in (issue 15).

Anna is an anonymous visitor; Minh is a member, who also sees members-only areas.
"""

import datetime
import json
import math

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone

from members import map_tiles
from members.map_tiles import BOUNDARY_ZOOM, MAX_TILE_BYTES, Tile
from members.models import GreenListStatus, ProtectedArea, Visibility
from tests.factories import ProtectedAreaFactory, country

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def tile_of(longitude: float, latitude: float, zoom: int) -> Tile:
    """The tile of a zoom that holds a point (as a map library computes it)."""
    side = 2**zoom
    x = min(side - 1, int((longitude + 180) / 360 * side))
    mercator = math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))
    y = min(side - 1, max(0, int((1 - mercator / math.pi) / 2 * side)))
    return Tile(zoom, x, y)


def url(tile: Tile) -> str:
    return f"/protected-areas/map/{tile.zoom}/{tile.x}/{tile.y}.geojson"


def get_tile(client, tile: Tile, **params) -> dict:
    response = client.get(url(tile), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def every_tile(zoom: int):
    side = 2**zoom
    return [Tile(zoom, x, y) for x in range(side) for y in range(side)]


def counted(features: list[dict]) -> int:
    """How many areas a tile's features stand for: a cluster its count, a point one."""
    return sum(feature["properties"].get("count", 1) for feature in features)


def areas_reached(client, zoom: int, **params) -> int:
    return sum(counted(get_tile(client, tile, **params)["features"]) for tile in every_tile(zoom))


def square(west: float, south: float, size: float) -> Polygon:
    return Polygon.from_bbox((west, south, west + size, south + size))


def rings(geometry: dict) -> list[list]:
    """The rings of a GeoJSON Polygon or MultiPolygon, or the lines of a (Multi)LineString."""
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def ragged_circle(
    longitude: float, latitude: float, radius: float, vertices: int, roughness: float = 0.3
) -> Polygon:
    """A polygon of many vertices, none of which a simplification may drop as collinear.

    Every other vertex stands out by `roughness` of the radius.
    """
    ring = []
    for step in range(vertices):
        angle = 2 * math.pi * step / vertices
        reach = radius * (1 + roughness * (step % 2))
        ring.append((longitude + reach * math.cos(angle), latitude + reach * math.sin(angle)))
    ring.append(ring[0])
    return Polygon(ring)


# Far out: every area counted, once


@pytest.mark.parametrize("zoom", [0, 1, 2, 3])
def test_at_every_low_zoom_the_tiles_count_each_listed_area_once(client, zoom):
    # Areas on the edges of tiles (the equator, the meridians of 0° and 90°, the
    # antimeridian) and beyond the latitudes Web Mercator shows (85.05°).
    for latitude, longitude in [
        (27.5, 84.3),
        (27.6, 84.4),
        (0.0, 90.0),
        (-10.0, 0.0),
        (45.0, 180.0),
        (45.0, -180.0),
        (88.0, 100.0),
        (-89.0, -50.0),
        (20.3, 105.6),
    ]:
        ProtectedAreaFactory(latitude=latitude, longitude=longitude)
    ProtectedAreaFactory(latitude=None, longitude=None)  # nowhere: in no list of the map
    listed = client.get("/protected-areas/").context["paginator"].count

    assert areas_reached(client, zoom) == 9 == listed - 1


def test_a_cluster_says_how_many_and_the_box_they_fill(client):
    for latitude, longitude in [(27.5, 84.3), (27.9, 84.8), (28.1, 85.2)]:
        ProtectedAreaFactory(latitude=latitude, longitude=longitude)

    (cluster,) = get_tile(client, Tile(0, 0, 0))["features"]

    assert cluster["properties"] == {"count": 3, "bbox": [84.3, 27.5, 85.2, 28.1]}
    longitude, latitude = cluster["geometry"]["coordinates"]
    assert 84.3 < longitude < 85.2
    assert 27.5 < latitude < 28.1


def test_an_area_alone_in_its_cell_is_its_own_point_with_its_link(client):
    ProtectedAreaFactory(name="Chitwan", slug="chitwan", latitude=27.5, longitude=84.3)
    ProtectedAreaFactory(name="Shiretoko", country=country("JPN"), latitude=44.07, longitude=145.1)

    collection = get_tile(client, Tile(1, 1, 0))

    assert collection["clustered"] is True
    assert sorted(f["properties"]["name"] for f in collection["features"]) == [
        "Chitwan",
        "Shiretoko",
    ]
    chitwan = next(f for f in collection["features"] if f["properties"]["name"] == "Chitwan")
    assert chitwan["geometry"] == {"type": "Point", "coordinates": [84.3, 27.5]}
    assert chitwan["properties"] == {
        "name": "Chitwan",
        "url": "/protected-areas/chitwan/",
        "country": "Nepal",
        "iucn_category": "Not Reported",
        "site_type": "pa",
    }


def test_the_lists_filters_apply_to_the_tiles(client):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    ProtectedAreaFactory(name="Community forest", site_type="oecm", latitude=27.6, longitude=84.2)
    ProtectedAreaFactory(name="Shiretoko", country=country("JPN"), latitude=44.07, longitude=145.1)

    assert areas_reached(client, 1) == 3
    assert areas_reached(client, 1, country="NPL") == 2
    assert areas_reached(client, 1, site_type="oecm") == 1
    assert areas_reached(client, 1, site_type="pa", country="NPL") == 1
    assert areas_reached(client, 1, q="shiretoko") == 1


@pytest.mark.parametrize(
    ("params", "parameter"), [({"site_type": "park"}, "site_type"), ({"realm": "lunar"}, "realm")]
)
def test_a_bad_filter_answers_400_naming_it(client, params, parameter):
    response = client.get(url(Tile(0, 0, 0)), params)

    assert response.status_code == 400
    assert parameter in json.loads(response.content)["errors"]


@pytest.mark.parametrize(
    ("path", "parameter", "code"),
    [
        ("19/0/0", "zoom", "max_value"),
        ("2/4/0", "x", "out_of_range"),
        ("3/0/8", "y", "out_of_range"),
    ],
)
def test_a_tile_that_does_not_exist_answers_400_naming_what_is_wrong(client, path, parameter, code):
    response = client.get(f"/protected-areas/map/{path}.geojson")

    assert response.status_code == 400
    (error,) = json.loads(response.content)["errors"][parameter]
    assert error["code"] == code
    assert error["message"]


# Members-only areas


def test_a_members_only_area_never_reaches_the_public_in_a_count_or_a_boundary(
    client, member_client
):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    hidden = ProtectedAreaFactory(
        name="Confidential Patrol Site",
        latitude=None,
        longitude=None,
        boundary=MultiPolygon(square(84.3, 27.3, 0.2), srid=4326),
        visibility=Visibility.MEMBERS,
    )
    far = Tile(0, 0, 0)
    close = tile_of(84.35, 27.35, BOUNDARY_ZOOM)
    # Minh asks first, so that the members' tiles are in the cache before Anna asks.
    assert counted(get_tile(member_client, far)["features"]) == 2
    assert hidden.slug in json.dumps(get_tile(member_client, close))

    public_far = get_tile(client, far)["features"]
    public_close = get_tile(client, close)

    assert counted(public_far) == 1
    assert public_far[0]["properties"]["name"] == "Chitwan"
    assert hidden.slug not in json.dumps(public_close)
    assert "Confidential" not in json.dumps(public_close)


# Close in: boundaries


@pytest.fixture
def cuc_phuong():
    """A site of two parcels, given by its boundary only."""
    return ProtectedAreaFactory(
        name="Cuc Phuong National Park",
        slug="cuc-phuong",
        country=country("VNM"),
        latitude=None,
        longitude=None,
        boundary=MultiPolygon(square(105.5, 20.2, 0.2), square(105.8, 20.2, 0.1), srid=4326),
    )


def test_close_in_a_tile_draws_the_boundary_and_its_outline(client, cuc_phuong):
    tile = tile_of(105.6, 20.3, BOUNDARY_ZOOM)

    collection = get_tile(client, tile)

    assert collection["clustered"] is False
    area, outline = collection["features"]
    assert area["geometry"]["type"] == "MultiPolygon"
    assert len(area["geometry"]["coordinates"]) == 2  # both parcels
    assert area["properties"] == {
        "name": "Cuc Phuong National Park",
        "url": "/protected-areas/cuc-phuong/",
        "country": "Viet Nam",
        "iucn_category": "Not Reported",
        "site_type": "pa",
        "part": "area",
    }
    assert outline["geometry"]["type"] == "MultiLineString"
    assert outline["properties"] == {"url": "/protected-areas/cuc-phuong/", "part": "outline"}


def test_a_boundary_across_tiles_is_cut_to_each_of_them_without_the_cut_in_its_outline(client):
    # At zoom 10, tiles are 0.35° wide: a square of 1° crosses several.
    ProtectedAreaFactory(
        latitude=None, longitude=None, boundary=MultiPolygon(square(100.0, 10.0, 1.0), srid=4326)
    )
    zoom = 10
    inside = tile_of(100.5, 10.5, zoom)  # the square covers it whole
    west, south, east, north = inside.bounds

    area, *outline = get_tile(client, inside)["features"]

    for longitude, latitude in rings(area["geometry"])[0]:
        assert west - 1e-4 <= longitude <= east + 1e-4  # rounded to 4 decimals
        assert south - 1e-4 <= latitude <= north + 1e-4
    assert outline == []  # the square's edges are all outside this tile
    edge = get_tile(client, tile_of(100.01, 10.5, zoom))["features"]
    assert [feature["properties"]["part"] for feature in edge] == ["area", "outline"]


def test_close_in_an_area_without_boundary_is_a_point(client, cuc_phuong):
    ProtectedAreaFactory(name="Pu Luong", country=country("VNM"), latitude=20.45, longitude=105.2)
    tile = tile_of(105.2, 20.45, BOUNDARY_ZOOM)

    features = get_tile(client, tile)["features"]

    point = next(f for f in features if f["properties"]["name"] == "Pu Luong")
    assert point["geometry"] == {"type": "Point", "coordinates": [105.2, 20.45]}


def test_boundaries_are_simplified_to_the_zoom(client):
    """Ridges of 40 m on the edge of a circle 20 km across: far out a pixel is 600 m."""
    ProtectedAreaFactory(
        latitude=None,
        longitude=None,
        boundary=MultiPolygon(ragged_circle(100.6, 10.6, 0.1, 2000, roughness=0.004), srid=4326),
    )

    def outline_vertices(tile: Tile) -> int:
        features = get_tile(client, tile)["features"]
        outline = next(f for f in features if f["properties"].get("part") == "outline")
        return sum(len(line) for line in rings(outline["geometry"]))

    whole = tile_of(100.6, 10.6, BOUNDARY_ZOOM)
    assert tile_of(100.5, 10.5, BOUNDARY_ZOOM) == tile_of(100.7, 10.7, BOUNDARY_ZOOM) == whole
    assert outline_vertices(whole) < 100
    # At zoom 14 a pixel is 10 m: the ridges stay, every vertex of the edge in the tile.
    assert outline_vertices(tile_of(100.7, 10.6, 14)) > 20


def test_a_tile_never_weighs_more_than_its_limit(client, django_assert_max_num_queries):
    """Hundreds of detailed boundaries in one tile: simplified more, or clustered."""
    point = Point(100.5, 10.5)
    for number in range(120):
        shift = (number % 12) * 0.1, (number // 12) * 0.1
        ProtectedAreaFactory(
            latitude=None,
            longitude=None,
            boundary=MultiPolygon(
                ragged_circle(100.0 + shift[0], 10.0 + shift[1], 0.08, 600), srid=4326
            ),
        )
    for zoom in (0, 3, BOUNDARY_ZOOM - 1, BOUNDARY_ZOOM, BOUNDARY_ZOOM + 2):
        tile = tile_of(point.x, point.y, zoom)
        with django_assert_max_num_queries(2):
            response = client.get(url(tile))
        assert response.status_code == 200
        assert len(response.content) <= MAX_TILE_BYTES, (zoom, len(response.content))


def test_an_oversized_boundary_tile_falls_back_to_clusters_that_still_count_every_area(
    client, monkeypatch
):
    monkeypatch.setattr(map_tiles, "MAX_TILE_BYTES", 600)
    for number in range(5):
        ProtectedAreaFactory(
            latitude=None,
            longitude=None,
            boundary=MultiPolygon(ragged_circle(100.1 + number * 0.05, 10.1, 0.02, 300), srid=4326),
        )
    tile = tile_of(100.1, 10.1, BOUNDARY_ZOOM)

    collection = get_tile(client, tile)

    assert collection["clustered"] is True
    assert counted(collection["features"]) == 5


def test_a_tile_crossed_by_too_many_boundaries_gives_clusters(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(map_tiles, "MAX_BOUNDARY_AREAS", 3)
    for number in range(4):
        ProtectedAreaFactory(
            latitude=None,
            longitude=None,
            boundary=MultiPolygon(square(100.1 + number * 0.1, 10.1, 0.05), srid=4326),
        )
    tile = tile_of(100.1, 10.1, BOUNDARY_ZOOM)

    # 1. the boundaries crossing the tile, one more than it may draw
    # 2. the areas of the tile grouped by cell
    with django_assert_num_queries(2):
        collection = get_tile(client, tile)

    assert collection["clustered"] is True
    assert counted(collection["features"]) == 4


# Queries and the cache


@pytest.mark.parametrize("rows", [5, 60])
def test_tile_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue, far out and close in."""
    for number in range(rows):
        ProtectedAreaFactory(
            latitude=None,
            longitude=None,
            country=country("VNM"),
            boundary=MultiPolygon(square(105.5 + number * 0.002, 20.2, 0.01), srid=4326),
        )
    ProtectedAreaFactory.create_batch(rows, country=country("VNM"), latitude=20.25, longitude=105.6)
    # 1. the areas of the tile grouped by cell, with their counts and extents
    with django_assert_num_queries(1):
        far = get_tile(client, Tile(2, 3, 1))
    # 1. the country of the filter, by its code
    # 2. the areas of the tile, their boundaries simplified and cut in GeoJSON
    with django_assert_num_queries(2):
        close = get_tile(client, tile_of(105.55, 20.25, BOUNDARY_ZOOM), country="VNM")
    assert counted(far["features"]) == 2 * rows
    assert len({feature["properties"]["url"] for feature in close["features"]}) == 2 * rows


def test_a_second_request_is_answered_from_the_cache_without_a_query(
    client, django_assert_num_queries
):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    first = client.get(url(Tile(1, 1, 0)), {"country": "NPL"})

    # The same filters in another order, an empty one and a page: the same tile.
    with django_assert_num_queries(0):
        second = client.get(url(Tile(1, 1, 0)), {"realm": "", "country": "NPL", "page": 2})

    assert second.content == first.content
    assert "private" in second["Cache-Control"]


def test_an_edit_shows_on_the_next_request(client, cuc_phuong):
    tile = tile_of(105.6, 20.3, BOUNDARY_ZOOM)
    assert "Cuc Phuong" in get_tile(client, tile)["features"][0]["properties"]["name"]

    ProtectedArea.objects.filter(pk=cuc_phuong.pk).update(boundary=None, latitude=1, longitude=1)

    assert get_tile(client, tile)["features"] == []


def test_a_cached_tile_follows_a_green_list_expiry_the_next_day(client, monkeypatch):
    """`?green_list=listed` selects other areas once a listing expires: a key per day."""
    today = timezone.localdate()
    ProtectedAreaFactory(
        latitude=27.5,
        longitude=84.3,
        green_list_status=GreenListStatus.GREEN_LISTED,
        green_listed_on=today - datetime.timedelta(days=3 * 365),
        green_list_expires_on=today,
    )
    assert areas_reached(client, 0, green_list="listed") == 1

    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert areas_reached(client, 0, green_list="listed") == 0


def test_each_language_has_its_own_links(client):
    ProtectedAreaFactory(name="Chitwan", slug="chitwan", latitude=27.5, longitude=84.3)

    english = get_tile(client, Tile(0, 0, 0))
    vietnamese = json.loads(client.get(f"/vi{url(Tile(0, 0, 0))}").content)

    assert english["features"][0]["properties"]["url"] == "/protected-areas/chitwan/"
    assert vietnamese["features"][0]["properties"]["url"] == "/vi/protected-areas/chitwan/"


def test_the_list_page_gives_its_map_the_tiles_of_its_filters(client):
    page = client.get("/protected-areas/", {"country": "NPL"})

    assert 'data-area-tiles-url="/protected-areas/map/0/0/0.geojson?country=NPL"' in page.text


def test_a_bad_tile_is_refused_in_vietnamese_too(client):
    response = client.get("/vi/protected-areas/map/2/4/0.geojson")

    (error,) = json.loads(response.content)["errors"]["x"]
    assert error["message"] == "Ở mức thu phóng 2, các ô được đánh số từ 0 đến 3."


@pytest.mark.parametrize(
    ("longitude", "latitude"), [(84.3, 27.5), (-179.9, -89), (180, 90), (0, 0), (105.6, 20.3)]
)
@pytest.mark.parametrize("zoom", [0, 3, 11])
def test_the_tile_containing_a_point_holds_it_within_its_bounds(longitude, latitude, zoom):
    tile = Tile.containing(longitude, latitude, zoom)

    west, south, east, north = tile.bounds
    assert tile == tile_of(longitude, latitude, zoom)
    assert west <= longitude <= east
    assert south <= latitude <= north
