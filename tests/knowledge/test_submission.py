"""Members share best practices, the secretariat reviews them, the public reads them.

Minh (member_client) works for Viet Nam's agency; Oyuna (other_member_client) for
Mongolia's; Emma (editor_client) reviews for the secretariat.
"""

import io
import os

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from knowledge.forms import unique_best_practice_slug
from knowledge.models import BestPractice, BuildingBlock, GbfTarget
from knowledge.services import InvalidTransition, best_practice_publish, best_practice_submit
from tests.factories import (
    BestPracticeFactory,
    BuildingBlockFactory,
    ProtectedAreaFactory,
    country,
    theme,
)

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/knowledge/best-practices/submit/"
DASHBOARD_URL = "/my/"
CHANGELIST_URL = "/admin/knowledge/bestpractice/"


def edit_url(practice: BestPractice) -> str:
    return reverse("submissions:bestpractice_edit", kwargs={"slug": practice.slug})


def practice_data(*, action="submit", blocks=(), initial_blocks=0, **fields) -> dict:
    """What the browser posts: the practice's fields, its building blocks and a button."""
    data = {
        "title": "Community patrols in Cat Tien",
        "summary": "Rangers and villagers patrol together; snaring fell by half.",
        "context": "A lowland forest park surrounded by farms.",
        "challenge_description": "",
        "impacts": "",
        "lessons_learned": "",
        "protected_area": "",
        "language": "en",
        "cover_image_alt": "",
        "contributors": "",
        "action": action,
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": str(initial_blocks),
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "30",
    }
    for index, block in enumerate(blocks):
        for name in ("id", "title", "description", "enabling_factors", "lessons_learned"):
            data[f"blocks-{index}-{name}"] = block.get(name, "")
        if block.get("DELETE"):
            data[f"blocks-{index}-DELETE"] = "on"
    data.update(fields)
    return data


TWO_BLOCKS = [
    {"title": "Agree patrol routes with villages", "description": "Village councils map routes."},
    {"title": "Share the fines", "description": "Part of the fines funds the village school."},
]


