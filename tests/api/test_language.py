"""Records in the reader's language (issue 17): `?lang=` or Accept-Language."""

import pytest

from knowledge.models import BuildingBlockTranslation
from tests.factories import BestPracticeFactory, BuildingBlockFactory, StoryFactory, translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(db):
    translated = StoryFactory(title="Rangers meet", slug="rangers-meet")
    translation(translated, title="Kiểm lâm gặp nhau")
    drafted = StoryFactory(title="Only in English", slug="only-in-english")
    translation(drafted, title="Bản nháp", status="draft")
    return translated, drafted


def by_slug(response) -> dict:
    assert response.status_code == 200
    return {row["slug"]: row for row in response.json()["results"]}


@pytest.mark.parametrize(
    "headers", [{"QUERY_STRING": "lang=vi"}, {"HTTP_ACCEPT_LANGUAGE": "vi"}], ids=["lang", "header"]
)
def test_vietnamese_where_published_english_otherwise(api, stories, headers):
    query = headers.pop("QUERY_STRING", "")
    rows = by_slug(api.get(f"/api/v1/stories/?{query}", **headers))
    translated, untranslated = rows["rangers-meet"], rows["only-in-english"]
    assert translated["title"] == "Kiểm lâm gặp nhau"
    assert (translated["language"], translated["translated"]) == ("vi", True)
    assert translated["translations"] == ["en", "vi"]
    assert untranslated["title"] == "Only in English"  # its draft translation is never shown
    assert (untranslated["language"], untranslated["translated"]) == ("en", False)
    assert untranslated["translations"] == ["en"]
    # The slug is the same; the page's address is the Vietnamese page's.
    assert translated["url"] == "http://testserver/vi/stories/rangers-meet/"


def test_english_by_default(api, stories):
    record = api.get("/api/v1/stories/rangers-meet/").json()
    assert (record["title"], record["language"]) == ("Rangers meet", "en")
    assert record["translations"] == ["en", "vi"]
    assert record["url"] == "http://testserver/stories/rangers-meet/"


def test_lang_wins_over_accept_language(api, stories):
    response = api.get("/api/v1/stories/rangers-meet/?lang=en", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.json()["title"] == "Rangers meet"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_a_best_practice_and_its_blocks_in_vietnamese(api, db):
    practice = BestPracticeFactory(title="Joint patrols", slug="joint-patrols")
    block = BuildingBlockFactory(best_practice=practice, title="Agree the routes")
    practice_vi = translation(practice, title="Tuần tra chung")
    BuildingBlockTranslation.objects.create(
        original=block,
        practice_translation=practice_vi,
        title="Thống nhất tuyến",
        description=block.description,
    )
    record = api.get("/api/v1/best-practices/joint-patrols/?lang=vi").json()
    assert (record["title"], record["language"]) == ("Tuần tra chung", "vi")
    assert [block["title"] for block in record["building_blocks"]] == ["Thống nhất tuyến"]
