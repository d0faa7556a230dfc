"""The benchmark's options (bench/run.py): --rows sizes the scale database for a quick run."""

import pytest

from bench import run


def test_rows_sizes_every_table_of_the_scale_database():
    assert run.counts(500) == [
        "--best-practices=500",
        "--protected-areas=500",
        "--activities=500",
        "--resources=500",
        "--stories=500",
        "--organizations=500",
    ]


@pytest.mark.parametrize("rows", ["100", "20"])
def test_rows_no_larger_than_the_small_database_are_refused_with_a_reason(rows):
    with pytest.raises(SystemExit, match=r"needs more rows than the small one \(100 a table\)"):
        run.main(["--rows", rows])
