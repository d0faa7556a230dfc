"""Every Markdown field of the knowledge library is inert on its public page: best
practices (and their building blocks), resources and stories, and their translations (on
the original's page in the translation's language).

The same payload and checks as tests/portal/test_markdown.py. The library's pages are
built separately: a case is skipped, saying so, while its URL name does not exist yet.
"""

import pytest
from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse

from knowledge.models import BuildingBlockTranslation
from tests.factories import (
    BestPracticeFactory,
    BuildingBlockFactory,
    ResourceFactory,
    StoryFactory,
    translation,
)
from tests.portal.test_markdown import (
    PAGE_CASES,
    PAGE_PAYLOAD,
    assert_payload_rendered_safely,
    render_markdown,
)

pytestmark = pytest.mark.django_db


def _best_practice(field):
    def make(text):
        return BestPracticeFactory(**{field: text})

    return make


def _building_block(field):
    def make(text):
        block = BuildingBlockFactory(**{field: text})
        return block.best_practice

    return make


def _resource(text):
    return ResourceFactory(summary=text)


def _story(text):
    return StoryFactory(body=text)


def _shown_on_vi(made, original):
    """A translation, with the address of the page that shows it: the original's on /vi/."""
    made.get_absolute_url = lambda: "/vi" + original.get_absolute_url()
    return made


def _translated(factory, field):
    """A published Vietnamese translation whose `field` holds the text."""

    def make(text):
        original = factory()
        return _shown_on_vi(translation(original, **{field: text}), original)

    return make


def _translated_block(field):
    def make(text):
        block = BuildingBlockFactory()
        practice_translation = translation(block.best_practice)
        values = {name: getattr(block, name) for name in block.translated_fields}
        made = BuildingBlockTranslation(
            practice_translation=practice_translation, original=block, **{**values, field: text}
        )
        made.save()
        return _shown_on_vi(made, block.best_practice)

    return make


# (model label, field): how to make a published, public record whose field holds the
# text, and the name of the URL of the page that shows it.
KNOWLEDGE_CASES = {
    ("knowledge.BestPractice", "context"): (
        _best_practice("context"),
        "knowledge:bestpractice_detail",
    ),
    ("knowledge.BestPractice", "challenge_description"): (
        _best_practice("challenge_description"),
        "knowledge:bestpractice_detail",
    ),
    ("knowledge.BestPractice", "impacts"): (
        _best_practice("impacts"),
        "knowledge:bestpractice_detail",
    ),
    ("knowledge.BestPractice", "lessons_learned"): (
        _best_practice("lessons_learned"),
        "knowledge:bestpractice_detail",
    ),
    ("knowledge.BuildingBlock", "description"): (
        _building_block("description"),
        "knowledge:bestpractice_detail",
    ),
    ("knowledge.BuildingBlock", "enabling_factors"): (
        _building_block("enabling_factors"),
        "knowledge:bestpractice_detail",
    ),
    ("knowledge.BuildingBlock", "lessons_learned"): (
        _building_block("lessons_learned"),
        "knowledge:bestpractice_detail",
    ),
    ("knowledge.Resource", "summary"): (_resource, "knowledge:resource_detail"),
    ("knowledge.Story", "body"): (_story, "knowledge:story_detail"),
    # Translations, on the original's page in their language.
    **{
        ("knowledge.BestPracticeTranslation", field): (
            _translated(BestPracticeFactory, field),
            "knowledge:bestpractice_detail",
        )
        for field in ("context", "challenge_description", "impacts", "lessons_learned")
    },
    **{
        ("knowledge.BuildingBlockTranslation", field): (
            _translated_block(field),
            "knowledge:bestpractice_detail",
        )
        for field in ("description", "enabling_factors", "lessons_learned")
    },
    ("knowledge.ResourceTranslation", "summary"): (
        _translated(ResourceFactory, "summary"),
        "knowledge:resource_detail",
    ),
    ("knowledge.StoryTranslation", "body"): (
        _translated(StoryFactory, "body"),
        "knowledge:story_detail",
    ),
}

# Markdown fields that no page shows: staff read them in the admin only. A member's
# proposed description is edited as text (with the sanitised preview of every Markdown
# field) and shown rendered only once published, as the organization's description.
NOT_ON_ANY_PAGE = {
    ("activities.FundingProposal", "summary"),
    ("members.ProfileChange", "description"),
}


def _skip_unless_page_exists(url_name: str) -> None:
    try:
        reverse(url_name, kwargs={"slug": "any"})
    except NoReverseMatch:
        pytest.skip(f"the URL {url_name!r} does not exist yet (the library pages are built "
                    "separately); this test runs once it does")  # fmt: skip


@pytest.mark.parametrize("case", sorted(KNOWLEDGE_CASES), ids=".".join)
def test_a_markdown_field_is_safe_on_its_public_page(client, case):
    make, url_name = KNOWLEDGE_CASES[case]
    _skip_unless_page_exists(url_name)
    record = make(PAGE_PAYLOAD)

    response = client.get(record.get_absolute_url())

    assert response.status_code == 200
    assert_payload_rendered_safely(response.text)


@pytest.mark.parametrize("case", sorted(KNOWLEDGE_CASES), ids=".".join)
def test_a_markdown_field_renders_safely_even_without_its_page(case):
    """Whatever the page, the field's text goes through the one renderer safely."""
    make, _ = KNOWLEDGE_CASES[case]
    record = make(PAGE_PAYLOAD)
    label, field = case
    if label == "knowledge.BuildingBlock":
        record = record.building_blocks.get()

    html = render_markdown(getattr(record, field))

    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()
    assert "onerror" not in html.lower()


def test_every_markdown_field_has_a_page_test():
    """A new Markdown field (its help text says "Markdown") needs a case here or in
    tests/portal/test_markdown.py, or a reason why no page shows it."""
    markdown_fields = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model._meta.app_label in {"members", "activities", "knowledge"}
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and "Markdown" in str(field.help_text)
    }

    assert markdown_fields == set(KNOWLEDGE_CASES) | set(PAGE_CASES) | NOT_ON_ANY_PAGE
