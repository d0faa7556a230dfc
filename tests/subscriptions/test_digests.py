"""Digests: who is due, what is new for them, what reaches whom, and at what cost.

Time passes in these tests by moving the subscriptions' high-water marks back: a
subscription checked up to 25 hours ago is a daily one due now, and what was published
since then is new for it.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from apap_portal.scheduler import periodic_tasks
from subscriptions import links
from subscriptions.digests import send_due_digests
from subscriptions.models import Subscriber, Subscription
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    StoryFactory,
    UserFactory,
    country,
    theme,
    translation,
    work_area,
)
from tests.subscriptions.conftest import link_in

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
MANGROVES = "ecological-restoration"


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - hours * HOUR


def follow(email, kind="stories", *, frequency="daily", user=None, language="en", query=""):
    """A confirmed subscriber following `kind`, last checked 25 hours ago (a daily is due)."""
    subscriber, _ = Subscriber.objects.get_or_create(
        email=email, defaults={"confirmed_at": timezone.now(), "user": user, "language": language}
    )
    return Subscription.objects.create(
        subscriber=subscriber,
        kind=kind,
        frequency=frequency,
        query=query,
        checked_up_to=hours_ago(25),
    )


def run(now=None) -> int:
    """The scheduled run (its emails are sent when the test reads `mailoutbox`)."""
    return send_due_digests(now)


def sent_to(mailoutbox, email):
    return [message for message in mailoutbox if message.to == [email]]


def test_done_when_a_visitor_subscribes_confirms_gets_the_digest_and_unsubscribes_in_one_click(
    client, mailoutbox
):
    """The issue's scenario, through the pages and the scheduled run."""
    client.post(
        "/subscribe/",
        {"email": "anna@example.org", "kinds": ["stories"], "frequency": "daily"},
    )
    client.post(link_in(mailoutbox[0].body, "/subscribe/confirm/"))
    # A day passes; a story is published in it; the scheduled run comes.
    Subscription.objects.update(checked_up_to=hours_ago(25))
    StoryFactory(title="Rangers of Cat Tien share their patrol maps", published_at=hours_ago(2))
    StoryFactory(title="An old story", published_at=hours_ago(30))
    StoryFactory(title="A story scheduled for tomorrow", published_at=timezone.now() + DAY)

    assert run() == 1

    _confirmation, digest = mailoutbox
    assert digest.to == ["anna@example.org"]
    assert "1 new story" in digest.subject
    assert "Rangers of Cat Tien share their patrol maps" in digest.body
    assert "An old story" not in digest.body
    assert "scheduled for tomorrow" not in digest.body
    html, _ = digest.alternatives[0]
    assert "Rangers of Cat Tien share their patrol maps" in html
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert one_click.startswith("http://127.0.0.1:8000/subscribe/unsubscribe/")
    assert "/subscribe/manage/" in digest.body

    # The mail program's one click: a POST without a CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        link_in(one_click, "/subscribe/unsubscribe/"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_done_when_a_members_saved_search_sends_the_new_matching_practice_members_only_too(
    member, member_client, mailoutbox
):
    """…which a subscriber without a member account never receives."""
    response = member_client.post(
        "/my/subscriptions/follow/",
        {"kind": "best-practices", "query": f"theme={MANGROVES}&page=3", "frequency": "daily"},
    )
    assert response.status_code == 302
    saved = Subscription.objects.get(subscriber__user=member)
    assert saved.query == f"theme={MANGROVES}"  # the list's filters, not its page
    Subscription.objects.update(checked_up_to=hours_ago(25))
    # An address without an account following the same (as the admin could set it up)
    follow("anna@example.org", "best-practices", query=f"theme={MANGROVES}")
    follow("anna@example.org", "stories")
    mangroves = theme(MANGROVES)
    public = BestPracticeFactory(
        title="Replanting mangroves with fishers", published_at=hours_ago(3)
    )
    members_only = BestPracticeFactory(
        title="Mangrove patrol costs, shared among members",
        visibility="members",
        published_at=hours_ago(2),
    )
    public.themes.add(mangroves)
    members_only.themes.add(mangroves)
    BestPracticeFactory(title="Ranger training in the mountains", published_at=hours_ago(2))
    StoryFactory(
        title="Members' news about mangrove funding",
        visibility="members",
        published_at=hours_ago(1),
    )

    run()

    [digest] = sent_to(mailoutbox, member.email)
    assert "2 new best practices matching your search" in digest.subject
    assert "Replanting mangroves with fishers" in digest.body
    assert "Mangrove patrol costs, shared among members" in digest.body
    assert "Members only" in digest.body
    assert "Ranger training in the mountains" not in digest.body
    assert f"?theme={MANGROVES}" in digest.body  # the list, as they searched it
    everything_anna_got = " ".join(
        message.body for message in sent_to(mailoutbox, "anna@example.org")
    )
    assert "Mangrove patrol costs" not in everything_anna_got
    assert "Members' news" not in everything_anna_got


