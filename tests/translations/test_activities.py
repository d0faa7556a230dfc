"""Activities, organizations and protected areas in the reader's language (issue 17).

Lan, at Viet Nam's NBCA, reads the portal on /vi/: the activities APAP ran with her agency,
their calendar, her agency's page and the protected areas it manages.
"""

import datetime

import pytest
from django.utils import timezone
from django.utils import translation as django_translation
from icalendar import Calendar

from activities.calendar import calendar_activities
from activities.models import Activity
from knowledge.models import GbfTarget
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    MemberOrganizationFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    country,
    translation,
    work_area,
)
from tests.portal.test_pictures import photo

pytestmark = pytest.mark.django_db

TRANSBOUNDARY_VI = "Hợp tác xuyên biên giới và khu vực"


@pytest.fixture
def activity():
    return ActivityFactory(
        kind="webinar",
        title="Webinar on transboundary conservation",
        slug="webinar-transboundary",
        summary="Members heard how neighbours manage shared parks.",
        body="Speakers shared **patrol** agreements.",
        outcomes="A network of rangers.",
        work_area=work_area("transboundary-cooperation"),
        start_date=datetime.date(2023, 3, 2),
        is_online=True,
    )


def translated(activity, **fields):
    values = {
        "title": "Hội thảo trực tuyến về bảo tồn xuyên biên giới",
        "summary": "Các thành viên nghe cách các nước láng giềng quản lý vườn chung.",
        "body": "Các diễn giả chia sẻ thỏa thuận **tuần tra**.",
        "outcomes": "Một mạng lưới kiểm lâm.",
    }
    return translation(activity, **(values | fields))


def card_of(html: str, slug: str) -> str:
    """The card of the activity `slug` in a list's HTML."""
    link = f"/activities/{slug}/"
    before, _sep, after = html.partition(link)
    assert _sep, f"no card links {link}"
    return before.rsplit('<li class="card', 1)[1] + after.split("</li>", 1)[0]


# The activity's page


def test_a_translated_activity_reads_in_vietnamese_on_vi_and_in_english_unprefixed(
    client, activity
):
    translated(activity)
    vi = client.get("/vi/activities/webinar-transboundary/").text
    assert '<h1 lang="vi">Hội thảo trực tuyến về bảo tồn xuyên biên giới</h1>' in vi
    assert '<div class="prose" lang="vi">' in vi
    assert "<strong>tuần tra</strong>" in vi
    assert "Một mạng lưới kiểm lâm." in vi
    assert "Webinar on transboundary conservation" not in vi
    assert "translation-note" not in vi
    en = client.get("/activities/webinar-transboundary/").text
    assert '<h1 lang="en">Webinar on transboundary conservation</h1>' in en
    assert "<strong>patrol</strong>" in en
    assert "Hội thảo" not in en
    # Both versions exist: each is named to search engines.
    assert 'hreflang="vi" href="http://testserver/vi/activities/webinar-transboundary/"' in en
    assert (
        '<link rel="canonical" href="http://testserver/vi/activities/webinar-transboundary/">' in vi
    )


def test_an_untranslated_activity_on_vi_is_marked_english_with_a_note(client, activity):
    html = client.get("/vi/activities/webinar-transboundary/").text
    assert '<h1 lang="en">Webinar on transboundary conservation</h1>' in html
    assert '<div class="prose" lang="en">' in html
    assert '<h2 lang="vi">Kết quả</h2>' in html  # the interface's heading inside the text
    assert "Chưa được dịch" in html
    note = html.split('class="translation-note"')[1].split("</p>")[0]
    assert '<a href="/activities/webinar-transboundary/" hreflang="en" lang="en">' in note
    # The English page is the canonical one, and the only one named.
    assert (
        '<link rel="canonical" href="http://testserver/activities/webinar-transboundary/">' in html
    )
    assert 'hreflang="vi"' not in html.split("</head>")[0]


def test_a_draft_translation_of_an_activity_is_not_shown(client, activity):
    translated(activity, status="draft", title="Bản nháp hội thảo")
    html = client.get("/vi/activities/webinar-transboundary/").text
    assert "Bản nháp hội thảo" not in html
    assert '<h1 lang="en">' in html
    assert "translation-note" in html
    assert "Bản nháp hội thảo" not in client.get("/vi/activities/").text


