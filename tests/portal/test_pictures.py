"""Pictures: described, credited, made in sizes when uploaded, shown responsively.

Anna is anonymous; Minh (member_client) submits a best practice with its cover; Mark
(manager_client) chooses the home page's picture in the admin.
"""

import io
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from PIL import Image
from reversion.models import Version

from apap_portal import pictures
from apap_portal.pictures import Picture, initials, source_name
from knowledge.models import BestPractice, HomeHero, Story, validate_hero_link
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MemberOrganizationFactory,
    OrganizationFactory,
    StoryFactory,
)
from tests.knowledge.test_submission import SUBMIT_URL, TWO_BLOCKS, practice_data

pytestmark = pytest.mark.django_db

RANDOM = r"[A-Za-z0-9_-]{22}"


def photo(size=(1600, 1000), fmt="JPEG", name="photo.jpg", mode="RGB") -> SimpleUploadedFile:
    """A picture made here with Pillow: a gradient, so that resizing has something to do."""
    image = Image.linear_gradient("L").resize(size).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def stored_size(storage, name: str) -> tuple[str, tuple[int, int]]:
    with storage.open(name, "rb") as stored, Image.open(stored) as image:
        return image.format, image.size


# Alt text: a picture says what it shows


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: BestPracticeFactory.build(slug="a"), "cover_image"),
        (lambda: StoryFactory.build(slug="b"), "image"),
        (lambda: ActivityFactory.build(slug="c"), "cover_image"),
        (lambda: OrganizationFactory.build(slug="d"), "logo"),
        (lambda: HomeHero(title="Rangers"), "image"),
    ],
)
def test_a_picture_without_its_description_does_not_validate(media_root, make, field):
    record = make()
    setattr(record, field, photo(size=(40, 30)))

    with pytest.raises(ValidationError) as caught:
        record.full_clean(validate_unique=False)

    errors = caught.value.error_dict
    assert [error.code for error in errors[f"{field}_alt"]] == ["alt_required"]
    assert field not in errors  # the image itself is fine

    setattr(record, f"{field}_alt", "   ")  # blanks say nothing either
    with pytest.raises(ValidationError):
        record.full_clean(validate_unique=False)


def test_a_record_without_a_picture_needs_no_description():
    BestPracticeFactory.build(slug="no-cover").clean()
    OrganizationFactory.build(slug="no-logo").clean()


# Sizes, made when the picture is stored


def test_a_story_image_is_stored_in_each_width_as_webp_and_jpeg(media_root):
    story = StoryFactory(image_alt="Rangers on a forest trail")
    story.image.save("trail.jpg", photo(size=(1600, 1000)))
    story.refresh_from_db()

    assert re.fullmatch(rf"stories/\d{{4}}/{RANDOM}\.jpg", story.image.name)
    assert (story.image_width, story.image_height) == (1600, 1000)
    storage = story.image.storage
    for width in pictures.COVER_WIDTHS:
        height = round(1000 * width / 1600)
        webp = f"{story.image.name}.{width}w.webp"
        jpeg = f"{story.image.name}.{width}w.jpg"
        assert stored_size(storage, webp) == ("WEBP", (width, height))
        assert stored_size(storage, jpeg) == ("JPEG", (width, height))
        assert source_name(webp) == story.image.name


def test_a_small_picture_is_never_enlarged_and_a_png_logo_stays_png(media_root):
    organization = OrganizationFactory(logo_alt="The agency's emblem")
    organization.logo.save("logo.png", photo(size=(200, 100), fmt="PNG", mode="RGBA"))
    name = organization.logo.name
    storage = organization.logo.storage

    assert stored_size(storage, f"{name}.160w.png") == ("PNG", (160, 80))
    assert stored_size(storage, f"{name}.320w.png") == ("PNG", (200, 100))  # not enlarged
    assert stored_size(storage, f"{name}.320w.webp") == ("WEBP", (200, 100))
    # The srcset names each real width once.
    assert organization.cover.srcset == (
        f"/media/{name}.160w.png 160w, /media/{name}.320w.png 200w"
    )


