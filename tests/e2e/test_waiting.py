"""Waiting in the browser under the portal's content security policy (no 'unsafe-eval')."""

import pytest
from playwright.sync_api import Error

from tests.e2e.helpers import BROWSER_TEST, wait_until

pytestmark = BROWSER_TEST

LATE = "() => setTimeout(() => { document.body.dataset.late = '1'; }, 300)"


def test_wait_until_sees_a_condition_that_comes_true_later(open_page, live_server):
    page = open_page()
    page.goto(f"{live_server.url}/about/")
    page.evaluate(LATE)
    wait_until(page.locator("body"), "body => body.dataset.late === '1'")


def test_playwrights_wait_for_function_is_refused_by_the_policy(open_page, live_server):
    """Why the browser tests use `wait_until`: Playwright polls by eval in the page."""
    page = open_page()
    page.goto(f"{live_server.url}/about/")
    page.evaluate(LATE)
    with pytest.raises(Error, match="unsafe-eval"):
        page.wait_for_function("document.body.dataset.late === '1'", timeout=3000)
