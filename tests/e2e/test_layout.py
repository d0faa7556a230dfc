"""The layout holds at a desktop's, a tablet's and a phone's width: no word is broken inside
itself in the facts boxes and the cards, and no page scrolls sideways on a phone.

A word is broken when the browser, short of room, cuts it between two letters
("IUC / N Asia Regi / onal Offi / ce" down a narrow column of a facts box).
`broken_words` (helpers.py) finds such words as a reader would see them: it measures
where each word of the text is drawn, and a word drawn on two lines is broken. Breaks
where the text allows them are not: between words, after a hyphen or a slash, and in a
long web address at the <wbr> that the `breakable_url` filter puts after its punctuation.
"""

import pytest

from tests.e2e.helpers import (
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    TABLET,
    broken_words,
    in_numbers_page,
    load_demo_site,
    page_types,
    sideways_overflow,
    wait_for_the_map,
)

pytestmark = BROWSER_TEST

# The pages with a facts box or cards: every detail page, every list, home.
PAGES_WITH_FACTS_OR_CARDS = {
    "home",
    "work area",
    "members list",
    "member detail",
    "protected area detail",
    "activities list",
    "activity detail",
    "knowledge landing",
    "best-practice list",
    "best-practice detail",
    "resource list",
    "resource detail",
    "story list",
    "story detail",
    "country profile",
    "search results",
}
WIDTHS = {"desktop": DESKTOP, "tablet": TABLET, "phone": PHONE}


def crowded_records() -> dict[str, str]:
    """The records with the longest facts of the demo data: most organizers, most
    themes, a website (where "IUCN Asia Regional Office" and web addresses were broken)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from activities.models import Activity
    from knowledge.models import BestPractice
    from members.models import Organization

    visitor = AnonymousUser()
    activity = (
        Activity.objects.visible_to(visitor)
        .annotate(partners=Count("organization_roles"))
        .order_by("-partners", "pk")
        .first()
    )
    practice = (
        BestPractice.objects.visible_to(visitor)
        .published()
        .annotate(terms=Count("themes", distinct=True) + Count("challenges", distinct=True))
        .order_by("-terms", "pk")
        .first()
    )
    member = Organization.objects.members().exclude(website="").order_by("pk").first()
    return {
        "activity with partners": activity.get_absolute_url(),
        "best practice with many themes": practice.get_absolute_url(),
        "member with a website": member.get_absolute_url(),
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_no_word_is_broken_inside_itself_in_facts_and_cards(open_page, width):
    load_demo_site()
    page = open_page(viewport=WIDTHS[width])
    pages = {
        page_type.name: page_type.url
        for page_type in page_types()
        if page_type.name in PAGES_WITH_FACTS_OR_CARDS
    }
    found = {}
    for name, url in {**pages, **crowded_records()}.items():
        page.goto(url)
        wait_for_the_map(page)
        if broken := broken_words(page, ".facts, .card"):
            found[f"{name} ({url})"] = broken[:8]

    assert not found, f"words broken inside themselves at {width} width: {found}"


def test_no_page_scrolls_sideways_on_a_phone(open_page):
    load_demo_site()
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    found = {}
    for page_type in [*page_types(), in_numbers_page()]:
        if page_type.persona != "visitor":
            continue
        page.goto(page_type.url)
        wait_for_the_map(page)
        if overflow := sideways_overflow(page):
            found[page_type.name] = overflow
    assert not found, f"pages wider than a phone's screen (by so many pixels): {found}"


# Phones first


def test_on_a_phone_the_header_is_one_line_and_its_menu_opens_from_a_button(open_page, member):
    for user in (None, member):
        page = open_page(user=user, viewport=PHONE, is_mobile=True, has_touch=True)
        page.goto("/activities/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 80, (user, header)
        main_menu = page.get_by_role("navigation", name="Main")
        assert not main_menu.is_visible()

        page.locator(".site-menu__toggle").focus()
        page.keyboard.press("Enter")
        assert main_menu.get_by_role("link", name="Protected areas").is_visible()
        assert page.get_by_role("search", name="Site search").is_visible()
        page.keyboard.press("Escape")
        assert not main_menu.is_visible()
        assert page.evaluate("document.activeElement.matches('.site-menu__toggle')")


def test_the_menu_works_without_javascript(open_page):
    page = open_page(viewport=PHONE, java_script_enabled=False)
    page.goto("/")
    page.locator(".site-menu__toggle").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    page.wait_for_url("**/stories/")


def test_on_a_phone_a_list_shows_its_results_first_and_its_filters_from_a_button(open_page):
    load_demo_site()
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/protected-areas/?realm=terrestrial")
    count = page.locator(".results__count")
    country = page.locator("#id_country")
    assert count.is_visible()
    assert not country.is_visible()
    toggle = page.locator(".filters-panel__toggle")
    assert "(1 set)" in toggle.inner_text()
    # The list of areas is a list of cards: every column is on the screen, named.
    first_row = page.locator(".data-table tbody tr").first
    assert first_row.bounding_box()["width"] <= PHONE["width"]
    labels = first_row.locator("td").evaluate_all(
        "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
    )
    assert labels == ['"Country"', '"Designation"', '"IUCN category"', '"Realm"', '"Area (km²)"']

    toggle.click()
    assert country.is_visible()
    assert page.locator(".filters-panel").bounding_box()["y"] < count.bounding_box()["y"]


def test_on_a_desktop_the_filters_are_beside_the_results_without_a_button(open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/protected-areas/")
    assert not page.locator(".filters-panel__toggle").is_visible()
    filters = page.locator("#id_country").bounding_box()
    results = page.locator(".results__count").bounding_box()
    assert filters["x"] < results["x"]
    assert abs(filters["y"] - results["y"]) < 400


def test_the_footer_stays_at_the_bottom_of_a_short_page(open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/accounts/login/")
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] >= DESKTOP["height"] - 1


def test_on_a_phone_a_wide_table_scrolls_in_its_box_and_says_so(open_page):
    load_demo_site()
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/countries/")
    box = page.locator(".table-wrap").first
    assert "is-scrollable" in box.get_attribute("class")
    assert page.locator(".table-wrap__cue").first.is_visible()
    # Named after the table's caption and reachable with the keyboard, to scroll it.
    assert box.get_attribute("tabindex") == "0"
    assert page.get_by_role("region", name="Share of land and sea").count() == 1
    assert not sideways_overflow(page)

    page.set_viewport_size(DESKTOP)
    page.goto("/countries/")
    assert "is-scrollable" not in page.locator(".table-wrap").first.get_attribute("class")
    assert not page.locator(".table-wrap__cue").count()
