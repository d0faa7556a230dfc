"""The protected-area map when there are more areas than it draws at once.

Anna, an anonymous visitor, opens the protected areas: the map draws the largest ones
and says how many it leaves out; she zooms in, and the map asks for the areas in view,
draws them all and says nothing more; filtered to one country, it draws all of them.
The cap is made small (3) so that a handful of areas stands in for 50,000.
"""

import re

import pytest
from playwright.sync_api import expect

from members import views
from tests.e2e.helpers import BROWSER_TEST, wait_for_the_map
from tests.factories import ProtectedAreaFactory, country

pytestmark = BROWSER_TEST


@pytest.fixture
def areas_over_the_cap(monkeypatch):
    """Six areas for a cap of three: three large ones in Japan, three smaller in Nepal.

    The Japanese ones lie close together (Shiretoko), so that a zoom keeps them in view.
    """
    monkeypatch.setattr(views, "MAP_FEATURE_CAP", 3)
    japan = country("JPN")
    for name, latitude, longitude, km2 in [
        ("Shiretoko", 44.05, 145.0, 900),
        ("Shiretoko Marine", 44.08, 145.06, 800),
        ("Rausu Highlands", 44.02, 145.1, 700),
    ]:
        ProtectedAreaFactory(
            name=name, country=japan, latitude=latitude, longitude=longitude, reported_area_km2=km2
        )
    for name, latitude, longitude, km2 in [
        ("Chitwan", 27.5, 84.3, 30),
        ("Bardia", 28.4, 81.5, 20),
        ("Langtang", 28.2, 85.5, 10),
    ]:
        ProtectedAreaFactory(
            name=name, latitude=latitude, longitude=longitude, reported_area_km2=km2
        )


def test_a_visitor_zooms_the_capped_map_until_it_shows_every_area_in_view(
    page, offline_guard, areas_over_the_cap
):
    message = page.locator(".map-message")

    page.goto("/protected-areas/")
    assert wait_for_the_map(page) == 3
    expect(message).to_have_text(
        "Showing 3 of 6 protected areas in this view — zoom in or filter to see them all."
    )
    expect(message).to_have_attribute("aria-live", "polite")

    # The map fitted the three it drew (in Japan); zooming in asks for that view only.
    with page.expect_response(re.compile(r"map\.geojson\?bbox=")) as answer:
        page.get_by_role("button", name="Zoom in").click()
    assert answer.value.status == 200
    expect(message).to_have_text("")
    assert page.get_attribute("#protected-area-map", "data-marker-count") == "3"
    assert page.get_attribute("#protected-area-map", "data-error") is None

    # Filtered to Nepal, the three areas are all there is: all drawn, nothing to say.
    page.get_by_role("form", name="Filters").get_by_label("Country").select_option(label="Nepal")
    page.get_by_role("form", name="Filters").get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/protected-areas/?*country=NPL*")
    assert wait_for_the_map(page) == 3
    expect(message).to_have_text("")
    markers = page.locator("#protected-area-map .leaflet-marker-icon")
    expect(markers).to_have_count(3)
    assert sorted(markers.evaluate_all("icons => icons.map(icon => icon.title)")) == [
        "Bardia",
        "Chitwan",
        "Langtang",
    ]
