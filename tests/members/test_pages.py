"""The public pages of the members section, as visitors and members use them."""

import json

import pytest
from django.urls import reverse

from members.models import IucnCategory, Membership, Realm, Visibility
from tests.factories import (
    FocalPointFactory,
    MemberOrganizationFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    TransboundaryAreaFactory,
    country,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

# Query counts include the savepoint and its release that wrap each request in
# tests (ATOMIC_REQUESTS); production sees BEGIN and COMMIT there instead.


# The member directory


def test_directory_lists_members_not_partners(client):
    MemberOrganizationFactory(name="Korea National Park Service", country=country("KOR"))
    OrganizationFactory(name="Nature and Biodiversity Conservation Agency", country=country("VNM"))

    response = client.get("/members/")

    assert response.status_code == 200
    assert "Korea National Park Service" in response.text
    assert "Nature and Biodiversity Conservation Agency" not in response.text


def test_directory_filters_by_country_subregion_and_category(client):
    MemberOrganizationFactory(name="Ministry of the Environment, Japan", country=country("JPN"))
    MemberOrganizationFactory(name="Department of Forests, Nepal", country=country("NPL"))
    icimod = MemberOrganizationFactory(name="ICIMOD", country=None)
    icimod.membership.category = Membership.Category.ASSOCIATE
    icimod.membership.save()

    by_country = client.get("/members/", {"country": "JPN"}).text
    by_subregion = client.get("/members/", {"subregion": "south"}).text
    by_category = client.get("/members/", {"category": "associate"}).text

    assert "Ministry of the Environment, Japan" in by_country
    assert "Department of Forests, Nepal" not in by_country
    assert "Department of Forests, Nepal" in by_subregion
    assert "Ministry of the Environment, Japan" not in by_subregion
    assert "ICIMOD" in by_category
    assert "Ministry of the Environment, Japan" not in by_category


def test_directory_with_an_unknown_filter_value_explains_instead_of_failing(client):
    response = client.get("/members/", {"country": "XXX", "category": "<script>"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "<script>" not in response.text


def test_pagination_keeps_the_filters(client, settings):
    for number in range(30):
        MemberOrganizationFactory(name=f"Agency {number:02}", country=country("THA"))

    response = client.get("/members/", {"country": "THA"})

    assert 'href="?country=THA&amp;page=2"' in response.text
    second_page = client.get("/members/", {"country": "THA", "page": 2})
    assert second_page.status_code == 200
    assert "Agency 29" in second_page.text


def test_page_number_past_the_end_is_not_found(client):
    MemberOrganizationFactory()
    assert client.get("/members/", {"page": 99}).status_code == 404
    assert client.get("/members/", {"page": "abc"}).status_code == 404


def _directory_rows(count):
    for number in range(count):
        MemberOrganizationFactory(name=f"Agency {number:04}")


@pytest.mark.parametrize("rows", [10, 300])
def test_directory_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the directory."""
    _directory_rows(rows)
    # 1. count the members   2. the page of members with country and membership
    # 3. the countries of the filter form
    with django_assert_num_queries(5):
        assert client.get("/members/").status_code == 200


def test_profile_shows_membership_and_hides_emails_from_the_public(client, member_client):
    organization = MemberOrganizationFactory(name="Wildlife Department, Khyber Pakhtunkhwa")
    FocalPointFactory(
        membership=organization.membership, name="Focal Person", email="focal@kp.example"
    )
    url = organization.get_absolute_url()

    public = client.get(url)
    member = member_client.get(url)

    assert public.status_code == 200
    assert "Focal Person" in public.text
    assert "focal@kp.example" not in public.text
    assert "focal@kp.example" in member.text


@pytest.mark.parametrize("areas", [2, 50])
def test_profile_query_count_does_not_grow(client, django_assert_num_queries, areas):
    """Intended to prevent an n+1 issue on a member's protected areas."""
    organization = MemberOrganizationFactory()
    FocalPointFactory.create_batch(3, membership=organization.membership)
    ProtectedAreaFactory.create_batch(areas, management_authority=organization)
    # 1. organization with country and membership  2. focal points
    # 3. managed protected areas with their countries
    with django_assert_num_queries(5):
        assert client.get(organization.get_absolute_url()).status_code == 200


def test_unknown_member_is_not_found(client):
    assert client.get("/members/nobody/").status_code == 404


# Protected areas


def test_protected_area_list_filters(client):
    tb_a = ProtectedAreaFactory(name="Sundarbans Reserve Forest", country=country("BGD"))
    tb_b = ProtectedAreaFactory(name="Sundarbans National Park", country=country("IND"))
    TransboundaryAreaFactory(name="Sundarbans", protected_areas=[tb_a, tb_b])
    ProtectedAreaFactory(
        name="Shiretoko", country=country("JPN"), realm=Realm.COASTAL, iucn_category="II"
    )
    ProtectedAreaFactory(
        name="Chitwan National Park",
        iucn_category=IucnCategory.II,
        governance_type="Federal or national ministry or agency",
    )

    def names(**params):
        response = client.get("/protected-areas/", params)
        assert response.status_code == 200
        return [area.name for area in response.context["object_list"]]

    assert names(country="JPN") == ["Shiretoko"]
    assert names(realm="coastal") == ["Shiretoko"]
    assert names(iucn_category="II") == ["Chitwan National Park", "Shiretoko"]
    assert names(governance_type="Federal or national ministry or agency") == [
        "Chitwan National Park"
    ]
    assert names(transboundary="yes") == ["Sundarbans National Park", "Sundarbans Reserve Forest"]
    assert "Sundarbans Reserve Forest" not in names(transboundary="no")


def test_protected_area_list_has_a_map_fed_by_the_filtered_tiles(client):
    ProtectedAreaFactory()
    response = client.get("/protected-areas/", {"country": "NPL", "page": 1})
    assert 'id="protected-area-map"' in response.text
    assert 'data-geojson-url="/protected-areas/map.geojson?country=NPL"' in response.text
    assert 'data-area-tiles-url="/protected-areas/map/0/0/0.geojson?country=NPL"' in response.text
    assert "data-clustered-message=" in response.text  # what the map says of its clusters
    assert "/static/vendor/leaflet/leaflet.js" in response.text


def test_members_only_protected_area_is_hidden_from_the_public(client, member_client):
    area = ProtectedAreaFactory(name="Confidential Patrol Site", visibility=Visibility.MEMBERS)

    assert "Confidential Patrol Site" not in client.get("/protected-areas/").text
    assert client.get(area.get_absolute_url()).status_code == 404
    assert "Confidential Patrol Site" not in client.get("/protected-areas/map.geojson").text
    assert "Confidential Patrol Site" in member_client.get("/protected-areas/").text
    assert member_client.get(area.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", [10, 1000])
def test_protected_area_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the protected-area list."""
    ProtectedAreaFactory.create_batch(rows)
    # 1. count   2. the page of areas with country and transboundary flag
    # 3. the countries of the filter form
    with django_assert_num_queries(5):
        assert client.get("/protected-areas/").status_code == 200


def test_detail_links_to_protected_planet_when_the_wdpa_id_is_set(client):
    chitwan = ProtectedAreaFactory(name="Chitwan National Park", wdpa_id=10905)
    khao_yai = ProtectedAreaFactory(name="Khao Yai National Park", country=country("THA"))

    assert (
        'href="https://www.protectedplanet.net/10905"'
        in client.get(chitwan.get_absolute_url()).text
    )
    assert "protectedplanet.net" not in client.get(khao_yai.get_absolute_url()).text


def test_detail_shows_the_local_script_name(client):
    area = ProtectedAreaFactory(
        name="Cúc Phương National Park", original_name="Vườn quốc gia Cúc Phương"
    )
    assert "Vườn quốc gia Cúc Phương" in client.get(area.get_absolute_url()).text


@pytest.mark.parametrize("links", [1, 20])
def test_protected_area_detail_query_count_does_not_grow(client, django_assert_num_queries, links):
    """Intended to prevent an n+1 issue on an area's transboundary links."""
    area = ProtectedAreaFactory(management_authority=OrganizationFactory())
    for _ in range(links):
        partner = ProtectedAreaFactory(country=country("IND"))
        TransboundaryAreaFactory(protected_areas=[area, partner])
    # Savepoint, 1. the area with country and management authority  2. its transboundary
    # areas  3. its management-effectiveness evaluations  4. its countries, release
    with django_assert_num_queries(6):
        assert client.get(area.get_absolute_url()).status_code == 200


def test_a_site_in_several_countries_names_them_all(client):
    area = ProtectedAreaFactory(name="Kangchenjunga Landscape", country=country("NPL"))
    area.countries.set([country("NPL"), country("IND"), country("BTN")])

    page = client.get(area.get_absolute_url()).text

    assert "Lies in" in page
    for name, iso3 in (("Bhutan", "btn"), ("India", "ind"), ("Nepal", "npl")):
        assert f'<a href="/countries/{iso3}/">{name}</a>' in page


# The GeoJSON


def test_geojson_is_a_feature_collection_of_points_honouring_filters(client):
    ProtectedAreaFactory(name="Chitwan National Park", latitude=27.5, longitude=84.33)
    ProtectedAreaFactory(name="Shiretoko", country=country("JPN"), latitude=44.07, longitude=145.12)
    ProtectedAreaFactory(name="Unmapped Reserve", latitude=None, longitude=None)

    response = client.get("/protected-areas/map.geojson", {"country": "JPN"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert [feature["properties"]["name"] for feature in collection["features"]] == ["Shiretoko"]
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [145.12, 44.07]}
    assert feature["properties"]["url"] == "/protected-areas/shiretoko/"


def test_geojson_with_a_bad_filter_answers_400_with_the_reason(client):
    response = client.get("/protected-areas/map.geojson", {"realm": "lunar"})
    assert response.status_code == 400
    assert "realm" in json.loads(response.content)["errors"]


@pytest.mark.parametrize("rows", [10, 1000])
def test_geojson_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the map."""
    ProtectedAreaFactory.create_batch(rows)
    # No transaction: the GeoJSON only reads (members.views, non_atomic_requests).
    # 1. the areas with their country names (all of them: fewer than the cap)
    with django_assert_num_queries(1):
        response = client.get("/protected-areas/map.geojson")
    assert len(json.loads(response.content)["features"]) == rows


# Transboundary areas


@pytest.mark.parametrize("count", [1, 15])
def test_transboundary_page_lists_areas_and_countries(client, django_assert_num_queries, count):
    """Intended to prevent an n+1 issue on transboundary areas."""
    for number in range(count):
        bangladesh = ProtectedAreaFactory(name=f"Forest {number} BD", country=country("BGD"))
        india = ProtectedAreaFactory(name=f"Forest {number} IN", country=country("IND"))
        TransboundaryAreaFactory(name=f"Landscape {number}", protected_areas=[bangladesh, india])
    # 1. transboundary areas   2. their protected areas with countries
    with django_assert_num_queries(4):
        response = client.get(reverse("members:transboundary_list"))
    assert "Landscape 0" in response.text
    assert "Bangladesh · India" in response.text
