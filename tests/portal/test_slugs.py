"""One helper makes every unique slug: best practices, WDPA imports, duplicated activities."""

import pytest

from apap_portal.slugs import unique_slug
from knowledge.models import BestPractice
from tests.factories import BestPracticeFactory


def test_a_free_slug_is_the_text_slugified():
    assert unique_slug("Cúc Phương  National Park", set(), max_length=50, fallback="x") == (
        "cuc-phuong-national-park"
    )


def test_a_taken_slug_gets_the_next_free_number():
    taken = {"bardia", "bardia-2", "bardia-4"}
    assert unique_slug("Bardia", taken, max_length=50, fallback="x") == "bardia-3"


def test_a_qualifier_comes_first_then_numbers():
    assert unique_slug("Bardia", {"bardia"}, max_length=50, fallback="x", qualifier="7") == (
        "bardia-7"
    )
    taken = {"bardia", "bardia-7"}
    assert unique_slug("Bardia", taken, max_length=50, fallback="x", qualifier="7") == "bardia-7-2"


def test_text_that_does_not_transliterate_falls_back():
    assert unique_slug("ป่าชายเลน", set(), max_length=50, fallback="wdpa-7") == "wdpa-7"
    assert unique_slug("ป่าชายเลน", {"wdpa-7"}, max_length=50, fallback="wdpa-7") == "wdpa-7-2"


def test_reserved_slugs_are_never_given():
    assert unique_slug("Submit", set(), max_length=50, fallback="x", reserved={"submit"}) == (
        "submit-2"
    )


def test_a_long_slug_is_cut_to_fit_with_its_suffix():
    text = "word " * 20  # "word-word-…": a cut may end on a hyphen, which is dropped
    free = unique_slug(text, set(), max_length=12, fallback="x")
    assert free == "word-word-wo"
    suffixed = unique_slug(text, {free}, max_length=12, fallback="x")
    assert suffixed == "word-word-2"
    assert len(suffixed) <= 12


@pytest.mark.django_db
def test_a_queryset_is_asked_once_for_many_candidates(django_assert_num_queries):
    BestPracticeFactory(slug="mangroves")
    for number in range(2, 6):
        BestPracticeFactory(slug=f"mangroves-{number}")

    with django_assert_num_queries(1):
        slug = unique_slug("Mangroves", BestPractice.objects.all(), max_length=255, fallback="x")

    assert slug == "mangroves-6"


@pytest.mark.django_db
def test_a_queryset_is_asked_again_when_every_candidate_is_taken(django_assert_num_queries):
    BestPracticeFactory(slug="mangroves")
    for number in range(2, 26):
        BestPracticeFactory(slug=f"mangroves-{number}")

    with django_assert_num_queries(2):  # 20 candidates a query
        slug = unique_slug("Mangroves", BestPractice.objects.all(), max_length=255, fallback="x")

    assert slug == "mangroves-26"
