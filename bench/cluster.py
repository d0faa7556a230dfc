"""Two app servers, one cache, one queue, behind a load balancer (issue 20, point 3).

    make bench-cluster                      # or:
    DATABASE_URL=postgres://…/apap_portal_cluster \\
        .venv/bin/python -m bench.cluster [--rows 2000] [--redis-url redis://127.0.0.1:6379/12]

1. The data: a primary and a hot standby of their own (apap_portal.replicas.cluster, in a
   temporary folder, on free ports) when this machine can run them, else the database of
   DATABASE_URL (its name must contain "cluster"); migrated, and filled by
   generate_scale_data with `--rows` rows a table.
2. Two gunicorn instances (gunicorn.conf.py, production settings) on free loopback ports,
   sharing the Redis database of `--redis-url` (emptied first: it is the benchmark's) as
   their cache, the task queue (django-tasks-db, in the primary), and the standby for
   their reads (DATABASE_REPLICA_URLS) when there is one.
3. HAProxy (Debian's package) in front of both, its configuration written to a temporary
   folder: health checks on /healthz, and a GET that fails on one server (connection
   refused or dropped, an empty answer, a 5xx) is sent again to the other.
4. wrk (with bench/wrk_summary.lua for the 95th percentile): requests per second and p95
   of the best-practice list, a best practice and a search, against one instance directly
   and through the balancer to both; as the public sends them (the page cache) and each
   rendered: an anonymous visitor whose request the page cache does not answer (the first
   after an edit), which reads from the standby; a session cookie would keep the page
   cache away too, but a session reads from the primary (apap_portal.replicas).
5. An edit through one instance seen through the other at once: a staff member signs in
   and changes a best practice's title in the admin's change form (a real POST, with the
   CSRF token and the session cookie) on instance A; the next anonymous request of its
   page on instance B, whose page cache held the old title, shows the new one. Then the
   other way round, which also puts the title back.
6. One queue: a subscription posted on each instance enqueues its confirmation email
   (django-tasks-db, in the primary); one `manage.py db_worker`, started for this, must
   send both (to memory: there is no mail server here).
7. One instance killed (SIGKILL to its master and workers) in the middle of a wrk run
   through the balancer: every GET must still be answered 2xx (HAProxy's retries and
   redispatch); HAProxy's own count of the requests it retried says that some were, and
   its log names any request that did not end normally.
8. Prints the tables; writes bench/results/cluster.json (not committed). Exit status 1
   when the edit was not seen at once, an email was not sent, or a request failed.

Everything started is stopped at the end, the staff account and the emails deleted, the
Redis database emptied. Runs nothing outside loopback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from apap_portal.replicas.cluster import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_FILE = BASE_DIR / "bench" / "results" / "cluster.json"
WRK_SCRIPT = BASE_DIR / "bench" / "wrk_summary.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/apap_portal_cluster"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
STAFF_USERNAME = "bench-cluster-staff"
# The pages of the table, by their name in bench/pages.py.
PAGE_NAMES = ("best-practices", "best-practice-detail", "search-common")
# A request that skips the whole-page cache and stays anonymous: a `messages` cookie
# (apap_portal.caching.pages.PERSONAL_COOKIES) that holds no message, and no session.
RENDERED_ANONYMOUS = "Cookie: messages=bench-cluster"
# When the kill happens within the wrk run of the kill test (a share of its duration).
KILL_AT = 0.4


# ---------------------------------------------------------------------------------------
# The balancer's configuration


@dataclass(frozen=True)
class Server:
    name: str
    port: int


def haproxy_config(port: int, servers: list[Server], workers: int, stats_socket: str) -> str:
    """HAProxy's configuration: `port` on loopback, balanced over `servers`.

    `maxconn` per server is its number of sync workers, so that waiting requests wait in
    HAProxy's queue, not in a dead server's listen backlog: when a server dies, only the
    requests it was serving are lost with it, and those are GETs that HAProxy sends again.
    """
    lines = [
        "global",
        "    maxconn 512",
        # One line a request on standard output, which the benchmark writes to a file.
        "    log stdout format raw local0",
        f"    stats socket {stats_socket} mode 600 level user",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    timeout connect 2s",
        "    timeout client 120s",
        "    timeout server 120s",
        "    timeout queue 120s",
        "    timeout http-request 10s",
        "",
        "frontend portal",
        f"    bind 127.0.0.1:{port}",
        "    default_backend app_servers",
        "",
        "backend app_servers",
        "    balance leastconn",
        "    option httpchk",
        "    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1",
        "    http-check expect status 200",
        # A refused connection, a dropped one, an empty answer or a 5xx: up to three more
        # tries, each on another server (redispatch 1), as long as a server is up.
        "    retries 3",
        "    option redispatch 1",
        "    retry-on all-retryable-errors",
        # A POST may have been applied before its server died: only reads are sent again.
        "    http-request disable-l7-retry unless METH_GET",
        # Marked down at its first refused connection, not after two failed checks.
        f"    default-server check inter 1s fall 2 rise 2 observe layer4 error-limit 1"
        f" on-error mark-down maxconn {workers}",
        *(f"    server {server.name} 127.0.0.1:{server.port}" for server in servers),
        "",
    ]
    return "\n".join(lines)


def haproxy_binary() -> str | None:
    """HAProxy on PATH, else where Debian puts it (/usr/sbin is not on every user's PATH)
    or HAPROXY_PATH says (as scripts/install-system-packages looks for it)."""
    elsewhere = os.environ.get("HAPROXY_PATH") or "/usr/sbin/haproxy"
    return shutil.which("haproxy") or shutil.which(elsewhere)


def parse_stats(csv_text: str) -> dict[str, dict[str, str]]:
    """HAProxy's `show stat` CSV, as {"backend/server": {column: value}}."""
    lines = [line for line in csv_text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("# "):
        return {}
    header = lines[0][2:].split(",")
    rows = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        rows[f"{row['pxname']}/{row['svname']}"] = row
    return rows


# HAProxy's HTTP log line: … be/server Tr/Tw/Tc/Tr/Ta status bytes - - tstate
# actconn/feconn/beconn/srv_conn/retries queues "request"; retries is "+N" when redispatched.
LOG_LINE = re.compile(
    r" (?P<backend>[\w-]+)/(?P<server><[\w-]+>|[\w-]+) [-\d]+/[-\d]+/[-\d]+/[-\d]+/\+?\d+ "
    r"(?P<status>-?\d+) \+?\d+ \S+ \S+ (?P<state>\S{4}) "
    r"\d+/\d+/\d+/\d+/(?P<retries>\+?\d+) \d+/\d+ \"(?P<request>[^\"]*)\""
)


def summarize_log(text: str) -> dict:
    """What HAProxy's log says of the requests: answers by status and by server, those
    retried, and those that did not end normally (termination state other than ----).

    A connection the load generator closes at its end, before sending a request, is
    logged as a bad request the client aborted (`<BADREQ>`, state CR--): no request
    was lost there, so it is counted apart.
    """
    statuses: dict[str, int] = {}
    servers: dict[str, int] = {}
    retried = 0
    closed_unused = 0
    abnormal = []
    for line in text.splitlines():
        found = LOG_LINE.search(line)
        if found is None:
            continue
        if found["request"] == "<BADREQ>" and found["state"].startswith("CR"):
            closed_unused += 1
            continue
        statuses[found["status"]] = statuses.get(found["status"], 0) + 1
        servers[found["server"]] = servers.get(found["server"], 0) + 1
        if found["retries"].lstrip("+") != "0":
            retried += 1
        if found["state"] != "----":
            abnormal.append(line.strip())
    return {
        "statuses": statuses,
        "servers": servers,
        "retried": retried,
        "abnormal": abnormal,
        "closed_unused": closed_unused,
    }


def haproxy_stats(stats_socket: str) -> dict[str, dict[str, str]]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(stats_socket)
        client.sendall(b"show stat\n")
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return parse_stats(b"".join(chunks).decode())


# ---------------------------------------------------------------------------------------
# wrk


@dataclass
class Load:
    """One wrk run: how many requests, how fast, and what failed."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    connect: int = 0
    read: int = 0
    write: int = 0
    status: int = 0  # answers 4xx or 5xx
    timeout: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        """Requests not answered with a success: socket errors and 4xx/5xx answers."""
        return self.connect + self.read + self.write + self.status + self.timeout


def parse_wrk(output: str) -> Load:
    """The JSON line bench/wrk_summary.lua writes last."""
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return Load(**json.loads(line))
    raise ValueError(f"no summary in wrk's output:\n{output[-2000:]}")


def wrk(url: str, seconds: float, threads: int, connections: int, *headers: str) -> Load:
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "60s",
        "-s", str(WRK_SCRIPT),
        *(option for header in headers for option in ("-H", header)),
        url,
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_wrk(completed.stdout)


# ---------------------------------------------------------------------------------------
# A browser, by hand


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Browser:
    """One visitor's requests, with the cookies they were given, to any instance.

    The cookies are kept by hand: production settings mark them Secure, and a cookie
    jar would not send them over loopback's plain HTTP (TLS ends in the proxy in
    front, which this benchmark leaves out). The session lives in PostgreSQL, so the
    same cookie is good on every instance.
    """

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, base: str, method: str, path: str, fields=None) -> Answer:
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {"Host": parts.netloc}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode(fields or [], doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # What a browser sends with a form: Django's CSRF check compares it to the host.
            headers["Origin"] = f"{parts.scheme}://{parts.netloc}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return Answer(response.status, response.headers, text)

    def get(self, base: str, path: str) -> Answer:
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, fields) -> Answer:
        return self.request(base, "POST", path, fields)


class FormFields(HTMLParser):
    """What a browser would submit from a form (by its id, else the page's first):
    checked boxes only, selected options (the first one of a single select when none is),
    textareas without the newline after their opening tag; no file, no button, nothing
    disabled."""

    SKIPPED_TYPES = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._done = False
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self._done:
            self._in_form = self.form_id is None or attributes.get("id") == self.form_id
            return
        if not self._in_form or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in self.SKIPPED_TYPES:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value") or "on"))
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "multiple": "multiple" in attributes,
                "first": None,
                "selected": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attributes.get("value"),
                "text": "",
                "selected": "selected" in attributes,
            }
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
            self._done = True
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            select = self._select
            chosen = select["selected"] or (
                [] if select["multiple"] or select["first"] is None else [select["first"]]
            )
            if not select["multiple"]:
                chosen = chosen[-1:]
            self.fields += [(select["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            # The HTML parser keeps the newline a browser drops after <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.fields.append((self._textarea["name"], text))
            self._textarea = None

    def _close_option(self):
        option = self._option
        value = option["value"] if option["value"] is not None else option["text"].strip()
        if self._select["first"] is None:
            self._select["first"] = value
        if option["selected"]:
            self._select["selected"].append(value)
        self._option = None


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    parser.close()
    return parser.fields


def replace_field(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    if not any(key == name for key, _ in fields):
        raise KeyError(f"the form has no field {name!r}")
    return [(key, value if key == name else old) for key, old in fields]


class HiddenInputs(HTMLParser):
    """Every hidden input of a page, in whichever form it is."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def csrf_token(html: str) -> str:
    parser = HiddenInputs()
    parser.feed(html)
    try:
        return parser.values["csrfmiddlewaretoken"]
    except KeyError:
        raise ValueError("no CSRF token in the page") from None


# ---------------------------------------------------------------------------------------
# Processes


@dataclass
class Instance:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL to the master and its workers at once (their own process group): the
        machine's power cut, not a graceful shutdown."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def start_instance(
    name: str, environment: dict[str, str], workers: int, max_requests: int | None = None
) -> Instance:
    from bench.run import wait_until_up

    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn, "--config", str(BASE_DIR / "gunicorn.conf.py"),
        "bench.run:wsgi_application()",
        "--log-level", "warning", "--chdir", str(BASE_DIR),
    ]  # fmt: skip
    if max_requests is not None:
        command += ["--max-requests", str(max_requests)]
    environment = {
        **environment,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_TIMEOUT": "120",
    }
    process = subprocess.Popen(command, cwd=BASE_DIR, env=environment, start_new_session=True)
    instance = Instance(name, port, process)
    try:
        wait_until_up(f"{instance.base}/healthz", process)
    except BaseException:
        stop_process(process)
        raise
    return instance


