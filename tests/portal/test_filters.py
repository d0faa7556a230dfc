"""Filters declared once and used by every list that filters by the same thing.

A GBF target, a theme, a work area or a country is chosen by a key that reads well in a
URL (?gbf_target=3, ?theme=…, ?work_area=…, ?country=NPL), the same way on every list.
"""

import pytest

from activities.filters import ActivityFilter, GbfTargetFilter, WorkAreaFilter
from activities.models import Activity
from knowledge.filters import (
    BestPracticeFilter,
    ChallengeFilter,
    EcosystemFilter,
    LanguageFilter,
    ResourceFilter,
    StoryFilter,
    ThemeFilter,
)
from knowledge.models import BestPractice, Challenge, Ecosystem, GbfTarget, Resource, Story, Theme
from members.filters import (
    CountryChoiceFilter,
    InCountryFilter,
    IucnCategoryFilter,
    OrganizationFilter,
    ProtectedAreaFilter,
)
from members.models import ProtectedArea
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    country,
    work_area,
)

pytestmark = pytest.mark.django_db

SHARED = [
    (ActivityFilter, "gbf_target", GbfTargetFilter),
    (BestPracticeFilter, "gbf_target", GbfTargetFilter),
    (ResourceFilter, "gbf_target", GbfTargetFilter),
    (BestPracticeFilter, "theme", ThemeFilter),
    (ResourceFilter, "theme", ThemeFilter),
    (BestPracticeFilter, "ecosystem", EcosystemFilter),
    (BestPracticeFilter, "challenge", ChallengeFilter),
    (ActivityFilter, "work_area", WorkAreaFilter),
    (StoryFilter, "work_area", WorkAreaFilter),
    (ActivityFilter, "country", InCountryFilter),
    (BestPracticeFilter, "country", InCountryFilter),
    (OrganizationFilter, "country", CountryChoiceFilter),
    (ProtectedAreaFilter, "country", InCountryFilter),  # any of a site's countries
    (BestPracticeFilter, "iucn_category", IucnCategoryFilter),
    (ProtectedAreaFilter, "iucn_category", IucnCategoryFilter),
    (BestPracticeFilter, "language", LanguageFilter),
    (ResourceFilter, "language", LanguageFilter),
]


@pytest.mark.parametrize(("filterset", "name", "shared"), SHARED)
def test_every_list_uses_the_one_declaration(filterset, name, shared):
    assert type(filterset.base_filters[name]) is shared


@pytest.mark.parametrize(
    ("filterset", "factory", "model"),
    [
        (ActivityFilter, ActivityFactory, Activity),
        (BestPracticeFilter, BestPracticeFactory, BestPractice),
        (ResourceFilter, ResourceFactory, Resource),
    ],
)
def test_a_gbf_target_is_chosen_by_its_number(filterset, factory, model):
    tagged, _other = factory(), factory()
    tagged.gbf_targets.add(GbfTarget.objects.get(number=3))

    chosen = filterset({"gbf_target": "3"}, queryset=model.objects.all())

    assert list(chosen.qs) == [tagged]
    assert chosen.form.fields["gbf_target"].empty_label == "All GBF targets"
    assert not filterset({"gbf_target": "99"}, queryset=model.objects.all()).is_valid()


@pytest.mark.parametrize(
    ("filterset", "name", "taxonomy", "factory", "model"),
    [
        (BestPracticeFilter, "theme", Theme, BestPracticeFactory, BestPractice),
        (ResourceFilter, "theme", Theme, ResourceFactory, Resource),
        (BestPracticeFilter, "ecosystem", Ecosystem, BestPracticeFactory, BestPractice),
        (BestPracticeFilter, "challenge", Challenge, BestPracticeFactory, BestPractice),
    ],
)
def test_a_term_is_chosen_by_its_slug(filterset, name, taxonomy, factory, model):
    term = taxonomy.objects.first()
    tagged, _other = factory(), factory()
    getattr(tagged, filterset.base_filters[name].field_name).add(term)

    chosen = filterset({name: term.slug}, queryset=model.objects.all())

    assert list(chosen.qs) == [tagged]


@pytest.mark.parametrize(
    ("filterset", "factory", "model"),
    [(ActivityFilter, ActivityFactory, Activity), (StoryFilter, StoryFactory, Story)],
)
def test_a_work_area_is_chosen_by_its_slug(filterset, factory, model):
    tagged = factory(work_area=work_area("awareness-advocacy"))
    factory(work_area=work_area("knowledge-capacity"))

    chosen = filterset({"work_area": "awareness-advocacy"}, queryset=model.objects.all())

    assert list(chosen.qs) == [tagged]
    assert chosen.form.fields["work_area"].empty_label == "All work areas"


def test_a_country_is_where_the_list_places_its_rows():
    held, attended, elsewhere = (
        ActivityFactory(country=country("NPL")),
        ActivityFactory(country=country("THA")),
        ActivityFactory(country=country("THA")),
    )
    attended.participating_countries.add(country("NPL"))
    practice, _other = BestPracticeFactory(), BestPracticeFactory()
    practice.countries.add(country("NPL"))

    activities = ActivityFilter({"country": "NPL"}, queryset=Activity.objects.all())
    practices = BestPracticeFilter({"country": "NPL"}, queryset=BestPractice.objects.all())

    assert set(activities.qs) == {held, attended}
    assert list(practices.qs) == [practice]
    assert elsewhere not in activities.qs


def test_an_iucn_category_is_the_areas_or_that_of_the_area_a_practice_tells_of():
    park, reserve = (
        ProtectedAreaFactory(iucn_category="II"),
        ProtectedAreaFactory(iucn_category="Ia"),
    )
    told = BestPracticeFactory(protected_area=park)
    BestPracticeFactory(protected_area=reserve)

    areas = ProtectedAreaFilter({"iucn_category": "II"}, queryset=ProtectedArea.objects.all())
    practices = BestPracticeFilter({"iucn_category": "II"}, queryset=BestPractice.objects.all())

    assert list(areas.qs) == [park]
    assert list(practices.qs) == [told]


def test_a_list_may_still_override_what_a_shared_filter_declares():
    overridden = GbfTargetFilter(field_name="related__gbf_targets", label="Target")
    assert (overridden.field_name, overridden.label) == ("related__gbf_targets", "Target")
    assert overridden.extra["to_field_name"] == "number"
