"""Benchmark of the portal's key pages on a large synthetic database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/apap_portal_scale \\
        .venv/bin/python -m bench.run [--skip-gunicorn] [--requests 200]

1. Prepares two databases, each through `manage.py ensure_database`, `migrate` and
   `generate_scale_data` (which only tops up, so a complete database is reused): the
   scale database of DATABASE_URL (default counts, or `--rows N` a table) and
   `<name>_small` (100 rows a table).
2. In process: Django's test Client against the scale database (production settings:
   DEBUG off), a warm-up, then N timed requests per page (p50, p95), and the queries
   of one request, counted in both databases. Then the first request of the library's
   pages after an edit of each kind of content (bench/edits.py): which edits make it pay.
3. Under gunicorn on loopback: wrk's requests per second for each page, as a ratio to
   /healthz measured in the same run (before and after the pages).
4. The WDPA import of 5,000 and 50,000 polygon sites, each into a new database
   (bench/wdpa_import.py): wall time and peak memory.
5. The activity list's CSV download, every row of it, in a child process
   (bench/downloads.py): rows per second, and whether its peak memory grows.
6. Prints Markdown tables and writes bench/results/latest.json.

See docs/performance.md for the method. Runs nothing outside loopback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from apap_portal.replicas.cluster import free_port
from bench import downloads, wdpa_import

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/apap_portal_scale"
SMALL_ROWS = 100


def counts(rows: int) -> list[str]:
    """The options of generate_scale_data for `rows` rows in each table."""
    tables = (
        "best-practices",
        "protected-areas",
        "activities",
        "resources",
        "stories",
        "organizations",
    )
    return [f"--{name}={rows}" for name in tables]


SMALL_COUNTS = counts(SMALL_ROWS)
STATIC_ROOT_VARIABLE = "APAP_BENCH_STATIC_ROOT"
BENCH_REDIS_VARIABLE = "APAP_BENCH_REDIS_URL"
MIN_REQUESTS = 5  # timed requests of a page, at least, whatever its budget
WARMUP_BUDGET = 10  # seconds of warm-up requests, at most
# The keys of each page in latest.json, first, in this order (other keys follow).
REPORT_KEYS = (
    "page", "kind", "p50_ms", "p95_ms", "rps_ratio", "queries_small", "queries_large",
)  # fmt: skip


# ---------------------------------------------------------------------------------------
# Environment and databases


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def small_database_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database_name(url)}_small"))


def production_environment(database_url: str, hosts: str) -> dict[str, str]:
    """The variables of a production run (DEBUG off), on loopback, with a throwaway key."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": hosts,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "EMAIL_URL": "smtp://localhost:25",
        "DJANGO_LOG_LEVEL": "WARNING",
        # The portal's cache: each process's memory unless --redis-url names a Redis
        # database (never the environment's REDIS_URL: the benchmark empties the cache).
        "REDIS_URL": os.environ.get(BENCH_REDIS_VARIABLE, ""),
        # The benchmark is one address asking thousands of times a minute: the API's limit
        # per address (tests/api/test_limits.py) would answer it 429.
        "API_RATE_LIMIT_ADDRESS": "100000000/minute",
    }