def test_the_detail_page_names_its_work_area_focal_activities_and_targets_in_vietnamese(
    client, activity
):
    area = activity.work_area
    focal = area.focal_activities.first()
    activity.focal_activities.add(focal)
    target_3, target_4 = GbfTarget.objects.filter(number__in=(3, 4)).order_by("number")
    activity.gbf_targets.add(target_3, target_4)
    translated(activity)
    translation(area, name=TRANSBOUNDARY_VI)
    translation(focal, description="Tổ chức đối thoại giữa các quốc gia.")
    translation(target_3, short_title="Bảo tồn 30% đất và biển")
    html = client.get("/vi/activities/webinar-transboundary/").text
    assert f'lang="vi">{TRANSBOUNDARY_VI}</a></p>' in html
    assert 'lang="vi">Tổ chức đối thoại giữa các quốc gia</a>' in html
    assert "</a>: Bảo tồn 30% đất và biển</li>" in html
    assert f'<span lang="en">{target_4.short_title}</span>' in html
    # The filters of the list name the target in Vietnamese too.
    assert "3. Bảo tồn 30% đất và biển</option>" in client.get("/vi/activities/").text


def test_a_members_only_activity_stays_hidden_in_every_language(client, activity):
    activity.visibility = "members"
    activity.save()
    translated(activity, title="Chỉ dành cho thành viên")
    assert client.get("/vi/activities/webinar-transboundary/").status_code == 404
    assert "Chỉ dành cho thành viên" not in client.get("/vi/activities/").text
    assert "Chỉ dành cho thành viên" not in client.get("/vi/").text


def test_an_activity_shown_translated_cannot_be_saved_over_its_original(activity):
    translated(activity)
    assert Activity.objects.for_detail().get(pk=activity.pk).shown_language == "en"
    with django_translation.override("vi"):
        shown = Activity.objects.for_list().get(pk=activity.pk)
    assert shown.title == "Hội thảo trực tuyến về bảo tồn xuyên biên giới"
    with pytest.raises(ValueError, match="translation"):
        shown.save()


# Cards: the list, the home page, the work area page, the country profile


def test_the_card_eyebrow_reads_in_one_language(client, activity):
    """Issue 17: "HỘI THẢO TRỰC TUYẾN · TRANSBOUNDARY AND REGIONAL COOPERATION"."""
    card = card_of(client.get("/vi/activities/").text, "webinar-transboundary")
    # Untranslated work area: its English name says it is English.
    assert (
        'Hội thảo trực tuyến · <span lang="en">Transboundary and regional cooperation</span>'
        in (card)
    )
    translation(activity.work_area, name=TRANSBOUNDARY_VI)
    card = card_of(client.get("/vi/activities/").text, "webinar-transboundary")
    assert f'Hội thảo trực tuyến · <span lang="vi">{TRANSBOUNDARY_VI}</span>' in card
    # English readers keep the English name.
    card = card_of(client.get("/activities/").text, "webinar-transboundary")
    assert '<span lang="en">Transboundary and regional cooperation</span>' in card


def test_the_list_shows_each_activity_in_the_readers_language_where_it_can(client, activity):
    other = ActivityFactory(title="Only in English", summary="No translation yet.")
    translated(activity)
    html = client.get("/vi/activities/").text
    card = card_of(html, "webinar-transboundary")
    assert '<h3 class="card__title" lang="vi">' in card
    assert "Hội thảo trực tuyến về bảo tồn xuyên biên giới</a>" in card
    assert '<p lang="vi">Các thành viên nghe' in card
    assert "badge--language" not in card
    untranslated = card_of(html, other.slug)
    assert '<h3 class="card__title" lang="en">' in untranslated
    assert '<p lang="en">No translation yet.</p>' in untranslated
    assert 'class="badge badge--language"' in untranslated
    assert "Webinar on transboundary conservation" in client.get("/activities/").text


