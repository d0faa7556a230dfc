"""Every endpoint answers, its list and its records; the root lists them."""

import pytest

from tests.api.conftest import ENDPOINTS, Endpoint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_each_list_and_record_answers(api, records, endpoint: Endpoint):
    listed = api.get(f"/api/v1/{endpoint.path}/")
    assert listed.status_code == 200
    assert listed["Content-Type"] == "application/json"
    body = listed.json()
    assert body["results"], "the list holds the public record"
    record = api.get(f"/api/v1/{endpoint.path}/{endpoint.public}/")
    assert record.status_code == 200
    data = record.json()
    assert data["url"].startswith("http://testserver/")
    assert data["language"] == "en"
    assert data["translations"] == ["en"]


def test_the_root_lists_every_endpoint(api):
    root = api.get("/api/v1/")
    assert root.status_code == 200
    listed = root.json()
    for endpoint in ENDPOINTS:
        assert listed[endpoint.path] == f"http://testserver/api/v1/{endpoint.path}/"


def test_an_unknown_record_is_404_in_json(api, records):
    response = api.get("/api/v1/stories/no-such-story/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "path", ["stories/%00/", "organizations/a%00b/", "gbf-targets/99/", "countries/ZZZ/"]
)
def test_a_record_that_cannot_exist_is_404(api, records, path):
    assert api.get(f"/api/v1/{path}").status_code == 404
