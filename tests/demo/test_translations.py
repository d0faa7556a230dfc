"""The demo in both languages: Lan, a Vietnamese reader, finds the About page, the work
areas and the NBCA-related records in Vietnamese, and the rest in English, marked as such
(issue 17, point 5; demo/translations.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from activities.models import (
    Activity,
    ActivityTranslation,
    FocalActivityTranslation,
    WorkArea,
    WorkAreaTranslation,
)
from demo.members import DEMO_MEMBER_USERNAME, NBCA
from demo.translations import (
    BEST_PRACTICES_VI,
    DEHRADUN_STORY,
    OECMS,
    STORIES_VI,
    WORK_AREA_TEXT,
    WORK_AREAS_VI,
)
from knowledge.models import (
    BestPractice,
    BestPracticeTranslation,
    BuildingBlockTranslation,
    Story,
    StoryTranslation,
)
from members.models import Organization, OrganizationTranslation

pytestmark = pytest.mark.django_db

WORK_AREA_SLUGS = ["knowledge-capacity", "transboundary-cooperation", "awareness-advocacy"]
TRANSLATION_MODELS = [
    WorkAreaTranslation,
    FocalActivityTranslation,
    OrganizationTranslation,
    ActivityTranslation,
    StoryTranslation,
    BestPracticeTranslation,
]
UNTRANSLATED_STORY = "what-members-want-from-apap"


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def english_names() -> list[str]:
    return list(WorkArea.objects.values_list("name", flat=True))


def test_about_reads_wholly_in_vietnamese(client, demo):
    html = client.get("/vi/about/").text
    main = main_of(html)
    assert '<html lang="vi">' in html
    # Nothing in the page is marked as English: the work areas and their focal activities
    # come from the translated records, the rest from the catalogue.
    assert 'lang="en"' not in main
    for name in english_names():
        assert name not in html
    for slug, text in WORK_AREAS_VI.items():
        assert f'<h3 lang="vi"><a href="/vi/work-areas/{slug}/">{text["name"]}</a></h3>' in main
        for description in text["focal_activities"]:
            assert f'<li lang="vi">{description}</li>' in main
    assert "Khung hành động Sendai về Giảm thiểu rủi ro thiên tai" in main
    assert "NBSAP" in main
    assert "Trong 6 tháng đầu năm 2023" in main
    assert "Diễn đàn Đối tác lần thứ 7 được tổ chức tại Ấn Độ vào tháng 4 năm 2023" in main
    for english in ("Our purpose", "Cooperation with Viet Nam", "Partnership Forum", "NBSAPs"):
        assert english not in main


def test_about_in_english_says_the_same(client, demo):
    main = main_of(client.get("/about/").text)
    assert "<h2>Our purpose</h2>" in main
    assert "Sendai Framework for Disaster Risk Reduction" in main
    assert "Cooperation with Viet Nam's NBCA" in main
    assert "7th Partnership Forum, held in India in April 2023" in main
    for name in english_names():
        assert f">{name}</a></h3>" in main
    assert "Encourage the protected-area community of the region" in main
    assert "Chia sẻ kiến thức" not in main


def test_the_home_page_shows_the_work_areas_in_vietnamese(client, demo):
    html = client.get("/vi/").text
    section = html.split('id="work-areas-heading"', 1)[1].split("</section>", 1)[0]
    for slug, text in WORK_AREAS_VI.items():
        assert f'lang="vi"><a href="/vi/work-areas/{slug}/">{text["name"]}</a></h3>' in section
        for description in text["focal_activities"]:
            assert f'<li lang="vi">{description}</li>' in section
    for name in english_names():
        assert name not in section


@pytest.mark.parametrize("slug", WORK_AREA_SLUGS)
def test_each_work_area_reads_in_vietnamese(client, demo, slug):
    text = WORK_AREAS_VI[slug]
    html = client.get(f"/vi/work-areas/{slug}/").text
    assert f'<h1 lang="vi">{text["name"]}</h1>' in html
    assert f'<p class="lead" lang="vi">{text["summary"]}</p>' in html
    assert '<div class="prose" lang="vi">' in html
    for description in text["focal_activities"]:
        assert f'<span lang="vi">{description}</span>' in html
    # No English work-area name anywhere, the activity cards' included; no note.
    for name in english_names():
        assert name not in html
    assert "translation-note" not in html
    # Both versions exist: search engines are told of both.
    assert f'hreflang="en" href="http://testserver/work-areas/{slug}/"' in html

    english = client.get(f"/work-areas/{slug}/").text
    assert f'<p class="lead" lang="en">{escape(WORK_AREA_TEXT[slug]["summary"])}</p>' in english
    assert text["name"] not in english


def test_an_untranslated_work_area_on_vi_is_marked_english_with_the_note(client, demo):
    WorkAreaTranslation.objects.filter(original__slug="awareness-advocacy").delete()
    html = client.get("/vi/work-areas/awareness-advocacy/").text
    assert '<h1 lang="en">Awareness raising and policy advocacy</h1>' in html
    assert "translation-note" in html
    # Its focal activities keep their own translations.
    assert f'<span lang="vi">{WORK_AREAS_VI["awareness-advocacy"]["focal_activities"][0]}' in html


def select_of(html: str, name: str) -> str:
    return html.split(f'<select name="{name}"', 1)[1].split("</select>", 1)[0]


def test_the_filters_offer_work_areas_in_the_readers_language(client, demo):
    activities = client.get("/vi/activities/").text
    stories = client.get("/vi/stories/").text
    # The story list offers only the work areas its stories have (with their count).
    for options in (select_of(activities, "work_area"), select_of(stories, "work_area")):
        assert "Nâng cao nhận thức và vận động chính sách" in options
        for name in english_names():
            assert name not in options
    # The focal activities of the activity filter too.
    focal = select_of(activities, "focal_activity")
    assert "Phổ biến rộng rãi Hướng dẫn thực hành tốt nhất của WCPA" in focal
    assert "Disseminate the WCPA" not in focal
    # A work area is still chosen by its slug.
    chosen = client.get("/vi/activities/", {"work_area": "transboundary-cooperation"})
    assert chosen.status_code == 200
    assert (
        '<option value="transboundary-cooperation" selected>Hợp tác xuyên biên giới'
        in select_of(chosen.text, "work_area")
    )
    english = select_of(client.get("/activities/").text, "work_area")
    assert "Transboundary and regional cooperation" in english
    assert "Hợp tác xuyên biên giới" not in english


def test_the_dehradun_story_reads_in_vietnamese_on_vi_and_in_english_unprefixed(client, demo):
    title = STORIES_VI[DEHRADUN_STORY]["title"]
    vi = client.get(f"/vi/stories/{DEHRADUN_STORY}/").text
    assert f'<h1 lang="vi">{title}</h1>' in vi
    assert "Cục Bảo tồn thiên nhiên và Đa dạng sinh học (NBCA)" in vi
    assert "translation-note" not in vi
    en = client.get(f"/stories/{DEHRADUN_STORY}/").text
    assert (
        '<h1 lang="en">7th Partnership Forum in Dehradun: moving towards implementation of '
        "Target 3</h1>" in en
    )
    assert title not in en


def test_an_untranslated_story_on_vi_is_marked_english_with_the_note(client, demo):
    assert not StoryTranslation.objects.filter(original__slug=UNTRANSLATED_STORY).exists()
    html = client.get(f"/vi/stories/{UNTRANSLATED_STORY}/").text
    assert '<h1 lang="en">' in html
    assert "translation-note" in html
    assert "Chưa được dịch" in html


@pytest.mark.parametrize("slug", list(BEST_PRACTICES_VI))
def test_the_two_practices_read_in_vietnamese_with_their_blocks(client, demo, slug):
    from members.models import User

    # The Sundarbans practice is for members: Lan reads it signed in as the demo member.
    client.force_login(User.objects.get(username=DEMO_MEMBER_USERNAME))
    text = BEST_PRACTICES_VI[slug]
    html = client.get(f"/vi/knowledge/best-practices/{slug}/").text
    assert f'<h1 lang="vi">{escape(text["title"])}</h1>' in html
    assert "translation-note" not in html
    for block in text["building_blocks"]:
        assert f"<h3>{escape(block['title'])}</h3>" in html
    # Every block is translated: none is marked as another language than the practice.
    assert '<li class="building-block" lang=' not in html
    english = client.get(f"/knowledge/best-practices/{slug}/").text
    assert text["title"] not in english


def test_the_two_practices_are_translated_with_all_their_blocks(demo):
    for slug, text in BEST_PRACTICES_VI.items():
        practice = BestPractice.objects.get(slug=slug)
        translation = practice.translations.get(language="vi")
        assert translation.title == text["title"]
        assert translation.is_published
        assert not translation.is_out_of_date
        blocks = list(practice.building_blocks.order_by("order"))
        translated = {
            block.original_id: block
            for block in BuildingBlockTranslation.objects.filter(practice_translation=translation)
        }
        assert len(translated) == len(blocks) == len(text["building_blocks"])
        for block, block_text in zip(blocks, text["building_blocks"], strict=True):
            row = translated[block.pk]
            assert row.title == block_text["title"]
            assert (row.language, row.status) == ("vi", "published")
            assert row.source_digest == block.translation_source
            for field in block.translated_fields:
                assert bool(getattr(row, field)) == bool(getattr(block, field)), (slug, field)


def test_nbca_and_every_activity_it_took_part_in_are_translated(client, demo):
    nbca = Organization.objects.get(slug=NBCA)
    assert nbca.translations.get(language="vi").description.startswith(
        "Cơ quan quốc gia của Việt Nam"
    )
    activities = Activity.objects.filter(organization_roles__organization=nbca).distinct()
    assert activities.exists()
    for activity in activities:
        assert activity.translations.filter(language="vi", status="published").exists()


def test_every_demo_translation_is_published_up_to_date_and_complete(demo):
    for model in TRANSLATION_MODELS:
        rows = model.objects.select_related("original")
        assert rows.exists(), model
        for row in rows:
            assert (row.language, row.status) == ("vi", "published"), row
            assert not row.is_out_of_date, row
            # A field is translated exactly where the original has text.
            for field in type(row.original).translated_fields:
                assert bool(getattr(row, field)) == bool(getattr(row.original, field)), (
                    row,
                    field,
                )
    # Everything else stays English, to show the fallback.
    assert StoryTranslation.objects.count() == 2 < Story.objects.count()
    assert BestPracticeTranslation.objects.count() == 2 < BestPractice.objects.count()
    assert FocalActivityTranslation.objects.count() == 10


def test_the_translations_are_in_the_history_of_the_demo_revision(demo):
    from reversion.models import Version

    story = StoryTranslation.objects.get(original__slug=DEHRADUN_STORY)
    block = BuildingBlockTranslation.objects.filter(original__best_practice__slug=OECMS).first()
    for translation in (story, block):
        version = Version.objects.get_for_object(translation).get()
        assert version.revision.get_comment() == "Demo data"


def snapshot() -> dict[str, list[dict]]:
    models = [WorkArea, *TRANSLATION_MODELS, BuildingBlockTranslation]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def test_loading_twice_creates_nothing_and_changes_nothing(demo):
    first = snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == first
    line = next(line for line in out.getvalue().splitlines() if line.startswith("translations:"))
    assert line.endswith("(0 created, 0 updated, 28 unchanged)"), line


def test_an_original_changed_since_is_followed_again_by_the_next_run(demo):
    """Like every demo record, the original is brought back to the demo's text, and its
    translation follows that text again: nothing is left out of date."""
    story = Story.objects.get(slug=DEHRADUN_STORY)
    story.lead = "Changed by staff."
    story.save()
    assert story.translations.get(language="vi").is_out_of_date
    call_command("load_demo", stdout=io.StringIO())
    assert not Story.objects.get(slug=DEHRADUN_STORY).translations.get().is_out_of_date


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/vi/about/", "/vi/work-areas/transboundary-cooperation/"])
def test_query_counts_are_the_same_with_and_without_translations(client, demo, url):
    """Intended to prevent an n+1 issue: translations are read in the queries that read
    the records (the About page: savepoint, memberships, work areas, focal activities,
    release; the work area page: as tests/activities/test_pages.py lists)."""
    translated = count_queries(client, url)
    english = count_queries(client, url.removeprefix("/vi"))
    for model in TRANSLATION_MODELS:
        model.objects.all().delete()
    untranslated = count_queries(client, url)
    assert translated == english == untranslated
    if "about" in url:
        assert translated == 5
