"""Cached values follow the tables they were computed from (apap_portal.caching)."""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.db import connection

from activities.models import Activity
from apap_portal.caching import cached, everything_changed
from apap_portal.caching.tables import (
    PREFIX,
    generations,
    known_tables,
    watch_connection,
    watch_statement,
    written_tables,
)
from knowledge.models import BestPractice, GbfTarget, Theme
from members.models import ProtectedArea, audience_of
from tests.factories import ActivityFactory, BestPracticeFactory, UserFactory, theme

pytestmark = pytest.mark.cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


class Counting:
    """A computation that counts how often it runs, reading a table as it does."""

    def __init__(self, model=None):
        self.model = model
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.model is not None:
            list(self.model.objects.values_list("pk", flat=True)[:1])
        return f"value {self.calls}"


def table(model) -> str:
    return model._meta.db_table


def test_audience_of_each_persona(member, editor):
    assert audience_of(AnonymousUser()) == "public"
    assert audience_of(member) == "members"
    assert audience_of(editor) == "members"
    assert audience_of(UserFactory()) == "public"  # signed in, but with no member agency


@pytest.mark.django_db
def test_a_value_is_kept_until_a_table_it_read_changes():
    count_practices = Counting(BestPractice)
    assert cached(("figures",), count_practices) == "value 1"
    assert cached(("figures",), count_practices) == "value 1"
    BestPracticeFactory()
    assert cached(("figures",), count_practices) == "value 2"
    assert count_practices.calls == 2


@pytest.mark.django_db
def test_a_change_to_a_table_it_did_not_read_keeps_it():
    """Per kind of content: an activity edited leaves the library's values cached."""
    count_practices = Counting(BestPractice)
    cached(("figures",), count_practices)
    ActivityFactory()
    Activity.objects.update(title="Renamed")
    assert cached(("figures",), count_practices) == "value 1"


@pytest.mark.django_db
def test_each_key_is_kept_apart():
    compute = Counting(GbfTarget)
    assert cached(("figures", "public"), compute) == "value 1"
    assert cached(("figures", "members"), compute) == "value 2"
    assert cached(("other", "public"), compute) == "value 3"
    assert cached(("figures", "public"), compute) == "value 1"


@pytest.mark.django_db
def test_querysets_in_a_key_stand_for_their_sql():
    compute = Counting()
    first = GbfTarget.objects.filter(number=1)
    assert cached(("figures", first), compute) == "value 1"
    assert cached(("figures", GbfTarget.objects.filter(number=1)), compute) == "value 1"
    assert cached(("figures", GbfTarget.objects.filter(number=2)), compute) == "value 2"


def test_a_queryset_known_to_select_nothing_is_computed_not_cached():
    """`.none()` has no SQL to key by: the value is computed (cheaply) instead of failing."""
    compute = Counting()
    assert cached(("figures", GbfTarget.objects.none()), compute) == "value 1"
    assert cached(("figures", GbfTarget.objects.none()), compute) == "value 2"


@pytest.mark.django_db
def test_a_value_read_inside_another_carries_its_tables_to_it():
    """A page kept whole must follow the counts it showed, even when they came cached."""
    inner = Counting(BestPractice)
    cached(("inner",), inner)  # cached before the outer value is computed
    outer = Counting()  # reads nothing itself
    assert cached(("outer",), lambda: (outer(), cached(("inner",), inner))) == (
        "value 1",
        "value 1",
    )
    BestPracticeFactory()
    assert cached(("outer",), lambda: (outer(), cached(("inner",), inner))) == (
        "value 2",
        "value 2",
    )


@pytest.mark.django_db
def test_a_write_while_a_value_is_computed_leaves_it_stale():
    """Read the rows, then someone saves: the value is not kept as current."""

    def read_then_someone_writes():
        list(Theme.objects.all())
        Theme.objects.create(name="Written meanwhile", slug="written-meanwhile")
        return "computed from the rows before the write"

    cached(("figures",), read_then_someone_writes)
    assert cached(("figures",), lambda: "computed again") == "computed again"


