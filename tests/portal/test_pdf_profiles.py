"""Printable PDF profiles (issue 18, point 5): a best practice, a protected area, a country
and a member organization as a PDF at `…/<slug>/pdf/`, made by WeasyPrint (apap_portal/pdf.py).

Anna is an anonymous visitor, Minh a member (tests/conftest.py).
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apap_portal.pdf import OurFilesOnly
from tests.factories import (
    BestPracticeFactory,
    BuildingBlockFactory,
    CountryStatisticsFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    country,
    translation,
)
from tests.portal.test_pictures import photo

pytestmark = [pytest.mark.django_db, pytest.mark.cache]


def text_of(response) -> str:
    """The text of every page of a PDF response, on one line."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def practice():
    practice = BestPracticeFactory(title="Community patrols in Cuc Phuong")
    BuildingBlockFactory(best_practice=practice, title="Joint patrol routes")
    return practice


@pytest.fixture
def area():
    return ProtectedAreaFactory(name="Cuc Phuong National Park", description="A karst forest.")


@pytest.fixture
def organization():
    return MemberOrganizationFactory(
        name="Nature and Biodiversity Conservation Agency", slug="nbca", country=country("VNM")
    )


def pdf_urls(practice, area, organization) -> dict[str, str]:
    return {
        "best practice": reverse("knowledge:bestpractice_pdf", args=[practice.slug]),
        "protected area": reverse("members:protectedarea_pdf", args=[area.slug]),
        "member": reverse("members:organization_pdf", args=[organization.slug]),
        "country": reverse("countries:pdf", args=["vnm"]),
    }


def test_each_profile_is_a_pdf_that_shows_the_record(client, practice, area, organization):
    CountryStatisticsFactory()
    titles = {
        "best practice": practice.title,
        "protected area": area.name,
        "member": organization.name,
        "country": "Viet Nam",
    }
    for kind, url in pdf_urls(practice, area, organization).items():
        response = client.get(url)
        text = text_of(response)
        assert titles[kind] in text, kind
        # The letterhead, the page's address and the page numbers.
        assert "Asia Protected Areas Partnership" in text, kind
        assert "http://testserver" + url.removesuffix("pdf/") in text, kind
        assert "Page 1 / " in text, kind
        name = url.rstrip("/").split("/")[-2]
        assert response["Content-Disposition"] == f'inline; filename="{name}.pdf"'


def test_the_best_practice_prints_its_text_and_building_blocks(client, practice):
    text = text_of(client.get(reverse("knowledge:bestpractice_pdf", args=[practice.slug])))
    assert "Rangers and villagers patrolled together" in text
    assert "Joint patrol routes" in text


def test_the_vietnamese_pdf_shows_the_translation(client, practice, area):
    translation(practice, title="Tuần tra cộng đồng ở Cúc Phương")
    translation(area, description="Rừng đá vôi nhiệt đới.")
    with_translation = text_of(client.get(f"/vi/knowledge/best-practices/{practice.slug}/pdf/"))
    assert "Tuần tra cộng đồng ở Cúc Phương" in with_translation
    assert "Trang 1 / " in with_translation
    assert "Rừng đá vôi nhiệt đới." in text_of(client.get(f"/vi/protected-areas/{area.slug}/pdf/"))
    # The English PDF keeps the original.
    english = text_of(client.get(f"/knowledge/best-practices/{practice.slug}/pdf/"))
    assert practice.title in english
    assert "Tuần tra" not in english


def test_a_members_only_record_is_not_found_by_a_visitor(client, member_client):
    area = ProtectedAreaFactory(name="Secret Wetland Reserve", visibility="members")
    practice = BestPracticeFactory(title="A members-only practice", visibility="members")
    for url in (
        reverse("members:protectedarea_pdf", args=[area.slug]),
        reverse("knowledge:bestpractice_pdf", args=[practice.slug]),
    ):
        assert client.get(url).status_code == 404
        assert member_client.get(url).status_code == 200


def test_a_draft_is_not_found_and_nor_is_a_wrong_slug(client):
    draft = BestPracticeFactory(status="draft")
    assert client.get(reverse("knowledge:bestpractice_pdf", args=[draft.slug])).status_code == 404
    assert client.get("/protected-areas/no-such-area/pdf/").status_code == 404
    assert client.get("/countries/xyz/pdf/").status_code == 404


def test_the_contact_emails_are_printed_for_members_only(client, member_client, organization):
    organization.membership.focal_points.create(
        name="Nguyen Van A", role="Director", email="focal@example.org"
    )
    url = reverse("members:organization_pdf", args=[organization.slug])
    # The public's copy is cached first: the members' is another.
    assert "focal@example.org" not in text_of(client.get(url))
    assert "focal@example.org" in text_of(member_client.get(url))


