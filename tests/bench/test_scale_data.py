"""The synthetic data of the benchmark (`generate_scale_data`), generated small.

`make bench` measures pages on this data and searches it for SEARCH_TERMS: these tests
keep the generator writing what the benchmark counts on (counts, shares of members-only
and unpublished rows, tags and relations, the search terms), and running it again
safe (it tops up, `--reset` rebuilds the same rows).
"""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from activities.models import Activity
from apap_portal.fulltext.search import SEARCH_CONFIG
from bench.scale_command import Command as GenerateScaleData
from bench.scale_data import (
    COUNTRY_BOXES,
    SEARCH_TERMS,
    VIETNAMESE_SEARCH_TERM,
    ScaleCounts,
    TranslationState,
    is_published,
    synthetic,
    synthetic_counts,
    translation_counts,
    translation_state_of,
    visibility_of,
)
from knowledge.models import BestPractice, BuildingBlock, Resource, Story
from members.models import Membership, Organization, ProtectedArea, TransboundaryArea, Visibility

pytestmark = pytest.mark.django_db

SMALL = ScaleCounts(
    organizations=20,
    protected_areas=20,
    activities=20,
    best_practices=40,
    resources=20,
    stories=20,
)


def generate(counts: ScaleCounts = SMALL, **options) -> str:
    out = io.StringIO()
    call_command(
        GenerateScaleData(),
        allow_any_database=True,
        stdout=out,
        best_practices=counts.best_practices,
        protected_areas=counts.protected_areas,
        activities=counts.activities,
        resources=counts.resources,
        stories=counts.stories,
        organizations=counts.organizations,
        **options,
    )
    return out.getvalue()


def matching(model, term: str):
    return synthetic(model).filter(search_vector=SearchQuery(term, config=SEARCH_CONFIG))


def test_refuses_a_database_not_named_for_benchmarks():
    if "scale" in connection.settings_dict["NAME"]:
        pytest.skip("The test database is named like a scale database.")
    with pytest.raises(CommandError, match=r"DATABASE_URL=postgres://.*/apap_portal_scale"):
        call_command(GenerateScaleData(), best_practices=1, stdout=io.StringIO())
    assert not synthetic(BestPractice).exists()


def test_creates_the_counts_asked_for():
    output = generate()

    assert synthetic_counts() == SMALL.as_dict()
    assert "Created" in output


def test_shares_of_members_only_and_unpublished_rows_are_exact_per_hundred():
    assert sum(visibility_of(i) == Visibility.MEMBERS for i in range(1_000)) == 100
    assert sum(not is_published(i) for i in range(1_000)) == 50


def test_members_only_and_unpublished_rows_are_hidden_from_visitors():
    generate()
    anna = AnonymousUser()
    practices = synthetic(BestPractice)
    members_only = practices.filter(visibility=Visibility.MEMBERS)
    unpublished = practices.exclude(status=BestPractice.Status.PUBLISHED)

    assert members_only.exists()
    assert unpublished.exists()
    visible = BestPractice.objects.visible_to(anna).published()
    assert visible.count() == practices.count() - members_only.union(unpublished).count()
    assert synthetic(Activity).filter(visibility=Visibility.MEMBERS).exists()
    assert synthetic(Story).filter(published_at__isnull=True).exists()


def test_best_practices_have_building_blocks_tags_and_a_place():
    generate()
    practices = synthetic(BestPractice).annotate(
        blocks=Count("building_blocks", distinct=True),
        theme_count=Count("themes", distinct=True),
        country_count=Count("countries", distinct=True),
    )

    for practice in practices:
        assert 2 <= practice.blocks <= 3
        assert 1 <= practice.theme_count <= 4
        assert practice.country_count >= 1
    assert practices.filter(protected_area__isnull=False).exists()
    assert BuildingBlock.objects.filter(best_practice__in=practices).count() >= 80
    sizes = [len(p.summary + p.context + p.challenge_description + p.impacts) for p in practices]
    assert min(sizes) > 900


def test_activities_organizations_and_protected_areas_are_related():
    generate()

    assert not synthetic(Activity).filter(organization_roles__isnull=True).exists()
    assert Membership.objects.filter(organization__in=synthetic(Organization)).exists()
    years = {activity.start_date.year for activity in synthetic(Activity)}
    assert min(years) >= 2010
    assert max(years) <= 2027
    for area in synthetic(ProtectedArea).filter(latitude__isnull=False):
        south, north, west, east, _weight = COUNTRY_BOXES[area.country.iso3]
        assert south <= area.latitude <= north
        assert west <= area.longitude <= east
    joined = synthetic(TransboundaryArea).annotate(
        areas=Count("protected_areas"), countries=Count("protected_areas__country", distinct=True)
    )
    assert joined.exists()
    assert all(area.areas >= 2 for area in joined)


