"""The OpenAPI description validates; the documentation page works under our CSP."""

import re

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from tests.api.conftest import ENDPOINTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def description(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/")
    return response.json()


def test_the_openapi_description_is_valid(description):
    validate(description)  # raises on an invalid OpenAPI 3 document
    assert description["openapi"].startswith("3.")


def test_it_describes_every_endpoint_its_filters_and_the_token(description):
    for endpoint in ENDPOINTS:
        assert f"/api/v1/{endpoint.path}/" in description["paths"]
    activities = description["paths"]["/api/v1/activities/"]["get"]
    parameters = {parameter["name"] for parameter in activities["parameters"]}
    assert {
        "year",
        "kind",
        "country",
        "work_area",
        "q",
        "cursor",
        "page_size",
        "lang",
    } <= parameters
    responses = activities["responses"]
    assert set(responses) == {"200", "400", "401", "429"}
    bad_filter = responses["400"]["content"]["application/json"]["schema"]
    assert bad_filter == {"$ref": "#/components/schemas/Error"}
    assert {"error", "parameter", "message"} == set(
        description["components"]["schemas"]["Error"]["properties"]
    )
    record = description["paths"]["/api/v1/activities/{slug}/"]["get"]["responses"]
    assert "404" in record
    schemes = description["components"]["securitySchemes"]
    assert schemes["memberToken"] == {**schemes["memberToken"], "type": "http", "scheme": "bearer"}


def test_the_root_names_the_description_and_the_documentation(api):
    root = api.get("/api/v1/").json()
    assert root["openapi"] == "http://testserver/api/v1/openapi.json"
    assert root["docs"] == "http://testserver/api/v1/docs/"


def test_the_documentation_is_served_from_our_static_files_without_inline_script(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    assert all('src="/static/' in attributes and not body.strip() for attributes, body in scripts)
    assert ' style="' not in page
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', page):
        assert finders.find(path), path  # in our static files, not on a CDN
    assert 'data-schema-url="/api/v1/openapi.json"' in page
