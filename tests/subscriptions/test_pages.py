"""/my/subscriptions/ and "Follow this search" for members; managing and erasing by link;
the secretariat's admin; the privacy functions."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apap_portal import personal_data
from subscriptions import links, privacy
from subscriptions.models import Subscriber, Subscription
from tests.factories import UserFactory, work_area

pytestmark = pytest.mark.django_db

MINE = "/my/subscriptions/"
FOLLOW = "/my/subscriptions/follow/"


def _subscriber(email="anna@example.org", kinds=("stories",), **fields) -> Subscriber:
    subscriber = Subscriber.objects.create(email=email, confirmed_at=timezone.now(), **fields)
    for kind in kinds:
        Subscription.objects.create(subscriber=subscriber, kind=kind)
    return subscriber


# Signed in


def test_anna_is_asked_to_sign_in(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.post(FOLLOW, {"kind": "best-practices"}).status_code == 302
    assert not Subscriber.objects.exists()


def test_minh_follows_with_his_accounts_address_confirmed(member, member_client):
    response = member_client.post(
        MINE,
        {
            "kinds": ["activities"],
            "frequency": "daily",
            "work_areas": [work_area().pk],
            "countries": ["VNM"],
        },
    )

    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.user == member
    assert subscriber.email == member.email
    assert subscriber.is_confirmed
    subscription = subscriber.subscriptions.get()
    assert subscription.kind == "activities"
    page = member_client.get(MINE)
    assert "Upcoming activities" in page.text
    assert "Viet Nam" in page.text


def test_an_address_that_subscribed_before_signing_up_becomes_the_members(member, member_client):
    earlier = _subscriber(email=member.email.upper())
    member_client.get(MINE)
    earlier.refresh_from_db()
    assert earlier.user == member
    assert Subscriber.objects.count() == 1


def test_bad_input_on_the_members_form_is_explained_and_kept(member_client):
    response = member_client.post(MINE, {"kinds": [], "frequency": "daily", "countries": ["XXX"]})
    assert response.status_code == 400
    assert "Choose at least one thing to follow" in response.text
    assert "Select a valid choice" in response.text
    assert 'value="daily" required id="id_frequency_0" checked' in response.text
    assert not Subscription.objects.exists()


def test_minh_stops_his_own_subscription_not_oyunas(
    member, member_client, other_member, other_member_client
):
    member_client.get(MINE)
    other_member_client.get(MINE)
    his = Subscription.objects.create(subscriber=member.subscriber, kind="stories")
    hers = Subscription.objects.create(subscriber=other_member.subscriber, kind="stories")

    assert member_client.post(reverse("subscriptions:stop", args=[hers.pk])).status_code == 404
    assert member_client.post(reverse("subscriptions:stop", args=[his.pk])).status_code == 302
    assert list(Subscription.objects.all()) == [hers]


def test_an_account_without_an_address_is_told(client):
    user = UserFactory(username="noemail", email="")
    client.force_login(user)
    response = client.get(MINE)
    assert response.status_code == 400
    assert "Your account has no email address" in response.text


@pytest.mark.parametrize("rows", [1, 8])
def test_my_subscriptions_query_count_does_not_grow(
    member, member_client, rows, django_assert_num_queries
):
    """Intended to prevent an n+1 issue: each subscription's filters are prefetched."""
    member_client.get(MINE)
    for number in range(rows):
        subscription = Subscription.objects.create(
            subscriber=member.subscriber, kind="activities", query=f"q=n{number}"
        )
        subscription.work_areas.add(work_area())
    # the request's savepoint and its release; session, user; the subscriber, locked in a
    # savepoint of its own; the subscriptions, their work areas, their countries; the form's
    # work areas and countries
    with django_assert_num_queries(12):
        assert member_client.get(MINE).status_code == 200


# Following a library search


def test_the_list_offers_members_to_follow_its_search(client, member_client, editor_client):
    url = "/knowledge/best-practices/?theme=ecological-restoration&q=mangrove"
    assert "Follow this search" in member_client.get(url).text
    assert "Follow this search" in editor_client.get(url).text
    assert "Follow this search" not in client.get(url).text
    page = member_client.get("/knowledge/resources/?kind=guideline")
    assert 'name="query" value="kind=guideline"' in page.text


def test_minh_follows_a_resources_search(member, member_client):
    response = member_client.post(
        FOLLOW, {"kind": "resources", "query": "kind=study&format=csv&q=fees"}, follow=True
    )
    assert "You follow this search" in response.text
    saved = Subscription.objects.get()
    assert (saved.kind, saved.query, saved.frequency) == (
        "resources",
        "kind=study&q=fees",
        "weekly",
    )
    assert saved.subscriber.user == member