@pytest.mark.parametrize("building_blocks", [1, 8])
def test_a_cached_pdf_costs_only_the_lookup(
    client, practice, building_blocks, django_assert_num_queries
):
    """The bytes are cached: a second request only asks whether the visitor may see it."""
    BuildingBlockFactory.create_batch(building_blocks, best_practice=practice)
    url = reverse("knowledge:bestpractice_pdf", args=[practice.slug])
    first = client.get(url)
    # 1. the lookup: the practice visible to the visitor, by its slug
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.content == first.content


def test_every_kind_of_profile_is_cached_after_its_lookup(
    client, practice, area, organization, django_assert_num_queries
):
    CountryStatisticsFactory()
    for url in pdf_urls(practice, area, organization).values():
        first = client.get(url)
        # 1. the lookup: the record visible to the visitor, by its slug (or ISO3 code)
        with django_assert_num_queries(1):
            assert client.get(url).content == first.content


def test_an_edit_of_the_record_or_of_what_it_shows_makes_a_new_pdf(client, practice):
    url = reverse("knowledge:bestpractice_pdf", args=[practice.slug])
    assert "Community patrols in Cuc Phuong" in text_of(client.get(url))
    practice.title = "Village patrols in Cuc Phuong"
    practice.save()
    assert "Village patrols in Cuc Phuong" in text_of(client.get(url))
    block = practice.building_blocks.get()
    block.title = "Patrol routes agreed with the villages"
    block.save()
    assert "Patrol routes agreed with the villages" in text_of(client.get(url))


def test_a_country_pdf_follows_its_statistics_and_its_protected_areas(client):
    statistics = CountryStatisticsFactory()
    url = reverse("countries:pdf", args=["vnm"])
    assert "7.57 %" in text_of(client.get(url))
    statistics.pa_land_percent = "9.25"
    statistics.save()
    assert "9.25 %" in text_of(client.get(url))
    ProtectedAreaFactory(country=country("VNM"), name="Bach Ma National Park")
    assert "1 protected areas" in text_of(client.get(url))


def test_a_protected_area_made_members_only_is_no_longer_sent_from_the_cache(client, area):
    url = reverse("members:protectedarea_pdf", args=[area.slug])
    assert client.get(url).status_code == 200
    area.visibility = "members"
    area.save()
    assert client.get(url).status_code == 404


def test_each_detail_page_links_its_pdf(client, practice, area, organization):
    for url in pdf_urls(practice, area, organization).values():
        page = client.get(url.removesuffix("pdf/"))
        assert f'href="{url}"' in page.content.decode(), url


# WeasyPrint reads our static and media files and nothing else


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/css/site.css",  # another site
        "http://testserver/media/resources/no-such-upload.pdf",
        "http://testserver/media/../apap_portal/settings.py",
        "http://testserver/elsewhere/apap_portal/settings.py",
        "http://testserver/static/../apap_portal/settings.py",
        "http://testserver/static/%2e%2e/apap_portal/settings.py",
        "http://testserver/static//etc/passwd",
        "http://testserver/static/%2Fetc%2Fpasswd",
        "http://testserver/static/css\\..\\..\\apap_portal\\settings.py",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "http://testserver/static/css/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_and_media_files(url, media_root):
    fetcher = OurFilesOnly("http://testserver/")
    with pytest.raises(OSError, match="Not one of the portal's static or media files"):
        fetcher(url)


def test_the_fetcher_reads_our_static_and_media_files(media_root):
    fetcher = OurFilesOnly("http://testserver/")
    response = fetcher("http://testserver/static/css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    (media_root / "logos").mkdir()
    (media_root / "logos" / "agency.png").write_bytes(b"\x89PNG not really")
    response = fetcher("http://testserver/media/logos/agency.png")
    assert response.read() == b"\x89PNG not really"
    assert response.content_type == "image/png"


def test_a_cover_picture_is_printed(client, media_root):
    def images(practice) -> int:
        response = client.get(reverse("knowledge:bestpractice_pdf", args=[practice.slug]))
        return sum(len(page.images) for page in PdfReader(io.BytesIO(response.content)).pages)

    pictured = BestPracticeFactory(cover_image_alt="Rangers on patrol")
    pictured.cover_image.save("patrol.jpg", photo(size=(1200, 800)))
    # The letterhead's logo is SVG: drawn, not an image.
    assert (images(pictured), images(BestPracticeFactory())) == (1, 0)
