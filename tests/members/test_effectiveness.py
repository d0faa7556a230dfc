"""Management effectiveness and the IUCN Green List of a protected area.

Emma (editor) records evaluations and the Green List standing in the admin, Mark
(manager) may also delete an evaluation; Anna (the public) reads them on the area's page
and filters the list and the map by them; Minh (member) also sees members-only areas.
"""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Version

from apap_portal.editing.history import latest_revision
from members.models import (
    EffectivenessCounts,
    EvaluationMethod,
    GreenListStatus,
    ManagementEffectivenessEvaluation,
    ProtectedArea,
    SiteType,
    Visibility,
)
from tests.factories import (
    ManagementEffectivenessEvaluationFactory,
    ProtectedAreaFactory,
    country,
)
from tests.portal.test_locking import admin_form_data, change_url

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def green_listed(name: str, *, expires_in: int = 365, **fields) -> ProtectedArea:
    """An area Green Listed three years ago, whose listing expires in `expires_in` days."""
    return ProtectedAreaFactory(
        name=name,
        green_list_status=fields.pop("green_list_status", GreenListStatus.GREEN_LISTED),
        green_listed_on=days(-3 * 365),
        green_list_expires_on=days(expires_in),
        **fields,
    )


def list_names(client, **params) -> list[str]:
    response = client.get("/protected-areas/", params)
    assert response.status_code == 200
    return [area.name for area in response.context["object_list"]]


def map_names(client, **params) -> list[str]:
    response = client.get("/protected-areas/map.geojson", params)
    assert response.status_code == 200
    return sorted(
        feature["properties"]["name"] for feature in json.loads(response.content)["features"]
    )


@pytest.fixture
def standings():
    """One area in each Green List standing, and evaluations of two of them."""
    listed = green_listed("Listed Park", wdpa_id=1)
    relisted = green_listed("Relisted Park", green_list_status=GreenListStatus.RELISTED)
    expired = green_listed("Expired Park", expires_in=-1)
    candidate = ProtectedAreaFactory(
        name="Candidate Park", green_list_status=GreenListStatus.CANDIDATE
    )
    ProtectedAreaFactory(name="Plain Park")
    ManagementEffectivenessEvaluationFactory(protected_area=listed)
    ManagementEffectivenessEvaluationFactory(protected_area=candidate, year=2015)
    ManagementEffectivenessEvaluationFactory(protected_area=candidate, year=2021)
    return {"listed": listed, "relisted": relisted, "expired": expired, "candidate": candidate}


# In the admin, with history


