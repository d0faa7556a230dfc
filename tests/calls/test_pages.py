"""/calls/ and a call's page: open calls first, time left, who may respond, query counts.

Personas: Anna (anonymous), Minh (member, Viet Nam), Oyuna (member, Mongolia), Emma (editor).
"""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CallFactory, CallResponseFactory, country

pytestmark = pytest.mark.django_db

LIST = "/calls/"


def _days(count: float) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def titles(response) -> list[str]:
    return [call.title for call in response.context["object_list"]]


@pytest.fixture
def now():
    return timezone.now()


def test_open_calls_come_first_nearest_deadline_first_then_past_ones_latest_first(client, now):
    CallFactory(title="Closed long ago", opens_at=now - _days(90), deadline=now - _days(60))
    CallFactory(title="Closes in a month", opens_at=now - _days(1), deadline=now + _days(30))
    CallFactory(title="Closed yesterday", opens_at=now - _days(30), deadline=now - _days(1))
    CallFactory(title="Closes in two days", opens_at=now - _days(1), deadline=now + _days(2))
    CallFactory(title="Opens next week", opens_at=now + _days(7), deadline=now + _days(20))
    CallFactory(title="A draft", status="draft", deadline=now + _days(1))

    page = client.get(LIST)

    assert titles(page) == [
        "Closes in two days",
        "Opens next week",  # announced: still to come, after those closing sooner
        "Closes in a month",
        "Closed yesterday",
        "Closed long ago",
    ]
    assert "closes in 1\xa0day, 23\xa0hours" in page.text
    assert "closed 1\xa0day ago" in page.text


def test_the_list_is_paginated(client, settings, now):
    for number in range(26):
        CallFactory(title=f"Call {number:02d}", deadline=now + _days(number + 1))
    first = client.get(LIST)
    assert len(titles(first)) == 24
    assert titles(client.get(LIST, {"page": 2})) == ["Call 24", "Call 25"]
    assert client.get(LIST, {"page": "many"}).status_code == 404  # never a 500


