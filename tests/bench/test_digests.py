"""The digests' benchmark (bench/digests.py), at a tiny scale.

`make bench-digests` queues and sends 10,000 digests; here 30 subscribers and one worker
go through the same functions: the seed, the queue in a child process, a real
`manage.py db_worker` sending to the benchmark's SMTP sink in its own process, and the
pages timed meanwhile. The rows are committed (the child and the worker are other
processes), outside any test transaction, and removed afterwards (`clear`): no flush, so
the reference data the other tests of this process need stays.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.utils.timezone import now

from apap_portal.outbox.models import Email
from bench import digests
from knowledge.models import Story
from subscriptions.models import Subscriber, Subscription


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            digests.clear()


def test_database_url() -> str:
    """The test database, for the benchmark's other processes."""
    database = connection.settings_dict
    return (
        f"postgis://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


test_database_url.__test__ = False  # a helper, not a test


def test_the_seed_is_recreated_with_members_and_vietnamese_readers(committed):
    digests.seed(30)
    seeded = digests.seed(30)  # again: the same rows, not twice as many
    assert seeded == {"subscribers": 30, "members": 1, "expected": 31}
    readers = Subscriber.objects.filter(email__endswith=f"@{digests.DOMAIN}")
    assert readers.count() == 30
    assert readers.filter(language="vi").count() == 15
    assert readers.filter(user__organization__isnull=False, user__is_active=True).count() == 1
    assert (
        Subscription.objects.filter(kind="best-practices", query=digests.SEARCH_QUERY).count() == 1
    )
    stories = Story.objects.filter(slug__startswith=digests.PREFIX)
    assert stories.count() == digests.STORIES
    assert stories.filter(translations__language="vi").count() == digests.VI_TRANSLATED


def test_every_digest_reaches_the_sink_once_and_the_table_is_produced(committed):
    environment = digests.production_environment(test_database_url())
    figures = digests.measure(30, 1, environment, Client(), requests=5)
    small, large = figures["small"], figures["large"]
    # N/10 = 3 subscribers, one of them a member with a saved search: 4 digests; at N, 31.
    assert (small["queued"], large["queued"]) == (4, 31)
    for run in (small, large):
        assert run["received"] == run["distinct_messages"] == run["queued"]
        assert run["distinct_recipients"] == run["subscribers"]
        assert run["content_queries"] > 0
    # The content is read once per group, whatever the number of subscribers.
    assert large["content_queries"] == small["content_queries"]
    assert not Email.objects.exclude(status=Email.Status.SENT).exists()
    text, misses = digests.report(figures)
    assert "| 30 | 31 |" in text
    for page in digests.PAGES:
        assert f"| `{page}` |" in text
    assert not [miss for miss in misses if "sink" in miss or "addresses" in miss]


def test_a_missed_target_is_named():
    run = {
        "subscribers": 10, "members": 0, "expected": 10, "queued": 10, "seconds": 1.0,
        "queries": 5, "content_queries": 1, "peak_mb": 100.0, "send_seconds": 1.0,
        "rate": 10, "received": 9, "distinct_messages": 9, "distinct_recipients": 9,
    }  # fmt: skip
    pages = [{"page": "/stories/", "ok": False, "target_ms": 50, "busy_n": 60}]
    misses = digests.judge(run, {**run, "peak_mb": 150.0, "content_queries": 10}, pages)
    assert any("10 messages a second" in miss for miss in misses)
    assert any("peak memory grew 50.0 MB" in miss for miss in misses)
    assert any("they grow with the subscribers" in miss for miss in misses)
    assert any("the sink received 9 messages" in miss for miss in misses)
    assert any("/stories/: p95 over its target of 50 ms" in miss for miss in misses)


@pytest.mark.django_db
def test_a_database_whose_outbox_holds_other_emails_is_refused():
    digests.refuse_a_database_in_use()  # an empty outbox, or the benchmark's own: it goes on
    Email.objects.create(
        to="focal.point@example.org", subject="Welcome", body="Hello", next_attempt_at=now()
    )
    with pytest.raises(SystemExit, match="a database of its own"):
        digests.refuse_a_database_in_use()
