"""The country statistics in the admin: to look at, for the secretariat; imported only."""

from decimal import Decimal

import pytest

from tests.factories import CountryStatisticsFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/countries/countrystatistics/"


@pytest.fixture
def viet_nam():
    return CountryStatisticsFactory()


def test_editors_see_and_search_the_statistics(editor_client, viet_nam):
    response = editor_client.get(CHANGELIST, {"q": "vnm"})

    assert response.status_code == 200
    assert "Viet Nam" in response.text
    assert editor_client.get(f"{CHANGELIST}{viet_nam.pk}/change/").status_code == 200


def test_no_one_adds_changes_or_deletes_them_by_hand(manager_client, viet_nam):
    assert manager_client.get(f"{CHANGELIST}add/").status_code == 403
    response = manager_client.post(f"{CHANGELIST}{viet_nam.pk}/change/", {"pa_land_percent": "50"})
    assert response.status_code == 403
    assert (
        manager_client.post(f"{CHANGELIST}{viet_nam.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    viet_nam.refresh_from_db()
    assert viet_nam.pa_land_percent == Decimal("7.57")