def test_nothing_but_the_confirmation_is_sent_to_an_unconfirmed_address(mailoutbox):
    subscription = follow("anna@example.org")
    Subscriber.objects.update(confirmed_at=None)
    StoryFactory(published_at=hours_ago(1))

    assert run() == 0
    assert not mailoutbox
    subscription.refresh_from_db()
    assert subscription.checked_up_to < hours_ago(24)  # untouched until confirmed


def test_a_run_again_sends_nothing_more(mailoutbox):
    follow("anna@example.org")
    StoryFactory(published_at=hours_ago(1))

    assert run() == 1
    assert run() == 0
    assert run(timezone.now() + 2 * HOUR) == 0
    assert len(mailoutbox) == 1
    subscription = Subscription.objects.get()
    assert subscription.last_sent_at is not None


def test_nothing_new_sends_nothing_and_moves_the_mark(mailoutbox):
    subscription = follow("anna@example.org")
    StoryFactory(published_at=hours_ago(40))

    assert run() == 0
    assert not mailoutbox
    subscription.refresh_from_db()
    assert subscription.checked_up_to > hours_ago(1)
    assert subscription.last_sent_at is None


def test_daily_is_due_after_a_day_weekly_after_a_week(mailoutbox):
    daily = follow("daily@example.org", frequency="daily")
    weekly = follow("weekly@example.org", frequency="weekly")
    Subscription.objects.update(checked_up_to=hours_ago(3 * 24))
    StoryFactory(title="Two days ago", published_at=hours_ago(2 * 24))

    run()
    assert [message.to for message in mailoutbox] == [["daily@example.org"]]

    Subscription.objects.filter(pk=weekly.pk).update(checked_up_to=hours_ago(7 * 24))
    run()
    assert [message.to for message in mailoutbox][1:] == [["weekly@example.org"]]
    assert "Two days ago" in mailoutbox[1].body
    daily.refresh_from_db()
    assert daily.last_sent_at is not None


def test_the_digest_is_in_the_subscribers_language(mailoutbox):
    follow("lan@example.vn", language="vi")
    follow("anna@example.org", language="en")
    story = StoryFactory(title="Rangers share their maps", published_at=hours_ago(1))
    translation(story, "vi", title="Kiểm lâm chia sẻ bản đồ tuần tra")

    run()

    [vietnamese] = sent_to(mailoutbox, "lan@example.vn")
    assert "Kiểm lâm chia sẻ bản đồ tuần tra" in vietnamese.body
    assert "bài viết mới" in vietnamese.subject
    assert f"/vi/stories/{story.slug}/" in vietnamese.body
    assert "/vi/subscribe/unsubscribe/" in vietnamese.extra_headers["List-Unsubscribe"]
    [english] = sent_to(mailoutbox, "anna@example.org")
    assert "Rangers share their maps" in english.body
    assert "Kiểm lâm" not in english.body


def test_members_only_items_reach_active_members_only(mailoutbox, member):
    follow(member.email, user=member)
    gone = UserFactory(username="left", organization=member.organization, is_active=False)
    follow(gone.email, user=gone)
    follow("anna@example.org")
    StoryFactory(
        title="Steering committee minutes", visibility="members", published_at=hours_ago(1)
    )

    run()

    assert [message.to for message in mailoutbox] == [[member.email]]
    assert "Steering committee minutes" in mailoutbox[0].body


