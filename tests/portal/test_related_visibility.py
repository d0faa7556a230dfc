"""A record shown beside another keeps its own visibility.

Minh (a member) tells of his agency's patrols in Yala National Park, which the
secretariat keeps members-only; his best practice itself is public and featured. Anna
(anonymous) may read the practice, and must learn nothing of the park: not its name,
not its country, not that the practice is about a place in Sri Lanka or in an IUCN
category II park — on no page, card, facet, filter, figure, CSV, feed or map.
"""

import pytest

from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    ProtectedAreaFactory,
    StoryFactory,
    TransboundaryAreaFactory,
    country,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

SECRETS = ["Yala", "Sri Lanka", "LKA"]


@pytest.fixture
def yala(member_org):
    park = ProtectedAreaFactory(
        name="Yala National Park",
        country=country("LKA"),
        iucn_category="II",
        visibility="members",
        management_authority=member_org,
    )
    # A public park elsewhere, so that facets and figures have something to show.
    chitwan = ProtectedAreaFactory(name="Chitwan National Park", country=country("NPL"))
    BestPracticeFactory(title="Buffer-zone forests", protected_area=chitwan)
    practice = BestPracticeFactory(
        title="Joint elephant patrols",
        protected_area=park,
        organization=member_org,
        is_featured=True,
    )
    TransboundaryAreaFactory(name="Shared landscape", protected_areas=[park, chitwan])
    return practice


def public_pages(practice_url: str) -> list[str]:
    return [
        "/",
        "/knowledge/",
        "/knowledge/best-practices/",
        "/knowledge/best-practices/?q=patrols",
        practice_url,
        "/search/?q=patrols",
        "/in-numbers/",
        "/in-numbers/?format=csv",
        "/feeds/best-practices/",
        "/feeds/best-practices/atom/",
        "/protected-areas/",
        "/protected-areas/map.geojson",
        "/protected-areas/map/0/0/0.geojson",
        "/protected-areas/map/3/5/3.geojson",
        "/transboundary/",
        "/sitemap-protected-areas.xml",
    ]


def test_anonymous_pages_never_name_a_members_only_area_nor_its_country(client, yala):
    for url in public_pages(yala.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        # The protected-area list's country filter offers every country of Asia.
        secrets = ["Yala"] if url == "/protected-areas/" else SECRETS
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], url


def test_filtering_by_the_areas_country_or_category_does_not_reveal_the_link(client, yala):
    """A filter that found the public practice through its members-only area would tell."""
    by_country = client.get("/knowledge/best-practices/", {"country": "LKA"})
    by_category = client.get("/knowledge/best-practices/", {"iucn_category": "II"})
    assert "Joint elephant patrols" not in by_country.text
    assert "Joint elephant patrols" not in by_category.text
    assert by_country.context["paginator"].count == 0
    assert by_category.context["paginator"].count == 0


def test_members_see_the_area_wherever_it_is_shown(member_client, yala):
    home = member_client.get("/").text
    assert "Sri Lanka" in home  # the featured card names its area's country
    listed = member_client.get("/knowledge/best-practices/")
    assert "Sri Lanka" in listed.text
    assert (
        member_client.get("/knowledge/best-practices/", {"country": "LKA"})
        .context["paginator"]
        .count
        == 1
    )
    assert "Sri Lanka" in member_client.get("/in-numbers/?format=csv").content.decode("utf-8-sig")


def test_a_public_story_does_not_name_its_members_only_activity(client):
    activity = ActivityFactory(title="Closed-door planning retreat", visibility="members")
    story = StoryFactory(title="Rangers plan the season", related_activity=activity)
    for url in ["/stories/", story.get_absolute_url(), "/feeds/stories/", "/search/?q=rangers"]:
        assert "Closed-door planning retreat" not in client.get(url).text, url


def test_a_public_page_lists_no_members_only_record_among_its_related_ones(
    client, member_client, member_org
):
    """Each relation a public page follows, with a members-only record at its other end."""
    from tests.factories import ResourceFactory, work_area

    area = work_area("knowledge-capacity")
    ProtectedAreaFactory(
        name="Hidden wetland reserve", visibility="members", management_authority=member_org
    )
    ActivityFactory(title="Closed-door planning retreat", visibility="members", work_area=area)
    ResourceFactory(title="Internal staffing study", visibility="members", work_area=area)
    StoryFactory(title="Behind the scenes", visibility="members", work_area=area)
    original = ResourceFactory(title="Patrol handbook (internal draft)", visibility="members")
    translation = ResourceFactory(
        title="Sổ tay tuần tra", language="vi", translation_of=original, visibility="public"
    )
    pages = {
        member_org.get_absolute_url(): ["Hidden wetland reserve"],
        area.get_absolute_url(): [
            "Closed-door planning retreat",
            "Internal staffing study",
            "Behind the scenes",
        ],
        translation.get_absolute_url(): ["Patrol handbook (internal draft)"],
    }
    for url, hidden in pages.items():
        anonymous, member = client.get(url), member_client.get(url)
        assert anonymous.status_code == member.status_code == 200, url
        for title in hidden:
            assert title not in anonymous.text, (url, title)
            assert title in member.text, (url, title)