def test_a_signed_in_user_who_is_no_member_saves_no_search(client):
    client.force_login(UserFactory(username="visitor", organization=None))
    response = client.post(FOLLOW, {"kind": "best-practices", "query": "q=fees"}, follow=True)
    assert "Saved searches are for members of APAP." in response.text
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"query": "theme=no-such-theme"}, "a filter the list no longer offers"),
        ({"query": "q=" + "x" * 1000}, "too long to follow"),
        ({"kind": "stories"}, "Select a valid choice"),
        ({"frequency": "hourly"}, "Select a valid choice"),
    ],
)
def test_a_search_that_cannot_be_followed_is_explained(member_client, data, message):
    typed = {"kind": "best-practices", "query": "", "frequency": "weekly", **data}
    response = member_client.post(FOLLOW, typed, follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert not Subscription.objects.exists()


# Managing by link, and erasing


@pytest.mark.parametrize("rows", [1, 8])
def test_the_manage_page_query_count_does_not_grow(client, rows, django_assert_num_queries):
    """Intended to prevent an n+1 issue."""
    subscriber = _subscriber(kinds=["stories"] * rows)
    url = reverse("subscriptions:manage", kwargs={"token": links.manage_token(subscriber)})
    # the subscriber; its subscriptions, their work areas, their countries (in a savepoint)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_unsubscribe_from_everything_by_link(client):
    subscriber = _subscriber(kinds=["stories", "activities"])
    url = reverse(
        "subscriptions:unsubscribe", kwargs={"token": links.unsubscribe_token(subscriber)}
    )
    assert "Stop every digest" in client.get(url).text
    assert subscriber.subscriptions.count() == 2
    assert "No more digests" in client.post(url).text
    assert not subscriber.subscriptions.exists()


def test_a_subscriber_deletes_their_data_after_a_confirmation(client):
    subscriber = _subscriber(kinds=["stories", "activities"])
    _subscriber(email="other@example.org")
    token = links.manage_token(subscriber)
    url = reverse("subscriptions:delete", kwargs={"token": token})

    page = client.get(url)
    assert page.status_code == 200
    assert "anna@example.org" in page.text
    assert Subscriber.objects.count() == 2  # asking is not deleting
    done = client.post(url)

    assert "Your data is deleted" in done.text
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["other@example.org"]
    assert Subscription.objects.count() == 1
    gone = client.get(reverse("subscriptions:manage", kwargs={"token": token}))
    assert gone.status_code == 400


def test_privacy_export_and_erase_of_one_address():
    subscriber = _subscriber(kinds=["activities"])
    subscriber.subscriptions.get().work_areas.add(work_area())
    _subscriber(email="other@example.org")

    data = privacy.personal_data("ANNA@example.org")

    [record] = data["subscribers"]
    assert record["email"] == "anna@example.org"
    assert record["subscriptions"][0]["kind"] == "activities"
    assert record["subscriptions"][0]["work_areas"] == ["knowledge-capacity"]
    assert privacy.personal_data("nobody@example.org") == {}
    assert privacy.erase("Anna@Example.org") == 3  # subscriber, subscription, its work area
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["other@example.org"]


def test_the_secretariats_export_and_erasure_include_subscriptions():
    _subscriber(kinds=["stories"])
    assert personal_data.export("anna@example.org")["subscriptions"]["subscribers"][0][
        "subscriptions"
    ] == [
        {
            "kind": "stories",
            "frequency": "weekly",
            "saved_search": "",
            "work_areas": [],
            "countries": [],
            "created_at": Subscription.objects.get().created_at.isoformat(),
            "last_sent_at": None,
        }
    ]
    assert personal_data.erase("anna@example.org", by="mark")["subscriptions"] == 2
    assert not Subscriber.objects.exists()


# The secretariat's admin


@pytest.mark.parametrize("model", [Subscriber, Subscription], ids=lambda m: m._meta.model_name)
def test_admin_changelist_search_and_add_pages_load(admin_client, model):
    _subscriber(kinds=["stories", "activities"])
    name = f"admin:subscriptions_{model._meta.model_name}"
    assert admin_client.get(reverse(f"{name}_changelist")).status_code == 200
    found = admin_client.get(reverse(f"{name}_changelist"), {"q": "anna"})
    assert "anna@example.org" in found.text
    assert admin_client.get(reverse(f"{name}_add")).status_code == 200


def test_admin_filters_subscribers_by_confirmation(admin_client):
    _subscriber(email="confirmed@example.org")
    Subscriber.objects.create(email="waiting@example.org")
    url = reverse("admin:subscriptions_subscriber_changelist")
    waiting = admin_client.get(url, {"confirmed": "no"}).text
    assert "waiting@example.org" in waiting
    assert "confirmed@example.org" not in waiting
    subscriber = Subscriber.objects.get(email="confirmed@example.org")
    change = admin_client.get(
        reverse("admin:subscriptions_subscriber_change", args=[subscriber.pk])
    )
    assert "New stories" in change.text  # its subscriptions inline


def test_the_privacy_page_says_what_subscriptions_hold(client):
    assert "Until the address is confirmed" in client.get("/privacy/").text
    assert "Cho đến khi địa chỉ được xác nhận" in client.get("/vi/privacy/").text


def test_a_member_whose_address_changed_takes_over_what_it_followed(member, member_client):
    member_client.get(MINE)
    Subscription.objects.create(subscriber=member.subscriber, kind="stories")
    _subscriber(email="minh.new@agency.example", kinds=["activities"])
    member.email = "Minh.New@agency.example"
    member.save()

    page = member_client.get(MINE)

    assert page.status_code == 200
    subscriber = Subscriber.objects.get()
    assert (subscriber.user, subscriber.email) == (member, "Minh.New@agency.example")
    assert sorted(subscriber.subscriptions.values_list("kind", flat=True)) == [
        "activities",
        "stories",
    ]
