"""Signing in: throttling, passwords, password reset by email, and safe redirects.

Minh (member) signs in from his office; an attacker guesses passwords, from one
address or pretending to be many.
"""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.utils import timezone

from apap_portal.signin import client_ip_address
from tests.factories import UserFactory
from tests.portal.test_settings import manage

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password-reset/"
PASSWORD = "a long passphrase for tests"  # tests/factories.py
OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username="minh", password=PASSWORD, address=OFFICE, **extra):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail_times(client, times: int, username="minh", address=OFFICE, **extra):
    return [sign_in(client, username, "not the password", address, **extra) for _ in range(times)]


# Throttling (django-axes)


def test_a_wrong_password_shows_the_form_again(client, member):
    response = sign_in(client, password="not the password")

    assert response.status_code == 200
    assert "form" in response.context
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_out_from_that_address(client, member):
    *first_four, fifth = fail_times(client, 5)

    assert [response.status_code for response in first_four] == [200] * 4
    assert fifth.status_code == 429
    # Even the right password is refused while locked out.
    right = sign_in(client)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_friendly_and_in_the_sites_layout(client, member):
    fail_times(client, 5)

    response = sign_in(client)

    assert response.status_code == 429
    text = response.text
    assert '<main id="main"' in text
    assert "Too many failed sign-ins" in text
    assert "Try again in 15 minutes." in text
    assert 'href="/accounts/password-reset/"' in text


def test_the_lockout_holds_for_that_username_and_address_only(client, member, other_member):
    fail_times(client, 5)

    # Minh at home, and Oyuna in Minh's office, still sign in.
    assert sign_in(client, address=ELSEWHERE).status_code == 302
    client.logout()
    assert sign_in(client, username="oyuna").status_code == 302