def start_haproxy(
    folder: Path, servers: list[Server], workers: int
) -> tuple[str, str, subprocess.Popen]:
    """HAProxy on a free port, its configuration and stats socket in `folder`; its base
    URL, its stats socket, its process, once both servers are seen up."""
    binary = haproxy_binary()
    port = free_port()
    stats_socket = str(folder / "haproxy.sock")
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(port, servers, workers, stats_socket))
    checked = subprocess.run(
        [binary, "-c", "-q", "-f", str(config)], capture_output=True, text=True
    )
    if checked.returncode != 0:
        sys.exit(f"bench: HAProxy refuses its configuration:\n{checked.stdout}{checked.stderr}")
    log = open(folder / "haproxy.log", "wb")  # noqa: SIM115 (HAProxy's, until it stops)
    process = subprocess.Popen(
        [binary, "-db", "-f", str(config)],
        stdout=log,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench: HAProxy stopped: {process.stderr.read().decode()[-2000:]}")
        with contextlib.suppress(OSError):
            stats = haproxy_stats(stats_socket)
            if all(stats.get(f"app_servers/{s.name}", {}).get("status") == "UP" for s in servers):
                return f"http://127.0.0.1:{port}", stats_socket, process
        time.sleep(0.2)
    stop_process(process)
    sys.exit("bench: HAProxy did not see both instances up within 30 s.")


def stop_process(process: subprocess.Popen) -> None:
    from bench.run import stop

    stop(process)


def wait_until_idle(instances: list[Instance], seconds: float = 120) -> None:
    """Until the instances' workers have finished what wrk left queued: their CPU time
    still twice in a row. (bench/run.py also asks PostgreSQL for running queries; here
    that would add the benchmark's own transactions to the primary's count.)"""
    from bench.run import cpu_ticks_of_children

    running = [instance for instance in instances if instance.process.poll() is None]
    deadline = time.monotonic() + seconds
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        before = sum(cpu_ticks_of_children(instance.process.pid) for instance in running)
        time.sleep(0.25)
        after = sum(cpu_ticks_of_children(instance.process.pid) for instance in running)
        quiet = quiet + 1 if after - before <= 1 else 0


# ---------------------------------------------------------------------------------------
# The measurements


def measure_pages(pages, targets, instances: list[Instance], args) -> list[dict]:
    """wrk on each page against each target (a label, a base URL): as the public sends
    it, and rendered; the instances left idle between runs."""
    rows = []
    for page, url in pages:
        for target, base in targets:
            row = {"page": url, "name": page.name, "target": target}
            for mode, headers in (("public", ()), ("rendered", (RENDERED_ANONYMOUS,))):
                if args.warmup_duration:
                    wrk(
                        f"{base}{url}",
                        args.warmup_duration,
                        args.threads,
                        args.connections,
                        *headers,
                    )
                    wait_until_idle(instances)
                load = wrk(f"{base}{url}", args.duration, args.threads, args.connections, *headers)
                wait_until_idle(instances)
                row[mode] = {
                    "rps": round(load.rps, 1),
                    "p50_ms": load.p50_ms,
                    "p95_ms": load.p95_ms,
                    "requests": load.requests,
                    "failed": load.failed,
                }
            rows.append(row)
            public, rendered = row["public"], row["rendered"]
            failed = public["failed"] + rendered["failed"]
            print(
                f"   {page.name:<22} {target:<28}"
                f"  public {public['rps']:>8.1f} req/s p95 {public['p95_ms']:>7.1f} ms"
                f"  rendered {rendered['rps']:>7.1f} req/s p95 {rendered['p95_ms']:>7.1f} ms"
                + (f"  FAILED {failed}" if failed else ""),
                flush=True,
            )
    return rows


def transactions(database_url: str) -> int:
    """Transactions the server of `database_url` has counted in its database so far."""
    import psycopg

    parts = urlsplit(database_url)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/"),
        connect_timeout=5,
        autocommit=True,
    ) as connection:
        # The statistics of other backends reach the shared counters within a second.
        connection.execute("SELECT pg_stat_clear_snapshot()")
        row = connection.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
        return int(row[0])


