"""The demo's country statistics: Protected Planet's figures of May 2026, as published."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from countries.models import CountryStatistics

pytestmark = pytest.mark.django_db

MEMBER_COUNTRIES = {"BGD", "BTN", "KHM", "CHN", "IND", "JPN", "LAO", "MYS", "MDV", "MNG"}
MEMBER_COUNTRIES |= {"MMR", "NPL", "PAK", "KOR", "LKA", "THA", "VNM"}


def figures(iso3: str) -> CountryStatistics:
    return CountryStatistics.objects.get(country__iso3=iso3)


def test_the_member_countries_have_protected_planet_s_figures_with_their_date(demo):
    assert set(CountryStatistics.objects.values_list("country__iso3", flat=True)) == (
        MEMBER_COUNTRIES
    )
    assert set(CountryStatistics.objects.values_list("as_of", flat=True)) == {
        datetime.date(2026, 5, 1)
    }
    assert (figures("VNM").pa_land_percent, figures("VNM").pa_marine_percent) == (
        Decimal("7.57"),
        Decimal("0.49"),
    )
    assert figures("BTN").pa_land_percent == Decimal("51.63")
    assert (figures("JPN").pa_land_percent, figures("JPN").pa_marine_percent) == (
        Decimal("29.72"),
        Decimal("13.79"),
    )
    assert figures("LAO").national_report_url == ""  # "na" in the file


def test_loading_again_writes_nothing(demo):
    before = list(CountryStatistics.objects.order_by("pk").values())
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert list(CountryStatistics.objects.order_by("pk").values()) == before
    assert "countries: country statistics 17 (0 created, 0 updated, 17 unchanged)" in out.getvalue()


def test_the_demo_profile_of_viet_nam(demo, client):
    page = client.get("/countries/vnm/").text

    assert "<strong>7.57 %</strong>" in page
    assert "country statistics of May 2026" in page
    assert "Department of Protected Forest Management" in page