def test_a_draft_is_hidden_from_the_public_and_members_but_staff_preview_it(
    client, member_client, editor_client
):
    draft = CallFactory(title="Survey on ranger training", status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert member_client.get(draft.get_absolute_url()).status_code == 404
    page = editor_client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "Draft: not published" in page.text


def test_a_calls_page_shows_kind_dates_time_left_body_documents_and_related_work(client, now):
    call = CallFactory(
        kind="submission",
        title="Best practices for the Asia Parks Congress",
        body="Send **two pages** <script>alert(1)</script>",
        opens_at=now - _days(3),
        deadline=now + _days(2) + datetime.timedelta(hours=4, minutes=30),
        time_zone="Asia/Bangkok",
    )
    call.documents.create(title="Submission template", url="https://example.org/template.docx")

    page = client.get(call.get_absolute_url())

    assert page.status_code == 200
    html = page.text
    assert "Submission" in html
    assert "closes in 2\xa0days, 4\xa0hours" in html
    assert "(Asia/Bangkok, UTC+7)" in html
    assert "<strong>two pages</strong>" in html
    assert "<script>alert(1)</script>" not in html  # the body is sanitised
    assert 'href="https://example.org/template.docx"' in html
    assert "All members" in html


def test_a_past_call_says_since_when_it_is_closed(client, now):
    call = CallFactory(
        opens_at=now - _days(30), deadline=now - _days(3) - datetime.timedelta(hours=2, minutes=30)
    )
    assert "closed 3\xa0days, 2\xa0hours ago" in client.get(call.get_absolute_url()).text


@pytest.fixture
def vietnam_call():
    return CallFactory(
        title="Nominations from Viet Nam",
        eligibility="countries",
        countries=[country("VNM")],
    )


def test_anna_reads_the_call_and_is_asked_to_sign_in(client, vietnam_call):
    page = client.get(vietnam_call.get_absolute_url())
    assert page.context["respond"] == "sign-in"
    assert f"/accounts/login/?next={vietnam_call.get_absolute_url()}" in page.text
    assert '<form method="post" enctype' not in page.text


def test_minh_of_viet_nam_gets_the_response_form(member_client, vietnam_call):
    page = member_client.get(vietnam_call.get_absolute_url())
    assert page.context["respond"] == "form"
    assert 'name="text"' in page.text
    assert "Members in" in page.text
    assert "Viet Nam" in page.text


def test_oyuna_of_mongolia_is_told_the_call_is_for_other_countries(
    other_member_client, vietnam_call
):
    page = other_member_client.get(vietnam_call.get_absolute_url())
    assert page.context["respond"] == "not-eligible"
    assert 'name="text"' not in page.text
    assert "for the members of other countries" in page.text


def test_oyuna_may_answer_a_call_to_all_members(other_member_client):
    call = CallFactory()
    assert other_member_client.get(call.get_absolute_url()).context["respond"] == "form"


def test_staff_without_an_organization_are_led_to_the_responses(editor_client, vietnam_call):
    page = editor_client.get(vietnam_call.get_absolute_url())
    assert page.context["respond"] == "not-a-member"
    assert f"/admin/calls/callresponse/?call__id__exact={vietnam_call.pk}" in page.text


def test_a_call_not_open_yet_says_when_it_opens(member_client, now):
    call = CallFactory(opens_at=now + _days(5), deadline=now + _days(30))
    page = member_client.get(call.get_absolute_url())
    assert page.context["respond"] == "not-yet"
    assert "Responses open on" in page.text
    assert 'name="text"' not in page.text


def test_every_page_leads_to_the_calls(client):
    footer = client.get("/about/").text.partition('<footer class="site-footer">')[2]
    assert 'href="/calls/"' in footer


@pytest.mark.parametrize("rows", [2, 40])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, rows, now):
    """Intended to prevent an n+1 issue on the list (the countries a call is for)."""
    for number in range(rows):
        CallFactory(
            deadline=now + _days(number + 1),
            eligibility="countries" if number % 2 else "all",
            countries=[country("VNM"), country("LAO")] if number % 2 else [],
        )
    # 1. savepoint  2. the count  3. the page's calls with their work areas  4. the
    # countries of those calls  5. release
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("documents", [1, 20])
def test_detail_query_count_does_not_grow(
    member_client, django_assert_num_queries, documents, vietnam_call, member
):
    """Intended to prevent an n+1 issue on a call's page (documents, countries, attachments)."""
    for number in range(documents):
        vietnam_call.documents.create(title=f"Annex {number}", url="https://example.org/a.pdf")
    CallResponseFactory(call=vietnam_call, user=member)
    # 1. savepoint  2. session  3. user  4. the call with its work area, activity and
    # languages  5. its countries  6. its documents  7. whether Minh may respond
    # 8. Minh's response  9. its attachments  10. release; rendered after it:
    # 11. the attachments again, as the choices of "Remove attached files"
    with django_assert_num_queries(11):
        assert member_client.get(vietnam_call.get_absolute_url()).status_code == 200


def test_home_shows_the_nearest_open_deadline(client, now):
    CallFactory(title="Later call", deadline=now + _days(20))
    CallFactory(title="Sooner call", deadline=now + _days(4))
    CallFactory(title="Closed call", opens_at=now - _days(9), deadline=now - _days(1))
    home = client.get("/")
    assert home.context["nearest_call"].title == "Sooner call"
    assert "Next deadline" in home.text
    assert "closes in 3\xa0days, 23\xa0hours" in home.text


def test_home_without_an_open_call_shows_no_deadline(client, now):
    CallFactory(opens_at=now - _days(9), deadline=now - _days(1))
    assert "Next deadline" not in client.get("/").text


def test_my_page_lists_the_open_calls_minh_may_answer_and_whether_he_did(
    member_client, member, now
):
    answered = CallFactory(title="Answered call", deadline=now + _days(5))
    CallResponseFactory(call=answered, user=member)
    CallFactory(title="Closing sooner", deadline=now + _days(3))
    CallFactory(title="For Mongolia", eligibility="countries", countries=[country("MNG")])
    CallFactory(title="Closed call", opens_at=now - _days(9), deadline=now - _days(1))

    page = member_client.get("/my/")

    html = page.text
    assert "Open calls you may answer" in html
    assert html.index("Closing sooner") < html.index("Answered call")  # nearest deadline first
    assert "For Mongolia" not in html
    assert "Closed call" not in html
    assert "Responded" in html
    assert "Not yet" in html


def test_the_sitemap_lists_published_calls_only(client):
    published = CallFactory(title="Published call")
    draft = CallFactory(title="Draft call", status="draft")
    index = client.get("/sitemap.xml").text
    assert "sitemap-calls.xml" in index
    section = client.get("/sitemap-calls.xml").text
    assert published.get_absolute_url() in section
    assert draft.get_absolute_url() not in section
