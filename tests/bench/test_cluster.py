"""The cluster benchmark's own parts (bench/cluster.py): the balancer's configuration, what
is read from wrk and from HAProxy's log, and the form a browser would submit. The
benchmark itself (two gunicorns, HAProxy, wrk) is `make bench-cluster`, not a test."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading

import pytest

from bench import cluster

SERVERS = [cluster.Server("appA", 8101), cluster.Server("appB", 8102)]


def test_the_balancer_retries_reads_on_the_other_server_and_never_a_post(tmp_path):
    config = cluster.haproxy_config(8100, SERVERS, 3, str(tmp_path / "haproxy.sock"))

    assert "bind 127.0.0.1:8100" in config
    assert "retry-on all-retryable-errors" in config
    assert "option redispatch 1" in config
    assert "http-request disable-l7-retry unless METH_GET" in config
    # A dead server's backlog holds no request: each server takes as many as it has workers.
    assert "maxconn 3" in config
    assert "server appA 127.0.0.1:8101" in config
    assert "server appB 127.0.0.1:8102" in config
    assert "uri /healthz" in config


@pytest.mark.skipif(cluster.haproxy_binary() is None, reason="HAProxy is not installed")
def test_haproxy_accepts_the_configuration(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(cluster.haproxy_config(8100, SERVERS, 2, str(tmp_path / "haproxy.sock")))

    checked = subprocess.run(
        [cluster.haproxy_binary(), "-c", "-f", str(path)], capture_output=True, text=True
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "[WARNING]" not in checked.stdout + checked.stderr


def test_wrk_summary_counts_every_kind_of_failure():
    output = (
        "Running 10s test @ http://127.0.0.1:8100/\n  2 threads and 8 connections\n"
        '{"requests": 500, "seconds": 10.0, "p50_ms": 12.5, "p95_ms": 40.25, "p99_ms": 80.0, '
        '"connect": 1, "read": 2, "write": 0, "status": 3, "timeout": 1}\n'
    )

    load = cluster.parse_wrk(output)

    assert load.rps == 50.0
    assert load.p95_ms == 40.25
    assert load.failed == 7


def test_wrk_without_its_summary_is_an_error():
    with pytest.raises(ValueError, match="no summary"):
        cluster.parse_wrk("Running 10s test\n")


class Answers(http.server.BaseHTTPRequestHandler):
    """200 on /, 503 anywhere else."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 200 if self.path == "/" else 503
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_reports_the_95th_percentile_and_the_failed_answers(server):
    served = cluster.wrk(f"{server}/", 1, 1, 2)
    failing = cluster.wrk(f"{server}/missing", 1, 1, 2)

    assert served.requests > 0
    assert served.failed == 0
    assert served.p50_ms <= served.p95_ms <= served.p99_ms
    assert failing.requests > 0
    assert failing.status == failing.requests


LOG = """\
127.0.0.1:50000 [05/Dec/2026:13:10:00.001] portal app_servers/appA 0/0/0/31/31 200 51234 - - ---- 8/8/2/1/0 0/0 "GET /knowledge/best-practices/ HTTP/1.1"
127.0.0.1:50001 [05/Dec/2026:13:10:00.002] portal app_servers/appB 0/0/0/35/37 200 51234 - - ---- 8/8/2/1/+1 0/0 "GET /knowledge/best-practices/ HTTP/1.1"
127.0.0.1:50002 [05/Dec/2026:13:10:00.003] portal app_servers/appA 0/0/-1/-1/3001 503 217 - - SC-- 8/8/2/0/3 0/0 "GET /knowledge/best-practices/ HTTP/1.1"
127.0.0.1:50003 [05/Dec/2026:13:10:09.999] portal portal/<NOSRV> -1/-1/-1/-1/0 400 0 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>"
"""  # noqa: E501 (HAProxy's lines as it writes them)


