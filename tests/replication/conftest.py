"""A real primary and hot standby for the tests marked `replication` (apap_portal.replicas).

One pair for the whole run, migrated once; each test then talks to it through Django's
connections, swapped for the test's duration: `default` is the temporary primary,
`replica_0` its standby, as settings.py makes them from DATABASE_URL and
DATABASE_REPLICA_URLS. The server the rest of the suite uses is not touched. Without
initdb (or as root without a `postgres` user) the tests are skipped with the reason.

Nothing is rolled back between tests (the standby only sees committed rows): each test
makes rows of its own, with the factories' unique names.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import time
from unittest import mock

import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from apap_portal.replicas import cluster, router


@pytest.fixture(scope="session")
def pair():
    """A primary and its streaming standby, with the portal's schema and reference data."""
    if reason := cluster.unavailable_reason():
        pytest.skip(f"No replication tests: {reason}.")
    started = time.monotonic()
    pair = cluster.start_pair(database="apap_replication")
    try:
        # The migrations as on a new server, the reference data's included.
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "--skip-checks"],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DATABASE_URL": pair.primary_url,
                "DATABASE_REPLICA_URLS": "",
                "REDIS_URL": "",
            },
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        pair.wait_for_replay()
        print(f"\nreplication pair ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
        yield pair
    finally:
        pair.stop()


def databases_for(pair: cluster.Pair) -> dict:
    """DATABASES as settings.py makes them when the environment names this pair."""
    environment = {"DATABASE_URL": pair.primary_url, "DATABASE_REPLICA_URLS": pair.replica_url}
    with mock.patch.dict(os.environ, environment):
        return runpy.run_path(str(settings.BASE_DIR / "apap_portal" / "settings.py"))["DATABASES"]


@pytest.fixture
def on_pair(pair, django_db_blocker, settings):
    """Django's connections point at the pair for this test; the page cache is on."""
    settings.PAGE_CACHE_SECONDS = 60
    with django_db_blocker.unblock():
        connections.close_all()
        saved_settings, saved_connections = connections.settings, connections._connections
        databases = databases_for(pair)
        connections.__dict__["settings"] = connections.configure_settings(databases)
        connections._connections = Local(connections.thread_critical)
        router._down_until.clear()
        cache.clear()
        try:
            yield pair
        finally:
            if not pair.is_running(pair.replica):
                pair.start_replica()
            if pair.sql(pair.replica, "SELECT pg_is_wal_replay_paused()") == "t":
                pair.resume_replay()
            connections.close_all()
            connections.__dict__["settings"] = saved_settings
            connections._connections = saved_connections
            router._down_until.clear()
