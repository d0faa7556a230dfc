"""A site in several countries (the WDPA's ISO3 list) is found under every one of them."""

import json

import pytest

from members.models import ProtectedArea
from tests.factories import ProtectedAreaFactory, country

pytestmark = pytest.mark.django_db


def tri_border_forest() -> ProtectedArea:
    area = ProtectedAreaFactory(
        name="Tri-border Forest", country=country("CHN"), latitude=22.3, longitude=101.8
    )
    area.countries.set([country("CHN"), country("LAO"), country("VNM")])
    return area


def test_in_country_finds_an_area_by_any_of_its_countries():
    forest = tri_border_forest()
    ba_be = ProtectedAreaFactory(name="Ba Be", country=country("VNM"))  # no `countries` set

    assert list(ProtectedArea.objects.in_country(country("LAO"))) == [forest]
    assert set(ProtectedArea.objects.in_country(country("VNM"))) == {forest, ba_be}
    assert list(ProtectedArea.objects.in_country(country("CHN").pk)) == [forest]
    assert not ProtectedArea.objects.in_country(country("THA")).exists()


def test_the_list_and_the_map_filter_by_any_of_the_countries(client):
    tri_border_forest()
    ProtectedAreaFactory(name="Ba Be", country=country("VNM"), latitude=22.4, longitude=105.6)

    def listed(iso3):
        response = client.get("/protected-areas/", {"country": iso3})
        return [area.name for area in response.context["object_list"]]

    def mapped(iso3):
        response = client.get("/protected-areas/map.geojson", {"country": iso3})
        return [
            feature["properties"]["name"] for feature in json.loads(response.content)["features"]
        ]

    assert listed("LAO") == ["Tri-border Forest"]
    assert listed("VNM") == ["Ba Be", "Tri-border Forest"]
    assert mapped("LAO") == ["Tri-border Forest"]
    assert sorted(mapped("VNM")) == ["Ba Be", "Tri-border Forest"]


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_country_filter_keeps_the_list_query_count(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue: the countries are tested in the page's query."""
    ProtectedAreaFactory.create_batch(rows, country=country("LAO"))
    tri_border_forest()
    # 1. the chosen country (by its ISO3)   2. count (its first country, or any of the
    # others)   3. the countries of the filter form   4. the page of areas with country
    # and transboundary flag   (5, 6: the savepoint around the request and its release)
    with django_assert_num_queries(6):
        assert client.get("/protected-areas/", {"country": "LAO"}).status_code == 200
