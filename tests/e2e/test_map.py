"""The protected-area map: clusters far out that reach every area, boundaries close in.

Anna, an anonymous visitor, opens the protected areas: far out, the map groups them into
clusters whose numbers add up to the list's count (the members-only ones are in neither);
she selects a cluster and the map zooms to its areas. Filtered to Viet Nam, the map fits
Cuc Phuong and draws its boundary, in two parcels.
"""

import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from playwright.sync_api import expect

from members.models import Visibility
from tests.e2e.helpers import BROWSER_TEST, wait_for_the_map
from tests.factories import ProtectedAreaFactory, country

pytestmark = BROWSER_TEST

MAP = "#protected-area-map"


def results_count(page) -> int:
    return int(re.match(r"\d+", page.locator(".results__count").inner_text().strip()).group())


def wait_until_drawn(page) -> int:
    """After a move of the map: wait for its tiles, then how many areas they stand for."""
    page.wait_for_selector(f"{MAP}[data-map-state=ready]", state="attached")
    return wait_for_the_map(page)


def areas_on_screen(page) -> int:
    """The numbers of the clusters plus the pins, as a visitor reads them."""
    clusters = page.locator(f"{MAP} .map-cluster").all_inner_texts()
    pins = page.locator(f"{MAP} img.leaflet-marker-icon").count()
    return sum(int(text.replace(",", "")) for text in clusters) + pins


def zoom(page) -> int:
    return int(page.get_attribute(MAP, "data-zoom"))


@pytest.fixture
def areas():
    """Forty areas in Nepal, close together, and five in Japan; two members-only."""
    nepal, japan = country("NPL"), country("JPN")
    for number in range(40):
        ProtectedAreaFactory(
            name=f"Terai forest {number}",
            country=nepal,
            latitude=27.0 + (number % 8) * 0.2,
            longitude=83.0 + (number // 8) * 0.3,
        )
    for number in range(5):
        ProtectedAreaFactory(
            name=f"Hokkaido wetland {number}",
            country=japan,
            latitude=43.0 + number * 0.1,
            longitude=144.0 + number * 0.1,
        )
    for number in range(2):
        ProtectedAreaFactory(
            name=f"Confidential patrol site {number}",
            country=nepal,
            latitude=27.3,
            longitude=83.3,
            visibility=Visibility.MEMBERS,
        )


@pytest.fixture
def cuc_phuong():
    parcels = MultiPolygon(
        Polygon.from_bbox((105.55, 20.2, 105.75, 20.4)),
        Polygon.from_bbox((105.8, 20.25, 105.9, 20.35)),
        srid=4326,
    )
    return ProtectedAreaFactory(
        name="Cuc Phuong National Park",
        country=country("VNM"),
        latitude=None,
        longitude=None,
        boundary=parcels,
    )


def test_far_out_the_clusters_reach_every_listed_area_and_a_cluster_zooms_to_them(
    page, offline_guard, areas
):
    page.goto("/protected-areas/")
    listed = results_count(page)

    assert listed == 45
    assert wait_for_the_map(page) == listed
    clusters = page.locator(f"{MAP} .map-cluster")
    expect(clusters.first).to_be_visible()
    assert areas_on_screen(page) == listed
    expect(page.locator(".map-message")).to_contain_text("groups of nearby protected areas")

    # The largest cluster (the Terai) holds most; selecting it zooms to its areas.
    numbers = [int(text) for text in clusters.all_inner_texts()]
    largest = clusters.nth(numbers.index(max(numbers)))
    assert largest.get_attribute("title").endswith("protected areas: select to zoom in")
    far_out = zoom(page)
    with page.expect_response(re.compile(r"/protected-areas/map/\d+/\d+/\d+\.geojson")):
        largest.click()
    in_view = wait_until_drawn(page)
    assert zoom(page) > far_out
    assert in_view > 0
    assert page.get_attribute(MAP, "data-error") is None
    expect(page.locator(f"{MAP} .leaflet-marker-icon").first).to_be_visible()


def test_close_in_the_map_draws_boundaries(page, offline_guard, cuc_phuong):
    ProtectedAreaFactory(name="Chitwan", latitude=27.5, longitude=84.3)
    page.goto("/protected-areas/?country=VNM")

    assert wait_for_the_map(page) == results_count(page) == 1
    # Alone in its filter, the map fits Cuc Phuong close in: its boundary, not a pin.
    surfaces = page.locator(f"{MAP} svg path.leaflet-interactive")
    expect(surfaces).to_have_count(1)
    outlines = page.locator(f"{MAP} svg path:not(.leaflet-interactive)")
    expect(outlines.first).to_be_attached()
    # Both parcels: a path of two rings ("M…Z M…Z").
    assert surfaces.first.get_attribute("d").count("M") == 2
    assert page.locator(f"{MAP} .map-cluster").count() == 0

    surfaces.first.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text("Cuc Phuong National Park")


def test_the_areas_page_draws_its_boundary(page, offline_guard, cuc_phuong):
    page.goto(cuc_phuong.get_absolute_url())

    page.wait_for_selector(f"{MAP}[data-boundary-drawn=true]", state="attached")
    expect(page.locator(f"{MAP} svg path").first).to_be_attached()
