"""/subscribe/: double opt-in, the same answer for every address, throttled; signed links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from subscriptions import links
from subscriptions.models import Subscriber, Subscription
from tests.factories import country, work_area
from tests.subscriptions.conftest import link_in

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/subscribe/"


def _subscribe(client, email="anna@example.org", **data):
    return client.post(
        SUBSCRIBE, {"email": email, "kinds": ["stories"], "frequency": "daily", **data}
    )


def test_the_form_is_public_and_offers_what_to_follow(client):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    assert 'name="email"' in response.text
    assert 'value="stories"' in response.text
    assert 'value="activities"' in response.text
    # A saved library search is a member's, from the list itself: not offered here.
    assert 'value="best-practices"' not in response.text


def test_subscribing_sends_only_a_confirmation_and_subscribes_nothing_yet(client, mailoutbox):
    response = _subscribe(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:sent")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "anna@example.org"
    assert not subscriber.is_confirmed
    assert not Subscription.objects.exists()
    [email] = mailoutbox
    assert email.to == ["anna@example.org"]
    assert "/subscribe/confirm/" in email.body
    assert "http://testserver" not in email.body  # links on SITE_URL, not the request's host


def test_confirming_by_the_emailed_link_subscribes(client, mailoutbox, settings):
    settings.SITE_URL = "https://apap.example.org"
    areas = [work_area("transboundary-cooperation")]
    _subscribe(
        client,
        kinds=["stories", "activities"],
        frequency="weekly",
        work_areas=[area.pk for area in areas],
        countries=["VNM", "LAO"],
    )
    confirm = link_in(mailoutbox[0].body, "/subscribe/confirm/")
    assert "https://apap.example.org/subscribe/confirm/" in mailoutbox[0].body

    page = client.get(confirm)  # opening the link (or a mail scanner) changes nothing
    assert page.status_code == 200
    assert not Subscriber.objects.get().is_confirmed
    response = client.post(confirm)

    subscriber = Subscriber.objects.get()
    assert subscriber.is_confirmed
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "subscriptions:manage", kwargs={"token": links.manage_token(subscriber)}
    )
    activities, stories = subscriber.subscriptions.order_by("kind")
    assert (activities.kind, activities.frequency) == ("activities", "weekly")
    assert list(activities.work_areas.all()) == areas
    assert set(activities.countries.all()) == {country("VNM"), country("LAO")}
    assert stories.kind == "stories"
    assert not stories.countries.exists()


def test_the_same_address_again_gets_the_same_answer_and_no_duplicate(client, mailoutbox):
    first = _subscribe(client, email="Anna@Example.org")
    client.post(link_in(mailoutbox[0].body, "/subscribe/confirm/"))
    again = _subscribe(client, email="anna@example.org")
    client.post(link_in(mailoutbox[1].body, "/subscribe/confirm/"))

    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    assert Subscriber.objects.count() == 1
    assert Subscription.objects.count() == 1  # following the same thing again adds nothing


def test_an_address_gets_a_few_confirmations_an_hour_whoever_asks(client, mailoutbox, settings):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "subscribe-email": "2/h"}
    answers = [_subscribe(client).status_code for _ in range(5)]

    assert answers == [302] * 5  # the asker is not told
    assert len(mailoutbox) == 2


def test_one_connection_asking_too_often_is_told_and_keeps_what_it_typed(
    client, mailoutbox, settings
):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "subscribe": "3/h"}
    for number in range(3):
        _subscribe(client, email=f"visitor{number}@example.org")
    response = _subscribe(client, email="fourth@example.org")

    assert response.status_code == 429
    assert "Too many subscription requests" in response.text
    assert 'value="fourth@example.org"' in response.text
    assert len(mailoutbox) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address"}, "Enter an email address"),
        ({"email": ""}, "This field is required"),
        ({"kinds": []}, "Choose at least one thing to follow"),
        ({"kinds": ["best-practices"]}, "Select a valid choice"),
        ({"frequency": "hourly"}, "Select a valid choice"),
        ({"countries": ["XXX"]}, "Select a valid choice"),
        ({"email": "a" * 300 + "@example.org"}, "Ensure this value has at most"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, mailoutbox, data, message):
    typed = {"email": "anna@example.org", "kinds": ["stories"], "frequency": "weekly", **data}
    response = client.post(SUBSCRIBE, typed)

    assert response.status_code == 200
    assert message in response.text
    if typed["email"] and len(typed["email"]) < 100:
        assert f'value="{typed["email"]}"' in response.text
    assert not mailoutbox
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "name", ["subscriptions:confirm", "subscriptions:manage", "subscriptions:unsubscribe"]
)
def test_a_tampered_link_answers_400_with_a_clear_page(client, name):
    subscriber = Subscriber.objects.create(email="anna@example.org")
    token = links.manage_token(subscriber)
    if name == "subscriptions:unsubscribe":
        token = links.unsubscribe_token(subscriber)
    for bad in (token[:-2] + "xx", "nonsense", links.manage_token(subscriber) + "0"):
        response = client.get(reverse(name, kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This link does not work" in response.text


def test_one_kind_of_link_cannot_stand_for_another(client):
    subscriber = Subscriber.objects.create(email="anna@example.org", confirmed_at=timezone.now())
    Subscription.objects.create(subscriber=subscriber, kind="stories")
    manage = links.manage_token(subscriber)

    response = client.post(reverse("subscriptions:unsubscribe", kwargs={"token": manage}))

    assert response.status_code == 400
    assert subscriber.subscriptions.count() == 1


def test_an_expired_confirmation_is_refused(client, monkeypatch):
    token = links.confirmation_token(links.Request("anna@example.org", ("stories",), "daily"))
    monkeypatch.setattr(links, "CONFIRMATION_VALID_FOR", datetime.timedelta(seconds=-1))
    response = client.post(reverse("subscriptions:confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


GARBAGE = ["\x00", "x" * 10_000, "-1", "1e309", "<script>alert(1)</script>", "'; DROP TABLE--"]


@pytest.mark.parametrize("value", GARBAGE, ids=lambda value: repr(value[:8]))
def test_garbage_in_every_field_is_refused_with_a_message_never_a_500(client, value):
    for field in ("email", "kinds", "frequency", "work_areas", "countries"):
        typed = {"email": "anna@example.org", "kinds": ["stories"], "frequency": "weekly"}
        response = client.post(SUBSCRIBE, {**typed, field: value})
        assert response.status_code == 200, (field, response.status_code)
        assert "field__error" in response.text
        assert "<script>alert(1)</script>" not in response.text
    repeated = client.post(f"{SUBSCRIBE}?email=a&email=b", {"frequency": ["daily", "weekly"]})
    assert repeated.status_code == 200
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("value", ["%00", "x" * 5000, ".e30:", "W10:1:2"])
def test_garbage_links_answer_400(client, value):
    for url in (
        f"/subscribe/confirm/{value}/",
        f"/subscribe/manage/{value}/",
        f"/subscribe/manage/{value}/delete/",
        f"/subscribe/unsubscribe/{value}/",
    ):
        response = client.get(url)
        assert response.status_code == 400, (url, response.status_code)
        assert "This link does not work" in response.text


def test_subscribing_in_vietnamese_confirms_and_reads_in_vietnamese(client, mailoutbox):
    client.post(
        "/vi/subscribe/", {"email": "lan@example.vn", "kinds": ["stories"], "frequency": "daily"}
    )
    [confirmation] = mailoutbox
    assert confirmation.subject == "Xác nhận đăng ký nhận tin của APAP"
    confirm = link_in(confirmation.body, "/subscribe/confirm/")
    assert confirm.startswith("/vi/subscribe/confirm/")

    client.post(confirm)

    assert Subscriber.objects.get().language == "vi"


def test_my_apap_links_to_my_subscriptions(member_client):
    assert reverse("subscriptions:mine") in member_client.get("/my/").text


def test_addresses_never_confirmed_are_deleted_once_their_link_expired(
    client, mailoutbox, member, run_worker
):
    """The privacy page's promise, run as the scheduler runs it: through the worker."""
    from subscriptions.tasks import forget_unconfirmed

    _subscribe(client, email="late@example.org")
    _subscribe(client, email="fresh@example.org")
    _subscribe(client, email="confirmed@example.org")
    client.post(link_in(mailoutbox[2].body, "/subscribe/confirm/"))
    Subscriber.objects.create(email=member.email, user=member)  # signed in: no link
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    Subscriber.objects.exclude(email="fresh@example.org").update(created_at=eight_days_ago)

    result = forget_unconfirmed.enqueue()
    run_worker()

    result.refresh()
    assert result.return_value == 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "fresh@example.org",
        "confirmed@example.org",
        member.email,
    }


def test_a_link_asked_for_again_still_confirms_after_the_old_record_was_deleted(client, mailoutbox):
    """Asking again keeps the first record's date; if it is deleted before the new link
    is used, confirming stores the address again."""
    from subscriptions.tasks import forget_unconfirmed

    _subscribe(client)
    Subscriber.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    _subscribe(client)  # a week later, asked again: a new link
    forget_unconfirmed.call()
    assert not Subscriber.objects.exists()

    client.post(link_in(mailoutbox[-1].body, "/subscribe/confirm/"))

    assert Subscriber.objects.get().is_confirmed
    assert Subscriber.objects.get().subscriptions.get().kind == "stories"
