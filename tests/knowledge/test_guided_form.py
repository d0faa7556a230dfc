"""The guided best-practice form: steps, honest required marks, building blocks that can
be added without JavaScript and without losing anything, the Markdown preview, and
where signing in leads.

Minh (member_client) works for Viet Nam's agency; Emma (editor_client) is secretariat
staff; an anonymous visitor has no account.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from apap_portal.landing import landing_url
from knowledge.forms import MAX_BUILDING_BLOCKS
from knowledge.models import BestPractice, BuildingBlock
from knowledge.submission_views import FORM_SECTIONS
from tests.factories import BestPracticeFactory, BuildingBlockFactory, country, theme
from tests.knowledge.test_submission import SUBMIT_URL, TWO_BLOCKS, edit_url, practice_data

pytestmark = pytest.mark.django_db

PREVIEW_URL = "/markdown-preview/"
LOGIN_URL = "/accounts/login/"
PASSWORD = "a long passphrase for tests"  # tests/factories.py


def labels_marked_required(html: str) -> set[str]:
    """The labels and legends that carry the required mark, by their text."""
    marked = set()
    for match in re.finditer(r"<(label|legend)\b[^>]*>(.*?)</\1>", html, re.S):
        inner = match.group(2)
        if 'class="required-mark"' in inner:
            marked.add(re.sub(r"<.*", "", inner, flags=re.S).strip())
    return marked


# Sections and steps


def test_the_form_is_in_sections_with_a_list_of_steps_linking_to_them(member_client):
    text = member_client.get(SUBMIT_URL).text

    steps = re.search(r'<nav class="form-progress".*?</nav>', text, re.S).group()
    anchors = re.findall(r'<a href="#([\w-]+)">', steps)
    assert anchors == ["practice", "where", "topics", "blocks", "pictures", "review"]
    for anchor in anchors:
        assert f'<section class="form-section" id="{anchor}"' in text
    assert "Review and submit" in steps
    # The current step follows the reading with JavaScript, our own file.
    assert "js/form-progress.js" in text


def test_every_field_of_the_form_is_in_exactly_one_section(member_client):
    """A field added to the form but to no section would silently vanish from the page."""
    form = member_client.get(SUBMIT_URL).context["form"]
    placed = [name for _anchor, _title, names in FORM_SECTIONS for name in names]
    visible = {field.name for field in form.visible_fields()}
    assert sorted(placed) == sorted(visible)


def test_the_cover_image_lives_in_the_pictures_section(member_client):
    text = member_client.get(SUBMIT_URL).text
    pictures = re.search(r'<section class="form-section" id="pictures".*?</section>', text, re.S)
    assert 'name="cover_image"' in pictures.group()
    assert 'name="cover_image_alt"' in pictures.group()


def test_steps_with_something_to_fix_are_flagged(member_client):
    response = member_client.post(SUBMIT_URL, practice_data(title="", blocks=TWO_BLOCKS))
    steps = re.search(r'<nav class="form-progress".*?</nav>', response.text, re.S).group()
    flagged = re.findall(r'form-progress__step--error"><a href="#([\w-]+)"', steps)
    assert flagged == ["practice"]


# Required and optional, said once and truthfully


def test_only_required_fields_are_marked_and_a_legend_says_so_once(member_client):
    response = member_client.get(SUBMIT_URL)
    text = response.text
    form = response.context["form"]
    required = {str(field.label) for field in form.visible_fields() if field.field.required}
    assert required == {"Title", "Summary", "Language"}

    # The block's title and description: required in a block that is used.
    assert labels_marked_required(text) == required | {"Title", "Description"}
    outside_the_template = re.sub(r"<template.*?</template>", "", text, flags=re.S)
    assert outside_the_template.count("(required in a block you use)") == 2  # the empty block
    assert text.count("are required; all others are optional") == 1
    assert "(required)" not in text
    # The old help: "Markdown." after every field, and "save as draft to get more blocks".
    assert "Markdown.</p>" not in text
    assert "save as draft to get more" not in text.lower()
    # Screen readers hear "required" from the inputs themselves.
    assert re.search(r'<input type="text" name="title"[^>]* required', text)
    assert not re.search(r'name="contributors"[^>]* required', text)


def test_markdown_fields_offer_the_formatting_help_and_a_preview(member_client):
    text = member_client.get(SUBMIT_URL).text
    assert text.count('id="markdown-help"') == 1
    for name in ("context", "challenge_description", "impacts", "lessons_learned"):
        assert re.search(rf'<textarea name="{name}"[^>]*data-markdown', text)
    assert re.search(r'<textarea name="blocks-0-description"[^>]*data-markdown', text)
    assert f'data-markdown-preview-url="{PREVIEW_URL}"' in text
    assert "js/markdown-preview.js" in text


def test_country_and_topic_lists_are_made_searchable(member_client):
    text = member_client.get(SUBMIT_URL).text
    for legend in ("Countries", "Themes", "Ecosystems", "Challenges", "GBF targets"):
        assert re.search(rf"<fieldset[^>]*data-choice-filter>\s*<legend>{legend}", text)
    assert "js/choice-filter.js" in text


# Building blocks: required only if used, checked on the server


def test_a_partly_filled_block_is_refused_with_a_clear_message_and_kept(member_client):
    response = member_client.post(
        SUBMIT_URL,
        practice_data(
            blocks=[
                {"title": "Patrol routes", "description": "Villages map them."},
                {"enabling_factors": "A trusted village council"},  # no title, no description
                {},  # left empty: skipped
            ]
        ),
    )

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert formset.forms[2].errors == {}
    assert formset.forms[1].errors == {
        "title": ["Give this building block a title, or empty all its fields to skip it."],
        "description": ["Describe this building block, or empty all its fields to skip it."],
    }
    text = response.text
    assert "Building block 2, Title: Give this building block a title" in text
    assert "A trusted village council" in text
    assert "Patrol routes" in text
    assert not BestPractice.objects.exists()


def test_empty_blocks_are_skipped_and_used_ones_saved(member_client):
    response = member_client.post(
        SUBMIT_URL, practice_data(action="draft", blocks=[{}, TWO_BLOCKS[0], {}])
    )
    assert response.status_code == 302
    assert list(BuildingBlock.objects.values_list("title", flat=True)) == [TWO_BLOCKS[0]["title"]]


def test_emptying_a_saved_block_says_to_remove_it_instead(member_client, member_org):
    practice = BestPracticeFactory(organization=member_org, status="draft")
    block = BuildingBlockFactory(best_practice=practice, title="Old", description="Old text")
    response = member_client.post(
        edit_url(practice),
        practice_data(
            action="draft",
            blocks=[{"id": block.pk}],
            initial_blocks=1,
            loaded_version=str(practice.version),
        ),
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert errors["title"] == [
        "Give this building block a title, or tick “Remove this building block”."
    ]
    block.refresh_from_db()
    assert block.title == "Old"


# Adding a block without JavaScript: a round trip that keeps everything


def test_adding_a_block_without_javascript_keeps_everything_typed(member_client):
    viet_nam, laos = country("VNM"), country("LAO")
    patrols = theme("law-enforcement-and-patrolling")
    data = practice_data(
        action="add-block",
        title="",  # not yet written: no error shown for it now
        summary="Typed summary",
        impacts="Typed **impacts**",
        contributors="Minh, Lan",
        blocks=[
            {"title": "First block", "description": "First description"},
            {"enabling_factors": "Only a factor so far"},
        ],
    )
    data["countries"] = [viet_nam.pk, laos.pk]
    data["themes"] = [patrols.pk]

    response = member_client.post(SUBMIT_URL, data)

    assert response.status_code == 200
    text = response.text
    assert 'name="blocks-TOTAL_FORMS" value="3"' in text
    assert "Building block 3</legend>" in text
    for typed in ("Typed summary", "Typed **impacts**", "Minh, Lan", "First block",
                  "First description", "Only a factor so far"):  # fmt: skip
        assert typed in text
    for chosen in (viet_nam, laos):
        assert re.search(
            rf'<input type="checkbox" name="countries" value="{chosen.pk}"[^>]* checked', text
        )
    assert re.search(
        rf'<input type="checkbox" name="themes" value="{patrols.pk}"[^>]* checked', text
    )
    # Nothing checked yet, nothing saved: no error for what is still to be written.
    assert "error-summary" not in text
    assert "field__errors" not in text
    assert not BestPractice.objects.exists()
    # The button leads the browser to the new block.
    assert 'formaction="#block-4"' in text

    # Saved afterwards, the new block empty, everything arrives.
    data.update({"action": "draft", "title": "Patrols", "blocks-TOTAL_FORMS": "3",
                 "blocks-1-title": "Second", "blocks-1-description": "Second text"})  # fmt: skip
    assert member_client.post(SUBMIT_URL, data).status_code == 302
    practice = BestPractice.objects.get()
    assert practice.impacts == "Typed **impacts**"
    assert set(practice.countries.all()) == {viet_nam, laos}
    assert list(practice.building_blocks.values_list("title", flat=True)) == [
        "First block",
        "Second",
    ]


def test_adding_a_block_stops_at_the_most_a_practice_may_have(member_client):
    data = practice_data(action="add-block", blocks=[{}] * MAX_BUILDING_BLOCKS)
    response = member_client.post(SUBMIT_URL, data)
    assert response.status_code == 200
    assert f'name="blocks-TOTAL_FORMS" value="{MAX_BUILDING_BLOCKS}"' in response.text
    assert 'value="add-block"' not in response.text
    assert f"at most {MAX_BUILDING_BLOCKS} building blocks" in response.text


def test_adding_a_block_with_an_unreadable_formset_is_a_clear_error(member_client):
    data = practice_data(action="add-block", summary="Kept summary")
    data["blocks-TOTAL_FORMS"] = "many"
    response = member_client.post(SUBMIT_URL, data)
    assert response.status_code == 400
    assert "The building blocks could not be read" in response.text
    assert "Kept summary" in response.text


def test_adding_a_block_to_a_saved_practice_keeps_its_blocks(member_client, member_org):
    practice = BestPracticeFactory(organization=member_org, status="draft")
    block = BuildingBlockFactory(best_practice=practice, title="Saved block")
    data = practice_data(
        action="add-block",
        blocks=[{"id": block.pk, "title": "Saved block, retitled", "description": "d"}],
        initial_blocks=1,
        loaded_version=str(practice.version),
    )
    response = member_client.post(edit_url(practice), data)
    assert response.status_code == 200
    assert "Saved block, retitled" in response.text
    assert "Building block 2</legend>" in response.text
    block.refresh_from_db()
    assert block.title == "Saved block"  # nothing saved until the member saves


# The Markdown preview


def test_the_preview_renders_like_the_page_and_strips_script(member_client):
    response = member_client.post(
        PREVIEW_URL,
        {"text": "**Bold** and [a link](https://example.org)\n\n<script>alert(1)</script>"
                 '<a href="javascript:alert(2)">x</a>'},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_the_preview_of_nothing_is_empty(member_client):
    assert member_client.post(PREVIEW_URL, {"text": ""}).json() == {"html": ""}


def test_the_preview_needs_a_signed_in_user(client):
    response = client.post(PREVIEW_URL, {"text": "**x**"})
    assert response.status_code == 403
    assert "html" not in response.json()


def test_the_preview_is_a_post_only(member_client):
    assert member_client.get(PREVIEW_URL, {"text": "**x**"}).status_code == 405


def test_the_preview_needs_the_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.post(PREVIEW_URL, {"text": "**x**"}).status_code == 403

    browser.get(SUBMIT_URL)  # sets the CSRF cookie, as the form's page does
    token = browser.cookies["csrftoken"].value
    response = browser.post(PREVIEW_URL, {"text": "**x**"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json()["html"] == "<p><strong>x</strong></p>"


def test_the_preview_is_limited(member_client, settings):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "markdown-preview": "3/m"}
    statuses = [member_client.post(PREVIEW_URL, {"text": "x"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Too many previews" in member_client.post(PREVIEW_URL, {"text": "x"}).json()["error"]


def test_a_text_too_long_to_preview_is_refused_clearly(member_client):
    response = member_client.post(PREVIEW_URL, {"text": "x" * 50_001})
    assert response.status_code == 400
    assert "too long" in response.json()["error"]


# Where signing in leads


def test_a_member_lands_on_their_dashboard(client, member):
    response = client.post(LOGIN_URL, {"username": "minh", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:dashboard") == "/my/"


def test_a_member_signing_in_in_vietnamese_lands_on_the_vietnamese_dashboard(client, member):
    response = client.post("/vi" + LOGIN_URL, {"username": "minh", "password": PASSWORD})
    assert response["Location"] == "/vi/my/"


def test_the_page_asked_for_still_wins(client, member):
    response = client.post(
        LOGIN_URL, {"username": "minh", "password": PASSWORD, "next": SUBMIT_URL}
    )
    assert response["Location"] == SUBMIT_URL


@pytest.mark.parametrize("language", ["", "/vi"])
def test_signing_in_from_the_home_page_leads_to_the_dashboard(client, member, language):
    """The header's "Sign in" carries the page it is on; the home page is no wish."""
    home = f"{language}/"
    login_page = client.get(home).text
    assert f'href="{language}{LOGIN_URL}?next={home}"' in login_page
    response = client.post(
        language + LOGIN_URL, {"username": "minh", "password": PASSWORD, "next": home}
    )
    assert response["Location"] == f"{language}/my/"


