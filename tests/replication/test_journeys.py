"""The portal's journeys on a real primary and hot standby (tests/replication/conftest.py).

Replay on the standby is paused to make it lag: what a page shows then tells which
server it read. Lan is a visitor with no account; Minh is a member of Viet Nam's agency;
Emma edits for the secretariat.
"""

from __future__ import annotations

import logging

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client

from apap_portal.replicas.middleware import PIN_COOKIE
from apap_portal.replicas.router import Routing, reading_from_replicas
from knowledge.models import BestPractice, Story
from subscriptions import links
from subscriptions.models import Subscriber
from tests.factories import (
    BestPracticeFactory,
    MemberOrganizationFactory,
    StoryFactory,
    UserFactory,
)
from tests.knowledge.test_submission import TWO_BLOCKS, practice_data

pytestmark = pytest.mark.replication

REPLICA = "replica_0"


def story_url(story: Story) -> str:
    return f"/stories/{story.slug}/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_public_reads_the_replica_and_a_lagging_one_fills_no_cache(on_pair):
    story = StoryFactory(title="Rangers of Cat Tien")
    on_pair.wait_for_replay()
    lan = Client()
    assert "Rangers of Cat Tien" in lan.get(story_url(story)).text

    with on_pair.replay_paused():
        story.title = "Rangers of Cat Tien and Bu Gia Map"
        story.save()
        # The edit moved the story's generation, so the cached page is stale; Lan's page
        # is rendered again, from the standby, which has not replayed the edit.
        page = lan.get(story_url(story))
        assert page.status_code == 200
        assert "Rangers of Cat Tien" in page.text
        assert "Bu Gia Map" not in page.text
        # Anyone with a session reads the primary.
        minh = signed_in(UserFactory(organization=MemberOrganizationFactory()))
        assert "Bu Gia Map" in minh.get(story_url(story)).text

    # Nothing was written since: had the page rendered on the lagging standby been kept
    # under the edit's generation, Lan would be served the old title for an hour.
    assert "Bu Gia Map" in lan.get(story_url(story)).text


def test_the_api_reads_the_replica(on_pair):
    with on_pair.replay_paused():
        practice = BestPracticeFactory(title="Mangrove nurseries run by fishers")
        listed = Client().get("/api/v1/best-practices/", {"search": "Mangrove nurseries"})
        assert listed.status_code == 200
        assert practice.slug not in listed.text
    listed = Client().get("/api/v1/best-practices/", {"search": "Mangrove nurseries"})
    assert practice.slug in listed.text


def test_a_member_submits_and_sees_the_submission_at_once(on_pair):
    minh = UserFactory(organization=MemberOrganizationFactory())
    client = signed_in(minh)
    on_pair.wait_for_replay()
    title = "Village patrols in Bach Ma"
    with on_pair.replay_paused():
        response = client.post(
            "/knowledge/best-practices/submit/", practice_data(title=title, blocks=TWO_BLOCKS)
        )
        assert response.status_code == 302, response.text
        dashboard = client.get(response["Location"])
        assert title in dashboard.text
        # The standby has not replayed it: the dashboard could only read it on the primary.
        assert not BestPractice.objects.using(REPLICA).filter(title=title).exists()
        assert BestPractice.objects.using(DEFAULT_DB_ALIAS).filter(title=title).exists()
    assert BestPractice.objects.using(REPLICA).filter(title=title).exists()


def test_a_visitor_who_wrote_reads_the_primary_for_a_while(on_pair, settings):
    story = StoryFactory(title="Tigers counted in Hua Ha")
    on_pair.wait_for_replay()
    lan, another_visitor = Client(), Client()
    with on_pair.replay_paused():
        story.title = "Tigers counted again in Hua Ha"
        story.save()
        assert "counted again" not in another_visitor.get(story_url(story)).text
        # Lan posts a form (choosing a language): from now on she reads the primary.
        answer = lan.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert answer.status_code == 302
        assert PIN_COOKIE in answer.cookies
        assert answer.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
        assert "counted again" in lan.get(story_url(story)).text


