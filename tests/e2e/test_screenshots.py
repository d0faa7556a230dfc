"""Screenshots of the main pages, at desktop and phone widths, for the README.

They are written to docs/screenshots/<page>-<desktop|phone>.png on every run, with the
demo data of `make run`. Map tiles come from a stub (a plain land colour): the pictures
show the portal's own work, and the test needs no network.

On the way, each page is checked for what a screenshot would show wrong: nothing
wider than a phone's screen (no sideways scrolling), and the map's markers drawn.
"""

import struct

import pytest

from tests.e2e.helpers import (
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    STAFF,
    demo_account,
    in_numbers_url,
    load_demo_site,
    wait_for_the_map,
)

pytestmark = BROWSER_TEST

# name: the page's URL (a relative one: the live server's); None when not built yet.
MAIN_PAGES = {
    "home": "/",
    "protected-areas": "/protected-areas/",
    "best-practice": "/knowledge/best-practices/sustainable-tourism-in-khao-yai-national-park/",
    "activities": "/activities/",
    "search": "/search/?q=transboundary",
    "in-numbers": in_numbers_url,
}
# What a page's picture should show when it is below the fold (on a phone, the filters
# come before the map).
SHOWN = {"protected-areas": "#protected-area-map"}
SIZES = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_main_pages(open_page, size):
    load_demo_site()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(**SIZES[size])
    written = []

    for name, url in MAIN_PAGES.items():
        url = url() if callable(url) else url
        if url is None:
            continue  # /in-numbers/ is not built yet
        response = page.goto(url)
        assert response.status == 200, url
        wait_for_the_map(page)
        if page.locator("#protected-area-map").count():
            assert page.locator(".leaflet-marker-icon").count() > 0, url
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {size} width"
        if name in SHOWN:
            page.locator(SHOWN[name]).scroll_into_view_if_needed()
        path = SCREENSHOTS / f"{name}-{size}.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        written.append(path)

    scale = SIZES[size].get("device_scale_factor", 1)
    expected = (SIZES[size]["viewport"]["width"] * scale, SIZES[size]["viewport"]["height"] * scale)
    assert written
    assert {path.name: png_size(path) for path in written} == dict.fromkeys(
        (path.name for path in written), expected
    )


# The secretariat's admin, as a manager sees it on a desktop screen (it is not made for
# phones): its home of what needs doing, and the review queue.
ADMIN_PAGES = {
    "admin-home": "/admin/",
    "admin-review-queue": "/admin/knowledge/bestpractice/review/",
    "admin-best-practices": "/admin/knowledge/bestpractice/",
    "admin-activities": "/admin/activities/activity/",
}


def test_screenshots_of_the_admin(open_page):
    load_demo_site()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(user=demo_account(STAFF), viewport=DESKTOP)

    for name, url in ADMIN_PAGES.items():
        response = page.goto(url)
        assert response.status == 200, url
        # Within 1280 px: neither the page nor a list scrolls sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"
        for table in page.locator("#result_list, .apap-table").all():
            hidden = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
            assert hidden <= 0, f"{url}: the list is {hidden}px wider than its place"
        path = SCREENSHOTS / f"{name}-desktop.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        assert png_size(path) == (DESKTOP["width"], DESKTOP["height"])
