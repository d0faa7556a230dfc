"""Read replicas without a standby: settings, the per-request decision, the router's rules.

The journeys on a real primary and standby are in tests/replication (marked `replication`).
"""

from __future__ import annotations

import os
import runpy
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpResponse
from django.test import RequestFactory

from apap_portal.caching import positions
from apap_portal.replicas import cluster, router
from apap_portal.replicas.checks import replica_problems
from apap_portal.replicas.middleware import PIN_COOKIE, ReplicaMiddleware, pin
from apap_portal.replicas.router import ReplicaRouter
from knowledge.models import Story


def databases_with(**environment: str) -> dict:
    with mock.patch.dict(os.environ, environment):
        return runpy.run_path(str(settings.BASE_DIR / "apap_portal" / "settings.py"))["DATABASES"]


def test_each_replica_url_is_an_alias_like_the_primary_but_read_only():
    databases = databases_with(
        DATABASE_URL="postgres://portal@db-primary:5432/apap",
        DATABASE_REPLICA_URLS="postgres://reader@db-replica-a/apap,postgres://reader@db-replica-b:6432/apap",
    )
    assert list(databases) == ["default", "replica_0", "replica_1"]
    first, second = databases["replica_0"], databases["replica_1"]
    assert (first["HOST"], first["USER"]) == ("db-replica-a", "reader")
    assert (second["HOST"], second["PORT"]) == ("db-replica-b", 6432)
    assert first["ENGINE"] == databases["default"]["ENGINE"]
    assert first["OPTIONS"] == {"options": "-c jit=off", "connect_timeout": 2}
    # No transaction per request on a replica, and the tests read the primary in its place.
    assert first["ATOMIC_REQUESTS"] is False
    assert first["TEST"] == {"MIRROR": "default"}


def test_without_replica_urls_there_is_the_primary_alone():
    databases = databases_with(DATABASE_REPLICA_URLS="")
    assert list(databases) == ["default"]


def test_without_replicas_the_router_leaves_every_choice_to_django():
    chooser = ReplicaRouter()
    assert chooser.db_for_read(Story) is None
    assert chooser.db_for_write(Story) is None
    assert chooser.allow_migrate(DEFAULT_DB_ALIAS, "knowledge") is None


def test_only_the_primary_is_migrated():
    chooser = ReplicaRouter()
    assert chooser.allow_migrate("replica_0", "knowledge") is False
    assert chooser.allow_migrate("replica_1", "knowledge", model_name="story") is False


def test_without_replicas_a_post_sets_no_cookie():
    middleware = ReplicaMiddleware(lambda request: HttpResponse())
    response = middleware(RequestFactory().post("/subscribe/"))
    assert PIN_COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("method", "path", "cookies", "may"),
    [
        ("GET", "/stories/", {}, True),  # the public
        ("HEAD", "/knowledge/best-practices/", {}, True),
        ("POST", "/subscribe/", {}, False),  # a write
        ("GET", "/my/", {"sessionid": "x"}, False),  # a member
        ("GET", "/api/v1/stories/", {"sessionid": "x"}, True),  # the API has no sessions
        ("GET", "/admin/login/", {}, False),  # the admin, signed in or not
    ],
)
def test_who_may_read_from_a_replica(method, path, cookies, may):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    assert ReplicaMiddleware.may_read_from_replica(request) is may


def pinned_request(response: HttpResponse, value: str | None = None):
    request = RequestFactory().get("/stories/")
    request.COOKIES[PIN_COOKIE] = value or response.cookies[PIN_COOKIE].value
    return request


def test_a_visitor_who_wrote_reads_the_primary_until_the_pin_expires(settings, monkeypatch):
    settings.DATABASE_REPLICA_PIN_SECONDS = 20
    response = HttpResponse()
    pin(response)
    assert response.cookies[PIN_COOKIE]["httponly"]
    assert not ReplicaMiddleware.may_read_from_replica(pinned_request(response))

    later = time.time() + 21
    monkeypatch.setattr(time, "time", lambda: later)
    assert ReplicaMiddleware.may_read_from_replica(pinned_request(response))


def test_a_forged_pin_is_ignored():
    assert ReplicaMiddleware.may_read_from_replica(pinned_request(HttpResponse(), value="1"))


def test_a_replica_found_down_is_left_alone_for_a_while(settings, monkeypatch, caplog):
    settings.DATABASE_REPLICA_RETRY_SECONDS = 30
    now = [1000.0]
    monkeypatch.setattr(router.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(router, "_down_until", {})
    router.mark_down("replica_0", OSError("connection refused\nand more"))
    assert "Replica replica_0 skipped for 30 s" in caplog.text
    assert "and more" not in caplog.text
    now[0] += 29
    assert router.is_down("replica_0")
    now[0] += 2
    assert not router.is_down("replica_0")


def test_recorded_positions_only_move_forward():
    positions._raise_to("table-position:test", 500)
    positions._raise_to("table-position:test", 300)
    assert cache.get("table-position:test") == 500
    positions._raise_to("table-position:test", 900)
    assert cache.get("table-position:test") == 900


def test_the_cluster_harness_says_why_it_cannot_run(monkeypatch):
    monkeypatch.setattr(cluster, "find_bindir", lambda: None)
    assert cluster.unavailable_reason() == (
        "no PostgreSQL server programs (initdb, pg_ctl, pg_basebackup) on this machine"
    )


def test_the_cluster_harness_needs_a_postgres_user_when_run_as_root(monkeypatch, tmp_path):
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "psql"):
        (tmp_path / tool).touch()
    monkeypatch.setattr(cluster, "find_bindir", lambda: tmp_path)
    monkeypatch.setattr(cluster.os, "geteuid", lambda: 0)

    def no_such_user(name):
        raise KeyError(name)

    monkeypatch.setattr(cluster.pwd, "getpwnam", no_such_user)
    assert "initdb refuses root" in cluster.unavailable_reason()


PRIMARY = {"HOST": "db-primary", "PORT": 5432, "NAME": "apap"}


def test_a_pin_shorter_than_a_second_is_refused():
    databases = {"default": PRIMARY, "replica_0": {**PRIMARY, "HOST": "db-replica"}}
    [problem] = replica_problems(databases, pin_seconds=0)
    assert problem.id == "replicas.E001"
    assert replica_problems(databases, pin_seconds=20) == []


def test_a_replica_that_is_the_primary_itself_is_reported():
    databases = {"default": PRIMARY, "replica_0": {**PRIMARY, "PORT": "5432"}}
    [problem] = replica_problems(databases, pin_seconds=20)
    assert problem.id == "replicas.W001"
    assert "replica_0" in problem.msg


def test_without_replicas_nothing_is_checked():
    assert replica_problems({"default": PRIMARY}, pin_seconds=0) == []
