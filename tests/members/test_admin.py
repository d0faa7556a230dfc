"""The secretariat's admin for the members section: smoke tests and the tools staff rely on."""

import pytest
from django.contrib import admin
from django.urls import reverse

from members.models import (
    Country,
    Membership,
    Organization,
    ProtectedArea,
    TransboundaryArea,
    WdpaImport,
)
from tests.factories import (
    FocalPointFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    TransboundaryAreaFactory,
    country,
)

pytestmark = pytest.mark.django_db

MEMBERS_MODELS = [model for model in admin.site._registry if model._meta.app_label == "members"]


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def some_records():
    organization = MemberOrganizationFactory(name="Korea National Park Service", acronym="KNPS")
    FocalPointFactory(membership=organization.membership)
    a = ProtectedAreaFactory(name="Sundarbans Reserve Forest", country=country("BGD"))
    b = ProtectedAreaFactory(name="Sundarbans National Park", country=country("IND"))
    TransboundaryAreaFactory(name="Sundarbans", protected_areas=[a, b])


@pytest.mark.parametrize("model", MEMBERS_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_search_and_add_pages_load(admin_client, some_records, model):
    assert admin_client.get(_admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(_admin_url(model, "changelist"), {"q": "sundar"}).status_code == 200
    # The record of WDPA imports is written by the import alone.
    add_status = 403 if model is WdpaImport else 200
    assert admin_client.get(_admin_url(model, "add")).status_code == add_status


def test_every_members_model_is_in_the_admin():
    expected = {Country, Organization, Membership, ProtectedArea, TransboundaryArea}
    assert expected <= set(MEMBERS_MODELS)


def test_protected_area_search_finds_wdpa_id_and_local_name(admin_client):
    ProtectedAreaFactory(name="Chitwan National Park", wdpa_id=10905)
    ProtectedAreaFactory(name="Cúc Phương National Park", original_name="Vườn quốc gia Cúc Phương")
    url = _admin_url(ProtectedArea, "changelist")

    assert "Chitwan National Park" in admin_client.get(url, {"q": "10905"}).text
    assert "Cúc Phương National Park" in admin_client.get(url, {"q": "Vườn quốc gia"}).text


def test_directory_exports_as_csv(admin_client):
    knps = MemberOrganizationFactory(name="Korea National Park Service", country=country("KOR"))
    response = admin_client.post(
        _admin_url(Organization, "changelist"),
        {"action": "export_csv", "_selected_action": [knps.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert header.startswith("Name,Acronym,Kind,Country,ISO3")
    assert "Korea National Park Service" in row
    assert "Republic of Korea" in row
    assert "Country Member" in row


def test_transboundary_area_needs_two_countries(admin_client):
    one = ProtectedAreaFactory(country=country("NPL"))
    two = ProtectedAreaFactory(country=country("NPL"))
    response = admin_client.post(
        _admin_url(TransboundaryArea, "add"),
        {"name": "Only Nepal", "slug": "only-nepal", "protected_areas": [one.pk, two.pk]},
    )
    assert response.status_code == 200
    assert "at least two countries" in response.text
    assert not TransboundaryArea.objects.exists()


def test_organization_with_membership_and_focal_points_is_edited_in_one_place(admin_client):
    organization = MemberOrganizationFactory()
    response = admin_client.get(_admin_url(Organization, "change", organization.pk))
    assert "membership-0-category" in response.text
    response = admin_client.get(_admin_url(Membership, "change", organization.membership.pk))
    assert "focal_points-0-name" in response.text


def test_a_manager_cannot_raise_anyone_to_superuser(manager_client, manager):
    from members.models import User

    page = manager_client.get(_admin_url(User, "change", manager.pk))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    assert 'name="user_permissions"' not in page.text
    root = User.objects.create_superuser("root", "root@example.org", "a long root passphrase")
    # A superuser's account is shown read-only to a manager, and a change is refused.
    assert 'name="username"' not in manager_client.get(_admin_url(User, "change", root.pk)).text
    response = manager_client.post(
        _admin_url(User, "change", root.pk), {"username": "root", "is_superuser": "on"}
    )
    assert response.status_code == 403