def test_after_fifteen_minutes_signing_in_works_again(client, member):
    fail_times(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert sign_in(client).status_code == 302


def test_a_successful_sign_in_forgets_the_earlier_failures(client, member):
    fail_times(client, 4)
    assert sign_in(client).status_code == 302
    client.logout()

    responses = fail_times(client, 4)

    assert [response.status_code for response in responses] == [200] * 4


def test_the_admin_sign_in_is_throttled_too(client, editor):
    responses = [
        client.post(
            "/admin/login/",
            {"username": "emma", "password": "not the password"},
            REMOTE_ADDR=OFFICE,
        )
        for _ in range(5)
    ]

    assert responses[-1].status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, member):
    """No proxy is trusted: each guess claims another address, all come from one."""
    for number in range(5):
        sign_in(client, password="wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    assert sign_in(client, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_the_trusted_proxy_each_client_is_throttled_on_its_own(client, member):
    fail_times(client, 5, address="10.0.0.2", HTTP_X_FORWARDED_FOR=OFFICE)

    locked = sign_in(client, address="10.0.0.2", HTTP_X_FORWARDED_FOR=OFFICE)
    other_client = sign_in(client, address="10.0.0.2", HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert locked.status_code == 429
    assert other_client.status_code == 302


# The client's address


def request_from(remote_addr: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post(LOGIN_URL, **headers)


@pytest.mark.parametrize(
    ("trusted", "remote_addr", "forwarded_for", "client"),
    [
        # No proxy configured: the header is anybody's say-so.
        ([], OFFICE, "192.0.2.1", OFFICE),
        # Not from the proxy: the same.
        (["10.0.0.2"], OFFICE, "192.0.2.1", OFFICE),
        # From the proxy: the address it added, the right-most.
        (["10.0.0.2"], "10.0.0.2", OFFICE, OFFICE),
        (["10.0.0.2"], "10.0.0.2", f"192.0.2.1, {OFFICE}", OFFICE),
        # Through two trusted proxies (a network): the first address that is not one.
        (["10.0.0.0/8"], "10.0.0.2", f"192.0.2.1, {OFFICE}, 10.1.2.3", OFFICE),
        (["10.0.0.0/8"], "10.0.0.2", f"{OFFICE},10.1.2.3, ", OFFICE),
        # IPv6
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::1, 2a00:1450::5", "2a00:1450::5"),
        # Only proxies, no header, or garbage: the proxy itself.
        (["10.0.0.0/8"], "10.0.0.2", "10.9.9.9", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", None, "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "<script>, unknown", "10.0.0.2"),
    ],
)
def test_the_client_address_trusts_forwarded_for_only_from_trusted_proxies(
    settings, trusted, remote_addr, forwarded_for, client
):
    settings.TRUSTED_PROXIES = trusted

    assert client_ip_address(request_from(remote_addr, forwarded_for)) == client


def test_a_trusted_proxy_that_is_not_an_address_refuses_to_start():
    result = manage("check", DJANGO_TRUSTED_PROXIES="10.0.0.0/8,proxy.example.org")

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: 'proxy.example.org' is not an IP address" in result.stderr


# Passwords (OWASP ASVS level 1: length, not common, no composition rules)

ACCEPTED = [
    "correct horse battery staple",
    "rừng ngập mặn Cần Giờ xanh tươi",  # any characters, Vietnamese included
    "only lowercase letters here",  # no composition rules
    "83920174659183",  # digits only, but long and not common
    "a passphrase of many words " * 4,  # 108 characters, spaces and all
]
REFUSED = {
    "seven c": "too short",
    "password": "too common",
    "12345678": "too common",
    "minh.nguyen": "too similar to the username",
}


@pytest.mark.parametrize("password", ACCEPTED)
def test_long_passphrases_and_any_characters_are_accepted(member, password):
    password_validation.validate_password(password, member)


@pytest.mark.parametrize("password", REFUSED)
def test_short_common_or_personal_passwords_are_refused(member, password):
    member.first_name, member.last_name = "Minh", "Nguyen"
    member.username = "minh.nguyen"

    with pytest.raises(ValidationError):
        password_validation.validate_password(password, member)


@pytest.mark.parametrize("password", ACCEPTED)
def test_the_password_change_form_takes_passphrases(member, password):
    form = PasswordChangeForm(
        member,
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("password", ["seven c", "password"])
def test_the_password_change_form_refuses_weak_passwords(member, password):
    form = PasswordChangeForm(
        member,
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert not form.is_valid()
    assert "new_password2" in form.errors


def test_a_member_changes_his_password_on_its_page(client, member_client, member):
    new = "mangroves protect the coast"

    page = member_client.get("/accounts/password-change/")
    response = member_client.post(
        "/accounts/password-change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-change/done/"
    assert sign_in(client, password=new).status_code == 302


def test_a_refused_password_change_says_why(member_client):
    response = member_client.post(
        "/accounts/password-change/",
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )

    assert response.status_code == 200
    assert "This password is too common." in response.text


# Password reset by email


def without_csrf_token(html: str) -> str:
    """The page as it would read to anyone: each response masks its token differently."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def reset_link(email) -> str:
    match = re.search(r"https?://testserver(/\S+/)", email.body)
    assert match, email.body
    return match[1]


def test_the_sign_in_page_links_to_the_password_reset(client):
    assert f'href="{RESET_URL}"' in client.get(LOGIN_URL).text


def test_a_reset_link_arrives_by_email_and_works_once(client, member, mailoutbox):
    response = client.post(RESET_URL, {"email": member.email})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [member.email]
    assert "Choose a new password" in email.subject
    assert "minh" in email.body

    link = reset_link(email)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    new = "a new passphrase for the forest"
    saved = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert saved.status_code == 302
    assert saved["Location"] == "/accounts/password-reset/complete/"
    assert sign_in(client, password=new).status_code == 302
    client.logout()

    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link does not work any more" in again.text


def test_an_unknown_email_gets_the_same_answer_and_no_email(client, member, mailoutbox):
    known = client.post(RESET_URL, {"email": member.email}, follow=True)
    unknown = client.post(RESET_URL, {"email": "nobody@example.org"}, follow=True)

    assert len(mailoutbox) == 1
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.status_code == known.status_code == 200
    assert without_csrf_token(unknown.text) == without_csrf_token(known.text)


def test_the_reset_email_is_in_the_language_of_the_page(client, member, mailoutbox):
    client.post(f"/vi{RESET_URL}", {"email": member.email})

    assert reset_link(mailoutbox[0]).startswith("/vi/accounts/password-reset/")


def test_a_tampered_reset_link_does_not_work(client, member, mailoutbox):
    client.post(RESET_URL, {"email": member.email})
    link = reset_link(mailoutbox[0])

    response = client.get(link[:-3] + "xx/", follow=True)

    assert not response.context["validlink"]


# Where signing in leads


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "https:evil.example",
    ],
)
def test_signing_in_never_leads_to_another_site(client, member, next_url):
    response = client.post(LOGIN_URL, {"username": "minh", "password": PASSWORD, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/my/"  # a member's own page, as if no next was given


def test_the_sign_in_form_does_not_carry_a_foreign_next(client):
    page = client.get(LOGIN_URL, {"next": "https://evil.example/"})

    assert page.context["next"] == ""
    assert '<input type="hidden" name="next" value="">' in page.text


def test_signing_in_leads_back_to_the_page_asked_for(client, member):
    response = client.post(
        LOGIN_URL, {"username": "minh", "password": PASSWORD, "next": "/knowledge/"}
    )

    assert response["Location"] == "/knowledge/"


def test_signing_out_is_a_post(member_client):
    assert member_client.get("/accounts/logout/").status_code == 405
    assert member_client.post("/accounts/logout/").status_code == 302
    assert member_client.get("/my/").status_code == 302


# Limits per address and per email address (apap_portal.limits)


def test_one_address_trying_many_usernames_is_stopped(client, settings):
    """4 passwords on each of 10 accounts: axes pauses none (4 < 5 per username), the
    limit per address stops the address after its 30th attempt."""
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "sign-in": "30/h"}
    users = [UserFactory(username=f"ranger{n}") for n in range(10)]
    answers = [
        sign_in(client, user.username, f"guess {attempt}").status_code
        for user in users
        for attempt in range(4)
    ]
    assert answers[:30] == [200] * 30  # the form again, "wrong password"
    assert answers[30:] == [429] * 10
    refused = sign_in(client, "ranger0", "guess 5")
    assert "Too many sign-ins from here" in refused.text
    # The right password does not get through either, from that address; others may sign in.
    assert sign_in(client, "ranger1", PASSWORD).status_code == 429
    assert sign_in(client, "ranger1", PASSWORD, address=ELSEWHERE).status_code == 302


def test_seventy_resets_for_one_address_send_the_configured_few_emails(
    client, member, mailoutbox, settings
):
    settings.REQUEST_LIMITS = {
        **settings.REQUEST_LIMITS,
        "password-reset": "100/h",
        "password-reset-email": "3/h",
    }
    answers = [client.post(RESET_URL, {"email": member.email}) for _ in range(70)]
    assert len(mailoutbox) == 3
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, "/accounts/password-reset/done/")
    }


def test_the_email_limit_ignores_letter_case(client, member, mailoutbox, settings):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "password-reset-email": "1/h"}
    client.post(RESET_URL, {"email": member.email})
    client.post(RESET_URL, {"email": f"  {member.email.upper()} "})
    assert len(mailoutbox) == 1


def test_one_address_asking_for_many_emails_is_limited(client, mailoutbox, settings):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "password-reset": "5/h"}
    users = [UserFactory(username=f"warden{n}") for n in range(8)]
    for user in users:
        client.post(RESET_URL, {"email": user.email}, REMOTE_ADDR=OFFICE)
    assert len(mailoutbox) == 5
    client.post(RESET_URL, {"email": users[-1].email}, REMOTE_ADDR=ELSEWHERE)
    assert len(mailoutbox) == 6


def test_a_limited_reset_answers_exactly_as_any_other(client, member, mailoutbox, settings):
    """No way to tell a limited request, an unknown address and a sent email apart."""
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "password-reset-email": "1/h"}
    sent = client.post(RESET_URL, {"email": member.email}, follow=True)
    limited = client.post(RESET_URL, {"email": member.email}, follow=True)
    unknown = client.post(RESET_URL, {"email": "nobody@example.org"}, follow=True)
    assert len(mailoutbox) == 1
    assert sent.redirect_chain == limited.redirect_chain == unknown.redirect_chain
    assert without_csrf_token(limited.text) == without_csrf_token(sent.text)
    assert without_csrf_token(unknown.text) == without_csrf_token(sent.text)


def test_the_limits_come_from_the_environment():
    code = "from django.conf import settings; print(settings.REQUEST_LIMITS)"
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_SIGN_IN_LIMIT="12/m",
        DJANGO_PASSWORD_RESET_LIMIT="4/h",
        DJANGO_PASSWORD_RESET_EMAIL_LIMIT="2/d",
    )
    assert result.returncode == 0, result.stderr
    limits = result.stdout.strip().splitlines()[-1]
    assert "'sign-in': '12/m'" in limits
    assert "'password-reset': '4/h'" in limits
    assert "'password-reset-email': '2/d'" in limits