def test_staff_land_on_the_admin(client, editor):
    response = client.post(LOGIN_URL, {"username": "emma", "password": PASSWORD})
    assert response["Location"] == landing_url(editor)
    assert response["Location"].startswith("/admin/")


# The dashboard's links


def test_dashboard_titles_link_to_the_public_page_or_the_edit_form(member_client, member_org):
    draft = BestPracticeFactory(organization=member_org, title="Our draft", status="draft")
    published = BestPracticeFactory(organization=member_org, title="Ours, published")
    waiting = BestPracticeFactory(organization=member_org, title="Waiting", status="submitted")

    text = member_client.get("/my/").text

    assert f'<a href="{edit_url(draft)}">Our draft</a>' in text
    assert f'<a href="{published.get_absolute_url()}">Ours, published</a>' in text
    assert re.search(r"<th scope=\"row\">\s*Waiting\s*</th>", text)
    assert edit_url(waiting) not in text


def test_the_guided_form_speaks_vietnamese(member_client):
    text = member_client.get("/vi" + SUBMIT_URL).text
    for vietnamese in ("Các bước", "Xem lại và gửi", "là bắt buộc", "Gõ để thu hẹp danh sách"):
        assert vietnamese in text
    for english in ("Steps", "Review and submit", "are required", "Type to narrow the list"):
        assert english not in text