def test_a_saved_search_of_an_account_no_longer_a_member_sends_nothing(mailoutbox):
    user = UserFactory(username="former", organization=None)
    follow(user.email, "best-practices", user=user)
    BestPracticeFactory(published_at=hours_ago(1))

    assert run() == 0


def test_activities_follow_their_work_areas_and_countries_and_what_comes_soon(mailoutbox):
    subscription = follow("anna@example.org", "activities", frequency="weekly")
    Subscription.objects.update(checked_up_to=hours_ago(7 * 24 + 1))
    subscription.work_areas.add(work_area("transboundary-cooperation"))
    subscription.countries.add(country("VNM"), country("LAO"))
    today = timezone.localdate()
    transboundary = work_area("transboundary-cooperation")
    announced = ActivityFactory(
        title="Annamite transboundary dialogue",
        work_area=transboundary,
        country=country("LAO"),
        start_date=today + datetime.timedelta(days=60),
        status="planned",
    )
    soon = ActivityFactory(
        title="Exchange visit starting in three days",
        work_area=transboundary,
        country=country("THA"),
        start_date=today + datetime.timedelta(days=3),
        status="confirmed",
    )
    soon.participating_countries.add(country("VNM"))
    Activity = type(announced)
    Activity.objects.filter(pk=soon.pk).update(created_at=hours_ago(24 * 90))
    ActivityFactory(
        title="Elsewhere",
        work_area=transboundary,
        country=country("MNG"),
        start_date=today + datetime.timedelta(days=5),
    )
    ActivityFactory(
        title="Another work area",
        country=country("VNM"),
        start_date=today + datetime.timedelta(days=5),
    )
    ActivityFactory(
        title="Cancelled one",
        work_area=transboundary,
        country=country("VNM"),
        start_date=today + datetime.timedelta(days=5),
        status="cancelled",
    )
    ActivityFactory(
        title="Already over",
        work_area=transboundary,
        country=country("VNM"),
        start_date=today - datetime.timedelta(days=5),
    )

    run()

    [digest] = mailoutbox
    assert "2 upcoming activities" in digest.subject
    assert "Annamite transboundary dialogue" in digest.body
    assert "Exchange visit starting in three days" in digest.body
    for left_out in ("Elsewhere", "Another work area", "Cancelled one", "Already over"):
        assert left_out not in digest.body


def test_the_emails_links_manage_and_unsubscribe_that_address_only(client, mailoutbox):
    follow("anna@example.org")
    follow("anna@example.org", "activities")
    follow("other@example.org")
    StoryFactory(published_at=hours_ago(1))
    run()
    [digest] = sent_to(mailoutbox, "anna@example.org")

    manage = client.get(link_in(digest.body, "/subscribe/manage/"))
    assert manage.status_code == 200
    assert "New stories" in manage.text
    assert "Upcoming activities" in manage.text
    assert "other@example.org" not in manage.text
    unsubscribe = link_in(digest.body, "/subscribe/unsubscribe/")
    page = client.get(unsubscribe)
    assert page.status_code == 200
    assert Subscription.objects.count() == 3  # a GET (a mail scanner) unsubscribes nobody
    client.post(unsubscribe)
    assert list(Subscription.objects.values_list("subscriber__email", "kind").order_by("pk")) == [
        ("anna@example.org", "activities"),
        ("other@example.org", "stories"),
    ]


def test_a_link_of_an_erased_subscriber_no_longer_works(client):
    subscription = follow("anna@example.org")
    token = links.unsubscribe_token(subscription.subscriber, subscription)
    subscription.subscriber.delete()
    assert client.post(f"/subscribe/unsubscribe/{token}/").status_code == 400


def _subscribers(count: int, member) -> None:
    for number in range(count):
        follow(f"reader{number}@example.org", language="vi" if number % 2 else "en")
        follow(f"reader{number}@example.org", "activities")
        user = UserFactory(username=f"m{number}", organization=member.organization)
        follow(user.email, "best-practices", user=user, query=f"theme={MANGROVES}")


