"""What people come to the portal for, done in a real browser from start to end.

- Anna, an anonymous visitor, goes from the home page to a work area and one of its
  activities, subscribes to the calendar, narrows the protected areas down to a
  country on the map, searches the library, and reads on in Vietnamese.
- Minh, a member, signs in, lands on his dashboard and shares a best practice with two
  building blocks and a cover photograph; Emma, a secretariat editor, asks for changes;
  Minh makes them and submits again; Mark, a secretariat manager, signs in, lands on
  the review queue and publishes it with one button; and Anna finds it with the site
  search and sees its photograph in a size made for the page.
"""

import io
import re
from urllib.parse import urlsplit

import icalendar
from django.core import mail
from PIL import Image

from tests.e2e.helpers import BROWSER_TEST, image_loaded, load_demo_site, wait_for_the_map
from tests.worker import run_worker

pytestmark = BROWSER_TEST

PASSWORD = "a long passphrase for tests"  # tests.factories.UserFactory's


def _photograph(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def results_count(page) -> int:
    return int(re.match(r"\d+", page.locator(".results__count").inner_text().strip()).group())


def test_a_visitor_explores_the_work_subscribes_to_the_calendar_and_reads_in_vietnamese(
    page, offline_guard
):
    load_demo_site()

    # Home → a work area → one of its activities.
    page.goto("/")
    page.get_by_role("region", name="What we do").get_by_role(
        "link", name="Transboundary and regional cooperation"
    ).click()
    assert page.locator("h1").inner_text() == "Transboundary and regional cooperation"
    activity_link = page.get_by_role("region", name="Activities").locator(".card__title a").first
    activity_title = activity_link.inner_text()
    activity_link.click()
    assert page.locator("h1").inner_text() == activity_title

    # Subscribe to the calendar, from the list of activities.
    page.get_by_role("link", name="All activities", exact=True).click()
    subscribe = page.get_by_role("link", name="Subscribe to the calendar")
    assert subscribe.get_attribute("href") == "/activities/calendar.ics"
    calendar = page.request.get(subscribe.get_attribute("href"))
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(calendar.text()).walk("VEVENT")
    summaries = {str(event["SUMMARY"]): event["SUMMARY"].params.get("LANGUAGE") for event in events}
    # Its title, in the language it is shown in (English: no translation is published).
    assert summaries[activity_title] == "en"

    # The protected areas on the map, then those of one country only.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Protected areas").click()
    page.wait_for_url("**/protected-areas/")  # a click does not wait for the next page
    everywhere = wait_for_the_map(page)
    assert everywhere == results_count(page) > 1
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("Country").select_option(label="Viet Nam")
    filters.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/protected-areas/?*country=VNM*")
    in_viet_nam = wait_for_the_map(page)
    assert 0 < in_viet_nam < everywhere
    assert in_viet_nam == results_count(page)
    assert offline_guard.tiles_served > 0  # the map asked for tiles: the stub answered

    # The library: search the best practices and open one.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Knowledge").click()
    page.get_by_role("link", name="All best practices").click()
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("Search").fill("tourism")
    filters.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/knowledge/best-practices/?*q=tourism*")
    first_result = page.locator(".results .card__title a").first
    practice_title = first_result.inner_text()
    first_result.click()
    assert page.locator("h1").inner_text() == practice_title
    practice_path = urlsplit(page.url).path

    # Vietnamese, on the same page.
    page.get_by_role("navigation", name="Language").locator('a[hreflang="vi"]').click()
    page.wait_for_url(f"**/vi{practice_path}")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == practice_title
    vietnamese_menu = page.get_by_role("navigation", name="Điều hướng chính")
    assert vietnamese_menu.get_by_role("link").first.inner_text() == "Giới thiệu"  # About


def _sign_in_to_the_admin(page, user) -> None:
    page.goto("/admin/login/?next=/admin/knowledge/bestpractice/%3Freview%3Dwaiting")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/knowledge/bestpractice/?review=waiting")


def _dashboard_status(page, title: str) -> str:
    page.goto("/my/")
    row = page.locator("tbody tr", has=page.get_by_role("rowheader", name=title))
    return row.locator(".status").inner_text()


def test_a_member_shares_a_practice_the_secretariat_reviews_and_publishes_it_and_visitors_find_it(
    open_page, member, editor, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.SENDFILE_ROOT = str(tmp_path)
    title = "Mangrove replanting led by fishing cooperatives"
    visitor = open_page()

    # Minh signs in, lands on his dashboard, and shares a practice with two building
    # blocks and a cover photograph (2,400 px wide, as a camera gives it).
    minh = open_page()
    minh.goto("/accounts/login/")
    minh.get_by_label("Username").fill(member.username)
    minh.get_by_label("Password").fill(PASSWORD)
    minh.get_by_role("button", name="Sign in").click()
    minh.wait_for_url("**/my/")
    minh.get_by_role("link", name="Share a best practice").first.click()
    minh.wait_for_url("**/knowledge/best-practices/submit/")
    the_practice = minh.get_by_role("region", name="The practice")
    the_practice.get_by_label("Title").fill(title)
    the_practice.get_by_label("Summary").fill("Cooperatives replant mangroves where boats land.")
    minh.get_by_label("Context").fill("A coastal national park with fishing villages.")
    first_block = minh.get_by_role("group", name="Building block 1")
    first_block.get_by_label("Title").fill("Cooperatives choose the sites")
    first_block.get_by_label("Description").fill("Each cooperative names a mudflat.")
    minh.get_by_role("button", name="Add a building block").click()
    second_block = minh.get_by_role("group", name="Building block 2")
    second_block.get_by_label("Title").fill("The park supplies seedlings")
    second_block.get_by_label("Description").fill("A park nursery grows the seedlings.")
    pictures = minh.get_by_role("region", name="Pictures")
    pictures.get_by_label("Cover image", exact=True).set_input_files(
        {"name": "mangroves.jpg", "mimeType": "image/jpeg", "buffer": _photograph(2400, 1350)}
    )
    pictures.get_by_label("Cover image description").fill("Fishers plant mangrove seedlings")
    minh.get_by_role("button", name="Submit for review").click()
    minh.wait_for_url("**/my/")
    assert f"“{title}” is submitted" in minh.locator(".messages").inner_text()
    assert _dashboard_status(minh, title) == "Submitted for review"

    # Not public yet: Anna does not find it.
    visitor.goto("/search/?q=mangrove+cooperatives")
    assert visitor.get_by_role("link", name=title).count() == 0

    # Emma, an editor, asks for changes from the list of best practices.
    emma = open_page()
    _sign_in_to_the_admin(emma, editor)
    row = emma.locator("#result_list tbody tr", has=emma.get_by_role("link", name=title))
    row.locator("input.action-select").check()
    emma.locator("select[name=action]").select_option("request_changes")
    emma.get_by_role("button", name="Run").click()
    emma.get_by_label("Message to the submitter").fill("Say how many hectares were replanted.")
    emma.get_by_role("button", name="Send the request for changes").click()
    assert "Changes requested to 1 best practice" in emma.locator(".messagelist").inner_text()

    # Minh reads the request, edits the practice and submits it again.
    assert _dashboard_status(minh, title) == "Changes requested"
    assert "Say how many hectares were replanted." in minh.locator("tbody").inner_text()
    minh.get_by_role("link", name=f"Edit “{title}”").click()
    request = minh.get_by_role("region", name="Changes the secretariat asks for")
    assert "Say how many hectares were replanted." in request.inner_text()
    minh.get_by_role("region", name="The practice").get_by_label("Summary").fill(
        "Cooperatives replanted 120 hectares of mangroves."
    )
    minh.get_by_role("button", name="Submit for review").click()
    minh.wait_for_url("**/my/")
    assert _dashboard_status(minh, title) == "Submitted for review"

    # Mark, a manager, signs in, lands on the review queue, and publishes it with one button.
    mark = open_page()
    mark.goto("/accounts/login/")
    mark.get_by_label("Username").fill(manager.username)
    mark.get_by_label("Password").fill(PASSWORD)
    mark.get_by_role("button", name="Sign in").click()
    mark.wait_for_url("**/admin/knowledge/bestpractice/review/")
    mark.get_by_role("button", name=f"Publish “{title}”").click()
    mark.wait_for_url("**/admin/knowledge/bestpractice/review/")
    assert "1 best practice published" in mark.locator(".messagelist").inner_text()
    assert mark.get_by_role("link", name=title).count() == 0  # no longer waiting
    assert _dashboard_status(minh, title) == "Published"
    # The worker sends the emails the review queued (the submitter hears of publication).
    run_worker()
    subjects = [email.subject for email in mail.outbox]
    assert any(title in subject and "Published" in subject for subject in subjects), subjects

    # Anna finds it with the site search, and reads its two building blocks.
    visitor.goto("/")
    visitor.get_by_role("search", name="Site search").get_by_role("searchbox").fill(
        "mangrove cooperatives"
    )
    visitor.keyboard.press("Enter")
    visitor.wait_for_url("**/search/?q=mangrove+cooperatives")
    visitor.get_by_role("link", name=title).click()
    assert visitor.locator("h1").inner_text() == title
    assert "120 hectares" in visitor.locator("main").inner_text()
    for block_title in ("Cooperatives choose the sites", "The park supplies seedlings"):
        assert visitor.get_by_role("heading", name=block_title).is_visible()
    # The photograph shows in a size made for the page, not the 2,400 px original.
    cover = visitor.get_by_role("img", name="Fishers plant mangrove seedlings")
    cover.scroll_into_view_if_needed()
    image_loaded(cover)
    shown = cover.evaluate(
        "image => ({source: image.currentSrc, natural: image.naturalWidth,"
        " drawn: image.clientWidth})"
    )
    assert re.search(r"\.\d+w\.(webp|jpg)$", shown["source"]), shown
    assert shown["drawn"] <= shown["natural"] < 2400, shown