def count_transactions(urls: dict[str, str]) -> dict[str, int]:
    return {name: transactions(url) for name, url in urls.items()}


def sign_in(browser: Browser, base: str, username: str, password: str) -> None:
    page = browser.get(base, "/accounts/login/")
    if page.status != 200:
        sys.exit(f"bench: the sign-in page answered {page.status} on {base}.")
    answer = browser.post(
        base,
        "/accounts/login/",
        [
            ("csrfmiddlewaretoken", csrf_token(page.text)),
            ("username", username),
            ("password", password),
        ],
    )
    if answer.status != 302:
        sys.exit(f"bench: signing in on {base} answered {answer.status}, not a redirect.")


def change_title(browser: Browser, base: str, pk: int, title: str) -> float:
    """Change a best practice's title in the admin's change form on `base`, as a browser
    submits it (every field as loaded, the version it was loaded at); when it was saved."""
    path = f"/admin/knowledge/bestpractice/{pk}/change/"
    form = browser.get(base, path)
    if form.status != 200:
        sys.exit(f"bench: the admin's change form answered {form.status} on {base}.")
    fields = replace_field(form_fields(form.text, "bestpractice_form"), "title", title)
    answer = browser.post(base, path, [*fields, ("_save", "Save")])
    saved_at = time.perf_counter()
    if answer.status != 302:
        sys.exit(
            f"bench: saving the change form on {base} answered {answer.status}, not a redirect "
            "(the form's errors are in its page)."
        )
    return saved_at