def manage(database_url: str, *arguments: str, script: str = "manage.py") -> None:
    """Run a manage.py command (or a script of bench/) against a database, or exit."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_LOG_LEVEL": "WARNING"}
    program = [str(BASE_DIR / script)] if script == "manage.py" else ["-m", script]
    result = subprocess.run(
        [sys.executable, *program, *arguments], cwd=BASE_DIR, env=env, check=False
    )
    if result.returncode != 0:
        sys.exit(
            f"bench: `{script} {' '.join(arguments)}` failed on {database_name(database_url)}."
        )


def prepare_database(database_url: str, counts: list[str]) -> None:
    name = database_name(database_url)
    print(f"== Database {name}", flush=True)
    manage(database_url, "ensure_database")
    manage(database_url, "migrate", "--no-input", "--verbosity", "0")
    manage(database_url, *counts, script="bench.generate_scale_data")


def database_exists(database_url: str) -> bool:
    import psycopg

    parts = urlsplit(database_url)
    try:
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname=database_name(database_url),
            connect_timeout=5,
        ):
            return True
    except psycopg.OperationalError:
        return False


def setup_django(static_root: str) -> None:
    """django.setup() with production settings (set in os.environ beforehand), serving
    static files from `static_root` (collected there by `collect_static`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apap_portal.settings")
    import django
    from django.conf import settings

    django.setup()
    # STATIC_ROOT is BASE_DIR/staticfiles in the settings, with no variable to move it:
    # the benchmark collects into a directory of its own rather than into the work tree.
    settings.STATIC_ROOT = static_root


def collect_static(static_root: str) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"   collected static files into {static_root} in {time.perf_counter() - started:.1f} s")


def wsgi_application():
    """gunicorn's application factory (`bench.run:wsgi_application()`): the portal's own
    WSGI application, once STATIC_ROOT points at the benchmark's collected files."""
    setup_django(os.environ[STATIC_ROOT_VARIABLE])
    from apap_portal.wsgi import application

    return application


# ---------------------------------------------------------------------------------------
# In-process measurements


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile of the samples."""
    ordered = sorted(samples)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def capture_queries(client, url: str) -> list[dict]:
    """The queries of one request, as Django's CaptureQueriesContext records them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    check_response(url, response)
    return context.captured_queries


@contextlib.contextmanager
def clock_held():
    """`timezone.now()` stands at one instant while inside.

    The stories' SQL names the minute it is (`StoryQuerySet.published`), and that SQL keys
    the cached counts and rows of every page listing stories: a minute turning between a
    page's warm-up and its counted request would make the counted one compute them again,
    and the count would depend on the clock rather than on the page.
    """
    from unittest import mock

    from django.utils import timezone

    now = timezone.now()
    with mock.patch.object(timezone, "now", return_value=now):
        yield now


def rendered():
    """The whole-answer caches off: the rendering client's session keeps the page cache out
    of its way, but the API reads no session (its answers for readers without a token are
    kept by its view, api.views); what pages compute inside stays cached."""
    from django.test.utils import override_settings

    return override_settings(PAGE_CACHE_SECONDS=0)


def warm_query_count(client, url: str) -> tuple[int, dict]:
    """The queries of a page rendered once what it caches is warm, and the slowest of them."""
    with clock_held(), rendered():
        for _ in range(2):  # what the page computes is cached by the first
            check_response(url, client.get(url))
        return count_queries(client, url)


def count_queries(client, url: str) -> tuple[int, dict]:
    """The queries of one request, and the slowest of them."""
    captured = capture_queries(client, url)
    # Counted as assertNumQueries counts them (savepoints included).
    slowest = max(captured, key=lambda q: float(q["time"]), default=None)
    details = {}
    if slowest is not None:
        details = {"ms": round(float(slowest["time"]) * 1000, 1), "sql": slowest["sql"][:10_000]}
    return len(captured), details


BIG_TABLE_ROWS = 10_000  # a sequential scan of a table this large is reported


def sequential_scans(client, url: str) -> list[str]:
    """The big tables a page's queries read whole: EXPLAIN of each, warm and uncached.

    Reported, not judged: counting the facets of the whole library reads every link row
    by its nature (once per change of the content); anything else here is a missing index.
    """
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s",
            [BIG_TABLE_ROWS],
        )
        big = {name for (name,) in cursor.fetchall()}
    cache.clear()
    queries = capture_queries(client, url) + capture_queries(client, url)
    found = set()
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if sql.startswith("DECLARE "):  # a server-side cursor: explain what it reads
                sql = sql.split(" FOR ", 1)[1]
            if not sql.lstrip("( ").upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN " + sql)
            for (line,) in cursor.fetchall():
                if "Seq Scan on " in line:
                    table = line.split("Seq Scan on ", 1)[1].split()[0]
                    if table in big:
                        found.add(table)
    return sorted(found)


