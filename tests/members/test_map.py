"""The protected-area map's GeoJSON at scale: a viewport, a cap, a cache.

Anna is an anonymous visitor; Minh is a member, who also sees members-only areas.
"""

import json

import pytest

from members import views
from members.filters import BoundingBox
from members.models import Visibility
from tests.factories import ProtectedAreaFactory, TransboundaryAreaFactory, country

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

MAP_URL = "/protected-areas/map.geojson"


def collection(client, **params) -> dict:
    response = client.get(MAP_URL, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def names(client, **params) -> list[str]:
    return sorted(
        feature["properties"]["name"] for feature in collection(client, **params)["features"]
    )


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(views, "MAP_FEATURE_CAP", 2)
    return 2


# The viewport


def test_bbox_keeps_the_areas_inside_the_box(client):
    ProtectedAreaFactory(name="Cuc Phuong", latitude=20.3, longitude=105.6)
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    ProtectedAreaFactory(name="Shiretoko", country=country("JPN"), latitude=44.07, longitude=145.12)

    assert names(client, bbox="100,10,110,25") == ["Cuc Phuong"]
    assert names(client, bbox="80,10,110,30") == ["Chitwan", "Cuc Phuong"]
    assert names(client, bbox="0,-10,20,10") == []


def test_bbox_across_the_antimeridian_wraps_round(client):
    ProtectedAreaFactory(name="East of the line", latitude=-17.5, longitude=179.5)
    ProtectedAreaFactory(name="West of the line", latitude=-16.8, longitude=-179.7)
    ProtectedAreaFactory(name="Far away", latitude=-17.0, longitude=20.0)

    assert names(client, bbox="170,-20,-170,-10") == ["East of the line", "West of the line"]


def test_bbox_and_list_filters_apply_together(client):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    ProtectedAreaFactory(name="Shiretoko", country=country("JPN"), latitude=44.07, longitude=145.12)
    ProtectedAreaFactory(name="Daisetsuzan", country=country("JPN"), latitude=43.6, longitude=142.9)

    assert names(client, country="JPN", bbox="144,40,146,46") == ["Shiretoko"]


@pytest.mark.parametrize(
    ("bbox", "code"),
    [
        ("100,10,110", "invalid"),
        ("west,south,east,north", "invalid"),
        ("100,10,nan,20", "invalid"),
        ("100,10,110,95", "out_of_range"),
        ("-190,10,110,20", "out_of_range"),
        ("100,20,110,10", "inverted"),
        ("100,10,100,20", "empty"),
    ],
)
def test_a_bad_bbox_answers_400_with_the_reason(client, bbox, code):
    response = client.get(MAP_URL, {"bbox": bbox})

    assert response.status_code == 400
    (error,) = json.loads(response.content)["errors"]["bbox"]
    assert error["code"] == code
    assert error["message"]


def test_box_is_widened_outward_to_a_grid_that_fits_its_size():
    # About 12° wide: a grid of 1°; 5°: 0.1°; half a degree: 0.01°.
    assert BoundingBox(100.3, 10.7, 112.2, 20.1).widened() == BoundingBox(100, 10, 113, 21)
    assert BoundingBox(100.32, 10.2, 105.27, 13.5).widened() == BoundingBox(
        100.3, 10.2, 105.3, 13.5
    )
    assert BoundingBox(105.512, 20.5, 106.004, 20.9).widened() == BoundingBox(
        105.51, 20.5, 106.01, 20.9
    )
    assert BoundingBox(-179.99, -89.9, 179.99, 89.9).widened() == BoundingBox(-180, -90, 180, 90)
    # Across the antimeridian, it stays across; grown all the way round, it is the world.
    assert BoundingBox(170.5, -20, -170.5, -10).widened() == BoundingBox(170, -20, -170, -10)
    assert BoundingBox(0.05, 0, -0.05, 80).widened() == BoundingBox(-180, 0, 180, 80)


# The cap


def test_over_the_cap_the_largest_areas_are_shown_and_the_total_given(client, small_cap):
    ProtectedAreaFactory(name="Small", reported_area_km2=10)
    ProtectedAreaFactory(name="Largest", reported_area_km2=900)
    ProtectedAreaFactory(name="Unreported", reported_area_km2=None)
    ProtectedAreaFactory(name="Large", reported_area_km2=500)

    capped = collection(client)

    assert [feature["properties"]["name"] for feature in capped["features"]] == [
        "Largest",
        "Large",
    ]
    assert (capped["total"], capped["shown"], capped["truncated"]) == (4, 2, True)


def test_under_the_cap_everything_is_shown(client, small_cap):
    ProtectedAreaFactory(name="Cuc Phuong", latitude=20.3, longitude=105.6)
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    ProtectedAreaFactory(name="Unmapped", latitude=None, longitude=None)

    complete = collection(client)

    assert (complete["total"], complete["shown"], complete["truncated"]) == (2, 2, False)


@pytest.mark.parametrize("rows", [10, 200])
def test_capped_map_query_count_does_not_grow(client, django_assert_num_queries, small_cap, rows):
    """Intended to prevent an n+1 issue on a map showing fewer areas than match."""
    ProtectedAreaFactory.create_batch(rows)
    # 1. the largest areas with their country names, one over the cap
    # 2. the count of all the areas that match, as there are more than the cap
    with django_assert_num_queries(2):
        capped = collection(client)
    assert (capped["total"], capped["shown"]) == (rows, small_cap)


# The cache


def test_a_second_request_is_answered_from_the_cache_without_a_query(
    client, django_assert_num_queries
):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    first = client.get(MAP_URL, {"country": "NPL", "bbox": "80,20,90,30"})

    # The same filters in another order, an empty one and a page: the same map.
    with django_assert_num_queries(0):
        second = client.get(
            MAP_URL, {"bbox": "80,20,90,30", "realm": "", "country": "NPL", "page": 3}
        )

    assert second.content == first.content
    assert "private" in second["Cache-Control"]


def test_a_viewport_moved_a_little_shares_the_cached_answer(client, django_assert_num_queries):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    client.get(MAP_URL, {"bbox": "80.12,20.31,90.04,30.2"})

    with django_assert_num_queries(0):
        moved = collection(client, bbox="80.14,20.35,90.06,30.18")

    assert [feature["properties"]["name"] for feature in moved["features"]] == ["Chitwan"]


def test_an_edit_of_a_protected_area_shows_on_the_next_request(client):
    area = ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    assert names(client) == ["Chitwan"]

    area.name = "Chitwan National Park"
    area.save()

    assert names(client) == ["Chitwan National Park"]


def test_an_area_joined_to_a_transboundary_area_in_the_admin_shows_at_once(
    client, editor_client, settings
):
    """The link between the two is a row of its own (many-to-many): the map follows it,
    and so do the cached pages of the list filtered by it."""
    settings.PAGE_CACHE_SECONDS = 60
    sundarbans = ProtectedAreaFactory(name="Sundarbans", country=country("BGD"))
    indian = ProtectedAreaFactory(name="Sundarban National Park", country=country("IND"))
    tiger = ProtectedAreaFactory(name="Sundarbans Tiger Reserve", country=country("IND"))
    landscape = TransboundaryAreaFactory(name="Sundarbans", protected_areas=[sundarbans, indian])
    assert names(client, transboundary="yes") == ["Sundarban National Park", "Sundarbans"]
    assert "Sundarbans Tiger Reserve" not in client.get("/protected-areas/?transboundary=yes").text

    change_url = f"/admin/members/transboundaryarea/{landscape.pk}/change/"
    response = editor_client.post(
        change_url,
        {
            "name": landscape.name,
            "slug": landscape.slug,
            "description": "",
            "protected_areas": [sundarbans.pk, indian.pk, tiger.pk],
            "loaded_version": landscape.version,
        },
    )
    assert response.status_code == 302, response.content

    assert names(client, transboundary="yes") == [
        "Sundarban National Park",
        "Sundarbans",
        "Sundarbans Tiger Reserve",
    ]
    assert "Sundarbans Tiger Reserve" in client.get("/protected-areas/?transboundary=yes").text


def test_members_only_areas_never_reach_the_public_from_the_cache(client, member_client):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    ProtectedAreaFactory(
        name="Confidential Patrol Site",
        latitude=27.6,
        longitude=84.4,
        visibility=Visibility.MEMBERS,
    )

    # Minh asks first, so that the members' map is in the cache before Anna asks.
    assert names(member_client) == ["Chitwan", "Confidential Patrol Site"]
    assert names(member_client, bbox="84,27,85,28") == ["Chitwan", "Confidential Patrol Site"]

    assert names(client) == ["Chitwan"]
    assert names(client, bbox="84,27,85,28") == ["Chitwan"]


def test_each_language_has_its_own_links(client):
    ProtectedAreaFactory(name="Chitwan", slug="chitwan", latitude=27.5, longitude=84.3)

    english = collection(client)
    vietnamese = json.loads(client.get(f"/vi{MAP_URL}").content)

    assert english["features"][0]["properties"]["url"] == "/protected-areas/chitwan/"
    assert vietnamese["features"][0]["properties"]["url"] == "/vi/protected-areas/chitwan/"


def test_coordinates_are_rounded_to_about_ten_metres(client):
    ProtectedAreaFactory(latitude=27.123456, longitude=84.654321)

    (feature,) = collection(client)["features"]

    assert feature["geometry"]["coordinates"] == [84.6543, 27.1235]


def test_what_the_map_says_is_translated(client):
    """What the map's clusters are, and the reason for a bad box, in Vietnamese too."""
    page = client.get("/vi/protected-areas/")
    refused = client.get(f"/vi{MAP_URL}", {"bbox": "100,10,110"})

    assert "{count} khu bảo tồn: chọn để phóng to" in page.text
    assert "Các con số trong vòng tròn là nhóm các khu bảo tồn gần nhau" in page.text
    assert json.loads(refused.content)["errors"]["bbox"][0]["message"].startswith(
        "Hãy cho vùng bằng bốn số"
    )
