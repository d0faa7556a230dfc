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
