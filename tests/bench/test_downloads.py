"""The benchmark's CSV download (bench/downloads.py), on small data.

`make bench` streams the activity list of the scale database in a child process; these
tests keep that child's work answering on a few rows (every row, the members-only ones
too, counted once), and the run's options choosing whether it runs.
"""

import subprocess

import pytest

from bench import downloads, run
from tests.factories import ActivityFactory


@pytest.mark.django_db
def test_the_download_streams_every_activity_as_staff_and_notes_the_memory():
    ActivityFactory.create_batch(12)
    ActivityFactory(visibility="members", summary="Line one\nline two")  # one row, two lines
    outcome = downloads.stream(downloads.PATH)
    assert outcome["rows"] == 13
    assert 0 < outcome["peak_mb_early"] <= outcome["peak_mb_end"]
    assert outcome["seconds"] > 0


def test_the_child_figures_give_the_rate_and_the_growth(monkeypatch):
    figures = '{"rows": 100000, "seconds": 4.0, "peak_mb_early": 120.0, "peak_mb_end": 123.5}'

    def child(command, **kwargs):
        assert command[-2:] == ["--child", downloads.PATH]
        return subprocess.CompletedProcess(command, 0, stdout=f"{figures}\n", stderr="")

    monkeypatch.setattr(downloads.subprocess, "run", child)
    report = downloads.measure()
    assert (report["rows_per_second"], report["memory_growth_mb"], report["ok"]) == (
        25_000,
        3.5,
        True,
    )
    assert "| 100,000 | 4.0 s | 25,000 |" in downloads.markdown(report)
    assert "Targets met" in downloads.markdown(report)


def test_a_download_whose_memory_grows_misses_the_target(monkeypatch):
    figures = '{"rows": 100000, "seconds": 2.0, "peak_mb_early": 120.0, "peak_mb_end": 210.0}'
    monkeypatch.setattr(
        downloads.subprocess,
        "run",
        lambda command, **kwargs: subprocess.CompletedProcess(command, 0, figures, ""),
    )
    report = downloads.measure()
    assert report["ok"] is False
    assert "Targets MISSED" in downloads.markdown(report)


@pytest.mark.parametrize(
    ("options", "measured"),
    [
        ([], True),
        (["--skip-download"], False),
        (["--page", "activities-csv"], True),
        (["--page", "best-practices"], False),
    ],
)
def test_the_run_measures_the_download_unless_left_out(options, measured):
    assert run.wants_download(run.parse_arguments(options)) is measured
