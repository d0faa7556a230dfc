"""The review queue, the secretariat's own page: the submissions waiting, the longest-waiting
first, with Publish and Request changes as a button on each.

Emma (editor_client) reviews with what the "Secretariat editors" group gives her; Minh
(member) and Oyuna (other_member) submitted the practices; Victor is staff who may only
view best practices.
"""

import datetime
import re
from datetime import UTC

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from reversion.models import Version

from knowledge.models import BestPractice
from tests.factories import BestPracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE_URL = "/admin/knowledge/bestpractice/review/"


def publish_url(practice: BestPractice) -> str:
    return f"{QUEUE_URL}{practice.pk}/publish/"


def request_changes_url(practice: BestPractice) -> str:
    return f"{QUEUE_URL}{practice.pk}/request-changes/"


def submitted(member, day: int = 1, **kwargs) -> BestPractice:
    defaults = {
        "organization": member.organization,
        "submitted_by": member,
        "status": "submitted",
        "published_at": None,
        "submitted_at": datetime.datetime(2025, 3, day, tzinfo=UTC),
    }
    return BestPracticeFactory(**{**defaults, **kwargs})


@pytest.fixture
def viewer(client):
    """Victor: staff, who may view best practices but not change them."""
    victor = UserFactory(username="victor", is_staff=True)
    victor.user_permissions.add(Permission.objects.get(codename="view_bestpractice"))
    client.force_login(victor)
    return client


def test_the_queue_lists_waiting_submissions_oldest_first_with_who_and_when(
    editor_client, member, other_member
):
    # Made newest first, so that the order of creation would not pass.
    newer = submitted(other_member, day=20, title="Snow leopard monitoring")
    older = submitted(member, day=2, title="Ranger training in Cuc Phuong")
    submitted(member, title="A draft", status="draft")
    submitted(member, title="Sent back", status="changes-requested")
    submitted(member, title="Out already", status="published")

    page = editor_client.get(QUEUE_URL)

    assert page.status_code == 200
    assert page.context["waiting"] == [older, newer]
    text = page.text
    assert text.index("Ranger training in Cuc Phuong") < text.index("Snow leopard monitoring")
    assert "A draft" not in text
    assert "Out already" not in text
    assert ">2 March 2025</time>" in text
    assert member.organization.name in text
    assert member.email in text
    assert "2 submissions wait for review" in text
    # The one sent back waits for its submitter, and is one link away.
    assert "1 best practice is back with its submitter for changes." in text


def test_each_row_has_publish_and_request_changes_buttons_posting_with_csrf(editor_client, member):
    practice = submitted(member, title="Ranger training")

    text = editor_client.get(QUEUE_URL).text

    row = text.split('<tr class="review-queue__row">')[1].split("</tr>")[0]
    forms = re.findall(r'<form method="post" action="([^"]+)">', row)
    assert forms == [publish_url(practice), request_changes_url(practice)]
    assert row.count('name="csrfmiddlewaretoken"') == 2
    assert ">Publish</button>" in row
    assert ">Request changes</button>" in row


def test_an_empty_queue_says_so(editor_client):
    page = editor_client.get(QUEUE_URL)

    assert "Nothing waits for review." in page.text
    assert "review-queue__row" not in page.text


