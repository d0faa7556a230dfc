"""Rate limits (per address without a token, per token with one) and CORS on /api/ only."""

import pytest
from django.core.cache import cache

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
# The counts live in the portal's cache: `make test` runs these again with Redis.
counted_in_the_cache = pytest.mark.cache


@pytest.fixture
def limits(settings):
    """The default limits (settings.API_RATE_LIMITS, from the environment), a clean count."""
    settings.API_RATE_LIMITS = {"address": "60/minute", "token": "100/minute"}
    cache.clear()
    return settings.API_RATE_LIMITS


@counted_in_the_cache
def test_the_61st_request_of_a_minute_from_one_address_is_429(api, limits):
    for _n in range(60):
        assert api.get("/api/v1/work-areas/").status_code == 200
    response = api.get("/api/v1/work-areas/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["error"] == "throttled"
    # Another address is counted apart.
    assert api.get("/api/v1/work-areas/", REMOTE_ADDR="192.0.2.7").status_code == 200


@counted_in_the_cache
def test_the_limit_is_configurable(api, limits, settings):
    settings.API_RATE_LIMITS = {**limits, "address": "2/minute"}
    assert api.get("/api/v1/stories/").status_code == 200
    assert api.get("/api/v1/stories/").status_code == 200
    assert api.get("/api/v1/stories/").status_code == 429


@counted_in_the_cache
def test_a_token_has_its_own_larger_limit(api, limits, token):
    for _n in range(60):
        api.get("/api/v1/work-areas/")
    assert api.get("/api/v1/work-areas/").status_code == 429
    for _n in range(100):
        assert api.get("/api/v1/work-areas/", **bearer(token)).status_code == 200
    response = api.get("/api/v1/work-areas/", **bearer(token))
    assert response.status_code == 429
    assert "Retry-After" in response


def test_cors_lets_any_site_read_the_api(api, records):
    response = api.get("/api/v1/stories/", HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        "/api/v1/stories/",
        HTTP_ORIGIN="https://data.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    allowed = preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")
    assert set(allowed) == {"GET", "HEAD", "OPTIONS"}
    assert "authorization" in preflight["Access-Control-Allow-Headers"]


def test_cors_is_for_the_api_only(api, records):
    response = api.get("/stories/", HTTP_ORIGIN="https://data.example.org")
    assert "Access-Control-Allow-Origin" not in response
