"""Searching records written in Vietnamese, with and without diacritics.

Lan reads the site in Vietnamese (/vi/) and types "bảo tồn" on her phone, or "bao ton" on a
borrowed keyboard: both find a best practice a member wrote in Vietnamese. Its words are
indexed as written (the `apap_simple` configuration), not through English stemming and stop
words, while English records keep their stemming ("restoring" finds "restoration").
"""

import pytest
from django.db import connection

from apap_portal.fulltext.search import search_config
from knowledge.models import BestPractice, Story
from tests.factories import BestPracticeFactory, StoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

SEARCH = "/vi/search/"
BEST_PRACTICES = "/vi/knowledge/best-practices/"
VIETNAMESE_SUMMARY = "Cộng đồng cùng bảo tồn đa dạng sinh học của rừng ngập mặn."


@pytest.fixture
def practices():
    """A Vietnamese best practice and an English one, both published."""
    return {
        "vi": BestPracticeFactory(
            title="Đồng quản lý rừng ngập mặn",
            summary=VIETNAMESE_SUMMARY,
            context="Thẻ tuần tra cho các thôn.",
            language="vi",
        ),
        "en": BestPracticeFactory(
            title="Mangrove restoration with villages",
            summary="The restoration of mangrove belts along the estuary.",
            language="en",
        ),
    }


def site_titles(client, q) -> list[str]:
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    return [result.title for result in response.context["results"]]


def list_titles(client, q) -> list[str]:
    response = client.get(BEST_PRACTICES, {"q": q})
    assert response.status_code == 200
    return [item.title for item in response.context["object_list"]]


def test_configuration_ignores_diacritics_and_keeps_every_word():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('apap_simple', %s)::text, to_tsvector('apap_simple', %s)::text",
            ["bảo tồn đa dạng thẻ", "bao ton da dang the"],
        )
        accented, plain = cursor.fetchone()
    assert accented == plain == "'bao':1 'da':3 'dang':4 'the':5 'ton':2"


def test_configuration_of_a_language():
    assert search_config("en") == "apap"
    assert search_config("vi") == "apap_simple"
    assert search_config("th") == "apap_simple"


@pytest.mark.parametrize("q", ["bảo tồn", "bao ton", "đa dạng", "da dang"])
def test_site_search_finds_vietnamese_text_with_or_without_diacritics(client, practices, q):
    assert site_titles(client, q) == ["Đồng quản lý rừng ngập mặn"]


def test_site_search_gives_the_same_results_both_ways(client, practices):
    StoryFactory(title="Bảo tồn ở Cúc Phương", lead="Bảo tồn linh trưởng.", language="vi")

    accented = site_titles(client, "bảo tồn")

    assert accented == site_titles(client, "bao ton")
    assert sorted(accented) == ["Bảo tồn ở Cúc Phương", "Đồng quản lý rừng ngập mặn"]


def test_a_vietnamese_word_that_is_an_english_stop_word_without_accents_is_found(client, practices):
    # "thẻ" without its accent is "the", dropped by English indexing.
    assert site_titles(client, "thẻ") == ["Đồng quản lý rừng ngập mặn"]


@pytest.mark.parametrize("q", ["bảo tồn", "bao ton"])
def test_best_practice_list_finds_vietnamese_text_both_ways(client, practices, q):
    assert list_titles(client, q) == ["Đồng quản lý rừng ngập mặn"]


def test_english_text_keeps_english_stemming(client, practices):
    assert site_titles(client, "restoring") == ["Mangrove restoration with villages"]
    assert list_titles(client, "restoring") == ["Mangrove restoration with villages"]


def test_vietnamese_rows_are_indexed_unstemmed_and_english_rows_stemmed(practices):
    vectors = dict(BestPractice.objects.values_list("language", "search_vector"))

    assert "'thẻ'" not in vectors["vi"]
    assert "'the':" in vectors["vi"]
    assert "'restor':" in vectors["en"]
    assert "'restoration'" not in vectors["en"]


def test_changing_the_language_reindexes_the_row(practices):
    story = StoryFactory(title="Restoration", language="vi")
    assert Story.objects.filter(search_vector="restoring").count() == 0

    story.language = "en"
    story.save()

    assert list(Story.objects.filter(search_vector="restoring")) == [story]


@pytest.mark.parametrize("q", ["bảo tồn", "bao ton"])
def test_snippet_of_a_vietnamese_result_marks_the_matched_words(client, practices, q):
    response = client.get(SEARCH, {"q": q})

    (result,) = response.context["results"]
    assert "<mark>bảo</mark> <mark>tồn</mark> đa dạng" in result.snippet
    assert "<mark>bảo</mark> <mark>tồn</mark>" in list_snippet(client, q)


def test_snippet_marks_a_vietnamese_word_english_headlines_would_skip(client, practices):
    response = client.get(SEARCH, {"q": "thẻ tuần tra"})

    (result,) = response.context["results"]
    assert "<mark>Thẻ</mark> <mark>tuần</mark> <mark>tra</mark>" in result.snippet


def list_snippet(client, q) -> str:
    (item,) = client.get(BEST_PRACTICES, {"q": q}).context["object_list"]
    return item.snippet


def test_an_exclusion_still_holds_for_english_rows(client):
    # "forest" is its own stem; the unstemmed side of "forest -restoring" looks for
    # 'forest' without 'restoring', which the stemmed row (holding 'restor') satisfies.
    BestPracticeFactory(title="Forest restoration", summary="Replanting.", language="en")
    BestPracticeFactory(title="Forest patrols", summary="Patrolling.", language="en")

    assert site_titles(client, "forest -restoring") == ["Forest patrols"]
    assert list_titles(client, "forest -restoring") == ["Forest patrols"]
