"""/in-numbers/: the partnership in figures, charts and the GBF matrix, and its CSV.

The figures are checked against a small world counted by hand (below), for Anna (an
anonymous visitor), Minh (a member) and Emma (an editor): members-only items count for
Minh and Emma only, drafts for nobody.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from activities.models import Activity
from demo.members import DEMO_MEMBER_USERNAME
from in_numbers.figures import compute_figures, figures_for
from knowledge.models import BestPractice, GbfTarget, Resource, Theme
from members.models import IucnCategory, Membership, Organization, ProtectedArea, Realm, User
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MembershipFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    country,
    theme,
    translation,
    work_area,
)

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

URL = "/in-numbers/"
SVG = "{http://www.w3.org/2000/svg}"
TOURISM = "sustainable-tourism"
WILDLIFE_CONFLICT = "human-wildlife-conflict"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives each test's rolled-back transaction: start every test without it."""
    cache.clear()
    yield
    cache.clear()


def targets(*numbers: int) -> list[GbfTarget]:
    return list(GbfTarget.objects.filter(number__in=numbers))


# The world, counted by hand


@pytest.fixture
def world(member, editor):
    """Minh's agency (VNFOREST, Viet Nam) is a member without a date, from conftest.py."""
    joined = datetime.date
    for iso3, dates, status in [
        ("NPL", {"joined_on": joined(2015, 9, 3)}, "active"),
        ("BTN", {"letter_of_intent_on": joined(2015, 8, 28)}, "active"),
        ("NPL", {"joined_on": joined(2018, 1, 10)}, "active"),
        (None, {"joined_on": joined(2018, 3, 1)}, "active"),  # ICIMOD: no country
        ("THA", {"joined_on": joined(2019, 5, 1)}, "withdrawn"),
        ("CHN", {}, "active"),
    ]:
        organization = OrganizationFactory(country=country(iso3) if iso3 else None)
        MembershipFactory(organization=organization, status=status, **dates)

    knowledge, transboundary, advocacy = (
        work_area(slug)
        for slug in ("knowledge-capacity", "transboundary-cooperation", "awareness-advocacy")
    )
    future = timezone.localdate() + datetime.timedelta(days=400)
    for start, area, options, gbf in [
        ((2021, 3, 1), knowledge, {"participants_count": 30}, [3]),
        ((2021, 6, 1), transboundary, {}, [3, 4]),
        ((2022, 5, 1), knowledge, {"participants_count": 20, "visibility": "members"}, [3]),
        ((2022, 9, 1), advocacy, {"participants_count": 50, "status": "cancelled"}, [21]),
        ((2024, 2, 1), knowledge, {"participants_count": 15}, []),
        (future.timetuple()[:3], knowledge, {"participants_count": 100, "status": "planned"}, []),
    ]:
        activity = ActivityFactory(start_date=datetime.date(*start), work_area=area, **options)
        activity.gbf_targets.set(targets(*gbf))

    chitwan = ProtectedAreaFactory(
        name="Chitwan", country=country("NPL"), iucn_category="II", reported_area_km2=932
    )
    khao_yai = ProtectedAreaFactory(
        name="Khao Yai", country=country("THA"), iucn_category="II", reported_area_km2=2168
    )
    ProtectedAreaFactory(name="Koshi", country=country("NPL"), iucn_category="Ia", realm="coastal")
    ProtectedAreaFactory(
        name="Restricted reserve",
        country=country("BTN"),
        iucn_category="IV",
        reported_area_km2=Decimal("100.5"),
        visibility="members",
    )

    for options, countries, themes, gbf in [
        ({"protected_area": chitwan}, ["NPL"], [TOURISM], [3]),
        ({}, ["BTN", "NPL"], [TOURISM, WILDLIFE_CONFLICT], [4]),
        ({"protected_area": khao_yai, "visibility": "members"}, [], [WILDLIFE_CONFLICT], [3]),
        ({"status": "draft", "organization": member.organization}, ["NPL"], [TOURISM], [3]),
        ({}, [], [], []),
    ]:
        practice = BestPracticeFactory(**options)
        practice.countries.set([country(iso3) for iso3 in countries])
        practice.themes.set([theme(slug) for slug in themes])
        practice.gbf_targets.set(targets(*gbf))

    for options, themes, gbf in [
        ({}, [TOURISM], [3]),
        ({"visibility": "members"}, [WILDLIFE_CONFLICT], [3, 20]),
        ({}, [], []),
    ]:
        resource = ResourceFactory(**options)
        resource.themes.set([theme(slug) for slug in themes])
        resource.gbf_targets.set(targets(*gbf))
    return {"future_year": future.year}