def test_the_log_tells_retried_failed_and_unused_connections_apart():
    summary = cluster.summarize_log(LOG)

    assert summary["statuses"] == {"200": 2, "503": 1}
    assert summary["servers"] == {"appA": 2, "appB": 1}
    assert summary["retried"] == 2
    assert len(summary["abnormal"]) == 1
    assert "SC--" in summary["abnormal"][0]
    assert summary["closed_unused"] == 1


def test_stats_are_read_by_backend_and_server():
    csv_text = (
        "# pxname,svname,qcur,stot,wretr,wredis,status\n"
        "app_servers,appA,0,120,0,0,DOWN\n"
        "app_servers,BACKEND,0,240,3,4,UP\n"
    )

    stats = cluster.parse_stats(csv_text)

    assert stats["app_servers/appA"]["status"] == "DOWN"
    assert stats["app_servers/BACKEND"]["wretr"] == "3"


FORM = """
<form role="search" action="/search/"><input name="q" value="ignored"></form>
<form method="post" id="bestpractice_form" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="token-1">
  <input type="text" name="title" value="Mangroves &amp; people">
  <input type="checkbox" name="is_featured">
  <input type="checkbox" name="published" checked>
  <input type="file" name="cover_image">
  <input type="text" name="locked" value="x" disabled>
  <select name="status"><option value="draft">Draft</option>
    <option value="published" selected>Published</option></select>
  <select name="language"><option value="en">English</option><option value="vi">Vietnamese</option></select>
  <select name="themes" multiple><option value="1" selected>A</option><option value="2">B</option>
    <option value="3" selected>C</option></select>
  <textarea name="summary">
First line
second line</textarea>
  <input type="submit" name="_save" value="Save">
</form>
"""  # noqa: E501


def test_the_form_is_submitted_as_a_browser_would():
    fields = cluster.form_fields(FORM, "bestpractice_form")

    assert fields == [
        ("csrfmiddlewaretoken", "token-1"),
        ("title", "Mangroves & people"),
        ("published", "on"),
        ("status", "published"),
        ("language", "en"),  # none selected: the first
        ("themes", "1"),
        ("themes", "3"),
        ("summary", "First line\nsecond line"),
    ]


def test_a_field_is_replaced_and_a_missing_one_is_an_error():
    fields = [("title", "Old"), ("slug", "old")]

    assert cluster.replace_field(fields, "title", "New") == [("title", "New"), ("slug", "old")]
    with pytest.raises(KeyError):
        cluster.replace_field(fields, "name", "New")


def test_the_csrf_token_is_found_in_any_form():
    assert cluster.csrf_token(FORM) == "token-1"
    with pytest.raises(ValueError, match="no CSRF token"):
        cluster.csrf_token("<form><input name='q'></form>")


def test_reads_are_said_to_be_on_the_standby_only_when_it_served_them():
    assert cluster.reads_on({"primary": 300, "standby": 12_000}, None).startswith("the hot standby")
    # DATABASE_REPLICA_URLS set, but a checkout without the router reads the primary.
    assert "not used" in cluster.reads_on({"primary": 5_000, "standby": 3}, None)
    assert cluster.reads_on({"primary": 5_000}, "--no-replica") == "the primary (--no-replica)"


def row(failed: int) -> dict:
    return {
        "page": "/knowledge/best-practices/",
        "target": "HAProxy",
        "public": {"failed": failed},
        "rendered": {"failed": 0},
    }


def test_every_lost_request_stale_page_and_unsent_email_is_a_miss():
    seen = {"edited_on": "A", "read_on": "B", "seen_on_first_request": True}
    stale = {"edited_on": "B", "read_on": "A", "seen_on_first_request": False}
    queue = {"sent": {"A": True, "B": False}}
    kill = {"failed": 2}

    assert cluster.misses([seen], {"sent": {"A": True, "B": True}}, {"failed": 0}, [row(0)]) == []
    found = cluster.misses([seen, stale], queue, kill, [row(1)])
    assert found == [
        "the edit on B was not seen on A at once",
        "/knowledge/best-practices/ via HAProxy: 1 failed requests",
        "the email enqueued on B was not sent by the worker",
        "the kill lost 2 requests",
    ]
