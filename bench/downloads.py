"""A list's CSV download measured: rows a second, and whether memory grows while it streams.

Part of `make bench` (bench/run.py, after the pages; `--skip-download` leaves it out, and
`--page activities-csv` measures it alone). A child process with the production
settings bench/run.py has set (DEBUG off, as the pages are measured)
asks for the activity list as CSV, signed in as staff (`bench-downloads`, made once),
who may see every activity: at full scale 100,000 rows. It reads the streamed body as a
client would, a line at a time, and notes its own peak resident memory (`ru_maxrss`)
once the first SAMPLE_AFTER rows are read and again at the end: the download holds no
list of its rows, so the peak must not grow with them. The parent reports the rows,
the wall time, the rows per second and that growth.

Issue 18's targets: at least TARGET_ROWS_PER_SECOND rows a second, and a peak that grows
by at most MEMORY_GROWTH_MB between the first SAMPLE_AFTER rows and the last row (a
download that kept its rows would grow by about 1 kB a row: 90 MB over 90,000 rows).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
NAME = "activities-csv"
PATH = "/activities/?format=csv"
BENCH_USERNAME = "bench-downloads"
TARGET_ROWS_PER_SECOND = 20_000
MEMORY_GROWTH_MB = 8
# The peak is first read after this many rows (or the first row of a smaller list): by
# then the response, the cursor and the first batches are all in memory.
SAMPLE_AFTER = 10_000


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def stream(path: str) -> dict:
    """In the child: request `path` as the benchmark's staff user and read it to the end."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apap_portal.settings")
    django.setup()
    from django.test import Client

    from members.models import User

    user, _ = User.objects.get_or_create(username=BENCH_USERNAME, defaults={"is_staff": True})
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    response = client.get(path)
    if response.status_code != 200 or not response.streaming:
        sys.exit(f"bench: {path} answered {response.status_code}, not a streamed download.")
    lines = 0
    early = None
    for _line in response.streaming_content:  # one chunk per CSV line (csv_lines)
        lines += 1
        if early is None and lines > SAMPLE_AFTER:
            early = peak_memory_mb()
    seconds = time.perf_counter() - started
    response.close()
    rows = max(lines - 1, 0)  # the header
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "peak_mb_early": round(early if early is not None else peak_memory_mb(), 1),
        "peak_mb_end": round(peak_memory_mb(), 1),
    }


def measure(path: str = PATH) -> dict:
    """Run the download in a child process, with this process's environment (bench/run.py
    has set the production settings and the scale database in it)."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.downloads", "--child", path],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"bench: the download of {path} failed:\n{completed.stderr[-2000:]}")
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    rate = outcome["rows"] / outcome["seconds"] if outcome["seconds"] else 0.0
    growth = outcome["peak_mb_end"] - outcome["peak_mb_early"]
    return {
        "name": NAME,
        "path": path,
        **outcome,
        "rows_per_second": round(rate),
        "memory_growth_mb": round(growth, 1),
        # A few rows say nothing of the rate: the targets are judged on a large list.
        "ok": rate >= TARGET_ROWS_PER_SECOND and growth <= MEMORY_GROWTH_MB,
    }


def markdown(report: dict) -> str:
    verdict = "met" if report["ok"] else "MISSED"
    return "\n".join(
        [
            "| download | rows | wall | rows/s | peak RSS after "
            f"{SAMPLE_AFTER:,} rows | at the end | growth |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| `{report['path']}` | {report['rows']:,} | {report['seconds']} s "
            f"| {report['rows_per_second']:,} | {report['peak_mb_early']} MB "
            f"| {report['peak_mb_end']} MB | {report['memory_growth_mb']} MB |",
            "",
            f"Targets {verdict}: ≥ {TARGET_ROWS_PER_SECOND:,} rows/s, and a peak that grows by "
            f"≤ {MEMORY_GROWTH_MB} MB while the rows stream.",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """The child process of `measure`: stream the download, print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", metavar="PATH", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(stream(args.child)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