def test_an_editor_records_an_evaluation_and_the_green_list_with_history(editor_client):
    area = ProtectedAreaFactory(name="Cúc Phương National Park")
    page = editor_client.get(change_url(area))
    assert "IUCN Green List" in page.text
    data = admin_form_data(page)
    data.update(
        {
            "green_list_status": GreenListStatus.GREEN_LISTED,
            "green_listed_on": "2022-11-10",
            "green_list_expires_on": "2027-11-09",
            "green_list_url": "https://iucngreenlist.org/sites/cuc-phuong/",
            "evaluations-TOTAL_FORMS": "1",
            "evaluations-0-method": EvaluationMethod.METT,
            "evaluations-0-year": "2019",
            "evaluations-0-report_url": "https://example.org/mett-2019.pdf",
        }
    )

    response = editor_client.post(change_url(area), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    area.refresh_from_db()
    assert area.green_list_status == GreenListStatus.GREEN_LISTED
    assert area.green_list_expires_on == datetime.date(2027, 11, 9)
    evaluation = area.evaluations.get()
    assert (evaluation.method, evaluation.year) == (EvaluationMethod.METT, 2019)
    # The area's revision holds the area as saved and its evaluations with it.
    revision = latest_revision(area)
    versions = {version._model: version for version in revision.version_set.all()}
    assert versions[ProtectedArea].field_dict["green_list_status"] == "green-listed"
    assert versions[ManagementEffectivenessEvaluation].field_dict["year"] == 2019
    history = editor_client.get(f"/admin/members/protectedarea/{area.pk}/history/")
    assert history.status_code == 200
    assert "emma" in history.text


def test_an_evaluation_is_added_with_a_new_area(editor_client):
    response = editor_client.post(
        "/admin/members/protectedarea/add/",
        {
            "name": "Tràm Chim National Park",
            "slug": "tram-chim",
            "country": country("VNM").pk,
            "visibility": "public",
            "site_type": "pa",
            "iucn_category": "II",
            "governance_type": "Not Reported",
            "realm": "terrestrial",
            "status": "Designated",
            "green_list_status": GreenListStatus.CANDIDATE,
            "evaluations-TOTAL_FORMS": "1",
            "evaluations-INITIAL_FORMS": "0",
            "evaluations-0-method": EvaluationMethod.OTHER,
            "evaluations-0-other_method": "Viet Nam's national PA assessment",
            "evaluations-0-year": "2020",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    area = ProtectedArea.objects.get(slug="tram-chim")
    assert area.evaluations.get().method_name == "Viet Nam's national PA assessment"
    assert Version.objects.get_for_model(ManagementEffectivenessEvaluation).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"green_list_status": "green-listed"}, "Give the date the site was Green Listed."),
        (
            {
                "green_list_status": "relisted",
                "green_listed_on": "2024-01-10",
                "green_list_expires_on": "2023-01-10",
            },
            "The expiry date must come after the listing.",
        ),
        (
            {"green_list_status": "candidate", "green_listed_on": "2024-01-10"},
            "Only a Green Listed or relisted site has listing dates",
        ),
        ({"evaluations-0-method": "other"}, "Name the method, since it is &quot;Other&quot;."),
        (
            {"evaluations-0-other_method": "Home-made"},
            "Leave this blank, or choose &quot;Other&quot; as the method.",
        ),
        ({"evaluations-0-year": str(NEXT_YEAR)}, "cannot be dated after this year"),
        ({"evaluations-0-year": "1850"}, "greater than or equal to 1990"),
        ({"evaluations-0-year": "soon"}, "Enter a whole number."),
        ({"evaluations-0-report_url": "not a link"}, "Enter a valid URL."),
    ],
)
def test_bad_green_list_or_evaluation_input_is_explained(editor_client, changes, message):
    area = ProtectedAreaFactory()
    data = admin_form_data(editor_client.get(change_url(area)))
    data.update(
        {
            "evaluations-TOTAL_FORMS": "1",
            "evaluations-0-method": EvaluationMethod.IMET,
            "evaluations-0-year": "2020",
            **changes,
        }
    )

    response = editor_client.post(change_url(area), data)

    assert response.status_code == 200
    assert message in response.text
    area.refresh_from_db()
    assert area.green_list_status == GreenListStatus.NOT_LISTED
    assert not area.evaluations.exists()


def test_an_editor_cannot_delete_an_evaluation_but_a_manager_can(editor_client, manager_client):
    evaluation = ManagementEffectivenessEvaluationFactory()
    area = evaluation.protected_area

    for client in (editor_client, manager_client):
        data = admin_form_data(client.get(change_url(area)))
        data["evaluations-0-DELETE"] = "on"
        assert client.post(change_url(area), data).status_code == 302
        if client is editor_client:
            assert area.evaluations.exists()  # her form has no delete box: ignored
    assert not area.evaluations.exists()


def test_the_database_refuses_a_listing_without_its_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtectedAreaFactory(green_list_status=GreenListStatus.GREEN_LISTED)


def test_an_evaluation_year_is_validated_against_today():
    evaluation = ManagementEffectivenessEvaluationFactory.build(
        protected_area=ProtectedAreaFactory(), year=timezone.localdate().year + 1
    )
    with pytest.raises(ValidationError) as error:
        evaluation.full_clean()
    assert "year" in error.value.message_dict


