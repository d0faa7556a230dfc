"""Reminders of a deadline: sent once to the eligible members who have not responded."""

import datetime

import pytest
from django.utils import timezone

from calls.models import CallReminder
from calls.tasks import send_deadline_reminders
from tests.factories import (
    CallFactory,
    CallResponseFactory,
    MemberOrganizationFactory,
    UserFactory,
    country,
)

pytestmark = pytest.mark.django_db


def _days(count: float) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def reminded(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


@pytest.fixture
def now():
    return timezone.now()


def test_the_reminder_goes_once_to_eligible_members_who_have_not_responded(
    member, other_member, now, mailoutbox, run_worker, settings
):
    settings.CALL_REMINDER_DAYS = 3
    call = CallFactory(
        title="Nominations from Viet Nam",
        eligibility="countries",
        countries=[country("VNM")],
        opens_at=now - _days(10),
        deadline=now + _days(2),
    )
    colleague = UserFactory(username="lan", organization=member.organization)
    CallResponseFactory(call=call, user=colleague)  # Lan has responded
    UserFactory(username="no-address", email="", organization=member.organization)
    UserFactory(username="left", is_active=False, organization=member.organization)
    UserFactory(username="public")  # no organization: not a member

    assert send_deadline_reminders.call(now=now) == 1
    run_worker()
    assert reminded(mailoutbox) == [member.email]  # not Oyuna of Mongolia, not Lan
    [email] = mailoutbox
    assert "Nominations from Viet Nam" in email.subject
    assert "(Asia/Bangkok, UTC+7)" in email.body
    assert f"{settings.SITE_URL}{call.get_absolute_url()}" in email.body

    # Run again (the scheduler runs it every few minutes): nothing more is sent.
    assert send_deadline_reminders.call(now=now + datetime.timedelta(minutes=5)) == 0
    run_worker()
    assert len(mailoutbox) == 1
    reminder = CallReminder.objects.get()
    assert reminder.recipient_count == 1
    assert reminder.deadline == call.deadline


def test_no_reminder_before_the_days_nor_for_drafts_or_closed_calls(
    member, now, mailoutbox, run_worker, settings
):
    settings.CALL_REMINDER_DAYS = 3
    CallFactory(opens_at=now - _days(1), deadline=now + _days(4))
    CallFactory(opens_at=now - _days(1), deadline=now + _days(1), status="draft")
    CallFactory(opens_at=now - _days(9), deadline=now - _days(1))
    assert send_deadline_reminders.call(now=now) == 0
    run_worker()
    assert mailoutbox == []
    assert not CallReminder.objects.exists()


def test_a_deadline_moved_later_gets_a_reminder_of_its_own(
    member, now, mailoutbox, run_worker, settings
):
    settings.CALL_REMINDER_DAYS = 3
    call = CallFactory(opens_at=now - _days(10), deadline=now + _days(1))
    send_deadline_reminders.call(now=now)
    call.deadline = now + _days(8)
    call.save()
    send_deadline_reminders.call(now=now + _days(6))
    run_worker()
    assert reminded(mailoutbox) == [member.email, member.email]
    assert CallReminder.objects.count() == 2


def test_a_call_to_all_members_reminds_members_of_every_country(
    member, other_member, now, mailoutbox, run_worker
):
    MemberOrganizationFactory(country=country("LAO"))  # an organization without users
    CallFactory(opens_at=now - _days(10), deadline=now + _days(1))
    assert send_deadline_reminders.call(now=now) == 2
    run_worker()
    assert reminded(mailoutbox) == sorted([member.email, other_member.email])
