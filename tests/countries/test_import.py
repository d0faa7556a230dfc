"""manage.py import_country_statistics: Protected Planet's country statistics."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from countries.models import CountryStatistics
from tests.countries.files import ARUBA, BHUTAN, HEADER, JAPAN, VIET_NAM, statistics_file

pytestmark = pytest.mark.django_db


def run(path, as_of="2026-05") -> str:
    out = io.StringIO()
    call_command("import_country_statistics", str(path), "--as-of", as_of, stdout=out)
    return out.getvalue()


def test_a_file_of_protected_planet_is_imported_with_its_date(tmp_path):
    output = run(statistics_file(tmp_path, [VIET_NAM, BHUTAN, JAPAN]), as_of="2026-05")

    viet_nam = CountryStatistics.objects.get(country__iso3="VNM")
    assert viet_nam.pa_land_percent == Decimal("7.57")
    assert viet_nam.pa_marine_percent == Decimal("0.49")
    assert viet_nam.land_area_km2 == Decimal("326147.32")
    assert viet_nam.oecm_pa_land_area_km2 == Decimal("24686.51")
    assert viet_nam.national_report_url == "https://www.cbd.int/doc/world/vn/vn-nr-05-en.pdf"
    assert viet_nam.as_of == datetime.date(2026, 5, 1)
    assert viet_nam.imported_at is not None
    japan = CountryStatistics.objects.get(country__iso3="JPN")
    assert (japan.pa_land_percent, japan.oecm_pa_land_percent) == (
        Decimal("29.72"),
        Decimal("29.86"),
    )
    assert not CountryStatistics.objects.get(country__iso3="BTN").has_sea
    assert "3 rows read: 3 countries created, 0 replaced, 0 rows skipped" in output


def test_countries_the_portal_does_not_list_are_counted_not_written(tmp_path):
    output = run(statistics_file(tmp_path, [ARUBA, VIET_NAM]))

    assert list(CountryStatistics.objects.values_list("country__iso3", flat=True)) == ["VNM"]
    assert "1 rows of countries the portal does not list were left out: ABW" in output


def test_a_report_that_is_no_address_is_left_blank(tmp_path):
    """The file says "na", or a sentence, where a country has no national report."""
    no_report = {**VIET_NAM, "nr_report_url": "No information found in 5th National Report"}
    run(statistics_file(tmp_path, [no_report, {**BHUTAN, "nr_report_url": "na"}]))

    assert set(CountryStatistics.objects.values_list("national_report_url", flat=True)) == {""}


def test_a_file_without_some_columns_is_refused_naming_them(tmp_path):
    header = [name for name in HEADER if name not in ("land_area", "nr_report_url")]
    path = statistics_file(tmp_path, [VIET_NAM], header=header)

    with pytest.raises(CommandError, match="lacks the columns: land_area, nr_report_url"):
        run(path)
    assert not CountryStatistics.objects.exists()


def test_the_date_of_the_statistics_is_required_and_checked(tmp_path):
    path = statistics_file(tmp_path, [VIET_NAM])

    with pytest.raises(CommandError, match="as-of"):
        call_command("import_country_statistics", str(path), stdout=io.StringIO())
    for wrong in ("2026-13", "May 2026", "2026-5-1"):
        with pytest.raises(CommandError, match="YYYY-MM"):
            run(path, as_of=wrong)
    assert not CountryStatistics.objects.exists()


def test_bad_rows_are_skipped_with_their_line_and_reason(tmp_path):
    rows = [
        VIET_NAM,  # line 2
        {**BHUTAN, "land_area": "lots"},  # line 3
        {**JAPAN, "percentage_pa_land_cover": "129.72"},  # line 4
        {**JAPAN, "iso3": "JP"},  # line 5
        {**VIET_NAM, "pa_land_area": "-1"},  # line 6: and Viet Nam again
    ]
    output = run(statistics_file(tmp_path, rows))

    assert "5 rows read: 1 countries created, 0 replaced, 4 rows skipped" in output
    assert "line 3: land_area is not a number: 'lots'" in output
    assert "line 4: percentage_pa_land_cover is a percentage and cannot be 129.72" in output
    assert "line 5: iso3 is not a three-letter code: 'JP'" in output
    assert "line 6: VNM is given twice (first on line 2)" in output
    assert list(CountryStatistics.objects.values_list("country__iso3", flat=True)) == ["VNM"]


def test_a_row_with_missing_cells_is_skipped(tmp_path):
    path = statistics_file(tmp_path, [VIET_NAM])
    with path.open("a", encoding="utf-8") as file:
        file.write("BTN,0,19973.82\n")

    output = run(path)

    assert "line 3: the row has a wrong number of cells" in output


def test_a_quoted_cell_over_two_lines_is_read(tmp_path):
    """Protected Planet's file has one (Colombia's national report is "…(v.3)\\n")."""
    path = statistics_file(tmp_path, [{**JAPAN, "nr_version": "Strategy (v.3)\n"}, VIET_NAM])

    output = run(path)

    assert "2 rows read: 2 countries created" in output
    assert CountryStatistics.objects.count() == 2


def test_importing_again_replaces_each_country_s_statistics(tmp_path):
    run(statistics_file(tmp_path, [VIET_NAM, BHUTAN]), as_of="2026-05")
    newer = {**VIET_NAM, "percentage_pa_land_cover": "8.02"}

    output = run(statistics_file(tmp_path, [newer]), as_of="2026-06")

    assert "1 rows read: 0 countries created, 1 replaced" in output
    assert CountryStatistics.objects.count() == 2
    viet_nam = CountryStatistics.objects.get(country__iso3="VNM")
    assert viet_nam.pa_land_percent == Decimal("8.02")
    assert viet_nam.as_of == datetime.date(2026, 6, 1)
    # A country the newer file does not give keeps its own figures, with their date.
    assert CountryStatistics.objects.get(country__iso3="BTN").as_of == datetime.date(2026, 5, 1)


def test_an_import_that_fails_while_writing_writes_nothing(tmp_path, monkeypatch):
    written = []
    original = CountryStatistics.objects.update_or_create

    def fail_on_the_second(*args, **kwargs):
        if written:
            raise RuntimeError("the database went away")
        written.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(CountryStatistics.objects, "update_or_create", fail_on_the_second)

    with pytest.raises(RuntimeError):
        run(statistics_file(tmp_path, [VIET_NAM, BHUTAN]))
    assert written
    assert not CountryStatistics.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "statistics.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nVNM,\xff\n")

    with pytest.raises(CommandError, match="not UTF-8"):
        run(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nowhere.csv")
