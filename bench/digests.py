"""The digests measured: 10,000 subscribers queued and sent (issue 19, point 7).

    make bench-digests                      # or:
    DATABASE_URL=postgres://…/apap_portal_digests \\
        .venv/bin/python -m bench.digests [--subscribers 10000] [--workers 2]

Needs no scale data: the database of DATABASE_URL is created if missing and migrated, and
the benchmark writes its own few rows into it (it is the benchmark's own database: its
outbox and task queue are emptied on each run).

1. Seed (recreated each time): STORIES stories published in the last hours, the first
   VI_TRANSLATED with a published Vietnamese translation; a members-only best practice
   that the members' saved search finds; N confirmed subscribers (bulk_create), each
   following the stories daily with a mark two days back, every other one in Vietnamese;
   one in MEMBER_EVERY a member (an active account of an agency) who also follows the
   saved search. Every subscriber gets one digest, a member two.
2. Queue: `send_due_digests()` in a child process, at N/10 and at N: wall time, emails
   queued, queries (all, and those reading the content), and the child's peak resident
   memory (`ru_maxrss`). The queries are counted by a wrapper around each query
   (`connection.execute_wrapper`), not CaptureQueriesContext: that one keeps every
   query's SQL, and the outbox's bulk inserts hold the messages' bodies: it would
   measure its own memory.
3. Send: an aiosmtpd sink in a process of its own writes one line per message received
   (recipient, Message-ID); `--workers` `manage.py db_worker` processes send to it over
   SMTP on loopback. The rate is the emails over the time from the queue's commit to
   the last `sent_at`; the sink must hold exactly the queued messages, each once.
4. Pages: p50/p95 of PAGES with the test Client in this process (production settings,
   each page rendered: the whole-page cache kept out of the way, as bench/run.py does),
   idle (the workers started, nothing queued), then while the workers send the digests
   of another run of N.
5. A table; the exit status is 1, with a line saying which, when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from apap_portal.replicas.cluster import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/apap_portal_digests"
DOMAIN = "digests.bench.invalid"  # every seeded address is @ it (.invalid: never real)
PREFIX = "bench-digest"
STORIES = 5
VI_TRANSLATED = 2
MEMBER_EVERY = 50  # one subscriber in this many is a member with a saved search
SEARCH_QUERY = "q=patrols"
PAGES = ("/", "/stories/", "/knowledge/best-practices/")
PAGE_KIND = {"/": "other", "/stories/": "list", "/knowledge/best-practices/": "list"}
IDLE_REQUESTS = 60
MIN_BUSY_REQUESTS = 5
# Targets (issue 19, point 7).
TARGET_RATE = 200  # messages a second to the sink
MEMORY_GROWTH_MB = 10  # peak RSS at N over the peak at N/10
# A query per subscriber would be one or more; batches of OUTBOX_BATCH_SIZE (100) cost a
# few queries each: a tenth of a query a subscriber is far from either.
QUERIES_PER_EMAIL_AT_MOST = 0.1
SEND_TIMEOUT_MIN_SECONDS = 60
NODE_MODULES_VARIABLE = "APAP_BENCH_NODE_MODULES"


def peak_memory_mb() -> float:
    """This process's peak resident memory since `reset_peak_memory` (or its start)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def reset_peak_memory() -> None:
    """Start the peak (VmHWM) again from the current memory: what Django's start-up took
    (its imports, the system checks) is not the run's. Linux only; elsewhere the peak is
    the process's whole life's (ru_maxrss)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apap_portal.settings")
    import django

    django.setup()


# ---------------------------------------------------------------------------------------
# Seed


def clear() -> None:
    """Remove what the benchmark wrote, and empty the outbox and the task queue."""
    from django_tasks_db.models import DBTaskResult

    from apap_portal.outbox.models import Email
    from knowledge.models import BestPractice, Story
    from members.models import Organization, User
    from subscriptions.models import Subscriber, Subscription

    Email.objects.all().delete()
    DBTaskResult.objects.all().delete()
    Subscription.objects.filter(subscriber__email__endswith=f"@{DOMAIN}").delete()
    Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    User.objects.filter(username__startswith=PREFIX).delete()
    BestPractice.objects.filter(slug__startswith=PREFIX).delete()
    Story.objects.filter(slug__startswith=PREFIX).delete()
    Organization.objects.filter(slug__startswith=PREFIX).delete()


def _translate(original, language: str = "vi") -> None:
    model = type(original)._meta.get_field("translations").related_model
    if model.objects.filter(original=original, language=language).exists():
        return
    values = {
        name: f"{getattr(original, name)} [{language}]" for name in original.translated_fields
    }
    made = model(original=original, language=language, status="published", **values)
    made.follow_original()
    made.save()


def seed_content(now: datetime.datetime) -> None:
    """The stories and the members-only best practice, published in the last hours."""
    from knowledge.models import BestPractice, Story
    from members.models import Organization

    for index in range(STORIES):
        story, _ = Story.objects.update_or_create(
            slug=f"{PREFIX}-story-{index}",
            defaults={
                "title": f"Rangers share what works, part {index + 1}",
                "lead": "Protected-area staff from across Asia compared their patrol maps.",
                "body": "They agreed to keep **sharing**.",
                "published_at": now - datetime.timedelta(hours=index + 1),
            },
        )
        if index < VI_TRANSLATED:
            _translate(story)
    agency, _ = Organization.objects.get_or_create(
        slug=f"{PREFIX}-agency",
        defaults={"name": "Benchmark agency of digests", "kind": Organization.Kind.NATIONAL_AGENCY},
    )
    BestPractice.objects.update_or_create(
        slug=f"{PREFIX}-patrols",
        defaults={
            "title": "Community patrols that reduced poaching (benchmark)",
            "summary": "Rangers and villagers patrolled together and poaching fell.",
            "context": "A national park surrounded by farming villages.",
            "organization": agency,
            "status": "published",
            "visibility": "members",
            "published_at": now - datetime.timedelta(hours=3),
        },
    )


def seed_subscribers(count: int, now: datetime.datetime) -> dict:
    """`count` confirmed subscribers, recreated; what their digests will number."""
    from members.models import Organization, User
    from subscriptions.models import Subscriber, Subscription

    Subscription.objects.filter(subscriber__email__endswith=f"@{DOMAIN}").delete()
    Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    User.objects.filter(username__startswith=PREFIX).delete()
    agency = Organization.objects.get(slug=f"{PREFIX}-agency")
    members = range(0, count, MEMBER_EVERY)
    users = User.objects.bulk_create(
        User(
            username=f"{PREFIX}-member-{index}",
            email=f"reader-{index}@{DOMAIN}",
            organization=agency,
            is_active=True,
            password="!",
        )
        for index in members
    )
    user_of = dict(zip(members, users, strict=True))
    subscribers = Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader-{index}@{DOMAIN}",
                language="vi" if index % 2 else "en",
                user=user_of.get(index),
                confirmed_at=now - datetime.timedelta(days=30),
            )
            for index in range(count)
        ),
        batch_size=2000,
    )
    mark = now - datetime.timedelta(days=2)
    subscriptions = [
        Subscription(subscriber=subscriber, kind="stories", frequency="daily", checked_up_to=mark)
        for subscriber in subscribers
    ]
    subscriptions += [
        Subscription(
            subscriber=subscriber,
            kind="best-practices",
            frequency="daily",
            query=SEARCH_QUERY,
            checked_up_to=mark,
        )
        for subscriber in subscribers
        if subscriber.user_id
    ]
    Subscription.objects.bulk_create(subscriptions, batch_size=2000)
    return {"subscribers": count, "members": len(users), "expected": count + len(users)}


def seed(count: int) -> dict:
    """The content and `count` subscribers, with an empty outbox."""
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from apap_portal.outbox.models import Email

    now = timezone.now()
    with transaction.atomic():
        Email.objects.all().delete()
        DBTaskResult.objects.all().delete()
        seed_content(now)
        return seed_subscribers(count, now)


# ---------------------------------------------------------------------------------------
# Queue: in a child process


CONTENT_TABLES = re.compile(r'"(knowledge|activities|calls)_')


def queue() -> dict:
    """In the child: run the digests once; their figures."""
    setup_django()
    from django.db import connection

    from subscriptions.digests import send_due_digests

    counted = {"queries": 0, "content": 0}

    def count(execute, sql, params, many, context):
        counted["queries"] += 1
        if CONTENT_TABLES.search(sql):
            counted["content"] += 1
        return execute(sql, params, many, context)

    connection.ensure_connection()
    peak_before = peak_memory_mb()
    reset_peak_memory()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        queued = send_due_digests()
    seconds = time.perf_counter() - started
    return {
        "queued": queued,
        "seconds": round(seconds, 2),
        "committed_at": time.time(),
        "queries": counted["queries"],
        "content_queries": counted["content"],
        "peak_mb_before": round(peak_before, 1),
        "peak_mb": round(peak_memory_mb(), 1),
    }


def run_queue_child(environment: dict[str, str]) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.digests", "--child-queue"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"bench: the digests' run failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------
# The SMTP sink and the workers


MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def sink(port: int, path: str) -> None:
    """In the sink's process: take every message, write a line for each, until killed."""
    from aiosmtpd.controller import Controller

    output = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open until the process ends)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            found = MESSAGE_ID.search(envelope.original_content or envelope.content)
            message_id = found.group(1).decode() if found else "-"
            for recipient in envelope.rcpt_tos:
                output.write(f"{recipient}\t{message_id}\n")
            output.flush()
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