def check_response(url: str, response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}, not 200")


def resolve_pages(names: list[str] | None):
    from bench.pages import PAGES

    pages = [page for page in PAGES if not names or any(name in page.name for name in names)]
    return [(page, page.url()) for page in pages]


RENDERING_SESSION = "bench-renders-every-page"
RENDERING_COOKIE = f"Cookie: sessionid={RENDERING_SESSION}"


def rendering_client():
    """A test Client whose requests are rendered: it carries a session cookie (an unknown
    one, so it stays anonymous), which keeps the whole-page cache out of its way."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = RENDERING_SESSION
    return client


def timed(client, url: str, args: argparse.Namespace) -> tuple[list[float], int]:
    """Up to `args.requests` timed requests of a page after its warm-up, and its size.

    A page far over its target would take hours at 200 requests: timing stops at
    `args.page_budget` seconds once `MIN_REQUESTS` are done (the report gives the number).
    """
    warmup_end = time.perf_counter() + WARMUP_BUDGET
    for _ in range(args.warmup):
        check_response(url, client.get(url))
        if time.perf_counter() > warmup_end:
            break
    timings = []
    size = 0
    budget_end = time.perf_counter() + args.page_budget
    for _ in range(args.requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        size = len(response.content) if not response.streaming else 0
        if len(timings) >= MIN_REQUESTS and time.perf_counter() > budget_end:
            break
    return timings, size


def measure_in_process(pages, args: argparse.Namespace) -> list[dict]:
    """Each page's p50 and p95, rendered and from the whole-page cache, and uncached.

    p50/p95 (judged against the targets): the page rendered for each request, with the
    counts, rankings and maps the portal caches warm — what a signed-in member gets.
    Page-cache p95: an anonymous visitor's request, served whole from the page cache
    (apap_portal.caching.pages) after the first, or for the API the answer its view keeps
    for readers without a token (api.views). Uncached: the first visit after an edit.
    """
    from django.core.cache import cache
    from django.test import Client

    cache.clear()  # nothing left by an earlier run (a Redis database outlives it)
    client = Client()
    renderer = rendering_client()
    results = []
    for page, url in pages:
        with rendered():
            timings, size = timed(renderer, url, args)
            scans = sequential_scans(renderer, url)
        anonymous, _size = timed(client, url, args)
        uncached = uncached_timings(client, url, page.cold_requests)
        queries, slowest = warm_query_count(renderer, url)
        result = {
            "name": page.name,
            "page": url,
            "kind": page.kind,
            "p50_ms": round(percentile(timings, 0.50), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "requests": len(timings),
            "page_cache_p95_ms": round(percentile(anonymous, 0.95), 1),
            "uncached_ms": round(percentile(uncached, 0.50), 1),
            "uncached_p95_ms": round(percentile(uncached, 0.95), 1),
            "sequential_scans": scans,
            "bytes": size,
            "queries_large": queries,
            "slowest_query": slowest,
        }
        results.append(result)
        print(
            f"   {page.name:<28} p50 {result['p50_ms']:>8.1f} ms  p95 {result['p95_ms']:>8.1f} ms"
            f"  n={len(timings):<4} page cache {result['page_cache_p95_ms']:>6.1f} ms"
            f"  uncached {result['uncached_ms']:>8.1f} ms"
            f"  {queries:>3} queries  {size / 1024:>7.1f} kB  {url}"
            + (f"  seq scans: {', '.join(scans)}" if scans else ""),
            flush=True,
        )
    return results


def uncached_timings(client, url: str, requests: int) -> list[float]:
    """The page's time when nothing it computes is cached: the first visit after an edit.

    The timed requests above measure what most visitors get (the portal caches counts,
    rankings and the map until the content changes); these measure the one who pays.
    """
    from django.core.cache import cache

    timings = []
    for _ in range(requests):
        cache.clear()
        started = time.perf_counter()
        check_response(url, client.get(url))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def after_edits(names: list[str] | None, repeats: int) -> list[dict]:
    """Each page's first request after an edit of each kind: does the edit make it pay?

    For every edit of bench.edits and every page: the page is requested until its caches
    are warm, one record is edited, and the next request is timed and its queries counted
    — as the public sends it (whole-page cache) and, in another round, rendered (what a
    signed-in member gets, with the counts and rankings underneath). The median of
    `repeats` rounds. An edit of another kind of content should cost nothing more than a
    warm request; an edit of what the page shows must pay (the uncached time, about).
    """
    from django.test import Client

    from bench.edits import EDITS, pages_after_edits

    pages = [
        (page, page.url())
        for page in pages_after_edits()
        if not names or any(name in page.name for name in names)
    ]
    if not pages or repeats <= 0:
        return []
    print(f"== The first request after an edit (median of {repeats})", flush=True)
    public, renderer = Client(), rendering_client()
    rows = []
    for page, url in pages:
        row = {"name": page.name, "page": url, "public": {}, "rendered": {}}
        for edit in EDITS:
            for audience, client in (("public", public), ("rendered", renderer)):
                samples = [first_after_edit(client, url, edit) for _ in range(repeats)]
                row[audience][edit.name] = {
                    "ms": round(percentile([ms for ms, _queries in samples], 0.50), 1),
                    "queries": max(queries for _ms, queries in samples),
                }
        rows.append(row)
        print(
            f"   {page.name:<28} "
            + "  ".join(
                f"{edit.name} {row['public'][edit.name]['ms']:>7.1f}"
                f" / {row['rendered'][edit.name]['ms']:>7.1f} ms"
                for edit in EDITS
            )
            + "  (public / rendered)",
            flush=True,
        )
    return rows


def first_after_edit(client, url: str, edit) -> tuple[float, int]:
    """The time and the queries (counted as in the main table) of the first request of a
    page after `edit`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.edits import edited

    for _ in range(2):  # the page cache, then what a rendered page reuses
        check_response(url, client.get(url))
    with edited(edit), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    check_response(url, response)
    return elapsed, len(queries.captured_queries)


