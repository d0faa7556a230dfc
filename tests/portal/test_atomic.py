"""A save that fails half-way writes nothing: no record without its parts, no stray part.

A record and the rows it owns are saved in one transaction (ATOMIC_REQUESTS, the
admin's change view, the submission view's revision). Each test breaks the save of the
second owned row, as a database refusing it would, and checks that the person gets an
error page and that nothing of the request was kept: not the record, not the first
row, not the version, not a revision, not an email.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from reversion.models import Revision

from activities.models import Activity, ActivityOrganization
from knowledge.models import BestPractice, BuildingBlock
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    OrganizationFactory,
    country,
    work_area,
)
from tests.portal.test_locking import admin_form_data, change_url, form_data

pytestmark = pytest.mark.django_db


def browser_for(user) -> Client:
    """A client that gets the error page, as a person would, instead of the exception."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def refuse_the_second_save(monkeypatch, model) -> list:
    """Make the second save of `model` fail as a database refusing the row would."""
    saved = []
    save = model.save

    def save_or_refuse(self, **kwargs):
        saved.append(self)
        if len(saved) == 2:
            raise IntegrityError("the database refused the second row")
        return save(self, **kwargs)

    monkeypatch.setattr(model, "save", save_or_refuse)
    return saved


def with_two_organizers(data: dict, activity_pk: str = "") -> dict:
    first, second = OrganizationFactory(), OrganizationFactory()
    rows = {"organization_roles-TOTAL_FORMS": "2"}
    for index, organization in enumerate((first, second)):
        rows |= {
            f"organization_roles-{index}-id": "",
            f"organization_roles-{index}-activity": activity_pk,
            f"organization_roles-{index}-organization": str(organization.pk),
            f"organization_roles-{index}-role": "organizer",
        }
    return {**data, **rows}


def test_an_activity_change_whose_second_organizer_fails_keeps_nothing(editor, monkeypatch):
    emma = browser_for(editor)
    activity = ActivityFactory(title="Ranger exchange")
    version = activity.version
    data = with_two_organizers(admin_form_data(emma.get(change_url(activity))), str(activity.pk))
    data["title"] = "Ranger exchange, second round"
    attempts = refuse_the_second_save(monkeypatch, ActivityOrganization)

    response = emma.post(change_url(activity), data)

    assert len(attempts) == 2  # the first organizer row was written, then undone
    assert response.status_code == 500
    activity.refresh_from_db()
    assert activity.title == "Ranger exchange"
    assert activity.version == version
    assert not ActivityOrganization.objects.exists()
    assert not Revision.objects.exists()
    assert not LogEntry.objects.exists()


def test_a_new_activity_whose_second_organizer_fails_is_not_created(editor, monkeypatch):
    emma = browser_for(editor)
    data = admin_form_data(emma.get(reverse("admin:activities_activity_add")))
    data.update({
        "title": "Training on management effectiveness",
        "slug": "training-on-management-effectiveness",
        "kind": "training",
        "work_area": str(work_area("knowledge-capacity").pk),
        "start_date": "2024-03-04",
        "city": "Hanoi",
        "country": str(country("VNM").pk),
    })  # fmt: skip
    data = with_two_organizers(data)
    attempts = refuse_the_second_save(monkeypatch, ActivityOrganization)

    response = emma.post(reverse("admin:activities_activity_add"), data)

    assert len(attempts) == 2
    assert response.status_code == 500
    assert not Activity.objects.exists()
    assert not ActivityOrganization.objects.exists()
    assert not Revision.objects.exists()


def test_a_new_practice_whose_second_block_fails_is_not_created(
    member, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    minh = browser_for(member)
    submit_url = reverse("submissions:bestpractice_submit")
    data = form_data(minh.get(submit_url), form_class="submission-form")
    data.update({
        "title": "Mangrove nurseries",
        "summary": "Villagers grow the seedlings.",
        "blocks-0-title": "Collect propagules",
        "blocks-0-description": "At low tide.",
        "blocks-1-title": "Plant them out",
        "blocks-1-description": "After the monsoon.",
        "blocks-TOTAL_FORMS": "2",  # the form offers one block; the member added one
        "action": "submit",
    })  # fmt: skip
    attempts = refuse_the_second_save(monkeypatch, BuildingBlock)

    with django_capture_on_commit_callbacks(execute=True):
        response = minh.post(submit_url, data)

    assert len(attempts) == 2
    assert response.status_code == 500
    assert not BestPractice.objects.exists()
    assert not BuildingBlock.objects.exists()
    assert not Revision.objects.exists()
    assert mailoutbox == []


def test_an_edit_whose_new_block_fails_leaves_the_practice_as_it_was(
    member, member_org, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    minh = browser_for(member)
    practice = BestPracticeFactory(
        organization=member_org, status="draft", published_at=None, title="Community patrols"
    )
    BuildingBlockFactory(best_practice=practice, title="Agree patrol routes", order=0)
    version = practice.version
    edit_url = reverse("submissions:bestpractice_edit", kwargs={"slug": practice.slug})
    data = form_data(minh.get(edit_url), form_class="submission-form")
    data.update({
        "title": "Village patrols",
        "blocks-0-title": "Agree routes with the villages",
        "blocks-1-title": "Share the fines",
        "blocks-1-description": "Part of the fines funds the school.",
        "action": "submit",
    })  # fmt: skip
    attempts = refuse_the_second_save(monkeypatch, BuildingBlock)

    with django_capture_on_commit_callbacks(execute=True):
        response = minh.post(edit_url, data)

    assert len(attempts) == 2
    assert response.status_code == 500
    practice.refresh_from_db()
    assert (practice.title, practice.status, practice.version) == (
        "Community patrols",
        "draft",
        version,
    )
    assert [block.title for block in practice.building_blocks.all()] == ["Agree patrol routes"]
    assert not Revision.objects.exists()
    assert mailoutbox == []
