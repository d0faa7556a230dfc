"""Personas and shared fixtures.

- Anna is an anonymous visitor of the public site.
- Minh is a member: he works for Viet Nam's protected-area agency.
- Oyuna is a member too, of another organization (Mongolia's agency).
- Emma is a secretariat editor; Mark is a secretariat manager. Both are staff, and what
  they may do comes from their group only (members/permissions.py), as in production.
"""

import io
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from apap_portal.replicas import router
from members.permissions import EDITORS, MANAGERS
from tests import worker
from tests.factories import MemberOrganizationFactory, UserFactory, country
from tests.worker import SentMail


@pytest.fixture(autouse=True)
def _reads_stay_on_the_test_database(request, monkeypatch):
    """With DATABASE_REPLICA_URLS set, the suite still reads the test database alone.

    A replica is then a test mirror of `default` (settings.py) that each test would have to
    name; its reads are routed nowhere else. tests/replication routes them to a real one.
    """
    if "replication" not in request.keywords:
        monkeypatch.setattr(router, "replica_aliases", list)


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /vi/ leaves Vietnamese active in the thread: start each test in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _redis_database_of_this_worker(worker_id):
    """Under pytest-xdist with Redis, each worker has a Redis database of its own.

    The tests empty the cache before each test (FLUSHDB): in a database shared by two
    workers, one would empty the other's in the middle of a test. gw0 keeps the
    configured database (TEST_REDIS_URL, 15 by default), gw1 the one below it, and so on.
    """
    config = django_settings.CACHES["default"]
    if worker_id == "master" or "redis" not in config["BACKEND"].lower():
        yield
        return
    location = urlsplit(config["LOCATION"])
    database = int(location.path.strip("/") or 0) - int(worker_id.removeprefix("gw"))
    own = {**config, "LOCATION": urlunsplit(location._replace(path=f"/{database}"))}
    with override_settings(CACHES={**django_settings.CACHES, "default": own}):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, whichever backend holds it (REDIS_URL).

    The suite runs under both: `make test` runs it with each process's memory, then the
    tests of what is cached with Redis (`make test-redis` runs all of them with Redis).
    """
    cache.clear()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests see each page rendered (tests/portal/test_page_cache.py turns the cache on)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def still_clock():
    """The clock stands still: what the stories' SQL names (the minute it is, for the
    stories already out) keys a cached value the same on every request of a test, so a
    minute turning between two requests cannot make the second one compute it again."""
    from bench.run import clock_held

    with clock_held() as now:
        yield now


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mailoutbox(mailoutbox):
    """The emails sent, read after the real worker has run the queued tasks (tests/worker.py):
    a test sees what would have reached the mail server."""
    return SentMail()


@pytest.fixture
def run_worker(db):
    """Run the task worker until the queue is empty (a task that fails fails the test)."""
    return worker.run_worker


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def pytest_collection_modifyitems(items):
    """In each module, the tests on the demo data run after the others.

    The demo data stays loaded from the first test that asks for it to the module's end
    (`demo_data`), so the tests of a module that expect an empty database go first.
    """
    module_order: dict[str, int] = {}
    for item in items:
        module_order.setdefault(item.nodeid.split("::")[0], len(module_order))
    items.sort(
        key=lambda item: (
            module_order[item.nodeid.split("::")[0]],
            "demo_data" in getattr(item, "fixturenames", ()),
        )
    )


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data as `make run` loads it, loaded once for the whole test module.

    It stays in a transaction that is rolled back after the module's last test; each test
    runs in a savepoint inside it (pytest-django's `db`), so what a test changes is undone
    before the next one starts. Tests that need an empty database just do not ask for it.
    """
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
    ):
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    """The demo data, for a test (the `db` fixture's savepoint nests inside its transaction)."""


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a folder of the test's own (and are sent from there)."""
    settings.MEDIA_ROOT = tmp_path
    settings.SENDFILE_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def member_org(db):
    return MemberOrganizationFactory(
        name="Department of Protected Forest Management",
        acronym="VNFOREST",
        country=country("VNM"),
    )


@pytest.fixture
def other_org(db):
    return MemberOrganizationFactory(
        name="Protected Areas Administration of Mongolia", country=country("MNG")
    )


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def member(member_org):
    return UserFactory(username="minh", organization=member_org)


@pytest.fixture
def other_member(other_org):
    return UserFactory(username="oyuna", organization=other_org)


def _secretariat_user(username: str, group: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return _secretariat_user("emma", EDITORS)


@pytest.fixture
def manager(db):
    return _secretariat_user("mark", MANAGERS)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def other_member_client(other_member):
    return _client_for(other_member)


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)
