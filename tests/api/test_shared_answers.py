"""Answers to readers without a token, kept for the next such reader (api.views).

They follow the content as the whole pages do: an edit shows in the next answer, and the
rate limit still counts every request. A member's token is never served a kept answer.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import bearer
from tests.factories import StoryFactory, translation

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

STORIES = "/api/v1/stories/"


@pytest.fixture
def shared_answers(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.API_RATE_LIMITS = {"address": "1000/minute", "token": "1000/minute"}
    cache.clear()


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


def queries_of(api, url: str, **headers) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, **headers)
    return response, [query["sql"] for query in captured]


def test_the_second_anonymous_reader_is_answered_without_reading_the_content(
    api, records, shared_answers
):
    first, first_queries = queries_of(api, STORIES)
    again, again_queries = queries_of(api, STORIES)

    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert again["Content-Language"] == "en"
    assert "private" in again["Cache-Control"]
    assert any("knowledge_story" in sql for sql in first_queries)
    assert not any("knowledge_story" in sql for sql in again_queries)


def test_an_edit_shows_in_the_next_answer(api, records, shared_answers):
    assert titles(api.get(STORIES)) == ["Public story"]
    StoryFactory(title="Newer story")
    assert sorted(titles(api.get(STORIES))) == ["Newer story", "Public story"]


def test_a_token_is_never_answered_what_anonymous_readers_were(api, records, shared_answers, token):
    assert titles(api.get(STORIES)) == ["Public story"]
    with_token = titles(api.get(STORIES, **bearer(token)))
    assert sorted(with_token) == ["Members story", "Public story"]
    # And the reverse: a member's answer is not kept for the public.
    assert titles(api.get(STORIES)) == ["Public story"]


def test_each_language_and_each_address_is_kept_apart(api, records, shared_answers):
    story = StoryFactory(title="Seagrass counts")
    translation(story, title="Đếm cỏ biển")

    english = titles(api.get(STORIES))
    vietnamese = titles(api.get(STORIES, HTTP_ACCEPT_LANGUAGE="vi"))
    asked = titles(api.get(STORIES, {"lang": "vi"}))

    assert "Seagrass counts" in english
    assert "Đếm cỏ biển" not in english
    assert "Đếm cỏ biển" in vietnamese
    assert asked == vietnamese
    one = api.get(STORIES, {"page_size": 1}).json()
    assert len(one["results"]) == 1
    assert one["next"].startswith("http://testserver/api/v1/stories/?cursor=")
    other_host = api.get(STORIES, {"page_size": 1}, HTTP_HOST="localhost").json()
    assert other_host["next"].startswith("http://localhost/api/v1/stories/?cursor=")


def test_the_rate_limit_counts_the_answers_served_from_the_cache(
    api, records, shared_answers, settings
):
    settings.API_RATE_LIMITS = {"address": "3/minute", "token": "1000/minute"}
    for _n in range(3):
        assert api.get(STORIES).status_code == 200
    assert api.get(STORIES).status_code == 429


def test_errors_are_never_kept(api, records, shared_answers):
    assert api.get(f"{STORIES}new-story/").status_code == 404
    StoryFactory(title="New story")
    assert api.get(f"{STORIES}new-story/").json()["title"] == "New story"
    assert api.get(STORIES, {"lang": "xx"}).status_code == 400


def test_nothing_is_kept_when_the_page_cache_is_off(api, records, settings):
    settings.PAGE_CACHE_SECONDS = 0
    api.get(STORIES)
    _response, again = queries_of(api, STORIES)
    assert any("knowledge_story" in sql for sql in again)
