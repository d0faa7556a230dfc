"""The library's lists as CSV downloads: best practices, resources and stories."""

import pytest
from django.utils import timezone

from knowledge.views import BestPracticeListView
from tests.downloads import body_of, csv_header, csv_table
from tests.factories import (
    BestPracticeFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    country,
    theme,
    translation,
)

pytestmark = pytest.mark.django_db

BEST_PRACTICES = "/knowledge/best-practices/"
RESOURCES = "/knowledge/resources/"
STORIES = "/stories/"


def titles(response) -> list[str]:
    return sorted(row["title"] for row in csv_table(response))


# Best practices


def test_best_practices_download_the_filtered_list(client):
    mangroves = BestPracticeFactory(title="Mangrove replanting", slug="mangroves")
    mangroves.themes.add(theme("sustainable-tourism"))
    mangroves.countries.add(country("VNM"))
    BestPracticeFactory(title="Ranger training")
    response = client.get(BEST_PRACTICES, {"format": "csv", "theme": "sustainable-tourism"})
    assert response.streaming
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="apap-best-practices-{day}.csv"'
    )
    rows = csv_table(response)
    assert [row["title"] for row in rows] == ["Mangrove replanting"]
    row = rows[0]
    assert row["url"] == "http://testserver/knowledge/best-practices/mangroves/"
    assert row["themes"] == "sustainable-tourism"
    assert row["countries"] == "VNM"
    assert row["published_at"] == "2024-05-01T00:00:00+00:00"
    assert row["language"] == "en"


def test_best_practices_download_has_a_stable_header_even_when_empty(client):
    header = csv_header(client.get(BEST_PRACTICES, {"format": "csv"}))
    assert header[:4] == ["slug", "url", "title", "summary"]
    assert {"language", "themes", "gbf_targets", "protected_area"} <= set(header)


def test_best_practices_download_follows_the_search(client):
    BestPracticeFactory(title="Mangrove replanting", summary="Seedlings along the coast.")
    BestPracticeFactory(title="Ranger training", summary="Courses for park staff.")
    assert titles(client.get(BEST_PRACTICES, {"format": "csv", "q": "mangrove"})) == [
        "Mangrove replanting"
    ]


def test_members_only_best_practices_are_downloaded_by_members_only(client, member_client):
    BestPracticeFactory(title="Open practice")
    BestPracticeFactory(title="Members practice", visibility="members")
    BestPracticeFactory(title="Draft practice", status="draft")
    assert titles(client.get(BEST_PRACTICES, {"format": "csv"})) == ["Open practice"]
    assert titles(member_client.get(BEST_PRACTICES, {"format": "csv"})) == [
        "Members practice",
        "Open practice",
    ]


def test_a_members_only_area_is_not_named_to_the_public(client, member_client):
    area = ProtectedAreaFactory(name="Hidden reserve", slug="hidden-reserve", visibility="members")
    BestPracticeFactory(protected_area=area)
    assert csv_table(client.get(BEST_PRACTICES, {"format": "csv"}))[0]["protected_area"] == ""
    member_rows = csv_table(member_client.get(BEST_PRACTICES, {"format": "csv"}))
    assert member_rows[0]["protected_area"] == "hidden-reserve"


def test_a_formula_in_a_title_is_kept_as_text(client):
    BestPracticeFactory(title='=HYPERLINK("https://evil.example","click")')
    text = body_of(client.get(BEST_PRACTICES, {"format": "csv"}))
    assert "'=HYPERLINK(" in text
    assert csv_table(client.get(BEST_PRACTICES, {"format": "csv"}))[0]["title"].startswith(
        "'=HYPERLINK("
    )


def test_best_practices_download_in_vietnamese_where_translated(client):
    practice = BestPracticeFactory(title="Mangrove replanting")
    translation(practice, title="Trồng lại rừng ngập mặn", summary="Cây con dọc bờ biển.")
    BestPracticeFactory(title="Ranger training")
    rows = {
        row["slug"]: row for row in csv_table(client.get("/vi" + BEST_PRACTICES + "?format=csv"))
    }
    assert rows[practice.slug]["title"] == "Trồng lại rừng ngập mặn"
    assert rows[practice.slug]["summary"] == "Cây con dọc bờ biển."
    assert rows[practice.slug]["language"] == "vi"
    assert rows[practice.slug]["url"].startswith("http://testserver/vi/knowledge/best-practices/")
    untranslated = next(row for slug, row in rows.items() if slug != practice.slug)
    assert (untranslated["title"], untranslated["language"]) == ("Ranger training", "en")
    english = csv_table(client.get(BEST_PRACTICES, {"format": "csv"}))
    assert "Mangrove replanting" in [row["title"] for row in english]


def test_a_draft_translation_is_not_downloaded(client):
    practice = BestPracticeFactory(title="Mangrove replanting")
    translation(practice, status="draft", title="Bản nháp")
    rows = csv_table(client.get("/vi" + BEST_PRACTICES + "?format=csv"))
    assert (rows[0]["title"], rows[0]["language"]) == ("Mangrove replanting", "en")


def test_a_vietnamese_search_downloads_the_translation(client):
    practice = BestPracticeFactory(title="Mangrove replanting")
    translation(practice, title="Trồng lại rừng ngập mặn")
    BestPracticeFactory(title="Ranger training")
    rows = csv_table(client.get("/vi" + BEST_PRACTICES, {"format": "csv", "q": "rừng"}))
    assert [row["title"] for row in rows] == ["Trồng lại rừng ngập mặn"]


