"""The secretariat's review queue in the admin: publish, or send back with a message.

Emma (editor_client) is a secretariat editor; Minh (member) submitted the practices.
"""

import datetime
from datetime import UTC

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from knowledge.models import BestPractice
from tests.factories import BestPracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST_URL = "/admin/knowledge/bestpractice/"


def change_url(practice: BestPractice) -> str:
    return reverse("admin:knowledge_bestpractice_change", args=[practice.pk])


@pytest.fixture
def reviewer(editor):
    """Emma reviews with what the "Secretariat editors" group gives her, nothing more."""
    return editor


def submitted(member, **kwargs) -> BestPractice:
    defaults = {
        "organization": member.organization,
        "submitted_by": member,
        "status": "submitted",
        "published_at": None,
        "submitted_at": datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC),
    }
    return BestPracticeFactory(**{**defaults, **kwargs})


def test_the_review_queue_lists_waiting_practices_oldest_first(reviewer, editor_client, member):
    # Created in the other order, so that the list's usual order would not pass.
    older = submitted(member, title="Older", submitted_at=datetime.datetime(2025, 2, 1, tzinfo=UTC))
    newer = submitted(member, title="Newer", submitted_at=datetime.datetime(2025, 3, 2, tzinfo=UTC))
    submitted(member, title="A draft", status="draft")
    submitted(member, title="Sent back", status="changes-requested")

    response = editor_client.get(CHANGELIST_URL, {"review": "waiting"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [older, newer]
    sent_back = editor_client.get(CHANGELIST_URL, {"review": "sent-back"}).context["cl"]
    assert [practice.title for practice in sent_back.result_list] == ["Sent back"]


def test_publish_publishes_only_what_waits_for_review(
    reviewer, editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    waiting = submitted(member, title="Waiting")
    earlier = datetime.datetime(2024, 1, 5, tzinfo=datetime.UTC)
    sent_back = submitted(member, title="Sent back", status="changes-requested",
                          published_at=earlier)  # fmt: skip
    draft = submitted(member, title="Draft", status="draft")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST_URL,
            {"action": "publish_selected",
             "_selected_action": [waiting.pk, sent_back.pk, draft.pk]},
            follow=True,
        )  # fmt: skip

    for practice in (waiting, sent_back, draft):
        practice.refresh_from_db()
    assert waiting.status == sent_back.status == "published"
    assert waiting.published_at is not None
    assert sent_back.published_at == earlier  # a first publication date is kept
    assert draft.status == "draft"
    assert sorted(email.subject for email in mailoutbox) == [
        "Published: Sent back",
        "Published: Waiting",
    ]
    messages = [str(message) for message in response.context["messages"]]
    assert "2 best practices published; their submitters are emailed." in messages
    assert any("1 selected best practice was skipped" in message for message in messages)
    assert LogEntry.objects.filter(object_id=str(draft.pk)).count() == 0
    assert LogEntry.objects.filter(object_id=str(waiting.pk)).count() == 1


def test_request_changes_with_an_empty_message_changes_nothing(
    reviewer, editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    practice = submitted(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST_URL,
            {"action": "request_changes", "_selected_action": [practice.pk],
             "confirm": "yes", "message": "   "},
        )  # fmt: skip

    assert response.status_code == 200
    assert "Write the changes you ask for." in response.text
    assert f'name="_selected_action" value="{practice.pk}"' in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text
    practice.refresh_from_db()
    assert practice.status == "submitted"
    assert practice.review_message == ""
    assert mailoutbox == []
    assert not LogEntry.objects.exists()


def test_request_changes_sends_the_message_to_each_submitter(
    reviewer, editor_client, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    mine = submitted(member, title="Ranger training")
    theirs = submitted(other_member, title="Snow leopard monitoring")
    published = submitted(member, title="Already out", status="published")

    page = editor_client.post(
        CHANGELIST_URL,
        {"action": "request_changes", "_selected_action": [mine.pk, theirs.pk, published.pk]},
    )
    assert page.status_code == 200
    assert "skipped: not submitted for review" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST_URL,
            {"action": "request_changes",
             "_selected_action": [mine.pk, theirs.pk, published.pk],
             "confirm": "yes", "message": "Please name the protected area."},
        )  # fmt: skip

    assert response.status_code == 302
    for practice in (mine, theirs, published):
        practice.refresh_from_db()
    assert mine.status == theirs.status == "changes-requested"
    assert mine.review_message == "Please name the protected area."
    assert published.status == "published"
    assert published.review_message == ""
    assert sorted(email.to[0] for email in mailoutbox) == sorted([member.email, other_member.email])
    assert all("Please name the protected area." in email.body for email in mailoutbox)
    assert LogEntry.objects.filter(object_id=str(theirs.pk)).get().is_change()


def test_a_request_for_changes_with_nothing_to_review_offers_no_form(
    reviewer, editor_client, member
):
    draft = submitted(member, status="draft")
    page = editor_client.post(
        CHANGELIST_URL, {"action": "request_changes", "_selected_action": [draft.pk]}
    )
    assert page.status_code == 200
    assert 'name="message"' not in page.text
    assert "nothing to send back" in page.text


def test_the_change_page_offers_publish_and_request_changes(
    reviewer, editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    practice = submitted(member)
    page = editor_client.get(change_url(practice))
    assert page.status_code == 200
    assert 'value="publish_selected"' in page.text
    assert 'value="request_changes"' in page.text

    action = {"CHANGE_FORM-action": "request_changes", "_selected_action": [practice.pk]}
    intermediate = editor_client.post(change_url(practice), action)
    assert intermediate.status_code == 200
    assert 'name="CHANGE_FORM-action" value="request_changes"' in intermediate.text
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(practice), {**action, "confirm": "yes", "message": "Add a photo."}
        )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == "changes-requested"
    assert practice.review_message == "Add a photo."
    [email] = mailoutbox
    assert email.to == [member.email]


def test_a_submitter_without_email_still_gets_published(
    reviewer, editor_client, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    no_email = UserFactory(organization=member_org, email="")
    practice = submitted(no_email)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            CHANGELIST_URL, {"action": "publish_selected", "_selected_action": [practice.pk]}
        )
    practice.refresh_from_db()
    assert practice.status == "published"
    assert mailoutbox == []


def test_staff_who_may_only_view_cannot_review(client, member):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_bestpractice"))
    client.force_login(viewer)
    practice = submitted(member)

    page = client.get(CHANGELIST_URL)
    assert page.status_code == 200
    assert 'value="publish_selected"' not in page.text

    client.post(CHANGELIST_URL, {"action": "publish_selected", "_selected_action": [practice.pk]})
    practice.refresh_from_db()
    assert practice.status == "submitted"
