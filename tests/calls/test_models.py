"""A call's dates: validated, shown in the secretariat's zone with its offset, time left."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from calls.models import Call, offset_label
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

BANGKOK = ZoneInfo("Asia/Bangkok")
NOW = datetime.datetime(2027, 1, 10, 3, 0, tzinfo=datetime.UTC)


def test_the_deadline_must_come_after_the_opening():
    call = CallFactory.build(
        opens_at=NOW, deadline=NOW - datetime.timedelta(hours=1), slug="backwards"
    )
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert refused.value.message_dict["deadline"] == ["The deadline must come after the opening."]
    # And the database refuses it too, whatever writes it.
    with pytest.raises(IntegrityError):
        call.save()


def test_a_time_zone_must_be_a_real_zone_name():
    call = CallFactory.build(time_zone="Asia/Atlantis", slug="nowhere")
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert "is not a time zone name" in refused.value.message_dict["time_zone"][0]


def test_the_deadline_is_shown_in_the_calls_zone_with_its_offset():
    call = CallFactory.build(
        deadline=datetime.datetime(2027, 1, 15, 17, 0, tzinfo=BANGKOK), time_zone="Asia/Bangkok"
    )
    assert call.deadline_label() == "15 January 2027, 17:00 (Asia/Bangkok, UTC+7)"
    # The same instant, set by the secretariat in India's zone, is 15:30 there.
    call.time_zone = "Asia/Kolkata"
    assert call.deadline_label() == "15 January 2027, 15:30 (Asia/Kolkata, UTC+5:30)"
    with translation.override("vi"):
        assert "(Asia/Kolkata, UTC+5:30)" in call.deadline_label()
        assert "2027" in call.deadline_label()
        assert "January" not in call.deadline_label()


def test_offsets_are_written_as_people_write_them():
    moment = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)
    assert offset_label(moment) == "UTC"
    assert offset_label(moment.astimezone(ZoneInfo("Asia/Kathmandu"))) == "UTC+5:45"
    assert offset_label(moment.astimezone(ZoneInfo("America/Sao_Paulo"))) == "UTC-3"


def test_time_left_before_during_and_after_the_call():
    call = CallFactory.build(
        opens_at=NOW + datetime.timedelta(days=5),
        deadline=NOW + datetime.timedelta(days=20),
    )
    assert call.time_left(NOW) == "opens in 5\xa0days"
    assert call.time_left(NOW + datetime.timedelta(days=17, hours=20)) == (
        "closes in 2\xa0days, 4\xa0hours"
    )
    assert call.time_left(NOW + datetime.timedelta(days=23)) == "closed 3\xa0days ago"


def test_open_and_past_split_at_the_deadline():
    open_call = CallFactory(opens_at=NOW - datetime.timedelta(days=1), deadline=NOW)
    later = CallFactory(opens_at=NOW + datetime.timedelta(days=1), deadline=NOW + _days(9))
    just_before = NOW - datetime.timedelta(seconds=1)
    assert list(Call.objects.open(just_before)) == [open_call]
    assert list(Call.objects.open(NOW)) == []  # closed at the deadline itself
    assert list(Call.objects.past(NOW)) == [open_call]
    assert set(Call.objects.not_closed(NOW)) == {later}


def test_reminder_due_holds_open_calls_closing_within_the_days(settings):
    settings.CALL_REMINDER_DAYS = 3
    soon = CallFactory(deadline=NOW + _days(2), opens_at=NOW - _days(5))
    CallFactory(deadline=NOW + _days(4), opens_at=NOW - _days(5))  # not yet
    CallFactory(deadline=NOW - _days(1), opens_at=NOW - _days(5))  # closed
    CallFactory(deadline=NOW + _days(1), opens_at=NOW - _days(5), status="draft")
    assert list(Call.objects.reminder_due(NOW)) == [soon]
    assert len(Call.objects.reminder_due(NOW, days=5)) == 2


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)
