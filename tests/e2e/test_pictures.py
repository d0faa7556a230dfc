"""Pictures in a browser: WebP taken, loaded through the portal, valid and accessible.

The demo data has no photographs; these tests give a few of its records pictures made
here with Pillow, with a home page picture.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from knowledge.models import BestPractice, HomeHero, Story
from tests.e2e.helpers import (
    BROWSER_TEST,
    PHONE,
    axe_violations,
    describe_violations,
    html_errors,
    image_loaded,
    load_demo_site,
)

pytestmark = BROWSER_TEST


def photo(name: str, size=(1600, 900)) -> ContentFile:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


@pytest.fixture
def pictured(settings, tmp_path) -> dict[str, str]:
    """The home page, a featured best practice and a story, with their pictures."""
    settings.MEDIA_ROOT = tmp_path
    settings.SENDFILE_ROOT = str(tmp_path)
    load_demo_site()
    practice = (
        BestPractice.objects.published().filter(visibility="public", is_featured=True).first()
    )
    practice.cover_image_alt = "Rangers and villagers walk a forest trail"
    practice.cover_image_credit = "Cat Tien National Park"
    practice.cover_image.save("trail.jpg", photo("trail.jpg"))
    story = Story.objects.filter(visibility="public", published_at__isnull=False).first()
    story.image_alt = "Delegates around a map of the region"
    story.image_licence = "CC BY 4.0"
    story.image.save("delegates.jpg", photo("delegates.jpg"))
    hero = HomeHero(title="Valley", image_alt="A forested valley at sunrise", link="/about/")
    hero.link_text = "About the partnership"
    hero.image.save("valley.jpg", photo("valley.jpg", size=(2400, 1000)))
    return {
        "home": "/",
        "best practices": "/knowledge/best-practices/",
        "best practice": practice.get_absolute_url(),
        "stories": "/stories/",
        "story": story.get_absolute_url(),
    }


def test_pages_with_pictures_are_valid_html(pictured, vnu_jar):
    client = Client()
    documents = {name: client.get(url).text for name, url in pictured.items()}
    assert all("<picture>" in document for document in documents.values())

    errors = html_errors(documents, vnu_jar)

    assert not errors, errors


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_browser_loads_webp_sizes_and_the_pages_stay_accessible(
    pictured, open_page, axe_source, viewport
):
    page = open_page(**({"viewport": viewport} if viewport else {}))
    violations = {}
    for name, url in pictured.items():
        page.goto(url)
        first = page.locator("picture img").first
        first.scroll_into_view_if_needed()
        image_loaded(first)
        source = first.evaluate("img => img.currentSrc")
        assert source.endswith(".webp"), (name, source)
        assert "/media/" in source
        if found := axe_violations(page, axe_source):
            violations[name] = found

    assert not violations, describe_violations(violations)
