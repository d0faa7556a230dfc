"""Every kind of page is valid HTML for the Nu HTML Checker (vnu.jar), the W3C's own.

The pages are fetched as the server sends them (the checker reads markup, not the DOM
that scripts change), then checked in one run of the checker: one Java start-up for
all of them.
"""

from django.test import Client

from tests.e2e.helpers import (
    BROWSER_TEST,
    VISITOR,
    PageType,
    demo_account,
    html_errors,
    in_numbers_page,
    load_demo_site,
    page_types,
)

pytestmark = BROWSER_TEST


def _fetch(pages: list[PageType]) -> dict[str, str]:
    clients = {}
    documents = {}
    for page_type in pages:
        if page_type.persona not in clients:
            clients[page_type.persona] = Client()
            if page_type.persona != VISITOR:
                clients[page_type.persona].force_login(demo_account(page_type.persona))
        response = clients[page_type.persona].get(page_type.url)
        assert response.status_code == page_type.status, (page_type.name, page_type.url)
        assert response["Content-Type"].startswith("text/html"), page_type.url
        documents[f"{page_type.name} ({page_type.url})"] = response.text
    return documents


def _forms_with_errors() -> dict[str, str]:
    """Forms sent back with errors: their error summaries and messages are markup too."""
    member = Client()
    member.force_login(demo_account("member"))
    submission = member.post(
        "/knowledge/best-practices/submit/",
        {"action": "submit", "title": "", "blocks-TOTAL_FORMS": "2",
         "blocks-INITIAL_FORMS": "0", "blocks-MIN_NUM_FORMS": "0",
         "blocks-MAX_NUM_FORMS": "30"},
    )  # fmt: skip
    assert "error-summary" in submission.text
    login = Client().post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert login.status_code == 200
    return {
        "submission form with errors": submission.text,
        "login with an error": login.text,
    }


def describe(errors: dict[str, list[str]]) -> str:
    return "\n" + "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in errors.items())


def test_every_kind_of_page_is_valid_html(vnu_jar):
    load_demo_site()
    documents = {**_fetch(page_types()), **_forms_with_errors()}

    errors = html_errors(documents, vnu_jar)

    assert not errors, describe(errors)


def test_the_partnership_in_numbers_is_valid_html(vnu_jar):
    in_numbers = in_numbers_page()
    load_demo_site()

    errors = html_errors(_fetch([in_numbers]), vnu_jar)

    assert not errors, describe(errors)
