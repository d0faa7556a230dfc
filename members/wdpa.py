"""Import of protected areas from the WDPA (World Database on Protected Areas), in the
forms Protected Planet hands it out: the CSV export (legacy and current column names),
the shapefile download (a ZIP of up to three ZIPs, each with a points and a polygons
shapefile), a GeoPackage, or GeoJSON.

The file is read once, record by record, into a temporary table of the connection
(COPY): each record's validated attributes and its geometry (as WKB). Nothing is
written to the portal's tables before the whole file has been read, so a file that
cannot be read at all (wrong columns, not UTF-8, a broken archive) leaves the database
untouched; and nothing of a record stays in Python after it is staged, so memory does
not grow with the file. Then the staged sites are read back a batch at a time, in the
order the file first names them: the parcels of a site (one SITE_ID, several SITE_PID,
wherever they lie in the file) become one protected area, their areas summed, their
countries gathered, their geometries made valid and joined into one MultiPolygon; each
batch is written in one transaction. Spatial files are read through GDAL's virtual file
systems (`/vsizip/`), feature by feature: nothing is unpacked to disk.

What the WDPA owns is WDPA_OWNED_FIELDS: an import writes those and nothing else, so
what the secretariat wrote (description, slug, visibility, the management authority's
link once set) stays. Each import is kept as a WdpaImport record saying what changed.

History: each batch is one revision ("WDPA import <file>"), holding a version of each
protected area the batch created or changed; rows that change nothing add nothing.
The CSV alone would not do as history: an import may overwrite what an editor typed
(a name, a category), and only a version of the area from before and after shows it
on the area's History page, lets staff revert it, and lets an editor's open form say
that the WDPA import changed the area. The bulk writes send no signals, so the batch
adds its areas to the revision itself (`reversion.add_to_revision`). Serializing them
needs no query per area (the boundary and the countries are left out of versions, the
evaluations a version follows are read for the batch at once); the revision costs a
few queries per batch of 500 rows.
"""

from __future__ import annotations

import codecs
import csv
import enum
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from pathlib import Path, PurePosixPath

import reversion
from django.conf import settings
from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon
from django.db import DataError, IntegrityError, connection, reset_queries, transaction
from django.db.models import F, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils import timezone

from apap_portal.editing.history import revision
from apap_portal.slugs import slug_candidates, unique_slug
from members.models import (
    WGS84,
    Country,
    DesignationType,
    GovernanceType,
    IucnCategory,
    Organization,
    ProtectedArea,
    ProtectedAreaStatus,
    Realm,
    SiteType,
    WdpaImport,
)

BATCH_SIZE = 500
PROGRESS_EVERY = 500

# The fields of a protected area that the WDPA owns: an import writes these and no
# other. The secretariat's own (description, slug, visibility, the management
# authority's link once set) are never overwritten; the link is proposed only to an
# area that has none (AUTHORITY_LINK).
WDPA_OWNED_FIELDS = (
    "name",
    "original_name",
    "site_type",
    "designation",
    "designation_type",
    "iucn_category",
    "governance_type",
    "realm",
    "status",
    "status_year",
    "reported_area_km2",
    "reported_marine_area_km2",
    "gis_area_km2",
    "management_authority_name",
    "country_id",
    "countries",
    "latitude",
    "longitude",
    "boundary",
    "missing_from_wdpa_since",
)
# Keys of a row's values that are not model fields as such.
PARCEL = "_parcel"
DESIGNATION_ENG = "_designation_eng"
AUTHORITY_LINK = "management_authority_id"
COUNTRIES = "countries"
# Areas summed over a site's parcels.
SUMMED_AREAS = ("reported_area_km2", "reported_marine_area_km2", "gis_area_km2")

type FieldValues = dict[str, object]


class Progress:
    """Told how far the import is; the command draws it. `total` is None when unknown."""

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        pass


class WdpaFileError(Exception):
    """The file as a whole cannot be imported; nothing has been written."""


class RowError(ValueError):
    """A row cannot be imported; the message says why."""


class Scheme(enum.Enum):
    LEGACY = "legacy"  # WDPAID, NAME (English/Latin), ORIG_NAME, MARINE 0/1/2, PA_DEF
    CURRENT = "current"  # SITE_ID, NAME_ENG, NAME (original language), REALM, SITE_TYPE


# Column names by field key; a tuple lists the accepted aliases, first found wins.
_SCHEME_COLUMNS: dict[Scheme, dict[str, tuple[str, ...]]] = {
    Scheme.LEGACY: {
        "wdpa_id": ("WDPAID",),
        "parcel_id": ("WDPA_PID",),
        "name": ("NAME",),
        "original_name": ("ORIG_NAME",),
        "marine": ("MARINE",),
        "pa_def": ("PA_DEF",),
    },
    Scheme.CURRENT: {
        "wdpa_id": ("SITE_ID",),
        "parcel_id": ("SITE_PID",),
        "name": ("NAME_ENG",),
        "original_name": ("NAME",),
        "realm": ("REALM",),
        "site_type": ("SITE_TYPE",),
    },
}
_COMMON_COLUMNS: dict[str, tuple[str, ...]] = {
    "designation": ("DESIG",),
    "designation_eng": ("DESIG_ENG",),
    "designation_type": ("DESIG_TYPE",),
    "iucn_category": ("IUCN_CAT",),
    "governance_type": ("GOV_TYPE",),
    "management_authority": ("MANG_AUTH",),
    "reported_area": ("REP_AREA",),
    "reported_marine_area": ("REP_M_AREA",),
    "gis_area": ("GIS_AREA",),
    "status": ("STATUS",),
    "status_year": ("STATUS_YR",),
    "iso3": ("ISO3",),
    "latitude": ("LAT", "LATITUDE"),
    "longitude": ("LON", "LONG", "LONGITUDE"),
}
_REQUIRED = ("wdpa_id", "name", "iso3")