def test_the_lists_filters_name_work_areas_and_focal_activities_in_vietnamese(client, activity):
    area = activity.work_area
    focal = area.focal_activities.first()
    translation(area, name=TRANSBOUNDARY_VI)
    translation(focal, description="Tổ chức đối thoại giữa các quốc gia.")
    html = client.get("/vi/activities/").text
    assert f'<option value="transboundary-cooperation">{TRANSBOUNDARY_VI}</option>' in html
    assert f'<option value="{focal.pk}">Tổ chức đối thoại giữa các quốc gia</option>' in html
    # Filtering by it still works, and English readers keep the English names.
    response = client.get("/vi/activities/", {"work_area": "transboundary-cooperation"})
    assert [a.slug for a in response.context["object_list"]] == ["webinar-transboundary"]
    english = client.get("/activities/").text
    assert (
        '<option value="transboundary-cooperation">Transboundary and regional cooperation</option>'
        in english
    )


def test_the_lists_search_finds_the_activity_and_shows_it_translated(client, activity):
    translated(activity)
    response = client.get("/vi/activities/", {"q": "láng giềng"})
    assert [a.title for a in response.context["object_list"]] == [
        "Hội thảo trực tuyến về bảo tồn xuyên biên giới"
    ]
    # The snippet comes from the text shown, the translation's, and says so.
    assert '<p class="search-snippet" lang="vi">' in response.text
    assert "<mark>láng</mark> <mark>giềng</mark>" in response.text


def test_home_shows_the_upcoming_activities_in_vietnamese(client, activity):
    today = timezone.localdate()
    activity.start_date = today + datetime.timedelta(days=3)
    activity.save()
    running = ActivityFactory(
        title="Ranger exchange", start_date=today, end_date=today + datetime.timedelta(days=1)
    )
    translated(activity)
    translation(running, title="Trao đổi kiểm lâm")
    html = client.get("/vi/").text
    assert "Trao đổi kiểm lâm" in html
    assert "Hội thảo trực tuyến về bảo tồn xuyên biên giới" in html
    # Still in the order they come: the running one first.
    assert html.index("Trao đổi kiểm lâm") < html.index("Hội thảo trực tuyến về bảo tồn")
    english = client.get("/").text
    assert "Ranger exchange" in english
    assert "Trao đổi kiểm lâm" not in english


def test_next_up_keeps_its_order_and_count_with_the_reading(activity):
    today = datetime.date(2030, 1, 10)
    ActivityFactory(title="Later", start_date=datetime.date(2030, 2, 1))
    ActivityFactory(title="Running", start_date=datetime.date(2030, 1, 5), end_date=today)
    ActivityFactory(title="Soon", start_date=datetime.date(2030, 1, 11))
    ActivityFactory(title="Cancelled", start_date=datetime.date(2030, 1, 12), status="cancelled")
    ActivityFactory(title="Over", start_date=datetime.date(2030, 1, 1))
    rows = Activity.objects.for_list().next_up(today, count=2)
    assert [a.title for a in rows] == ["Running", "Soon"]


def test_the_work_area_page_lists_its_activities_in_vietnamese(client, activity):
    translated(activity)
    html = client.get("/vi/work-areas/transboundary-cooperation/").text
    assert "Hội thảo trực tuyến về bảo tồn xuyên biên giới" in html
    assert "Webinar on transboundary conservation" not in html


def test_the_country_profile_lists_activities_in_the_readers_language(client):
    held = ActivityFactory(title="Exchange visit to Cuc Phuong", country=country("VNM"))
    translation(held, title="Chuyến trao đổi tại Cúc Phương")
    # English first: the profile is cached, and each language keeps its own copy.
    assert "Exchange visit to Cuc Phuong" in client.get("/countries/vnm/").text
    html = client.get("/vi/countries/vnm/").text
    assert "Chuyến trao đổi tại Cúc Phương" in html
    assert "Exchange visit to Cuc Phuong" not in html
    assert "Exchange visit to Cuc Phuong" in client.get("/countries/vnm/").text


