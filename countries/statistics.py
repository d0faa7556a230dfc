"""Import of Protected Planet's country statistics (`manage.py import_country_statistics`).

Protected Planet publishes the file monthly, one row per country (and a few rows for
areas beyond national jurisdiction): land and marine area, the area its protected areas
cover and their share, the same with OECMs, and a link to its latest national report to
the CBD. The file carries no date: the importer is told the month of the release.

The file is read and checked whole before anything is written; the writes are one
transaction. A row that cannot be read is skipped with its line and the reason; rows of
countries the portal does not list (the rest of the world) are counted, not written.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from countries.models import CountryStatistics
from members.models import Country

# The file's column → the model's field; every one is required.
COLUMNS = {
    "iso3": "country",
    "pa_land_area": "pa_land_area_km2",
    "pa_marine_area": "pa_marine_area_km2",
    "land_area": "land_area_km2",
    "marine_area": "marine_area_km2",
    "percentage_pa_land_cover": "pa_land_percent",
    "percentage_pa_marine_cover": "pa_marine_percent",
    "oecms_pa_land_area": "oecm_pa_land_area_km2",
    "oecms_pa_marine_area": "oecm_pa_marine_area_km2",
    "percentage_oecms_pa_land_cover": "oecm_pa_land_percent",
    "percentage_oecms_pa_marine_cover": "oecm_pa_marine_percent",
    "nr_report_url": "national_report_url",
}
PERCENTAGES = {
    "percentage_pa_land_cover",
    "percentage_pa_marine_cover",
    "percentage_oecms_pa_land_cover",
    "percentage_oecms_pa_marine_cover",
}
LARGEST_AREA = Decimal("999999999999.99")  # what the model's area fields hold
URL_LENGTH = CountryStatistics._meta.get_field("national_report_url").max_length
is_url = URLValidator(schemes=["http", "https"])


class StatisticsFileError(Exception):
    """The file as a whole cannot be imported; nothing has been written."""


class RowError(ValueError):
    """A row cannot be imported; the message says why."""


def parse_month(text: str) -> datetime.date:
    """A release month written YYYY-MM, as the first day of that month."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise StatisticsFileError(
            f"--as-of must be the month of the statistics as YYYY-MM (e.g. 2026-05), not {text!r}."
        )
    return datetime.date(int(match[1]), int(match[2]), 1)


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: str


@dataclass
class ImportResult:
    rows_read: int = 0
    created: int = 0
    replaced: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)  # ISO3 codes the portal lacks


def _number(text: str, column: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise RowError(f"{column} is not a number: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise RowError(f"{column} must be a number of 0 or more, not {text!r}")
    if column in PERCENTAGES and value > 100:
        raise RowError(f"{column} is a percentage and cannot be {text}")
    if value > LARGEST_AREA:
        raise RowError(f"{column} is too large: {text}")
    return value.quantize(Decimal("0.01"))


def _report_url(text: str) -> str:
    """The national report's address; the file says "na" or a sentence when there is none."""
    text = text.strip()
    if len(text) > URL_LENGTH:
        return ""
    try:
        is_url(text)
    except ValidationError:
        return ""
    return text


def parse_iso3(text: str) -> str:
    iso3 = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", iso3):
        raise RowError(f"iso3 is not a three-letter code: {text!r}")
    return iso3


def parse_values(row: dict[str, str]) -> dict:
    """The row's field values; RowError says what is wrong with it."""
    values = {}
    for column, field_name in COLUMNS.items():
        if column == "iso3":
            continue
        text = row[column] or ""
        if column == "nr_report_url":
            values[field_name] = _report_url(text)
        else:
            values[field_name] = _number(text, column)
    return values


def read_rows(lines: Iterable[str]) -> csv.DictReader:
    reader = csv.DictReader(lines)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise StatisticsFileError(
            f"The file lacks the columns: {', '.join(missing)} (Protected Planet's country "
            "statistics have them)."
        )
    reader.fieldnames = header
    return reader


def import_lines(lines: Iterable[str], as_of: datetime.date) -> ImportResult:
    """Import the statistics given as text lines, header first, dated `as_of`."""
    result = ImportResult()
    countries = Country.objects.in_bulk(field_name="iso3")
    valid: dict[int, dict] = {}  # country id → values
    first_line: dict[str, int] = {}
    try:
        reader = read_rows(lines)
        for row in reader:
            line = reader.line_num
            result.rows_read += 1
            if None in row or any(value is None for value in row.values()):
                result.skipped.append(SkippedRow(line, "the row has a wrong number of cells"))
                continue
            try:
                iso3 = parse_iso3(row["iso3"])
                if iso3 in first_line:
                    raise RowError(f"{iso3} is given twice (first on line {first_line[iso3]})")
                first_line[iso3] = line
                if iso3 not in countries:
                    result.not_listed.append(iso3)
                    continue
                valid[countries[iso3].pk] = parse_values(row)
            except RowError as error:
                result.skipped.append(SkippedRow(line, str(error)))
    except csv.Error as error:
        raise StatisticsFileError(f"The file is not valid CSV: {error}.") from None
    _write(valid, as_of, result)
    return result


@transaction.atomic
def _write(valid: dict[int, dict], as_of: datetime.date, result: ImportResult) -> None:
    """Replace each country's statistics with the file's, all or nothing."""
    existing = set(
        CountryStatistics.objects.filter(country_id__in=valid).values_list("country_id", flat=True)
    )
    for country_id, values in valid.items():
        CountryStatistics.objects.update_or_create(
            country_id=country_id, defaults={**values, "as_of": as_of}
        )
    result.replaced = len(existing)
    result.created = len(valid) - len(existing)


def decoded_lines(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise StatisticsFileError(f"Cannot read {path}: {error.strerror or error}.") from error
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StatisticsFileError(f"{path} is not UTF-8 ({error.reason}).") from None
    return text.splitlines(keepends=True)


def import_file(path: str | Path, as_of: datetime.date) -> ImportResult:
    """Import a country statistics CSV; StatisticsFileError, before any write, if unusable."""
    return import_lines(decoded_lines(Path(path)), as_of)