@dataclass(frozen=True)
class ColumnMap:
    scheme: Scheme
    indexes: dict[str, int]  # field key → position of its column
    width: int  # the number of columns of the header

    @property
    def id_index(self) -> int:
        return self.indexes["wdpa_id"]


def parse_header(header: list[str], where: str = "The file") -> ColumnMap:
    """Map field keys to column positions, or refuse a header that lacks required columns."""
    names = [cell.strip().lstrip("\ufeff").strip().upper() for cell in header]
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        positions.setdefault(name, index)

    if "WDPAID" in positions:
        scheme = Scheme.LEGACY
    elif "SITE_ID" in positions:
        scheme = Scheme.CURRENT
    else:
        # Without an id column the scheme is unknown, so name both alternatives.
        missing = ["WDPAID (or SITE_ID)"]
        if "NAME" not in positions and "NAME_ENG" not in positions:
            missing.append("NAME (or NAME_ENG)")
        if "ISO3" not in positions:
            missing.append("ISO3")
        raise WdpaFileError(f"{where} lacks the required columns: {', '.join(missing)}.")

    columns = {**_SCHEME_COLUMNS[scheme], **_COMMON_COLUMNS}
    indexes: dict[str, int] = {}
    for key, aliases in columns.items():
        found = [positions[alias] for alias in aliases if alias in positions]
        if found:
            indexes[key] = found[0]

    missing = [" or ".join(columns[key]) for key in _REQUIRED if key not in indexes]
    if missing:
        raise WdpaFileError(
            f"{where} lacks the required columns: {', '.join(missing)} "
            f"(it has {columns['wdpa_id'][0]}, so it uses the {scheme.value} WDPA column names)."
        )
    if ("latitude" in indexes) != ("longitude" in indexes):
        present, absent = (
            ("latitude", "longitude") if "latitude" in indexes else ("longitude", "latitude")
        )
        raise WdpaFileError(
            f"{where} has a {present} column but lacks the {absent} column: "
            f"{' or '.join(columns[absent])}."
        )
    return ColumnMap(scheme=scheme, indexes=indexes, width=len(header))


@dataclass(frozen=True)
class Lookups:
    """Reference data loaded once, so that rows are validated without queries."""

    country_ids: dict[str, int]  # by upper-case ISO3
    organization_ids: dict[str, int]  # by exact name, or by acronym when unambiguous

    @classmethod
    def load(cls) -> Lookups:
        country_ids = {iso3.upper(): pk for pk, iso3 in Country.objects.values_list("pk", "iso3")}
        organizations = list(Organization.objects.values_list("pk", "name", "acronym"))
        acronyms: dict[str, list[int]] = {}
        for pk, _name, acronym in organizations:
            if acronym:
                acronyms.setdefault(acronym, []).append(pk)
        organization_ids = {acronym: pks[0] for acronym, pks in acronyms.items() if len(pks) == 1}
        # A full name is more specific than an acronym, so it wins a clash.
        organization_ids.update({name: pk for pk, name, _acronym in organizations})
        return cls(country_ids=country_ids, organization_ids=organization_ids)


_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?", re.ASCII)  # GIS tools write ids as "1234.0"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_MAX_BIGINT = 2**63 - 1


