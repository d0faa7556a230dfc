"""The secretariat's admin in a real browser: the Markdown preview of its forms.

Emma (editor) edits a best practice; the preview comes from our static script and the
server's renderer, under the site's content security policy (no inline script).
"""

from tests.e2e.helpers import BROWSER_TEST
from tests.factories import BestPracticeFactory, StoryFactory

pytestmark = BROWSER_TEST


def test_the_markdown_preview_shows_the_text_as_the_page_will(open_page, editor):
    practice = BestPracticeFactory(summary="Rangers **and** villagers patrol together.")
    page = open_page(user=editor)
    page.goto(f"/admin/knowledge/bestpractice/{practice.pk}/change/")

    summary = page.locator(".field-summary")
    summary.get_by_role("button", name="Preview").click()
    preview = summary.locator(".apap-preview")
    preview.locator("strong").wait_for()

    assert preview.locator("strong").inner_text() == "and"
    assert (
        summary.get_by_role("button", name="Hide the preview").get_attribute("aria-expanded")
        == "true"
    )
    # Typing again hides the preview that no longer matches the text.
    summary.locator("textarea").fill("<script>alert(1)</script>*Edited*")
    assert preview.is_hidden()
    summary.get_by_role("button", name="Preview").click()
    preview.locator("em").wait_for()
    assert preview.locator("script").count() == 0


def test_a_translation_is_typed_beside_its_original(open_page, editor):
    """Emma translates a story: each original field sits left of its Vietnamese field."""
    story = StoryFactory(lead="Rangers met in Dong Nai.", body="They agreed to **share**.")
    page = open_page(user=editor)
    page.goto(f"/admin/knowledge/storytranslation/add/?original={story.pk}&language=vi")

    row = page.locator(".field-lead")
    original = row.locator(".translation-pair__original").bounding_box()
    field = row.locator("textarea").bounding_box()
    assert row.locator(".translation-pair__original").get_attribute("lang") == "en"
    assert original["x"] + original["width"] <= field["x"]  # beside, not above
    assert abs(original["y"] - field["y"]) < 40
    column = row.locator(".translation-pair").bounding_box()
    assert field["x"] + field["width"] <= column["x"] + column["width"] + 1  # within its column