def test_the_cooperation_report_lists_titles_and_work_areas_in_vietnamese(editor_client):
    nbca = MemberOrganizationFactory(
        name="Nature and Biodiversity Conservation Agency", slug="nbca"
    )
    visit = ActivityFactory(
        title="Exchange visit to Cuc Phuong",
        start_date=datetime.date(2023, 3, 2),
        work_area=work_area("transboundary-cooperation"),
    )
    ActivityOrganizationFactory(activity=visit, organization=nbca, role="host")
    translation(visit, title="Chuyến trao đổi tại Cúc Phương")
    translation(visit.work_area, name=TRANSBOUNDARY_VI)
    query = {"partner": "nbca", "period": "2023-H1"}
    html = editor_client.get("/vi/reports/cooperation/", query).text
    assert 'lang="vi"><a class="report-item__link"' in html
    assert "Chuyến trao đổi tại Cúc Phương</a>" in html
    assert f'<span lang="vi">{TRANSBOUNDARY_VI}</span>' in html
    # Untranslated work areas keep their English names, marked so.
    assert '<span lang="en">Knowledge sharing and capacity building</span>' in html
    english = editor_client.get("/reports/cooperation/", query).text
    assert "Exchange visit to Cuc Phuong</a>" in english


# The calendar


def calendar_events(response) -> dict[str, object]:
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.cache
def test_the_calendar_holds_the_vietnamese_summary_with_its_language_on_vi(client, activity):
    translated(activity)
    untranslated = ActivityFactory(title="Ranger exchange", summary="Rangers met.")
    uid = f"activity-{activity.pk}@apap-portal"
    other = f"activity-{untranslated.pk}@apap-portal"

    vi = calendar_events(client.get("/vi/activities/calendar.ics"))
    summary = vi[uid]["summary"]
    assert str(summary) == "Hội thảo trực tuyến về bảo tồn xuyên biên giới"
    assert summary.params["LANGUAGE"] == "vi"
    assert str(vi[uid]["description"]).startswith("Các thành viên nghe")
    assert vi[uid]["description"].params["LANGUAGE"] == "vi"
    assert "SUMMARY;LANGUAGE=vi:Hội thảo" in client.get("/vi/activities/calendar.ics").text
    # The kind is the interface's word, in the page's language whatever the text's.
    assert "CATEGORIES;LANGUAGE=vi:Hội thảo trực tuyến" in (
        client.get("/vi/activities/calendar.ics").text
    )
    # The subscription's name is the interface's too.
    named = Calendar.from_ical(client.get("/vi/activities/calendar.ics").content)
    assert str(named["x-wr-calname"]) == "Hoạt động của APAP"
    english = Calendar.from_ical(client.get("/activities/calendar.ics").content)
    assert str(english["x-wr-calname"]) == "APAP activities"
    # An untranslated activity says it is in English.
    assert str(vi[other]["summary"]) == "Ranger exchange"
    assert vi[other]["summary"].params["LANGUAGE"] == "en"

    en = calendar_events(client.get("/activities/calendar.ics"))
    assert str(en[uid]["summary"]) == "Webinar on transboundary conservation"
    assert en[uid]["summary"].params["LANGUAGE"] == "en"


@pytest.mark.cache
def test_the_calendar_says_which_dates_are_known_in_the_language_of_the_event(client):
    known = ActivityFactory(
        title="Study on benefits",
        summary="A study.",
        start_date=datetime.date(2014, 11, 1),
        end_date=datetime.date(2014, 11, 30),
        date_precision="month",
    )
    untranslated = ActivityFactory(
        title="Old study",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2015, 12, 31),
        date_precision="year",
    )
    translation(known, title="Nghiên cứu lợi ích", summary="Một nghiên cứu.")
    vi = calendar_events(client.get("/vi/activities/calendar.ics"))
    described = str(vi[f"activity-{known.pk}@apap-portal"]["description"])
    assert described.startswith("Một nghiên cứu.\n\nThời gian chỉ biết là: tháng 11 năm 2014.")
    # The English event's description stays English throughout.
    english = str(vi[f"activity-{untranslated.pk}@apap-portal"]["description"])
    assert "Dates known only as: 2015." in english


@pytest.mark.cache
def test_the_calendar_keeps_each_language_apart_in_its_cache(client, activity):
    translated(activity)
    assert "Hội thảo" in client.get("/vi/activities/calendar.ics").text
    assert "Hội thảo" not in client.get("/activities/calendar.ics").text
    assert "Hội thảo" in client.get("/vi/activities/calendar.ics").text


