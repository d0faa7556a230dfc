"""The demo's calls: two open, one past, loaded once whatever the number of runs."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from calls.models import Call

pytestmark = pytest.mark.django_db


def test_two_calls_are_open_and_one_is_past(demo, client):
    now = timezone.now()
    assert Call.objects.public().count() == 3
    assert set(Call.objects.open(now).values_list("slug", flat=True)) == {
        "steering-committee-nominations",
        "best-practices-asia-parks-congress",
    }
    past = Call.objects.past(now).get()
    assert {country.iso3 for country in past.countries.all()} == {"BGD", "IND"}
    assert "Nominations to the APAP Steering Committee" in client.get("/").text
    assert "17:00 (Asia/Bangkok, UTC+7)" in client.get("/calls/").text


def test_loading_again_writes_nothing(demo):
    before = list(Call.objects.order_by("pk").values())
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert list(Call.objects.order_by("pk").values()) == before
    assert "calls: calls 3 (0 created, 0 updated, 3 unchanged)" in out.getvalue()
