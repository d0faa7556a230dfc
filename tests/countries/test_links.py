"""The country profile is linked from the pages that name a country."""

import pytest

from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    country,
)

pytestmark = pytest.mark.django_db

VIET_NAM = 'href="/countries/vnm/"'


def test_an_organization_links_to_its_country(client):
    organization = MemberOrganizationFactory(country=country("VNM"))
    assert VIET_NAM in client.get(organization.get_absolute_url()).text


def test_a_protected_area_and_its_row_in_the_list_link_to_the_country(client):
    area = ProtectedAreaFactory(country=country("VNM"))

    assert VIET_NAM in client.get(area.get_absolute_url()).text
    assert VIET_NAM in client.get("/protected-areas/").text


def test_an_activity_links_to_its_country_and_to_those_taking_part(client):
    activity = ActivityFactory(country=country("VNM"), city="Hanoi")
    activity.participating_countries.add(country("LAO"))

    page = client.get(activity.get_absolute_url()).text

    assert 'Hanoi, <a href="/countries/vnm/">Viet Nam</a>' in page
    assert 'href="/countries/lao/"' in page


def test_in_numbers_links_its_countries_to_their_profiles(client):
    BestPracticeFactory().countries.add(country("VNM"))

    page = client.get("/in-numbers/").text

    assert VIET_NAM in page
    assert 'href="/countries/"' in page


def test_the_footer_and_the_protected_areas_link_to_the_countries(client):
    assert 'href="/countries/"' in client.get("/").text
    assert '<a href="/countries/">By country</a>' in client.get("/protected-areas/").text


def test_vietnamese_pages_link_to_the_vietnamese_profile(client):
    area = ProtectedAreaFactory(country=country("VNM"))
    assert 'href="/vi/countries/vnm/"' in client.get(f"/vi{area.get_absolute_url()}").text