def test_search_terms_are_written_at_their_rates():
    generate()
    practices = synthetic(BestPractice).count()

    # Row 0 of every table carries the rare and medium terms (see SEARCH_TERMS).
    assert matching(BestPractice, SEARCH_TERMS["rare"]).count() == 1
    assert matching(Activity, SEARCH_TERMS["rare"]).count() == 1
    assert matching(Resource, SEARCH_TERMS["rare"]).count() == 1
    assert 1 <= matching(BestPractice, SEARCH_TERMS["medium"]).count() < practices / 4
    assert matching(BestPractice, SEARCH_TERMS["common"]).count() > practices / 2


def test_running_again_tops_up_without_changing_existing_rows():
    generate()
    titles = dict(synthetic(BestPractice).values_list("slug", "title"))

    assert "Created 0 rows" in generate()
    assert synthetic_counts() == SMALL.as_dict()

    more = ScaleCounts(**{**SMALL.__dict__, "best_practices": 50})
    generate(more)
    assert synthetic(BestPractice).count() == 50
    after = dict(synthetic(BestPractice).values_list("slug", "title"))
    assert {slug: after[slug] for slug in titles} == titles


def test_reset_rebuilds_the_same_rows_and_another_seed_others():
    generate()
    before = dict(synthetic(BestPractice).values_list("slug", "title"))
    real = Organization.objects.create(name="A real agency", slug="a-real-agency", kind="ngo")

    generate(reset=True)
    assert dict(synthetic(BestPractice).values_list("slug", "title")) == before
    assert Organization.objects.filter(pk=real.pk).exists()

    generate(reset=True, seed=2)
    assert dict(synthetic(BestPractice).values_list("slug", "title")) != before
    assert synthetic_counts() == SMALL.as_dict()


def test_generated_rows_show_at_once_where_counts_are_cached(client):
    """The generator writes in bulk (no save signals): the cache sees its SQL all the same."""
    assert client.get("/").context["best_practice_count"] == 0  # counted, then cached
    generate()
    listed = BestPractice.objects.public().count()
    assert listed > 0
    assert client.get("/").context["best_practice_count"] == listed


# Boundaries (issue 15, point 7)

AREAS = ScaleCounts(
    organizations=5, protected_areas=400, activities=1, best_practices=1, resources=1, stories=1
)


def boundaries() -> dict[str, bytes]:
    areas = synthetic(ProtectedArea).filter(boundary__isnull=False)
    return {slug: bytes(boundary.wkb) for slug, boundary in areas.values_list("slug", "boundary")}


