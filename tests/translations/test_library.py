"""The library in the reader's language: best practices with their building blocks,
resources, GBF targets and taxonomies on /vi/, and members submitting in Vietnamese
(issue 17, points 1-3).

Lan reads the library on /vi/; Minh (a member) submits a practice in Vietnamese; Emma
(an editor) reviews it.
"""

import re

import pytest
from django.core import checks
from django.test import override_settings

from knowledge.models import BestPractice, BuildingBlockTranslation, GbfTarget
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    country,
    theme,
    translation,
    work_area,
)
from tests.portal.test_markdown import PAGE_PAYLOAD, assert_payload_rendered_safely

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

BEST_PRACTICES = "/knowledge/best-practices/"
RESOURCES = "/knowledge/resources/"


def block_translation(practice_translation, block, **fields):
    """The block's text in the language of `practice_translation` (which it follows)."""
    values = {}
    for name in block.translated_fields:
        text = getattr(block, name)
        values[name] = fields.get(
            name, f"{text} [{practice_translation.language}]" if text else text
        )
    made = BuildingBlockTranslation(
        practice_translation=practice_translation, original=block, **values
    )
    made.save()
    return made


def options(html: str, name: str) -> list[str]:
    """The labels of a filter's options (without "All …")."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        label
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
        if value
    ]


@pytest.fixture
def practice():
    practice = BestPracticeFactory(
        title="Community patrols in Cat Tien",
        slug="community-patrols",
        summary="Rangers and villagers patrol together.",
        context="A **lowland** forest park.",
        is_featured=True,
    )
    practice.countries.add(country("VNM"))
    BuildingBlockFactory(
        best_practice=practice, order=0, title="Agree routes", description="Villages map routes."
    )
    BuildingBlockFactory(
        best_practice=practice, order=1, title="Share the fines", description="Fines fund schools."
    )
    return practice


@pytest.fixture
def translated(practice):
    """Its Vietnamese translation, published, with the first block translated."""
    vietnamese = translation(
        practice,
        title="Tuần tra cộng đồng ở Cát Tiên",
        summary="Kiểm lâm và dân làng cùng tuần tra.",
        context="Một vườn quốc gia rừng **đất thấp**.",
    )
    first = practice.building_blocks.get(order=0)
    block_translation(
        vietnamese, first, title="Thống nhất tuyến tuần tra", description="Các làng vẽ tuyến."
    )
    return vietnamese


# Best practices and their building blocks


def test_a_translated_practice_reads_in_vietnamese_on_vi_with_its_blocks(client, translated):
    vi = client.get("/vi/knowledge/best-practices/community-patrols/").text
    assert '<h1 lang="vi">Tuần tra cộng đồng ở Cát Tiên</h1>' in vi
    assert '<div class="prose" lang="vi">' in vi
    assert "<strong>đất thấp</strong>" in vi
    assert "translation-note" not in vi
    # The translated block reads in Vietnamese; the other keeps its English, marked so.
    assert '<li class="building-block">\n              <h3>Thống nhất tuyến tuần tra</h3>' in vi
    assert "Agree routes" not in vi
    assert '<li class="building-block" lang="en">\n              <h3>Share the fines</h3>' in vi
    # The facts say the text is a translation, and of what.
    assert "<dd>Tiếng Việt, dịch từ Tiếng Anh</dd>" in vi
    # Both versions are named to search engines.
    assert (
        'hreflang="en" href="http://testserver/knowledge/best-practices/community-patrols/"' in vi
    )

    en = client.get("/knowledge/best-practices/community-patrols/").text
    assert '<h1 lang="en">Community patrols in Cat Tien</h1>' in en
    assert "<h3>Agree routes</h3>" in en
    assert "<h3>Share the fines</h3>" in en
    assert "Tuần tra" not in en
    assert "Thống nhất" not in en
    assert "translation-note" not in en
    assert "<dd>English</dd>" in en


def test_a_draft_translation_and_its_blocks_are_not_shown(client, translated):
    translated.status = "draft"
    translated.save()  # its blocks follow it back to draft
    html = client.get("/vi/knowledge/best-practices/community-patrols/").text
    assert '<h1 lang="en">Community patrols in Cat Tien</h1>' in html
    assert "Tuần tra" not in html
    assert "Thống nhất" not in html
    assert "<h3>Agree routes</h3>" in html
    assert "translation-note" in html
    assert "Tuần tra" not in client.get(f"/vi{BEST_PRACTICES}").text


def test_an_untranslated_practice_on_vi_is_marked_english_with_a_note(client, practice):
    html = client.get("/vi/knowledge/best-practices/community-patrols/").text
    assert '<h1 lang="en">Community patrols in Cat Tien</h1>' in html
    assert '<div class="prose" lang="en">' in html
    assert "Chưa được dịch" in html
    note = html.split('class="translation-note"')[1].split("</p>")[0]
    assert 'href="/knowledge/best-practices/community-patrols/" hreflang="en"' in note
    assert (
        '<link rel="canonical" href="http://testserver/knowledge/best-practices/community-patrols/">'
        in html
    )
    # Blocks are in the practice's language: nothing to mark apart.
    assert '<li class="building-block">\n              <h3>Agree routes</h3>' in html


def test_blocks_of_a_practice_written_in_vietnamese_are_marked_vietnamese(client):
    practice = BestPracticeFactory(title="Tuần tra thông minh", slug="tuan-tra", language="vi")
    first = BuildingBlockFactory(best_practice=practice, order=0, title="Dùng SMART")
    BuildingBlockFactory(best_practice=practice, order=1, title="Chia sẻ dữ liệu")
    english = translation(practice, language="en", title="Smart patrols")
    block_translation(english, first, title="Use SMART")
    html = client.get("/knowledge/best-practices/tuan-tra/").text
    assert '<h1 lang="en">Smart patrols</h1>' in html
    assert "<h3>Use SMART</h3>" in html
    assert '<li class="building-block" lang="vi">\n              <h3>Chia sẻ dữ liệu</h3>' in html


def test_every_list_of_practices_reads_in_the_readers_language(client, practice, translated):
    other = BestPracticeFactory(title="Only in English", slug="only-in-english", is_featured=True)
    other.countries.add(country("VNM"))
    translated_card = (
        '<h3 class="card__title" lang="vi"><a href="/vi/knowledge/best-practices/'
        'community-patrols/">Tuần tra cộng đồng ở Cát Tiên</a>'
    )
    english_card = (
        '<h3 class="card__title" lang="en">'
        '<a href="/vi/knowledge/best-practices/only-in-english/">Only in English</a>'
    )
    for url in (f"/vi{BEST_PRACTICES}", "/vi/knowledge/", "/vi/", "/vi/countries/vnm/"):
        html = client.get(url).text
        assert translated_card in html, url
        assert english_card in html, url
        assert '<p class="card__text" lang="vi">Kiểm lâm và dân làng cùng tuần tra.</p>' in html
        # Only the untranslated card says which language it is in.
        assert html.count('class="badge badge--language"') == 1, url
    # The English pages, and the cached country profile, stay English.
    for url in (BEST_PRACTICES, "/knowledge/", "/", "/countries/vnm/"):
        html = client.get(url).text
        assert "Community patrols in Cat Tien" in html, url
        assert "Tuần tra" not in html, url
        assert 'class="badge badge--language"' not in html, url


def test_a_members_only_practice_never_reaches_an_anonymous_visitor(
    client, member_client, practice, translated
):
    practice.visibility = "members"
    practice.save()
    response = client.get("/vi/knowledge/best-practices/community-patrols/")
    assert response.status_code == 302  # asked to sign in, never shown
    for url in (f"/vi{BEST_PRACTICES}", "/vi/knowledge/", "/vi/", "/vi/countries/vnm/"):
        assert "Tuần tra" not in client.get(url).text, url
    assert "Tuần tra" not in client.get("/feeds/best-practices/").text
    # A member reads it in Vietnamese.
    html = member_client.get("/vi/knowledge/best-practices/community-patrols/").text
    assert '<h1 lang="vi">Tuần tra cộng đồng ở Cát Tiên</h1>' in html


def test_the_feed_keeps_the_original_text(client, translated):
    feed = client.get("/feeds/best-practices/").text
    assert "Community patrols in Cat Tien" in feed
    assert "Tuần tra" not in feed


def test_translated_markdown_is_inert_on_the_page(client, practice):
    vietnamese = translation(practice, context=PAGE_PAYLOAD, impacts=PAGE_PAYLOAD)
    block_translation(
        vietnamese,
        practice.building_blocks.get(order=0),
        description=PAGE_PAYLOAD,
        enabling_factors=PAGE_PAYLOAD,
    )
    resource = ResourceFactory(slug="guidelines")
    translation(resource, summary=PAGE_PAYLOAD)
    for url in (
        "/vi/knowledge/best-practices/community-patrols/",
        "/vi/knowledge/resources/guidelines/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_payload_rendered_safely(response.text)


# Resources


def test_a_resource_reads_in_the_readers_language_beside_its_editions(client):
    original = ResourceFactory(
        title="Transboundary Conservation", slug="transboundary", summary="Guidelines **No. 23**."
    )
    edition = ResourceFactory(
        title="Bảo tồn xuyên biên giới (bản in)",
        slug="transboundary-vi",
        language="vi",
        translation_of=original,
    )
    translation(original, title="Bảo tồn xuyên biên giới", summary="Hướng dẫn **số 23**.")

    vi = client.get("/vi/knowledge/resources/transboundary/").text
    assert '<h1 lang="vi">Bảo tồn xuyên biên giới</h1>' in vi
    assert "<strong>số 23</strong>" in vi
    assert "translation-note" not in vi
    # The other file of the publication is still listed, under its own heading.
    assert "Ấn phẩm bằng các ngôn ngữ khác" in vi
    assert f'href="/vi/knowledge/resources/{edition.slug}/" hreflang="vi" lang="vi"' in vi
    en = client.get("/knowledge/resources/transboundary/").text
    assert '<h1 lang="en">Transboundary Conservation</h1>' in en
    assert "The publication in other languages" in en
    assert "translation-note" not in en

    # The Vietnamese edition is Vietnamese text: no note on /vi/, a note on English pages.
    assert "translation-note" not in client.get("/vi/knowledge/resources/transboundary-vi/").text
    assert (
        "Not yet translated — shown in Vietnamese."
        in client.get("/knowledge/resources/transboundary-vi/").text
    )

    cards = client.get(f"/vi{RESOURCES}").text
    assert (
        '<h3 class="card__title" lang="vi"><a href="/vi/knowledge/resources/transboundary/">'
        "Bảo tồn xuyên biên giới</a>" in cards
    )
    assert "Transboundary Conservation" not in cards


def test_an_untranslated_resource_on_vi_is_marked_with_a_note(client):
    ResourceFactory(title="Protected Area Governance", slug="governance", summary="Who decides.")
    html = client.get("/vi/knowledge/resources/governance/").text
    assert '<h1 lang="en">Protected Area Governance</h1>' in html
    assert '<div class="prose" lang="en">' in html
    assert "Chưa được dịch" in html


# GBF targets and taxonomies


def test_facets_and_term_links_name_targets_and_themes_in_vietnamese(client, practice):
    tourism = theme("sustainable-tourism")
    target = GbfTarget.objects.get(number=3)
    practice.themes.add(tourism)
    practice.gbf_targets.add(target)
    translation(tourism, name="Du lịch bền vững")
    translation(target, short_title="Bảo tồn 30% đất và biển")

    # The English page first: its cached filter form must not leak into /vi/.
    en = client.get(BEST_PRACTICES).text
    assert options(en, "theme") == [f"{tourism.name} (1)"]
    vi = client.get(f"/vi{BEST_PRACTICES}").text
    assert options(vi, "theme") == ["Du lịch bền vững (1)"]
    assert options(vi, "gbf_target") == ["3. Bảo tồn 30% đất và biển (1)"]
    assert options(client.get(BEST_PRACTICES).text, "theme") == [f"{tourism.name} (1)"]

    detail = client.get("/vi/knowledge/best-practices/community-patrols/").text
    assert ">Du lịch bền vững</a>" in detail
    assert ": Bảo tồn 30% đất và biển</li>" in detail
    english = client.get("/knowledge/best-practices/community-patrols/").text
    assert f">{tourism.name}</a>" in english
    assert "Bảo tồn 30%" not in english

    # An untranslated term on /vi/ is marked English.
    ecosystem = practice.ecosystems.model.objects.first()
    practice.ecosystems.add(ecosystem)
    detail = client.get("/vi/knowledge/best-practices/community-patrols/").text
    assert f'?ecosystem={ecosystem.slug}" lang="en">{ecosystem.name}</a>' in detail

    resource = ResourceFactory(slug="guidelines")
    resource.themes.add(tourism)
    resource.gbf_targets.add(target)
    assert options(client.get(f"/vi{RESOURCES}").text, "theme") == ["Du lịch bền vững (1)"]
    page = client.get("/vi/knowledge/resources/guidelines/").text
    assert ">Du lịch bền vững</a>" in page
    assert ": Bảo tồn 30% đất và biển</li>" in page


def test_the_activity_list_names_gbf_targets_in_vietnamese(client):
    activity = ActivityFactory()
    target = GbfTarget.objects.get(number=3)
    activity.gbf_targets.add(target)
    translation(target, short_title="Bảo tồn 30% đất và biển")
    vi = client.get("/vi/activities/").text
    assert "3. Bảo tồn 30% đất và biển" in vi
    assert "Bảo tồn 30%" not in client.get("/activities/").text


def test_in_numbers_names_targets_work_areas_and_themes_in_each_language_apart(client, practice):
    target = GbfTarget.objects.get(number=3)
    tourism = theme("sustainable-tourism")
    practice.gbf_targets.add(target)
    practice.themes.add(tourism)
    ActivityFactory(work_area=work_area("knowledge-capacity"))
    translation(target, short_title="Bảo tồn 30% đất và biển")
    translation(tourism, name="Du lịch bền vững")
    translation(work_area("knowledge-capacity"), name="Chia sẻ kiến thức")

    # English first: the cached figures must not serve the Vietnamese page, nor back.
    en = client.get("/in-numbers/").text
    assert target.short_title in en
    vi = client.get("/vi/in-numbers/").text
    for vietnamese in ("Bảo tồn 30% đất và biển", "Du lịch bền vững", "Chia sẻ kiến thức"):
        assert vietnamese in vi
        assert vietnamese not in client.get("/in-numbers/").text
    # The GBF matrix marks a target not yet translated with its language.
    first = GbfTarget.objects.get(number=1)
    assert '<span class="gbf-matrix__number">3.</span> Bảo tồn 30% đất và biển' in vi
    assert (
        f'<span class="gbf-matrix__number">1.</span> <span lang="en">{first.short_title}</span>'
        in vi
    )
    assert f'<span class="gbf-matrix__number">1.</span> {first.short_title}' in en
    assert "Du lịch bền vững" in client.get("/vi/in-numbers/?format=csv").text
    assert "Du lịch bền vững" not in client.get("/in-numbers/?format=csv").text


# Members submit in a site language


def practice_form(language: str) -> dict:
    return {
        "title": "Tuần tra cộng đồng",
        "summary": "Kiểm lâm và dân làng cùng tuần tra.",
        "context": "",
        "challenge_description": "",
        "impacts": "",
        "lessons_learned": "",
        "protected_area": "",
        "language": language,
        "cover_image_alt": "",
        "contributors": "",
        "action": "submit",
        "blocks-TOTAL_FORMS": "1",
        "blocks-INITIAL_FORMS": "0",
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "30",
        "blocks-0-id": "",
        "blocks-0-title": "Thống nhất tuyến",
        "blocks-0-description": "Các làng vẽ tuyến.",
        "blocks-0-enabling_factors": "",
        "blocks-0-lessons_learned": "",
    }


def selected_language(html: str) -> str:
    select = re.search(r'<select name="language"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def test_a_member_submits_in_vietnamese_and_the_review_works_the_same(
    member_client, editor_client, client, django_capture_on_commit_callbacks
):
    tourism = theme("sustainable-tourism")
    translation(tourism, name="Du lịch bền vững")
    form = member_client.get(f"/vi{BEST_PRACTICES}submit/").text
    assert selected_language(form) == "vi"
    assert "Du lịch bền vững" in form  # the tags are named in Vietnamese too
    english_form = member_client.get(f"{BEST_PRACTICES}submit/").text
    assert selected_language(english_form) == "en"
    assert "Du lịch bền vững" not in english_form

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"/vi{BEST_PRACTICES}submit/", {**practice_form("vi"), "themes": [str(tourism.pk)]}
        )
    assert response.status_code == 302
    practice = BestPractice.objects.get()
    assert practice.language == "vi"
    assert practice.status == BestPractice.Status.SUBMITTED
    assert list(practice.themes.all()) == [tourism]
    tourism.refresh_from_db()
    assert tourism.name != "Du lịch bền vững"  # the original is never written over

    # Emma's review queue says which language it is in, and she publishes it from there.
    queue = editor_client.get("/admin/knowledge/bestpractice/review/").text
    assert '<td class="review-queue__language">Vietnamese</td>' in queue
    assert 'lang="vi" href="/admin/knowledge/bestpractice/' in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/knowledge/bestpractice/review/{practice.pk}/publish/"
        )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.is_published

    vi = client.get(f"/vi{BEST_PRACTICES}{practice.slug}/").text
    assert '<h1 lang="vi">Tuần tra cộng đồng</h1>' in vi
    assert "translation-note" not in vi
    assert '<li class="building-block">\n              <h3>Thống nhất tuyến</h3>' in vi
    en = client.get(f"{BEST_PRACTICES}{practice.slug}/").text
    assert '<h1 lang="vi">Tuần tra cộng đồng</h1>' in en
    assert "Not yet translated — shown in Vietnamese." in en


def test_every_site_language_must_be_a_language_of_the_library():
    """translations.E002, registered by the knowledge app: `manage.py check` reports it."""

    def errors():
        return [
            message
            for message in checks.run_checks(tags=[checks.Tags.translation])
            if message.id == "translations.E002"
        ]

    assert errors() == []
    with override_settings(LANGUAGES=[("en", "English"), ("vi", "Vietnamese"), ("tl", "Tagalog")]):
        [error] = errors()
    assert error.level == checks.ERROR
    assert "'tl'" in error.msg


# Query counts


def _translated_library(rows: int) -> None:
    tourism = theme("sustainable-tourism")
    target = GbfTarget.objects.get(number=3)
    translation(tourism)
    translation(target)
    area = ProtectedAreaFactory()
    for practice in BestPracticeFactory.create_batch(rows, protected_area=area):
        practice.themes.add(tourism)
        practice.gbf_targets.add(target)
        practice.countries.add(country("LAO"))
        if practice.pk % 2:
            translation(practice)
    for resource in ResourceFactory.create_batch(rows):
        resource.themes.add(tourism)
        if resource.pk % 2:
            translation(resource)


@pytest.mark.parametrize("rows", [5, 120])
def test_list_query_counts_hold_on_vi_with_translations(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue: the same queries as tests/knowledge/test_pages.py."""
    _translated_library(rows)
    # 1. savepoint  2. the total and every facet's counts  3. release
    # 4-6. the themes, GBF targets and countries holding results, named in Vietnamese
    # 7. the page, with protected areas, organizations and translations
    with django_assert_num_queries(7):
        assert client.get(f"/vi{BEST_PRACTICES}").status_code == 200
    # 1. savepoint  2. the total and the counts by kind, language, year, theme and GBF
    # target  3. release  4. the themes holding results  5. the page, with translations
    with django_assert_num_queries(5):
        assert client.get(f"/vi{RESOURCES}").status_code == 200