def test_members_and_countries_over_time(world):
    membership = compute_figures(AnonymousUser()).membership
    this_year = timezone.localdate().year
    by_year = {row.year: row for row in membership.years}
    assert list(by_year) == list(range(2015, this_year + 1))
    assert (by_year[2015].joined, by_year[2015].members) == (2, 2)
    assert (by_year[2015].new_countries, by_year[2015].countries) == (2, 2)  # Nepal, Bhutan
    assert (by_year[2017].joined, by_year[2017].members, by_year[2017].countries) == (0, 2, 2)
    # Nepal's second member and ICIMOD (no country) join in 2018: no new country.
    assert (by_year[2018].joined, by_year[2018].members, by_year[2018].countries) == (2, 4, 2)
    # Thailand's member joined in 2019 and has since withdrawn: it counts from 2019.
    assert (by_year[2019].members, by_year[2019].countries) == (5, 3)
    assert (by_year[this_year].members, by_year[this_year].countries) == (5, 3)
    # VNFOREST and China's member have no date: counted apart, not in a year.
    assert membership.undated_members == 2
    assert membership.undated_countries == 2
    assert membership.withdrawn_members == 1
    assert membership.regional_members == 1
    assert membership.active_members == 6
    assert membership.active_countries == 4  # Nepal, Bhutan, Viet Nam, China
    assert membership.total_members == 7


def test_activities_and_participants_for_the_public(world):
    activities = compute_figures(AnonymousUser()).activities
    assert [area.key for area in activities.work_areas] == [
        "knowledge-capacity",
        "transboundary-cooperation",
        "awareness-advocacy",
    ]
    by_year = {row.year: row for row in activities.years}
    assert list(by_year) == list(range(2021, world["future_year"] + 1))
    assert by_year[2021].by_work_area == (1, 1, 0)
    assert by_year[2021].participants == 30  # the second one has no recorded number
    assert (by_year[2021].with_participants, by_year[2021].taken_place) == (1, 2)
    # 2022: the members-only one is not counted, the cancelled one is left out.
    assert by_year[2022].by_work_area == (0, 0, 0)
    assert by_year[2022].participants == 0
    assert by_year[2024].by_work_area == (1, 0, 0)
    # The planned activity counts in its year; its 100 expected participants do not.
    assert by_year[world["future_year"]].by_work_area == (1, 0, 0)
    assert by_year[world["future_year"]].participants == 0
    assert activities.total == 4
    assert activities.cancelled == 1
    assert activities.participants == 45
    assert (activities.with_participants, activities.taken_place) == (2, 3)


def test_members_count_members_only_activities(world, member):
    activities = compute_figures(member).activities
    by_year = {row.year: row for row in activities.years}
    assert by_year[2022].by_work_area == (1, 0, 0)
    assert by_year[2022].participants == 20
    assert activities.total == 5
    assert activities.participants == 65
    assert (activities.with_participants, activities.taken_place) == (3, 4)


def test_best_practices_and_resources_for_the_public(world):
    library = compute_figures(AnonymousUser()).library
    assert library.best_practices == 3  # not the members-only one, not the draft
    assert library.resources == 2
    # Chitwan's practice is tagged with Nepal and told of a park in Nepal: counted once.
    assert [(row.key, row.count) for row in library.best_practices_by_country] == [
        ("NPL", 2),
        ("BTN", 1),
    ]
    assert library.best_practices_without_country == 1
    assert [(row.key, row.best_practices, row.resources) for row in library.by_theme] == [
        (TOURISM, 2, 1),
        (WILDLIFE_CONFLICT, 1, 0),
    ]
    assert library.best_practices_without_theme == 1
    assert library.resources_without_theme == 1


