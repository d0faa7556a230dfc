"""The content generation: cached figures are computed afresh after any content change."""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches

from apap_portal.caching import (
    GENERATION_KEY,
    audience_of,
    bump_content_generation,
    cached,
    cached_for_queryset,
    content_generation,
)
from knowledge.models import GbfTarget
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MembershipFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    UserFactory,
    theme,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


class Counting:
    """A computation that counts how often it runs."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"value {self.calls}"


def test_the_generation_holds_until_bumped():
    generation = content_generation()
    assert content_generation() == generation
    bump_content_generation()
    assert content_generation() == generation + 1


def test_a_lost_counter_restarts_past_every_key_used_before():
    """Should the cache drop the counter, old entries must not be read again."""
    compute = Counting()
    assert cached("figures", "public", compute) == "value 1"
    old = content_generation()
    cache.delete(GENERATION_KEY)
    assert content_generation() > old
    assert cached("figures", "public", compute) == "value 2"


def test_bumping_a_lost_counter_sets_a_new_one():
    cache.delete(GENERATION_KEY)
    bump_content_generation()
    assert cache.get(GENERATION_KEY) is not None


def test_cached_computes_once_per_generation_and_audience():
    compute = Counting()
    assert cached("figures", "public", compute) == "value 1"
    assert cached("figures", "public", compute) == "value 1"
    assert cached("figures", "members", compute) == "value 2"
    assert cached("other", "public", compute) == "value 3"
    bump_content_generation()
    assert cached("figures", "public", compute) == "value 4"
    assert compute.calls == 4


def test_audience_of_each_persona(member, editor):
    assert audience_of(AnonymousUser()) == "public"
    assert audience_of(member) == "members"
    assert audience_of(editor) == "members"
    assert audience_of(UserFactory()) == "public"  # signed in, but with no member agency


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda: MembershipFactory(),
        lambda: OrganizationFactory(),
        lambda: ProtectedAreaFactory(),
        lambda: ActivityFactory(),
        lambda: BestPracticeFactory(),
        lambda: ResourceFactory(),
    ],
    ids=["membership", "organization", "protected area", "activity", "best practice", "resource"],
)
def test_creating_content_bumps_the_generation(make):
    before = content_generation()
    make()
    assert content_generation() > before


@pytest.mark.django_db
def test_saving_and_deleting_content_bump_the_generation():
    practice = BestPracticeFactory()
    before = content_generation()
    practice.title = "Renamed"
    practice.save()
    after_save = content_generation()
    assert after_save > before
    practice.delete()
    assert content_generation() > after_save


@pytest.mark.django_db
def test_tagging_bumps_the_generation():
    """Many-to-many changes send no post_save: they are caught on their own."""
    practice = BestPracticeFactory()
    resource = ResourceFactory()
    activity = ActivityFactory()
    target = GbfTarget.objects.get(number=3)
    for relation in (
        practice.gbf_targets,
        practice.themes,
        resource.gbf_targets,
        activity.gbf_targets,
    ):
        before = content_generation()
        relation.add(target if relation.model is GbfTarget else theme("sustainable-tourism"))
        assert content_generation() > before
        before = content_generation()
        relation.clear()
        assert content_generation() > before


@pytest.mark.django_db
def test_a_sign_in_does_not_bump_the_generation(client):
    """Users are not content: their last-login stamp must not empty the cache."""
    user = UserFactory()
    before = content_generation()
    client.force_login(user)
    assert content_generation() == before


@pytest.mark.django_db
def test_the_generation_moves_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    """Figures computed by another request before the commit are not kept as current."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ActivityFactory()
        before_commit = content_generation()
    assert bump_content_generation in callbacks
    assert content_generation() > before_commit


def test_the_cache_is_the_backend_the_environment_names():
    """`make test` runs these tests with memory, then with Redis (REDIS_URL): both are real."""
    expected = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected


def test_a_queryset_known_to_select_nothing_is_computed_not_cached():
    """`.none()` has no SQL to key by: the value is computed (cheaply) instead of failing."""
    compute = Counting()
    assert cached_for_queryset("figures", GbfTarget.objects.none(), compute) == "value 1"
    assert cached_for_queryset("figures", GbfTarget.objects.none(), compute) == "value 2"


def test_querysets_selecting_other_rows_are_cached_apart():
    compute = Counting()
    first = GbfTarget.objects.filter(number=1)
    assert cached_for_queryset("figures", first, compute) == "value 1"
    assert cached_for_queryset("figures", first, compute) == "value 1"
    assert cached_for_queryset("figures", GbfTarget.objects.filter(number=2), compute) == (
        "value 2"
    )
