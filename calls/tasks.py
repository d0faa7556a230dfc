"""Reminders of calls' deadlines to the eligible members who have not responded yet.

`send_deadline_reminders` runs from the scheduler (settings.PERIODIC_TASKS) every few
minutes and decides itself what is due: each published open call whose deadline falls
within CALL_REMINDER_DAYS (`Call.objects.reminder_due`) and whose reminder has not gone
out for that deadline. The record of the reminder (`CallReminder`, one per call and
deadline) and its emails are written in one transaction: a run that fails sends nothing
and records nothing, the next one tries again; two runs at once send it once (the
second one's record collides with the first's, and it leaves that call alone).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apap_portal.outbox import Message, one_line, queue_emails
from calls.models import Call, CallReminder
from members.models import User

logger = logging.getLogger(__name__)


def members_to_remind(call: Call) -> QuerySet[User]:
    """Active member accounts with an address who may answer `call` and have not yet."""
    users = (
        User.objects.filter(is_active=True, organization__isnull=False)
        .exclude(email="")
        .exclude(call_responses__call=call)
    )
    if call.eligibility == Call.Eligibility.COUNTRIES:
        users = users.filter(organization__country__in=call.countries.all())
    return users.only("email").order_by("pk")


def reminder_messages(call: Call, users: QuerySet[User]) -> Iterator[Message]:
    """The same reminder to each member (rendered once), read a batch of users at a time."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = one_line(
            _("Reminder: “%(title)s” closes on %(deadline)s")
            % {"title": call.title, "deadline": call.deadline_label()}
        )
        body = render_to_string(
            "calls/emails/reminder.txt",
            {
                "call": call,
                "deadline": call.deadline_label(),
                "call_url": urljoin(settings.SITE_URL, call.get_absolute_url()),
            },
        )
    for user in users.iterator(chunk_size=settings.OUTBOX_BATCH_SIZE):
        yield Message(to=user.email, subject=subject, body=body, kind="calls.reminder")


def remind(call: Call, now: datetime.datetime) -> int | None:
    """Send `call`'s reminder unless it went out already for this deadline; how many
    members it went to (None: it had gone out)."""
    try:
        with transaction.atomic():
            reminder = CallReminder.objects.create(call=call, deadline=call.deadline, sent_at=now)
            count = queue_emails(reminder_messages(call, members_to_remind(call)))
            reminder.recipient_count = count
            reminder.save(update_fields=["recipient_count"])
    except IntegrityError:
        return None  # already sent, or being sent by a run at the same time
    return count


@task
def send_deadline_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the members of every call whose reminder is due (once per call and deadline).

    Idempotent: safe to run every few minutes. Returns the number of emails queued.
    """
    now = now or timezone.now()
    sent = CallReminder.objects.filter(call_id=OuterRef("pk"), deadline=OuterRef("deadline"))
    due = Call.objects.reminder_due(now).exclude(Exists(sent)).order_by("deadline", "pk")
    queued = 0
    for call in due:
        count = remind(call, now)
        if count is not None:
            logger.info("Reminded %d members of the deadline of call %s.", count, call.pk)
            queued += count
    return queued