def image_upload(name="cover.png", size=(40, 30), image_format="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def six_megabyte_image() -> SimpleUploadedFile:
    # Noise does not compress: 1,450 × 1,450 pixels make a PNG of about 6 MB.
    side = 1450
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 6 * 1000 * 1000
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def reviewer(editor):
    """Emma, with the permissions her group, "Secretariat editors", gives her."""
    return editor


def submit(client, capture, **kwargs):
    with capture(execute=True):
        return client.post(SUBMIT_URL, practice_data(**kwargs))


# The whole workflow


def test_a_practice_goes_from_member_to_review_to_publication(
    member, member_org, member_client, reviewer, editor_client, mailoutbox,
    django_capture_on_commit_callbacks, settings,
):  # fmt: skip
    settings.SECRETARIAT_EMAIL = "apap@iucn.example"
    park = ProtectedAreaFactory(name="Cat Tien National Park", country=country("VNM"))
    patrols = theme("law-enforcement-and-patrolling")

    # Minh submits a practice with two building blocks.
    response = submit(
        member_client,
        django_capture_on_commit_callbacks,
        blocks=TWO_BLOCKS,
        protected_area=str(park.pk),
        countries=[str(country("VNM").pk)],
        themes=[str(patrols.pk)],
        gbf_targets=[str(GbfTarget.objects.get(number=3).pk)],
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD_URL
    practice = BestPractice.objects.get()
    assert practice.status == BestPractice.Status.SUBMITTED
    assert practice.submitted_at is not None
    assert practice.organization == member_org
    assert practice.submitted_by == member
    assert practice.slug == "community-patrols-in-cat-tien"
    assert practice.protected_area == park
    assert list(practice.themes.all()) == [patrols]
    assert [block.title for block in practice.building_blocks.all()] == [
        "Agree patrol routes with villages",
        "Share the fines",
    ]
    assert [block.order for block in practice.building_blocks.all()] == [0, 1]
    [email] = mailoutbox
    assert email.to == ["apap@iucn.example"]
    assert "Community patrols in Cat Tien" in email.subject
    assert f"http://testserver/admin/knowledge/bestpractice/{practice.pk}/change/" in email.body

    # Emma asks for changes in the admin; the intermediate page asks for her message.
    action = {"action": "request_changes", "_selected_action": [practice.pk]}
    page = editor_client.post(CHANGELIST_URL, action)
    assert page.status_code == 200
    assert b'name="message"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST_URL,
            {**action, "confirm": "yes", "message": "Add the number of snares removed."},
        )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == BestPractice.Status.CHANGES_REQUESTED
    assert practice.review_message == "Add the number of snares removed."
    email = mailoutbox[1]
    assert email.to == [member.email]
    assert "Add the number of snares removed." in email.body
    assert f"http://testserver{edit_url(practice)}" in email.body
    assert LogEntry.objects.filter(object_id=str(practice.pk)).count() == 1

    # Minh sees the message on his dashboard, edits and submits again.
    dashboard = member_client.get(DASHBOARD_URL)
    assert "Add the number of snares removed." in dashboard.text
    assert edit_url(practice) in dashboard.text
    edit_page = member_client.get(edit_url(practice))
    assert edit_page.status_code == 200
    assert "Add the number of snares removed." in edit_page.text
    first, second = practice.building_blocks.all()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            edit_url(practice),
            practice_data(
                initial_blocks=2,
                blocks=[
                    {"id": str(first.pk), "title": first.title, "description": first.description},
                    {"id": str(second.pk), "title": second.title,
                     "description": second.description},
                ],
                impacts="1,240 snares removed in 2023.",
                protected_area=str(park.pk),
                loaded_version=str(practice.version),  # the form's hidden field
            ),
        )  # fmt: skip
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == BestPractice.Status.SUBMITTED
    assert practice.impacts == "1,240 snares removed in 2023."
    assert practice.slug == "community-patrols-in-cat-tien"
    assert practice.building_blocks.count() == 2
    assert len(mailoutbox) == 3
    assert mailoutbox[2].to == ["apap@iucn.example"]

    # Emma publishes it; Minh learns where to find it.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST_URL, {"action": "publish_selected", "_selected_action": [practice.pk]}
        )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == BestPractice.Status.PUBLISHED
    assert practice.published_at is not None
    email = mailoutbox[3]
    assert email.to == [member.email]
    assert f"http://testserver{practice.get_absolute_url()}" in email.body
    assert LogEntry.objects.filter(object_id=str(practice.pk)).count() == 2
    assert practice in BestPractice.objects.visible_to(AnonymousUser()).published()

    # Published, it is the secretariat's: Minh can no longer edit it.
    assert member_client.get(edit_url(practice)).status_code == 404
    assert edit_url(practice) not in member_client.get(DASHBOARD_URL).text


def test_save_as_draft_saves_without_emailing(
    member_client, mailoutbox, django_capture_on_commit_callbacks
):
    response = submit(
        member_client, django_capture_on_commit_callbacks, action="draft", blocks=TWO_BLOCKS[:1]
    )
    assert response.status_code == 302
    practice = BestPractice.objects.get()
    assert practice.status == BestPractice.Status.DRAFT
    assert practice.submitted_at is None
    assert mailoutbox == []


def test_a_draft_may_have_no_building_block_but_a_submission_needs_one(
    member_client, mailoutbox, django_capture_on_commit_callbacks
):
    response = submit(member_client, django_capture_on_commit_callbacks, action="submit")
    assert response.status_code == 200
    assert "Describe at least one building block" in response.text
    assert not BestPractice.objects.exists()

    response = submit(member_client, django_capture_on_commit_callbacks, action="draft")
    assert response.status_code == 302
    assert BestPractice.objects.get().status == BestPractice.Status.DRAFT
    assert mailoutbox == []


def test_blocks_are_reordered_and_removed_as_the_form_lists_them(member_client, member_org):
    practice = BestPracticeFactory(organization=member_org, status="draft", published_at=None)
    first = BuildingBlockFactory(best_practice=practice, order=0, title="First")
    second = BuildingBlockFactory(best_practice=practice, order=1, title="Second")
    third = BuildingBlockFactory(best_practice=practice, order=2, title="Third")

    response = member_client.post(
        edit_url(practice),
        practice_data(
            action="draft",
            initial_blocks=3,
            blocks=[
                {"id": str(third.pk), "title": "Third", "description": "c"},
                {"id": str(first.pk), "title": "First", "description": "a", "DELETE": True},
                {"id": str(second.pk), "title": "Second", "description": "b"},
                {"title": "Fourth", "description": "d"},
                {},  # an empty extra block is skipped
            ],
            title=practice.title,
            loaded_version=str(practice.version),
        ),
    )

    assert response.status_code == 302
    blocks = list(practice.building_blocks.all())
    assert [(block.title, block.order) for block in blocks] == [
        ("Third", 0),
        ("Second", 1),
        ("Fourth", 2),
    ]
    assert not BuildingBlock.objects.filter(pk=first.pk).exists()


