"""Translating in the admin (issue 17, point 3): Emma (editor) and Mark (manager) translate
records side by side, see which languages exist and which are out of date, and list what
needs translation into Vietnamese.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from activities.models import WorkArea, WorkAreaTranslation
from apap_portal.translations.admin import TranslatedOriginalAdmin, translations_of
from apap_portal.translations.models import Translatable
from knowledge.models import (
    BestPractice,
    BestPracticeTranslation,
    BuildingBlockTranslation,
    Story,
    StoryTranslation,
)
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    translation,
)
from tests.portal.test_locking import admin_form_data, client_for

pytestmark = pytest.mark.django_db

# Each translation admin: its URL part and a maker of an original with text in every field.
TRANSLATION_ADMINS = [
    pytest.param("knowledge/storytranslation", StoryFactory, id="story"),
    pytest.param("knowledge/bestpracticetranslation", BestPracticeFactory, id="bestpractice"),
    pytest.param("knowledge/resourcetranslation", ResourceFactory, id="resource"),
    pytest.param(
        "activities/activitytranslation",
        lambda: ActivityFactory(summary="A workshop.", body="We met."),
        id="activity",
    ),
    pytest.param(
        "members/organizationtranslation",
        lambda: MemberOrganizationFactory(description="A national agency."),
        id="organization",
    ),
    pytest.param(
        "members/protectedareatranslation",
        lambda: ProtectedAreaFactory(description="A park in the hills."),
        id="protectedarea",
    ),
]


def changelist(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model, original, language="vi") -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    return f"{url}?original={original.pk}&language={language}"


@pytest.fixture
def story():
    return StoryFactory(
        title="Rangers of Cat Tien share what works",
        lead="Rangers met in Dong Nai.",
        body="They agreed to **share** patrol data.",
    )


def current(obj):
    """The record as the database holds it now."""
    return type(obj)._base_manager.get(pk=obj.pk)


# Smoke: every translation admin, for both secretariat personas


@pytest.mark.parametrize("persona", ["editor", "manager"])
@pytest.mark.parametrize(("path", "make_original"), TRANSLATION_ADMINS)
def test_each_translation_admin_lists_searches_adds_and_changes(
    request, persona, path, make_original
):
    client = client_for(request.getfixturevalue(persona))
    original = make_original()
    made = translation(original)
    base = f"/admin/{path}/"

    listed = client.get(base)
    assert listed.status_code == 200
    assert f'href="{base}{made.pk}/change/' in listed.text
    assert client.get(base, {"q": "nothing like this"}).status_code == 200
    assert client.get(base, {"q": str(original)[:10]}).status_code == 200
    other = make_original()
    adding = client.get(f"{base}add/?original={other.pk}&language=vi")
    assert adding.status_code == 200
    assert 'class="translation-pair__original" lang="en"' in adding.text
    assert client.get(f"{base}{made.pk}/change/").status_code == 200
    assert client.get(f"{base}{made.pk}/history/").status_code == 200


# Side by side


def test_the_add_form_shows_the_originals_text_beside_each_field(editor_client, story):
    page = editor_client.get(add_url(StoryTranslation, story))
    text = page.text
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["original"] == str(story.pk)
    assert "Original (English)" in text
    # The lead: the original's text (marked English) beside the Vietnamese field.
    lead = text.split('class="form-row field-lead')[1].split("</fieldset>")[0]
    assert '<div class="translation-pair__original" lang="en">' in lead
    assert "Rangers met in Dong Nai." in lead
    assert 'name="lead"' in lead
    # The body keeps its Markdown preview.
    assert "data-markdown-preview" in text.split('class="form-row field-body')[1]
    # A new translation follows the current original unless told otherwise.
    assert 'id="id_follows_original" checked' in text


def test_saving_a_new_translation_keeps_who_translated_and_what_it_follows(
    editor, editor_client, story
):
    page = editor_client.get(add_url(StoryTranslation, story))
    data = admin_form_data(page) | {
        "title": "Kiểm lâm Cát Tiên chia sẻ kinh nghiệm",
        "lead": "Các kiểm lâm đã gặp nhau ở Đồng Nai.",
        "body": "Họ đồng ý **chia sẻ** dữ liệu tuần tra.",
        "image_alt": "",
        "status": "published",
    }
    response = editor_client.post(add_url(StoryTranslation, story), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    made = StoryTranslation.objects.get(original=story, language="vi")
    assert made.translated_by == editor
    assert made.source_digest == current(story).translation_source
    assert made.source_version == current(story).version
    assert not made.is_out_of_date


def test_a_published_translation_must_fill_every_field_its_original_fills(editor_client, story):
    page = editor_client.get(add_url(StoryTranslation, story))
    data = admin_form_data(page) | {"title": "Kiểm lâm", "lead": "Gặp nhau.", "body": ""}

    refused = editor_client.post(add_url(StoryTranslation, story), data | {"status": "published"})

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert errors["body"] == [
        "The original has this text: a published translation needs it too. Translate it, or "
        "keep the translation a draft."
    ]
    assert "image_alt" not in errors  # the original has no alt text: nothing to translate
    assert not StoryTranslation.objects.exists()
    # A draft may be unfinished.
    kept = editor_client.post(add_url(StoryTranslation, story), data | {"status": "draft"})
    assert kept.status_code == 302
    assert StoryTranslation.objects.get().body == ""


def test_a_translation_into_the_originals_language_or_a_second_one_is_refused(editor_client, story):
    translation(story, language="vi")
    page = editor_client.get(add_url(StoryTranslation, story, language="en"))
    data = admin_form_data(page) | {"title": "Rangers", "status": "draft"}

    same = editor_client.post(add_url(StoryTranslation, story, "en"), data | {"language": "en"})
    again = editor_client.post(add_url(StoryTranslation, story, "vi"), data | {"language": "vi"})

    assert same.context["adminform"].form.errors["language"] == [
        "The original is written in English: translate it into another."
    ]
    assert again.context["adminform"].form.errors["language"] == [
        "This record already has a translation into Vietnamese."
    ]
    assert StoryTranslation.objects.count() == 1


def test_an_out_of_date_translation_says_so_and_stays_so_when_only_a_typo_is_fixed(
    editor_client, story
):
    made = translation(story, lead="Kiểm lâm gặp nhau ở Đồng Nai")
    story.lead = "Rangers met in Dong Nai province, in May."
    story.save()

    page = editor_client.get(change(made))
    assert "The original changed after this translation." in page.text
    history = reverse("admin:knowledge_story_history", args=[story.pk])
    assert f'<a href="{history}">' in page.text
    assert 'id="id_follows_original" checked' not in page.text
    assert 'id="id_follows_original">' in page.text

    # Fixing a typo, the box left unticked: still out of date.
    fixed = editor_client.post(change(made), admin_form_data(page) | {"lead": "Kiểm lâm gặp nhau."})
    assert fixed.status_code == 302
    assert current(made).lead == "Kiểm lâm gặp nhau."
    assert current(made).is_out_of_date

    # Brought up to date, the box ticked: current, and the banner is gone.
    page = editor_client.get(change(made))
    data = admin_form_data(page) | {
        "lead": "Kiểm lâm gặp nhau ở tỉnh Đồng Nai, vào tháng Năm.",
        "follows_original": "on",
    }
    assert editor_client.post(change(made), data).status_code == 302
    assert not current(made).is_out_of_date
    assert (
        "The original changed after this translation." not in editor_client.get(change(made)).text
    )


def test_two_editors_on_one_translation_the_later_save_is_refused(editor, manager, story):
    made = translation(story, title="Kiểm lâm")
    emma, mark = client_for(editor), client_for(manager)
    emma_page, mark_page = emma.get(change(made)), mark.get(change(made))

    assert (
        mark.post(change(made), admin_form_data(mark_page) | {"title": "Mark's"}).status_code == 302
    )
    refused = emma.post(change(made), admin_form_data(emma_page) | {"title": "Emma's"})

    assert refused.status_code == 200
    assert "changed this story translation on" in refused.text
    assert current(made).title == "Mark's"


def test_a_translation_keeps_its_own_history(editor_client, story):
    page = editor_client.get(add_url(StoryTranslation, story))
    data = admin_form_data(page) | {"title": "Kiểm lâm", "lead": "Gặp nhau.", "body": "Chia sẻ."}
    editor_client.post(add_url(StoryTranslation, story), data | {"status": "draft"})
    made = StoryTranslation.objects.get()
    page = editor_client.get(change(made))
    editor_client.post(change(made), admin_form_data(page) | {"status": "published"})

    versions = Version.objects.get_for_object(made)
    assert versions.count() == 2
    history = editor_client.get(f"{change(made).removesuffix('change/')}history/")
    assert history.status_code == 200
    for version in versions:
        assert f"{change(made).removesuffix('change/')}history/{version.pk}/" in history.text
    # The original's history is its own.
    assert not Version.objects.get_for_object(story).exists()


# Best practices: the building blocks translated on the translation's page


@pytest.fixture
def practice():
    practice = BestPracticeFactory(title="Community patrols", summary="Patrols.", context="A park.")
    BuildingBlockFactory(best_practice=practice, order=1, title="Agree the routes")
    BuildingBlockFactory(best_practice=practice, order=2, title="Share the data")
    return practice


def test_a_practices_translation_has_one_row_per_block_with_the_block_beside(
    editor, editor_client, practice
):
    page = editor_client.get(add_url(BestPracticeTranslation, practice))
    blocks = page.text.split('id="building_blocks-group"')[1]
    assert blocks.count('class="translation-pair__original" lang="en"') == 2 * 4
    assert "Agree the routes" in blocks
    assert "Share the data" in blocks

    data = admin_form_data(page) | {
        "title": "Tuần tra cộng đồng",
        "summary": "Tuần tra.",
        "context": "Một vườn quốc gia.",
        "status": "published",
        "building_blocks-0-title": "Thống nhất tuyến tuần tra",
        "building_blocks-0-description": "Các tuyến được thống nhất với hội đồng làng.",
    }
    saved = editor_client.post(add_url(BestPracticeTranslation, practice), data)

    assert saved.status_code == 302, saved.context["inline_admin_formsets"][0].formset.errors
    made = BestPracticeTranslation.objects.get()
    block = BuildingBlockTranslation.objects.get()
    assert block.title == "Thống nhất tuyến tuần tra"
    assert (block.language, block.status) == ("vi", "published")
    assert block.source_digest == block.original.translation_source
    # The second block has no translation yet: its row waits, empty, on the page.
    page = editor_client.get(change(made))
    assert page.context["inline_admin_formsets"][0].formset.total_form_count() == 2
    assert "Share the data" in page.text.split('id="building_blocks-group"')[1]
    assert "The original changed after this translation." in page.text


def test_a_published_practices_blocks_fill_what_their_originals_fill(editor_client, practice):
    page = editor_client.get(add_url(BestPracticeTranslation, practice))
    data = admin_form_data(page) | {
        "title": "Tuần tra cộng đồng",
        "summary": "Tuần tra.",
        "context": "Một vườn quốc gia.",
        "status": "published",
        "building_blocks-0-title": "Thống nhất tuyến tuần tra",
    }
    refused = editor_client.post(add_url(BestPracticeTranslation, practice), data)
    assert refused.status_code == 200
    errors = refused.context["inline_admin_formsets"][0].formset.errors[0]
    assert "description" in errors
    assert not BestPracticeTranslation.objects.exists()


def test_one_block_translated_twice_in_one_post_is_refused_not_an_error(editor_client, practice):
    page = editor_client.get(add_url(BestPracticeTranslation, practice))
    data = admin_form_data(page) | {
        "title": "Tuần tra cộng đồng",
        "status": "draft",
        "building_blocks-0-title": "Một",
        "building_blocks-0-description": "Một.",
        "building_blocks-1-title": "Hai",
        "building_blocks-1-description": "Hai.",
    }
    data["building_blocks-1-original"] = data["building_blocks-0-original"]  # a forged post

    refused = editor_client.post(add_url(BestPracticeTranslation, practice), data)

    assert refused.status_code == 200
    formset = refused.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "Each part of the original is translated once: reload the page."
    ]
    assert not BestPracticeTranslation.objects.exists()


# Reference data: translations on the record's own page


def test_a_work_areas_translations_are_edited_on_its_page(editor, editor_client):
    area = WorkArea.objects.get(slug="knowledge-capacity")
    page = editor_client.get(change(area))
    assert 'id="translations-group"' in page.text
    data = admin_form_data(page) | {
        "translations-TOTAL_FORMS": "1",
        "translations-0-language": "vi",
        "translations-0-status": "published",
        "translations-0-follows_original": "on",
        "translations-0-name": "Chia sẻ kiến thức và xây dựng năng lực",
        "translations-0-summary": "Tóm tắt." if area.summary else "",
        "translations-0-description": "Mô tả." if area.description else "",
    }
    response = editor_client.post(change(area), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"]
    made = WorkAreaTranslation.objects.get(original=area)
    assert made.translated_by == editor
    assert not made.is_out_of_date
    page = editor_client.get(change(area))
    assert "Chia sẻ kiến thức và xây dựng năng lực" in page.text
    assert 'class="translation-pair__original" lang="en"' in page.text


REFERENCE_DATA = ["workarea", "focalactivity", "gbftarget", "theme", "ecosystem", "challenge"]


@pytest.mark.parametrize("model_name", REFERENCE_DATA)
def test_each_piece_of_reference_data_shows_and_edits_its_translations(editor_client, model_name):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    record = model.objects.first()
    made = translation(record, status="draft")

    listed = editor_client.get(changelist(model))
    assert listed.status_code == 200
    row = f'href="{change(record)}#translations-group" title="Vietnamese">vi draft</a>'
    assert row in listed.text
    page = editor_client.get(change(record))
    assert page.status_code == 200
    assert f'name="translations-0-id" value="{made.pk}"' in page.text
    assert 'class="translation-pair__original" lang="en"' in page.text


# Which languages exist, and which are out of date


def test_the_list_shows_each_records_translations_as_chips(editor_client):
    up_to_date = StoryFactory(title="Up to date")
    made = translation(up_to_date)
    stale = StoryFactory(title="Stale")
    translation(stale)
    stale.lead = "Changed after the translation."
    stale.save()
    drafted = StoryFactory(title="Drafted")
    translation(drafted, status="draft")
    untranslated = StoryFactory(title="Untranslated")
    written_in_vietnamese = StoryFactory(title="Tuần tra", language="vi")

    page = editor_client.get(changelist(Story))
    rows = {
        story.title: page.text.split(f">{story.title}</span>")[1].split("</tr>")[0]
        for story in (up_to_date, stale, drafted, untranslated, written_in_vietnamese)
    }
    assert f'href="{change(made)}" title="Vietnamese">vi ✓ current</a>' in rows["Up to date"]
    assert "vi out of date</a>" in rows["Stale"]
    assert "vi draft</a>" in rows["Drafted"]
    add = add_url(StoryTranslation, untranslated).replace("&", "&amp;")
    assert f'href="{add}" title="Vietnamese">+ vi</a>' in rows["Untranslated"]
    assert "+ en</a>" in rows["Tuần tra"]
    assert "+ vi" not in rows["Tuần tra"]
    assert "+ en" not in rows["Untranslated"]


def test_a_practice_whose_block_changed_or_lacks_a_translation_is_out_of_date(
    editor_client, practice
):
    made = translation(practice)
    first, second = practice.building_blocks.all()
    for block in (first, second):
        BuildingBlockTranslation.objects.create(
            practice_translation=made,
            original=block,
            title=f"{block.title} [vi]",
            description="[vi]",
            source_digest=current(block).translation_source,
        )

    def chip():
        page = editor_client.get(changelist(BestPractice))
        return page.text.split(">Community patrols</span>")[1].split("</tr>")[0]

    assert "vi ✓ current" in chip()
    second.description = "Changed after the translation."
    second.save()
    assert "vi out of date" in chip()
    BuildingBlockTranslation.objects.filter(original=second).delete()
    BuildingBlockFactory(best_practice=practice, order=3)
    assert "vi out of date" in chip()


def test_the_originals_page_lists_its_translations_with_their_state(editor_client, story):
    made = translation(story, status="draft")
    page = editor_client.get(change(story)).text
    listed = page.split('class="translation-list"')[1].split("</ul>")[0]
    assert f'href="{change(made)}">vi draft</a> Vietnamese — a draft, not shown to readers' in (
        listed
    )


# "Needs translation into …"


def listed(client, model, language: str) -> set[str]:
    page = client.get(changelist(model), {"needs_translation": language})
    assert page.status_code == 200
    return {str(obj) for obj in page.context["cl"].result_list}


def test_needs_translation_lists_exactly_the_stories_without_a_current_one(editor_client):
    translation(StoryFactory(title="Current"))
    stale = StoryFactory(title="Out of date")
    translation(stale)
    stale.body = "Changed."
    stale.save()
    translation(StoryFactory(title="Draft only"), status="draft")
    StoryFactory(title="Untranslated")
    translation(StoryFactory(title="English only published"), language="vi", status="draft")
    StoryFactory(title="Viết bằng tiếng Việt", language="vi")
    in_vietnamese_with_english = StoryFactory(title="Có bản tiếng Anh", language="vi")
    translation(in_vietnamese_with_english, language="en")

    assert listed(editor_client, Story, "vi") == {
        "Out of date",
        "Draft only",
        "Untranslated",
        "English only published",
    }
    assert listed(editor_client, Story, "en") == {"Viết bằng tiếng Việt"}


def test_the_filters_choices_come_from_the_settings(editor_client, settings):
    page = editor_client.get(changelist(Story))
    assert "Needs translation into Vietnamese" in page.text
    assert "Needs translation into English" in page.text  # stories say their language
    areas = editor_client.get(changelist(WorkArea)).text
    assert "Needs translation into Vietnamese" in areas
    assert "Needs translation into English" not in areas  # written in English, all of them
    settings.LANGUAGES = [*settings.LANGUAGES, ("th", "Thai")]
    assert "Needs translation into Thai" in editor_client.get(changelist(WorkArea)).text


def test_needs_translation_for_practices_counts_their_blocks(editor_client, practice):
    made = translation(practice)
    block = practice.building_blocks.first()
    BuildingBlockTranslation.objects.create(
        practice_translation=made,
        original=block,
        title="[vi]",
        description="[vi]",
        source_digest=current(block).translation_source,
    )
    assert listed(editor_client, BestPractice, "vi") == {"Community patrols"}  # one block left

    complete = BestPracticeFactory(title="Every block translated")
    whole = translation(complete)
    for block in [BuildingBlockFactory(best_practice=complete)]:
        BuildingBlockTranslation.objects.create(
            practice_translation=whole,
            original=block,
            title="[vi]",
            description="[vi]",
            source_digest=current(block).translation_source,
        )
    translation(BestPracticeFactory(title="No blocks at all"))
    assert listed(editor_client, BestPractice, "vi") == {"Community patrols"}


def test_a_language_the_site_does_not_have_is_no_filter_and_no_error(editor_client, story):
    page = editor_client.get(changelist(Story), {"needs_translation": "xx"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == []


# Query counts


def make_rows(count: int) -> None:
    for number in range(count):
        story = StoryFactory()
        if number % 3:
            translation(story, status="draft" if number % 2 else "published")
        practice = BestPracticeFactory()
        BuildingBlockFactory(best_practice=practice)
        if number % 2:
            translation(practice)


# Every list: 1. savepoint  2. session  3. user  4. savepoint  5.-6. the user's permissions,
# own and from groups; then its filters' choices; the count of the filtered list, the count
# of all, the page's rows with their translations' states (one query); 2 releases; and
# the date hierarchy's range and steps where it has one.
# Stories: 7. the work areas (filter)  8.-10. the counts and rows  11.-12. releases
#   13.-14. the date hierarchy.
# Practices: 7.-8. the themes and ecosystems (filters)  9.-11. the counts and rows
#   12.-13. releases  14.-15. the date hierarchy.
# Translations: 7.-9. the counts and rows, the originals joined  10.-11. releases.
CHANGELISTS = [
    pytest.param(changelist(Story), {"needs_translation": "vi"}, 14, id="stories"),
    pytest.param(changelist(BestPractice), {"needs_translation": "vi"}, 15, id="practices"),
    pytest.param(changelist(StoryTranslation), {"status": "published"}, 11, id="translations"),
]


@pytest.mark.parametrize("rows", [5, 120])
@pytest.mark.parametrize(("url", "query", "queries"), CHANGELISTS)
def test_changelists_query_counts_hold_with_translations(
    editor_client, django_assert_num_queries, rows, url, query, queries
):
    """Intended to prevent an n+1 issue: the chips are read in the list's one query."""
    make_rows(rows)
    with django_assert_num_queries(queries):
        assert editor_client.get(url, query).status_code == 200


