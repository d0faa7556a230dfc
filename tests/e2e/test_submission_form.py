"""The guided best-practice form in a real browser, with its scripts.

Minh, a member, signs in and lands on his dashboard, opens the form, adds two building
blocks without leaving the page, previews his Markdown as the page will show it, finds
the countries by typing, and submits. The form stays free of axe-core violations and of
HTML errors, as sent and as the scripts leave it.
"""

import re

from django.test import Client
from playwright.sync_api import expect

from knowledge.models import BestPractice
from members.models import Country
from tests.e2e.helpers import BROWSER_TEST, axe_violations, describe_violations, html_errors

pytestmark = BROWSER_TEST

PASSWORD = "a long passphrase for tests"  # tests.factories.UserFactory's
SUBMIT_URL = "/knowledge/best-practices/submit/"
DASHBOARD = re.compile(r"/my/(#[\w-]*)?$")


def _sign_in(page, member) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_member_shares_a_practice_through_the_guided_form(open_page, member, axe_source):
    title = "Seagrass watch by dive clubs"
    minh = open_page()

    # Signed in, Minh lands on his dashboard, and goes to the form from there.
    _sign_in(minh, member)
    minh.wait_for_url(DASHBOARD)
    minh.get_by_role("link", name="Share a best practice").first.click()
    minh.wait_for_url(f"**{SUBMIT_URL}")
    form_url = minh.url

    def still_on_the_form() -> bool:
        """No round trip: the page is the one first loaded (at most a section's anchor)."""
        return minh.url.split("#")[0] == form_url and minh.evaluate("() => !!window.stillHere")

    minh.evaluate("() => { window.stillHere = true; }")

    # The steps follow the reading.
    steps = minh.get_by_role("navigation", name="Steps")
    assert steps.get_by_role("link").all_inner_texts() == [
        "The practice", "Where and who", "Topics", "Building blocks", "Pictures",
        "Review and submit",
    ]  # fmt: skip
    steps.get_by_role("link", name="Building blocks").click()
    expect(minh.locator('[data-form-progress] a[href="#blocks"]')).to_have_attribute(
        "aria-current", "step"
    )

    practice = minh.get_by_role("region", name="The practice")
    practice.get_by_label("Title").fill(title)
    practice.get_by_label("Summary").fill("Dive clubs count seagrass every month.")
    # Enter in a text field neither sends the half-written form nor adds a block.
    practice.get_by_label("Title").press("Enter")
    assert still_on_the_form()
    assert minh.locator("#id_blocks-TOTAL_FORMS").input_value() == "1"

    # Markdown, previewed by the server's renderer: bold shows, a script does not.
    context = minh.locator(".field", has=minh.get_by_label("Context"))
    context.get_by_role("textbox").fill("**Shallow bays** <script>window.previewRan = 1</script>")
    context.get_by_role("button", name="Preview").click()
    preview = context.locator(".markdown-preview__output")
    preview.locator("strong", has_text="Shallow bays").wait_for()
    assert preview.locator("script").count() == 0
    assert minh.evaluate("() => window.previewRan === undefined")
    # It follows the typing.
    context.get_by_role("textbox").fill("Now *in italics*")
    preview.locator("em", has_text="in italics").wait_for()

    # Countries, found by typing: Enter ticks the only match; a chip takes one off.
    countries = minh.get_by_role("group", name="Countries")
    finder = countries.get_by_label("Type to narrow the list")
    finder.fill("viet")
    shown = countries.locator(".choices label:visible").all_inner_texts()
    assert [label.strip() for label in shown] == ["Viet Nam"]
    finder.press("Enter")
    assert still_on_the_form()  # Enter did not send the form
    finder.fill("cambod")
    countries.get_by_label("Cambodia", exact=True).check()
    chosen = countries.get_by_role("list", name="Chosen")
    assert chosen.get_by_role("button").all_inner_texts() == ["Cambodia", "Viet Nam"]
    chosen.get_by_role("button", name="Remove Cambodia").click()
    assert not countries.get_by_label("Cambodia", exact=True).is_checked()
    assert chosen.get_by_role("button").all_inner_texts() == ["Viet Nam"]
    assert minh.evaluate("() => document.activeElement.textContent") == "Viet Nam"

    # Two building blocks more, added on the page: no round trip.
    add = minh.get_by_role("button", name="Add a building block")
    add.click()
    add.click()
    assert still_on_the_form()
    assert minh.locator("#id_blocks-TOTAL_FORMS").input_value() == "3"
    for number, (block_title, description) in enumerate(
        [("Clubs adopt a bay", "Each club counts one bay."),
         ("Counts go to the park", "The park maps the counts.")],
        start=2,
    ):  # fmt: skip
        block = minh.get_by_role("group", name=f"Building block {number}")
        block.get_by_label("Title").fill(block_title)
        block.get_by_label("Description").fill(description)
    # A new block's Markdown can be previewed too.
    new_block = minh.get_by_role("group", name="Building block 3")
    new_block.get_by_role("button", name="Preview").first.click()
    new_block.locator(".markdown-preview__output", has_text="The park maps").wait_for()

    violations = axe_violations(minh, axe_source)
    assert not violations, describe_violations({"guided form, enhanced": violations})

    minh.get_by_role("button", name="Submit for review").click()
    minh.wait_for_url(DASHBOARD)  # (the browser keeps the section's #anchor over the redirect)
    assert f"“{title}” is submitted" in minh.locator(".messages").inner_text()

    shared = BestPractice.objects.get(title=title)
    assert shared.status == "submitted"
    assert shared.context == "Now *in italics*"
    assert list(shared.building_blocks.values_list("title", flat=True)) == [
        "Clubs adopt a bay",
        "Counts go to the park",
    ]  # the first block, left empty, was skipped
    assert list(shared.countries.values_list("iso3", flat=True)) == ["VNM"]