# On the area's page


def test_the_page_shows_the_green_list_standing_and_the_evaluations(client, standings):
    area = standings["listed"]
    area.green_list_url = "https://iucngreenlist.org/sites/listed-park/"
    area.save()
    ManagementEffectivenessEvaluationFactory(
        protected_area=area,
        method=EvaluationMethod.OTHER,
        other_method="National PA assessment",
        year=2012,
        report_url="",
        notes="Scores kept by the secretariat.",
    )

    page = client.get(area.get_absolute_url())

    assert page.status_code == 200
    text = page.text
    assert "IUCN Green List" in text
    assert "Green Listed" in text
    assert f"Listed on {area.green_listed_on:%-d %B %Y}" in text
    assert f"Valid until {area.green_list_expires_on:%-d %B %Y}" in text
    assert 'href="https://iucngreenlist.org/sites/listed-park/"' in text
    assert "Expired" not in text
    assert "Management effectiveness" in text
    assert "METT — Management Effectiveness Tracking Tool" in text
    assert 'href="https://example.org/reports/mett-2019.pdf"' in text
    assert "National PA assessment" in text
    evaluations = text[text.index("Management effectiveness") :]
    assert evaluations.index("2019") < evaluations.index("2012")  # the latest first
    assert "Scores kept by the secretariat." not in text  # staff notes


def test_an_expired_listing_is_shown_as_expired(client, standings):
    page = client.get(standings["expired"].get_absolute_url()).text

    assert '<span class="badge badge--warning">Expired</span>' in page
    assert f"Expired on {days(-1):%-d %B %Y}" in page
    assert "Valid until" not in page