def test_a_member_submits_a_cover_and_it_shows_in_sizes_on_the_practice(
    member_client, media_root, django_capture_on_commit_callbacks
):
    """Minh's cover image, through the member's form, with its credit and licence."""
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            SUBMIT_URL,
            practice_data(
                blocks=TWO_BLOCKS,
                cover_image=photo(size=(1200, 800)),
                cover_image_alt="Rangers and villagers on a forest trail",
                cover_image_credit="Nguyen Van A / Cat Tien National Park",
                cover_image_licence="CC BY 4.0",
            ),
        )
    assert response.status_code == 302
    practice = BestPractice.objects.get()
    assert (practice.cover_image_width, practice.cover_image_height) == (1200, 800)
    assert (media_root / f"{practice.cover_image.name}.800w.webp").is_file()

    html = member_client.get(practice.get_absolute_url()).text

    assert f'srcset="/media/{practice.cover_image.name}.480w.webp 480w' in html
    assert 'alt="Rangers and villagers on a forest trail"' in html
    assert "Photo: Nguyen Van A / Cat Tien National Park · CC BY 4.0" in html
    assert 'fetchpriority="high"' in html  # the page's first picture is not lazy


def test_a_size_is_served_to_those_who_may_see_its_record(client, member_client, media_root):
    public = StoryFactory(image_alt="A river")
    public.image.save("river.jpg", photo(size=(900, 600)))
    members_only = BestPracticeFactory(visibility="members", cover_image_alt="A ranger")
    members_only.cover_image.save("ranger.jpg", photo(size=(900, 600)))
    hidden = f"/media/{members_only.cover_image.name}.480w.webp"

    response = client.get(f"/media/{public.image.name}.480w.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert client.get(hidden).status_code == 302  # to sign in
    assert member_client.get(hidden).status_code == 200
    assert client.get(f"/media/{public.image.name}.999w.webp").status_code == 404


def test_on_s3_the_sizes_are_stored_beside_the_original_and_served_signed(client, s3_storage):
    activity = ActivityFactory(cover_image_alt="Delegates at the workshop")
    activity.cover_image.save("workshop.jpg", ContentFile(photo().read(), name="workshop.jpg"))

    name = activity.cover_image.name
    assert stored_size(s3_storage, f"{name}.800w.webp") == ("WEBP", (800, 500))
    assert s3_storage.exists(f"{name}.1200w.jpg")
    response = client.get(f"/media/{name}.800w.webp")
    assert response.status_code == 302
    assert response["Location"].startswith(f"https://apap-media.s3.amazonaws.com/{name}.800w")
    # The page links to the portal's address (through the check), never to the bucket.
    assert "amazonaws" not in activity.cover.srcset


# The include: one markup for every picture


def rendered(picture, **options) -> str:
    return render_to_string("includes/picture.html", {"picture": picture, **options})


SIZED = Picture(
    name="stories/2026/abc.jpg",
    alt="Mangroves at low tide",
    credit="Le Thi B",
    licence="CC BY-SA 4.0",
    width=1000,
    height=750,
    widths=pictures.COVER_WIDTHS,
)


def test_the_include_renders_a_responsive_lazy_picture_with_its_credit():
    html = rendered(SIZED)

    assert "<picture>" in html
    assert (
        '<source type="image/webp" srcset="/media/stories/2026/abc.jpg.480w.webp 480w, '
        "/media/stories/2026/abc.jpg.800w.webp 800w, /media/stories/2026/abc.jpg.1200w.webp 1000w"
    ) in html
    img = re.search(r"<img [^>]+>", html)[0]
    assert 'src="/media/stories/2026/abc.jpg.800w.jpg"' in img
    assert 'srcset="/media/stories/2026/abc.jpg.480w.jpg 480w,' in img
    assert 'sizes="(min-width: 60rem) 22rem' in img
    assert 'width="1000" height="750"' in img
    assert 'alt="Mangroves at low tide"' in img
    assert 'loading="lazy"' in img
    assert "fetchpriority" not in img
    assert "Photo: Le Thi B · CC BY-SA 4.0" in html


def test_the_first_picture_of_a_page_is_eager_and_the_hero_spans_the_screen():
    img = re.search(r"<img [^>]+>", rendered(SIZED, variant="hero", eager=True))[0]

    assert 'fetchpriority="high"' in img
    assert "loading=" not in img
    assert 'sizes="100vw"' in img


def test_a_picture_stored_before_sizes_is_shown_as_stored():
    html = rendered(Picture(name="stories/2020/old.jpg", alt="An old photograph"))

    assert 'src="/media/stories/2020/old.jpg"' in html
    assert "srcset" not in html
    assert "width=" not in html
    assert 'alt="An old photograph"' in html


def test_without_a_picture_the_include_draws_the_kind_s_panel():
    html = rendered(Picture(tint="awareness-advocacy", icon="story"))

    assert "<img" not in html
    assert (
        'class="picture-fallback picture-fallback--card picture-tint--awareness-advocacy"' in html
    )
    assert "picture-fallback__icon--story" in html
    assert 'aria-hidden="true"' in html
    assert rendered(Picture(), fallback=False).strip() == ""


def test_cards_without_pictures_show_the_panel_of_their_kind(client):
    StoryFactory(title="Rangers meet", work_area=ActivityFactory().work_area)
    OrganizationFactory(name="Department of National Parks, Wildlife and Plant Conservation")

    stories = client.get("/stories/").text
    assert "picture-tint--knowledge-capacity" in stories
    assert "picture-fallback__icon--story" in stories
    assert initials("Department of National Parks, Wildlife and Plant Conservation") == "DNP"
    assert initials("BCA") == "BCA"


# The home page's picture, chosen by the secretariat


def test_a_manager_sets_the_home_picture_in_the_admin(manager_client, client, media_root):
    response = manager_client.post(
        "/admin/knowledge/homehero/add/",
        {
            "title": "Rangers at dawn",
            "is_active": "on",
            "image": photo(size=(2400, 1000)),
            "image_alt": "Two rangers watch the sunrise over a forested valley",
            "image_credit": "Tran Van C",
            "image_licence": "© IUCN",
            "link": "/stories/",
            "link_text": "Read the stories",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    hero = HomeHero.objects.get()
    assert Version.objects.get_for_object(hero).count() == 1  # its history is kept
    assert (media_root / f"{hero.image.name}.1920w.webp").is_file()

    html = client.get("/").text

    assert f"/media/{hero.image.name}.1920w.webp 1920w" in html
    assert 'alt="Two rangers watch the sunrise over a forested valley"' in html
    assert 'fetchpriority="high"' in html
    assert '<a class="picture__link" href="/stories/">Read the stories</a>' in html
    assert "Photo: Tran Van C · © IUCN" in html


def test_the_admin_refuses_a_home_picture_without_description_or_link_text(
    manager_client, media_root
):
    response = manager_client.post(
        "/admin/knowledge/homehero/add/",
        {"title": "Rangers", "is_active": "on", "image": photo(size=(60, 40)), "link": "/x/"},
    )
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"image_alt", "link_text"}
    response = manager_client.post(
        "/admin/knowledge/homehero/add/",
        {"title": "Rangers", "image": photo(size=(60, 40)), "image_alt": "R",
         "link": "javascript:alert(1)", "link_text": "Go"},
    )  # fmt: skip
    assert "link" in response.context["adminform"].form.errors
    assert not HomeHero.objects.exists()


def test_home_shows_the_newest_active_picture(client, media_root):
    def hero(title, active):
        record = HomeHero(title=title, image_alt=title, is_active=active)
        record.image.save(f"{title}.jpg", photo(size=(900, 400)))
        return record

    older = hero("older", True)
    hero("newer but resting", False)

    html = client.get("/").text
    assert 'alt="older"' in html
    assert 'alt="newer but resting"' not in html
    older.is_active = False
    older.save()
    assert "<picture>" not in client.get("/").text  # none active: the hero is text only


# Lists: pictures cost no query


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/knowledge/best-practices/", lambda: BestPracticeFactory(cover_image_alt="A")),
        ("/stories/", lambda: StoryFactory(image_alt="A")),
        ("/activities/", lambda: ActivityFactory(cover_image_alt="A")),
    ],
)
def test_a_list_with_pictures_costs_the_same_queries_for_one_card_or_many(
    client, media_root, url, make
):
    """Intended to prevent an n+1 issue: a card's picture comes from its row alone."""

    def with_picture():
        record = make()
        field = "image" if isinstance(record, Story) else "cover_image"
        getattr(record, field).save("p.jpg", photo(size=(500, 300)))

    def queries() -> int:
        cache.clear()  # each count from a cold cache, as the first visitor's
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with_picture()
    one = queries()
    for _ in range(5):
        with_picture()
    html = client.get(url).text
    assert html.count("<picture>") == 6
    assert queries() == one


