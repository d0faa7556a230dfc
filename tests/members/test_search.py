"""`?q=` in the protected-area list and its GeoJSON map."""

import json

import factory
import pytest

from members.models import Visibility
from tests.factories import ProtectedAreaFactory, country

pytestmark = pytest.mark.django_db

# Query counts include the savepoint and its release that wrap each request in
# tests (ATOMIC_REQUESTS).


def names(response) -> list[str]:
    assert response.status_code == 200
    return [area.name for area in response.context["object_list"]]


def feature_names(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return [feature["properties"]["name"] for feature in json.loads(response.content)["features"]]


@pytest.fixture
def cuc_phuong():
    return ProtectedAreaFactory(
        name="Cúc Phương National Park",
        original_name="Vườn quốc gia Cúc Phương",
        country=country("VNM"),
        description="Viet Nam's first national park, home of the Endangered Primate Rescue "
        "Center. Cúc Phương's limestone forest <b>shelters</b> langurs.",
        latitude=20.3,
        longitude=105.6,
    )


def test_the_list_finds_a_park_by_its_name_without_accents(client, cuc_phuong):
    ProtectedAreaFactory(name="Chitwan National Park", description="Rhinos and tigers.")

    response = client.get("/protected-areas/", {"q": "cuc phuong"})

    assert names(response) == ["Cúc Phương National Park"]
    assert "<mark>Cúc</mark> <mark>Phương</mark>" in response.text
    assert "<b>shelters</b>" not in response.text
    assert names(client.get("/protected-areas/", {"q": "vuon quoc gia"})) == [
        "Cúc Phương National Park"
    ]


def test_a_name_match_ranks_above_a_description_match(client):
    ProtectedAreaFactory(name="Ha Long Bay", description="Karst islands and some mangrove.")
    ProtectedAreaFactory(name="Xuan Thuy Mangrove National Park", description="Mudflats.")

    assert names(client.get("/protected-areas/", {"q": "mangrove"})) == [
        "Xuan Thuy Mangrove National Park",
        "Ha Long Bay",
    ]


def test_search_combines_with_the_other_filters(client, cuc_phuong):
    ProtectedAreaFactory(name="Phuong Hoang Reserve", country=country("NPL"))

    assert names(client.get("/protected-areas/", {"q": "phuong", "country": "VNM"})) == [
        "Cúc Phương National Park"
    ]


def test_a_misspelling_finds_close_names_and_says_so(client, cuc_phuong):
    response = client.get("/protected-areas/", {"q": "Nationl Park"})

    assert names(response) == ["Cúc Phương National Park"]
    assert "No exact matches: showing approximate matches for “Nationl Park”." in response.text


def test_members_only_areas_stay_hidden_from_anna(client, member_client):
    ProtectedAreaFactory(name="Confidential Kelp Site", visibility=Visibility.MEMBERS)

    assert names(client.get("/protected-areas/", {"q": "kelp"})) == []
    assert names(client.get("/protected-areas/", {"q": "kelpp"})) == []
    assert feature_names(client.get("/protected-areas/map.geojson", {"q": "kelp"})) == []
    assert names(member_client.get("/protected-areas/", {"q": "kelp"})) == [
        "Confidential Kelp Site"
    ]


def test_the_map_shows_what_the_search_found(client, cuc_phuong):
    ProtectedAreaFactory(name="Chitwan National Park")
    ProtectedAreaFactory(name="Unmapped Cuc Phuong annex", latitude=None, longitude=None)

    assert feature_names(client.get("/protected-areas/map.geojson", {"q": "cuc phuong"})) == [
        "Cúc Phương National Park"
    ]
    assert feature_names(client.get("/protected-areas/map.geojson", {"q": "chitwn"})) == [
        "Chitwan National Park"
    ]
    list_page = client.get("/protected-areas/", {"q": "cuc phuong"})
    assert 'data-geojson-url="/protected-areas/map.geojson?q=cuc+phuong"' in list_page.text


@pytest.mark.parametrize(
    "q", ["x" * 5000, "phuong\x00", "\x00", "<script>", "'; DROP TABLE x; --", '"', "-", "or"]
)
def test_hostile_queries_never_break_the_list_or_the_map(client, cuc_phuong, q):
    assert client.get("/protected-areas/", {"q": q}).status_code == 200
    assert client.get("/protected-areas/map.geojson", {"q": q}).status_code == 200


@pytest.mark.parametrize("rows", [5, 100])
def test_searching_the_list_and_map_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue when the list or the map is searched."""
    ProtectedAreaFactory.create_batch(
        rows, name=factory.Sequence(lambda n: f"Kelp Reserve {n}"), description="Kelp."
    )
    # 1. savepoint  2. whether the full-text search finds anything  3. count
    # 4. the page, ranked, with snippets, countries and the transboundary flag
    # 5. the countries of the filter form  6. release
    with django_assert_num_queries(6):
        assert client.get("/protected-areas/", {"q": "kelp"}).status_code == 200
    # No transaction: the map only reads (members.views, non_atomic_requests).
    # 1. the search's matches  2. the features
    with django_assert_num_queries(2):
        assert client.get("/protected-areas/map.geojson", {"q": "kelp"}).status_code == 200