def queries_only(pages) -> dict[str, dict]:
    """For the small database: each page's URL there and its query count."""
    client = rendering_client()
    counts = {}
    for page, url in pages:
        queries, _slowest = warm_query_count(client, url)
        counts[page.name] = {"page": url, "queries": queries}
    return counts


def small_query_counts(small_url: str, static_root: str, names: list[str] | None) -> dict:
    """Run this module in a child process against the small database.

    With its cache in its own memory, never in --redis-url's database: cache keys name
    no database (the same SQL in both), so the small database's counts and rankings
    would be served to the scale database's gunicorn afterwards (its page 500 a 404).
    """
    with tempfile.NamedTemporaryFile(suffix=".json") as output:
        env = {
            **os.environ,
            **production_environment(small_url, "testserver"),
            STATIC_ROOT_VARIABLE: static_root,
            "REDIS_URL": "",
        }
        command = [sys.executable, "-m", "bench.run", "--queries-only", output.name]
        for name in names or []:
            command += ["--page", name]
        subprocess.run(command, cwd=BASE_DIR, env=env, check=True)
        return json.loads(Path(output.name).read_text())


# ---------------------------------------------------------------------------------------
# Under gunicorn


@contextlib.contextmanager
def gunicorn(database_url: str, static_root: str, workers: int):
    """A gunicorn serving the portal on a free loopback port; always stopped after."""
    port = free_port()
    env = {
        **os.environ,
        **production_environment(database_url, "127.0.0.1,localhost"),
        STATIC_ROOT_VARIABLE: static_root,
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "bench.run:wsgi_application()",
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--timeout", "120",
        "--log-level", "warning",
        "--chdir", str(BASE_DIR),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", process)
        yield base, process
    finally:
        stop(process)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its process group: the master and its workers)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_P50 = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def cpu_ticks_of_children(parent: int) -> int:
    """The CPU time (clock ticks) the children of a process (gunicorn's workers) used."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name (field 2) may hold spaces: split after its parenthesis.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:  # ppid
                total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def active_queries() -> int:
    """Queries running in the benchmark's database, other than this process's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_until_idle(process: subprocess.Popen, seconds: float = 600) -> None:
    """Wait until gunicorn's workers and PostgreSQL have finished what wrk left queued.

    When wrk stops, the requests its connections had sent are still served (a sync worker
    finishes what it accepted): after a slow page they would eat into the next
    measurement. Idle: no query running and the workers' CPU time still, twice in a row.
    """
    deadline = time.monotonic() + seconds
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        before = cpu_ticks_of_children(process.pid)
        time.sleep(0.25)
        still = cpu_ticks_of_children(process.pid) - before <= 1 and not active_queries()
        quiet = quiet + 1 if still else 0