def seen_at_once(
    writer: Instance, reader: Instance, browser: Browser, pk: int, path: str, old: str, new: str
) -> dict:
    """The page through `reader` before and after an edit through `writer`."""
    from django.utils.html import escape

    visitor = Browser()
    for _ in range(2):  # into the reader's page cache (shared, in Redis)
        before = visitor.get(reader.base, path)
    if escape(old) not in before.text:
        sys.exit(f"bench: {path} on {reader.name} does not show {old!r} before the edit.")
    saved_at = change_title(browser, writer.base, pk, new)
    after = visitor.get(reader.base, path)
    elapsed_ms = (time.perf_counter() - saved_at) * 1000
    seen = after.status == 200 and escape(new) in after.text and escape(old) not in after.text
    return {
        "edited_on": writer.name,
        "read_on": reader.name,
        "page": path,
        "title": new,
        "seen_on_first_request": seen,
        "ms_after_save": round(elapsed_ms, 1),
    }


def edit_and_read(instances: list[Instance], staff_password: str) -> list[dict]:
    """A title changed through A, read through B; then changed back through B, read
    through A (which leaves the data as it was)."""
    from bench.pages import first_by_slug, visible_practices

    a, b = instances
    practice = first_by_slug(visible_practices())
    path = practice.get_absolute_url()
    original = practice.title
    # Not containing the original, so that a page showing the old title is told apart.
    edited = f"Edited on instance A at {time.strftime('%H:%M:%S')} ({secrets.token_hex(3)})"
    browser = Browser()
    sign_in(browser, a.base, STAFF_USERNAME, staff_password)
    results = [seen_at_once(a, b, browser, practice.pk, path, original, edited)]
    results.append(seen_at_once(b, a, browser, practice.pk, path, edited, original))
    return results