def test_protected_areas_get_ragged_boundaries_some_in_parcels_and_some_are_oecms():
    generate(AREAS)
    areas = list(synthetic(ProtectedArea))
    located = [area for area in areas if area.latitude is not None]
    bounded = [area for area in located if area.boundary is not None]
    vertices = sorted(area.boundary.num_points for area in bounded)
    parcels = [area for area in bounded if len(area.boundary) == 2]
    oecms = [area for area in areas if area.site_type == "oecm"]

    assert not any(area.boundary for area in areas if area.latitude is None)
    assert 0.8 < len(bounded) / len(located) < 0.97  # some WDPA sites are points only
    assert vertices[0] >= 13
    assert 20 <= vertices[len(vertices) // 2] <= 200  # most have tens of vertices…
    assert vertices[-1] > 1_000  # …and a few thousands
    assert 0.07 < len(parcels) / len(bounded) < 0.25
    assert 0.05 < len(oecms) / len(areas) < 0.16
    for area in bounded:
        assert area.boundary.valid, area.slug
        assert area.boundary.contains(area.map_point), area.slug  # the reported point


def test_the_same_seed_draws_the_same_boundaries_and_another_seed_others():
    generate(AREAS)
    drawn = boundaries()

    generate(AREAS, reset=True)
    assert boundaries() == drawn

    generate(AREAS, reset=True, seed=2)
    assert boundaries() != drawn


def test_every_country_of_asia_gets_coverage_statistics_once():
    from countries.models import CountryStatistics
    from members.models import Country

    generate()
    first = list(CountryStatistics.objects.order_by("country__iso3").values())
    generate()

    assert len(first) == Country.objects.of_asia().count()
    assert list(CountryStatistics.objects.order_by("country__iso3").values()) == first
    for row in first:
        assert 0 < row["pa_land_percent"] <= row["oecm_pa_land_percent"] <= 100
        assert row["pa_marine_percent"] <= row["oecm_pa_marine_percent"] <= 100


# Vietnamese translations (issue 17, point 7)

TRANSLATED = ScaleCounts(
    organizations=5, protected_areas=5, activities=100, best_practices=100, resources=1, stories=100
)


def vietnamese(model):
    return model.translations.rel.related_model.objects.filter(language="vi")


def test_shares_of_translations_and_of_their_states_are_exact_per_two_hundred():
    states = [translation_state_of(i) for i in range(1_000)]

    assert states.count(TranslationState.PUBLISHED) == 255  # 85 % of 30 %
    assert states.count(TranslationState.DRAFT) == 30
    assert states.count(TranslationState.OUT_OF_DATE) == 15
    # The first hundred rows (the benchmark's small database) hold each state.
    assert set(states[:100]) == {None, *TranslationState}


def test_about_a_third_of_the_rows_get_a_vietnamese_translation_in_each_state():
    generate(TRANSLATED)
    counts = translation_counts()

    for model, name in (
        (BestPractice, "best_practices"),
        (Story, "stories"),
        (Activity, "activities"),
    ):
        originals = synthetic(model)
        if hasattr(model, "language"):
            originals = originals.exclude(language="vi")
        translated = vietnamese(model)
        assert 0.25 < translated.count() / originals.count() < 0.35, name
        # Records written in Vietnamese are read as they are, never translated into it.
        assert not translated.filter(original__in=synthetic(model).exclude(pk__in=originals))
        assert counts[name]["draft"] >= 1, name
        assert counts[name]["out_of_date"] >= 1, name
        assert 0.75 < counts[name]["published"] / translated.count() < 0.95, name
        shown = translated.filter(status="published").select_related("original")
        assert sum(t.is_out_of_date for t in shown) == counts[name]["out_of_date"], name
    # Every row of the reference data is translated (a few are drafts or out of date).
    assert counts["work_areas"]["published"] == 3
    assert counts["focal_activities"]["published"] == 10
    assert sum(counts["gbf_targets"].values()) == 23
    assert counts["gbf_targets"]["draft"] == 2
    assert counts["gbf_targets"]["out_of_date"] == 1


def test_translations_are_in_vietnamese_and_carry_the_vietnamese_search_term():
    from activities.models import WorkArea

    generate(TRANSLATED)

    for translated in vietnamese(BestPractice):
        assert VIETNAMESE_SEARCH_TERM in translated.summary
        assert "conservation" not in translated.summary + translated.context
    for translated in vietnamese(Story):
        assert VIETNAMESE_SEARCH_TERM in translated.body
    for translated in vietnamese(Activity):
        assert VIETNAMESE_SEARCH_TERM in translated.summary
    area = WorkArea.objects.translated("vi").get(slug="knowledge-capacity")
    assert area.name == "Chia sẻ kiến thức và nâng cao năng lực"
    story = Story.objects.translated("vi").get(
        pk=vietnamese(Story).filter(status="published").values("original")[:1]
    )
    assert story.shown_language == "vi"
    assert VIETNAMESE_SEARCH_TERM in story.body


def test_a_practice_translation_translates_each_building_block_in_its_state():
    generate(TRANSLATED)

    for translated in vietnamese(BestPractice).prefetch_related("building_blocks"):
        blocks = list(translated.building_blocks.all())
        assert len(blocks) == translated.original.building_blocks.count()
        for block in blocks:
            assert (block.language, block.status) == ("vi", translated.status)
            current = block.source_digest == block.original.translation_source
            assert current == (not translated.is_out_of_date)


def test_translations_are_topped_up_and_rebuilt_the_same():
    generate(TRANSLATED)
    titles = dict(vietnamese(BestPractice).values_list("original__slug", "title"))
    assert "Created 0 rows" in generate(TRANSLATED)
    assert dict(vietnamese(BestPractice).values_list("original__slug", "title")) == titles

    # A database generated before the translations gets them, the same.
    vietnamese(BestPractice).delete()
    generate(TRANSLATED)
    assert dict(vietnamese(BestPractice).values_list("original__slug", "title")) == titles

    generate(TRANSLATED, reset=True)
    assert dict(vietnamese(BestPractice).values_list("original__slug", "title")) == titles