def wrk(url: str, args: argparse.Namespace, seconds: float, *headers: str) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds:g}s",
        "--timeout", "60s",
        "--latency",
        *(option for header in headers for option in ("-H", header)),
        url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = WRK_RPS.search(output)
    non_2xx = WRK_NON_2XX.search(output)
    errors = WRK_ERRORS.search(output)
    p50 = WRK_P50.search(output)
    p50_ms = None
    if p50:
        factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
        p50_ms = round(float(p50.group(1)) * factor, 1)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "p50_ms": p50_ms,
    }


def measure_gunicorn(pages, database_url: str, static_root: str, args) -> dict:
    """wrk's requests per second for each page, and for /healthz just before it.

    Each page's ratio is to the /healthz run next to it, so that a change in the
    machine's load during the benchmark (other processes) weighs on both alike.
    """
    from bench.pages import HEALTHZ

    print(
        f"== gunicorn ({args.workers} workers) and wrk (-t{args.threads} -c{args.connections}"
        f" -d{args.duration:g}s per page after {args.warmup_duration:g} s of warm-up;"
        f" /healthz -d{args.baseline_duration:g}s before each)",
        flush=True,
    )
    results = {}
    healthz = []
    with gunicorn(database_url, static_root, args.workers) as (base, process):
        wrk(f"{base}{HEALTHZ.url()}", args, max(args.warmup_duration, 1))
        for page, url in pages:
            baseline = wrk(f"{base}{HEALTHZ.url()}", args, args.baseline_duration)
            wait_until_idle(process)
            if args.warmup_duration:
                wrk(f"{base}{url}", args, args.warmup_duration)
                wait_until_idle(process)
            outcome = wrk(f"{base}{url}", args, args.duration)
            wait_until_idle(process)
            # The same page rendered for every request (what signed-in members get).
            rendered = wrk(f"{base}{url}", args, args.duration, RENDERING_COOKIE)
            wait_until_idle(process)
            healthz.append(baseline["rps"])
            ratio = outcome["rps"] / baseline["rps"] if baseline["rps"] else None
            rendered_ratio = rendered["rps"] / baseline["rps"] if baseline["rps"] else None
            outcome["healthz_rps"] = baseline["rps"]
            outcome["rps_ratio"] = None if ratio is None else round(ratio, 3)
            outcome["rendered_rps"] = rendered["rps"]
            outcome["rendered_rps_ratio"] = (
                None if rendered_ratio is None else round(rendered_ratio, 3)
            )
            errors = sum(run["non_2xx"] + run["socket_errors"] for run in (outcome, rendered))
            note = f"  {errors} errors (non-2xx or socket)!" if errors else ""
            print(
                f"   {page.name:<28} {outcome['rps']:>9.1f} req/s"
                f"  rendered {rendered['rps']:>7.1f} req/s"
                f"  /healthz {baseline['rps']:>7.1f} req/s  ratio {ratio or 0:.3f}"
                f"  rendered {rendered_ratio or 0:.3f}{note}",
                flush=True,
            )
            results[page.name] = outcome
    return {"healthz_rps": [round(rps, 1) for rps in healthz], "pages": results}


