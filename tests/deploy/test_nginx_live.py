"""The nginx site, served: an nginx of our own on free loopback ports, in front of a stand-in
for gunicorn that answers as the portal does (an X-Accel-Redirect for a file it allows,
GeoJSON, HTML). What a visitor's browser would see, short of the portal itself."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apap_portal import media, uploads
from apap_portal.replicas.cluster import free_port
from tests.deploy.nginx import HOST, nginx_binary, site_text, wrapped

MB = 1024 * 1024
PDF = b"%PDF-1.7\n" + b"0" * 4000
GEOJSON = json.dumps(
    {"type": "FeatureCollection", "features": [{"type": "Feature", "id": i} for i in range(200)]}
).encode()
HTML = b"<!doctype html><title>APAP</title>" + b"<p>Protected areas of Asia.</p>" * 200


class Portal(BaseHTTPRequestHandler):
    """Answers as the portal would; remembers the headers nginx sent it."""

    seen: list[dict[str, str]]

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: bytes, content_type: str, **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.seen.append({"path": self.path, **dict(self.headers)})
        if self.path == "/media/resources/report.pdf":
            # What apap_portal.media answers with MEDIA_SERVER=nginx to a visitor it allows.
            self.answer(
                200,
                b"",
                "application/pdf",
                X_Accel_Redirect="/protected-media/resources/report.pdf",
                Content_Disposition='attachment; filename="Report.pdf"',
            )
        elif self.path == "/protected-areas/map.geojson":
            self.answer(200, GEOJSON, "application/geo+json")
        elif self.path.startswith("/protected-media/"):
            self.answer(200, b"the portal was asked for a protected file", "text/plain")
        else:
            self.answer(200, HTML, "text/html; charset=utf-8")

    def do_POST(self):
        self.seen.append({"path": self.path, **dict(self.headers)})
        received = len(self.rfile.read(int(self.headers["Content-Length"])))
        self.answer(200, str(received).encode(), "text/plain")


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"the site no longer says {old!r}: update this test"
    return text.replace(old, new)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """nginx with the site, on loopback ports, before the stand-in; torn down afterwards."""
    nginx = nginx_binary()
    prefix = tmp_path_factory.mktemp("nginx")
    media_root, static_root = prefix / "media", prefix / "staticfiles"
    (media_root / "resources").mkdir(parents=True)
    (media_root / "resources" / "report.pdf").write_bytes(PDF)
    (static_root / "css").mkdir(parents=True)
    stylesheet = b"body { color: #123; }\n" * 100
    (static_root / "css" / "site.0123456789ab.css").write_bytes(stylesheet)
    (static_root / "css" / "site.0123456789ab.css.gz").write_bytes(gzip.compress(stylesheet))
    (static_root / "robots.txt").write_text("User-agent: *\n")

    Portal.seen = []
    portal = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    site = site_text()
    site = replaced(site, "listen [::]:80;", "")
    site = replaced(site, "listen [::]:443 ssl http2;", "")
    site = replaced(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replaced(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = replaced(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{portal.server_port};")
    site = replaced(site, "alias /srv/apap/media/;", f"alias {media_root}/;")
    site = replaced(site, "alias /srv/apap/portal/staticfiles/;", f"alias {static_root}/;")
    configuration = wrapped(prefix, site, as_root=os.geteuid() == 0)
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(configuration), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield {"http": http_port, "https": https_port, "certificate": prefix / "certificate.pem"}
    finally:
        process.terminate()
        process.wait(timeout=30)
        portal.shutdown()
        portal.server_close()


def https(served) -> http.client.HTTPSConnection:
    context = ssl.create_default_context(cafile=str(served["certificate"]))
    context.check_hostname = False  # our certificate, checked; its name is the portal's
    return http.client.HTTPSConnection("127.0.0.1", served["https"], context=context, timeout=30)


def get(connection, path, **headers) -> tuple[http.client.HTTPResponse, bytes]:
    named = {name.replace("_", "-"): value for name, value in headers.items()}
    connection.request("GET", path, headers={"Host": HOST, **named})
    response = connection.getresponse()
    return response, response.read()


def test_plain_http_is_sent_to_https_except_the_health_check(served):
    plain = http.client.HTTPConnection("127.0.0.1", served["http"], timeout=30)

    response, _ = get(plain, "/activities/?page=2")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/activities/?page=2"

    response, _ = get(plain, "/healthz")
    assert response.status == 200
    assert Portal.seen[-1]["X-Forwarded-Proto"] == "http"


def test_the_portal_is_told_the_scheme_the_host_and_the_client(served):
    response, _ = get(
        https(served), "/about/", X_Forwarded_Proto="http", X_Forwarded_For="203.0.113.9"
    )

    assert response.status == 200
    request = Portal.seen[-1]
    assert request["X-Forwarded-Proto"] == "https"  # whatever the client claimed
    assert request["Host"] == HOST
    # The client's claim stays on the left; the address nginx saw is the right-most.
    assert request["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"


@pytest.mark.parametrize(
    ("path", "body"), [("/about/", HTML), ("/protected-areas/map.geojson", GEOJSON)]
)
def test_html_and_geojson_are_compressed(served, path, body):
    response, content = get(https(served), path, Accept_Encoding="gzip")

    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(content) == body
    assert len(content) < len(body) / 4


def test_a_file_the_portal_allows_is_sent_by_nginx_with_the_portals_headers(served):
    response, content = get(https(served), "/media/resources/report.pdf")

    assert response.status == 200
    assert content == PDF
    assert response.getheader("Content-Disposition") == 'attachment; filename="Report.pdf"'
    assert response.getheader("Content-Security-Policy") == media.MEDIA_CSP
    assert response.getheader("Cache-Control") == media.MEDIA_CACHE_CONTROL
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Accel-Redirect") is None


def test_nobody_reads_protected_files_without_the_portal(served):
    response, content = get(https(served), "/protected-media/resources/report.pdf")

    assert response.status == 404
    assert PDF not in content


def test_static_files_with_hashed_names_are_cached_for_a_year_and_sent_compressed(served):
    connection = https(served)

    response, content = get(connection, "/static/css/site.0123456789ab.css", Accept_Encoding="gzip")
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("Content-Encoding") == "gzip"  # WhiteNoise's .gz, as it is
    assert gzip.decompress(content).startswith(b"body { color: #123; }")

    response, _ = get(connection, "/static/robots.txt")
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=60"


def test_the_largest_upload_the_portal_accepts_reaches_it_and_a_larger_body_does_not(served):
    largest = uploads.UPLOAD_MAX_BYTES + uploads.FORM_FIELDS_MAX_BYTES
    connection = https(served)

    connection.request("POST", "/upload/", body=b"x" * largest, headers={"Host": HOST})
    response = connection.getresponse()
    assert (response.status, response.read()) == (200, str(largest).encode())

    # A body announced past nginx's limit is refused before a byte of it is read.
    connection = https(served)
    connection.putrequest("POST", "/upload/", skip_host=True)
    connection.putheader("Host", HOST)
    connection.putheader("Content-Length", str(40 * MB))
    connection.endheaders()
    assert connection.getresponse().status == 413
