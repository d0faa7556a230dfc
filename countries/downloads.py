"""The countries list as a CSV file (`/countries/?format=csv`): each country of Asia with
its GBF Target 3 coverage, in the list's order, in one query read a batch at a time."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from apap_portal.downloads import (
    absolute_url_builder,
    download_filename,
    download_table,
    streamed_csv,
)

COUNTRY_COLUMNS = {
    "iso3": "iso3",
    "name": "name",
    "subregion": "subregion",
    "has_member": "has_member",
    "land_area_km2": "statistics__land_area_km2",
    "marine_area_km2": "statistics__marine_area_km2",
    "pa_land_percent": "statistics__pa_land_percent",
    "pa_marine_percent": "statistics__pa_marine_percent",
    "oecm_pa_land_percent": "statistics__oecm_pa_land_percent",
    "oecm_pa_marine_percent": "statistics__oecm_pa_marine_percent",
    "statistics_as_of": "statistics__as_of",
}


def countries_csv(request: HttpRequest, countries: QuerySet) -> StreamingHttpResponse:
    detail = absolute_url_builder(request, "countries:detail", key="iso3", marker="iso")
    header, rows = download_table(countries, COUNTRY_COLUMNS, lambda iso3: detail(iso3.lower()))
    return streamed_csv(download_filename("countries", "csv"), header, rows)
