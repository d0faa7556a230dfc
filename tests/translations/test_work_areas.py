"""Work areas and focal activities in the reader's language: Lan reads /vi/ (issue 17)."""

import pytest

from activities.models import FocalActivity, WorkArea
from tests.factories import ActivityFactory, MemberOrganizationFactory, translation, work_area

pytestmark = pytest.mark.django_db

AREA = "/work-areas/transboundary-cooperation/"


@pytest.fixture
def translated_areas():
    """Every work area and focal activity translated, but one focal activity."""
    for area in WorkArea.objects.all():
        translation(area, name=f"Lĩnh vực {area.order}", summary=f"Tóm tắt {area.order}")
    focal_activities = list(FocalActivity.objects.all())
    for focal in focal_activities[1:]:
        translation(focal, description=f"Hoạt động trọng tâm {focal.pk}")
    return focal_activities[0]


def test_a_work_area_reads_in_vietnamese_with_its_focal_activities(client):
    area = work_area("transboundary-cooperation")
    area.summary = "Working across borders."
    area.save()
    translation(area, name="Hợp tác xuyên biên giới và khu vực", summary="Hợp tác qua biên giới.")
    for focal in area.focal_activities.all():
        translation(focal, description=f"Hoạt động trọng tâm {focal.pk}")
    ActivityFactory(title="Sundarbans dialogue", work_area=area)
    html = client.get(f"/vi{AREA}").text
    assert '<h1 lang="vi">Hợp tác xuyên biên giới và khu vực</h1>' in html
    assert '<p class="lead" lang="vi">Hợp tác qua biên giới.</p>' in html
    for focal in area.focal_activities.all():
        assert f'<span lang="vi">Hoạt động trọng tâm {focal.pk}</span>' in html
    # The activity cards name the work area in Vietnamese too.
    assert "Transboundary and regional cooperation" not in html
    assert "translation-note" not in html
    english = client.get(AREA).text
    assert '<h1 lang="en">Transboundary and regional cooperation</h1>' in english
    assert '<p class="lead" lang="en">Working across borders.</p>' in english


def test_an_untranslated_focal_activity_is_marked_english(client, translated_areas):
    untranslated = translated_areas
    html = client.get(f"/vi{untranslated.work_area.get_absolute_url()}").text
    assert f'<span lang="en">{untranslated.description}</span>' in html
    home = client.get("/vi/").text
    assert f'<li lang="en">{untranslated.description}</li>' in home
    assert '<li lang="vi">Hoạt động trọng tâm' in home


def test_a_draft_translation_of_a_work_area_is_not_shown(client):
    translation(work_area("transboundary-cooperation"), status="draft", name="Bản nháp")
    html = client.get(f"/vi{AREA}").text
    assert "Bản nháp" not in html
    assert '<h1 lang="en">Transboundary and regional cooperation</h1>' in html
    assert "translation-note" in html
    assert "Bản nháp" not in client.get("/vi/about/").text


def test_filters_offer_the_translated_names(client, translated_areas):
    html = client.get("/vi/activities/").text
    options = html.split('<select name="work_area"', 1)[1].split("</select>", 1)[0]
    assert ">Lĩnh vực 1</option>" in options
    assert "Knowledge sharing" not in options
    focal = html.split('<select name="focal_activity"', 1)[1].split("</select>", 1)[0]
    assert "Hoạt động trọng tâm" in focal


@pytest.mark.parametrize("rows", [5, 120])
def test_work_area_page_query_count_holds_with_translations(
    client, django_assert_num_queries, translated_areas, rows
):
    """Intended to prevent an n+1 issue: the same nine queries as without translations."""
    ActivityFactory.create_batch(rows, work_area=work_area("transboundary-cooperation"))
    # 1. savepoint  2. the work area (with its translation)  3. its focal activities
    # (with theirs)  4. the latest activities  5. their count  6. counts by kind
    # 7. resources  8. stories  9. release
    with django_assert_num_queries(9):
        assert client.get(f"/vi{AREA}").status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_about_query_count_holds_with_translations(
    client, django_assert_num_queries, translated_areas, rows
):
    """Intended to prevent an n+1 issue on the About page."""
    MemberOrganizationFactory.create_batch(rows)
    # 1. savepoint  2. members by category  3. work areas  4. their focal activities
    # 5. release
    with django_assert_num_queries(5):
        assert client.get("/vi/about/").status_code == 200
