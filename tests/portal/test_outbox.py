"""Every email goes through the outbox and the worker: queued with the change that
causes it, sent by the worker, retried when the mail server fails, and listed in the
admin when it fails for good. Killing the worker loses none."""

from __future__ import annotations

import datetime
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apap_portal.outbox import Message, queue_emails, send_email
from apap_portal.outbox.models import Email
from apap_portal.outbox.tasks import deliver, resend_due
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def _queue(count: int = 1, **fields) -> list[Email]:
    queue_emails(
        Message(to=f"reader{number}@example.org", subject=f"Message {number}", body="Hello.")
        for number in range(count)
    )
    return list(Email.objects.order_by("pk"))


class RefusingBackend:
    """A mail server that accepts the connection and refuses every message."""

    def __init__(self, **options):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def refusing_mail_server(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}


def test_an_email_is_sent_by_the_worker_not_by_the_request(client, member):
    # Minh forgets his password: the page answers at once; the message waits for the worker.
    client.post(reverse("password_reset"), {"email": member.email})
    assert mail.outbox == []
    [queued] = Email.objects.all()
    assert queued.status == Email.Status.QUEUED
    assert queued.kind == "password reset"

    run_worker()

    [email] = mail.outbox
    assert email.to == [member.email]
    queued.refresh_from_db()
    assert queued.status == Email.Status.SENT
    assert queued.sent_at is not None
    # What is left is what the secretariat needs to see: not the reset link.
    assert queued.body == ""
    assert queued.html_body == ""


def _publish_and_fail() -> None:
    with transaction.atomic():
        send_email(
            to="minh@example.org",
            subject="Published",
            template="knowledge/emails/published.txt",
            context={"best_practice": None, "reviewer": None, "public_url": "/"},
        )
        raise RuntimeError("the save failed")


def test_a_rolled_back_change_sends_nothing(db):
    with pytest.raises(RuntimeError):
        _publish_and_fail()

    run_worker()

    assert Email.objects.count() == 0
    assert mail.outbox == []


def test_a_message_is_sent_once_however_often_its_task_runs(db):
    [email] = _queue()

    assert deliver([email.pk]) == 1
    assert deliver([email.pk]) == 0
    run_worker()

    assert len(mail.outbox) == 1


def test_many_messages_are_queued_in_batches_and_sent_over_few_connections(settings):
    settings.OUTBOX_BATCH_SIZE = 10

    assert len(_queue(25)) == 25
    run_worker()

    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        f"reader{number}@example.org" for number in range(25)
    )
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}


def test_a_refused_message_is_tried_again_later_then_listed_as_failed(
    refusing_mail_server, settings, caplog
):
    settings.OUTBOX_RETRY_MINUTES = [1, 5]
    [email] = _queue()

    run_worker()
    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED
    assert email.attempts == 1
    assert "Connection unexpectedly closed" in email.last_error
    assert email.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)

    # Its retry is deferred: the worker does not take it before its time.
    run_worker()
    email.refresh_from_db()
    assert email.attempts == 1

    for attempt in (2, 3):
        Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        deliver([email.pk])
        email.refresh_from_db()
        assert email.attempts == attempt

    assert email.status == Email.Status.FAILED
    assert email.body == "Hello."  # kept, to be sent again
    assert "failed for good after 3 attempts" in caplog.text


def test_staff_see_a_failed_email_and_send_it_again(
    refusing_mail_server, settings, manager_client, editor_client
):
    settings.OUTBOX_RETRY_MINUTES = []
    [email] = _queue()
    run_worker()
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED

    # The admin's home says an email failed; the list shows why, and no body.
    home = manager_client.get(reverse("admin:index")).content.decode()
    assert "1 email could not be sent" in home
    changelist = manager_client.get(
        reverse("admin:apap_portal_email_changelist"), {"status": "failed"}
    ).content.decode()
    assert "reader0@example.org" in changelist
    page = manager_client.get(reverse("admin:apap_portal_email_change", args=[email.pk]))
    assert "Connection unexpectedly closed" in page.content.decode()
    assert "Hello." not in page.content.decode()
    # Editors see it too, but may not send it again.
    assert editor_client.get(reverse("admin:apap_portal_email_changelist")).status_code == 200

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = manager_client.post(
        reverse("admin:apap_portal_email_changelist"),
        {"action": "send_again", "_selected_action": [email.pk]},
        follow=True,
    )
    assert "1 email queued again." in response.content.decode()
    run_worker()
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    [sent] = mail.outbox
    assert sent.body == "Hello."


def test_the_outbox_admin_lists_and_searches(manager_client):
    _queue(3)
    url = reverse("admin:apap_portal_email_changelist")
    assert manager_client.get(url).status_code == 200
    assert "reader2@example.org" in manager_client.get(url, {"q": "reader2"}).content.decode()
    # Nobody writes an email by hand in the admin.
    assert manager_client.get(reverse("admin:apap_portal_email_add")).status_code == 403


def test_messages_a_killed_worker_had_claimed_are_sent_again(db, settings):
    settings.OUTBOX_CLAIM_SECONDS = 60
    emails = _queue(3)
    # A worker claimed them and died: its claim runs out, and nothing else would send them.
    Email.objects.update(
        status=Email.Status.SENDING,
        claimed_until=timezone.now() - datetime.timedelta(seconds=1),
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # its task is lost with it

    assert resend_due.call() == 3
    run_worker()

    assert sorted(email.to[0] for email in mail.outbox) == sorted(e.to for e in emails)