@pytest.mark.django_db
def test_a_lost_generation_makes_what_was_computed_from_it_stale():
    """Should the cache drop a table's generation, old entries must not be read again."""
    compute = Counting(GbfTarget)
    cached(("figures",), compute)
    old = generations([table(GbfTarget)])[table(GbfTarget)]
    cache.delete(PREFIX + table(GbfTarget))
    assert generations([table(GbfTarget)])[table(GbfTarget)] > old
    assert cached(("figures",), compute) == "value 2"


@pytest.mark.django_db
def test_everything_changed_makes_every_value_stale():
    """After a restore (pg_restore writes where the portal cannot see it)."""
    compute = Counting(GbfTarget)
    cached(("figures",), compute)
    everything_changed()
    assert cached(("figures",), compute) == "value 2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [
        lambda: BestPracticeFactory(),
        lambda: BestPractice.objects.update(title="Renamed"),
        lambda: BestPractice.objects.all().delete(),
        lambda: BestPractice.objects.bulk_create([BestPractice(title="Bulk", slug="bulk")]),
        lambda: BestPractice.objects.first().save(),
    ],
    ids=["create", "update()", "delete()", "bulk_create()", "save"],
)
def test_every_kind_of_write_moves_the_generation(write):
    """Saves, deletes and the writes that send no signal at all (imports, generators)."""
    BestPracticeFactory()
    before = generations([table(BestPractice)])
    write()
    assert generations([table(BestPractice)]) != before


@pytest.mark.django_db
def test_tagging_moves_the_generation_of_the_link_table():
    practice = BestPracticeFactory()
    links = BestPractice.themes.through._meta.db_table
    before = generations([links])
    practice.themes.add(theme("sustainable-tourism"))
    after_add = generations([links])
    assert after_add != before
    practice.themes.clear()
    assert generations([links]) != after_add


def test_statements_name_the_tables_they_write():
    assert written_tables('INSERT INTO "knowledge_theme" ("name") VALUES (%s)') == {
        "knowledge_theme"
    }
    assert written_tables('UPDATE "members_country" SET "name" = %s') == {"members_country"}
    assert written_tables('DELETE FROM "knowledge_bestpractice_themes" WHERE 1') == {
        "knowledge_bestpractice_themes"
    }
    assert written_tables('TRUNCATE "knowledge_theme", "members_country";') == {
        "knowledge_theme",
        "members_country",
    }
    assert written_tables('SELECT * FROM "knowledge_theme" FOR UPDATE') == set()


def test_every_model_table_is_followed():
    assert table(ProtectedArea) in known_tables()
    assert ProtectedArea.transboundary_areas.rel.through._meta.db_table in known_tables()


@pytest.mark.django_db
def test_the_generation_moves_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    """Values computed by another request before the commit are not kept as current."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ActivityFactory()
        before_commit = generations([table(Activity)])
    assert callbacks
    assert generations([table(Activity)]) != before_commit


@pytest.mark.django_db
def test_a_sign_in_keeps_the_library_cached(client):
    """Signing in writes the user's last-login stamp: nothing the library reads."""
    compute = Counting(BestPractice)
    cached(("figures",), compute)
    client.force_login(UserFactory())
    assert cached(("figures",), compute) == "value 1"


@pytest.mark.django_db
def test_the_statement_watcher_is_installed_once_and_first():
    """`connection.execute_wrapper()` removes the last wrapper: ours must not be it."""
    watch_connection(connection)
    watch_connection(connection)
    assert connection.execute_wrappers.count(watch_statement) == 1

    def other(execute, *args):
        return execute(*args)

    with connection.execute_wrapper(other):
        connection.ensure_connection()
    assert connection.execute_wrappers == [watch_statement]


def test_the_cache_is_the_backend_the_environment_names():
    """`make test` runs these tests with memory, then with Redis (REDIS_URL): both are real."""
    expected = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected
