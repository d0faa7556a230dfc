"""Every change to the partnership's records is kept: who made it, when, why, and what it was.

Emma (editor) and Mark (manager) work in the admin; Minh shares best practices in the
member form. Revisions come from the admin, the review workflow, the member form, the
demo loader and the WDPA import.
"""

from __future__ import annotations

from io import StringIO

import pytest
import reversion
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from activities.models import (
    Activity,
    ActivityDocument,
    ActivityOrganization,
    FocalActivity,
    FundingProposal,
    WorkArea,
)
from apap_portal.editing.history import latest_revision, revision
from knowledge.models import (
    BestPractice,
    BuildingBlock,
    Challenge,
    Ecosystem,
    GbfTarget,
    Resource,
    Story,
    Theme,
)
from members import wdpa
from members.models import (
    Country,
    FocalPoint,
    ManagementEffectivenessEvaluation,
    Membership,
    Organization,
    ProtectedArea,
    TransboundaryArea,
    User,
    WdpaImport,
)
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    FocalPointFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    country,
    theme,
)
from tests.portal.test_locking import admin_form_data, change_url, client_for, form_data

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    Country,
    Organization,
    Membership,
    FocalPoint,
    ProtectedArea,
    ManagementEffectivenessEvaluation,
    TransboundaryArea,
    WorkArea,
    FocalActivity,
    Activity,
    ActivityOrganization,
    ActivityDocument,
    FundingProposal,
    GbfTarget,
    Theme,
    Ecosystem,
    Challenge,
    BestPractice,
    BuildingBlock,
    Resource,
    Story,
]
ADMINS_WITH_HISTORY = [
    model
    for model in admin.site._registry
    if model._meta.app_label in ("members", "activities", "knowledge")
    # A WDPA import's record is written once and never edited: it is history itself.
    and model not in (User, WdpaImport)
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def models_in(revision_: Revision) -> list[type]:
    return sorted(
        (version._model for version in revision_.version_set.all()), key=lambda m: m.__name__
    )


@pytest.fixture
def emma(editor):
    return client_for(editor)


@pytest.fixture
def mark(manager):
    return client_for(manager)


# What is kept, and where staff find it


def test_every_content_model_keeps_its_history():
    for model in CONTENT_MODELS:
        assert reversion.is_registered(model), model
    assert not reversion.is_registered(User)  # password hashes stay out of history


@pytest.mark.parametrize("model", ADMINS_WITH_HISTORY, ids=lambda m: m._meta.model_name)
def test_every_list_offers_to_recover_deleted_records_and_reading_records_nothing(
    admin_client, model
):
    assert isinstance(admin.site._registry[model], VersionAdmin)
    changelist = admin_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert admin_url(model, "recoverlist") in changelist.text
    assert admin_client.get(admin_url(model, "recoverlist")).status_code == 200
    assert not Revision.objects.exists()


def test_an_admin_save_keeps_the_record_its_parts_and_tags_with_the_editor(emma, editor):
    activity = ActivityFactory(title="Workshop on OECMs")
    ActivityOrganizationFactory(activity=activity, role="host")
    data = admin_form_data(emma.get(change_url(activity)))
    data["title"] = "Regional workshop on OECMs"
    data["participating_countries"] = [str(country("BTN").pk), str(country("NPL").pk)]

    assert emma.post(change_url(activity), data).status_code == 302

    saved = latest_revision(activity)
    assert saved.user == editor
    assert "Changed Title and Participating countries" in saved.get_comment()
    assert models_in(saved) == [Activity, ActivityOrganization]
    kept = Version.objects.get_for_object(activity).get()
    assert kept.field_dict["title"] == "Regional workshop on OECMs"
    assert sorted(kept.field_dict["participating_countries"]) == sorted(
        [country("BTN").pk, country("NPL").pk]
    )
    history = emma.get(admin_url(Activity, "history", activity.pk))
    assert admin_url(Activity, "revision", activity.pk, kept.pk) in history.text
    assert "emma" in history.text


def test_an_organization_is_kept_with_its_membership_and_focal_points(emma):
    organization = MemberOrganizationFactory(name="Korea National Park Service")
    FocalPointFactory(membership=organization.membership, name="Kim Ji-won")
    data = admin_form_data(emma.get(change_url(organization)))

    assert emma.post(change_url(organization), {**data, "acronym": "KNPS"}).status_code == 302

    assert models_in(latest_revision(organization)) == [FocalPoint, Membership, Organization]


# Going back


def test_reverting_restores_the_text_the_tags_and_the_building_blocks(emma):
    patrols = theme("law-enforcement-and-patrolling")
    tourism = Theme.objects.exclude(pk=patrols.pk).first()
    practice = BestPracticeFactory(title="Community patrols")
    practice.themes.set([patrols])
    original_block = BuildingBlockFactory(best_practice=practice, title="Agree patrol routes")
    # Saved once as it is, so that this state is in the history.
    assert emma.post(
        change_url(practice), admin_form_data(emma.get(change_url(practice)))
    ).status_code == 302  # fmt: skip
    first = Version.objects.get_for_object(practice).get()

    # Then retitled, retagged, its block replaced.
    data = admin_form_data(emma.get(change_url(practice)))
    data.update({
        "title": "Village patrols",
        "themes": [str(tourism.pk)],
        "building_blocks-0-DELETE": "on",
        "building_blocks-TOTAL_FORMS": "2",
        "building_blocks-1-order": "1",
        "building_blocks-1-title": "Share the fines",
        "building_blocks-1-description": "Part of the fines funds the school.",
    })  # fmt: skip
    assert emma.post(change_url(practice), data).status_code == 302
    practice.refresh_from_db()
    assert list(practice.themes.all()) == [tourism]
    before_revert = practice.version

    # Emma opens the first version from the History page and saves it.
    revert_url = admin_url(BestPractice, "revision", practice.pk, first.pk)
    assert revert_url in emma.get(admin_url(BestPractice, "history", practice.pk)).text
    page = emma.get(revert_url)
    assert page.status_code == 200
    assert 'value="Community patrols"' in page.text
    assert emma.post(revert_url, admin_form_data(page)).status_code == 302

    practice.refresh_from_db()
    assert practice.title == "Community patrols"
    assert list(practice.themes.all()) == [patrols]
    assert [block.pk for block in practice.building_blocks.all()] == [original_block.pk]
    assert practice.version > before_revert
    assert latest_revision(practice).get_comment().startswith("Reverted to previous version")


def test_reverting_in_code_moves_the_version_forward():
    area = ProtectedAreaFactory(name="Chitwan")
    with revision("First name."):
        area.save()
    first = Version.objects.get_for_object(area).get()
    area.name = "Chitwan National Park"
    area.save()
    current = area.version

    first.revision.revert()

    area.refresh_from_db()
    assert area.name == "Chitwan"
    # Not the version number it had then: a form opened on that one must not pass.
    assert area.version == current + 1


def test_a_deleted_activity_is_recovered_with_its_organizers(mark):
    activity = ActivityFactory(title="Ranger exchange")
    link = ActivityOrganizationFactory(activity=activity, role="host")
    assert mark.post(
        change_url(activity), admin_form_data(mark.get(change_url(activity)))
    ).status_code == 302  # fmt: skip
    mark.post(admin_url(Activity, "delete", activity.pk), {"post": "yes"})
    assert not Activity.objects.filter(pk=activity.pk).exists()

    recover_list = mark.get(admin_url(Activity, "recoverlist"))
    deleted = Version.objects.get_deleted(Activity).get()
    assert admin_url(Activity, "recover", deleted.pk) in recover_list.text
    recover_url = admin_url(Activity, "recover", deleted.pk)
    assert mark.post(recover_url, admin_form_data(mark.get(recover_url))).status_code == 302

    recovered = Activity.objects.get(pk=activity.pk)
    assert recovered.title == "Ranger exchange"
    assert list(recovered.organization_roles.values_list("pk", "role")) == [(link.pk, "host")]


# Writes outside the change form


def test_reviews_are_kept_with_the_reviewer_and_what_they_did(emma, editor, member):
    published = BestPracticeFactory(status="submitted", published_at=None, submitted_by=member)
    sent_back = BestPracticeFactory(status="submitted", published_at=None, submitted_by=member)
    changelist = admin_url(BestPractice, "changelist")

    emma.post(changelist, {"action": "publish_selected", "_selected_action": [published.pk]})
    emma.post(
        changelist,
        {"action": "request_changes", "_selected_action": [sent_back.pk], "confirm": "yes",
         "message": "Add the number of snares removed."},
    )  # fmt: skip

    publishing = latest_revision(published)
    assert publishing.user == editor
    assert publishing.get_comment() == "Published; the submitter was emailed."
    assert Version.objects.get_for_object(published).get().field_dict["status"] == "published"
    sending_back = latest_revision(sent_back)
    assert sending_back.user == editor
    assert sending_back.get_comment() == "Changes requested; the submitter was emailed."
    version = Version.objects.get_for_object(sent_back).get()
    assert version.field_dict["review_message"] == "Add the number of snares removed."


def test_a_duplicate_is_kept_with_its_organizers_and_says_what_it_copies(emma, editor):
    original = ActivityFactory(title="Friendship programme")
    ActivityOrganizationFactory(activity=original, role="host")
    original.version = 7
    original.save()

    emma.post(
        admin_url(Activity, "changelist"),
        {"action": "duplicate", "_selected_action": [original.pk]},
    )

    copy = Activity.objects.exclude(pk=original.pk).get()
    assert copy.version == 1
    copying = latest_revision(copy)
    assert copying.user == editor
    assert copying.get_comment() == "Planned copy of “Friendship programme”."
    assert models_in(copying) == [Activity, ActivityOrganization]
    [link] = [v for v in copying.version_set.all() if v._model is ActivityOrganization]
    assert link.field_dict["activity_id"] == copy.pk


def test_a_members_practice_is_kept_as_theirs_with_its_blocks(
    member, member_client, django_capture_on_commit_callbacks
):
    submit_url = reverse("submissions:bestpractice_submit")
    data = form_data(member_client.get(submit_url), form_class="submission-form")
    data.update({
        "title": "Mangrove nurseries",
        "summary": "Villagers grow the seedlings.",
        "blocks-0-title": "Collect propagules",
        "blocks-0-description": "At low tide.",
        "action": "draft",
    })  # fmt: skip
    assert member_client.post(submit_url, data).status_code == 302
    practice = BestPractice.objects.get()
    created = latest_revision(practice)
    assert (created.user, created.get_comment()) == (member, "Created.")
    assert models_in(created) == [BestPractice, BuildingBlock]

    edit_url = reverse("submissions:bestpractice_edit", kwargs={"slug": practice.slug})
    data = form_data(member_client.get(edit_url), form_class="submission-form")
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(edit_url, {**data, "action": "submit"})
    assert response.status_code == 302
    submitted = latest_revision(practice)
    assert (submitted.user, submitted.get_comment()) == (member, "Submitted for review.")
    assert Version.objects.get_for_object(practice).first().field_dict["status"] == "submitted"


def test_the_demo_data_is_one_revision_and_loading_it_again_records_none():
    call_command("load_demo", stdout=StringIO())

    demo = Revision.objects.get()
    assert (demo.comment, demo.user) == ("Demo data", None)
    chitwan = ProtectedArea.objects.get(slug="chitwan-national-park")
    assert Version.objects.get_for_object(chitwan).get().revision == demo
    practice = BestPractice.objects.filter(building_blocks__isnull=False).first()
    assert BuildingBlock in models_in(latest_revision(practice))

    call_command("load_demo", stdout=StringIO())

    assert Revision.objects.count() == 1


def test_a_wdpa_import_keeps_what_each_batch_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(wdpa, "BATCH_SIZE", 2)
    same = ProtectedAreaFactory(wdpa_id=1, name="Unchanged park", country=country("NPL"))
    everest = ProtectedAreaFactory(wdpa_id=2, name="Sagarmatha", country=country("NPL"))
    with revision("Corrected the name."):
        everest.name = "Sagarmatha (Everest) National Park"
        everest.save()
    path = tmp_path / "WDPA_Nov2026.csv"
    path.write_text(
        "WDPAID,NAME,ISO3\n1,Unchanged park,NPL\n2,Sagarmatha National Park,NPL\n"
        "3,Bardia National Park,NPL\n4,Chitwan National Park,NPL\n5,Shey Phoksundo,NPL\n",
        encoding="utf-8",
    )

    call_command("import_wdpa", str(path), stdout=StringIO())

    imports = Revision.objects.filter(comment="WDPA import WDPA_Nov2026.csv")
    # Five rows in batches of two; the unchanged row adds nothing.
    assert imports.count() == 3
    recorded = Version.objects.filter(revision__in=imports).values_list("object_id", flat=True)
    written = ProtectedArea.objects.exclude(pk=same.pk).values_list("pk", flat=True)
    assert sorted(recorded) == sorted(str(pk) for pk in written)
    assert not Version.objects.get_for_object(same).exists()
    everest.refresh_from_db()
    assert everest.name == "Sagarmatha National Park"
    assert everest.version == 3

    # The import overwrote a correction: it is on the area's history, and can be undone.
    after_import, correction = Version.objects.get_for_object(everest)
    assert after_import.field_dict["version"] == 3
    correction.revision.revert()
    everest.refresh_from_db()
    assert everest.name == "Sagarmatha (Everest) National Park"
    assert everest.version == 4
