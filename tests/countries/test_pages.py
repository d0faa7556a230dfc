"""/countries/ and /countries/<iso3>/: the countries of Asia and each one's profile.

Anna (anonymous), Minh (a member, of Viet Nam's agency) and Emma (an editor) look at Viet
Nam's profile; the statistics come from a file imported as the secretariat would.
"""

import datetime
import html
import io
import re

import pytest
from django.core.management import call_command

from tests.countries.files import BHUTAN, JAPAN, VIET_NAM, statistics_file
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    MemberOrganizationFactory,
    OrganizationFactory,
    ProtectedAreaFactory,
    country,
)

pytestmark = pytest.mark.django_db

PROFILE = "/countries/vnm/"
LIST = "/countries/"


def text_of(response) -> str:
    """The page's main content as a reader hears it: tags out, spaces folded."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture
def imported(tmp_path):
    """Viet Nam, Bhutan and Japan from Protected Planet's release of May 2026."""
    call_command(
        "import_country_statistics",
        str(statistics_file(tmp_path, [VIET_NAM, BHUTAN, JAPAN])),
        "--as-of",
        "2026-05",
        stdout=io.StringIO(),
    )


# Coverage for GBF Target 3


def test_the_profile_shows_the_imported_coverage_against_30_percent(client, imported):
    response = client.get(PROFILE)

    assert response.status_code == 200
    text = text_of(response)
    assert "Protected areas: 7.57 % (24,687 km²)" in text
    assert "Protected areas and OECMs: 7.57 %" in text
    assert "Target: 30 % by 2030" in text
    assert "22.43 percentage points are still missing to reach 30 %" in text
    assert "Protected areas: 0.49 %" in text  # the sea
    assert "country statistics of May 2026" in text
    page = response.content.decode()
    assert 'href="https://www.cbd.int/doc/world/vn/vn-nr-05-en.pdf"' in page
    # The bars: 7.57 % of 400 units, and the target's line at 30 %.
    assert 'class="coverage__bar coverage__bar--pa" x="0" y="8" width="30.3"' in page
    assert 'class="coverage__target" x1="120"' in page
    assert "style=" not in page


def test_protected_areas_and_oecms_are_shown_apart(client, imported):
    """Japan's OECMs add land: 29.72 % by its protected areas, 29.86 % with its OECMs."""
    text = text_of(client.get("/countries/jpn/"))

    assert "Protected areas: 29.72 %" in text
    assert "Protected areas and OECMs: 29.86 %" in text


def test_a_country_without_sea_shows_its_land_only(client, imported):
    response = client.get("/countries/btn/")

    text = text_of(response)
    assert "Protected areas and OECMs: 52.45 %" in text
    assert "the target of 30 % is reached" in text
    assert "Bhutan has no sea" in text
    assert 'id="coverage-sea-heading"' not in response.content.decode()


def test_without_statistics_the_profile_says_so_and_tells_staff_how_to_import(
    client, editor_client
):
    assert "No coverage statistics imported yet." in text_of(client.get(PROFILE))
    assert "import_country_statistics" not in text_of(client.get(PROFILE))
    assert "import_country_statistics FILE.csv --as-of YYYY-MM" in text_of(
        editor_client.get(PROFILE)
    )


