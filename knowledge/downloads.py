"""The library's lists as CSV files (`?format=csv`): best practices, resources, stories.

The rows are the list's own, filtered and searched as the page does (the views pass
them). Each row is read as plain values, in the reader's language where a published
translation exists (the same LEFT JOIN as search's, apap_portal.fulltext.search), with a
`language` column naming the language of its text; related records by their slugs, in
the same query; a batch at a time (apap_portal.downloads).
"""

from __future__ import annotations

from django.db.models import Case, F, Model, QuerySet, When
from django.http import HttpRequest, StreamingHttpResponse

from apap_portal.downloads import related_keys, translated_csv, translated_text


def best_practice_columns(model: type[Model], language: str) -> dict:
    # The practice's protected area is named only to those who may see the area.
    shown_area = Case(When(shows_protected_area=True, then=F("protected_area__slug")))
    return {
        "slug": "slug",
        **translated_text(model, language, "title", "summary"),
        "protected_area": shown_area,
        "countries": related_keys(model, "countries", "iso3"),
        "organization": "organization__slug",
        "contributors": "contributors",
        "themes": related_keys(model, "themes"),
        "ecosystems": related_keys(model, "ecosystems"),
        "challenges": related_keys(model, "challenges"),
        "gbf_targets": related_keys(model, "gbf_targets", "code"),
        "visibility": "visibility",
        "published_at": "published_at",
    }


def best_practices_csv(request: HttpRequest, practices: QuerySet) -> StreamingHttpResponse:
    return translated_csv(
        request,
        practices,
        "best-practices",
        "knowledge:bestpractice_detail",
        best_practice_columns,
    )


def resource_columns(model: type[Model], language: str) -> dict:
    return {
        "slug": "slug",
        **translated_text(model, language, "title", "summary"),
        "kind": "kind",
        "authors": "authors",
        "publisher": "publisher",
        "year": "year",
        "translation_of": "translation_of__slug",
        "link": "url",
        "work_area": "work_area__slug",
        "themes": related_keys(model, "themes"),
        "gbf_targets": related_keys(model, "gbf_targets", "code"),
        "visibility": "visibility",
    }


def resources_csv(request: HttpRequest, resources: QuerySet) -> StreamingHttpResponse:
    return translated_csv(
        request, resources, "resources", "knowledge:resource_detail", resource_columns
    )


def story_columns(model: type[Model], language: str) -> dict:
    return {
        "slug": "slug",
        **translated_text(model, language, "title", "lead"),
        "kind": "kind",
        "work_area": "work_area__slug",
        "visibility": "visibility",
        "published_at": "published_at",
    }


def stories_csv(request: HttpRequest, stories: QuerySet) -> StreamingHttpResponse:
    return translated_csv(request, stories, "stories", "knowledge:story_detail", story_columns)