def test_a_listing_expires_on_the_day_after_its_expiry_date(client, monkeypatch):
    area = green_listed("Soon Expired Park", expires_in=0)
    assert "Valid until" in client.get(area.get_absolute_url()).text
    assert list_names(client, green_list="listed") == ["Soon Expired Park"]

    tomorrow = days(1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert "Expired on" in client.get(area.get_absolute_url()).text
    assert list_names(client, green_list="listed") == []
    assert list_names(client, green_list="expired") == ["Soon Expired Park"]


def test_a_candidate_and_an_unlisted_area(client, standings):
    candidate = client.get(standings["candidate"].get_absolute_url()).text
    assert "Candidate" in candidate
    assert "Listed on" not in candidate
    plain = client.get(ProtectedArea.objects.get(name="Plain Park").get_absolute_url()).text
    assert "IUCN Green List" not in plain
    assert "Management effectiveness" not in plain


def test_the_vietnamese_page_translates_the_labels(client, standings):
    page = client.get(f"/vi{standings['listed'].get_absolute_url()}").text

    assert "Danh lục Xanh IUCN" in page
    assert "Được công nhận Danh lục Xanh" in page
    assert "Hiệu quả quản lý" in page
    assert "Phương pháp" in page
    assert "METT — Công cụ theo dõi hiệu quả quản lý" in page
    assert "Management effectiveness" not in page
    filters = client.get("/vi/protected-areas/").text
    assert '<label for="id_green_list">Danh lục Xanh IUCN</label>' in filters
    assert '<label for="id_evaluated">Hiệu quả quản lý</label>' in filters
    assert "Trong Danh lục Xanh (công nhận hoặc công nhận lại)" in filters


@pytest.mark.parametrize("evaluations", [1, 20])
def test_area_page_query_count_does_not_grow(client, django_assert_num_queries, evaluations):
    """Intended to prevent an n+1 issue on an area's evaluations."""
    area = green_listed("Chitwan National Park")
    ManagementEffectivenessEvaluationFactory.create_batch(evaluations, protected_area=area)
    # Savepoint, 1. the area (its Green List fields with it)  2. its transboundary areas
    # 3. its evaluations  4. its countries, release
    with django_assert_num_queries(6):
        response = client.get(area.get_absolute_url())
    assert response.text.count("Read the report") == evaluations


# Filters of the list and the map


def test_the_list_filters_by_green_list_and_evaluation(client, standings):
    assert list_names(client, green_list="listed") == ["Listed Park", "Relisted Park"]
    assert list_names(client, green_list="candidate") == ["Candidate Park"]
    assert list_names(client, green_list="expired") == ["Expired Park"]
    assert list_names(client, evaluated="yes") == ["Candidate Park", "Listed Park"]
    assert list_names(client, evaluated="no") == ["Expired Park", "Plain Park", "Relisted Park"]
    assert list_names(client, green_list="listed", evaluated="yes") == ["Listed Park"]


def test_the_list_marks_the_areas_on_the_green_list(client, standings):
    page = client.get("/protected-areas/").text

    def row_of(name: str) -> str:
        return page[page.index(f">{name}<") :].split("</tr>")[0]

    assert "IUCN Green List</span>" in row_of("Listed Park")
    assert "IUCN Green List</span>" not in row_of("Expired Park")
    assert "IUCN Green List</span>" not in row_of("Candidate Park")


@pytest.mark.parametrize("params", [{"green_list": "gold"}, {"evaluated": "maybe"}])
def test_a_bad_filter_value_is_a_form_error_on_the_list_and_400_on_the_map(client, params):
    ProtectedAreaFactory()
    page = client.get("/protected-areas/", params)
    assert page.status_code == 200
    assert "Select a valid choice" in page.text

    response = client.get("/protected-areas/map.geojson", params)
    assert response.status_code == 400
    assert list(json.loads(response.content)["errors"]) == list(params)


def test_the_map_takes_the_filters_each_cached_apart(client, standings):
    # Each answer is cached under its filters: asking one first must not answer another.
    assert map_names(client, green_list="listed") == ["Listed Park", "Relisted Park"]
    assert map_names(client, green_list="candidate") == ["Candidate Park"]
    assert map_names(client, green_list="expired") == ["Expired Park"]
    assert map_names(client, evaluated="yes") == ["Candidate Park", "Listed Park"]
    assert map_names(client, evaluated="no") == ["Expired Park", "Plain Park", "Relisted Park"]
    assert len(map_names(client)) == 5


def test_the_cached_map_follows_an_expiry_and_an_evaluation(client, monkeypatch):
    area = green_listed("Soon Expired Park", expires_in=0)
    assert map_names(client, green_list="listed") == ["Soon Expired Park"]
    assert map_names(client, evaluated="yes") == []

    ManagementEffectivenessEvaluationFactory(protected_area=area)
    assert map_names(client, evaluated="yes") == ["Soon Expired Park"]

    tomorrow = days(1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert map_names(client, green_list="listed") == []


@pytest.mark.parametrize("rows", [10, 200])
def test_filtered_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    """Intended to prevent an n+1 issue on the list filtered by the Green List."""
    for n in range(rows):
        area = green_listed(f"Listed Park {n:03}")
        ManagementEffectivenessEvaluationFactory.create_batch(2, protected_area=area)
    # Savepoint, 1. count  2. the page of areas with country and transboundary flag
    # 3. the countries of the filter form, release
    with django_assert_num_queries(5):
        response = client.get("/protected-areas/", {"green_list": "listed", "evaluated": "yes"})
    assert response.status_code == 200
    assert response.context["paginator"].count == rows


# Members-only areas


def test_a_members_only_areas_standing_never_reaches_the_public(client, member_client, standings):
    secret = green_listed("Confidential Listed Site", visibility=Visibility.MEMBERS)
    ManagementEffectivenessEvaluationFactory(protected_area=secret)

    for params in ({"green_list": "listed"}, {"evaluated": "yes"}):
        assert "Confidential Listed Site" not in list_names(client, **params)
        assert "Confidential Listed Site" not in map_names(client, **params)
        assert "Confidential Listed Site" in list_names(member_client, **params)
        assert "Confidential Listed Site" in map_names(member_client, **params)
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert ProtectedArea.objects.public().effectiveness_counts().green_listed == 1
    assert ProtectedArea.objects.effectiveness_counts().green_listed == 2


def test_evaluations_are_seen_by_whoever_may_see_their_area(member):
    public = ManagementEffectivenessEvaluationFactory()
    secret = ManagementEffectivenessEvaluationFactory(
        protected_area=ProtectedAreaFactory(visibility=Visibility.MEMBERS)
    )

    assert list(ManagementEffectivenessEvaluation.objects.public()) == [public]
    assert set(ManagementEffectivenessEvaluation.objects.listed_for(member)) == {public, secret}


# Counts for a country's profile


def test_effectiveness_counts_in_one_query(standings):
    green_listed("An OECM", site_type=SiteType.OECM, country=country("VNM"))

    with CaptureQueriesContext(connection) as queries:
        counts = ProtectedArea.objects.listed_for(AnonymousUser()).effectiveness_counts()
    assert len(queries) == 1
    assert counts == EffectivenessCounts(
        areas=6, evaluated=2, candidate=1, green_listed=2, relisted=1, expired=1
    )
    assert counts.listed == 3

    viet_nam = ProtectedArea.objects.filter(country=country("VNM")).effectiveness_counts()
    assert viet_nam == EffectivenessCounts(areas=1, green_listed=1)


def test_effectiveness_counts_by_site_type_in_one_query(standings):
    green_listed("An OECM", site_type=SiteType.OECM)

    with CaptureQueriesContext(connection) as queries:
        counts = ProtectedArea.objects.effectiveness_counts_by_site_type()
    assert len(queries) == 1
    assert counts == {
        "pa": EffectivenessCounts(
            areas=5, evaluated=2, candidate=1, green_listed=1, relisted=1, expired=1
        ),
        "oecm": EffectivenessCounts(areas=1, green_listed=1),
    }
    none = ProtectedArea.objects.none().effectiveness_counts_by_site_type()
    assert none == {"pa": EffectivenessCounts(), "oecm": EffectivenessCounts()}


def test_counts_judge_expiry_on_the_day_given(standings):
    next_year = days(400)
    counts = ProtectedArea.objects.effectiveness_counts(today=next_year)
    assert (counts.green_listed, counts.relisted, counts.expired) == (0, 0, 3)


# The WDPA import


@pytest.mark.parametrize("rows", [3, 30])
def test_a_wdpa_import_reads_the_evaluations_once_per_batch(tmp_path, rows):
    """Intended to prevent an n+1 issue: an area's revision holds its evaluations."""
    header = ["WDPAID", "NAME", "ISO3", "IUCN_CAT", "MARINE"]
    lines = [header] + [[str(n), f"Park {n}", "NPL", "II", "0"] for n in range(1, rows + 1)]
    path = tmp_path / "wdpa.csv"
    path.write_text("\n".join(",".join(line) for line in lines))
    call_command("import_wdpa", str(path), stdout=io.StringIO())
    evaluated = ProtectedArea.objects.get(wdpa_id=1)
    ManagementEffectivenessEvaluationFactory(protected_area=evaluated)
    for line in lines[1:]:
        line[3] = "Ib"  # a change to every area, to update them all

    path.write_text("\n".join(",".join(line) for line in lines))
    with CaptureQueriesContext(connection) as queries:
        call_command("import_wdpa", str(path), stdout=io.StringIO())

    reading_evaluations = [
        query
        for query in queries
        if 'FROM "members_managementeffectivenessevaluation"' in query["sql"]
    ]
    # The batch's evaluations, and django-reversion checking that they still exist.
    assert len(reading_evaluations) == 2
    versions = latest_revision(evaluated).version_set.all()
    assert {version._model for version in versions} == {
        ProtectedArea,
        ManagementEffectivenessEvaluation,
    }