def test_best_practices_and_resources_for_members(world, member):
    library = compute_figures(member).library
    # The members-only practice counts; the draft of Minh's own agency does not.
    assert library.best_practices == 4
    assert library.resources == 3
    assert [(row.key, row.count) for row in library.best_practices_by_country] == [
        ("NPL", 2),
        ("BTN", 1),
        ("THA", 1),  # by its protected area
    ]
    # A tie: the themes' own order decides.
    assert {(row.key, row.best_practices, row.resources) for row in library.by_theme} == {
        (TOURISM, 2, 1),
        (WILDLIFE_CONFLICT, 2, 1),
    }


def test_protected_areas_by_category_and_realm(world, member):
    public = compute_figures(AnonymousUser()).protected_areas
    assert [(g.key, g.count, g.area_km2, g.with_area) for g in public.by_category] == [
        (IucnCategory.IA, 1, 0, 0),
        (IucnCategory.II, 2, Decimal("3100"), 2),
    ]
    assert [(g.key, g.count, g.area_km2, g.with_area) for g in public.by_realm] == [
        (Realm.TERRESTRIAL, 2, Decimal("3100"), 2),
        (Realm.COASTAL, 1, 0, 0),
    ]
    members = compute_figures(member).protected_areas
    assert [(g.key, g.count) for g in members.by_category] == [("Ia", 1), ("II", 2), ("IV", 1)]
    assert (members.total, members.area_km2, members.with_area) == (4, Decimal("3200.5"), 3)


