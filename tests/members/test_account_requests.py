"""Account requests: someone at an agency asks; the secretariat approves or declines."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from members.models import AccountRequest, Organization, User
from members.services import (
    AccountRequestRefused,
    account_request_approve,
    account_request_decline,
)
from tests.factories import MemberOrganizationFactory, UserFactory, country

pytestmark = pytest.mark.django_db

REQUEST_URL = "/accounts/request/"
RECEIVED_URL = "/accounts/request/received/"
CHANGELIST_URL = "/admin/members/accountrequest/"
BASE_URL = "http://testserver/"


def _form(**overrides) -> dict:
    data = {
        "name": "Nguyễn Thị Lan",
        "email": "lan@vnforest.gov.vn",
        "organization": "",
        "new_organization_name": "",
        "new_organization_country": "",
        "role": "Protected-area officer",
        "message": "",
    }
    return {**data, **overrides}


def _pending(organization=None, **values) -> AccountRequest:
    fields = {
        "name": "Lan",
        "email": "lan@vnforest.gov.vn",
        "role": "Officer",
        "organization": organization,
        **values,
    }
    return AccountRequest.objects.create(**fields)


# The form


def test_a_request_is_recorded_and_the_secretariat_is_told_through_the_outbox(
    client, member_org, settings, run_worker
):
    settings.SECRETARIAT_EMAIL = "secretariat@apap.example"
    response = client.post(REQUEST_URL, _form(organization=member_org.pk, message="Hello"))

    assert response.status_code == 302
    assert response["Location"] == RECEIVED_URL
    request = AccountRequest.objects.get()
    assert (request.organization, request.status) == (member_org, "pending")
    assert not User.objects.filter(email="lan@vnforest.gov.vn").exists()
    run_worker()
    (notice,) = mail.outbox
    assert notice.to == ["secretariat@apap.example"]
    assert "Nguyễn Thị Lan" in notice.body
    assert f"/admin/members/accountrequest/{request.pk}/change/" in notice.body


def test_a_new_organization_is_named_with_its_country(client):
    response = client.post(
        REQUEST_URL,
        _form(
            new_organization_name="  Cat Tien   National Park ",
            new_organization_country=country("VNM").pk,
        ),
    )
    assert response.status_code == 302
    request = AccountRequest.objects.get()
    assert request.organization is None
    assert request.new_organization_name == "Cat Tien National Park"
    assert not Organization.objects.filter(name="Cat Tien National Park").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        ({"name": ""}, "name", "This field is required."),
        ({}, "organization", "Choose your organization in the list"),
        ({"new_organization_name": "Park"}, "new_organization_country", "Choose the country"),
        ({"organization": "99999999"}, "organization", "Select a valid choice"),
        ({"organization": "1e309"}, "organization", "Select a valid choice"),
        ({"message": "x" * 2001}, "message", "at most 2000 characters"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, overrides, field, message):
    response = client.post(REQUEST_URL, _form(role="Ranger, Cúc Phương", **overrides))

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "Ranger, Cúc Phương" in response.text
    assert not AccountRequest.objects.exists()


def test_choosing_an_organization_and_naming_one_is_refused(client, member_org):
    response = client.post(
        REQUEST_URL,
        _form(
            organization=member_org.pk,
            new_organization_name="Other",
            new_organization_country=country("VNM").pk,
        ),
    )
    assert "not both" in str(response.context["form"].errors["new_organization_name"])


def _answer(client, **overrides):
    response = client.post(REQUEST_URL, _form(**overrides), follow=True)
    return response.redirect_chain, response.text


def test_known_pending_and_unknown_addresses_get_the_same_answer(client, member_org, run_worker):
    UserFactory(username="known", email="known@vnforest.gov.vn", organization=member_org)
    _pending(member_org, email="waiting@vnforest.gov.vn")

    unknown = _answer(client, organization=member_org.pk, email="new@vnforest.gov.vn")
    known = _answer(client, organization=member_org.pk, email="KNOWN@vnforest.gov.vn")
    waiting = _answer(client, organization=member_org.pk, email="waiting@vnforest.gov.vn")

    assert unknown == known == waiting
    assert "Your request was received" in unknown[1]
    # A second request from a waiting address is not recorded twice.
    assert AccountRequest.objects.filter(email="waiting@vnforest.gov.vn").count() == 1


def test_requests_are_throttled_per_address_with_the_same_answer(
    client, member_org, settings, run_worker
):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "account-request": "2/h"}
    answers = [
        _answer(client, organization=member_org.pk, email=f"person{n}@vnforest.gov.vn")
        for n in range(4)
    ]

    assert all(answer == answers[0] for answer in answers)
    assert AccountRequest.objects.count() == 2
    run_worker()
    assert len(mail.outbox) == 2


def test_requests_are_throttled_per_email_address(client, member_org, settings):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "account-request-email": "1/d"}
    _answer(client, organization=member_org.pk, email="lan@vnforest.gov.vn")
    AccountRequest.objects.update(status="declined")  # not pending any more: only the limit holds
    _answer(client, organization=member_org.pk, email="LAN@vnforest.gov.vn")

    assert AccountRequest.objects.count() == 1


def test_the_page_links_from_sign_in_and_about(client):
    assert REQUEST_URL in client.get("/accounts/login/").text
    assert REQUEST_URL in client.get("/about/").text
    assert client.get(REQUEST_URL).status_code == 200
    assert client.get("/vi" + REQUEST_URL).status_code == 200


def test_a_signed_in_member_is_not_asked_to_request_an_account(member_client):
    response = member_client.get(REQUEST_URL)
    assert response.status_code == 200
    assert "form" not in response.context


def test_the_form_page_queries_do_not_grow_with_organizations(client, django_assert_num_queries):
    """The organizations' list is one query, whatever its length."""
    MemberOrganizationFactory.create_batch(3)
    with django_assert_num_queries(4) as few:
        client.get(REQUEST_URL)
    MemberOrganizationFactory.create_batch(40)
    # Savepoint, organizations, countries, release.
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(REQUEST_URL)


