"""Issue 3's acceptance points, against the demo data as `make run` loads it."""

import pytest
from icalendar import Calendar

from activities.models import Activity

pytestmark = pytest.mark.django_db

NBCA_H1_2023 = {
    "partner": "nature-and-biodiversity-conservation-agency",
    "start": "2023-01-01",
    "end": "2023-06-30",
}


def test_nbca_report_for_the_first_half_of_2023_lists_the_dehradun_meeting(demo, editor_client):
    html = editor_client.get("/reports/cooperation/", NBCA_H1_2023).text
    csv_text = editor_client.get(
        "/reports/cooperation/", {**NBCA_H1_2023, "format": "csv"}
    ).content.decode("utf-8-sig")

    assert "Moving Towards Implementation of Target 3" in html
    assert "Dehradun, India" in html
    assert "27–29 April 2023" in html
    dehradun_rows = [row for row in csv_text.splitlines() if "Target 3" in row]
    assert len(dehradun_rows) == 1
    assert "Dehradun, India" in dehradun_rows[0]
    work_area = Activity.objects.get(title__contains="Target 3").work_area.name
    assert dehradun_rows[0].startswith(work_area)


def test_calendar_parses_and_holds_the_demo_timeline(demo, client):
    calendar = Calendar.from_ical(client.get("/activities/calendar.ics").content)
    titles = {str(event["summary"]) for event in calendar.walk("VEVENT")}

    timeline = set(
        Activity.objects.public().filter(status="completed").values_list("title", flat=True)
    )
    assert len(timeline) >= 14
    assert timeline <= titles
    assert "1st Asia Parks Congress" in titles
