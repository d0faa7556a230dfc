"""Hostile hosts: a request naming a host the portal does not serve gets a 400 page.

In production the portal answers only to DJANGO_ALLOWED_HOSTS. A request with another
`Host` (a scanner, a load balancer probing by IP) must get the portal's own 400 page on
every URL, never a server error: nothing may ask for the host again while answering.
"""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/healthz",
    "/",
    "/vi/about/",
    "/protected-areas/map.geojson",
    "/activities/calendar.ics",
    "/sitemap.xml",
    "/feeds/stories/",
    "/search/?q=tiger",
    "/no-such-page/",
    "/admin/",
]


@pytest.fixture
def production(settings):
    settings.ALLOWED_HOSTS = ["apap.example.org", "apap-internal"]
    settings.PAGE_CACHE_SECONDS = 60
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]


@pytest.mark.parametrize("url", URLS)
def test_a_host_not_allowed_gets_the_400_page_everywhere(client, production, url):
    client.raise_request_exception = False
    for secure in (False, True):
        response = client.get(url, HTTP_HOST="evil.example", secure=secure)
        assert response.status_code == 400, (url, secure)
        assert '<div class="narrow error-page">' in response.text  # the portal's own page
        assert "400" in response.text


def test_the_400_page_names_no_host(client, production):
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="evil.example", secure=True)
    assert "evil.example" not in response.text
    assert '<nav class="site-nav"' in response.text


def test_the_load_balancer_reaches_the_health_check_by_its_internal_name(client, production):
    """Plain HTTP, by a name listed in DJANGO_ALLOWED_HOSTS (see the README)."""
    response = client.get("/healthz", HTTP_HOST="apap-internal")
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_a_refused_host_is_one_line_in_the_log(client, production):
    """A load balancer probing by IP every few seconds must not fill the log with tracebacks."""
    import io
    import logging

    from apap_portal.errors import OneLineFailureFilter

    [console] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, OneLineFailureFilter) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        client.raise_request_exception = False
        client.get("/healthz", HTTP_HOST="10.0.0.7")
    finally:
        console.setStream(previous)

    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "Invalid HTTP_HOST header: '10.0.0.7'" in lines[0]
