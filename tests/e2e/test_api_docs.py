"""The API's documentation page works in a browser under the portal's CSP."""

from tests.e2e.helpers import BROWSER_TEST

pytestmark = BROWSER_TEST


def test_swagger_ui_shows_every_endpoint_without_a_csp_violation(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/best-practices/{slug}/" in {path.replace("\u200b", "") for path in paths}
    assert page.locator(".btn.authorize").count() == 1  # the member's token can be given
    assert not errors, errors
