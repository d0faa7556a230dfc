"""The activity list as a CSV file (`?format=csv`).

The rows are the list's own, filtered and searched as the page does (the view passes
them), read as plain values in the reader's language where a translation is published,
related records by their keys in the same query, a batch at a time
(apap_portal.downloads). Activities have a place (a city, a country) but no point, so
no GeoJSON.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from apap_portal.downloads import related_keys, translated_csv, translated_text


def activity_columns(model: type[Model], language: str | None) -> dict:
    return {
        "slug": "slug",
        **translated_text(model, language, "title", "summary"),
        "kind": "kind",
        "status": "status",
        "work_area": "work_area__slug",
        "start_date": "start_date",
        "end_date": "end_date",
        "is_online": "is_online",
        "city": "city",
        "country": "country__iso3",
        "participating_countries": related_keys(model, "participating_countries", "iso3"),
        "organizations": related_keys(model, "organizations"),
        "participants_count": "participants_count",
        "gbf_targets": related_keys(model, "gbf_targets", "code"),
        "visibility": "visibility",
    }


def activities_csv(request: HttpRequest, activities: QuerySet) -> StreamingHttpResponse:
    return translated_csv(
        request, activities, "activities", "activities:activity_detail", activity_columns
    )