def test_calendar_activities_read_the_translation_in_one_query(django_assert_num_queries, activity):
    translated(activity)
    with django_translation.override("vi"), django_assert_num_queries(1):
        rows = calendar_activities(Activity.objects.public().for_calendar(), activity.start_date)
    assert [row.title for row in rows] == ["Hội thảo trực tuyến về bảo tồn xuyên biên giới"]


# Organizations and protected areas


@pytest.fixture
def nbca():
    return MemberOrganizationFactory(
        name="Nature and Biodiversity Conservation Agency",
        slug="nbca",
        acronym="NBCA",
        country=country("VNM"),
        description="The agency in charge of **nature** conservation.",
        logo_alt="The agency's emblem",
    )


def test_an_organizations_description_reads_in_vietnamese(client, nbca, media_root):
    nbca.logo.save("logo.png", photo(size=(200, 200), fmt="PNG"))
    translation(
        nbca,
        description="Cơ quan phụ trách bảo tồn **thiên nhiên**.",
        logo_alt="Biểu tượng của Cục",
    )
    vi = client.get("/vi/members/nbca/").text
    assert '<div lang="vi"><p>Cơ quan phụ trách bảo tồn <strong>thiên nhiên</strong>.</p>' in vi
    assert 'alt="Biểu tượng của Cục"' in vi
    assert "translation-note" not in vi
    assert 'alt="Biểu tượng của Cục"' in client.get("/vi/members/").text
    en = client.get("/members/nbca/").text
    assert '<div lang="en"><p>The agency in charge of <strong>nature</strong>' in en
    assert 'alt="The agency\'s emblem"' in en or 'alt="The agency&#x27;s emblem"' in en
    assert "Cơ quan" not in en


def test_an_untranslated_organization_is_marked_english_with_a_note(client, nbca):
    html = client.get("/vi/members/nbca/").text
    assert '<div lang="en"><p>The agency in charge of' in html
    assert "Chưa được dịch" in html
    # A draft translation changes nothing.
    translation(nbca, status="draft", description="Bản nháp.")
    html = client.get("/vi/members/nbca/").text
    assert "Bản nháp." not in html
    assert "Chưa được dịch" in html


def test_an_organization_without_a_description_has_no_note(client):
    OrganizationFactory(name="Quiet partner", slug="quiet", description="")
    html = client.get("/vi/members/quiet/").text
    assert "translation-note" not in html
    # Nothing to translate: the Vietnamese page is its own, and named to search engines.
    assert '<link rel="canonical" href="http://testserver/vi/members/quiet/">' in html
    assert 'hreflang="vi" href="http://testserver/vi/members/quiet/"' in html


def test_a_protected_areas_description_reads_in_vietnamese(client):
    area = ProtectedAreaFactory(
        name="Cuc Phuong National Park",
        slug="cuc-phuong",
        country=country("VNM"),
        description="Viet Nam's first **national park**.",
    )
    translation(area, description="Vườn quốc gia **đầu tiên** của Việt Nam.")
    vi = client.get("/vi/protected-areas/cuc-phuong/").text
    assert '<div lang="vi"><p>Vườn quốc gia <strong>đầu tiên</strong> của Việt Nam.</p>' in vi
    assert "translation-note" not in vi
    en = client.get("/protected-areas/cuc-phuong/").text
    assert "<strong>national park</strong>" in en
    assert "Vườn quốc gia" not in en


def test_an_untranslated_protected_area_is_marked_english_with_a_note(client):
    ProtectedAreaFactory(name="Chitwan", slug="chitwan", description="A park in the Terai.")
    ProtectedAreaFactory(name="No words", slug="no-words", description="")
    html = client.get("/vi/protected-areas/chitwan/").text
    assert '<div lang="en"><p>A park in the Terai.</p>' in html
    assert "Chưa được dịch" in html
    html = client.get("/vi/protected-areas/no-words/").text
    assert "translation-note" not in html
    assert '<link rel="canonical" href="http://testserver/vi/protected-areas/no-words/">' in html
    # With a description, only the languages it exists in are named.
    html = client.get("/vi/protected-areas/chitwan/").text
    assert '<link rel="canonical" href="http://testserver/protected-areas/chitwan/">' in html
    assert 'hreflang="vi"' not in html.split("</head>")[0]