def test_a_visitor_who_subscribes_manages_the_subscription_at_once(on_pair):
    asked = links.Request(email="lan@example.org", kinds=("stories",), frequency="weekly")
    lan = Client()
    with on_pair.replay_paused():
        # Lan confirms by the emailed link: the subscriber exists on the primary alone.
        confirmed = lan.post(f"/subscribe/confirm/{links.confirmation_token(asked)}/")
        assert confirmed.status_code == 302
        assert PIN_COOKIE in confirmed.cookies
        manage = lan.get(confirmed["Location"])
        assert manage.status_code == 200
        assert "lan@example.org" in manage.text
        assert not Subscriber.objects.using(REPLICA).filter(email="lan@example.org").exists()


def test_the_admin_edits_on_the_primary(on_pair):
    emma = signed_in(UserFactory(is_staff=True, is_superuser=True))
    with on_pair.replay_paused():
        story = StoryFactory(title="A story the standby has not seen")
        # Emma finds it and deletes it: both need the primary, the standby has no such row.
        found = emma.get("/admin/knowledge/story/", {"q": "standby has not seen"})
        assert "A story the standby has not seen" in found.text
        deleted = emma.post(f"/admin/knowledge/story/{story.pk}/delete/", {"post": "yes"})
        assert deleted.status_code == 302
        assert not Story.objects.using(DEFAULT_DB_ALIAS).filter(pk=story.pk).exists()


def test_reads_that_lock_rows_go_to_the_primary(on_pair):
    story = StoryFactory()
    on_pair.wait_for_replay()
    depth = len(connections[DEFAULT_DB_ALIAS].atomic_blocks)
    with reading_from_replicas(Routing(view_atomic_depth=depth)):
        assert Story.objects.filter(pk=story.pk).db == REPLICA
        with transaction.atomic():
            # Read, then written from what was read: both on the primary.
            assert Story.objects.filter(pk=story.pk).db == DEFAULT_DB_ALIAS
            locked = Story.objects.select_for_update().filter(pk=story.pk)
            assert locked.db == DEFAULT_DB_ALIAS
            # A standby refuses SELECT … FOR UPDATE: this one runs on the primary.
            assert list(locked) == [story]
    with reading_from_replicas(Routing(view_atomic_depth=depth)):
        # Django asks db_for_write for a queryset that locks, even outside atomic().
        assert Story.objects.select_for_update().db == DEFAULT_DB_ALIAS
    # Outside a request (the worker, the scheduler, commands): the primary.
    assert Story.objects.filter(pk=story.pk).db == DEFAULT_DB_ALIAS


def test_a_replica_that_does_not_answer_is_skipped_with_a_warning(on_pair, caplog):
    first, second, third = StoryFactory(), StoryFactory(), StoryFactory()
    on_pair.wait_for_replay()
    assert Client().get(story_url(first)).status_code == 200  # a connection to the standby

    on_pair.stop_replica()
    with caplog.at_level(logging.WARNING, logger="apap_portal.replicas.router"):
        page = Client().get(story_url(second))
        assert page.status_code == 200
        assert second.title in page.text
        assert "Replica replica_0 skipped" in caplog.text
        caplog.clear()
        # Left alone for a while: the next request does not try it again.
        assert Client().get(story_url(third)).status_code == 200
        assert caplog.text == ""


def test_a_replica_failing_in_the_middle_of_a_request_is_read_again_from_the_primary(
    on_pair, caplog
):
    story = StoryFactory(title="Hornbills return to Khao Yai")
    on_pair.wait_for_replay()

    def standby_dies_now(execute, sql, params, many, context):
        if "knowledge_story" in sql and on_pair.is_running(on_pair.replica):
            on_pair.stop_replica()
        return execute(sql, params, many, context)

    with (
        connections[REPLICA].execute_wrapper(standby_dies_now),
        caplog.at_level(logging.WARNING),
    ):
        page = Client().get(story_url(story))
    assert page.status_code == 200
    assert "Hornbills return to Khao Yai" in page.text
    assert "answered again from the primary" in caplog.text
    # The primary answered: the log does not say the database was unavailable.
    assert "Database unavailable" not in caplog.text
