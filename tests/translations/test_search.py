"""Search over translations: Lan finds records by their Vietnamese text on /vi/ (issue 17).

A record's published translation into the reader's language is searched with it; the
result shows that translation (title, snippet, `lang`). Drafts and translations into
other languages are never searched. Anna searches the English site.
"""

import factory
import pytest

from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    CallFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    translation,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def results(response) -> list[tuple[str, str]]:
    """(title, language) of each result of the site search."""
    assert response.status_code == 200
    return [(result.title, result.language) for result in response.context["results"]]


@pytest.fixture
def mangroves():
    """An English story with a published Vietnamese translation."""
    story = StoryFactory(
        title="The mangroves came back",
        slug="mangroves-came-back",
        lead="Ten years after the storm, the mangroves are back.",
        body="Villagers planted them again.",
    )
    translation(
        story,
        title="Rừng ngập mặn đã trở lại",
        lead="Mười năm sau cơn bão, công tác bảo tồn rừng ngập mặn đã thành công.",
        body="Dân làng đã trồng lại rừng.",
    )
    return story


def test_vietnamese_words_with_or_without_accents_find_the_translated_record_on_vi(
    client, mangroves
):
    with_accents = client.get("/vi/search/", {"q": "bảo tồn"})
    without = client.get("/vi/search/", {"q": "bao ton"})
    assert results(with_accents) == results(without) == [("Rừng ngập mặn đã trở lại", "vi")]
    html = with_accents.text
    assert '<h3 class="search-result__title" lang="vi">' in html
    # Its snippet is the translation's text (diacritics are ignored: "bão" is marked too).
    assert '<p class="search-result__snippet" lang="vi">Mười năm sau cơn <mark>bão</mark>' in html
    assert "công tác <mark>bảo</mark> <mark>tồn</mark> rừng" in html
    assert f'href="/vi/stories/{mangroves.slug}/"' in html
    assert "The mangroves came back" not in html


def test_the_english_site_shows_the_english_original_and_ignores_the_vietnamese_words(
    client, mangroves
):
    # The same item found on /vi/ by its English words shows Vietnamese there...
    assert results(client.get("/vi/search/", {"q": "mangroves"})) == [
        ("Rừng ngập mặn đã trở lại", "vi")
    ]
    # ...and English on /search/ (the ranking is cached per language).
    english = client.get("/search/", {"q": "mangroves"})
    assert results(english) == [("The mangroves came back", "en")]
    assert 'lang="en">Ten years after the storm, the <mark>mangroves</mark>' in english.text
    # An English reader is not searched through the Vietnamese translation.
    assert results(client.get("/search/", {"q": "bảo tồn"})) == []


def test_a_draft_translation_finds_nothing(client):
    story = StoryFactory(title="Rangers of Cat Tien", lead="Rangers met.")
    translation(story, status="draft", title="Kiểm lâm", lead="Công tác tuần tra bí mật.")
    assert results(client.get("/vi/search/", {"q": "tuần tra"})) == []
    assert client.get("/vi/stories/", {"q": "tuần tra"}).context["paginator"].count == 0
    # Nor does the fallback for misspellings read a draft's title.
    assert results(client.get("/vi/search/", {"q": "Kiểm lâmm"})) == []


def test_a_translation_into_another_language_is_not_searched(client):
    """A practice written in Vietnamese, translated into English: Lan on /vi/ reads the original."""
    practice = BestPracticeFactory(
        title="Tuần tra rừng", summary="Kiểm lâm tuần tra hằng tuần.", language="vi"
    )
    translation(practice, language="en", title="Forest patrols", summary="Weekly ranger patrols.")
    assert results(client.get("/vi/search/", {"q": "weekly"})) == []
    # The English reader finds it by its English translation, and reads that.
    assert results(client.get("/search/", {"q": "weekly"})) == [("Forest patrols", "en")]
    assert results(client.get("/vi/search/", {"q": "tuan tra"})) == [("Tuần tra rừng", "vi")]


