"""Members keep their organization's profile: their changes wait for review, then appear."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.models import FocalPoint, ProfileChange
from members.services import (
    InvalidTransition,
    profile_change_publish,
    profile_change_submit,
)
from tests.factories import FocalPointFactory

pytestmark = pytest.mark.django_db

EDIT_URL = "/my/organization/"
CHANGELIST_URL = "/admin/members/profilechange/"
REVIEW_QUEUE_URL = "/admin/knowledge/bestpractice/review/"
BASE_URL = "http://testserver/"


def _png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def _focal_rows(rows: list[dict]) -> dict:
    data = {
        "focal-TOTAL_FORMS": str(len(rows)),
        "focal-INITIAL_FORMS": "0",
        "focal-MIN_NUM_FORMS": "0",
        "focal-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"focal-{n}-{key}"] = value
    return data


def _post(client, *, action="submit", rows=(), files=None, **fields):
    data = {
        "description": "We manage the special-use forests of Viet Nam.",
        "website": "https://vnforest.gov.vn/",
        "logo_alt": "",
        "loaded_version": "",
        "action": action,
        **_focal_rows(list(rows)),
        **fields,
    }
    return client.post(EDIT_URL, {**data, **(files or {})})


@pytest.fixture
def focal_point(member_org):
    return FocalPointFactory(
        membership=member_org.membership,
        name="Trần Văn Minh",
        role="Director",
        email="minh@vn.example",
    )


# The done-when scenario


def test_an_edit_of_the_focal_points_waits_for_review_and_appears_after_approval(
    client, member_client, member, member_org, focal_point, editor_client, run_worker, settings
):
    settings.SECRETARIAT_EMAIL = "secretariat@apap.example"
    form = member_client.get(EDIT_URL)
    assert "Trần Văn Minh" in form.text  # the form starts from the profile as published

    rows = [
        {"name": "Nguyễn Thị Hoa", "role": "Focal point", "email": "hoa@vn.example", "ORDER": "1"},
        {"name": "Trần Văn Minh", "role": "Director general", "email": "minh@vn.example",
         "focal_point": str(focal_point.pk), "ORDER": "2"},
    ]  # fmt: skip
    response = _post(member_client, rows=rows)

    assert response.status_code == 302
    change = ProfileChange.objects.get()
    assert change.status == "submitted"
    public = client.get(member_org.get_absolute_url()).text
    assert "We manage the special-use forests" not in public
    assert "Director general" not in public
    assert "Nguyễn Thị Hoa" not in member_client.get(member_org.get_absolute_url()).text
    assert member_org.name in editor_client.get(REVIEW_QUEUE_URL).text
    run_worker()
    assert [m.to for m in mail.outbox] == [["secretariat@apap.example"]]

    published = editor_client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [change.pk]},
        follow=True,
    )

    assert "1 profile change published" in published.text
    page = member_client.get(member_org.get_absolute_url()).text
    assert "We manage the special-use forests" in page
    assert page.index("Nguyễn Thị Hoa") < page.index("Trần Văn Minh")
    assert "Director general" in page
    # The focal point edited is the same record, changed; the new one was added.
    focal_point.refresh_from_db()
    assert focal_point.role == "Director general"
    assert FocalPoint.objects.filter(membership=member_org.membership).count() == 2
    run_worker()
    assert member.email in [m.to[0] for m in mail.outbox]


def test_removing_a_focal_point_removes_it_on_publishing(
    member_client, member, member_org, focal_point, editor
):
    _post(
        member_client,
        rows=[
            {
                "name": "Trần Văn Minh",
                "email": "minh@vn.example",
                "focal_point": str(focal_point.pk),
                "DELETE": "on",
            }
        ],
    )
    profile_change_publish(ProfileChange.objects.get(), editor, base_url=BASE_URL)
    assert not FocalPoint.objects.filter(membership=member_org.membership).exists()


def test_a_draft_is_saved_and_edited_again_before_submitting(member_client, member_org):
    response = _post(
        member_client, action="save", rows=[{"name": "Hoa", "email": "hoa@vn.example"}]
    )
    assert response.status_code == 302
    change = ProfileChange.objects.get()
    assert change.status == "draft"
    form = member_client.get(EDIT_URL)
    assert "Hoa" in form.text
    assert form.context["form"].initial["loaded_version"] == change.version


def test_the_published_version_stays_until_approval_and_a_logo_is_published(
    client, member_client, member_org, editor, media_root
):
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = _post(member_client, files={"logo": logo}, logo_alt="VNFOREST")
    assert response.status_code == 302
    assert not member_org.logo
    change = ProfileChange.objects.get()
    assert change.logo.name.startswith("logos/proposed/")
    # The proposed logo is the organization's members' and the staff's to see, not the public's.
    assert client.get(f"/media/{change.logo.name}").status_code == 404
    assert member_client.get(f"/media/{change.logo.name}").status_code == 200

    profile_change_publish(change, editor, base_url=BASE_URL)

    member_org.refresh_from_db()
    assert member_org.logo.name.startswith("logos/")
    assert not member_org.logo.name.startswith("logos/proposed/")
    assert (member_org.logo_alt, member_org.logo_width) == ("VNFOREST", 40)


# Bad input


@pytest.mark.parametrize(
    ("fields", "rows", "message"),
    [
        ({"website": "not a site"}, [], "Enter a valid URL."),
        ({}, [{"name": "Hoa", "role": "Ranger"}], "Give this focal point's email"),
        ({}, [{"name": "Hoa", "email": "not-an-email"}], "Enter a valid email address."),
        ({}, [{"role": "Ranger", "email": "hoa@vn.example"}], "Give this focal point's name"),
        ({}, [{"name": "Hoa", "email": "h@vn.example", "focal_point": "999999"}], "valid choice"),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(
    member_client, member_org, fields, rows, message
):
    response = _post(member_client, description="Our careful description", rows=rows, **fields)

    assert response.status_code == 200
    errors = [*response.context["form"].errors.values(), *response.context["formset"].errors]
    assert message in str(errors)
    assert "Our careful description" in response.text
    assert not ProfileChange.objects.exists()


def test_another_organizations_focal_point_cannot_be_named(member_client, other_org):
    theirs = FocalPointFactory(membership=other_org.membership, name="Bat")
    response = _post(
        member_client,
        rows=[{"name": "Bat", "email": "b@mn.example", "focal_point": str(theirs.pk)}],
    )
    assert response.status_code == 200
    assert "valid choice" in str(response.context["formset"].errors)
    assert "valid choice" in response.text
    theirs.refresh_from_db()
    assert theirs.name == "Bat"


def test_a_logo_that_is_not_an_image_is_refused(member_client, media_root):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = _post(member_client, files={"logo": fake}, logo_alt="Logo", description="Kept text")
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert "Kept text" in response.text
    assert "Choose the logo again" in response.text


def test_a_logo_too_big_is_refused(member_client, media_root, settings, monkeypatch):
    monkeypatch.setattr("apap_portal.uploads.IMAGE_MAX_BYTES", 100)
    logo = SimpleUploadedFile("logo.png", _png(400, 400), content_type="image/png")
    response = _post(member_client, files={"logo": logo}, logo_alt="Logo")
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert not ProfileChange.objects.exists()


def test_a_logo_needs_its_description(member_client, media_root):
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = _post(member_client, files={"logo": logo})
    assert response.status_code == 200
    assert response.context["form"].errors["logo_alt"]


def test_a_tampered_formset_is_explained(member_client):
    response = _post(member_client, **{"focal-TOTAL_FORMS": "x"}, description="Kept")
    assert response.status_code == 400
    assert "The focal points could not be read" in response.text
    assert "Kept" in response.text
    assert not ProfileChange.objects.exists()


# Two editors of one profile


def test_the_second_save_on_a_stale_version_is_refused_and_keeps_what_was_typed(
    member_client, other_member_client, member, member_org
):
    from django.test import Client

    from tests.factories import UserFactory

    colleague = Client()
    colleague.force_login(UserFactory(username="hoa", organization=member_org))
    _post(member_client, action="save")
    change = ProfileChange.objects.get()
    opened = change.version
    # Minh saves again; his colleague's form was opened on the earlier version.
    _post(member_client, action="save", loaded_version=str(opened), description="Minh's text")

    response = _post(colleague, action="save", loaded_version=str(opened), description="Hoa's text")

    assert response.status_code == 200
    assert "after you opened it" in response.text
    assert "Hoa&#x27;s text" in response.text or "Hoa's text" in response.text
    change.refresh_from_db()
    assert change.description == "Minh's text"


def test_a_colleague_starting_a_change_first_is_a_conflict(member_client, member_org):
    from django.test import Client

    from tests.factories import UserFactory

    colleague = Client()
    colleague.force_login(UserFactory(username="hoa", organization=member_org))
    _post(member_client, action="save", description="First")

    # The colleague's form was opened before any change existed (no version).
    response = _post(colleague, action="save", description="Second")

    assert response.status_code == 200
    assert "started a change to this profile after you opened it" in response.text
    assert ProfileChange.objects.get().description == "First"


# Who may do what


def test_anna_is_sent_to_sign_in(client):
    response = client.get(EDIT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_oyuna_edits_only_her_own_organization(
    other_member_client, member_org, other_org, focal_point
):
    page = other_member_client.get(EDIT_URL)
    assert other_org.name in page.text
    assert member_org.name not in page.text
    assert "Trần Văn Minh" not in page.text
    _post(other_member_client, action="save")
    assert ProfileChange.objects.get().organization == other_org


def test_staff_without_an_organization_are_told(editor_client):
    response = editor_client.get(EDIT_URL)
    assert response.status_code == 403
    assert "not linked to an organization" in response.text


def test_a_submitted_change_is_not_edited_until_sent_back(
    member_client, member, member_org, editor
):
    _post(member_client)
    response = member_client.get(EDIT_URL)
    assert response.context["form"] is None
    assert "the secretariat is reviewing them" in response.text
    posted = _post(member_client, action="save", loaded_version="1", description="Sneaky")
    assert posted.status_code == 200
    assert ProfileChange.objects.get().description != "Sneaky"


def test_the_dashboard_links_to_the_profile(member_client):
    assert EDIT_URL in member_client.get("/my/").text


def test_publishing_twice_is_refused(member_client, editor):
    _post(member_client)
    change = ProfileChange.objects.get()
    profile_change_publish(change, editor, base_url=BASE_URL)
    with pytest.raises(InvalidTransition):
        profile_change_publish(change, editor, base_url=BASE_URL)
    with pytest.raises(InvalidTransition):
        profile_change_submit(change, editor, base_url=BASE_URL)


def test_request_changes_from_the_admin_emails_the_member(
    member_client, member, editor_client, run_worker
):
    _post(member_client)
    change = ProfileChange.objects.get()
    confirm = editor_client.post(
        CHANGELIST_URL, {"action": "request_changes", "_selected_action": [change.pk]}
    )
    assert confirm.status_code == 200
    editor_client.post(
        CHANGELIST_URL,
        {"action": "request_changes", "_selected_action": [change.pk], "confirm": "yes",
         "message": "Please add your website."},
    )  # fmt: skip
    change.refresh_from_db()
    assert change.status == "changes-requested"
    run_worker()
    assert any("Please add your website." in m.body and m.to == [member.email] for m in mail.outbox)
    assert "Please add your website." in member_client.get(EDIT_URL).text


def test_history_records_each_step(member_client, editor):
    from reversion.models import Version

    _post(member_client)
    change = ProfileChange.objects.get()
    profile_change_publish(change, editor, base_url=BASE_URL)
    comments = [v.revision.get_comment() for v in Version.objects.get_for_object(change)]
    assert "Submitted for review." in comments
    assert any("Published" in c for c in comments)


def test_admin_smoke(editor_client, member_client):
    _post(member_client)
    change = ProfileChange.objects.get()
    assert editor_client.get(CHANGELIST_URL).status_code == 200
    assert editor_client.get(CHANGELIST_URL, {"q": "forest"}).status_code == 200
    assert editor_client.get(CHANGELIST_URL, {"review": "waiting"}).status_code == 200
    assert editor_client.get(f"{CHANGELIST_URL}add/").status_code == 200
    page = editor_client.get(f"{CHANGELIST_URL}{change.pk}/change/")
    assert "Publish this profile change" in page.text


# Query counts


@pytest.mark.parametrize("points", [1, 15])
def test_the_form_query_count_does_not_grow_with_focal_points(
    member_client, member_org, django_assert_num_queries, points
):
    FocalPointFactory.create_batch(points, membership=member_org.membership)
    # Savepoint, session, user, organization with its membership, its focal points, the open
    # change, release.
    with django_assert_num_queries(7):
        response = member_client.get(EDIT_URL)
    assert len(response.context["formset"].forms) == points + 1


@pytest.mark.parametrize("waiting", [1, 12])
def test_the_review_queue_query_count_does_not_grow(
    editor_client, django_assert_num_queries, waiting
):
    from django.test import Client

    from tests.factories import MemberOrganizationFactory, UserFactory

    for _n in range(waiting):
        client = Client()
        client.force_login(UserFactory(organization=MemberOrganizationFactory()))
        _post(client)
    # Savepoint, session, user, permissions (user's and group's), the practices waiting,
    # those sent back, the profile changes waiting (with organization and submitter), release.
    with django_assert_num_queries(9):
        response = editor_client.get(REVIEW_QUEUE_URL)
    assert len(response.context["profile_changes"]) == waiting


def test_the_admin_home_says_how_many_profile_changes_wait(editor_client, member_client):
    _post(member_client)
    text = editor_client.get("/admin/").text
    assert "1 change to a member's profile waits for review" in text
