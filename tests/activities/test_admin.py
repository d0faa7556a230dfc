"""The secretariat plans activities and funding proposals in the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from activities.models import Activity, ActivityOrganization
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    FundingProposalFactory,
    country,
    work_area,
)

pytestmark = pytest.mark.django_db

MODELS = [
    model for model in admin.site._registry if model._meta.app_label in ("activities", "knowledge")
]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records():
    activity = ActivityFactory(title="Technical Workshop on OECMs")
    ActivityOrganizationFactory(activity=activity)
    FundingProposalFactory(title="Sundarbans exchange proposal")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_search_and_add_pages_load(admin_client, records, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "changelist"), {"q": "oecm"}).status_code == 200
    assert admin_client.get(_url(model, "add")).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"kind__exact": "webinar"}, {"status__exact": "completed"}, {"year": "2023"},
     {"work_area__id__exact": "1"}],
)  # fmt: skip
def test_activity_filters_answer(admin_client, records, params):
    assert admin_client.get(_url(Activity, "changelist"), params).status_code == 200


def test_duplicate_makes_a_planned_copy_with_organizers_and_tags(admin_client):
    original = ActivityFactory(title="Korea National Park Friendship Programme")
    ActivityOrganizationFactory(activity=original, role="host")
    original.participating_countries.add(country("BTN"), country("NPL"))

    response = admin_client.post(
        _url(Activity, "changelist"),
        {"action": "duplicate", "_selected_action": [original.pk]},
    )

    copy = Activity.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302
    assert response["Location"] == _url(Activity, "change", copy.pk)
    assert copy.title == "Copy of Korea National Park Friendship Programme"
    assert copy.status == "planned"
    assert copy.slug != original.slug
    assert set(copy.participating_countries.all()) == {country("BTN"), country("NPL")}
    assert ActivityOrganization.objects.filter(activity=copy, role="host").count() == 1


def test_each_duplicate_gets_its_own_slug(admin_client):
    original = ActivityFactory(slug="ranger-exchange-2024")
    for _ in range(2):
        admin_client.post(
            _url(Activity, "changelist"),
            {"action": "duplicate", "_selected_action": [original.pk]},
        )

    copies = Activity.objects.exclude(pk=original.pk).order_by("pk")
    assert [copy.slug for copy in copies] == [
        "ranger-exchange-2024-copy",
        "ranger-exchange-2024-copy-2",
    ]


def test_activities_export_as_csv(admin_client):
    activity = ActivityFactory(title="Planning workshop", city="Bangkok", country=country("THA"))
    response = admin_client.post(
        _url(Activity, "changelist"),
        {"action": "export_csv", "_selected_action": [activity.pk]},
    )
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Title,Kind,Work area,Start date")
    assert "Planning workshop" in rows[1]
    assert "Thailand" in rows[1]


def test_activity_needs_a_place_or_online(admin_client):
    response = admin_client.post(
        _url(Activity, "add"),
        {
            "title": "Nowhere meeting",
            "slug": "nowhere-meeting",
            "kind": "workshop",
            "work_area": str(work_area("knowledge-capacity").pk),
            "start_date": "2024-01-10",
            "end_date": "2024-01-09",
            "date_precision": "day",
            "status": "planned",
            "visibility": "public",
            "organization_roles-TOTAL_FORMS": "0",
            "organization_roles-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Give the place" in response.text
    assert "The end date cannot be before the start date" in response.text
    assert not Activity.objects.filter(slug="nowhere-meeting").exists()