QUEUE_DOMAIN = "cluster.bench.invalid"  # the subscribers of step 6 (.invalid: never real)


def start_worker(environment: dict[str, str]) -> subprocess.Popen:
    """The cluster's task worker: django-tasks-db's, reading the queue in the primary. Its
    emails go to memory (no mail server here): that it sends them is what is shown."""
    command = [
        sys.executable, "manage.py", "db_worker",
        "--no-startup-delay", "--no-reload", "--interval", "0.2", "--verbosity", "0",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**environment, "EMAIL_URL": "memorymail://"},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def subscribe_through(instance: Instance, address: str) -> None:
    """The public's subscription form, posted on `instance`: its confirmation email is
    stored in the outbox and a task to send it enqueued."""
    visitor = Browser()
    page = visitor.get(instance.base, "/subscribe/")
    answer = visitor.post(
        instance.base,
        "/subscribe/",
        [
            ("csrfmiddlewaretoken", csrf_token(page.text)),
            ("email", address),
            ("kinds", "stories"),
            ("frequency", "weekly"),
        ],
    )
    if answer.status != 302:
        sys.exit(f"bench: subscribing on instance {instance.name} answered {answer.status}.")


def one_queue(instances: list[Instance], environment: dict[str, str], seconds: float = 60) -> dict:
    """Each instance enqueues an email (a subscription's confirmation); one worker sends
    both: the queue is the primary's, whichever server enqueued."""
    from apap_portal.outbox.models import Email

    addresses = {
        instance.name: f"reader-{instance.name.lower()}-{secrets.token_hex(3)}@{QUEUE_DOMAIN}"
        for instance in instances
    }
    worker = start_worker(environment)
    try:
        started = time.perf_counter()
        for instance in instances:
            subscribe_through(instance, addresses[instance.name])
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            statuses = dict(
                Email.objects.filter(to__in=addresses.values()).values_list("to", "status")
            )
            if all(statuses.get(address) == Email.Status.SENT for address in addresses.values()):
                break
            if worker.poll() is not None:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    finally:
        stop_process(worker)
    return {
        "enqueued_on": [instance.name for instance in instances],
        "sent": {
            name: statuses.get(address) == Email.Status.SENT for name, address in addresses.items()
        },
        "seconds": round(elapsed, 1),
    }