# Slugs


def test_slugs_are_unique_and_never_a_page_name(member_client, django_capture_on_commit_callbacks):
    BestPracticeFactory(title="Mangrove nurseries", slug="mangrove-nurseries")
    BestPracticeFactory(title="Mangrove nurseries", slug="mangrove-nurseries-2")
    submit(
        member_client,
        django_capture_on_commit_callbacks,
        action="draft",
        title="Mangrove  nurseries",
    )
    assert BestPractice.objects.filter(slug="mangrove-nurseries-3").exists()
    assert unique_best_practice_slug("Submit") == "submit-2"
    assert unique_best_practice_slug("ป่าชายเลน") == "best-practice"


# Who may do what


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (SUBMIT_URL, DASHBOARD_URL, "/knowledge/best-practices/anything/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(SUBMIT_URL, practice_data(blocks=TWO_BLOCKS))
    assert response.status_code == 302
    assert not BestPractice.objects.exists()


def test_staff_without_organization_are_told_submitting_is_for_members(editor_client):
    response = editor_client.get(SUBMIT_URL)
    assert response.status_code == 403
    assert "Sharing best practices is for members" in response.text
    assert "/admin/knowledge/bestpractice/?review=waiting" in response.text

    response = editor_client.post(SUBMIT_URL, practice_data(blocks=TWO_BLOCKS))
    assert response.status_code == 403
    assert not BestPractice.objects.exists()


def test_members_edit_only_their_organizations_drafts_and_sent_back_practices(
    member_client, other_member_client, member_org
):
    draft = BestPracticeFactory(organization=member_org, status="draft", published_at=None)
    sent_back = BestPracticeFactory(organization=member_org, status="changes-requested")
    submitted = BestPracticeFactory(organization=member_org, status="submitted")
    published = BestPracticeFactory(organization=member_org, status="published")
    archived = BestPracticeFactory(organization=member_org, status="archived")

    assert member_client.get(edit_url(draft)).status_code == 200
    assert member_client.get(edit_url(sent_back)).status_code == 200
    for practice in (submitted, published, archived):
        assert member_client.get(edit_url(practice)).status_code == 404
    assert other_member_client.get(edit_url(draft)).status_code == 404

    response = other_member_client.post(
        edit_url(draft), practice_data(title="Taken over", blocks=TWO_BLOCKS)
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title != "Taken over"
    assert draft.status == "draft"


def test_a_published_practice_cannot_be_changed_by_posting_to_its_edit_page(
    member_client, member_org
):
    published = BestPracticeFactory(organization=member_org, status="published")
    response = member_client.post(
        edit_url(published), practice_data(title="Rewritten", blocks=TWO_BLOCKS)
    )
    assert response.status_code == 404
    published.refresh_from_db()
    assert published.title != "Rewritten"


def test_status_and_ownership_cannot_be_posted(member, member_client, other_org):
    member_client.post(
        SUBMIT_URL,
        practice_data(
            action="draft",
            status="published",
            visibility="members",
            organization=str(other_org.pk),
            slug="chosen",
            is_featured="on",
        ),
    )
    practice = BestPractice.objects.get()
    assert practice.status == "draft"
    assert practice.organization == member.organization
    assert practice.visibility == "public"
    assert practice.slug != "chosen"
    assert not practice.is_featured


def test_a_building_block_of_another_practice_cannot_be_taken_over(member_client, member_org):
    mine = BestPracticeFactory(organization=member_org, status="draft", published_at=None)
    theirs = BuildingBlockFactory(title="Theirs")

    response = member_client.post(
        edit_url(mine),
        practice_data(
            action="draft",
            initial_blocks=1,
            blocks=[{"id": str(theirs.pk), "title": "Mine now", "description": "x"}],
            loaded_version=str(mine.version),
        ),
    )

    # The block is taken as a new one of this practice; the other practice's is untouched.
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"
    assert theirs.best_practice_id != mine.pk
    assert [block.title for block in mine.building_blocks.all()] == ["Mine now"]


# Bad input


def test_bad_input_shows_every_error_and_keeps_what_was_typed(
    member_client, mailoutbox, django_capture_on_commit_callbacks
):
    not_an_image = SimpleUploadedFile("photo.jpg", b"<html>hello</html>", content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            SUBMIT_URL,
            practice_data(
                title="",
                summary="Kept summary text",
                impacts="Kept impacts text",
                blocks=[
                    {"title": "A block with no description", "enabling_factors": "Kept factor"},
                    {"title": "Complete block", "description": "Kept description"},
                ],
                cover_image=not_an_image,
            ),
        )

    assert response.status_code == 200
    form = response.context["form"]
    formset = response.context["formset"]
    assert "title" in form.errors
    assert "cover_image" in form.errors
    assert "description" in formset.forms[0].errors
    text = response.text
    # Each error is tied to its field for screen readers.
    assert 'aria-describedby="id_title_error"' in text
    assert 'id="id_title_error"' in text
    assert (
        'aria-describedby="id_blocks-0-description_helptext id_blocks-0-description_error"' in text
    )
    assert 'id="id_blocks-0-description_error"' in text
    assert "Building block 1, Description" in text
    # What was typed is kept, building blocks included.
    for typed in (
        "Kept summary text",
        "Kept impacts text",
        "A block with no description",
        "Kept factor",
        "Complete block",
        "Kept description",
    ):
        assert typed in text
    assert "Choose the image again" in text
    assert not BestPractice.objects.exists()
    assert not BuildingBlock.objects.exists()
    assert mailoutbox == []


def test_an_image_over_five_megabytes_is_refused(member_client):
    response = member_client.post(
        SUBMIT_URL,
        practice_data(blocks=TWO_BLOCKS, cover_image=six_megabyte_image(), cover_image_alt="Noise"),
    )
    assert response.status_code == 200
    assert "the limit is 5.0" in " ".join(response.context["form"].errors["cover_image"])
    assert "Choose the image again" in response.text
    assert not BestPractice.objects.exists()


def test_an_image_needs_its_description(
    member_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = member_client.post(
        SUBMIT_URL, practice_data(blocks=TWO_BLOCKS, cover_image=image_upload())
    )
    assert response.status_code == 200
    assert "cover_image_alt" in response.context["form"].errors
    assert "Choose the image again" in response.text
    assert not BestPractice.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            SUBMIT_URL,
            practice_data(
                blocks=TWO_BLOCKS,
                cover_image=image_upload(),
                cover_image_alt="Rangers and villagers on a forest trail",
            ),
        )
    assert response.status_code == 302
    practice = BestPractice.objects.get()
    assert practice.cover_image.name.endswith(".png")
    assert practice.cover_image_alt == "Rangers and villagers on a forest trail"


@pytest.mark.parametrize(
    "management",
    [
        {},  # missing altogether
        {"blocks-TOTAL_FORMS": "lots", "blocks-INITIAL_FORMS": "0"},
        {"blocks-TOTAL_FORMS": "-3", "blocks-INITIAL_FORMS": "x"},
    ],
    ids=["missing", "not-a-number", "negative"],
)
def test_a_tampered_management_form_is_a_clear_error_not_a_crash(member_client, management):
    data = {
        key: value
        for key, value in practice_data(blocks=TWO_BLOCKS, summary="Kept summary").items()
        if not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"))
    }
    response = member_client.post(SUBMIT_URL, {**data, **management})
    assert response.status_code == 400
    assert "The building blocks could not be read" in response.text
    assert "Kept summary" in response.text
    # The page offers a readable form again.
    assert 'name="blocks-TOTAL_FORMS" value="1"' in response.text
    assert not BestPractice.objects.exists()


def test_too_many_blocks_is_an_error_not_a_crash(member_client):
    data = practice_data(blocks=TWO_BLOCKS)
    data["blocks-TOTAL_FORMS"] = "31"
    response = member_client.post(SUBMIT_URL, data)
    assert response.status_code == 200
    assert "Please submit at most 30 forms" in response.text

    data["blocks-TOTAL_FORMS"] = "100000"
    response = member_client.post(SUBMIT_URL, data)
    assert response.status_code == 400
    assert "The building blocks could not be read" in response.text
    assert not BestPractice.objects.exists()


def test_the_form_has_a_label_for_every_field_and_a_legend_for_every_block(member_client):
    response = member_client.get(SUBMIT_URL)
    assert response.status_code == 200
    form = response.context["form"]
    for field in form.visible_fields():
        if field.use_fieldset:
            assert f"<legend>{field.label}" in response.text
        else:
            assert f'<label for="{field.id_for_label}">' in response.text
    assert "Building block 1</legend>" in response.text
    assert "<script>" not in response.text
    assert 'style="' not in response.text


def test_the_protected_area_choice_follows_visibility_ordered_by_name(member_client):
    ProtectedAreaFactory(name="Xuan Thuy National Park", country=country("VNM"))
    ProtectedAreaFactory(name="Ba Be National Park", country=country("VNM"))
    choices = [
        label for _value, label in member_client.get(SUBMIT_URL).context["form"]
        .fields["protected_area"].choices
    ]  # fmt: skip
    assert choices[1:] == ["Ba Be National Park (Viet Nam)", "Xuan Thuy National Park (Viet Nam)"]


def test_markup_typed_in_the_form_is_shown_back_inert(member_client, member_org):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    practice = BestPracticeFactory(
        organization=member_org,
        status="changes-requested",
        title=f"Patrols {payload}",
        review_message=f"Fix this {payload}",
    )
    BuildingBlockFactory(best_practice=practice, title=payload, description=payload)
    for url in (edit_url(practice), DASHBOARD_URL):
        text = member_client.get(url).text
        assert "<script>alert" not in text
        assert "<img src=x" not in text
        assert "&lt;script&gt;" in text


# The dashboard


def test_the_dashboard_lists_the_organizations_practices_with_their_status(
    member_client, member_org, other_org
):
    BestPracticeFactory(organization=member_org, title="Our draft", status="draft")
    BestPracticeFactory(
        organization=member_org,
        title="Sent back",
        status="changes-requested",
        review_message="Please add a photo.",
    )
    waiting = BestPracticeFactory(organization=member_org, title="Waiting", status="submitted")
    published = BestPracticeFactory(organization=member_org, title="Ours, published")
    BestPracticeFactory(organization=member_org, title="Old one", status="archived")
    BestPracticeFactory(organization=other_org, title="Not ours", status="draft")

    response = member_client.get(DASHBOARD_URL)

    text = response.text
    assert response.status_code == 200
    assert member_org.name in text
    assert member_org.get_absolute_url() in text
    assert SUBMIT_URL in text
    for title in ("Our draft", "Sent back", "Waiting", "Ours, published", "Old one"):
        assert title in text
    assert "Not ours" not in text
    assert "Please add a photo." in text
    assert published.get_absolute_url() in text
    assert edit_url(waiting) not in text
    assert edit_url(published) not in text
    for status in ("Draft", "Changes requested", "Submitted for review", "Published", "Archived"):
        assert status in text
    editable = {p.title for p in response.context["best_practices"] if p.is_editable}
    assert editable == {"Our draft", "Sent back"}


def test_the_dashboard_sends_staff_without_organization_to_the_review_queue(editor_client):
    response = editor_client.get(DASHBOARD_URL)
    assert response.status_code == 200
    assert "/admin/knowledge/bestpractice/?review=waiting" in response.text


@pytest.mark.parametrize("count", [3, 40])
def test_dashboard_query_count_does_not_grow_with_the_number_of_practices(
    member_client, member_org, django_assert_num_queries, count
):
    """Intended to prevent an n+1 issue on the dashboard's rows."""
    BestPracticeFactory.create_batch(count // 2, organization=member_org, status="draft")
    BestPracticeFactory.create_batch(count - count // 2, organization=member_org)
    # The request's savepoint (ATOMIC_REQUESTS), the session, the user, their
    # organization, the change to its profile under way, the open calls they may answer
    # (whether they did is a subquery), the best practices (whether each is editable is
    # a subquery), the savepoint's release.
    with django_assert_num_queries(8):
        response = member_client.get(DASHBOARD_URL)
    assert len(response.context["best_practices"]) == count


# The services, on their own


def test_services_refuse_a_step_out_of_order(member, editor):
    published = BestPracticeFactory(status="published")
    with pytest.raises(InvalidTransition):
        best_practice_submit(published, member, base_url="http://testserver/")
    draft = BestPracticeFactory(status="draft", published_at=None)
    with pytest.raises(InvalidTransition):
        best_practice_publish(draft, editor, base_url="http://testserver/")


def test_a_rolled_back_submission_sends_nothing(
    member, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    practice = BestPracticeFactory(organization=member_org, status="draft", published_at=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                best_practice_submit(practice, member, base_url="http://testserver/")
                raise RuntimeError("the save fails after the submission")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mailoutbox == []
    practice.refresh_from_db()
    assert practice.status == "draft"
