"""`make lint` keeps the layering (lint-imports with the contracts of pyproject.toml).

Each test copies the code into a scratch folder, breaks a rule there, and checks that the
linter refuses it, naming what is wrong; the code itself passes in `make lint`.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["apap_portal", "members", "activities", "knowledge", "search", "in_numbers"]
PACKAGES += ["countries", "calls", "api", "opendata", "subscriptions", "demo", "bench"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("code")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    (copy / "tests").mkdir()
    (copy / "tests" / "__init__.py").touch()
    shutil.copy(ROOT / "tests" / "import_contracts.py", copy / "tests")
    shutil.copy(ROOT / "pyproject.toml", copy)
    return copy


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def with_module(copy: Path, tmp_path: Path, path: str, source: str) -> Path:
    """A copy of the code with one module more (written by the test)."""
    folder = tmp_path / "code"
    shutil.copytree(copy, folder)
    (folder / path).write_text(source, encoding="utf-8")
    return folder


def test_the_code_as_it_is_keeps_every_contract(copy_of_the_code):
    result = lint_imports(copy_of_the_code)
    assert result.returncode == 0, result.stdout
    assert "3 kept, 0 broken" in result.stdout


def test_the_plumbing_may_not_import_a_domain_app(copy_of_the_code, tmp_path):
    folder = with_module(
        copy_of_the_code,
        tmp_path,
        "apap_portal/caching/audiences.py",
        "from members.models import is_member_or_staff\n",
    )
    result = lint_imports(folder)
    assert result.returncode == 1
    assert "The plumbing imports no domain app" in result.stdout
    assert "BROKEN" in result.stdout
    assert "apap_portal.caching.audiences -> members.models" in result.stdout


def test_a_lower_layer_may_not_import_a_higher_one(copy_of_the_code, tmp_path):
    folder = with_module(
        copy_of_the_code, tmp_path, "members/figures.py", "from in_numbers import figures\n"
    )
    result = lint_imports(folder)
    assert result.returncode == 1
    assert "members.figures -> in_numbers.figures" in result.stdout


def test_an_import_cycle_is_refused_even_inside_a_function(copy_of_the_code, tmp_path):
    """The circle the old caching module hid in a function would fail today."""
    folder = with_module(
        copy_of_the_code,
        tmp_path,
        "activities/cycle.py",
        "from activities import views\n",
    )
    (folder / "activities" / "views.py").write_text(
        (folder / "activities" / "views.py").read_text(encoding="utf-8")
        + "\n\ndef deferred():\n    from activities import cycle  # noqa\n",
        encoding="utf-8",
    )
    result = lint_imports(folder)
    assert result.returncode == 1
    assert "No module imports itself back" in result.stdout
    assert "activities.cycle -> activities.views -> activities.cycle" in result.stdout
