"""Every kind of page passes axe-core with no serious or critical violation, and the main
menu, the filters and the submission form work with the keyboard alone.

axe-core checks what a machine can check (contrast, names and labels, landmarks,
heading order, ARIA); the keyboard tests do what a person without a mouse does: Tab to a
control, see where the focus is, and press Enter or Space.
"""

from tests.e2e.helpers import (
    BROWSER_TEST,
    MEMBER,
    PHONE,
    STAFF,
    VISITOR,
    axe_violations,
    demo_account,
    describe_violations,
    in_numbers_page,
    load_demo_site,
    page_types,
    wait_for_the_map,
)
from tests.factories import ProtectedAreaFactory, country

pytestmark = BROWSER_TEST


def _check_pages(open_page, axe_source, pages, **page_args) -> dict[str, list[dict]]:
    """Open each page as its persona and run axe-core on it: {page name: violations}."""
    opened = {}
    violations = {}
    for page_type in pages:
        if page_type.persona not in opened:
            user = None if page_type.persona == VISITOR else demo_account(page_type.persona)
            opened[page_type.persona] = open_page(user=user, **page_args)
        page = opened[page_type.persona]
        response = page.goto(page_type.url)
        assert response.status == page_type.status, (page_type.name, page_type.url)
        wait_for_the_map(page)
        if found := axe_violations(page, axe_source):
            violations[f"{page_type.name} ({page_type.url})"] = found
    return violations


def test_every_kind_of_page_has_no_serious_accessibility_violation(open_page, axe_source):
    load_demo_site()
    pages = page_types()
    assert {page.persona for page in pages} == {VISITOR, MEMBER, STAFF}

    violations = _check_pages(open_page, axe_source, pages)

    assert not violations, "\n" + describe_violations(violations)


def test_main_pages_on_a_phone_have_no_serious_accessibility_violation(open_page, axe_source):
    """The narrow layout (the menu wraps, tables scroll) is checked too, for contrast and reflow."""
    load_demo_site()
    names = {"home", "protected areas list", "best-practice detail", "search results"}
    pages = [page for page in page_types() if page.name in names]

    violations = _check_pages(open_page, axe_source, pages, viewport=PHONE)

    assert not violations, "\n" + describe_violations(violations)


def test_the_partnership_in_numbers_has_no_serious_accessibility_violation(open_page, axe_source):
    in_numbers = in_numbers_page()
    load_demo_site()

    violations = _check_pages(open_page, axe_source, [in_numbers])

    assert not violations, "\n" + describe_violations(violations)


# Keyboard alone


def _focused(page) -> dict:
    """What has the focus, and whether a sighted keyboard user can see that it has."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            const box = element.getBoundingClientRect();
            return {
                tag: element.tagName.toLowerCase(),
                id: element.id,
                name: element.getAttribute("name") || "",
                text: (element.innerText || element.value || "").trim().slice(0, 60),
                href: element.getAttribute("href") || "",
                focusVisible: element.matches(":focus-visible"),
                indicated: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
                           || style.boxShadow !== "none",
                onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
            };
        }"""
    )


def tab_to(page, selector: str, *, max_presses: int = 250, backwards: bool = False) -> dict:
    """Press Tab until the element matching `selector` has the focus.

    Every element the focus passes on the way must show it (the focus indicator of the
    style sheet) and be on the screen: a keyboard user never loses track of the focus.
    """
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_presses):
        page.keyboard.press(key)
        focused = _focused(page)
        where = f"{focused['tag']}#{focused['id']} {focused['name']} {focused['text']!r}"
        assert focused["focusVisible"], f"the focus is not shown on {where}"
        assert focused["indicated"], f"no outline nor shadow shows the focus on {where}"
        assert focused["onScreen"], f"the focus went off screen, on {where}"
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return focused
    raise AssertionError(f"{selector} was not reached with {max_presses} presses of {key}")


def test_the_skip_link_and_the_main_menu_work_with_the_keyboard(page):
    page.goto("/")

    skip_link = tab_to(page, "a.skip-link", max_presses=1)
    assert skip_link["onScreen"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto("/")
    tab_to(page, ".site-nav a[href='/protected-areas/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/protected-areas/")
    assert page.locator("h1").inner_text() == "Protected areas"
    assert page.locator(".site-nav a[aria-current='page']").inner_text() == "Protected areas"


def test_the_protected_area_filters_work_with_the_keyboard(page):
    ProtectedAreaFactory(name="Cuc Phuong National Park", country=country("VNM"))
    ProtectedAreaFactory(name="Chitwan National Park", country=country("NPL"))
    page.goto("/protected-areas/")

    tab_to(page, "#id_country")
    # A closed <select> takes typed letters and arrow keys, without a mouse.
    page.keyboard.type("Viet")
    assert page.locator("#id_country").input_value() == "VNM"
    tab_to(page, ".filters button[type=submit]")
    page.keyboard.press("Space")

    page.wait_for_url("**/protected-areas/?*country=VNM*")
    assert page.locator(".results__count").inner_text() == "1 protected area"
    assert page.locator(".data-table tbody th a").all_inner_texts() == ["Cuc Phuong National Park"]


def test_a_member_fills_and_submits_the_best_practice_form_with_the_keyboard(open_page, member):
    page = open_page(user=member)
    page.goto("/knowledge/best-practices/submit/")

    tab_to(page, "#id_title")
    page.keyboard.type("Village rangers on motorbikes")
    tab_to(page, "#id_summary")
    page.keyboard.type("Rangers from the villages patrol the park's edge.")
    tab_to(page, "#id_context")
    page.keyboard.type("A park bordered by farms.")
    # The topics come before the building blocks; the list's filter box on the way.
    first_theme = page.locator("#id_themes input[type=checkbox]").first
    tab_to(page, "#id_themes input[type=checkbox]")
    page.keyboard.press("Space")
    assert first_theme.is_checked()
    first_theme_name = page.locator("#id_themes label").first.inner_text().strip()
    tab_to(page, "#id_blocks-0-title")
    page.keyboard.type("Recruit in the villages")
    tab_to(page, "#id_blocks-0-description")
    page.keyboard.type("Each village council proposes two rangers.")
    # "Add a building block" (formset.js) is a real button: Enter adds a block and
    # moves the focus into it.
    tab_to(page, "button[data-add-block]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_blocks-1-title"
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/my/")
    assert "is submitted" in page.locator(".messages").inner_text()
    practice = member.organization.best_practices.get()
    assert practice.title == "Village rangers on motorbikes"
    assert practice.status == "submitted"
    assert [block.title for block in practice.building_blocks.all()] == ["Recruit in the villages"]
    assert [str(item) for item in practice.themes.all()] == [first_theme_name]