def delete_queued_emails() -> None:
    from apap_portal.outbox.models import Email

    Email.objects.filter(to__endswith=f"@{QUEUE_DOMAIN}").delete()


def kill_mid_run(pages, base: str, folder: Path, victim: Instance, args) -> dict:
    """wrk through the balancer on the list page, rendered (so that requests are being
    served at the moment of the kill), and `victim` killed partway through."""
    url = pages[0][1]
    stats_socket = str(folder / "haproxy.sock")
    log = folder / "haproxy.log"
    before = haproxy_stats(stats_socket)["app_servers/BACKEND"]
    log_offset = log.stat().st_size
    timer = threading.Timer(args.kill_duration * KILL_AT, victim.kill)
    timer.start()
    try:
        load = wrk(
            f"{base}{url}", args.kill_duration, args.threads, args.connections, RENDERED_ANONYMOUS
        )
    finally:
        timer.cancel()
    after = haproxy_stats(stats_socket)
    backend = after["app_servers/BACKEND"]
    with log.open("rb") as lines:
        lines.seek(log_offset)
        logged = summarize_log(lines.read().decode("utf-8", "replace"))
    return {
        "page": url,
        "killed": victim.name,
        "killed_at_s": round(args.kill_duration * KILL_AT, 1),
        "seconds": args.kill_duration,
        "requests": load.requests,
        "rps": round(load.rps, 1),
        "p95_ms": load.p95_ms,
        "failed": load.failed,
        "errors": {
            key: getattr(load, key) for key in ("connect", "read", "write", "status", "timeout")
        },
        "logged": logged,
        "retried": int(backend["wretr"] or 0) - int(before["wretr"] or 0),
        "redispatched": int(backend["wredis"] or 0) - int(before["wredis"] or 0),
        "status_after": {
            name.split("/", 1)[1]: row["status"]
            for name, row in after.items()
            if name.startswith("app_servers/") and not name.endswith(("BACKEND", "FRONTEND"))
        },
    }


# ---------------------------------------------------------------------------------------
# Report