# ---------------------------------------------------------------------------------------
# Report


def verdict(row: dict, page) -> tuple[bool, list[str]]:
    """Whether a page meets its targets, and the ones it misses."""
    from bench.pages import MAX_QUERIES

    misses = []
    if row["queries_large"] > MAX_QUERIES:
        misses.append(f"queries > {MAX_QUERIES}")
    if row.get("queries_small") is not None and row["queries_small"] != row["queries_large"]:
        misses.append("queries grow")
    target = page.p95_target_ms
    if target is not None and row["p95_ms"] > target:
        misses.append(f"p95 > {target} ms")
    uncached_target = page.uncached_p95_target_ms
    if uncached_target is not None and row.get("uncached_p95_ms", 0) > uncached_target:
        misses.append(f"uncached p95 > {uncached_target} ms")
    if page.max_bytes is not None and row.get("bytes", 0) > page.max_bytes:
        misses.append(f"size > {page.max_bytes / 1000:g} kB")
    ratio_target = page.rps_ratio_target
    ratio = row.get("rps_ratio")
    if ratio_target is not None and ratio is not None and ratio < ratio_target:
        misses.append(f"rps < {ratio_target:.0%} of /healthz")
    return not misses, misses


def markdown_table(rows: list[dict], pages_by_name: dict) -> str:
    lines = [
        "| page | kind | n | p50 ms | p95 ms (target) | page cache p95 | uncached ms "
        "| rps ratio (target) | rendered rps ratio | queries small / large | seq scans | kB "
        "| ok |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|:-:|",
    ]
    for row in rows:
        page = pages_by_name[row["name"]]
        target = f" ({page.p95_target_ms})" if page.p95_target_ms else ""
        ratio = "—" if row.get("rps_ratio") is None else f"{row['rps_ratio']:.3f}"
        if page.rps_ratio_target is not None:
            ratio += f" (≥ {page.rps_ratio_target:.2f})"
        small = "—" if row.get("queries_small") is None else str(row["queries_small"])
        rendered = row.get("rendered_rps_ratio")
        rendered = "—" if rendered is None else f"{rendered:.3f}"
        mark = "✓" if row["ok"] else "✗ " + ", ".join(row["misses"])
        uncached = f"{row.get('uncached_ms', 0):.1f}"
        if page.uncached_p95_target_ms is not None:
            uncached += f", p95 {row.get('uncached_p95_ms', 0):.1f} ({page.uncached_p95_target_ms})"
        size = f"{row.get('bytes', 0) / 1000:.1f}"
        if page.max_bytes is not None:
            size += f" (≤ {page.max_bytes / 1000:g})"
        lines.append(
            f"| `{row['page']}` | {row['kind']} | {row['requests']} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f}{target} | {row.get('page_cache_p95_ms', 0):.1f} "
            f"| {uncached} "
            f"| {ratio} | {rendered} | {small} / {row['queries_large']} "
            f"| {', '.join(row.get('sequential_scans') or []) or '—'} | {size} | {mark} |"
        )
    return "\n".join(lines)


def after_edits_table(rows: list[dict]) -> str:
    """The first request after each kind of edit: public / rendered, ms and queries."""
    from bench.edits import EDITS

    lines = [
        "| page | "
        + " | ".join(f"after {edit.label}'s edit: public / rendered" for edit in EDITS)
        + " |",
        "|---|" + "--:|" * len(EDITS),
    ]
    for row in rows:
        cells = []
        for edit in EDITS:
            public, rendered = row["public"][edit.name], row["rendered"][edit.name]
            cells.append(
                f"{public['ms']:.1f} ms, {public['queries']} q"
                f" / {rendered['ms']:.1f} ms, {rendered['queries']} q"
            )
        lines.append(f"| `{row['page']}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict:
    from django import get_version
    from django.db import connection

    cpu = platform.processor()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "django": get_version(),
        "postgresql": postgres,
    }


