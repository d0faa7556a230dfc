"""Files the portal hands out: CSV that opens safely in a spreadsheet, GeoJSON for maps.

Every CSV goes through `csv_lines` (one writer: the byte-order mark, the header, each
cell made safe). A list's download (`?format=csv`, `?format=geojson` on the list's own
URL, so that its filters carry over) is streamed (`streamed_csv`, `streamed_geojson`)
from `download_rows`: rows read from the database a batch at a time, so that 100,000
rows cost no more memory than a few thousand.
"""

import csv
import datetime
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from apap_portal.fulltext.search import shown_field, shown_language, with_translation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows a download reads from the database at a time (a server-side cursor's fetch):
# enough to keep the round trips few, small enough for memory to stay flat.
DOWNLOAD_BATCH = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
GEOJSON_CONTENT_TYPE = "application/geo+json"
# Separates the values of a many-valued column (themes, countries) in one CSV cell.
LIST_SEPARATOR = ";"


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (=HYPERLINK(…)) is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def cell(value):
    """A value as a CSV cell shows it: dates in ISO 8601, lists joined, text made safe.

    Called for every cell of 100,000-row downloads: the common kinds are tested first.
    """
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
    if value is None or isinstance(value, int | float | Decimal):  # bool is an int
        return value
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, list | tuple):
        joined = LIST_SEPARATOR.join(str(item) for item in value if item is not None)
        return spreadsheet_safe(joined)
    return spreadsheet_safe(value)


class _Line:
    """A file for csv.writer that hands each written line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The lines of a CSV file: UTF-8 with a byte-order mark, which spreadsheets need for ư
    and ộ; then the header, then each row with its cells made safe (`cell`)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def _attach(response: HttpResponse | StreamingHttpResponse, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download built whole: for small files that are cached or checked as a whole."""
    return _attach(HttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE), filename)


def _streamed(lines: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=content_type)
    # Private: a member and the public are sent different rows at the same URL, and a
    # shared cache (a CDN) must not hand one's file to the other.
    patch_cache_control(response, private=True)
    return _attach(response, filename)


def streamed_csv(filename: str, header: Iterable[str], rows: Iterable[Iterable]):
    """A CSV download written while its rows are read (`download_rows`)."""
    return _streamed(csv_lines(header, rows), CSV_CONTENT_TYPE, filename)


def geojson_lines(features: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """A GeoJSON FeatureCollection, a feature at a time."""
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for feature in features:
        yield separator + json.dumps(
            feature, ensure_ascii=False, separators=(",", ":"), default=str
        )
        separator = ",\n"
    yield "]}\n"


def json_value(value):
    """A value as a GeoJSON property: dates in ISO 8601, decimals as numbers; lists stay lists
    (JSON has no formulas to neutralise)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def point_feature(longitude, latitude, properties: Mapping[str, Any]) -> dict:
    """A GeoJSON Feature at a point (WGS 84 degrees) with `properties` (`json_value`)."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": {name: json_value(value) for name, value in properties.items()},
    }


def streamed_geojson(filename: str, features: Iterable[Mapping[str, Any]]):
    """A GeoJSON download written while its features are read."""
    return _streamed(geojson_lines(features), GEOJSON_CONTENT_TYPE, filename)


def download_rows(rows: QuerySet) -> Iterator:
    """The rows of a `values()`/`values_list()` queryset, read a batch at a time."""
    return rows.iterator(chunk_size=DOWNLOAD_BATCH)


def download_table(
    queryset: QuerySet, columns: Mapping[str, Any], url: Callable[[Any], str]
) -> tuple[list[str], Iterator[tuple]]:
    """A list's rows as a table: its header and its rows, read a batch at a time.

    `columns` maps each header to what `values_list()` reads (a field path or an
    expression, so that related names come in the same query); the first is the
    record's key, and the `url` of its page (absolute) follows it in every row.
    """
    key, *others = columns
    rows = queryset.values_list(*columns.values())
    header = [key, "url", *others]
    return header, ((row[0], url(row[0]), *row[1:]) for row in download_rows(rows))