def test_oecms_are_counted_apart_from_protected_areas(client, member):
    ProtectedAreaFactory(realm="terrestrial", reported_area_km2=100)
    ProtectedAreaFactory(site_type="oecm", realm="marine", reported_area_km2=40)
    ProtectedAreaFactory(site_type="oecm", realm="marine", visibility="members")

    public = compute_figures(AnonymousUser()).protected_areas
    members = compute_figures(member).protected_areas

    assert (public.total, public.oecms, public.oecm_area_km2) == (1, 1, Decimal("40"))
    assert [(g.key, g.count) for g in public.by_realm] == [("terrestrial", 1)]
    assert [(g.key, g.count) for g in members.oecms_by_realm] == [("marine", 2)]
    page = client.get(URL).text
    assert "Counted apart: 1 OECM (other effective area-based conservation measure)" in page
    rows = client.get(URL, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert "OECMs by realm,Marine,OECMs,1,OECMs" in rows


def test_gbf_contribution(world, member):
    public = {target.number: target for target in compute_figures(AnonymousUser()).gbf}
    assert len(public) == 23
    assert (public[3].activities, public[3].best_practices, public[3].resources) == (2, 1, 1)
    assert (public[4].activities, public[4].best_practices, public[4].resources) == (1, 1, 0)
    # The cancelled activity is still listed on /activities/, so it counts here.
    assert (public[21].activities, public[21].best_practices, public[21].resources) == (1, 0, 0)
    assert not public[20].reached  # its one resource is members-only
    assert [n for n, target in public.items() if target.reached] == [3, 4, 21]
    members = {target.number: target for target in compute_figures(member).gbf}
    assert (members[3].activities, members[3].best_practices, members[3].resources) == (3, 2, 2)
    assert members[20].resources == 1


def test_a_practice_counts_once_in_each_country_it_is_in():
    """By its tags and by its protected area's country, never twice in one country.

    The figures come from one grouped query (tags, plus the areas of the practices not
    tagged with their area's country); the list's country filter is the rule they follow.
    """
    nepal_park = ProtectedAreaFactory(country=country("NPL"))
    lao_park = ProtectedAreaFactory(country=country("LAO"))
    for area, tags in [
        (nepal_park, ["NPL"]),  # tagged with its area's country: once in Nepal
        (nepal_park, ["THA"]),  # in Nepal by its area, in Thailand by its tag
        (nepal_park, ["NPL", "BTN"]),  # once in Nepal, once in Bhutan
        (None, ["BTN"]),  # no area, a tag: in Bhutan, not "in no country"
        (lao_park, []),  # by its area alone
        (None, []),  # in no country
    ]:
        practice = BestPracticeFactory(protected_area=area)
        practice.countries.set([country(iso3) for iso3 in tags])

    library = compute_figures(AnonymousUser()).library

    by_country = {row.key: row.count for row in library.best_practices_by_country}
    assert by_country == {"NPL": 3, "BTN": 2, "THA": 1, "LAO": 1}
    assert library.best_practices_without_country == 1
    # The most first, ties by name: Laos, then Thailand.
    assert [row.key for row in library.best_practices_by_country] == ["NPL", "BTN", "LAO", "THA"]
    for iso3, count in by_country.items():
        listed = BestPractice.objects.in_country(country(iso3)).count()
        assert listed == count, iso3


def test_items_without_any_tag_are_counted_apart():
    tourism = theme(TOURISM)
    BestPracticeFactory().themes.set([tourism, theme(WILDLIFE_CONFLICT)])
    BestPracticeFactory()
    BestPracticeFactory(status="draft")  # not counted anywhere
    ResourceFactory().themes.set([tourism])
    ResourceFactory()
    ResourceFactory()

    library = compute_figures(AnonymousUser()).library

    assert (library.best_practices, library.best_practices_without_theme) == (2, 1)
    assert (library.resources, library.resources_without_theme) == (3, 2)
    assert [(row.key, row.best_practices, row.resources) for row in library.by_theme] == [
        (TOURISM, 1, 1),
        (WILDLIFE_CONFLICT, 1, 0),
    ]


def test_members_and_staff_share_the_same_figures(world, member, editor):
    """Why one cache entry serves both: staff see drafts, but the figures count none."""
    assert compute_figures(editor) == compute_figures(member)
    assert compute_figures(editor) != compute_figures(AnonymousUser())


# The page


def test_page_shows_what_each_visitor_may_see(world, client, member_client, editor_client):
    public = client.get(URL)
    assert public.status_code == 200
    assert public.context["audience"] == "public"
    assert public.context["figures"].library.best_practices == 3
    # Thailand's only practice is members-only.
    assert [row.label for row in public.context["country_chart"].table.rows] == [
        "Nepal",
        "Bhutan",
    ]
    assert "members-only items counted" in public.text

    member = member_client.get(URL)
    assert member.context["audience"] == "members"
    assert member.context["figures"].library.best_practices == 4
    assert "You are signed in" in member.text
    assert editor_client.get(URL).context["figures"] == member.context["figures"]


def test_page_states_the_unknowns(world, client):
    html = client.get(URL).text
    assert "2 memberships without a known start year are not counted." in html
    assert "For the same reason 2 member countries are not counted." in html
    assert "1 member has since withdrawn" in html
    assert "1 cancelled activity is left out" in html
    assert "1 of the 3 activities held has no recorded number of participants" in html
    assert "2 of the 3 protected areas have a reported area" in html
    assert "1 best practice names no country and is not counted here." in html
    assert "Without a theme, and not counted here: 1 best practices and 1 resources." in html
    assert "1 of the 3 protected areas has no reported area" in html


def chart_notes(html: str) -> dict[str, tuple[str, str]]:
    """Each chart's (what it counts, what is missing), by its id."""
    notes = {}
    for chart_id, about in re.findall(
        r'<section class="chart" aria-labelledby="([\w-]+)-heading">.*?'
        r'<p class="chart__about">(.*?)</p>',
        html,
        flags=re.S,
    ):
        counts, _, missing = about.partition('<span class="chart__missing">')
        notes[chart_id] = (counts.strip(), missing.removesuffix("</span>").strip())
    return notes


@pytest.mark.parametrize("prefix", ["", "/vi"])
def test_every_chart_says_what_it_counts_and_what_is_missing(world, client, prefix):
    html = client.get(prefix + URL).text
    notes = chart_notes(html)
    assert html.count('<section class="chart"') == len(notes) == 7
    for chart_id, (counts, missing) in notes.items():
        assert counts, chart_id
        assert missing, chart_id


def test_a_chart_with_nothing_missing_says_so(client):
    MembershipFactory(joined_on=datetime.date(2016, 2, 1))
    ActivityFactory(start_date=datetime.date(2021, 3, 1), participants_count=12)
    notes = chart_notes(client.get(URL).text)
    assert notes["chart-members"][1] == "Every membership has a known start year."
    assert notes["chart-participants"][1] == (
        "Every activity held has a recorded number of participants."
    )


def test_a_membership_known_to_its_month_or_year_counts_from_that_year(client):
    """DEMO_DATA.md: China joined in "January 2018", VNFOREST in "2019"."""
    MembershipFactory(joined_on=datetime.date(2018, 1, 1), joined_on_precision="month")
    MembershipFactory(joined_on=datetime.date(2019, 1, 1), joined_on_precision="year")
    MembershipFactory()  # no date at all

    membership = compute_figures(AnonymousUser()).membership
    by_year = {row.year: row for row in membership.years}
    assert (by_year[2018].joined, by_year[2019].joined, by_year[2019].members) == (1, 1, 2)
    assert membership.undated_members == 1
    html = client.get(URL).text
    assert "1 membership without a known start year is not counted." in html


def test_page_in_both_languages(world, client):
    assert client.get(URL).status_code == 200
    vietnamese = client.get("/vi" + URL)
    assert vietnamese.status_code == 200
    assert '<html lang="vi">' in vietnamese.text
    # The matrix links stay in Vietnamese.
    assert 'href="/vi/activities/?gbf_target=3"' in vietnamese.text
    assert client.get("/vi" + URL + "?format=csv").status_code == 200


def test_page_answers_get_only(client):
    assert client.post(URL).status_code == 405


def test_page_has_one_heading_and_no_inline_style_or_script(world, client):
    html = client.get(URL).text
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert " style=" not in html
    assert "<style" not in html
    assert "<script>" not in html
    assert re.search(r"<script(?![^>]*src=)", html) is None


def test_navigation_names_the_page(client):
    assert f'href="{URL}"' in client.get("/").text
    assert 'href="/in-numbers/"' in client.get("/about/").text


# The charts


def svgs_of(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def ids_of(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


@pytest.mark.parametrize("prefix", ["", "/vi"])
def test_every_chart_is_an_accessible_svg(world, client, prefix):
    html = client.get(prefix + URL).text
    charts = svgs_of(html)
    assert len(charts) == 7
    ids = ids_of(html)
    for svg in charts:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None
        assert title.text.strip()
        assert desc is not None
        assert desc.text.strip()
        for attribute in ("aria-labelledby", "aria-describedby"):
            for id_ in svg.get(attribute).split():
                assert id_ in ids, (attribute, id_)
        assert svg.get("aria-labelledby") == title.get("id")
        assert svg.get("aria-describedby") == desc.get("id")
        # Coordinates are numbers in every language (no "12,5" under /vi/).
        for element in svg.iter():
            assert element.get("style") is None
            for name in ("x", "y", "width", "height", "x1", "y1", "x2", "y2"):
                if element.get(name) is not None:
                    float(element.get(name))
        assert svg.findall(f"{SVG}rect"), "a chart with bars"


def test_every_chart_has_a_table_of_its_data(world, client):
    response = client.get(URL)
    html = response.text
    assert html.count('<details class="chart__data">') == 7
    assert html.count("<caption>") == 8  # the seven charts and the GBF matrix
    # The activities table: a column per work area and the total.
    table = response.context["activity_chart"].table
    assert table.columns[-1] == "Total"
    assert table.rows[0].label == "2021"
    assert [cell.value for cell in table.rows[0].cells] == [1, 1, 0, 2]
    # Each country row leads to its best practices.
    nepal = response.context["country_chart"].table.rows[0]
    assert nepal.label == "Nepal"
    assert nepal.cells[0].href == "/knowledge/best-practices/?country=NPL"
    assert client.get(nepal.cells[0].href).context["paginator"].count == 2


def test_labels_are_escaped_in_charts_and_tables(world, client):
    hostile = Theme.objects.create(name='<script>alert("x")</script> & co', slug="hostile")
    BestPracticeFactory().themes.add(hostile)
    html = client.get(URL).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    svgs_of(html)  # still well-formed


def test_an_empty_portal_shows_no_empty_chart(client):
    html = client.get(URL).text
    assert "Nothing to show yet." in html
    assert client.get(URL).status_code == 200


# The GBF matrix


class MatrixLinks(HTMLParser):
    """The matrix's cells: (href or None, the number shown)."""

    def __init__(self):
        super().__init__()
        self.cells: list[tuple[str | None, int]] = []
        self._cell: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "gbf-matrix__cell" in (attrs.get("class") or ""):
            self._cell = [None, ""]
        elif tag == "a" and self._cell is not None:
            self._cell[0] = attrs["href"]
        elif tag == "span" and self._cell is not None:
            self._cell.append("hidden")

    def handle_data(self, data):
        if self._cell is not None and len(self._cell) == 2:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append((self._cell[0], int(self._cell[1].strip())))
            self._cell = None


def matrix_cells(html: str) -> list[tuple[str | None, int]]:
    parser = MatrixLinks()
    parser.feed(html)
    return parser.cells


@pytest.mark.parametrize("persona", ["anonymous_client", "member_client"])
def test_each_non_empty_cell_links_to_the_list_of_its_items(world, request, persona):
    client = request.getfixturevalue(persona)
    cells = matrix_cells(client.get(URL).text)
    assert len(cells) == 23 * 3
    linked = [(href, count) for href, count in cells if count]
    assert linked, "some cells hold items"
    for href, count in linked:
        assert href is not None
        assert client.get(href).context["paginator"].count == count, href
    assert all(href is None for href, count in cells if not count)


def test_matrix_marks_thin_cells_and_invites_members_to_the_open_targets(world, client):
    html = client.get(URL).text
    assert html.count("gbf-matrix__cell--empty") == 23 * 3 - 6
    assert "APAP's activities, best practices and resources contribute to 3 of the 23 targets" in (
        html
    )
    # No failure notice: the 20 targets without items invite members to share their work.
    assert "does not reach" not in html
    assert "not reached yet" not in html
    invitations = re.findall(
        r'<a class="gbf-matrix__share" href="/knowledge/best-practices/submit/\?gbf_target=(\d+)">'
        r"Share a best practice for Target (\d+)</a>",
        html,
    )
    assert [int(a) for a, b in invitations if a == b] == [
        n for n in range(1, 24) if n not in (3, 4, 21)
    ]


def test_an_invitation_opens_the_form_with_its_target_ticked(world, member_client):
    html = member_client.get("/knowledge/best-practices/submit/?gbf_target=7").text
    seven = GbfTarget.objects.get(number=7).pk
    checked = re.findall(
        r'<input type="checkbox" name="gbf_targets" value="(\d+)"[^>]*checked', html
    )
    assert checked == [str(seven)]
    # Nonsense in the link is ignored, never a server error.
    for value in ("x", "99999999999999999999", "-1", "²"):
        response = member_client.get("/knowledge/best-practices/submit/", {"gbf_target": value})
        assert response.status_code == 200
        assert not re.search(r'name="gbf_targets" value="\d+"[^>]*checked', response.text)


def test_matrix_link_parameters_filter_the_lists(world, client):
    """The parameter the matrix uses is the one each list filters by."""
    assert client.get("/activities/?gbf_target=4").context["paginator"].count == 1
    assert client.get("/knowledge/best-practices/?gbf_target=4").context["paginator"].count == 1
    assert client.get("/knowledge/resources/?gbf_target=3").context["paginator"].count == 1
    assert client.get("/knowledge/resources/").context["paginator"].count == 2


# The CSV


def csv_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_holds_the_same_figures_in_long_format(world, client):
    response = client.get(URL + "?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="apap-in-numbers-')
    rows = csv_of(response)
    assert rows[0] == ["figure", "dimension", "breakdown", "value", "unit"]
    assert all(len(row) == 5 for row in rows)
    body = rows[1:]
    assert ["Members (cumulative)", "2019", "", "5", "members"] in body
    assert ["Members joining", "date not recorded", "", "2", "members"] in body
    assert ["Activities", "2021", "Transboundary and regional cooperation", "1", "activities"] in (
        body
    )
    assert ["Participants reached", "2021", "", "30", "participants"] in body
    assert ["Best practices by country", "Nepal", "", "2", "best practices"] in body
    assert ["Best practices by country", "no country", "", "1", "best practices"] in body
    assert ["Resources by theme", "Sustainable tourism", "", "1", "resources"] in body
    area = [
        row
        for row in body
        if row[:3] == ["Protected areas by realm", "Terrestrial", "reported area"]
    ]
    assert area == [["Protected areas by realm", "Terrestrial", "reported area", "3100.000", "km²"]]
    target_3 = [row for row in body if row[1].startswith("3. ")]
    assert [(row[2], row[3]) for row in target_3] == [
        ("activities", "2"),
        ("best practices", "1"),
        ("resources", "1"),
    ]
    assert "Thailand" not in response.content.decode("utf-8-sig")


def test_csv_for_a_member_counts_members_only_items(world, member_client):
    body = csv_of(member_client.get(URL + "?format=csv"))
    assert ["Best practices by country", "Thailand", "", "1", "best practices"] in body


# Cache and query counts


def test_a_cache_hit_costs_no_query(world, django_assert_num_queries):
    first = figures_for(AnonymousUser())
    with django_assert_num_queries(0):
        assert figures_for(AnonymousUser()) == first


def test_public_and_members_are_cached_apart(world, client, member_client):
    assert client.get(URL).context["figures"].library.best_practices == 3
    assert member_client.get(URL).context["figures"].library.best_practices == 4
    assert client.get(URL).context["figures"].library.best_practices == 3


def test_an_edit_shows_on_the_next_request(world, client, member_client):
    def practices(c=client):
        return c.get(URL).context["figures"].library.best_practices

    assert practices() == 3
    BestPracticeFactory()
    assert practices() == 4
    draft = BestPractice.objects.get(status="draft")
    draft.status = "published"
    draft.save()
    assert practices() == 5
    draft.delete()
    assert practices() == 4
    assert practices(member_client) == 5


def test_a_new_tag_shows_in_the_matrix_at_once(world, client):
    def target_20():
        return client.get(URL).context["figures"].gbf[19]

    assert target_20().resources == 0
    Resource.objects.get(visibility="public", themes__slug=TOURISM).gbf_targets.add(
        GbfTarget.objects.get(number=20)
    )
    assert target_20().resources == 1
    Activity.objects.filter(status="cancelled").delete()
    assert client.get(URL).context["figures"].gbf[20].activities == 0


def test_a_protected_area_edit_shows_at_once(world, client):
    def area_total():
        return client.get(URL).context["figures"].protected_areas.area_km2

    assert area_total() == Decimal("3100")
    area = ProtectedArea.objects.get(name="Koshi")
    area.reported_area_km2 = 50
    area.save()
    assert area_total() == Decimal("3150")


def test_a_membership_date_shows_at_once(world, client, member):
    def undated():
        return client.get(URL).context["figures"].membership.undated_members

    assert undated() == 2
    membership = member.organization.membership
    membership.joined_on = datetime.date(2019, 1, 1)
    membership.save()
    assert undated() == 1


def _rows_per_table(rows: int) -> None:
    """`rows` memberships, activities, best practices, resources and protected areas,
    every one tagged, so that a query per row would show."""
    gbf = GbfTarget.objects.get(number=3)
    tourism = theme(TOURISM)
    areas = ProtectedAreaFactory.create_batch(
        rows, reported_area_km2=10, country=country("LAO"), iucn_category="V"
    )
    for index in range(rows):
        MembershipFactory(
            organization=OrganizationFactory(country=country("LAO")),
            joined_on=datetime.date(2010 + index % 10, 1, 1),
        )
        activity = ActivityFactory(
            start_date=datetime.date(2010 + index % 10, 1, 1), participants_count=index
        )
        activity.gbf_targets.add(gbf)
        practice = BestPracticeFactory(protected_area=areas[index])
        practice.countries.add(country("KHM"))
        practice.themes.add(tourism)
        practice.gbf_targets.add(gbf)
        resource = ResourceFactory()
        resource.themes.add(tourism)
        resource.gbf_targets.add(gbf)


@pytest.mark.parametrize("rows", [5, 100])
def test_figures_query_count_does_not_grow(django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue: the figures are grouped queries, never one per row
    or per country, theme or target."""
    _rows_per_table(rows)
    # 1. memberships by country, year and status  2. work areas
    # 3. activities by year and work area
    # 4. the library's counts, one UNION ALL of GROUP BYs: best practices and resources
    #    in total and by theme, best practices by country tag and by their area's country
    # 5. countries  6. themes  7. protected areas by category and realm
    # 8. items by GBF target, one UNION ALL of GROUP BYs (activities, best practices,
    #    resources)  9. GBF targets
    with django_assert_num_queries(9):
        figures = compute_figures(AnonymousUser())
    assert figures.library.best_practices == rows


@pytest.mark.parametrize("rows", [5, 100])
def test_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the page, computed and then from the cache."""
    _rows_per_table(rows)
    # 1. savepoint  2-10. the nine figures  11. release
    with django_assert_num_queries(11):
        assert client.get(URL).status_code == 200
    # 1. savepoint  2. release: the figures come from the cache.
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(URL + "?format=csv").status_code == 200


# The demo data


def test_demo_figures_for_a_visitor_and_a_member(demo, client):
    """The Done-when of issue 9: the demo's figures, checked against the models' own rules."""
    demo_member = User.objects.get(username=DEMO_MEMBER_USERNAME)
    member_client = type(client)()
    member_client.force_login(demo_member)
    for visitor, user in ((client, AnonymousUser()), (member_client, demo_member)):
        response = visitor.get(URL)
        assert response.status_code == 200
        figures = response.context["figures"]
        activities = Activity.objects.visible_to(user)
        practices = BestPractice.objects.visible_to(user).published()
        resources = Resource.objects.visible_to(user)
        assert figures.activities.total == activities.exclude(status="cancelled").count()
        assert figures.library.best_practices == practices.count()
        assert figures.library.resources == resources.count()
        assert figures.protected_areas.total == ProtectedArea.objects.visible_to(user).count()
        active = Organization.objects.members().filter(membership__status="active")
        assert figures.membership.active_members == active.count()
        assert figures.membership.total_members == Membership.objects.count()
        assert f"<strong>{figures.library.best_practices}</strong> best practices" in response.text
        for target in figures.gbf:
            number = target.number
            assert target.activities == activities.filter(gbf_targets__number=number).count()
            assert target.best_practices == practices.filter(gbf_targets__number=number).count()
            assert target.resources == resources.filter(gbf_targets__number=number).count()
        # The matrix leads each non-empty cell to its items.
        linked = [(href, count) for href, count in matrix_cells(response.text) if count]
        assert linked
        for href, count in linked:
            assert visitor.get(href).context["paginator"].count == count, href
        svgs_of(response.text)
    # The demo holds members-only items: the member counts more than the visitor.
    assert (
        member_client.get(URL).context["figures"].library.best_practices
        >= client.get(URL).context["figures"].library.best_practices
    )


def test_the_demo_members_chart_counts_every_membership_with_a_known_year(demo, client):
    """Issue 16: the chart was flat at 2 beside a tile of 11; the dates known only to their
    month or year (DEMO_DATA.md) now count, and the five without any date are said."""
    response = client.get(URL)
    membership = response.context["figures"].membership
    by_year = {row.year: row.members for row in membership.years}
    assert (by_year[2015], by_year[2018], by_year[2019]) == (2, 4, 6)
    assert membership.undated_members == 5
    assert membership.total_members == membership.active_members == 11
    html = response.text
    assert "5 memberships without a known start year are not counted." in html
    assert "For the same reason 4 member countries are not counted." in html


def test_oecms_are_counted_apart_in_vietnamese_too(client):
    ProtectedAreaFactory(site_type="oecm", realm="marine", reported_area_km2=40)

    assert "Tính riêng: 1 OECM" in client.get("/vi" + URL).text


def test_an_untranslated_theme_is_marked_in_the_table_of_the_vietnamese_page(client):
    """A screen reader reads the chart's table (the picture is one image to it): a theme's
    English name on /vi/ is read in English, a translated one in Vietnamese."""
    tourism, conflict = theme(TOURISM), theme(WILDLIFE_CONFLICT)
    for tagged in (tourism, conflict):
        BestPracticeFactory().themes.add(tagged)
    translation(conflict, name="Xung đột giữa người và động vật hoang dã")

    html = client.get(f"/vi{URL}").text

    assert f'<th scope="row" lang="en">{tourism.name}</th>' in html
    assert '<th scope="row">Xung đột giữa người và động vật hoang dã</th>' in html
    # In English nothing is marked.
    assert '<th scope="row" lang="en">' not in client.get(URL).text
