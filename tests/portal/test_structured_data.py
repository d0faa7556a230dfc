"""schema.org JSON-LD on detail pages: one data block each, read back as a search engine would."""

import datetime
import json
import re

import pytest
from django.conf import settings

from apap_portal.linked_data import json_ld
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    FocalPointFactory,
    MemberOrganizationFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    country,
    theme,
    translation,
)

pytestmark = pytest.mark.django_db

# A page's schema.org description: JSON, in which no "<" can end the element (pages
# checked for inline code take it out first).
DATA_BLOCK = re.compile(r'<script type="application/ld\+json">(\{[^<]*\})</script>')
HOSTILE_TITLE = "Patrols </script><script>alert(1)</script> & more"


def linked_data(response) -> dict:
    """The page's one JSON-LD block, parsed."""
    assert response.status_code == 200
    blocks = DATA_BLOCK.findall(response.text)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    return data


def test_member_organization_is_an_organization(client):
    organization = MemberOrganizationFactory(
        name="Department of National Parks and Wildlife Conservation",
        acronym="DNPWC",
        country=country("NPL"),
        website="https://dnpwc.gov.np/",
        description="Manages Nepal's **national parks** & reserves.",
    )

    data = linked_data(client.get(organization.get_absolute_url()))

    assert data["@type"] == "Organization"
    assert data["name"] == "Department of National Parks and Wildlife Conservation"
    assert data["alternateName"] == ["DNPWC"]
    assert data["url"] == f"http://testserver{organization.get_absolute_url()}"
    assert data["description"] == "Manages Nepal's national parks & reserves."
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "Nepal"}
    assert data["sameAs"] == "https://dnpwc.gov.np/"


def test_organization_description_in_the_readers_language(client):
    organization = OrganizationFactory(description="Manages the parks.")
    translation(organization, description="Quản lý các vườn quốc gia.")

    data = linked_data(client.get(f"/vi/members/{organization.slug}/"))

    assert data["description"] == "Quản lý các vườn quốc gia."
    assert data["url"] == f"http://testserver/vi/members/{organization.slug}/"


def test_focal_points_are_not_in_the_linked_data(member_client):
    organization = MemberOrganizationFactory()
    FocalPointFactory(membership=organization.membership, email="focal@agency.example")

    response = member_client.get(organization.get_absolute_url())

    assert "focal@agency.example" in response.text  # members see it on the page…
    assert "focal@agency.example" not in json.dumps(linked_data(response))  # …not published


def test_protected_area_is_a_park_with_its_wdpa_id(client):
    area = ProtectedAreaFactory(
        name="Cuc Phuong National Park",
        original_name="Vườn quốc gia Cúc Phương",
        country=country("VNM"),
        wdpa_id=10057,
        latitude=20.3,
        longitude=105.6,
    )

    data = linked_data(client.get(area.get_absolute_url()))

    assert data["@type"] == "Park"
    assert data["name"] == "Cuc Phuong National Park"
    assert data["alternateName"] == "Vườn quốc gia Cúc Phương"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 20.3, "longitude": 105.6}
    assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "WDPA ID", "value": 10057}
    assert data["sameAs"] == f"{settings.PROTECTED_PLANET_URL}10057"
    assert [place["name"] for place in data["containedInPlace"]] == ["Viet Nam"]


def test_protected_area_without_wdpa_id_or_location_says_neither(client):
    area = ProtectedAreaFactory(wdpa_id=None, latitude=None, longitude=None)
    data = linked_data(client.get(area.get_absolute_url()))
    assert data["@type"] == "Park"
    assert not {"identifier", "sameAs", "geo"} & set(data)


def test_activity_is_an_event(client):
    activity = ActivityFactory(
        title="Regional workshop on transboundary cooperation",
        start_date=datetime.date(2023, 4, 27),
        end_date=datetime.date(2023, 4, 29),
        city="Dehradun",
        country=country("IND"),
        status="completed",
    )
    organizer = ActivityOrganizationFactory(activity=activity, role="organizer").organization
    ActivityOrganizationFactory(activity=activity, role="partner")

    data = linked_data(client.get(activity.get_absolute_url()))

    assert data["@type"] == "Event"
    assert data["name"] == "Regional workshop on transboundary cooperation"
    assert (data["startDate"], data["endDate"]) == ("2023-04-27", "2023-04-29")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Dehradun",
        "addressCountry": "India",
    }
    assert [org["name"] for org in data["organizer"]] == [organizer.name]
    assert data["url"] == f"http://testserver{activity.get_absolute_url()}"
    assert data["inLanguage"] == "en"


def test_online_cancelled_activity_in_vietnamese(client):
    activity = ActivityFactory(
        title="Webinar on OECMs", is_online=True, country=None, city="", status="cancelled"
    )
    translation(activity, title="Hội thảo trực tuyến về OECM")

    data = linked_data(client.get(f"/vi{activity.get_absolute_url()}"))

    assert data["name"] == "Hội thảo trực tuyến về OECM"
    assert data["inLanguage"] == "vi"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"


