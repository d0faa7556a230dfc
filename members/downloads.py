"""The member directory and the protected areas as files: `?format=csv` (and GeoJSON).

The rows are the list's own, filtered as the page filters them (the views pass them);
each is read as plain values, with its related keys in the same query, a batch at a
time (apap_portal.downloads). Names of organizations and areas are not translated, so
these files have no `language` column.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from apap_portal.downloads import (
    absolute_url_builder,
    download_filename,
    download_table,
    point_feature,
    related_keys,
    streamed_csv,
    streamed_geojson,
)
from members.models import ProtectedArea

# CSV header: what values_list() reads for it (the first is the key the URL is built from).
ORGANIZATION_COLUMNS = {
    "slug": "slug",
    "name": "name",
    "local_name": "local_name",
    "acronym": "acronym",
    "kind": "kind",
    "country": "country__iso3",
    "country_name": "country__name",
    "subregion": "country__subregion",
    "website": "website",
    "membership_category": "membership__category",
    "membership_status": "membership__status",
    "joined_on": "membership__joined_on",
}

PROTECTED_AREA_COLUMNS = {
    "slug": "slug",
    "name": "name",
    "original_name": "original_name",
    "wdpa_id": "wdpa_id",
    "site_type": "site_type",
    "country": "country__iso3",
    "countries": related_keys(ProtectedArea, "countries", "iso3"),
    "designation": "designation",
    "designation_type": "designation_type",
    "iucn_category": "iucn_category",
    "governance_type": "governance_type",
    "realm": "realm",
    "status": "status",
    "status_year": "status_year",
    "reported_area_km2": "reported_area_km2",
    "is_transboundary": "is_transboundary",
    "latitude": "map_latitude",
    "longitude": "map_longitude",
}


def organizations_csv(request: HttpRequest, organizations: QuerySet) -> StreamingHttpResponse:
    url = absolute_url_builder(request, "members:organization_detail")
    header, rows = download_table(organizations, ORGANIZATION_COLUMNS, url)
    return streamed_csv(download_filename("members", "csv"), header, rows)


def _protected_area_table(request: HttpRequest, areas: QuerySet):
    url = absolute_url_builder(request, "members:protectedarea_detail")
    return download_table(areas.with_map_coordinates(), PROTECTED_AREA_COLUMNS, url)


def protected_areas_csv(request: HttpRequest, areas: QuerySet) -> StreamingHttpResponse:
    header, rows = _protected_area_table(request, areas)
    return streamed_csv(download_filename("protected-areas", "csv"), header, rows)


def protected_areas_geojson(request: HttpRequest, areas: QuerySet) -> StreamingHttpResponse:
    """The located areas of the list as Points, with the CSV's columns as properties."""
    header, rows = _protected_area_table(request, areas.with_location())
    features = (_area_feature(dict(zip(header, row, strict=True))) for row in rows)
    return streamed_geojson(download_filename("protected-areas", "geojson"), features)


def _area_feature(row: dict):
    return point_feature(row.pop("longitude"), row.pop("latitude"), row)
