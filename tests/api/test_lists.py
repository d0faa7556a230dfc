"""The lists: the filters of their pages, stable errors for bad ones, cursor pages."""

import base64
import datetime
import json
from urllib.parse import urlencode

import pytest

from api.urls import router
from tests.api.conftest import ENDPOINTS
from tests.factories import (
    ActivityFactory,
    BestPracticeFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    country,
    theme,
)

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


# Each list takes its page's filters


def test_protected_areas_by_country_and_site_type(api, records):
    ProtectedAreaFactory(name="Tsav OECM", country=country("MNG"), site_type="oecm")
    assert slugs(api.get("/api/v1/protected-areas/?country=MNG")) == ["tsav-oecm"]
    assert slugs(api.get("/api/v1/protected-areas/?site_type=oecm")) == ["tsav-oecm"]
    assert slugs(api.get("/api/v1/protected-areas/?transboundary=yes")) == [
        "cuc-phuong-national-park"
    ]


def test_organizations_by_country(api, records):
    assert slugs(api.get("/api/v1/organizations/?country=VNM")) == ["viet-nam-nature-agency"]
    assert slugs(api.get("/api/v1/organizations/?country=MNG")) == []


def test_activities_by_year(api, records):
    ActivityFactory(title="Forum 2019", start_date=datetime.date(2019, 3, 1))
    assert slugs(api.get("/api/v1/activities/?year=2019")) == ["forum-2019"]


def test_best_practices_by_theme(api, records):
    practice = BestPracticeFactory(title="Tourism that pays")
    practice.themes.add(theme("sustainable-tourism"))
    assert slugs(api.get("/api/v1/best-practices/?theme=sustainable-tourism")) == [
        "tourism-that-pays"
    ]


def test_resources_by_kind(api, records):
    ResourceFactory(title="A study", kind="study")
    assert slugs(api.get("/api/v1/resources/?kind=study")) == ["a-study"]


def test_stories_by_kind(api, records):
    StoryFactory(title="A statement", kind="statement")
    assert slugs(api.get("/api/v1/stories/?kind=statement")) == ["a-statement"]


def test_search_as_on_the_page(api, records):
    assert slugs(api.get("/api/v1/stories/?q=public")) == ["public-story"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("activities/?year=last", "year"),
        ("activities/?kind=party", "kind"),
        ("protected-areas/?country=XXX", "country"),
        ("protected-areas/?iucn_category=Z", "iucn_category"),
        ("organizations/?category=gold", "category"),
        ("best-practices/?theme=no-such-theme", "theme"),
        ("resources/?year=1066", "year"),
        ("stories/?work_area=nowhere", "work_area"),
        ("stories/?lang=fr", "lang"),
        ("stories/?page_size=many", "page_size"),
        ("stories/?cursor=garbage", "cursor"),
        ("protected-areas/?geometry=maybe", "geometry"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(api, records, path, parameter):
    response = api.get(f"/api/v1/{path}")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_filter"
    assert body["parameter"] == parameter
    assert body["message"]


# Cursor pages


def walk_pages(api, url: str) -> list[str]:
    seen = []
    while url:
        response = api.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    return seen


@pytest.mark.parametrize(
    ("path", "factory"),
    [
        ("activities", lambda n: ActivityFactory(start_date=datetime.date(2020, 1, 1 + n % 3))),
        ("stories", lambda n: StoryFactory()),  # all published at the same time
        (
            "protected-areas",
            lambda n: ProtectedAreaFactory(name=f"Same name {n // 4}", slug=f"same-name-{n}"),
        ),
    ],
)
def test_cursor_pages_chain_without_duplicates_or_gaps(api, path, factory):
    made = {factory(n).slug for n in range(11)}
    seen = walk_pages(api, f"/api/v1/{path}/?page_size=3")
    assert len(seen) == len(set(seen)) == 11
    assert set(seen) == made
    back = api.get(api.get(f"/api/v1/{path}/?page_size=3").json()["next"]).json()["previous"]
    assert [row["slug"] for row in api.get(back).json()["results"]] == seen[:3]


@pytest.mark.parametrize("position", [["not a date", "1"], ["2020-01-01", "x"], ["2020-01-01"]])
def test_a_made_up_cursor_is_400(api, records, position):
    cursor = base64.b64encode(urlencode({"p": json.dumps(position)}).encode()).decode()
    response = api.get("/api/v1/activities/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["parameter"] == "cursor"


def test_page_size_defaults_to_50_and_stops_at_200(api, db):
    for n in range(201):
        ProtectedAreaFactory(name=f"Area {n:03}")
    assert len(api.get("/api/v1/protected-areas/").json()["results"]) == 50
    assert len(api.get("/api/v1/protected-areas/?page_size=500").json()["results"]) == 200


def test_every_list_is_a_cursor_page(api, records):
    for endpoint in ENDPOINTS:
        body = api.get(f"/api/v1/{endpoint.path}/").json()
        assert set(body) == {"next", "previous", "results"}


GARBAGE = ["\x00", "x" * 5000, "-1", "1e309", "%", "'; select", "２０２０"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_garbage_in_any_parameter_is_never_a_500(api, records, endpoint, settings):
    settings.API_RATE_LIMITS = {"address": "10000/minute", "token": "10000/minute"}
    viewset = next(view for prefix, view, _name in router.registry if prefix == endpoint.path)
    filterset = getattr(viewset, "filterset_class", None)
    parameters = [*(filterset.base_filters if filterset else ()), "lang", "cursor", "page_size"]
    for parameter in parameters:
        for value in GARBAGE:
            response = api.get(f"/api/v1/{endpoint.path}/", {parameter: value})
            assert response.status_code in {200, 400}, (parameter, value)
            if response.status_code == 400:
                assert response.json()["parameter"] == parameter