# Query counts with translations present: the same as an English-only portal


def _activities_half_translated(rows: int, **fields) -> list[Activity]:
    activities = ActivityFactory.create_batch(rows, **fields)
    for activity in activities[::2]:
        translation(activity)
    return activities


@pytest.mark.parametrize("rows", [5, 120])
def test_activity_pages_query_counts_hold_with_translations(
    client, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue: the same queries as before translations."""
    area = work_area("awareness-advocacy")
    activities = _activities_half_translated(rows, work_area=area)
    translation(area)
    for activity in activities[:3]:
        activity.focal_activities.add(*area.focal_activities.all())
        ActivityOrganizationFactory(activity=activity)
    translation(area.focal_activities.first())
    # 1. savepoint  2. count  3. the page with work areas, countries and translations
    # 4-7. the choices of the work area, focal activity, country and GBF target filters
    # 8. release
    with django_assert_num_queries(8):
        assert client.get("/vi/activities/").status_code == 200
    # 1. savepoint  2. the activity with its translation, work area, country, languages
    # 3. focal activities with theirs  4. participating countries  5. GBF targets
    # 6. documents  7. organizer roles with organizations  8. release
    with django_assert_num_queries(8):
        assert client.get(f"/vi/activities/{activities[0].slug}/").status_code == 200
    # 1. savepoint  2. the work area  3. its focal activities  4. the latest activities
    # 5. their count  6. counts by kind  7. resources  8. stories  9. release
    with django_assert_num_queries(9):
        assert client.get("/vi/work-areas/awareness-advocacy/").status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_home_query_count_holds_with_translations(client, django_assert_num_queries, rows):
    """The upcoming activities, translated, in the one query they had."""
    today = timezone.localdate()
    _activities_half_translated(rows, start_date=today + datetime.timedelta(days=1))
    _activities_half_translated(rows, start_date=today, end_date=today)
    translation(work_area())
    # 1. savepoint  2. members and their countries  3. protected areas  4. best practices
    # 5. work areas  6. their focal activities  7. latest stories
    # 8. upcoming activities with their translations  9. the home page's picture
    # 10. featured best practices  11. the nearest open call's deadline  12. release
    with django_assert_num_queries(12):
        html = client.get("/vi/").text
    assert "[vi]" in html


@pytest.mark.cache
@pytest.mark.parametrize("rows", [10, 300])
def test_calendar_query_count_holds_with_translations(client, django_assert_num_queries, rows):
    _activities_half_translated(rows)
    # 1. savepoint  2. the activities with their countries and translations  3. the
    # calls' deadlines  4. release
    with django_assert_num_queries(4):
        response = client.get("/vi/activities/calendar.ics")
    assert len(calendar_events(response)) == rows


@pytest.mark.parametrize("rows", [2, 50])
def test_organization_and_protected_area_pages_query_counts_hold_with_translations(
    client, django_assert_num_queries, rows
):
    organization = MemberOrganizationFactory(description="An agency.")
    translation(organization)
    areas = ProtectedAreaFactory.create_batch(
        rows, management_authority=organization, description="A park."
    )
    for area in areas[::2]:
        translation(area)
    # 1. organization with country, membership, translation and languages  2. focal points
    # 3. managed protected areas with their countries
    with django_assert_num_queries(5):
        assert client.get(f"/vi/members/{organization.slug}/").status_code == 200
    # 1. count the members  2. the page of members with country, membership, translation
    # 3. the countries of the filter form
    MemberOrganizationFactory.create_batch(rows)
    with django_assert_num_queries(5):
        assert client.get("/vi/members/").status_code == 200
    # Savepoint, 1. the area with country, management authority, translation, languages
    # 2. its transboundary areas  3. its evaluations  4. its countries, release
    with django_assert_num_queries(6):
        assert client.get(f"/vi/protected-areas/{areas[0].slug}/").status_code == 200