def test_the_vietnamese_profile(client, imported):
    response = client.get("/vi/countries/vnm/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Tiến độ thực hiện Mục tiêu 3 của GBF" in text
    assert "7,57 %" in text  # the Vietnamese decimal comma
    assert 'href="/vi/countries/"' in response.content.decode()


# Members, protected areas, activities and best practices


def test_the_profile_counts_protected_areas_and_oecms_apart(client):
    viet_nam = country("VNM")
    for category in ("II", "II", "IV"):
        ProtectedAreaFactory(country=viet_nam, iucn_category=category, reported_area_km2=100)
    ProtectedAreaFactory(country=viet_nam, site_type="oecm", iucn_category="Not Applicable")
    ProtectedAreaFactory(
        country=viet_nam, site_type="oecm", iucn_category="Not Applicable", realm="marine"
    )
    ProtectedAreaFactory(country=country("THA"))  # not in Viet Nam

    response = client.get(PROFILE)

    profile = response.context["profile"]
    assert profile.protected_areas.total == 3
    assert profile.oecms.total == 2
    assert [(g.key, g.count) for g in profile.protected_areas.by_category] == [("II", 2), ("IV", 1)]
    assert [(g.key, g.count) for g in profile.oecms.by_realm] == [("terrestrial", 1), ("marine", 1)]
    text = text_of(response)
    assert "3 protected areas" in text
    assert "2 OECMs" in text
    assert "II — National park 2 200 0 –" in text
    assert "Not applicable 0 – 2 –" in text
    assert "site_type=oecm&amp;realm=marine" in response.content.decode()


def test_the_profile_lists_the_country_s_members_activities_and_best_practices(client):
    viet_nam = country("VNM")
    member = MemberOrganizationFactory(name="Department of Protected Forest Management")
    member.country = viet_nam
    member.save()
    OrganizationFactory(name="A partner that is no member", country=viet_nam)
    ActivityFactory(title="Technical workshop in Hanoi", country=viet_nam, city="Hanoi")
    participated = ActivityFactory(title="Forum in Dehradun")
    participated.participating_countries.add(viet_nam)
    ActivityFactory(title="Workshop in Bangkok", country=country("THA"), city="Bangkok")
    practice = BestPracticeFactory(title="Ranger patrols in Cúc Phương")
    practice.countries.add(viet_nam)
    area = ProtectedAreaFactory(country=viet_nam)
    BestPracticeFactory(title="Told of an area in Viet Nam", protected_area=area)
    BestPracticeFactory(title="Tourism in Khao Yai")

    text = text_of(client.get(PROFILE))

    assert "Department of Protected Forest Management" in text
    assert "A partner that is no member" not in text
    assert "Technical workshop in Hanoi" in text
    assert "Forum in Dehradun" in text
    assert "Workshop in Bangkok" not in text
    assert "All 2 activities" in text
    assert "Ranger patrols in Cúc Phương" in text
    assert "Told of an area in Viet Nam" in text
    assert "Tourism in Khao Yai" not in text


def test_members_only_records_are_neither_counted_nor_shown_to_the_public(client, member_client):
    viet_nam = country("VNM")
    ProtectedAreaFactory(country=viet_nam)
    ProtectedAreaFactory(country=viet_nam, visibility="members")
    ProtectedAreaFactory(country=viet_nam, site_type="oecm", visibility="members")
    ActivityFactory(title="Steering committee in Hanoi", country=viet_nam, visibility="members")
    hidden = BestPracticeFactory(title="Members' practice", visibility="members")
    hidden.countries.add(viet_nam)
    secret_area = ProtectedAreaFactory(country=viet_nam, visibility="members")
    BestPracticeFactory(title="Public practice of a hidden area", protected_area=secret_area)

    public = client.get(PROFILE)
    members = member_client.get(PROFILE)

    assert (
        public.context["profile"].protected_areas.total,
        public.context["profile"].oecms.total,
    ) == (1, 0)
    assert (
        members.context["profile"].protected_areas.total,
        members.context["profile"].oecms.total,
    ) == (3, 1)
    for title in (
        "Steering committee in Hanoi",
        "Members' practice",
        "Public practice of a hidden area",
    ):
        assert title not in text_of(public)
        assert title in text_of(members)
    # Each audience has its own cached copy: the public's is still the public's.
    assert client.get(PROFILE).context["profile"].protected_areas.total == 1


def test_the_profile_counts_evaluations_and_the_green_list_by_site_type(client):
    from members.models import ManagementEffectivenessEvaluation

    viet_nam = country("VNM")
    evaluated = ProtectedAreaFactory(
        country=viet_nam,
        green_list_status="green-listed",
        green_listed_on=datetime.date(2024, 1, 1),
        green_list_expires_on=datetime.date(2099, 1, 1),
    )
    ManagementEffectivenessEvaluation.objects.create(
        protected_area=evaluated, method="mett", year=2023
    )
    ProtectedAreaFactory(country=viet_nam, site_type="oecm", green_list_status="candidate")
    ProtectedAreaFactory(country=viet_nam, visibility="members", green_list_status="candidate")

    effectiveness = client.get(PROFILE).context["profile"].effectiveness

    assert (effectiveness["pa"].evaluated, effectiveness["pa"].listed) == (1, 1)
    assert (effectiveness["pa"].candidate, effectiveness["oecm"].candidate) == (0, 1)


def test_an_edit_shows_on_the_next_visit(client):
    ProtectedAreaFactory(country=country("VNM"))
    assert client.get(PROFILE).context["profile"].protected_areas.total == 1

    ProtectedAreaFactory(country=country("VNM"))

    assert client.get(PROFILE).context["profile"].protected_areas.total == 2


# URLs


def test_an_upper_case_code_redirects_permanently_to_the_lower_case_url(client):
    response = client.get("/countries/VNM/")
    assert response.status_code == 301
    assert response["Location"] == PROFILE

    response = client.get("/vi/countries/Vnm/")
    assert response.status_code == 301
    assert response["Location"] == "/vi/countries/vnm/"


@pytest.mark.parametrize(
    "url", ["/countries/xyz/", "/countries/vn/", "/countries/vnm1/", "/countries/XYZ/"]
)
def test_an_unknown_country_is_not_found(client, url):
    response = client.get(url)
    if response.status_code == 301:  # upper case first goes to lower case
        response = client.get(response["Location"])
    assert response.status_code == 404


def test_the_country_links_to_its_profile():
    assert country("VNM").get_absolute_url() == PROFILE


# The list of countries


def test_the_list_shows_the_countries_of_asia_with_their_coverage(client, imported):
    response = client.get(LIST)

    assert response.status_code == 200
    names = [c.name for c in response.context["countries"]]
    assert names[:3] == ["Afghanistan", "Armenia", "Azerbaijan"]  # by name
    assert "Australia" not in names
    text = text_of(response)
    assert "Viet Nam South-East Asia 7.57 % 7.57 % 0.49 % 0.49 % May 2026" in text
    assert "Bhutan South Asia 51.63 % 52.45 % no sea May 2026" in text
    assert "Afghanistan South Asia not imported yet" in text
    assert 'href="/countries/vnm/"' in response.content.decode()


def test_the_list_marks_the_countries_with_a_member(client, member):
    countries = {c.iso3: c for c in client.get(LIST).context["countries"]}
    assert countries["VNM"].has_member
    assert not countries["LAO"].has_member


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("name", ["Afghanistan", "Armenia"]),
        ("land", ["Bhutan", "Japan", "Viet Nam", "Afghanistan"]),
        ("sea", ["Japan", "Viet Nam", "Bhutan", "Afghanistan"]),
        ("-land; DROP TABLE", ["Afghanistan", "Armenia"]),
        ("", ["Afghanistan", "Armenia"]),
    ],
)
def test_the_list_sorts_by_name_land_or_sea(client, imported, sort, first):
    response = client.get(LIST, {"sort": sort})

    assert response.status_code == 200
    names = [c.name for c in response.context["countries"]]
    assert names[: len(first)] == first