def test_the_directory_shows_logos_and_initials_without_a_query_per_card(client, media_root):
    def member(acronym):
        organization = MemberOrganizationFactory(acronym=acronym, logo_alt=f"{acronym} emblem")
        organization.logo.save("logo.png", photo(size=(300, 300), fmt="PNG"))

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/members/").status_code == 200
        return len(captured)

    MemberOrganizationFactory(acronym="", name="Forest Protection Department")
    MemberOrganizationFactory(acronym="ICIMOD", name="International Centre for Mountains")
    member("DNP")
    one = queries()
    for acronym in ("KNPS", "BCA", "NBCA"):
        member(acronym)
    html = client.get("/members/").text

    assert html.count("<picture>") == 4
    assert 'alt="NBCA emblem"' in html
    assert '<span class="picture-fallback__label">FPD</span>' in html
    long_label = "picture-fallback__label picture-fallback__label--long"
    assert f'<span class="{long_label}">ICIMOD</span>' in html  # smaller, to fit
    assert queries() == one


def test_pictures_stored_before_sizes_get_them_from_the_command(media_root):
    old = StoryFactory(image_alt="A river at dusk")
    name = "stories/2024/oldpicture.jpg"
    (media_root / "stories/2024").mkdir(parents=True)
    (media_root / name).write_bytes(photo(size=(1000, 500)).read())
    Story.objects.filter(pk=old.pk).update(image=name)
    StoryFactory(image_alt="Gone", image="stories/2024/missing.jpg")
    output = io.StringIO()

    call_command("make_picture_sizes", stdout=output)

    old.refresh_from_db()
    assert (old.image_width, old.image_height) == (1000, 500)
    assert (media_root / f"{name}.800w.webp").is_file()
    assert "knowledge.Story.image: 1 pictures sized, 1 missing or unreadable." in output.getvalue()
    assert old.cover.srcset.endswith(f"/media/{name}.1200w.jpg 1000w")


def test_the_home_picture_admin_lists_and_finds_pictures(editor_client):
    HomeHero.objects.create(
        title="Rangers at dawn", image="home/2026/dawn.jpg", image_alt="Rangers", is_active=False
    )
    HomeHero.objects.create(title="Valley", image="home/2026/valley.jpg", image_alt="A valley")

    found = editor_client.get("/admin/knowledge/homehero/", {"q": "dawn"})

    assert found.status_code == 200
    assert [hero.title for hero in found.context["cl"].result_list] == ["Rangers at dawn"]
    assert editor_client.get("/admin/knowledge/homehero/add/").status_code == 200
    active = editor_client.get("/admin/knowledge/homehero/", {"is_active__exact": "1"})
    assert [hero.title for hero in active.context["cl"].result_list] == ["Valley"]


@pytest.mark.parametrize("link", ["/stories/", "https://www.iucn.org/asia"])
def test_a_home_picture_links_to_a_portal_page_or_a_web_address(link):
    validate_hero_link(link)


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "//evil.example/", "/\\evil.example/", "stories/"]
)
def test_a_home_picture_link_elsewhere_is_refused(link):
    with pytest.raises(ValidationError):
        validate_hero_link(link)
