"""The knowledge library's demo data: best practices, resources and stories from the real
places, events and topics listed in docs/demo-data.md."""

import io

import pytest
from django.core.management import call_command

from demo.knowledge import BEST_PRACTICES, load_knowledge_demo
from demo.members import DEMO_MEMBER_USERNAME
from knowledge.models import BestPractice, BuildingBlock, Resource, Story
from members.models import Visibility

pytestmark = pytest.mark.django_db

DEMO_MODELS = [
    BestPractice,
    BestPractice.countries.through,
    BestPractice.themes.through,
    BestPractice.ecosystems.through,
    BestPractice.challenges.through,
    BestPractice.gbf_targets.through,
    BuildingBlock,
    Resource,
    Resource.themes.through,
    Resource.gbf_targets.through,
    Story,
]

GUIDELINES = "transboundary-conservation-a-systematic-and-integrated-approach"
CUC_PHUONG = "primate-rescue-and-conservation-education-in-cuc-phuong-national-park"
DEHRADUN = (
    "technical-and-steering-committee-meetings-moving-towards-implementation-of-target-3-2023"
)


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of the tables the loader writes, every column (updated_at included)."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


def test_loading_twice_changes_nothing(demo):
    first = snapshot()

    output = load_demo()

    assert snapshot() == first
    assert "knowledge: " in output
    for line in output.splitlines():
        assert "0 created, 0 updated" in line, line
    counts = {model: len(rows) for model, rows in first.items()}
    assert counts["knowledge.BestPractice"] == len(BEST_PRACTICES) == 9
    assert counts["knowledge.BuildingBlock"] == 26
    assert counts["knowledge.Resource"] == 4
    assert counts["knowledge.Story"] == 5


def test_the_loader_reports_nothing_to_do_on_a_second_run(demo):
    second = load_knowledge_demo()

    assert set(second) == {"best practices", "building blocks", "resources", "stories"}
    for label, tally in second.items():
        assert tally["created"] == tally["updated"] == 0, label


def test_loading_again_restores_an_edited_text_and_only_that_record(demo):
    BestPractice.objects.filter(slug=CUC_PHUONG).update(title="Edited")
    BuildingBlock.objects.filter(best_practice__slug=CUC_PHUONG, order=1).update(title="Edited")
    untouched = Story.objects.get(slug="the-maldives-becomes-apaps-country-co-chair").updated_at

    counts = load_knowledge_demo()

    assert BestPractice.objects.get(slug=CUC_PHUONG).title.endswith("Cúc Phương National Park")
    assert BuildingBlock.objects.get(best_practice__slug=CUC_PHUONG, order=1).title == (
        "Care for confiscated primates"
    )
    assert counts["best practices"]["updated"] == counts["building blocks"]["updated"] == 1
    assert (
        Story.objects.get(slug="the-maldives-becomes-apaps-country-co-chair").updated_at
        == untouched
    )


def test_every_best_practice_has_ordered_building_blocks_and_tags(demo):
    for practice in BestPractice.objects.for_detail():
        blocks = list(practice.building_blocks.all())
        assert 2 <= len(blocks) <= 3, practice
        assert [block.order for block in blocks] == list(range(1, len(blocks) + 1))
        assert all(block.title and block.description for block in blocks)
        assert practice.themes.exists(), practice
        assert practice.organization is not None, practice
        assert practice.language == "en"
        # Demo texts name no one: the contributors are for real submissions.
        assert practice.contributors == ""


def test_members_only_published_best_practices(demo):
    members_only = BestPractice.objects.published().filter(visibility=Visibility.MEMBERS)

    assert members_only.count() >= 3
    assert not members_only.filter(is_featured=True).exists()
    assert BestPractice.objects.public().count() == 4


def test_published_best_practices_have_fixed_publication_dates_and_two_are_featured(demo):
    published = BestPractice.objects.published()

    assert published.count() == 7
    years = {practice.published_at.year for practice in published}
    assert min(years) == 2019
    assert max(years) == 2024
    assert all(practice.published_at.utcoffset() is not None for practice in published)
    featured = published.filter(is_featured=True)
    assert featured.count() == 2
    assert set(featured.values_list("visibility", flat=True)) == {Visibility.PUBLIC}
    assert not BestPractice.objects.exclude(status=BestPractice.Status.PUBLISHED).filter(
        published_at__isnull=False
    )


def test_one_best_practice_waits_for_review_and_one_is_a_draft(demo):
    submitted = BestPractice.objects.get(status=BestPractice.Status.SUBMITTED)
    draft = BestPractice.objects.get(status=BestPractice.Status.DRAFT)

    assert submitted.slug == CUC_PHUONG
    assert submitted.submitted_by.username == DEMO_MEMBER_USERNAME
    assert submitted.organization.acronym == "VNFOREST"
    assert submitted.organization == submitted.submitted_by.organization
    assert submitted.submitted_at is not None
    assert draft.submitted_at is None
    assert draft.published_at is None