# Approving and declining


def _set_password_link(body: str) -> str:
    return re.search(r"http://testserver(/accounts/password-reset/\S+/)", body).group(1)


def test_approved_in_the_admin_the_set_password_email_arrives_through_the_worker(
    client, manager_client, member_org, run_worker
):
    request = _pending(member_org, name="Lan Nguyen", email="Lan@VNForest.gov.vn")

    response = manager_client.post(
        CHANGELIST_URL,
        {"action": "approve_selected", "_selected_action": [request.pk]},
        follow=True,
    )

    assert "1 request approved" in response.text
    user = User.objects.get(email="Lan@VNForest.gov.vn")
    assert user.organization == member_org
    assert user.is_member
    assert not user.is_staff
    assert not user.has_usable_password()
    request.refresh_from_db()
    assert (request.status, request.user) == ("approved", user)
    run_worker()
    (email,) = [m for m in mail.outbox if m.to == ["Lan@VNForest.gov.vn"]]
    # The link works: the person chooses a password, then signs in with it.
    page = client.get(_set_password_link(email.body), follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url,
        {"new_password1": "a quiet forest at dawn", "new_password2": "a quiet forest at dawn"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        "/accounts/login/", {"username": user.username, "password": "a quiet forest at dawn"}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/my/"


def test_approving_twice_makes_one_account(manager):
    request = _pending(
        None,
        new_organization_name="Cat Tien National Park",
        new_organization_country=country("VNM"),
    )
    first = account_request_approve(request, manager, base_url=BASE_URL)
    second = account_request_approve(request, manager, base_url=BASE_URL)

    assert first == second
    assert User.objects.filter(email="lan@vnforest.gov.vn").count() == 1
    organization = Organization.objects.get(name="Cat Tien National Park")
    assert (organization.country.iso3, first.organization) == ("VNM", organization)


def test_an_address_with_an_account_gets_no_second_one(manager_client, member_org):
    UserFactory(username="lan", email="LAN@vnforest.gov.vn")
    request = _pending(member_org)

    response = manager_client.post(
        CHANGELIST_URL,
        {"action": "approve_selected", "_selected_action": [request.pk]},
        follow=True,
    )

    assert "already has an account" in response.text
    assert User.objects.filter(email__iexact="lan@vnforest.gov.vn").count() == 1
    request.refresh_from_db()
    assert request.status == "pending"


def test_staff_correct_a_new_organization_before_approving(manager_client, manager):
    request = _pending(
        None, new_organization_name="Cat Tien NP", new_organization_country=country("VNM")
    )
    change_url = f"{CHANGELIST_URL}{request.pk}/change/"
    page = manager_client.get(change_url)
    assert "Approve this request" in page.text  # the button on the change page

    request.new_organization_name = "Cát Tiên National Park"
    request.save()
    account_request_approve(request, manager, base_url=BASE_URL)

    assert Organization.objects.filter(name="Cát Tiên National Park").exists()
    assert not Organization.objects.filter(name="Cat Tien NP").exists()


def test_a_declined_request_leaves_no_account_and_is_told_politely(
    manager_client, member_org, run_worker
):
    request = _pending(member_org, decline_reason="Please ask your director to write to us.")

    response = manager_client.post(
        CHANGELIST_URL,
        {"action": "decline_selected", "_selected_action": [request.pk]},
        follow=True,
    )

    assert "1 request declined" in response.text
    assert not User.objects.filter(email="lan@vnforest.gov.vn").exists()
    request.refresh_from_db()
    assert request.status == "declined"
    run_worker()
    (note,) = mail.outbox
    assert note.to == ["lan@vnforest.gov.vn"]
    assert "Please ask your director to write to us." in note.body
    # Declined stays declined: approving later is refused, and makes nothing.
    with pytest.raises(AccountRequestRefused):
        account_request_approve(request, UserFactory(), base_url=BASE_URL)
    assert not account_request_decline(request, UserFactory())
    assert not User.objects.filter(email="lan@vnforest.gov.vn").exists()


def test_a_rolled_back_approval_sends_nothing(manager, member_org, run_worker, monkeypatch):
    request = _pending(member_org)
    monkeypatch.setattr("members.services._unique_username", lambda email: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        account_request_approve(request, manager, base_url=BASE_URL)
    run_worker()
    assert mail.outbox == []
    assert not User.objects.filter(email="lan@vnforest.gov.vn").exists()


# Who may do what


def test_editors_read_requests_but_do_not_decide(editor_client, member_org):
    request = _pending(member_org)
    assert editor_client.get(CHANGELIST_URL).status_code == 200
    editor_client.post(
        CHANGELIST_URL, {"action": "approve_selected", "_selected_action": [request.pk]}
    )
    request.refresh_from_db()
    assert request.status == "pending"
    assert not User.objects.filter(email="lan@vnforest.gov.vn").exists()


@pytest.mark.parametrize("persona", ["client", "member_client"])
def test_the_public_and_members_cannot_open_the_requests(request, persona):
    response = request.getfixturevalue(persona).get(CHANGELIST_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_changelist_search_and_filters(manager_client, member_org):
    _pending(member_org, name="Lan")
    _pending(
        None,
        name="Bat",
        email="bat@mn.example",
        new_organization_name="Khan Khentii",
        status="declined",
    )
    assert "Lan" in manager_client.get(CHANGELIST_URL, {"q": "vnforest"}).text
    assert "Khan Khentii" in manager_client.get(CHANGELIST_URL, {"status__exact": "declined"}).text
    assert manager_client.get(f"{CHANGELIST_URL}add/").status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_admin_changelist_query_count_does_not_grow(
    manager_client, member_org, django_assert_num_queries, rows
):
    for n in range(rows):
        _pending(member_org, email=f"p{n}@vnforest.gov.vn")
    # Savepoints of the request and of the view (and their releases), session, user, the
    # permissions (own and from groups), the countries of the two country filters, the
    # counts (filtered and all), the rows with their organization, country and reviewer,
    # and the date hierarchy's range and days: 15, however many rows.
    with django_assert_num_queries(15):
        response = manager_client.get(CHANGELIST_URL)
    assert response.status_code == 200


def test_the_admin_home_reaches_the_requests(manager_client):
    assert reverse("admin:members_accountrequest_changelist") in manager_client.get("/admin/").text


def test_the_admin_home_says_how_many_requests_wait(manager_client, member_org):
    _pending(member_org)
    _pending(member_org, email="other@vnforest.gov.vn", status="declined")
    text = manager_client.get("/admin/").text
    assert "1 account request waits for a decision" in text
    assert "/admin/members/accountrequest/?status__exact=pending" in text


def _change_page_post(request, action: str, **fields) -> dict:
    """What the request's page posts when one of its buttons is pressed."""
    data = {
        "name": request.name,
        "email": request.email,
        "role": request.role,
        "message": request.message,
        "organization": request.organization_id or "",
        "new_organization_name": request.new_organization_name,
        "new_organization_kind": request.new_organization_kind,
        "new_organization_country": request.new_organization_country_id or "",
        "decline_reason": "",
        "CHANGE_FORM-action": action,
        "_selected_action": str(request.pk),
        **fields,
    }
    return data


def test_the_pages_buttons_keep_what_staff_typed_there(manager_client, run_worker):
    request = _pending(
        None, new_organization_name="Cat Tien NP", new_organization_country=country("VNM")
    )
    url = f"{CHANGELIST_URL}{request.pk}/change/"

    manager_client.post(
        url,
        _change_page_post(
            request, "approve_selected", new_organization_name="Cát Tiên National Park"
        ),
    )

    user = User.objects.get(email="lan@vnforest.gov.vn")
    assert user.organization.name == "Cát Tiên National Park"


def test_a_reason_typed_on_the_page_goes_with_the_decline(manager_client, member_org, run_worker):
    request = _pending(member_org)
    url = f"{CHANGELIST_URL}{request.pk}/change/"

    manager_client.post(
        url,
        _change_page_post(
            request, "decline_selected", decline_reason="We only open accounts for agencies."
        ),
    )

    request.refresh_from_db()
    assert request.status == "declined"
    run_worker()
    assert "We only open accounts for agencies." in mail.outbox[0].body


def test_a_page_with_bad_corrections_does_nothing_and_says_why(manager_client):
    request = _pending(
        None, new_organization_name="Cat Tien NP", new_organization_country=country("VNM")
    )
    response = manager_client.post(
        f"{CHANGELIST_URL}{request.pk}/change/",
        _change_page_post(request, "approve_selected", email="not an address"),
        follow=True,
    )
    assert "Nothing was done" in response.text
    request.refresh_from_db()
    assert request.status == "pending"
    assert request.user is None
    assert not Organization.objects.filter(name="Cat Tien NP").exists()