@pytest.mark.parametrize(
    ("make", "title_field", "kind"),
    [
        (BestPracticeFactory, "title", "bestpractice"),
        (ResourceFactory, "title", "resource"),
        (StoryFactory, "title", "story"),
        (ActivityFactory, "title", "activity"),
        (CallFactory, "title", "call"),
        (ProtectedAreaFactory, "name", "protectedarea"),
    ],
)
def test_every_kind_with_translations_is_found_by_its_vietnamese_text(
    client, make, title_field, kind
):
    record = make(**{title_field: "Kelp survey"})
    # Every translatable text field but the title (a protected area's name is its own).
    fields = {
        name: "Khảo sát tảo bẹ ở vùng ven biển."
        for name in type(record).translated_fields
        if name not in ("title", "cover_image_alt", "image_alt")
    }
    translation(record, **fields)
    found = client.get("/vi/search/", {"q": "ven biển"})
    assert [(r.kind.key, r.language) for r in found.context["results"]] == [(kind, "vi")]
    assert "<mark>ven</mark> <mark>biển</mark>" in found.text
    assert results(client.get("/search/", {"q": "ven biển"})) == []


def test_a_protected_areas_name_keeps_its_own_language_beside_a_translated_description(client):
    area = ProtectedAreaFactory(name="Kelp Bay Marine Park", description="Kelp forests.")
    translation(area, description="Rừng tảo bẹ ven biển.")
    html = client.get("/vi/search/", {"q": "ven biển"}).text
    assert '<h3 class="search-result__title" lang="en">' in html
    assert '<p class="search-result__snippet" lang="vi">Rừng tảo bẹ <mark>ven</mark>' in html


def test_a_cached_search_sees_a_translation_published_or_unpublished_at_once(client):
    story = StoryFactory(title="Rangers of Cat Tien", lead="Rangers met.")
    assert results(client.get("/vi/search/", {"q": "tuần tra"})) == []
    assert client.get("/vi/stories/", {"q": "tuần tra"}).context["paginator"].count == 0
    made = translation(story, title="Kiểm lâm", lead="Công tác tuần tra.")
    assert results(client.get("/vi/search/", {"q": "tuần tra"})) == [("Kiểm lâm", "vi")]
    assert client.get("/vi/stories/", {"q": "tuần tra"}).context["paginator"].count == 1
    made.status = "draft"
    made.save()
    assert results(client.get("/vi/search/", {"q": "tuần tra"})) == []
    assert client.get("/vi/stories/", {"q": "tuần tra"}).context["paginator"].count == 0


def test_a_record_ranks_by_the_better_of_its_own_and_its_translations_score(client):
    # Anh's story mentions Cattien in its body only; its translation in its title.
    body_only = StoryFactory(title="Anh's diary", lead="A ranger's diary.", body="Near Cattien.")
    translation(body_only, title="Nhật ký Cattien", lead="Nhật ký.", body="Gần rừng.")
    in_lead = StoryFactory(title="A ranger's week", lead="A week in Cattien.", body="Patrols.")

    vi = client.get("/vi/search/", {"q": "cattien"})
    assert results(vi) == [("Nhật ký Cattien", "vi"), ("A ranger's week", "en")]
    en = client.get("/search/", {"q": "cattien"})
    assert results(en) == [("A ranger's week", "en"), ("Anh's diary", "en")]
    # The lists rank and show alike.
    listed = client.get("/vi/stories/", {"q": "cattien"}).context["object_list"]
    assert [(story.pk, story.shown_language) for story in listed] == [
        (body_only.pk, "vi"),
        (in_lead.pk, "en"),
    ]


def test_a_misspelt_vietnamese_title_finds_its_translation(client, mangroves):
    found = client.get("/vi/search/", {"q": "ngập mặnn"})
    assert found.context["search"].approximate is True
    assert results(found) == [("Rừng ngập mặn đã trở lại", "vi")]
    assert results(client.get("/search/", {"q": "ngập mặnn"})) == []