def test_every_translatable_records_admin_shows_and_edits_its_translations():
    """Intended to catch a translatable model whose admin forgot its translations."""
    for model, model_admin in admin.site._registry.items():
        if not issubclass(model, Translatable):
            continue
        assert isinstance(model_admin, TranslatedOriginalAdmin), model
        translations = translations_of(model)
        edited_alone = isinstance(admin.site._registry.get(translations), VersionAdmin)
        assert edited_alone or model_admin.translations_inline, model


@pytest.mark.parametrize(
    "query", ["?original=abc&language=vi", "?original=999999&language=xx", "?language=vi", ""]
)
def test_a_bad_or_missing_original_to_translate_is_no_error(editor_client, query):
    page = editor_client.get(f"/admin/knowledge/bestpracticetranslation/add/{query}")
    assert page.status_code == 200
    assert "translation-pair" not in page.text  # nothing to show beside
    # Saving without choosing what it translates: the form says so.
    refused = editor_client.post(
        f"/admin/knowledge/bestpracticetranslation/add/{query}",
        {
            "language": "vi",
            "status": "draft",
            "title": "Tuần tra",
            "building_blocks-TOTAL_FORMS": "0",
            "building_blocks-INITIAL_FORMS": "0",
        },
    )
    assert refused.status_code == 200
    assert "original" in refused.context["adminform"].form.errors


def test_the_translations_fields_are_marked_with_its_language(editor_client, story):
    page = editor_client.get(add_url(StoryTranslation, story))
    lead = page.text.split('class="form-row field-lead')[1].split("</textarea>")[0]
    assert '<textarea name="lead"' in lead
    assert 'lang="vi"' in lead.split('<textarea name="lead"')[1]