def scale_description(database_url: str) -> dict:
    from bench.scale_data import (
        SEARCH_TERMS,
        VIETNAMESE_SEARCH_TERM,
        VIETNAMESE_SEARCH_TERM_UNMARKED,
        synthetic_counts,
        translation_counts,
    )
    from knowledge.models import BestPractice

    return {
        "database": database_name(database_url),
        **synthetic_counts(),
        "best_practices_visible": BestPractice.objects.filter(
            status=BestPractice.Status.PUBLISHED, visibility="public"
        ).count(),
        "search_terms": SEARCH_TERMS,
        "vietnamese_translations": translation_counts(),
        "vietnamese_search_terms": [VIETNAMESE_SEARCH_TERM, VIETNAMESE_SEARCH_TERM_UNMARKED],
        "small_rows_per_table": SMALL_ROWS,
    }


# ---------------------------------------------------------------------------------------


def wants_download(args: argparse.Namespace) -> bool:
    """Whether this run measures the CSV download: unless skipped, or left out by --page."""
    if args.skip_download:
        return False
    return not args.page or any(name in downloads.NAME for name in args.page)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests first")
    parser.add_argument(
        "--page-budget",
        type=float,
        default=60,
        help=f"seconds of timed requests per page, once {MIN_REQUESTS} are done (default 60)",
    )
    parser.add_argument(
        "--edit-repeats",
        type=int,
        default=3,
        help="rounds of the first request after each kind of edit (default 3; 0: none)",
    )
    parser.add_argument(
        "--rows",
        type=int,
        metavar="N",
        help=f"rows per table of the scale database (more than {SMALL_ROWS}); default: the "
        "full counts of bench/scale_data.py. A quick run on a busy machine, to see that the "
        "benchmark runs: its figures are not the benchmark's",
    )
    parser.add_argument("--skip-gunicorn", action="store_true", help="in-process only")
    parser.add_argument("--skip-small", action="store_true", help="no 100-row database")
    parser.add_argument(
        "--no-generate",
        action="store_true",
        help="measure the databases as they are (no migrate, no top-up)",
    )
    parser.add_argument("--page", action="append", help="only pages whose name contains this")
    parser.add_argument(
        "--skip-import",
        action="store_true",
        help="no WDPA import measurement (bench/wdpa_import.py; 5 minutes the first time)",
    )
    parser.add_argument(
        "--skip-download",
        action="store_true",
        help=f"no CSV download measurement (bench/downloads.py; `--page {downloads.NAME}` "
        "measures it alone)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--duration", type=float, default=10, help="wrk seconds per page")
    parser.add_argument("--warmup-duration", type=float, default=2, help="wrk warm-up seconds")
    parser.add_argument(
        "--baseline-duration", type=float, default=5, help="wrk seconds of /healthz per page"
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="the portal's cache in this Redis database (emptied!); default: each process's memory",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    parser.add_argument("--queries-only", metavar="JSON", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.rows is not None and args.rows <= SMALL_ROWS:
        sys.exit(
            f"bench: --rows {args.rows}: the scale database needs more rows than the small "
            f"one ({SMALL_ROWS} a table), or the query counts compare nothing."
        )
    if args.queries_only:  # the child process of small_query_counts()
        setup_django(os.environ[STATIC_ROOT_VARIABLE])
        Path(args.queries_only).write_text(json.dumps(queries_only(resolve_pages(args.page))))
        return 0

    os.environ[BENCH_REDIS_VARIABLE] = args.redis_url  # read by production_environment()
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if "scale" not in database_name(database_url):
        sys.exit(
            f"bench: DATABASE_URL names {database_name(database_url)!r}; the benchmark needs a "
            f"database of its own, e.g. DATABASE_URL={DEFAULT_DATABASE_URL}"
        )
    small_url = small_database_url(database_url)
    started = time.perf_counter()
    if not args.no_generate:
        prepare_database(database_url, counts(args.rows) if args.rows else [])
        if not args.skip_small:
            prepare_database(small_url, SMALL_COUNTS)
    elif not args.skip_small and not database_exists(small_url):
        print(f"bench: {database_name(small_url)} is missing: no small query counts.")
        args.skip_small = True

    static_root = tempfile.mkdtemp(prefix="apap-bench-static-")
    try:
        os.environ.update(production_environment(database_url, "testserver"))
        setup_django(static_root)
        collect_static(static_root)
        pages = resolve_pages(args.page)
        pages_by_name = {page.name: page for page, _url in pages}

        print(f"== In process: {args.requests} requests per page after {args.warmup} warm-up")
        rows = measure_in_process(pages, args)
        edits = after_edits(args.page, args.edit_repeats)

        if not args.skip_small:
            print(f"== Queries with {SMALL_ROWS} rows per table ({database_name(small_url)})")
            small = small_query_counts(small_url, static_root, args.page)
            for row in rows:
                row["queries_small"] = small[row["name"]]["queries"]
                row["page_small"] = small[row["name"]]["page"]

        served = None
        if not args.skip_gunicorn:
            if shutil.which("wrk") is None:
                print("bench: wrk is missing (sudo apt-get install wrk): no gunicorn figures.")
            else:
                served = measure_gunicorn(pages, database_url, static_root, args)
                for row in rows:
                    outcome = served["pages"][row["name"]]
                    row["rps"] = outcome["rps"]
                    row["rps_ratio"] = outcome["rps_ratio"]
                    row["rendered_rps_ratio"] = outcome["rendered_rps_ratio"]
                    row["gunicorn_p50_ms"] = outcome["p50_ms"]
                    if outcome["non_2xx"] or outcome["socket_errors"]:
                        row["gunicorn_errors"] = outcome["non_2xx"] + outcome["socket_errors"]

        imported = None
        if not args.skip_import:
            print("== The WDPA import (bench/wdpa_import.py)", flush=True)
            imported = wdpa_import.measure(database_url, wdpa_import.SIZES)

        downloaded = None
        if wants_download(args):
            print(f"== The CSV download of {downloads.PATH} (bench/downloads.py)", flush=True)
            downloaded = downloads.measure()

        for row in rows:
            page = pages_by_name[row["name"]]
            row.setdefault("queries_small", None)
            row.setdefault("rps_ratio", None)
            row["target_ms"] = page.p95_target_ms
            row["ok"], row["misses"] = verdict(row, page)

        report = {
            "scale": scale_description(database_url),
            "pages": [{key: row[key] for key in REPORT_KEYS} | row for row in rows],
            "after_edits": edits,
            "wdpa_import": imported,
            "download": downloaded,
            "healthz_rps": served["healthz_rps"] if served else None,
            "settings": {
                "requests": args.requests,
                "warmup": args.warmup,
                "rows_per_table": args.rows,  # None: the full counts
                "cache": "redis" if args.redis_url else "memory",
                "gunicorn_workers": None if served is None else args.workers,
                "wrk": None
                if served is None
                else f"-t{args.threads} -c{args.connections} -d{args.duration:g}s",
            },
            "machine": machine(),
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - started),
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print()
        print(markdown_table(rows, pages_by_name))
        print()
        if edits:
            print(after_edits_table(edits))
            print()
        if imported:
            print(wdpa_import.markdown(imported))
            print()
        if downloaded:
            print(downloads.markdown(downloaded))
            print()
        if served:
            rates = served["healthz_rps"]
            print(f"/healthz: {min(rates):,.0f} to {max(rates):,.0f} req/s (before each page)")
        print(f"Wrote {args.output} in {report['seconds']} s.")
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