def _integer(text: str, what: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise RowError(f"{what} {text!r} is not a whole number")
    return int(Decimal(text))


def _decimal(text: str, what: str, *, places: int, integer_digits: int) -> Decimal:
    """A number that fits a DecimalField of the given shape, rounded to its places."""
    if not _NUMBER.fullmatch(text):
        raise RowError(f"{what} {text!r} is not a number")
    number = Decimal(text)
    # Checked before rounding too: quantize() fails outright on huge exponents.
    if abs(number) >= 10**integer_digits:
        raise RowError(f"{what} {text!r} is too large")
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if abs(number) >= 10**integer_digits:
        raise RowError(f"{what} {text!r} is too large")
    return number


def _text(text: str, what: str, *, max_length: int = 255) -> str:
    if len(text) > max_length:
        raise RowError(f"{what} is longer than {max_length} characters")
    return text


def _choice[C: enum.Enum](text: str, choices: type[C], what: str) -> C:
    for choice in choices:
        if choice.value.casefold() == text.casefold():
            return choice
    raise RowError(f"unknown {what} {text!r}")


def _parse_wdpa_id(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        raise RowError("the WDPA id is empty")
    wdpa_id = _integer(text, "the WDPA id")
    if not 1 <= wdpa_id <= _MAX_BIGINT:
        raise RowError(f"the WDPA id {text!r} is out of range")
    return {"wdpa_id": wdpa_id}


def _parse_name(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        raise RowError("the name is empty")
    return {"name": _text(text, "the name")}


def _parse_original_name(text: str, lookups: Lookups) -> FieldValues:
    return {"original_name": _text(text, "the original name")}


def _parse_marine(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        return {}
    realms = {0: Realm.TERRESTRIAL, 1: Realm.COASTAL, 2: Realm.MARINE}
    code = int(Decimal(text)) if _INTEGER.fullmatch(text) else None
    if code not in realms:
        raise RowError(f"MARINE {text!r} is not 0, 1 or 2")
    return {"realm": realms[code]}


def _parse_realm(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        return {}
    try:
        return {"realm": Realm(text.casefold())}
    except ValueError:
        raise RowError(f"unknown realm {text!r}") from None


def _parse_designation(text: str, lookups: Lookups) -> FieldValues:
    return {"designation": _text(text, "the designation")}


def _parse_designation_type(text: str, lookups: Lookups) -> FieldValues:
    try:
        return {"designation_type": _choice(text, DesignationType, "designation type")}
    except RowError:
        return {"designation_type": ""}


def _parse_iucn_category(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        return {"iucn_category": IucnCategory.NOT_REPORTED}
    return {"iucn_category": _choice(text, IucnCategory, "IUCN category")}


def _parse_governance_type(text: str, lookups: Lookups) -> FieldValues:
    try:
        return {"governance_type": _choice(text, GovernanceType, "governance type")}
    except RowError:
        return {"governance_type": GovernanceType.NOT_REPORTED}


def _parse_management_authority(text: str, lookups: Lookups) -> FieldValues:
    # The WDPA writes "Not Reported" where it knows no authority; that is no name.
    name = "" if text.casefold() == "not reported" else _text(text, "MANG_AUTH")
    values: FieldValues = {"management_authority_name": name}
    # A link is the secretariat's: the import only proposes one where there is none.
    if name and name in lookups.organization_ids:
        values[AUTHORITY_LINK] = lookups.organization_ids[name]
    return values


def _area(text: str, field_name: str, what: str) -> FieldValues:
    if not text:
        return {field_name: None}
    area = _decimal(text, what, places=3, integer_digits=9)
    if area < 0:
        raise RowError(f"{what} {text!r} is negative")
    return {field_name: area}


def _parse_reported_area(text: str, lookups: Lookups) -> FieldValues:
    return _area(text, "reported_area_km2", "the reported area")


def _parse_reported_marine_area(text: str, lookups: Lookups) -> FieldValues:
    return _area(text, "reported_marine_area_km2", "the reported marine area")


def _parse_gis_area(text: str, lookups: Lookups) -> FieldValues:
    return _area(text, "gis_area_km2", "the GIS area")


def _parse_parcel_id(text: str, lookups: Lookups) -> FieldValues:
    return {PARCEL: text}


def _parse_site_type(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        return {}
    return {"site_type": _choice(text, SiteType, "site type")}


def _parse_pa_def(text: str, lookups: Lookups) -> FieldValues:
    # The legacy PA_DEF: 1 a protected area, 0 an OECM.
    if not text:
        return {}
    code = int(Decimal(text)) if _INTEGER.fullmatch(text) else None
    if code not in (0, 1):
        raise RowError(f"PA_DEF {text!r} is not 0 or 1")
    return {"site_type": SiteType.PROTECTED_AREA if code else SiteType.OECM}


def _parse_designation_eng(text: str, lookups: Lookups) -> FieldValues:
    return {DESIGNATION_ENG: _text(text, "the English designation")}


def _parse_status(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        return {"status": ProtectedAreaStatus.NOT_REPORTED}
    return {"status": _choice(text, ProtectedAreaStatus, "status")}


def _parse_status_year(text: str, lookups: Lookups) -> FieldValues:
    year = _integer(text, "the status year") if text else 0
    if year == 0:  # the WDPA's "unknown"
        return {"status_year": None}
    if not 1800 <= year <= 2100:
        raise RowError(f"the status year {text!r} is not between 1800 and 2100")
    return {"status_year": year}


def _parse_iso3(text: str, lookups: Lookups) -> FieldValues:
    if not text:
        raise RowError("ISO3 is empty")
    # A site in several countries lists them all; it is listed under the first we know
    # and found under every one (`countries`). Codes we do not know (outside the
    # portal's countries) are left out.
    known: list[int] = []
    for code in text.split(";"):
        country_id = lookups.country_ids.get(code.strip().upper())
        if country_id is not None and country_id not in known:
            known.append(country_id)
    if not known:
        raise RowError(f"unknown ISO3 country code {text!r}")
    return {"country_id": known[0], COUNTRIES: tuple(known)}


def _parse_latitude(text: str, lookups: Lookups) -> FieldValues:
    return _coordinate(text, "latitude", 90)


def _parse_longitude(text: str, lookups: Lookups) -> FieldValues:
    return _coordinate(text, "longitude", 180)


def _coordinate(text: str, name: str, bound: int) -> FieldValues:
    """A latitude or longitude in degrees, from -`bound` to `bound`; none when blank."""
    if not text:
        return {}
    degrees = _decimal(text, f"the {name}", places=6, integer_digits=3)
    if not -bound <= degrees <= bound:
        raise RowError(f"the {name} {text!r} is not between -{bound} and {bound}")
    return {name: degrees}


_FIELD_PARSERS: dict[str, Callable[[str, Lookups], FieldValues]] = {
    "wdpa_id": _parse_wdpa_id,
    "parcel_id": _parse_parcel_id,
    "name": _parse_name,
    "original_name": _parse_original_name,
    "marine": _parse_marine,
    "pa_def": _parse_pa_def,
    "realm": _parse_realm,
    "site_type": _parse_site_type,
    "designation": _parse_designation,
    "designation_eng": _parse_designation_eng,
    "designation_type": _parse_designation_type,
    "iucn_category": _parse_iucn_category,
    "governance_type": _parse_governance_type,
    "management_authority": _parse_management_authority,
    "reported_area": _parse_reported_area,
    "reported_marine_area": _parse_reported_marine_area,
    "gis_area": _parse_gis_area,
    "status": _parse_status,
    "status_year": _parse_status_year,
    "iso3": _parse_iso3,
    "latitude": _parse_latitude,
    "longitude": _parse_longitude,
}


def parse_row(cells: list[str], columns: ColumnMap, lookups: Lookups) -> FieldValues:
    """The model field values (by attname) of a row, or a RowError naming all its faults.

    Only fields whose columns the file has are returned, so that an update leaves
    the others alone.
    """
    if len(cells) < columns.width or any(cell.strip() for cell in cells[columns.width :]):
        raise RowError(f"it has {len(cells)} fields where the header has {columns.width}")
    values: FieldValues = {}
    errors: list[str] = []
    for key, index in columns.indexes.items():
        try:
            values.update(_FIELD_PARSERS[key](cells[index].strip(), lookups))
        except RowError as error:
            errors.append(str(error))
    if errors:
        raise RowError("; ".join(errors))

    # The portal shows the designation in English where the WDPA gives it.
    if english := values.pop(DESIGNATION_ENG, ""):
        values["designation"] = english
    if values.get("original_name") == values["name"]:
        values["original_name"] = ""
    # The model requires both coordinates or neither.
    if ("latitude" in values) != ("longitude" in values):
        given = "latitude" if "latitude" in values else "longitude"
        raise RowError(f"it gives a {given} but not the other coordinate")
    return values


# Reading the file: every source yields its records as (where, cells, geometry getter).


@dataclass(frozen=True)
class SourceRecord:
    where: str  # "line 12", or "…_shp_0.zip/x-polygons feature 3" in a spatial file
    cells: list[str]
    columns: ColumnMap
    geometry: Callable[[], OGRGeometry | None] = lambda: None


class CsvSource:
    """A CSV export: records are lines (a record may span several)."""

    spatial = False

    def __init__(self, path: Path):
        self.path = path

    def records(self) -> Iterator[SourceRecord]:
        try:
            file = open(self.path, "rb")  # noqa: SIM115 (closed below, read lazily)
        except OSError as error:
            raise WdpaFileError(f"Cannot read {self.path}: {error.strerror or error}.") from error
        with file:
            rows = read_records(decoded_lines(file))
            header = next(rows, None)
            if header is None:
                raise WdpaFileError("The file is empty.")
            columns = parse_header(header[2])
            for first_line, last_line, cells in rows:
                if not any(cell.strip() for cell in cells):
                    continue
                where = f"line {first_line}"
                if last_line > first_line:
                    # A record spanning many lines usually means an unbalanced quote.
                    cells = _SpanningCells(cells, first_line, last_line)
                yield SourceRecord(where, cells, columns)

    def total(self) -> int | None:
        return None


class _SpanningCells(list):
    """The cells of a record over several lines, which a row error should mention."""

    def __init__(self, cells: list[str], first: int, last: int):
        super().__init__(cells)
        self.span = f" (the record spans lines {first} to {last})"


class SpatialSource:
    """Shapefiles (in nested ZIPs or not), a GeoPackage or GeoJSON, read through GDAL."""

    spatial = True

    def __init__(self, path: Path):
        self.path = path
        self.datasets = _datasets(path)  # (label, GDAL path) of every dataset to read

    def _layers(self) -> Iterator[tuple[str, object]]:
        for label, gdal_path in self.datasets:
            try:
                source = DataSource(gdal_path, encoding="utf-8")
            except GDALException as error:
                raise WdpaFileError(f"Cannot read {label}: {error}.") from None
            for layer in source:
                name = label if len(source) == 1 else f"{label}/{layer.name}"
                yield name, layer

    def total(self) -> int:
        return sum(len(layer) for _name, layer in self._layers())

    def records(self) -> Iterator[SourceRecord]:
        for name, layer in self._layers():
            if not len(layer):
                continue  # an empty part of a download: its columns do not matter
            columns = parse_header(list(layer.fields), where=name)
            transform = _to_wgs84(layer)
            # Only the columns the import reads; the others stay blank. Each field read is
            # a few calls into GDAL.
            wanted = sorted(set(columns.indexes.values()))
            blank = [""] * columns.width
            for feature in layer:
                cells = blank.copy()
                for index in wanted:
                    cells[index] = feature[index].as_string() or ""
                yield SourceRecord(
                    f"{name} feature {feature.fid}",
                    cells,
                    columns,
                    _geometry_getter(feature, transform),
                )


def _geometry_getter(feature, transform) -> Callable[[], OGRGeometry | None]:
    def geometry() -> OGRGeometry | None:
        try:
            geom = feature.geom
        except GDALException:  # a record without geometry
            return None
        if transform is not None:
            geom.transform(transform)
        return geom

    return geometry


def _to_wgs84(layer) -> SpatialReference | None:
    """What a layer's geometries must be transformed to, or None when already WGS 84."""
    srs = layer.srs
    if srs is None or srs.srid == WGS84 or (srs.geographic and "WGS" in (srs.name or "")):
        return None
    return SpatialReference(WGS84)


def _datasets(path: Path) -> list[tuple[str, str]]:
    """The GDAL paths to read in a file: a ZIP's shapefiles (in inner ZIPs too), or the file.

    Protected Planet's download is a ZIP holding `…_shp_0.zip` to `…_shp_2.zip`, each with
    a `…-points` and a `…-polygons` shapefile; the listing reads only the archives'
    directories, and GDAL reads the shapefiles inside without unpacking them.
    """
    if not zipfile.is_zipfile(path):
        return [(path.name, str(path))]
    # GDAL's braces delimit each archive's path: without them, an outer ZIP that holds
    # a single inner ZIP is taken for that file, and the path inside it is not found.
    outer = f"/vsizip/{{{path.resolve()}}}"
    datasets: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                lower = name.lower()
                if lower.endswith(".shp") or lower.endswith(".gpkg"):
                    datasets.append((name, f"{outer}/{name}"))
                elif lower.endswith(".zip"):
                    with archive.open(name) as inner_file, zipfile.ZipFile(inner_file) as inner:
                        for inner_name in sorted(inner.namelist()):
                            if inner_name.lower().endswith((".shp", ".gpkg")):
                                label = f"{PurePosixPath(name).name}/{inner_name}"
                                datasets.append((label, f"/vsizip/{{{outer}/{name}}}/{inner_name}"))
    except (zipfile.BadZipFile, OSError) as error:
        raise WdpaFileError(f"{path.name} is not a readable ZIP archive: {error}.") from None
    if not datasets:
        raise WdpaFileError(
            f"{path.name} holds no shapefile or GeoPackage (nor ZIPs of them): "
            "is it Protected Planet's shapefile download?"
        )
    return datasets


def open_source(path: str | Path) -> CsvSource | SpatialSource:
    """The reader of a file, chosen by its content (a ZIP) or its extension."""
    path = Path(path)
    if not path.exists():
        raise WdpaFileError(f"Cannot read {path}: No such file or directory.")
    if path.suffix.lower() in (".csv", ".txt"):
        return CsvSource(path)
    if zipfile.is_zipfile(path) or path.suffix.lower() in (".gpkg", ".geojson", ".json", ".shp"):
        return SpatialSource(path)
    raise WdpaFileError(
        f"{path.name}: give a WDPA CSV export, the shapefile download (ZIP), "
        "a GeoPackage (.gpkg) or GeoJSON (.geojson)."
    )


def read_records(lines: Iterable[str]) -> Iterator[tuple[int, int, list[str]]]:
    """The CSV records with the physical lines (first, last) each spans; header first."""
    reader = csv.reader(lines)
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise WdpaFileError(f"Line {reader.line_num} is not valid CSV: {error}.") from None
        first_line, last_line = last_line + 1, reader.line_num
        yield first_line, last_line, cells


def decoded_lines(raw_lines: Iterable[bytes]) -> Iterator[str]:
    """Decode line by line, so that a decoding error names its line."""
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise WdpaFileError(
                f"Line {number} is not UTF-8 ({error.reason}); export the file as UTF-8."
            ) from None


# The result


@dataclass(frozen=True)
class SkippedRow:
    record: str  # "line 12", or a feature of a layer
    reason: str


@dataclass
class Changes:
    """What an import changed, the first WdpaImport.CHANGES_KEPT of each kind."""

    added: list[int] = field(default_factory=list)
    changed: dict[str, dict[str, list]] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)
    returned: list[int] = field(default_factory=list)

    def note(self, kind: str, item) -> None:
        kept = getattr(self, kind)
        if len(kept) < WdpaImport.CHANGES_KEPT:
            kept.append(item)

    def note_changed(self, wdpa_id: int, fields: dict[str, list]) -> None:
        if len(self.changed) < WdpaImport.CHANGES_KEPT:
            self.changed[str(wdpa_id)] = fields


@dataclass
class ImportResult:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    returned: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    record: WdpaImport | None = None

    def add(self, other: ImportResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.returned += other.returned
        self.skipped.extend(other.skipped)
        for wdpa_id in other.changes.added:
            self.changes.note("added", wdpa_id)
        for wdpa_id in other.changes.returned:
            self.changes.note("returned", wdpa_id)
        for wdpa_id, fields in other.changes.changed.items():
            self.changes.note_changed(int(wdpa_id), fields)


# Pass 1: every record staged in a temporary table, its attributes validated
#
# The file is read once. Each record's validated attributes (as JSON) and geometry (as
# WKB) go to a temporary table of this connection, so that memory stays flat however
# large the file: nothing is kept in Python from one record to the next but the skipped
# rows' reasons. A temporary table needs the same connection throughout: a management
# command has it (not a transaction-pooling proxy such as PgBouncer's transaction mode).

STAGED_RECORDS = "wdpa_import_staged_record"
STAGED_SITES = "wdpa_import_staged_site"
# Values that JSON keeps as strings.
_DECIMAL_VALUES = (*SUMMED_AREAS, "latitude", "longitude")


def _staged_values(values: FieldValues) -> str:
    # Choices are str subclasses (written as their value), decimals written as strings.
    return json.dumps(values, default=str, separators=(",", ":"))


def _unstaged_values(text: str) -> FieldValues:
    values: FieldValues = json.loads(text)
    for name in _DECIMAL_VALUES:
        if values.get(name) is not None:
            values[name] = Decimal(values[name])  # type: ignore[arg-type]
    if COUNTRIES in values:
        values[COUNTRIES] = tuple(values[COUNTRIES])  # type: ignore[arg-type]
    return values


def _drop_stage(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGED_SITES}, {STAGED_RECORDS}")


def _stage(source: CsvSource | SpatialSource, result: ImportResult, progress: Progress) -> int:
    """Read the file into the staging tables; the number of sites it names. A file that
    cannot be read (WdpaFileError) leaves no table behind (the savepoint is undone)."""
    lookups = Lookups.load()
    total = source.total()
    with transaction.atomic(), connection.cursor() as cursor:
        _drop_stage(cursor)
        # `reason` is set for a bad record (its WDPA id still names a site of the file).
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGED_RECORDS} (seq integer PRIMARY KEY, "
            "wdpa_id bigint NOT NULL, parcel text NOT NULL, record text NOT NULL, "
            "reason text, attributes text, geometry bytea)"
        )
        copy_sql = (
            f"COPY {STAGED_RECORDS} (seq, wdpa_id, parcel, record, reason, attributes, geometry) "
            "FROM STDIN"
        )
        with cursor.copy(copy_sql) as copy:
            for record in source.records():
                result.rows_read += 1
                if result.rows_read % PROGRESS_EVERY == 0:
                    progress("Reading", result.rows_read, total)
                staged = _staged_record(record, lookups, result)
                if staged is not None:
                    copy.write_row((result.rows_read, *staged))
        progress("Reading", result.rows_read, total)
        cursor.execute(f"CREATE INDEX ON {STAGED_RECORDS} (wdpa_id, seq)")
        # The sites in the order the file first names them: the order they are written in.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGED_SITES} AS SELECT wdpa_id, min(seq) AS first "
            f"FROM {STAGED_RECORDS} GROUP BY wdpa_id"
        )
        cursor.execute(f"CREATE UNIQUE INDEX ON {STAGED_SITES} (first)")
        cursor.execute(f"ANALYZE {STAGED_RECORDS}, {STAGED_SITES}")
        cursor.execute(f"SELECT count(*) FROM {STAGED_SITES}")
        return cursor.fetchone()[0]


def _staged_record(record: SourceRecord, lookups: Lookups, result: ImportResult) -> tuple | None:
    """(WDPA id, parcel, where, reason, attributes, geometry) of a record; None for a bad
    record without a usable WDPA id (it names no site)."""
    try:
        values = parse_row(record.cells, record.columns, lookups)
        ogr = record.geometry()
        geometry = bytes(ogr.wkb) if ogr is not None else None
    except (RowError, GDALException) as error:
        reason = str(error) + getattr(record.cells, "span", "")
        if isinstance(error, GDALException):
            reason = f"its geometry is unreadable: {error}"
        result.skipped.append(SkippedRow(record.where, reason))
        wdpa_id = _id_of(record)
        if wdpa_id is None:
            return None
        return (wdpa_id, _parcel_of(record), record.where, reason, None, None)
    parcel = str(values.pop(PARCEL, ""))
    return (values["wdpa_id"], parcel, record.where, None, _staged_values(values), geometry)


def _parcel_of(record: SourceRecord) -> str:
    index = record.columns.indexes.get("parcel_id")
    return record.cells[index].strip() if index is not None else ""


def _id_of(record: SourceRecord) -> int | None:
    text = record.cells[record.columns.id_index].strip() if record.cells else ""
    return int(Decimal(text)) if _INTEGER.fullmatch(text) else None


# Pass 2: the staged sites, a batch at a time, parcels joined


@dataclass
class _Site:
    where: str  # the first record of the site
    values: FieldValues
    parcels: set[str] = field(default_factory=set)
    pk: int | None = None  # of the existing protected area with this WDPA id
    slug: str = ""  # of a protected area to create


def _merge_parcel(site: _Site, values: FieldValues) -> None:
    """Add a parcel to its site: areas summed, countries gathered; the rest is the first's."""
    for name in SUMMED_AREAS:
        if values.get(name) is not None:
            site.values[name] = (site.values.get(name) or Decimal(0)) + values[name]
    countries = list(site.values.get(COUNTRIES, ()))
    countries += [pk for pk in values.get(COUNTRIES, ()) if pk not in countries]
    site.values[COUNTRIES] = tuple(countries)
    if "latitude" not in site.values and "latitude" in values:
        site.values["latitude"], site.values["longitude"] = values["latitude"], values["longitude"]


def _staged_batches(spatial: bool, result: ImportResult) -> Iterator[list[tuple[int, _Site]]]:
    """The sites of the file in batches, in the order the file first names them."""
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT wdpa_id, first FROM {STAGED_SITES} WHERE first > %s "
                "ORDER BY first LIMIT %s",
                [after, BATCH_SIZE],
            )
            ids = cursor.fetchall()
            if not ids:
                return
            after = ids[-1][1]
            cursor.execute(
                f"SELECT wdpa_id, parcel, record, reason, attributes, geometry "
                f"FROM {STAGED_RECORDS} WHERE wdpa_id = ANY(%s) ORDER BY wdpa_id, seq",
                [[wdpa_id for wdpa_id, _first in ids]],
            )
            records: dict[int, list[tuple]] = {}
            for row in cursor.fetchall():
                records.setdefault(row[0], []).append(row[1:])
        batch = []
        for wdpa_id, _first in ids:
            site = _site_of(wdpa_id, records[wdpa_id], spatial, result)
            if site is not None:
                batch.append((wdpa_id, site))
        yield batch


def _site_of(
    wdpa_id: int, records: list[tuple], spatial: bool, result: ImportResult
) -> _Site | None:
    """A site from its staged records (in the file's order), or None, said why."""
    site: _Site | None = None
    bad_parcel = ""
    parts: list[GEOSGeometry] = []
    for parcel, where, reason, attributes, geometry in records:
        if reason is not None:  # reported as it was read
            bad_parcel = bad_parcel or where
            continue
        values = _unstaged_values(attributes)
        if site is None:
            site = _Site(where=where, values=values, parcels={parcel})
        elif parcel and parcel not in site.parcels:
            site.parcels.add(parcel)
            _merge_parcel(site, values)
        else:
            message = f"WDPA id {wdpa_id} was already imported from {site.where}"
            result.skipped.append(SkippedRow(where, message))
            continue
        if geometry is not None:
            try:
                parts.append(GEOSGeometry(memoryview(geometry), srid=WGS84))
            except (GEOSException, ValueError) as error:
                result.skipped.append(SkippedRow(where, f"its geometry is unreadable: {error}"))
                return None
    if site is None:
        return None
    if bad_parcel:
        # A site with a bad parcel would be written with part of its area: not at all.
        message = f"WDPA id {wdpa_id} is not imported: its parcel at {bad_parcel} is bad"
        result.skipped.append(SkippedRow(site.where, message))
        return None
    if spatial and not _with_geometry(site, parts, result):
        return None
    return site


def _polygons(geometry: GEOSGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry)
    # A GeometryCollection, as make_valid() may return: its polygons.
    return [part for child in geometry for part in _polygons(child) if not part.empty]


def site_geometry(parts: list[GEOSGeometry]) -> tuple[MultiPolygon | None, Point | None]:
    """The boundary of a site from its parcels' geometries (made valid, joined), and its
    point when it has no polygon (a point-only site)."""
    polygons: list[Polygon] = []
    point: Point | None = None
    for geometry in parts:
        if geometry.geom_type in ("Point", "MultiPoint"):
            point = point or (geometry if isinstance(geometry, Point) else geometry[0])
            continue
        if not geometry.valid:
            geometry = geometry.make_valid()
        polygons.extend(_polygons(geometry))
    if not polygons:
        return None, point
    boundary = MultiPolygon(polygons, srid=WGS84)
    if len(parts) > 1:
        joined = boundary.unary_union
        boundary = MultiPolygon(_polygons(joined), srid=WGS84)
    return boundary, None


def _with_geometry(site: _Site, parts: list[GEOSGeometry], result: ImportResult) -> bool:
    """Give a site its boundary or point from its parcels' geometries; False, said why,
    when GEOS cannot make them one."""
    try:
        boundary, point = site_geometry(parts)
    except (GEOSException, ValueError) as error:
        result.skipped.append(SkippedRow(site.where, f"its geometry is unusable: {error}"))
        return False
    if boundary is not None:
        site.values["boundary"] = boundary
    elif point is not None:
        site.values["latitude"] = _degrees(point.y)
        site.values["longitude"] = _degrees(point.x)
    return True


def _degrees(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


# Writing


def _unique_slug(name: str, wdpa_id: int, taken: Set[str]) -> str:
    """A free slug for a new area."""
    return unique_slug(name, taken, **_slug_options(wdpa_id))


def _slug_options(wdpa_id: int) -> dict:
    return {
        "max_length": ProtectedArea._meta.get_field("slug").max_length,
        "fallback": f"wdpa-{wdpa_id}",
        "qualifier": str(wdpa_id),
    }


class _TakenSlugs(Set):
    """The slugs taken, as a batch of new areas needs them: the first two candidates of
    each read in one query, the slugs given in the batch, and any further candidate (a
    rare third choice) asked of the database when it comes up."""

    def __init__(self, candidates: Iterable[str]):
        self.checked = set(candidates)
        self.taken = set(
            ProtectedArea.objects.filter(slug__in=self.checked).values_list("slug", flat=True)
        )

    def __contains__(self, slug: object) -> bool:
        if slug not in self.checked:
            self.checked.add(slug)
            if ProtectedArea.objects.filter(slug=slug).exists():
                self.taken.add(slug)
        return slug in self.taken

    def __iter__(self) -> Iterator[str]:
        return iter(self.taken)

    def __len__(self) -> int:
        return len(self.taken)

    def add(self, slug: str) -> None:
        self.checked.add(slug)
        self.taken.add(slug)


def _plan(batch: list[tuple[int, _Site]]) -> None:
    """Tell updates from creations (by WDPA id), and give each creation a free slug."""
    existing = dict(
        ProtectedArea.objects.filter(wdpa_id__in=[wdpa_id for wdpa_id, _site in batch]).values_list(
            "wdpa_id", "pk"
        )
    )
    new = [(wdpa_id, site) for wdpa_id, site in batch if wdpa_id not in existing]
    for wdpa_id, site in batch:
        site.pk = existing.get(wdpa_id)
    if not new:
        return
    taken = _TakenSlugs(
        candidate
        for wdpa_id, site in new
        for candidate in islice(
            slug_candidates(str(site.values["name"]), **_slug_options(wdpa_id)), 2
        )
    )
    for wdpa_id, site in new:
        site.slug = _unique_slug(str(site.values["name"]), wdpa_id, taken)
        taken.add(site.slug)


def _comparable(name: str, value):
    if name == "boundary":
        return None if value is None else bytes(value.wkb)
    if name == COUNTRIES:
        return tuple(sorted(value))
    return value


def _shown(name: str, value):
    """A value as the import record keeps it (JSON)."""
    if value is None:
        return None
    if name == "boundary":
        return f"{value.num_geom} polygon(s), {value.num_points} points"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value if isinstance(value, int | str) else str(value)


def _fields_of(site: _Site) -> FieldValues:
    values = {name: value for name, value in site.values.items() if name in WDPA_OWNED_FIELDS}
    values["missing_from_wdpa_since"] = None
    return values


def _write(sites: list[tuple[int, _Site]]) -> ImportResult:
    """Write a batch of sites; the caller provides the transaction."""
    result = ImportResult()
    creations = [(wdpa_id, site) for wdpa_id, site in sites if site.pk is None]
    through = ProtectedArea.countries.through
    if creations:
        new = []
        for wdpa_id, site in creations:
            values = _fields_of(site)
            values.pop(COUNTRIES, None)
            authority = site.values.get(AUTHORITY_LINK)
            new.append(
                ProtectedArea(
                    slug=site.slug, wdpa_id=wdpa_id, management_authority_id=authority, **values
                )
            )
        created = ProtectedArea.objects.bulk_create(new)
        through.objects.bulk_create(
            through(protectedarea_id=area.pk, country_id=country_id)
            for area, (_wdpa_id, site) in zip(created, creations, strict=True)
            for country_id in site.values.get(COUNTRIES, ())
        )
        _record(created)
        result.created = len(creations)
        for wdpa_id, _site in creations:
            result.changes.note("added", wdpa_id)

    updates = [(wdpa_id, site) for wdpa_id, site in sites if site.pk is not None]
    if not updates:
        return result
    # Read afresh and locked: bulk_update() writes the union of the changed fields for
    # every row of the batch, which must not undo an edit made since the plan.
    pks = [site.pk for _wdpa_id, site in updates]
    current = (
        ProtectedArea.objects.select_for_update().defer("search_vector", "description").in_bulk(pks)
    )
    countries_of: dict[int, list[int]] = {}
    for area_id, country_id in through.objects.filter(protectedarea_id__in=pks).values_list(
        "protectedarea_id", "country_id"
    ):
        countries_of.setdefault(area_id, []).append(country_id)
    now = timezone.now()
    changed: list[ProtectedArea] = []
    changed_fields: set[str] = set()
    new_countries: dict[int, tuple[int, ...]] = {}
    for wdpa_id, site in updates:
        area = current.get(site.pk)
        if area is None:
            result.skipped.append(SkippedRow(site.where, "its protected area was just deleted"))
            continue
        values = _fields_of(site)
        differences: dict[str, list] = {}
        for name, value in values.items():
            old = (
                # An area entered by hand lies in its one country.
                tuple(countries_of.get(area.pk, ())) or (area.country_id,)
                if name == COUNTRIES
                else getattr(area, name)
            )
            if _comparable(name, old) != _comparable(name, value):
                differences[name] = [_shown(name, old), _shown(name, value)]
        if area.management_authority_id is None and site.values.get(AUTHORITY_LINK):
            differences["management_authority_id"] = [None, site.values[AUTHORITY_LINK]]
            values["management_authority_id"] = site.values[AUTHORITY_LINK]
        if not differences:
            result.unchanged += 1
            continue
        if "missing_from_wdpa_since" in differences:
            result.returned += 1
            result.changes.note("returned", wdpa_id)
        for name in differences:
            if name == COUNTRIES:
                new_countries[area.pk] = values[COUNTRIES]
            else:
                setattr(area, name, values[name])
                changed_fields.add(name)
        # bulk_update() skips pre_save(), which is what maintains auto_now, and save(),
        # which moves the version forward; the row is locked, so counting here is safe.
        area.updated_at = now
        area.version += 1
        changed.append(area)
        result.changes.note_changed(wdpa_id, differences)
    if changed:
        ProtectedArea.objects.bulk_update(
            changed, [*sorted(changed_fields), "updated_at", "version"]
        )
        if new_countries:
            through.objects.filter(protectedarea_id__in=list(new_countries)).delete()
            through.objects.bulk_create(
                through(protectedarea_id=pk, country_id=country_id)
                for pk, countries in new_countries.items()
                for country_id in countries
            )
        _record(changed)
        result.updated = len(changed)
    return result


def _record(areas: list[ProtectedArea]) -> None:
    """Add written areas to the batch's revision (bulk writes send no post_save).

    A revision of an area holds its evaluations: read for the whole batch at once, not
    once per area.
    """
    prefetch_related_objects(areas, "evaluations")
    for area in areas:
        reversion.add_to_revision(area)


def _write_in_revision(sites: list[tuple[int, _Site]], comment: str) -> ImportResult:
    with revision(comment):
        return _write(sites)


def _write_batch(sites: list[tuple[int, _Site]], comment: str) -> ImportResult:
    """Write a batch in one transaction and revision; on a refusal, site by site."""
    try:
        return _write_in_revision(sites, comment)
    except (IntegrityError, DataError):
        pass  # e.g. a slug taken meanwhile: find the site to blame, one at a time
    result = ImportResult()
    for site in sites:
        try:
            result.add(_write_in_revision([site], comment))
        except (IntegrityError, DataError) as error:
            reason = str(error).strip().splitlines()[0]
            result.skipped.append(SkippedRow(site[1].where, f"the database refused it: {reason}"))
    return result


def _covered_countries(batch: list[tuple[int, _Site]]) -> set[int]:
    """The countries a batch covers: those with a site in them alone. A site shared with
    a neighbour does not make the file cover the neighbour (a country download lists
    the sites it shares)."""
    return {
        site.values[COUNTRIES][0]  # type: ignore[index]
        for _wdpa_id, site in batch
        if len(site.values.get(COUNTRIES, ())) == 1  # type: ignore[arg-type]
    }


def _flag_missing(covered: set[int], result: ImportResult, now) -> None:
    """Flag (never delete) the areas of the covered countries that the file no longer
    names (a bad record still names its site)."""
    missing = (
        ProtectedArea.objects.in_wdpa()
        .filter(country_id__in=covered, missing_from_wdpa_since__isnull=True)
        .exclude(wdpa_id__in=RawSQL(f"SELECT wdpa_id FROM {STAGED_SITES}", ()))
    )
    for wdpa_id in missing.order_by("wdpa_id").values_list("wdpa_id", flat=True)[
        : WdpaImport.CHANGES_KEPT
    ]:
        result.changes.note("missing", wdpa_id)
    result.missing = missing.update(
        missing_from_wdpa_since=now, updated_at=now, version=F("version") + 1
    )


def _forget_logged_queries() -> None:
    """With DEBUG on, Django logs every query with its parameters (the boundaries): the
    log is cleared per batch, so that memory does not grow with the file. Not when
    someone is counting the queries (the test tools force the log on)."""
    if settings.DEBUG and not connection.force_debug_cursor:
        reset_queries()


def import_file(
    path: str | Path, progress: Progress | None = None, *, user=None, partial: bool = False
) -> ImportResult:
    """Import a WDPA file (CSV, shapefile ZIP, GeoPackage, GeoJSON) and keep a record of it.

    Areas of the file's countries that it no longer names are flagged as missing from
    the WDPA, unless the file is `partial` (a selection of sites, not a country's
    download). Raises WdpaFileError, before writing anything, if the file as a whole
    is unusable.
    """
    progress = progress or Progress()
    started = timezone.now()
    source = open_source(path)
    result = ImportResult()
    comment = f"WDPA import {Path(path).name}"
    sites = _stage(source, result, progress)
    try:
        covered: set[int] = set()
        written = 0
        for batch in _staged_batches(source.spatial, result):
            covered |= _covered_countries(batch)
            _plan(batch)
            result.add(_write_batch(batch, comment))
            _forget_logged_queries()
            written += len(batch)
            progress("Writing", written, sites)
        with transaction.atomic():
            if not partial:
                _flag_missing(covered, result, timezone.now())
            result.record = _keep_record(Path(path).name, started, user, result, partial=partial)
    finally:
        with connection.cursor() as cursor:
            _drop_stage(cursor)
    return result


def _keep_record(
    file_name: str, started, user, result: ImportResult, *, partial: bool
) -> WdpaImport:
    result.skipped.sort(key=_record_order)
    changes = result.changes
    return WdpaImport.objects.create(
        file_name=file_name[:255],
        started_at=started,
        finished_at=timezone.now(),
        imported_by=user,
        records_read=result.rows_read,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        skipped=len(result.skipped),
        missing=result.missing,
        returned=result.returned,
        changes={
            "added": changes.added,
            "changed": changes.changed,
            "missing": changes.missing,
            "returned": changes.returned,
            "skipped": [
                [skipped.record, skipped.reason]
                for skipped in result.skipped[: WdpaImport.CHANGES_KEPT]
            ],
            # A partial file flags nothing as missing: the record says so.
            **({"partial": True} if partial else {}),
        },
    )


def _record_order(skipped: SkippedRow):
    # "line 12" sorts by its number; features keep their layer's order.
    match = re.fullmatch(r"line (\d+)", skipped.record)
    return (0, int(match.group(1)), "") if match else (1, 0, skipped.record)
