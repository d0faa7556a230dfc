"""deploy/nginx/apap-portal.conf: valid for nginx, and in step with the portal's settings."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.base import ContentFile

from apap_portal import media, uploads
from apap_portal.downloads import GEOJSON_CONTENT_TYPE
from tests.deploy.commands import ROOT, SERVER_CHECKOUT, gunicorn_settings
from tests.deploy.nginx import (
    block,
    directives,
    nginx_binary,
    nginx_seconds,
    nginx_size,
    nginx_test,
    site_text,
    wrapped,
)


def test_nginx_accepts_the_site(tmp_path):
    nginx_binary()
    result = nginx_test(tmp_path, wrapped(tmp_path, site_text()))

    assert result.returncode == 0, result.stderr


def test_nginx_test_refuses_a_broken_site(tmp_path):
    """The test above can fail: a misspelt directive is refused."""
    nginx_binary()
    broken = site_text().replace("client_max_body_size", "client_max_bodysize")

    result = nginx_test(tmp_path, wrapped(tmp_path, broken))

    assert result.returncode != 0
    assert "client_max_bodysize" in result.stderr


def test_every_upload_the_portal_accepts_passes_nginx():
    """A 25 MB document and its form's other fields reach the portal, whose form says what
    is too large; nginx's bare 413 is only for bodies larger than that."""
    (limit,) = directives(site_text(), "client_max_body_size")

    assert nginx_size(limit) >= uploads.UPLOAD_MAX_BYTES + uploads.FORM_FIELDS_MAX_BYTES
    # …and not far more: nginx still refuses what the portal would read only to refuse.
    assert nginx_size(limit) <= 2 * (uploads.UPLOAD_MAX_BYTES + uploads.FORM_FIELDS_MAX_BYTES)


def test_nginx_proxies_to_gunicorn_and_waits_longer_than_gunicorn_does():
    site = site_text()
    gunicorn = gunicorn_settings(["--config", "gunicorn.conf.py", "apap_portal.wsgi"])

    assert directives(block(site, "upstream apap_portal"), "server") == gunicorn.bind
    (read_timeout,) = directives(site, "proxy_read_timeout")
    assert nginx_seconds(read_timeout) > gunicorn.timeout


def test_the_proxy_tells_the_portal_the_scheme_the_client_and_the_host():
    headers = directives(site_text(), "proxy_set_header")

    assert "X-Forwarded-Proto $scheme" in headers
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in headers
    assert "Host $host" in headers


def test_protected_files_are_sent_from_media_root_with_the_portals_headers():
    site = site_text()
    internal = block(site, f"location {settings.SENDFILE_URL}/")

    assert re.search(r"^\s*internal;", internal, re.M)  # nobody may ask for it directly
    assert directives(internal, "alias") == ["/srv/apap/media/"]
    headers = directives(internal, "add_header")
    assert f'Content-Security-Policy "{media.MEDIA_CSP}" always' in headers
    assert f'Cache-Control "{media.MEDIA_CACHE_CONTROL}" always' in headers
    assert "X-Content-Type-Options nosniff always" in headers
    assert (
        f"Cross-Origin-Resource-Policy {settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY} always"
        in (headers)
    )
    # Every /media/ request goes through the portal's check first.
    assert directives(block(site, "location /media/"), "proxy_pass") == ["http://apap_portal"]


def test_the_readme_nginx_section_is_what_the_site_says():
    readme = (ROOT / "README.md").read_text()
    snippet = readme.split("```nginx\n", 1)[1].split("```", 1)[0]
    site = {" ".join(line.split()) for line in site_text().splitlines()}

    for line in snippet.splitlines():
        directive = " ".join(line.split("#", 1)[0].split())
        if directive and directive not in {"}", "{"}:
            assert directive in site, f"README's {directive!r} is not in the nginx site"


def test_static_files_come_from_static_root_and_hashed_names_are_cached_for_a_year():
    site = site_text()
    static = block(site, f"location {settings.STATIC_URL}")
    alias = directives(static, "alias")[0]

    assert alias.replace(SERVER_CHECKOUT, str(ROOT)) == f"{settings.STATIC_ROOT}/"
    (pattern,) = re.findall(r'location ~ "([^"]+)"', static)
    storage = ManifestStaticFilesStorage(location=str(ROOT / "static"))
    hashed = storage.hashed_name("css/site.css", content=ContentFile(b"body {}"))
    assert re.search(pattern, hashed)
    assert not re.search(pattern, "css/site.css")
    immutable = block(static, f'location ~ "{pattern}"')
    assert 'Cache-Control "public, max-age=31536000, immutable" always' in directives(
        immutable, "add_header"
    )


@pytest.mark.parametrize(
    "content_type",
    [GEOJSON_CONTENT_TYPE, "application/json", "text/css", "application/javascript"],
)
def test_html_json_geojson_css_and_javascript_are_compressed(content_type):
    site = site_text()

    assert directives(site, "gzip") == ["on"]  # text/html is always among gzip_types
    (types,) = directives(site, "gzip_types")
    assert content_type in types.split()
