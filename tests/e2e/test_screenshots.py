"""Screenshots of every kind of page, at a desktop's and a phone's width, for the README
and for review: seen, not assumed.

They are written to docs/screenshots/<page>-<desktop|phone>.png on every run, the whole
length of each page, with the demo data of `make run`. Map tiles come from a stub (a
plain land colour): the pictures show the portal's own work, and the test needs no
network. On a phone, two more show the header's menu and a list's filters opened.

On the way, each page is checked for what a screenshot would show wrong: nothing wider
than the window (no sideways scrolling), and the map's markers drawn.
"""

import re
import struct

import pytest

from tests.e2e.helpers import (
    BROWSER_TEST,
    DESKTOP,
    MEMBER,
    PHONE,
    SCREENSHOTS,
    STAFF,
    VISITOR,
    PageType,
    demo_account,
    in_numbers_page,
    load_demo_site,
    page_types,
    sideways_overflow,
    wait_for_the_map,
)

pytestmark = BROWSER_TEST

# The file names the README shows keep their names; the others are the page's name.
FILE_NAMES = {
    "protected areas list": "protected-areas",
    "best-practice detail": "best-practice",
    "activities list": "activities",
    "search results": "search",
}
SIZES = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


def file_name(page_type: PageType) -> str:
    return FILE_NAMES.get(page_type.name) or re.sub(r"[^a-z0-9]+", "-", page_type.name.lower())


def all_page_types() -> list[PageType]:
    """Every kind of page of helpers.page_types, "in numbers", and the two statements."""
    return [
        # The admin is not made for phones: test_screenshots_of_the_admin shows it at 1280 px.
        *(page_type for page_type in page_types() if not page_type.url.startswith("/admin/")),
        in_numbers_page(),
        PageType("privacy statement", "/privacy/"),
        PageType("accessibility statement", "/accessibility/"),
    ]


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_every_kind_of_page(open_page, size):
    load_demo_site()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {}  # persona: the page (a browser context) signed in as them
    written = []

    kinds = all_page_types()
    for page_type in kinds:
        if page_type.persona not in pages:
            user = None if page_type.persona == VISITOR else demo_account(page_type.persona)
            pages[page_type.persona] = open_page(user=user, **SIZES[size])
        page = pages[page_type.persona]
        response = page.goto(page_type.url)
        assert response.status == page_type.status, page_type.url
        if wait_for_the_map(page) is not None:
            assert page.locator(".leaflet-marker-icon").count() > 0, page_type.url
        page.wait_for_load_state("networkidle")
        overflow = sideways_overflow(page)
        assert not overflow, f"{page_type.url} scrolls sideways by {overflow}px at {size} width"
        path = SCREENSHOTS / f"{file_name(page_type)}-{size}.png"
        page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
        written.append(path)

    if size == "phone":
        page = pages[MEMBER if MEMBER in pages else VISITOR]
        page.goto("/activities/")
        page.locator(".site-menu__toggle").click()
        path = SCREENSHOTS / "menu-open-phone.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        written.append(path)
        page.goto("/protected-areas/")
        page.locator(".filters-panel__toggle").click()
        path = SCREENSHOTS / "filters-open-phone.png"
        page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
        written.append(path)

    width = SIZES[size]["viewport"]["width"]
    height = SIZES[size]["viewport"]["height"]
    sizes = {path.name: png_size(path) for path in written}
    assert len(written) == len(kinds) + (2 if size == "phone" else 0)
    assert all(w == width and h >= height for w, h in sizes.values()), sizes


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