def test_the_sort_links_work_without_javascript(client):
    page = client.get(LIST, {"sort": "land"}).content.decode()

    assert '<a href="/countries/?sort=sea">' in page
    assert '<a href="/countries/?sort=land" aria-current="true">' in page


# Query counts


def _rows(count: int) -> None:
    viet_nam = country("VNM")
    categories = ["Ia", "II", "IV", "V", "VI"]
    for number in range(count):
        ProtectedAreaFactory(
            country=viet_nam,
            iucn_category=categories[number % len(categories)],
            site_type="oecm" if number % 4 == 0 else "pa",
            reported_area_km2=number,
        )
        ActivityFactory(country=viet_nam)
        BestPracticeFactory().countries.add(viet_nam)
        MemberOrganizationFactory(country=viet_nam)


@pytest.mark.parametrize("rows", [2, 30])
def test_the_profile_s_queries_do_not_grow_with_its_rows(
    client, imported, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue on the profile, computed and then from the cache."""
    _rows(rows)
    # 1. savepoint  2. the country with its statistics  3. the members  4. protected
    # areas and OECMs by site type, category, governance and realm  5. the latest
    # activities  6. their count  7. the latest best practices  8. their count
    # 9. evaluations and Green List by site type  10. release
    with django_assert_num_queries(10):
        assert client.get(PROFILE).status_code == 200
    # 1. savepoint  2. the country with its statistics  3. release: the rest is cached.
    with django_assert_num_queries(3):
        assert client.get(PROFILE).status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_the_list_s_queries_do_not_grow_with_its_rows(
    client, imported, django_assert_num_queries, rows
):
    """Intended to prevent an n+1 issue: the statistics and the members come with the countries."""
    _rows(rows)
    # 1. savepoint  2. the countries with their statistics and whether one has a member  3. release
    with django_assert_num_queries(3):
        assert client.get(LIST).status_code == 200


def test_a_site_in_several_countries_counts_in_each_as_the_list_it_links_to_does(client):
    kangchenjunga = ProtectedAreaFactory(country=country("NPL"))
    kangchenjunga.countries.set([country("NPL"), country("IND")])

    india = client.get("/countries/ind/").context["profile"]
    listed = client.get("/protected-areas/", {"country": "IND", "site_type": "pa"})

    assert india.protected_areas.total == listed.context["paginator"].count == 1
