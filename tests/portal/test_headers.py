"""Production headers and cookies: what a browser gets from the portal behind its TLS proxy.

Production settings are computed when the settings module is imported with
DJANGO_DEBUG=false, so they are read from a manage.py process started that way (as in
test_settings.py); the responses are then made here with those values, over HTTPS.
"""

import json

import pytest
from django.test import Client, override_settings

from tests.factories import StoryFactory
from tests.portal.test_settings import STRONG_KEY, manage

pytestmark = pytest.mark.django_db

# The settings that shape headers and cookies; read from production mode.
HEADER_SETTINGS = [
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CROSS_ORIGIN_RESOURCE_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
]
ONE_YEAR = 31_536_000


@pytest.fixture(scope="module")
def production_settings() -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {HEADER_SETTINGS!r}}}))"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="apap.example.org",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(production_settings):
    with override_settings(**production_settings):
        yield production_settings


@pytest.fixture
def https():
    """A browser reaching the portal through the TLS proxy."""
    return Client(headers={"X-Forwarded-Proto": "https"})


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_content_security_policy_allows_no_inline_script_nor_framing(production, https):
    response = https.get("/")

    policy = csp_directives(response["Content-Security-Policy"])
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert "*" not in scripts
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_hsts_holds_a_year_and_covers_subdomains(production, https):
    hsts = https.get("/")["Strict-Transport-Security"]

    directives = [part.strip() for part in hsts.split(";")]
    max_age = int(next(part for part in directives if part.startswith("max-age="))[8:])
    assert max_age >= ONE_YEAR
    assert "includeSubDomains" in directives


def test_every_page_forbids_sniffing_framing_and_leaking_referrers(production, https):
    response = https.get("/knowledge/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/protected-areas/map.geojson", "/activities/calendar.ics"])
def test_nothing_the_portal_serves_may_be_embedded_by_another_site(production, https, url):
    response = https.get(url)
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_static_files_may_not_be_embedded_by_another_site(settings):
    """WhiteNoise answers before the views: the header is added around it."""
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_uploads_may_not_be_embedded_by_another_site(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SENDFILE_ROOT = str(tmp_path)
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "forest.jpg").write_bytes(b"\xff\xd8\xff\xe0 a forest")
    StoryFactory(image="stories/forest.jpg")
    response = client.get("/media/stories/forest.jpg")
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_plain_http_is_sent_to_https_except_the_health_check(production):
    plain = Client()

    redirect = plain.get("/about/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/about/"
    assert plain.get("/healthz").status_code == 200


def test_the_csrf_cookie_is_secure_and_same_site(production, https):
    response = https.get("/accounts/login/")

    cookie = response.cookies["csrftoken"]
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"


def test_the_session_cookie_is_secure_http_only_and_same_site(production, https, member):
    response = https.post(
        "/accounts/login/", {"username": "minh", "password": "a long passphrase for tests"}
    )

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_development_cookies_work_over_plain_http():
    """Intended to show that the secure flags above come from production mode."""
    response = Client().get("/accounts/login/")

    assert not response.cookies["csrftoken"]["secure"]