def test_publish_button_publishes_as_the_admin_action_does(
    editor, editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    practice = submitted(member, title="Ranger training")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(publish_url(practice))

    assert response.status_code == 302
    assert response["Location"] == QUEUE_URL
    practice.refresh_from_db()
    assert practice.status == "published"
    assert practice.published_at is not None
    [email] = mailoutbox
    assert email.subject == "Published: Ranger training"
    assert email.to == [member.email]
    # The same history as the action: an admin log entry and a revision by the reviewer.
    entry = LogEntry.objects.get(object_id=str(practice.pk))
    assert entry.user == editor
    assert entry.get_change_message() == "Published; the submitter was emailed."
    revision = Version.objects.get_for_object(practice).first().revision
    assert revision.user == editor
    followed = editor_client.get(response["Location"])
    messages = [str(message) for message in followed.context["messages"]]
    assert messages == ["1 best practice published; its submitter is emailed."]


def test_publish_button_skips_what_no_longer_waits(
    editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    """Two reviewers at once: the second click finds the practice published already."""
    practice = submitted(member, status="published")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(publish_url(practice), follow=True)

    assert mailoutbox == []
    messages = [str(message) for message in response.context["messages"]]
    assert any("was skipped" in message for message in messages)
    assert not LogEntry.objects.exists()


def test_request_changes_asks_for_a_message_then_sends_it(
    editor, editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    practice = submitted(member, title="Ranger training")

    form = editor_client.post(request_changes_url(practice))

    assert form.status_code == 200
    assert 'name="message"' in form.text
    assert '<form method="post" novalidate>' in form.text  # posts back to the same address
    assert f'href="{QUEUE_URL}" class="button cancel-link"' in form.text
    practice.refresh_from_db()
    assert practice.status == "submitted"
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            request_changes_url(practice),
            {"confirm": "yes", "message": "Please name the protected area."},
        )

    assert response.status_code == 302
    assert response["Location"] == QUEUE_URL
    practice.refresh_from_db()
    assert practice.status == "changes-requested"
    assert practice.review_message == "Please name the protected area."
    [email] = mailoutbox
    assert email.to == [member.email]
    assert "Please name the protected area." in email.body
    entry = LogEntry.objects.get(object_id=str(practice.pk))
    assert entry.user == editor
    assert entry.get_change_message() == "Changes requested; the submitter was emailed."


def test_request_changes_without_a_message_asks_again(
    editor_client, member, mailoutbox, django_capture_on_commit_callbacks
):
    practice = submitted(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            request_changes_url(practice), {"confirm": "yes", "message": "  "}
        )

    assert response.status_code == 200
    assert "Write the changes you ask for." in response.text
    practice.refresh_from_db()
    assert practice.status == "submitted"
    assert mailoutbox == []


def test_buttons_answer_only_post(editor_client, member):
    practice = submitted(member)

    assert editor_client.get(publish_url(practice)).status_code == 405
    assert editor_client.get(request_changes_url(practice)).status_code == 405
    practice.refresh_from_db()
    assert practice.status == "submitted"


def test_a_practice_that_does_not_exist_is_not_found(editor_client):
    assert editor_client.post(f"{QUEUE_URL}999999/publish/").status_code == 404
    assert editor_client.post(f"{QUEUE_URL}999999/request-changes/").status_code == 404


def test_staff_who_may_only_view_may_not_open_the_queue_nor_review(viewer, member):
    practice = submitted(member)

    assert viewer.get(QUEUE_URL).status_code == 403
    assert viewer.post(publish_url(practice)).status_code == 403
    assert (
        viewer.post(request_changes_url(practice), {"confirm": "yes", "message": "No."}).status_code
        == 403
    )
    practice.refresh_from_db()
    assert practice.status == "submitted"


def test_members_and_visitors_are_sent_to_the_admin_sign_in(client, member_client, member):
    practice = submitted(member)

    for who in (client, member_client):
        for response in (who.get(QUEUE_URL), who.post(publish_url(practice))):
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")
    practice.refresh_from_db()
    assert practice.status == "submitted"


def test_the_best_practice_list_links_to_the_queue(editor_client, viewer):
    queue = reverse("admin:knowledge_bestpractice_review")

    assert f'href="{queue}"' in editor_client.get("/admin/knowledge/bestpractice/").text
    assert f'href="{queue}"' not in viewer.get("/admin/knowledge/bestpractice/").text


@pytest.mark.parametrize("rows", [2, 25])
def test_queue_query_count_does_not_grow(editor_client, django_assert_num_queries, member, rows):
    """Intended to prevent an n+1 issue on the organizations and submitters of the rows."""
    for day in range(1, rows + 1):
        submitted(member, day=day % 28 + 1)
    # 1. savepoint  2. session  3. user  4.-5. the user's permissions, own and from groups
    # 6. the waiting practices with organization and submitter  7. how many were sent back
    # 8. the members' profile changes waiting, with organization and submitter
    # 9. release savepoint
    with django_assert_num_queries(9):
        response = editor_client.get(QUEUE_URL)
    assert len(response.context["waiting"]) == rows
