"""One date style per context, from the language's formats (apap_portal/formats), and the
browser's date picker in every form.

Anna is an anonymous visitor, Emma an editor and Mai a manager of the secretariat
(conftest.py).
"""

import datetime
import re

import pytest
from django.utils import translation

from activities.models import Activity
from apap_portal.dates import DatePrecision, date_label, dates_label
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MembershipFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db

# Django's stock English styles, which the portal does not use: "Dec. 1, 2023",
# "Dec. 5, 2026, 12:02 a.m.", "12/01/2023".
STOCK_STYLES = re.compile(
    r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec)\. \d{1,2}, \d{4}|\b[ap]\.m\.|\b\d{2}/\d{2}/\d{4}\b"
)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("language", "day", "month", "moment"),
    [
        ("en", "1 December 2023", "December 2023", "1 December 2023, 14:05"),
        ("vi", "1 tháng 12 năm 2023", "tháng 12 năm 2023", "14:05, 1 tháng 12 năm 2023"),
    ],
)
def test_each_context_has_one_format_in_each_language(language, day, month, moment):
    from django.utils.formats import date_format

    with translation.override(language):
        assert date_format(datetime.date(2023, 12, 1)) == day
        assert date_format(datetime.date(2023, 12, 1), "YEAR_MONTH_FORMAT") == month
        assert date_format(datetime.datetime(2023, 12, 1, 14, 5), "DATETIME_FORMAT") == moment


def test_dates_known_to_the_month_or_year_are_written_as_known_in_each_language():
    november = datetime.date(2013, 11, 13), datetime.date(2013, 11, 17)
    with translation.override("vi"):
        assert dates_label(*november, DatePrecision.DAY) == "13–17 tháng 11 năm 2013"
        assert date_label(datetime.date(2018, 1, 1), DatePrecision.MONTH) == "tháng 1 năm 2018"
        assert (
            dates_label(datetime.date(2018, 6, 3), datetime.date(2018, 7, 2), DatePrecision.DAY)
            == "3 tháng 6 – 2 tháng 7 năm 2018"
        )
    assert date_label(datetime.date(2019, 1, 1), DatePrecision.YEAR) == "2019"
    assert dates_label(*november, DatePrecision.DAY) == "13–17 November 2013"


def test_the_pages_show_dates_in_the_one_style_of_each_language(client):
    """An activity, a best practice, a story and a member: English, then Vietnamese."""
    activity = ActivityFactory(
        start_date=datetime.date(2023, 12, 1), date_precision=Activity.DatePrecision.DAY
    )
    practice = BestPracticeFactory(
        published_at=datetime.datetime(2023, 12, 1, 5, tzinfo=datetime.UTC)
    )
    story = StoryFactory(published_at=datetime.datetime(2023, 12, 1, 5, tzinfo=datetime.UTC))
    member = MembershipFactory(
        joined_on=datetime.date(2018, 1, 1),
        joined_on_precision=DatePrecision.MONTH,
        letter_of_intent_on=datetime.date(2023, 12, 1),
    ).organization
    urls = [
        activity.get_absolute_url(),
        practice.get_absolute_url(),
        story.get_absolute_url(),
        member.get_absolute_url(),
        "/stories/",
        "/knowledge/best-practices/",
    ]

    for url in urls:
        english = text_of(client.get(url).text)
        assert "1 December 2023" in english, url
        assert not STOCK_STYLES.search(english), (url, STOCK_STYLES.search(english))
        vietnamese = text_of(client.get(f"/vi{url}").text)
        assert "1 tháng 12 năm 2023" in vietnamese, url
        # Django's own Vietnamese format ("Ngày 01 tháng 12 năm 2023") is not used.
        assert "Ngày 01" not in vietnamese, url

    member_url = urls[3]  # reversed in English (a /vi/ request leaves Vietnamese active)
    member_page = text_of(client.get(member_url).text)
    assert "Joined January 2018" in member_page
    assert "1 January 2018" not in member_page  # the day is not known: none is shown
    assert "tháng 1 năm 2018" in text_of(client.get(f"/vi{member_url}").text)


def test_the_report_form_uses_the_browsers_date_picker(editor_client):
    html = editor_client.get("/reports/cooperation/").text
    assert re.search(r'<input type="date" name="start"', html)
    assert re.search(r'<input type="date" name="end"', html)


def test_date_only_admin_fields_use_the_date_picker_without_a_time_zone_note(manager_client):
    """Django's admin script adds "Note: Enter times in the Asia/Bangkok timezone" under text
    inputs of class vDateField; a date input is not one, and is not described by a note."""
    membership = MembershipFactory(joined_on=datetime.date(2015, 9, 3))

    html = manager_client.get(f"/admin/members/membership/{membership.pk}/change/").text

    joined = re.search(r'<input [^>]*name="joined_on"[^>]*>', html).group()
    assert 'type="date"' in joined
    assert 'value="2015-09-03"' in joined
    assert "vDateField" not in joined
    assert "timezone_warning" not in joined
    assert 'name="letter_of_intent_on"' in html
    assert "vDateField" not in html


def test_date_and_time_admin_fields_keep_their_time_zone_note(manager_client):
    story = StoryFactory()
    html = manager_client.get(f"/admin/knowledge/story/{story.pk}/change/").text
    # published_at holds a moment: the note about the time zone is true for it.
    assert 'aria-describedby="id_published_at_timezone_warning_helptext"' in html


def test_the_admin_saves_a_date_from_the_date_picker(manager_client):
    membership = MembershipFactory()
    url = f"/admin/members/membership/{membership.pk}/change/"
    form = {
        "organization": membership.organization.pk,
        "category": "country",
        "status": "active",
        "joined_on": "2018-01-20",
        "joined_on_precision": "month",
        "letter_of_intent_on": "",
        "notes": "",
        "focal_points-TOTAL_FORMS": "0",
        "focal_points-INITIAL_FORMS": "0",
    }

    response = manager_client.post(url, form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    membership.refresh_from_db()
    # Known to the month: kept as the month's first day, shown as the month.
    assert membership.joined_on == datetime.date(2018, 1, 1)
    assert membership.joined_label == "January 2018"
    changelist = text_of(manager_client.get("/admin/members/membership/").text)
    assert "January 2018" in changelist