@pytest.mark.parametrize("count", [2, 12])
def test_a_runs_queries_do_not_grow_with_the_subscribers(
    count, member, mailoutbox, django_assert_num_queries
):
    """Intended to prevent one query per subscriber: the content is read once per group."""
    _subscribers(count, member)
    StoryFactory(published_at=hours_ago(1))
    practice = BestPracticeFactory(published_at=hours_ago(1))
    practice.themes.add(theme(MANGROVES))
    ActivityFactory(start_date=timezone.localdate() + datetime.timedelta(days=1))

    with CaptureQueriesContext(connection) as queries:
        sent = run()

    assert sent == 3 * count
    # The run's savepoint and its release; the lock; the oldest mark; the due subscriptions
    # with their subscribers, accounts and filters (one cursor); one query per group —
    # stories and activities in English and in Vietnamese, the members' saved search (and
    # its filter's theme); the emails stored in the outbox and their sending task enqueued
    # (one batch: OUTBOX_BATCH_SIZE); the marks moved and the sent ones stamped, one update
    # each.
    assert len(queries) == 15


def test_the_scheduler_runs_the_digests_on_the_worker(mailoutbox):
    [digests] = [
        periodic for periodic in periodic_tasks() if periodic.name == "send the due digests"
    ]
    follow("anna@example.org")
    StoryFactory(title="Rangers share their maps", published_at=hours_ago(1))

    digests.task.enqueue()

    [digest] = mailoutbox  # the worker ran the digests' task, then sent what it queued
    assert "Rangers share their maps" in digest.body


calls_installed = pytest.mark.skipif(
    not apps.is_installed("calls"), reason="the calls app (issue 19, point 3) is not installed"
)


@calls_installed
def test_calls_tell_of_new_calls_and_remind_of_deadlines_once(client, mailoutbox):
    call_model = apps.get_model("calls", "Call")
    now = timezone.now()

    def call(title, opens_at, deadline, status="published"):
        return call_model.objects.create(
            kind="nomination",
            title=title,
            slug=slugify(title),
            summary="Member agencies nominate their representative.",
            opens_at=opens_at,
            deadline=deadline,
            time_zone="Asia/Bangkok",
            status=status,
        )

    assert 'value="calls"' in client.get("/subscribe/").text
    follow("anna@example.org", "calls")  # checked up to 25 hours ago
    call("Opened this morning", now - 2 * HOUR, now + 30 * DAY)
    call("Closing in two days", now - 20 * DAY, now + 2 * DAY)
    call("Closing tomorrow, reminded yesterday", now - 20 * DAY, now + DAY)
    call("Closing in four days", now - 20 * DAY, now + 4 * DAY)
    call("Closed an hour ago", now - 20 * DAY, now - HOUR)
    call("A draft opened this morning", now - 2 * HOUR, now + 30 * DAY, status="draft")

    run()

    [digest] = mailoutbox
    assert "2 calls to members" in digest.subject
    assert "Opened this morning" in digest.body
    assert "Closing in two days" in digest.body
    assert "Asia/Bangkok" in digest.body  # the deadline in the call's own time zone
    for left_out in ("reminded yesterday", "four days", "Closed an hour ago", "A draft"):
        assert left_out not in digest.body
    assert "/calls/" in digest.body


def test_a_digest_rendered_once_for_many_carries_each_subscribers_own_links(mailoutbox):
    follow("anna@example.org")
    follow("lan@example.org")
    StoryFactory(title="Rangers share their maps", published_at=hours_ago(1))

    run()

    anna, lan = sorted(mailoutbox, key=lambda message: message.to)
    for message in (anna, lan):
        own = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert own in message.body
        assert own in message.alternatives[0][0]
        assert "@@" not in message.body
        assert "@@" not in message.alternatives[0][0]
    assert anna.extra_headers["List-Unsubscribe"] != lan.extra_headers["List-Unsubscribe"]
    assert link_in(anna.body, "/subscribe/manage/") != link_in(lan.body, "/subscribe/manage/")