def test_a_bad_filter_value_answers_400_naming_it(client):
    response = client.get(BEST_PRACTICES, {"format": "csv", "theme": "no-such-theme"})
    assert response.status_code == 400
    assert "theme" in response.content.decode()
    assert client.get(BEST_PRACTICES, {"theme": "no-such-theme"}).status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_best_practices_download_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue: related names come in the rows' own query."""
    organization = OrganizationFactory()
    area = ProtectedAreaFactory()
    for practice in BestPracticeFactory.create_batch(
        rows, organization=organization, protected_area=area
    ):
        practice.themes.add(theme("sustainable-tourism"))
        practice.countries.add(country("LAO"))
    # 1. savepoint  2. release: the request's transaction, which ends before the rows
    # stream  3. the rows, with their countries, themes, ecosystems, challenges and
    # targets as subqueries and their translation joined (a server-side cursor: one
    # query however many batches are fetched)
    with django_assert_num_queries(3):
        table = csv_table(client.get(BEST_PRACTICES, {"format": "csv"}))
    assert len(table) == rows


# Resources


def test_resources_download_the_filtered_list(client, member_client):
    ResourceFactory(title="Guidelines on transboundary areas", kind="guideline", slug="tbpa")
    ResourceFactory(title="Economic study", kind="study")
    ResourceFactory(title="Members study", kind="study", visibility="members")
    rows = csv_table(client.get(RESOURCES, {"format": "csv", "kind": "guideline"}))
    assert [row["title"] for row in rows] == ["Guidelines on transboundary areas"]
    assert rows[0]["url"] == "http://testserver/knowledge/resources/tbpa/"
    assert rows[0]["year"] == "2015"
    assert titles(client.get(RESOURCES, {"format": "csv", "kind": "study"})) == ["Economic study"]
    assert titles(member_client.get(RESOURCES, {"format": "csv", "kind": "study"})) == [
        "Economic study",
        "Members study",
    ]


def test_resources_download_in_vietnamese_where_translated(client):
    resource = ResourceFactory(title="Guidelines", summary="For managers.")
    translation(resource, title="Hướng dẫn", summary="Cho người quản lý.")
    row = csv_table(client.get("/vi" + RESOURCES + "?format=csv"))[0]
    assert (row["title"], row["language"], row["original_language"]) == ("Hướng dẫn", "vi", "en")


def test_a_formula_in_a_resource_title_is_kept_as_text(client):
    ResourceFactory(title="=HYPERLINK(1)")
    assert titles(client.get(RESOURCES, {"format": "csv"})) == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize("rows", [3, 60])
def test_resources_download_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue."""
    for resource in ResourceFactory.create_batch(rows):
        resource.themes.add(theme("sustainable-tourism"))
    # 1. savepoint  2. release  3. the rows, their themes and targets as subqueries,
    # their translation joined
    with django_assert_num_queries(3):
        assert len(csv_table(client.get(RESOURCES, {"format": "csv"}))) == rows


# Stories


def test_stories_download_the_filtered_list(client, member_client):
    StoryFactory(title="A feature", kind="feature", slug="a-feature")
    StoryFactory(title="Some news", kind="news")
    StoryFactory(title="Members feature", kind="feature", visibility="members")
    rows = csv_table(client.get(STORIES, {"format": "csv", "kind": "feature"}))
    assert [row["title"] for row in rows] == ["A feature"]
    assert rows[0]["url"] == "http://testserver/stories/a-feature/"
    assert rows[0]["published_at"] == "2024-06-01T00:00:00+00:00"
    assert titles(member_client.get(STORIES, {"format": "csv", "kind": "feature"})) == [
        "A feature",
        "Members feature",
    ]


def test_stories_download_in_vietnamese_where_translated(client):
    story = StoryFactory(title="Rangers meet")
    translation(story, title="Kiểm lâm gặp nhau")
    row = csv_table(client.get("/vi" + STORIES + "?format=csv"))[0]
    assert (row["title"], row["language"]) == ("Kiểm lâm gặp nhau", "vi")


def test_a_formula_in_a_story_title_is_kept_as_text(client):
    StoryFactory(title='=HYPERLINK("https://evil.example")')
    StoryFactory(title="@SUM(A1:A9)")
    assert titles(client.get(STORIES, {"format": "csv"})) == [
        '\'=HYPERLINK("https://evil.example")',
        "'@SUM(A1:A9)",
    ]


@pytest.mark.parametrize("rows", [3, 60])
def test_stories_download_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue."""
    StoryFactory.create_batch(rows)
    # 1. savepoint  2. release  3. the rows, their translation joined
    with django_assert_num_queries(3):
        assert len(csv_table(client.get(STORIES, {"format": "csv"}))) == rows


# The links on the lists


def test_each_list_links_its_downloads_with_its_filters_but_not_its_page(client, monkeypatch):
    monkeypatch.setattr(BestPracticeListView, "paginate_by", 1)
    BestPracticeFactory(title="Mangrove replanting")
    BestPracticeFactory(title="Mangrove nurseries")
    html = client.get(BEST_PRACTICES, {"q": "mangrove", "page": "2"}).text
    assert 'href="?q=mangrove&amp;format=csv" download>Download CSV</a>' in html
    assert "GeoJSON" not in html  # best practices have no point of their own


def test_the_download_links_read_in_vietnamese(client):
    StoryFactory()
    assert ">Tải xuống CSV</a>" in client.get("/vi" + STORIES).text