def related_keys(model: type[Model], relation: str, key: str = "slug") -> ArraySubquery:
    """The `key`s of the records each row reaches by the many-to-many `relation`: a
    subquery of the row's own query, not a query per row.

    It reads the link table by its index and each key by the related record's primary
    key, in the order of the links: a join with the related table, sorted by key, costs
    two to three times more a row (a hash of the whole related table for each row).
    """
    field = model._meta.get_field(relation)
    target = f"{field.m2m_reverse_field_name()}_id"
    key_of_target = (
        field.related_model._base_manager.filter(pk=OuterRef(target)).order_by().values(key)
    )
    links = field.remote_field.through._base_manager.filter(
        **{f"{field.m2m_field_name()}_id": OuterRef("pk")}
    ).order_by(target)
    return ArraySubquery(links.values(_key=Subquery(key_of_target)))


def download_filename(list_name: str, extension: str) -> str:
    """apap-<list>-YYYY-MM-DD.<extension>, dated in the site's time zone."""
    return f"apap-{list_name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def absolute_url_builder(
    request: HttpRequest | None, viewname: str, key: str = "slug", marker: str = "slug"
) -> Callable[[Any], str]:
    """A record's URL from its key: one reverse() for a whole download, not one per row.

    `marker` stands in for the key in the one reverse(): a value its URL pattern accepts.
    With a request, the URL is absolute, naming the site as the request reached it.
    """
    path = reverse(viewname, kwargs={key: marker})
    if request is not None:
        path = request.build_absolute_uri(path)
    before, _, after = path.rpartition(marker)
    return lambda value: f"{before}{value}{after}"


def translated_text(model: type[Model], language: str | None, *fields: str) -> dict[str, Any]:
    """Columns of text as the reader is shown it: each field's published translation into
    `language` where there is one (`with_translation` joins it), else the original;
    `language` names the language shown, `original_language` the record's own."""
    columns = {field: shown_field(model, field, language) for field in fields}
    columns["language"] = shown_language(model, language)
    try:
        model._meta.get_field("language")
    except FieldDoesNotExist:
        return columns
    columns["original_language"] = "language"
    return columns


def translated_csv(
    request: HttpRequest,
    rows: QuerySet,
    list_name: str,
    viewname: str,
    columns: Callable[[type[Model], str | None], Mapping[str, Any]],
) -> StreamingHttpResponse:
    """A list's CSV with its text in the reader's language (the active one).

    `columns(model, language)` gives the columns (`download_table`), its text read with
    `translated_text`: the translation is joined in the rows' own query.
    """
    language = get_language()
    url = absolute_url_builder(request, viewname)
    joined = with_translation(rows, language)
    header, table = download_table(joined, columns(rows.model, language), url)
    return streamed_csv(download_filename(list_name, "csv"), header, table)


def bad_filters_response(errors: Mapping[str, Iterable[str]]) -> HttpResponseBadRequest:
    """400 for a download or feed whose filters are wrong, naming each parameter."""
    described = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    return HttpResponseBadRequest(f"Invalid filter: {described}\n", content_type="text/plain")


class DownloadableListMixin:
    """A django-filter list whose filtered rows also download: `?format=csv`, `?format=geojson`.

    `downloads` maps a format to a function of (request, the filtered rows) that answers
    it; the rows are those the page lists (its visibility, filters and search). Wrong
    filter values answer 400 naming the parameter, where the page shows them by the field.
    The page links each format (`download_formats`, templates/includes/downloads.html).
    """

    downloads: ClassVar[Mapping[str, Callable[[HttpRequest, QuerySet], Any]]] = {}

    def get(self, request, *args, **kwargs):
        answer = self.downloads.get(request.GET.get("format", ""))
        if answer is None:
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return bad_filters_response(filterset.errors)
        return answer(request, filterset.qs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(download_formats=tuple(self.downloads), **kwargs)