class Sink:
    """The sink's process and the lines it wrote."""

    def __init__(self):
        self.port = free_port()
        handle, self.path = tempfile.mkstemp(prefix="apap-digests-sink-", suffix=".txt")
        os.close(handle)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.digests", "--sink", str(self.port), self.path],
            cwd=BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            self.stop()
            sys.exit("bench: the SMTP sink did not start.")

    def lines(self) -> list[tuple[str, str]]:
        with open(self.path, encoding="utf-8") as lines:
            return [tuple(line.rstrip("\n").split("\t")) for line in lines if "\t" in line]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        Path(self.path).unlink(missing_ok=True)


def start_workers(count: int, environment: dict[str, str]) -> list[subprocess.Popen]:
    command = [
        sys.executable, "manage.py", "db_worker",
        "--no-startup-delay", "--no-reload", "--interval", "0.1", "--verbosity", "0",
    ]  # fmt: skip
    return [
        subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]


def cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """The CPU time (user and system) the processes have used so far (Linux's /proc)."""
    total = 0
    for process in processes:
        try:
            with open(f"/proc/{process.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15
    return total / os.sysconf("SC_CLK_TCK")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def unsent() -> int:
    from apap_portal.outbox.models import Email

    return Email.objects.exclude(status=Email.Status.SENT).count()


def failed() -> int:
    from apap_portal.outbox.models import Email

    return Email.objects.filter(status=Email.Status.FAILED).count()


def wait_until_sent(expected: int, workers: list[subprocess.Popen], while_waiting=None) -> None:
    """Until every email is sent (calling `while_waiting` in between), or exit."""
    deadline = time.monotonic() + max(SEND_TIMEOUT_MIN_SECONDS, expected / 20)
    while unsent():
        if any(worker.poll() is not None for worker in workers):
            sys.exit("bench: a worker stopped before every digest was sent.")
        if failed():
            sys.exit(f"bench: {failed()} digests failed to reach the sink.")
        if time.monotonic() > deadline:
            sys.exit(f"bench: {unsent()} digests still unsent after the timeout.")
        if while_waiting is not None:
            while_waiting()
        else:
            time.sleep(0.1)


def last_sent_at() -> float:
    from django.db.models import Max

    from apap_portal.outbox.models import Email

    return Email.objects.aggregate(last=Max("sent_at"))["last"].timestamp()


# ---------------------------------------------------------------------------------------
# Pages


def request_page(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"bench: {url} answered {response.status_code}.")
    return elapsed


def pages_idle(client, requests: int = IDLE_REQUESTS) -> dict[str, list[float]]:
    timings = {}
    for url in PAGES:
        for _ in range(3):  # warm-up
            request_page(client, url)
        timings[url] = [request_page(client, url) for _ in range(requests)]
    return timings


class BusyPages:
    """Requests of each page in turn, while the workers send (`wait_until_sent`'s callback)."""

    def __init__(self, client, requests: int = IDLE_REQUESTS):
        self.client = client
        self.requests = requests
        self.timings: dict[str, list[float]] = {url: [] for url in PAGES}

    def __call__(self) -> None:
        if all(len(samples) >= self.requests for samples in self.timings.values()):
            time.sleep(0.1)
            return
        for url in PAGES:
            self.timings[url].append(request_page(self.client, url))


def page_rows(idle: dict, busy: dict) -> list[dict]:
    from bench.pages import P95_TARGET_MS
    from bench.run import percentile

    rows = []
    for url in PAGES:
        target = P95_TARGET_MS[PAGE_KIND[url]]
        row = {"page": url, "kind": PAGE_KIND[url], "target_ms": target}
        for name, timings in (("idle", idle[url]), ("busy", busy[url])):
            row[f"{name}_n"] = len(timings)
            row[f"{name}_p50_ms"] = round(percentile(timings, 0.5), 1) if timings else None
            row[f"{name}_p95_ms"] = round(percentile(timings, 0.95), 1) if timings else None
        row["ok"] = row["busy_n"] >= MIN_BUSY_REQUESTS and (
            target is None or max(row["idle_p95_ms"], row["busy_p95_ms"]) <= target
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# The run


def production_environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
    }


def queue_and_send(count: int, environment: dict, workers: list, sink: Sink, pages=None) -> dict:
    """Seed `count` subscribers, queue their digests in a child, wait until all are sent."""
    seeded = seed(count)
    received_before = len(sink.lines())
    queued = run_queue_child(environment)
    cpu_before = cpu_seconds(workers)
    if queued["queued"] != seeded["expected"]:
        sys.exit(f"bench: {queued['queued']} digests queued, {seeded['expected']} expected.")
    wait_until_sent(queued["queued"], workers, pages)
    seconds = max(last_sent_at() - queued["committed_at"], 0.001)
    # What the workers' processor time allows, whatever else the machine runs meanwhile.
    cpu_ms = (cpu_seconds(workers) - cpu_before) * 1000 / max(queued["queued"], 1)
    # The last sent_at is written after the sink answered: its line is there already.
    received = sink.lines()[received_before:]
    return {
        **seeded,
        **queued,
        "send_seconds": round(seconds, 2),
        "rate": round(queued["queued"] / seconds),
        "worker_cpu_ms": round(cpu_ms, 2),
        "load": round(os.getloadavg()[0], 1),
        "received": len(received),
        "distinct_messages": len({message_id for _, message_id in received}),
        "distinct_recipients": len({recipient for recipient, _ in received}),
    }


def judge(small: dict, large: dict, pages: list[dict]) -> list[str]:
    misses = []
    for run in (small, large):
        if not run["received"] == run["distinct_messages"] == run["queued"]:
            misses.append(
                f"the sink received {run['received']} messages ({run['distinct_messages']} "
                f"distinct) of {run['queued']} queued"
            )
        if run["distinct_recipients"] != run["subscribers"]:
            misses.append(
                f"{run['distinct_recipients']} addresses received, {run['subscribers']} subscribe"
            )
    if large["rate"] < TARGET_RATE:
        misses.append(f"{large['rate']} messages a second (target ≥ {TARGET_RATE})")
    growth = large["peak_mb"] - small["peak_mb"]
    if growth > MEMORY_GROWTH_MB:
        misses.append(f"peak memory grew {growth:.1f} MB (target ≤ {MEMORY_GROWTH_MB} MB)")
    if large["content_queries"] != small["content_queries"]:
        misses.append(
            f"{large['content_queries']} queries of the content at N, "
            f"{small['content_queries']} at N/10: they grow with the subscribers"
        )
    if large["queries"] > QUERIES_PER_EMAIL_AT_MOST * large["queued"]:
        misses.append(f"{large['queries']} queries for {large['queued']} emails")
    for row in pages:
        if row.get("busy_n", MIN_BUSY_REQUESTS) < MIN_BUSY_REQUESTS:
            misses.append(f"{row['page']}: too few requests while the workers sent")
        elif not row["ok"]:
            misses.append(f"{row['page']}: p95 over its target of {row['target_ms']} ms")
    return misses


def table(small: dict, large: dict, pages: list[dict], workers: int) -> str:
    lines = [
        "| subscribers | emails queued | queue wall | queries (content) | queries / email "
        "| peak RSS | send wall | messages/s | worker CPU ms/msg | load | received (distinct) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in (small, large):
        lines.append(
            f"| {run['subscribers']:,} | {run['queued']:,} | {run['seconds']} s "
            f"| {run['queries']} ({run['content_queries']}) "
            f"| {run['queries'] / max(run['queued'], 1):.3f} | {run['peak_mb']} MB "
            f"| {run['send_seconds']} s | {run['rate']:,} | {run['worker_cpu_ms']} | {run['load']} "
            f"| {run['received']:,} ({run['distinct_messages']:,}) |"
        )
    growth = large["peak_mb"] - small["peak_mb"]
    lines += [
        "",
        f"{workers} worker(s). Peak RSS growth from N/10 to N: {growth:.1f} MB "
        f"(target ≤ {MEMORY_GROWTH_MB} MB); rate target ≥ {TARGET_RATE} messages/s; "
        f"queries of the content the same at both scales; the sink holds each queued "
        f"message once.",
        "",
        "| page | kind | idle n | idle p50 / p95 ms | busy n | busy p50 / p95 ms | target p95 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in pages:
        target = f"{row['target_ms']} ms" if row["target_ms"] else "none"
        lines.append(
            f"| `{row['page']}` | {row['kind']} | {row['idle_n']} "
            f"| {row['idle_p50_ms']} / {row['idle_p95_ms']} | {row['busy_n']} "
            f"| {row['busy_p50_ms']} / {row['busy_p95_ms']} | {target} |"
        )
    return "\n".join(lines)


def measure(
    subscribers: int,
    workers: int,
    environment: dict[str, str],
    client,
    requests: int = IDLE_REQUESTS,
) -> dict:
    """Steps 1 to 4 against the database Django is set up with (and `environment` names);
    `requests` of each page idle, and at most as many while the workers send."""
    smaller = max(subscribers // 10, 1)
    sink = Sink()
    worker_environment = {**environment, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
    running = start_workers(workers, worker_environment)
    try:
        seed(smaller)
        print("== Pages, idle", flush=True)
        idle = pages_idle(client, requests)
        print(f"== Queue and send at N/10 = {smaller:,}", flush=True)
        small = queue_and_send(smaller, environment, running, sink)
        print(f"== Queue and send at N = {subscribers:,}", flush=True)
        large = queue_and_send(subscribers, environment, running, sink)
        print("== Pages while the workers send another run of N", flush=True)
        busy = BusyPages(client, requests)
        queue_and_send(subscribers, environment, running, sink, pages=busy)
    finally:
        stop_workers(running)
        sink.stop()
    pages = page_rows(idle, busy.timings)
    return {"small": small, "large": large, "pages": pages, "workers": workers}


def report(figures: dict) -> tuple[str, list[str]]:
    small, large, pages = figures["small"], figures["large"], figures["pages"]
    return table(small, large, pages, figures["workers"]), judge(small, large, pages)


def prepare_database(database_url: str) -> None:
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_LOG_LEVEL": "WARNING"}
    for arguments in (["ensure_database"], ["migrate", "--no-input", "--verbosity", "0"]):
        completed = subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=environment, check=False
        )
        if completed.returncode != 0:
            sys.exit(f"bench: `manage.py {' '.join(arguments)}` failed.")


def use_node_modules(path: str | None) -> None:
    """Collect Leaflet from another checkout's node_modules (a git worktree has none)."""
    if not path:
        return
    from django.conf import settings

    settings.STATICFILES_DIRS = [
        (prefix, Path(path) / "leaflet" / "dist") if prefix == "vendor/leaflet" else entry
        for entry in settings.STATICFILES_DIRS
        for prefix in [entry[0] if isinstance(entry, tuple) else None]
    ]


def refuse_a_database_in_use() -> None:
    """The run empties the outbox and the task queue: not where others' emails wait."""
    from apap_portal.outbox.models import Email

    if Email.objects.exclude(to__endswith=f"@{DOMAIN}").exists():
        sys.exit(
            "bench: this database's outbox holds emails that are not the benchmark's, and "
            "the benchmark empties it: give it a database of its own (make bench-digests)."
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child-queue", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sink", nargs=2, metavar=("PORT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_queue:
        print(json.dumps(queue()))
        return 0
    if args.sink:
        sink(int(args.sink[0]), args.sink[1])
        return 0
    if args.subscribers < 10 or args.workers < 1:
        parser.error("at least 10 subscribers and 1 worker")

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    print(f"== Database {database_url.rsplit('/', 1)[-1]}", flush=True)
    prepare_database(database_url)
    environment = production_environment(database_url)
    os.environ.update(environment)
    from django.conf import settings

    from bench.run import collect_static
    from bench.run import setup_django as setup_with_static

    with tempfile.TemporaryDirectory(prefix="apap-digests-static-") as static_root:
        setup_with_static(static_root)
        use_node_modules(os.environ.get(NODE_MODULES_VARIABLE))
        # Hashed names as in production, without its gzip and Brotli copies of every
        # file (two minutes on two cores; a page's time does not depend on them).
        settings.STORAGES["staticfiles"] = {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        }
        collect_static(static_root)
        refuse_a_database_in_use()
        # Each page rendered, as the targets are judged: the whole-page cache would
        # answer an anonymous visitor's request in a millisecond.
        from bench.run import rendering_client

        try:
            figures = measure(args.subscribers, args.workers, environment, rendering_client())
        finally:
            clear()
    text, misses = report(figures)
    print()
    print(text)
    for miss in misses:
        print(f"bench: target missed: {miss}")
    if misses:
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