def test_untranslated_activity_on_vietnamese_page_names_its_own_language(client):
    activity = ActivityFactory(title="Planning workshop")
    data = linked_data(client.get(f"/vi{activity.get_absolute_url()}"))
    assert (data["name"], data["inLanguage"]) == ("Planning workshop", "en")


def test_story_is_an_article(client):
    story = StoryFactory(
        title="Rangers share what works",
        published_at=datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC),
    )
    translation(story, title="Kiểm lâm chia sẻ kinh nghiệm")

    english = linked_data(client.get(story.get_absolute_url()))
    vietnamese = linked_data(client.get(f"/vi{story.get_absolute_url()}"))

    assert english["@type"] == "Article"
    assert english["headline"] == "Rangers share what works"
    assert english["datePublished"].startswith("2024-06-01T09:00:00")
    assert "dateModified" in english
    assert english["author"]["name"] == english["publisher"]["name"]
    assert english["publisher"] == {
        "@type": "Organization",
        "name": "Asia Protected Areas Partnership",
        "alternateName": "APAP",
        "url": "http://testserver/",
    }
    assert english["inLanguage"] == "en"
    assert vietnamese["headline"] == "Kiểm lâm chia sẻ kinh nghiệm"
    assert vietnamese["inLanguage"] == "vi"


def test_best_practice_is_a_howto_with_its_building_blocks_as_steps(client):
    practice = BestPracticeFactory(title="Community patrols")
    practice.themes.add(theme("sustainable-tourism"))
    BuildingBlockFactory(
        best_practice=practice, order=1, title="Agree routes", description="*Together*."
    )
    BuildingBlockFactory(best_practice=practice, order=2, title="Patrol monthly")

    data = linked_data(client.get(practice.get_absolute_url()))

    assert data["@type"] == "HowTo"
    assert data["name"] == "Community patrols"
    assert [(step["@type"], step["position"], step["name"]) for step in data["step"]] == [
        ("HowToStep", 1, "Agree routes"),
        ("HowToStep", 2, "Patrol monthly"),
    ]
    assert data["step"][0]["text"] == "Together."
    assert data["keywords"] == data["about"][0]["name"]
    assert data["author"]["name"] == practice.organization.name
    assert data["inLanguage"] == "en"


def test_best_practice_names_a_members_only_area_to_members_only(client, member_client):
    area = ProtectedAreaFactory(name="Hidden Wetland Reserve", visibility="members")
    practice = BestPracticeFactory(protected_area=area)

    public = linked_data(client.get(practice.get_absolute_url()))
    members = linked_data(member_client.get(practice.get_absolute_url()))

    assert "Hidden Wetland Reserve" not in json.dumps(public)
    assert [place["name"] for place in members["spatialCoverage"]] == ["Hidden Wetland Reserve"]


def test_country_profile_is_a_country_with_its_iso3(client):
    data = linked_data(client.get("/countries/vnm/"))
    assert data["@type"] == "Country"
    assert data["name"] == "Viet Nam"
    assert data["identifier"]["value"] == "VNM"
    assert data["url"] == "http://testserver/countries/vnm/"


def test_resource_is_a_creative_work_pointing_at_the_publication(client):
    guideline = ResourceFactory(
        kind="guideline",
        title="Transboundary Conservation",
        authors="Vasilijević, M. et al.",
        publisher="IUCN",
        year=2015,
        url="https://example.org/transboundary.pdf",
    )
    study = ResourceFactory(kind="study")

    data = linked_data(client.get(guideline.get_absolute_url()))

    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Transboundary Conservation"
    assert data["author"] == "Vasilijević, M. et al."
    assert data["publisher"] == "IUCN"
    assert data["datePublished"] == "2015"
    assert data["url"] == "https://example.org/transboundary.pdf"
    assert data["mainEntityOfPage"] == f"http://testserver{guideline.get_absolute_url()}"
    assert data["inLanguage"] == "en"
    assert linked_data(client.get(study.get_absolute_url()))["@type"] == "Report"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ActivityFactory(title=HOSTILE_TITLE),
        lambda: StoryFactory(title=HOSTILE_TITLE),
        lambda: BestPracticeFactory(title=HOSTILE_TITLE),
        lambda: ResourceFactory(title=HOSTILE_TITLE),
        lambda: ProtectedAreaFactory(name=HOSTILE_TITLE),
        lambda: OrganizationFactory(name=HOSTILE_TITLE),
    ],
    ids=["activity", "story", "best-practice", "resource", "protected-area", "organization"],
)
def test_a_title_cannot_end_the_data_block(client, make):
    record = make()
    response = client.get(record.get_absolute_url())

    assert "<script>alert(1)" not in response.text
    data = linked_data(response)
    assert data.get("name", data.get("headline")) == HOSTILE_TITLE


def test_json_ld_escapes_what_could_end_the_block():
    html = json_ld({"name": "</script>&<!--"})
    assert html == (
        '<script type="application/ld+json">'
        '{"name": "\\u003c/script\\u003e\\u0026\\u003c!--"}</script>'
    )


def test_pages_without_a_record_carry_no_data_block(client):
    assert not DATA_BLOCK.search(client.get("/activities/").text)