def test_a_word_only_in_a_translation_finds_its_original_on_the_vi_list(client, mangroves):
    StoryFactory(title="Sea turtles nest again", lead="Turtles nest on the beach.")
    response = client.get("/vi/stories/", {"q": "bảo tồn"})
    stories = list(response.context["object_list"])
    assert [story.pk for story in stories] == [mangroves.pk]
    html = response.text
    assert '<h3 class="card__title" lang="vi">' in html
    assert "Rừng ngập mặn đã trở lại" in html
    assert "<mark>bảo</mark> <mark>tồn</mark>" in html
    # Without accents, the same.
    assert [s.pk for s in client.get("/vi/stories/", {"q": "bao ton"}).context["object_list"]] == [
        mangroves.pk
    ]
    # The English list does not search the Vietnamese text.
    assert client.get("/stories/", {"q": "bảo tồn"}).context["paginator"].count == 0


def test_the_cap_applies_to_originals_and_translations_apart(client, monkeypatch):
    monkeypatch.setattr("apap_portal.fulltext.search.MAX_RANKED", 3)
    StoryFactory.create_batch(2, title=factory.Sequence(lambda n: f"Kelp story {n}"))
    for story in StoryFactory.create_batch(2, title=factory.Sequence(lambda n: f"Reef {n}")):
        translation(story, title="Tảo bẹ kelp", lead="Kelp.")
    # Four matches, no more than two each way: every one is ranked, and nothing was left out.
    found = client.get("/vi/search/", {"q": "kelp"})
    assert len(results(found)) == 4
    assert found.context["search"].capped is False
    listed = client.get("/vi/stories/", {"q": "kelp"})
    assert listed.context["paginator"].count == 4
    assert "is found in more than" not in listed.text
    # A third translation fills its branch: the search says more matched.
    translation(StoryFactory(title="Reef 3"), title="Tảo bẹ kelp", lead="Kelp.")
    assert client.get("/vi/search/", {"q": "kelp"}).context["search"].capped is True
    assert client.get("/vi/stories/", {"q": "kelp"}).context["search"].capped is True


def _kelp_with_translations(count: int) -> None:
    """`count` rows of every kind that has translations, half of them translated."""
    kinds = [
        (BestPracticeFactory, "title"),
        (ResourceFactory, "title"),
        (StoryFactory, "title"),
        (ActivityFactory, "title"),
        (ProtectedAreaFactory, "name"),
    ]
    for make, title_field in kinds:
        rows = make.create_batch(
            count, **{title_field: factory.Sequence(lambda n: f"Kelp reserve {n}")}
        )
        for row in rows[::2]:
            fields = {
                name: "Tảo bẹ kelp" for name in type(row).translated_fields if "alt" not in name
            }
            translation(row, **fields)


@pytest.mark.parametrize("rows_per_kind", [8, 60])
def test_the_vi_search_page_runs_as_many_queries_as_the_english_one(
    client, django_assert_num_queries, rows_per_kind
):
    """Intended to prevent an n+1 issue: translations searched and shown cost no query."""
    _kelp_with_translations(rows_per_kind)
    # 1. SAVEPOINT  2. the ranking of every kind and translation (one UNION ALL)
    # 3. the page of results, each in the reader's language (one UNION ALL)  4. RELEASE
    with django_assert_num_queries(4):
        response = client.get("/vi/search/", {"q": "tảo bẹ"})
    assert len(response.context["results"]) == 20
    assert {result.language for result in response.context["results"]} == {"vi"}
    # Originals and translations both match "kelp": each record counts once.
    with django_assert_num_queries(4):
        response = client.get("/vi/search/", {"q": "kelp"})
    assert response.context["total"] == 5 * rows_per_kind


@pytest.mark.parametrize("rows", [5, 60])
def test_the_vi_story_list_search_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue on a list searched through its translations."""
    stories = StoryFactory.create_batch(rows, title=factory.Sequence(lambda n: f"Kelp {n}"))
    for story in stories[::2]:
        translation(story, title="Tảo bẹ", lead="Tảo bẹ kelp.")
    # 1. savepoint  2. the ranking (the stories' and their translations' candidates, scored)
    # 3. the total and the counts by kind, work area and year  4. release
    # 5. the page, in the ranking's order, with translations and snippets
    with django_assert_num_queries(5):
        response = client.get("/vi/stories/", {"q": "kelp"})
    assert response.context["paginator"].count == rows
    # As many as the English list, which searches no translation.
    with django_assert_num_queries(5):
        assert client.get("/stories/", {"q": "kelp"}).context["paginator"].count == rows