def test_the_guided_form_is_valid_html_as_sent_as_sent_back_and_as_enhanced(
    open_page, member, vnu_jar
):
    client = Client()
    client.force_login(member)
    sent = client.get(SUBMIT_URL).text
    viet_nam = Country.objects.get(iso3="VNM")
    sent_back = client.post(
        SUBMIT_URL,
        {"action": "add-block", "title": "Kept", "countries": [viet_nam.pk],
         "blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0",
         "blocks-MIN_NUM_FORMS": "0", "blocks-MAX_NUM_FORMS": "30"},
    ).text  # fmt: skip
    assert "Building block 2</legend>" in sent_back

    page = open_page(user=member)
    page.goto(SUBMIT_URL)
    page.get_by_role("button", name="Add a building block").click()
    page.get_by_role("group", name="Countries").get_by_label("Viet Nam", exact=True).check()
    page.get_by_role("button", name="Preview").first.click()
    page.locator(".markdown-preview__output").first.wait_for()
    enhanced = "<!doctype html>\n" + page.locator("html").evaluate("html => html.outerHTML")

    errors = html_errors(
        {"form": sent, "form with a block added": sent_back, "form, enhanced": enhanced},
        vnu_jar,
    )
    assert not errors, errors


def test_a_refused_preview_says_why_and_keeps_the_text(open_page, member, settings):
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "markdown-preview": "1/m"}
    page = open_page(user=member)
    page.goto(SUBMIT_URL)
    context = page.locator(".field", has=page.get_by_label("Context"))
    context.get_by_role("textbox").fill("First *draft*")
    context.get_by_role("button", name="Preview").click()
    preview = context.locator(".markdown-preview__output")
    preview.locator("em", has_text="draft").wait_for()

    context.get_by_role("textbox").fill("Second *draft*")
    preview.get_by_text("Too many previews in a short time").wait_for()
    assert context.get_by_role("textbox").input_value() == "Second *draft*"


def test_without_javascript_adding_a_block_keeps_everything_typed(open_page, member):
    page = open_page(user=member, java_script_enabled=False)
    page.goto(SUBMIT_URL)
    page.get_by_role("region", name="The practice").get_by_label("Title").fill("Kept title")
    page.get_by_label("Context").fill("Kept *context*")
    page.get_by_role("group", name="Countries").get_by_label("Nepal", exact=True).check()
    first_block = page.get_by_role("group", name="Building block 1")
    first_block.get_by_label("Title").fill("Kept block")
    # No filter box and no chips without JavaScript: the whole list, as plain checkboxes.
    assert page.get_by_label("Type to narrow the list").count() == 0

    page.get_by_role("button", name="Add a building block").click()
    page.wait_for_url("**#block-2")

    assert page.get_by_role("group", name="Building block 2").is_visible()
    assert page.get_by_role("region", name="The practice").get_by_label("Title").input_value() == (
        "Kept title"
    )
    assert page.get_by_label("Context").input_value() == "Kept *context*"
    assert (
        page.get_by_role("group", name="Countries").get_by_label("Nepal", exact=True).is_checked()
    )
    assert first_block.get_by_label("Title").input_value() == "Kept block"
    assert page.locator(".error-summary").count() == 0
    assert not BestPractice.objects.exists()
