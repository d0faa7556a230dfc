"""Personal tokens on /my/api-tokens/: made and revoked by the member, shown once, hashed."""

import re

import pytest
from django.test import Client

from api.models import ApiToken, api_token_create, token_hash
from tests.api.conftest import bearer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/my/api-tokens/"


@pytest.fixture
def csrf_member_client(member):
    """Minh's browser, whose posts need the CSRF token as a real browser's do."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


def csrf_token(client, path: str) -> str:
    page = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def test_a_member_creates_a_token_shown_once_and_stored_hashed(csrf_member_client, member):
    token = csrf_token(csrf_member_client, PAGE)
    response = csrf_member_client.post(
        PAGE, {"name": "GIS workstation", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    shown = re.search(r'class="token-new__value">(apap_[\w-]+)<', response.content.decode())[1]
    assert "no-store" in response["Cache-Control"]
    record = ApiToken.objects.get(user=member)
    assert record.name == "GIS workstation"
    assert record.key_hash == token_hash(shown)
    assert shown not in {field.value_from_object(record) for field in ApiToken._meta.fields}
    # Shown once: the page does not show it again.
    assert shown not in csrf_member_client.get(PAGE).content.decode()
    assert record.key_start in csrf_member_client.get(PAGE).content.decode()
    # And it opens the API as Minh.
    assert Client().get("/api/v1/stories/", **bearer(shown)).status_code == 200


def test_creating_a_token_needs_the_csrf_token(csrf_member_client, member):
    response = csrf_member_client.post(PAGE, {"name": "Forged"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=member).exists()


def test_a_token_needs_a_name(member_client, member):
    response = member_client.post(PAGE, {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_the_token_is_refused(csrf_member_client, member, api):
    record, token = api_token_create(member, "Laptop")
    url = f"{PAGE}{record.pk}/revoke/"
    confirmation = csrf_member_client.get(url)
    assert confirmation.status_code == 200
    assert "Revoke the token" in confirmation.content.decode()
    record.refresh_from_db()
    assert not record.is_revoked  # asking is not revoking
    assert api.get("/api/v1/stories/", **bearer(token)).status_code == 200
    response = csrf_member_client.post(
        url, {"csrfmiddlewaretoken": csrf_token(csrf_member_client, url)}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_revoked
    assert api.get("/api/v1/stories/", **bearer(token)).status_code == 401


def test_nobody_else_revokes_a_members_token(other_member_client, member):
    record, _token = api_token_create(member, "Laptop")
    assert other_member_client.post(f"{PAGE}{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert not record.is_revoked


def test_an_account_of_no_member_organization_has_no_tokens(client):
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "Mine"}).status_code == 403


def test_the_dashboard_links_the_tokens(member_client):
    assert PAGE in member_client.get("/my/").content.decode()


def test_using_a_token_notes_when(api, member, records):
    record, token = api_token_create(member, "Laptop")
    assert record.last_used_at is None
    api.get("/api/v1/stories/", **bearer(token))
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_a_manager_revokes_a_token_in_the_admin(manager_client, member):
    record, token = api_token_create(member, "Laptop")
    response = manager_client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [record.pk]},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_revoked
    changelist = manager_client.get("/admin/api/apitoken/?q=laptop")
    assert changelist.status_code == 200
    assert token not in changelist.content.decode()


def test_the_tokens_page_in_vietnamese(member_client):
    page = member_client.get(f"/vi{PAGE}").content.decode()
    assert "Mã truy cập API" in page
    assert "Tạo mã truy cập" in page
