"""A story in the reader's language: Lan reads APAP's stories on /vi/ (issue 17)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation as django_translation

from knowledge.models import Story
from tests.factories import StoryFactory, translation, work_area

pytestmark = pytest.mark.django_db

STORIES = "/stories/"


@pytest.fixture
def story():
    return StoryFactory(
        title="Rangers of Cat Tien share what works",
        slug="rangers-of-cat-tien",
        lead="Rangers met in Dong Nai.",
        body="They agreed to **share** patrol data.",
        work_area=work_area("knowledge-capacity"),
    )


def test_a_translated_story_reads_in_vietnamese_on_vi_and_in_english_unprefixed(client, story):
    translation(
        story,
        title="Kiểm lâm Cát Tiên chia sẻ kinh nghiệm",
        lead="Các kiểm lâm đã gặp nhau ở Đồng Nai.",
        body="Họ đồng ý **chia sẻ** dữ liệu tuần tra.",
    )
    vi = client.get(f"/vi/stories/{story.slug}/").text
    assert '<h1 lang="vi">Kiểm lâm Cát Tiên chia sẻ kinh nghiệm</h1>' in vi
    assert "<strong>chia sẻ</strong>" in vi
    assert "Rangers of Cat Tien" not in vi
    assert "translation-note" not in vi
    en = client.get(f"/stories/{story.slug}/").text
    assert '<h1 lang="en">Rangers of Cat Tien share what works</h1>' in en
    assert "Kiểm lâm" not in en
    # Both versions exist: each names the other to search engines, and is its own canonical.
    assert f'hreflang="vi" href="http://testserver/vi/stories/{story.slug}/"' in en
    assert f'<link rel="canonical" href="http://testserver/vi/stories/{story.slug}/">' in vi


def test_an_untranslated_story_on_vi_is_marked_english_with_a_note(client, story):
    html = client.get(f"/vi/stories/{story.slug}/").text
    assert '<h1 lang="en">Rangers of Cat Tien share what works</h1>' in html
    assert 'class="prose" lang="en"' in html
    assert "translation-note" in html
    assert "Chưa được dịch" in html  # "Not yet translated" in the page's language
    # The note links the versions that exist: English only.
    note = html.split('class="translation-note"')[1].split("</p>")[0]
    assert f'<a href="/stories/{story.slug}/" hreflang="en" lang="en">English</a>' in note
    assert "/vi/" not in note
    # Search engines are told of the English page only, which is the canonical one.
    assert f'<link rel="canonical" href="http://testserver/stories/{story.slug}/">' in html
    assert 'hreflang="vi"' not in html.split("</head>")[0]


def test_a_draft_translation_is_not_shown(client, story):
    translation(story, status="draft", title="Bản nháp")
    html = client.get(f"/vi/stories/{story.slug}/").text
    assert "Bản nháp" not in html
    assert '<h1 lang="en">' in html
    assert "translation-note" in html


def test_a_story_written_in_vietnamese_shows_the_note_on_english_pages(client):
    StoryFactory(title="Tuần tra thông minh", slug="tuan-tra", language="vi")
    html = client.get("/stories/tuan-tra/").text
    assert '<h1 lang="vi">Tuần tra thông minh</h1>' in html
    assert "Not yet translated — shown in Vietnamese." in html
    assert "translation-note" not in client.get("/vi/stories/tuan-tra/").text


def test_lists_show_each_story_in_the_readers_language_where_they_can(client, story):
    other = StoryFactory(title="Only in English", work_area=work_area("knowledge-capacity"))
    translation(story, title="Kiểm lâm Cát Tiên")
    translation(story.work_area, name="Chia sẻ kiến thức và xây dựng năng lực")
    html = client.get("/vi/stories/").text
    translated = '<a href="/vi/stories/rangers-of-cat-tien/">Kiểm lâm Cát Tiên</a>'
    assert f'<h3 class="card__title" lang="vi">{translated}' in html
    assert (
        f'<h3 class="card__title" lang="en"><a href="/vi/stories/{other.slug}/">Only in English</a>'
        in html
    )
    # The untranslated card says which language it is in; the work area reads in Vietnamese.
    assert 'class="badge badge--language"' in html
    assert '<span lang="vi">Chia sẻ kiến thức và xây dựng năng lực</span>' in html
    # The home page's latest stories too.
    assert "Kiểm lâm Cát Tiên" in client.get("/vi/").text
    assert "Kiểm lâm Cát Tiên" not in client.get("/").text


def test_a_members_only_story_stays_hidden_in_every_language(client, story):
    story.visibility = "members"
    story.save()
    translation(story, title="Chỉ dành cho thành viên")
    response = client.get(f"/vi/stories/{story.slug}/")
    assert response.status_code == 302  # asked to sign in, never shown
    assert "Chỉ dành cho thành viên" not in client.get("/vi/stories/").text


def test_a_story_shown_translated_cannot_be_saved_over_its_original(story):
    translation(story, title="Kiểm lâm")
    shown = Story.objects.translated("vi").get(pk=story.pk)
    assert shown.title == "Kiểm lâm"
    assert shown.shown_language == "vi"
    with pytest.raises(ValueError, match="translation"):
        shown.save()
    story.refresh_from_db()
    assert story.title == "Rangers of Cat Tien share what works"


def test_translated_reading_adds_no_query_and_one_join_per_translated_table(story):
    translation(story, title="Kiểm lâm")
    with django_translation.override("vi"), CaptureQueriesContext(connection) as queries:
        rows = list(Story.objects.all().for_list())
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert sql.count('JOIN "knowledge_storytranslation"') == 1
    assert sql.count('JOIN "activities_workareatranslation"') == 1
    assert rows[0].title == "Kiểm lâm"
    # Counting and the keys of pages do not join.
    with CaptureQueriesContext(connection) as queries:
        Story.objects.all().for_list().count()
        list(Story.objects.all().for_list().values("pk"))
    assert all("storytranslation" not in q["sql"] for q in queries)


def test_the_cache_keeps_each_language_apart(story):
    from apap_portal.caching import key_text

    rows = Story.objects.all().for_list()
    with django_translation.override("vi"):
        vi = key_text((rows,))
    with django_translation.override("en"):
        en = key_text((rows,))
    assert vi != en


@pytest.mark.parametrize("rows", [5, 120])
def test_story_pages_query_counts_hold_with_translations(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue: the same queries as an English-only library."""
    stories = StoryFactory.create_batch(rows, work_area=work_area("awareness-advocacy"))
    for story in stories[::2]:
        translation(story)
    translation(work_area("awareness-advocacy"))
    # 1. savepoint  2. the total and the counts by kind, work area and year  3. release
    # 4. the work areas holding stories  5. the page, with work areas and translations
    with django_assert_num_queries(5):
        assert client.get("/vi/stories/").status_code == 200
    # 1. savepoint  2. the story with its translation, work area, activity, languages
    # 3. release
    with django_assert_num_queries(3):
        assert client.get(f"/vi/stories/{stories[0].slug}/").status_code == 200