@pytest.mark.parametrize("rows", [5, 120])
def test_detail_query_counts_hold_on_vi_with_translations(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on blocks and tags read in the reader's language."""
    practice = BestPracticeFactory(protected_area=ProtectedAreaFactory())
    vietnamese = translation(practice)
    for block in BuildingBlockFactory.create_batch(rows, best_practice=practice)[::2]:
        block_translation(vietnamese, block)
    targets = list(GbfTarget.objects.all()[:rows])
    practice.gbf_targets.add(*targets)
    for target in targets[::2]:
        translation(target)
    practice.themes.add(theme("sustainable-tourism"))
    practice.countries.add(country("VNM"), country("LAO"))
    # 1. savepoint  2. the practice, its translation and languages, with protected area,
    # country, organization, submitter  3. building blocks with theirs  4. countries
    # 5. themes  6. ecosystems  7. challenges  8. GBF targets (each with its translation)
    # 9. whether the visitor may see the protected area  10. release
    with django_assert_num_queries(10):
        assert client.get(f"/vi{BEST_PRACTICES}{practice.slug}/").status_code == 200

    resource = ResourceFactory(work_area=work_area())
    translation(resource)
    translation(work_area())
    ResourceFactory.create_batch(rows, translation_of=resource, language="th")
    resource.themes.add(theme("sustainable-tourism"))
    resource.gbf_targets.add(*targets)
    # 1. savepoint  2. the resource with its translation, original and work area
    # 3. themes  4. GBF targets  5. the other editions the visitor may see  6. release
    with django_assert_num_queries(6):
        assert client.get(f"/vi{RESOURCES}{resource.slug}/").status_code == 200


def test_cached_vietnamese_pages_follow_a_new_translation_at_once(client, practice, settings):
    """The page cache, the facet form, the figures and the country profile read the
    translation tables: publishing a translation refreshes them."""
    settings.PAGE_CACHE_SECONDS = 60
    tourism = theme("sustainable-tourism")
    practice.themes.add(tourism)
    urls = [f"/vi{BEST_PRACTICES}", "/vi/in-numbers/", "/vi/countries/vnm/", "/vi/"]
    for url in urls:
        assert client.get(url).status_code == 200  # cached now
    translation(tourism, name="Du lịch bền vững")
    translation(practice, title="Tuần tra cộng đồng ở Cát Tiên")
    assert "Du lịch bền vững (1)" in client.get(f"/vi{BEST_PRACTICES}").text
    assert "Du lịch bền vững" in client.get("/vi/in-numbers/").text
    for url in (f"/vi{BEST_PRACTICES}", "/vi/countries/vnm/", "/vi/"):
        assert "Tuần tra cộng đồng ở Cát Tiên" in client.get(url).text, url


def test_a_cover_picture_says_the_language_of_its_alt_text(client):
    """On /vi/, an untranslated practice's picture is described in English, and says so."""
    translated, untranslated = (
        BestPracticeFactory(
            title=title,
            cover_image=f"best-practices/2024/{name}.jpg",
            cover_image_alt=f"A {name} at dawn",
            language="en",
        )
        for title, name in (("Langur care", "langur"), ("Dugong watch", "dugong"))
    )
    translation(translated, title="Chăm sóc voọc", cover_image_alt="Một con voọc lúc bình minh")

    for html in (
        client.get(f"/vi{BEST_PRACTICES}").text,
        client.get(f"/vi{BEST_PRACTICES}{untranslated.slug}/").text,
    ):
        assert re.search(r'alt="A dugong at dawn" lang="en"', html)
    listed = client.get(f"/vi{BEST_PRACTICES}").text
    assert re.search(r'alt="Một con voọc lúc bình minh"[^>]*>', listed)
    assert not re.search(r'alt="Một con voọc lúc bình minh" lang=', listed)
    # In English nothing is marked: the alt text is in the page's language.
    assert 'alt="A dugong at dawn" loading' in client.get(BEST_PRACTICES).text
