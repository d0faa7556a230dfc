"""The secretariat exports or erases one person's data, across every app that keeps some.

Mark (a manager, who manages accounts) may; Emma (an editor) may not.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from apap_portal import personal_data
from apap_portal.outbox import send_email
from api.models import ApiToken
from members.models import FocalPoint, User
from tests.factories import FocalPointFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:personal_data")


@pytest.fixture
def minh_everywhere(member, member_org):
    """Minh has an account, an API token, is his agency's focal point, and got an email."""
    member.email = "Minh@Agency.example"
    member.save()
    FocalPointFactory(membership=member_org.membership, name="Minh", email="minh@agency.example")
    ApiToken.objects.create(
        user=member, name="GIS workstation", key_hash="x" * 64, key_start="apap_x"
    )
    send_email(
        to="minh@agency.example",
        subject="Password reset",
        template="registration/password_reset_subject.txt",
        context={},
    )
    return member


def test_the_export_gathers_every_app_and_is_case_blind(minh_everywhere):
    data = personal_data.export("minh@AGENCY.example")

    assert data["members"]["accounts"][0]["username"] == minh_everywhere.username
    assert data["members"]["focal_points"][0]["name"] == "Minh"
    assert data["api"][0]["name"] == "GIS workstation"
    assert data["apap_portal"][0]["subject"] == "Password reset"


def test_a_manager_downloads_a_persons_data_as_json(manager_client, minh_everywhere):
    page = manager_client.get(URL, {"email": "minh@agency.example"})
    assert page.status_code == 200
    assert "GIS workstation" in page.content.decode()

    download = manager_client.get(URL, {"email": "minh@agency.example", "format": "json"})
    assert download["Content-Disposition"].startswith("attachment;")
    body = json.loads(download.content)
    assert body["email"] == "minh@agency.example"
    assert set(body["data"]) == {"members", "api", "apap_portal"}


def test_erasing_asks_first_then_erases_everywhere(manager_client, minh_everywhere):
    asked = manager_client.post(URL, {"email": "minh@agency.example", "confirm": "ask"})
    assert "This cannot be undone" in asked.content.decode()
    assert User.objects.filter(pk=minh_everywhere.pk, is_active=True).exists()

    done = manager_client.post(
        URL, {"email": "minh@agency.example", "confirm": "erase"}, follow=True
    )

    assert "is erased" in done.content.decode()
    assert "The portal holds nothing about this address." in done.content.decode()
    account = User.objects.get(pk=minh_everywhere.pk)
    assert account.username == f"erased-{account.pk}"
    assert account.email == account.first_name == ""
    assert not account.is_active
    assert not account.has_usable_password()
    assert not FocalPoint.objects.filter(email__iexact="minh@agency.example").exists()
    assert not ApiToken.objects.exists()
    assert personal_data.export("minh@agency.example") == {}


def test_a_bad_address_gets_a_message_and_keeps_what_was_typed(manager_client):
    response = manager_client.get(URL, {"email": "minh at agency"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page
    assert 'value="minh at agency"' in page


def test_editors_and_members_may_not(editor_client, member_client, minh_everywhere):
    assert editor_client.get(URL, {"email": "minh@agency.example"}).status_code == 403
    assert member_client.get(URL).status_code == 302  # to the admin's sign-in
    assert (
        editor_client.post(URL, {"email": "minh@agency.example", "confirm": "erase"}).status_code
        == 403
    )
    assert User.objects.get(pk=minh_everywhere.pk).is_active


def test_the_admin_home_links_it_for_managers_only(manager_client, editor_client):
    assert URL in manager_client.get(reverse("admin:index")).content.decode()
    assert URL not in editor_client.get(reverse("admin:index")).content.decode()