def markdown(
    rows: list[dict], edits: list[dict], queue: dict | None, kill: dict | None, setup: dict
) -> str:
    lines = [
        "| page | served by | public req/s | public p95 ms | rendered req/s | rendered p95 ms "
        "| failed |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        public, rendered = row["public"], row["rendered"]
        lines.append(
            f"| `{row['page']}` | {row['target']} | {public['rps']:,.1f} | {public['p95_ms']:.1f} "
            f"| {rendered['rps']:,.1f} | {rendered['p95_ms']:.1f} "
            f"| {public['failed'] + rendered['failed']} |"
        )
    lines += [
        "",
        f"{setup['workers']} sync workers an instance; wrk -t{setup['threads']} "
        f"-c{setup['connections']} -d{setup['duration']:g}s after "
        f"{setup['warmup_duration']:g} s of warm-up; reads on {setup['reads_on']}; "
        f"cache: Redis ({setup['redis']}), shared.",
        "",
    ]
    for edit in edits:
        verdict = "seen on the first request" if edit["seen_on_first_request"] else "NOT seen"
        lines.append(
            f"- Edit on instance {edit['edited_on']}, read on instance {edit['read_on']} "
            f"(`{edit['page']}`): {verdict}, {edit['ms_after_save']:.0f} ms after the save."
        )
    if queue:
        sent = [name for name, done in queue["sent"].items() if done]
        lines.append(
            f"- One queue: a subscription posted on each of "
            f"{' and '.join(queue['enqueued_on'])} enqueued its confirmation email; the "
            f"one worker sent {len(sent)} of {len(queue['sent'])} "
            f"(those of {', '.join(sent) or 'none'}) within {queue['seconds']:g} s."
        )
    if kill:
        errors = ", ".join(f"{key} {value}" for key, value in kill["errors"].items())
        lines.append(
            f"- Instance {kill['killed']} killed (SIGKILL) {kill['killed_at_s']:g} s into "
            f"{kill['seconds']:g} s of GETs on `{kill['page']}` through the balancer: "
            f"{kill['requests']:,} requests, {kill['failed']} failed ({errors}); HAProxy "
            f"retried {kill['retried']} and redispatched {kill['redispatched']}; afterwards "
            + ", ".join(f"{name} {status}" for name, status in kill["status_after"].items())
            + "."
        )
    return "\n".join(lines)


def misses(edits: list[dict], queue: dict | None, kill: dict | None, rows: list[dict]) -> list[str]:
    found = [
        f"the edit on {edit['edited_on']} was not seen on {edit['read_on']} at once"
        for edit in edits
        if not edit["seen_on_first_request"]
    ]
    found += [
        f"{row['page']} via {row['target']}: "
        f"{row['public']['failed'] + row['rendered']['failed']} failed requests"
        for row in rows
        if row["public"]["failed"] + row["rendered"]["failed"]
    ]
    if queue is not None:
        found += [
            f"the email enqueued on {name} was not sent by the worker"
            for name, done in queue["sent"].items()
            if not done
        ]
    if kill is not None and kill["failed"]:
        found.append(f"the kill lost {kill['failed']} requests")
    return found


# ---------------------------------------------------------------------------------------
# The run


def chosen_pages():
    """The pages of PAGE_NAMES, in that order, with their URLs in this database."""
    from bench.pages import PAGES

    by_name = {page.name: page for page in PAGES}
    return [(by_name[name], by_name[name].url()) for name in PAGE_NAMES]


def reads_on(counted: dict[str, int], no_replica_reason: str | None) -> str:
    """Where the pages' reads went, by what each server counted during the wrk runs."""
    if "standby" not in counted:
        return f"the primary ({no_replica_reason})"
    where = (
        "the hot standby (DATABASE_REPLICA_URLS)"
        if counted["standby"] > counted["primary"]
        else "the primary: DATABASE_REPLICA_URLS was set but not used by this checkout"
    )
    return (
        f"{where}; transactions during the runs: standby {counted['standby']:,}, "
        f"primary {counted['primary']:,}"
    )


def refuse(database_url: str) -> None:
    from bench.run import database_name

    if "cluster" not in database_name(database_url):
        sys.exit(
            f"bench: DATABASE_URL names {database_name(database_url)!r}; the cluster benchmark "
            f"writes synthetic rows and needs a database of its own, e.g. "
            f"DATABASE_URL={DEFAULT_DATABASE_URL}"
        )


def prepare(database_url: str, rows: int) -> None:
    from bench.run import counts, prepare_database

    prepare_database(database_url, [*counts(rows), "--allow-any-database"])


def flush_redis(url: str) -> None:
    import redis

    # Only the benchmark's database: FLUSHDB, never FLUSHALL.
    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def create_staff(password: str) -> None:
    from members.models import User

    User.objects.filter(username=STAFF_USERNAME).delete()
    User.objects.create_superuser(STAFF_USERNAME, f"{STAFF_USERNAME}@bench.invalid", password)


def delete_staff() -> None:
    from members.models import User

    User.objects.filter(username=STAFF_USERNAME).delete()


def replication_pair(args):
    """The primary and standby harness of issue 20 (apap_portal.replicas.cluster), or
    None with the reason it is not used."""
    if args.no_replica:
        return None, "--no-replica"
    try:
        from apap_portal.replicas import cluster
    except ImportError:
        return None, "no replica harness in this checkout (apap_portal.replicas.cluster)"
    reason = cluster.unavailable_reason()
    if reason:
        return None, reason
    return cluster, None


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.cluster", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--rows", type=int, default=2000, help="rows per table (generate_scale_data)"
    )
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS_URL, help="the shared cache (emptied!)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers an instance")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="gunicorn's --max-requests (default: gunicorn.conf.py's; 0: never restart a worker)",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--duration", type=float, default=10, help="wrk seconds a measurement")
    parser.add_argument("--warmup-duration", type=float, default=2, help="wrk warm-up seconds")
    parser.add_argument("--kill-duration", type=float, default=15, help="seconds of the kill run")
    parser.add_argument(
        "--no-replica", action="store_true", help="reads on the primary, no standby"
    )
    parser.add_argument("--output", type=Path, default=RESULTS_FILE)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from bench.run import (
        STATIC_ROOT_VARIABLE,
        collect_static,
        production_environment,
        setup_django,
    )

    args = parse_arguments(argv)
    missing = [
        name
        for name, found in (("haproxy", haproxy_binary()), ("wrk", shutil.which("wrk")))
        if not found
    ]
    if missing:
        sys.exit(
            f"bench: {' and '.join(missing)} missing: "
            "scripts/install-system-packages bench installs them."
        )
    started = time.perf_counter()
    replication, no_replica_reason = replication_pair(args)
    with contextlib.ExitStack() as stack:
        folder = Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="apap-bench-cluster-"))
        )
        replica_url = None
        if replication is not None:
            print("== A primary and a hot standby in a temporary folder", flush=True)
            pair = stack.enter_context(replication.streaming_pair(database="apap_cluster"))
            database_url, replica_url = pair.primary_url, pair.replica_url
        else:
            print(f"== No replica ({no_replica_reason}): reads on the primary", flush=True)
            database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
            refuse(database_url)
        prepare(database_url, args.rows)
        if replication is not None:
            pair.wait_for_replay()

        environment = {
            **production_environment(database_url, "127.0.0.1,localhost"),
            "REDIS_URL": args.redis_url,
        }
        os.environ.update(environment)  # this process: the primary, for its own reads
        static_root = str(folder / "static")
        setup_django(static_root)
        from django.db import connections

        stack.callback(connections.close_all)  # before a standby pair is stopped
        from django.conf import settings

        # Hashed names as in production, without the gzip and Brotli copies of every file
        # (half a minute on two cores): the instances read the same manifest.
        settings.STORAGES["staticfiles"] = {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        }
        collect_static(static_root)
        flush_redis(args.redis_url)
        stack.callback(flush_redis, args.redis_url)
        pages = chosen_pages()
        password = secrets.token_urlsafe(16)
        create_staff(password)
        stack.callback(delete_staff)

        served = {**environment, STATIC_ROOT_VARIABLE: static_root}
        if replica_url:
            served["DATABASE_REPLICA_URLS"] = replica_url
        print(f"== Two gunicorn instances, {args.workers} workers each", flush=True)
        instances = []
        for name in ("A", "B"):
            instance = start_instance(name, served, args.workers, args.max_requests)
            stack.callback(stop_process, instance.process)
            instances.append(instance)
        servers = [Server(f"app{instance.name}", instance.port) for instance in instances]
        balancer, stats_socket, haproxy = start_haproxy(folder, servers, args.workers)
        stack.callback(stop_process, haproxy)
        print(f"   A {instances[0].base}, B {instances[1].base}, HAProxy {balancer}", flush=True)
        for _page, url in pages:
            for base in (instances[0].base, instances[1].base, balancer):
                answer = Browser().get(base, url)
                if answer.status != 200:
                    sys.exit(f"bench: {base}{url} answered {answer.status}.")

        print(
            f"== wrk: one instance, then the balancer to two ({args.duration:g} s each)", flush=True
        )
        targets = [
            (f"instance A alone ({args.workers} workers)", instances[0].base),
            (f"HAProxy → A + B ({2 * args.workers} workers)", balancer),
        ]
        databases = {"primary": database_url, **({"standby": replica_url} if replica_url else {})}
        counted_before = count_transactions(databases)
        rows = measure_pages(pages, targets, instances, args)
        time.sleep(1.5)  # the servers' statistics are flushed at most every second
        counted = {
            name: total - counted_before[name]
            for name, total in count_transactions(databases).items()
        }
        shares = {
            name.split("/", 1)[1]: int(row["stot"] or 0)
            for name, row in haproxy_stats(stats_socket).items()
            if name.startswith("app_servers/app")
        }

        print("== An edit through one instance, read through the other", flush=True)
        edits = edit_and_read(instances, password)

        print(
            "== One task queue: each instance enqueues an email, one worker sends both", flush=True
        )
        stack.callback(delete_queued_emails)
        queue = one_queue(instances, served)

        print(
            f"== Instance A killed {args.kill_duration * KILL_AT:g} s into "
            f"{args.kill_duration:g} s of GETs",
            flush=True,
        )
        kill = kill_mid_run(pages, balancer, folder, instances[0], args)

        setup = {
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "duration": args.duration,
            "warmup_duration": args.warmup_duration,
            "reads_on": reads_on(counted, no_replica_reason),
            "transactions_during_load": counted,
            "redis": args.redis_url,
            "rows_per_table": args.rows,
        }
        from bench.run import machine

        report = {
            "pages": rows,
            "requests_per_server": shares,
            "edits": edits,
            "queue": queue,
            "kill": kill,
            "setup": setup,
            "machine": {**machine(), "load_average": os.getloadavg()},
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started),
        }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown(rows, edits, queue, kill, setup))
    print(
        f"\nRequests each server took through the balancer: {shares}. "
        f"Wrote {args.output} in {report['seconds']} s."
    )
    found = misses(edits, queue, kill, rows)
    for miss in found:
        print(f"bench: {miss}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