def test_cuc_phuong_keeps_its_diacritics(demo):
    practice = BestPractice.objects.get(slug=CUC_PHUONG)

    assert practice.title == "Primate rescue and conservation education in Cúc Phương National Park"
    assert practice.language == "en"
    assert practice.protected_area.original_name == "Vườn quốc gia Cúc Phương"
    assert list(practice.countries.values_list("iso3", flat=True)) == ["VNM"]
    assert set(practice.gbf_targets.values_list("number", flat=True)) == {4, 5}


def test_best_practices_are_tagged_where_the_topic_is_obvious(demo):
    def practice(slug):
        return BestPractice.objects.get(slug=slug)

    conflict = practice("living-with-wildlife-around-jigme-dorji-national-park")
    assert conflict.protected_area.slug == "jigme-dorji-national-park"
    assert conflict.organization.acronym == "MoAF"
    assert list(conflict.gbf_targets.values_list("number", flat=True)) == [4]
    assert conflict.themes.filter(slug="human-wildlife-conflict").exists()

    tourism = practice("sustainable-tourism-in-khao-yai-national-park")
    assert tourism.organization.acronym == "DNP"
    assert tourism.themes.filter(slug="sustainable-tourism").exists()

    oecms = practice("recognising-other-effective-area-based-conservation-measures-oecms")
    assert oecms.protected_area is None
    assert oecms.organization.acronym == "IUCN ARO"
    assert list(oecms.gbf_targets.values_list("number", flat=True)) == [3]

    sundarbans = practice("transboundary-cooperation-for-the-sundarbans")
    assert sorted(sundarbans.countries.values_list("iso3", flat=True)) == ["BGD", "IND"]
    assert sundarbans.ecosystems.filter(slug="mangrove").exists()

    exchange = practice("learning-from-peers-the-korea-national-park-friendship-programme")
    assert exchange.organization.acronym == "KNPS"
    assert list(exchange.gbf_targets.values_list("number", flat=True)) == [20]


def test_the_transboundary_guidelines(demo):
    guidelines = Resource.objects.for_detail().get(slug=GUIDELINES)

    assert guidelines.title == "Transboundary Conservation: A systematic and integrated approach"
    assert guidelines.kind == Resource.Kind.GUIDELINE
    assert (guidelines.publisher, guidelines.year) == ("IUCN", 2015)
    assert "No. 23" in guidelines.summary
    assert "APAP has translated" in guidelines.summary
    assert guidelines.url
    assert guidelines.work_area.slug == "transboundary-cooperation"
    # The sources (docs/demo-data.md) do not say which languages: no translation is made up.
    assert not guidelines.translations.exists()
    assert guidelines.visibility == Visibility.PUBLIC


def test_the_partnership_documents_and_studies(demo):
    resources = {resource.slug: resource for resource in Resource.objects.all()}

    partnership = resources["apap-partnership-document"]
    assert (partnership.kind, partnership.year) == (Resource.Kind.OTHER, 2019)
    assert "15 July 2016" in partnership.summary
    assert "24 August 2019" in partnership.summary
    oecms = resources["oecms-briefing-note-and-faq"]
    assert (oecms.kind, oecms.year) == (Resource.Kind.POLICY_BRIEF, 2020)
    assert list(oecms.gbf_targets.values_list("number", flat=True)) == [3]
    survey = resources["covid-19-and-protected-areas-in-asia-survey-report"]
    assert (survey.kind, survey.year) == (Resource.Kind.STUDY, 2020)
    # Every resource has a link, as the model requires a file or a link.
    assert all(resource.url.startswith("https://") for resource in resources.values())


def test_stories_are_published_and_linked_to_their_activities(demo):
    stories = {story.slug: story for story in Story.objects.for_detail()}

    assert len(stories) == 5
    assert Story.objects.published().count() == 5
    dehradun = stories["moving-towards-implementation-of-target-3-in-dehradun"]
    assert dehradun.related_activity.slug == DEHRADUN
    assert dehradun.published_at.date().isoformat() == "2023-04-29"
    assert "Moving Towards Implementation of Target 3" in dehradun.lead
    islamabad = stories["apap-at-the-7th-iucn-asia-regional-conservation-forum"]
    assert islamabad.related_activity.city == "Islamabad"
    wishes = stories["what-members-want-from-apap"]
    assert wishes.kind == Story.Kind.FEATURE
    assert wishes.related_activity.slug == "4th-steering-committee-meeting-2018"
    statement = stories["protected-areas-at-the-heart-of-the-global-biodiversity-framework"]
    assert statement.kind == Story.Kind.STATEMENT
    maldives = stories["the-maldives-becomes-apaps-country-co-chair"]
    assert (maldives.published_at.year, maldives.published_at.month) == (2023, 12)
