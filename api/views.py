"""The read-only JSON API at /api/v1/: the portal's lists and records for programs.

Every list and record comes from its model's own querysets (`listed_for(user)`,
`for_list()`, `for_detail()`): the API adds no rule of who sees what. The reader is the
member whose token the request carries (api.authentication), or anonymous. Even a member
reads only what is out (`listed_for`): no drafts, not even their organization's.

An answer to a reader without a token is the same for every such reader: it is kept as a
cached value (`apap_portal.caching.cached`, by its address, host and language) until a
table it read changes, and at most `PAGE_CACHE_SECONDS`, like the whole pages of
anonymous visitors (`apap_portal.caching.pages`). Unlike those, it is served by the view,
after the rate limit has counted the request. A member's token is never served a kept
answer (members-only records, "last used").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import BooleanField, ExpressionWrapper, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from activities.filters import ActivityFilter
from activities.models import Activity, WorkArea
from apap_portal.caching import cached
from apap_portal.seo import site_url
from apap_portal.translations.languages import site_languages
from api import serializers
from api.errors import InvalidParameter
from countries.models import countries_with_coverage
from knowledge.filters import BestPracticeFilter, ResourceFilter, StoryFilter
from knowledge.models import BestPractice, GbfTarget, Resource, Story
from members.filters import OrganizationFilter, ProtectedAreaFilter
from members.models import (
    Country,
    Organization,
    ProtectedArea,
    TransboundaryArea,
    in_transboundary_area,
)

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=[code for code, _name in site_languages()],
    description="The language to read records in (else Accept-Language): a record is "
    "returned in it where a published translation exists, else in its original language.",
)


def requested_language(request) -> str | None:
    """`?lang=` when given (None when it names no site language), else the request's
    (Accept-Language, or the language the reader chose on the site): /api/ has no prefix."""
    asked = request.GET.get("lang")
    if asked is None:
        return translation.get_language_from_request(request)
    codes = {code for code, _name in site_languages()}
    return asked if asked in codes else None


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER]),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER]),
)
class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a record of one kind, read in the reader's language.

    `ordering` is the cursor's order: its last field is unique, so that pages chain
    without a record on two of them or between them.
    """

    ordering: tuple[str, ...] = ("pk",)
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # a slug, as the pages' URLs take it
    detail_serializer_class = None

    def dispatch(self, request, *args, **kwargs):
        # The records are read in the language while the view runs (`.translated()` reads
        # the active one), and their pages' addresses carry its prefix.
        self.language = requested_language(request)
        with translation.override(self.language or translation.get_language()):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.language is None:
            codes = ", ".join(code for code, _name in site_languages())
            raise InvalidParameter("lang", _("Choose one of: %(codes)s.") % {"codes": codes})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A member's token and the reader's language change the answer: never shared by
        # a cache (nor kept by the portal's page cache, which keeps no private answer).
        patch_vary_headers(response, ("Accept-Language", "Cookie", "Authorization"))
        patch_cache_control(response, private=True)
        response.headers["Content-Language"] = translation.get_language()
        return response

    def list(self, request, *args, **kwargs):
        return self.shared(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.shared(super().retrieve, request, *args, **kwargs)

    def shared(self, answer, request, *args, **kwargs):
        """`answer`'s response, kept for every reader without a token (the module's
        docstring). An error (404, a bad parameter) is raised, never kept."""
        seconds = settings.PAGE_CACHE_SECONDS
        site = site_url(request)
        if seconds <= 0 or request.auth is not None or not site:
            return answer(request, *args, **kwargs)

        def render() -> tuple[bytes, str]:
            response = answer(request, *args, **kwargs)
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            return response.rendered_content, response["Content-Type"]

        # The address with its query (filters, cursor, ?lang=), the host the links are
        # built on, and the language Accept-Language chose when ?lang= is not given.
        key = ("api", f"{site}{request.get_full_path()}", self.language)
        content, content_type = cached(key, render, timeout=seconds)
        return HttpResponse(content, content_type=content_type)

    def filter_queryset(self, queryset):
        # The list's filters; a record is found by its key alone.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    @property
    def reader(self):
        return self.request.user


class ListedViewSet(ReadOnlyViewSet):
    """A kind whose list and record pages say who sees what (`listed_for`): the rows the
    reader may see, as the list (`list_rows`) or the record (`detail_rows`) reads them,
    with the languages each can be read in."""

    model: type

    def get_queryset(self) -> QuerySet:
        rows = self.model.objects.listed_for(self.reader)
        rows = self.detail_rows(rows) if self.action == "retrieve" else self.list_rows(rows)
        return rows.with_languages()

    def list_rows(self, rows: QuerySet) -> QuerySet:
        return rows.for_list()

    def detail_rows(self, rows: QuerySet) -> QuerySet:
        return rows.for_detail()


class CountryViewSet(ReadOnlyViewSet):
    """The countries of Asia and their progress toward GBF Target 3 (30 % by 2030)."""

    serializer_class = serializers.CountrySerializer
    lookup_field = "iso3"
    lookup_value_regex = "[A-Za-z]{3}"
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Country]:
        if self.action == "retrieve":
            return Country.objects.select_related("statistics")
        return countries_with_coverage()

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


class OrganizationViewSet(ListedViewSet):
    """APAP's members (the directory) with their memberships; a record for any organization."""

    serializer_class = serializers.OrganizationSerializer
    detail_serializer_class = serializers.OrganizationDetailSerializer
    filterset_class = OrganizationFilter
    model = Organization
    ordering = ("name",)

    def list_rows(self, rows):
        return rows.for_directory()

    def detail_rows(self, rows):
        return rows.for_detail(self.reader)


GEOMETRY_PARAMETER = OpenApiParameter(
    "geometry",
    OpenApiTypes.BOOL,
    description="1: add each area's boundary (or, without one, its point) as GeoJSON.",
)


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER, GEOMETRY_PARAMETER]),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER, GEOMETRY_PARAMETER]),
)
class ProtectedAreaViewSet(ListedViewSet):
    """Protected areas and OECMs (`site_type`), with the filters of their list page."""

    serializer_class = serializers.ProtectedAreaSerializer
    detail_serializer_class = serializers.ProtectedAreaDetailSerializer
    filterset_class = ProtectedAreaFilter
    model = ProtectedArea
    ordering = ("name", "id")

    def get_queryset(self) -> QuerySet[ProtectedArea]:
        areas = super().get_queryset()
        if self.wants_geometry():
            areas = areas.annotate(geometry=Coalesce(AsGeoJSON("boundary"), AsGeoJSON("map_point")))
        return areas

    def list_rows(self, rows):
        # The list page shows no description; the API gives it in the record.
        return rows.for_list().translated()

    def detail_rows(self, rows):
        return rows.for_detail().annotate(is_transboundary=in_transboundary_area())

    def wants_geometry(self) -> bool:
        value = self.request.query_params.get("geometry", "")
        if value in ("", "0", "false"):
            return False
        if value in ("1", "true"):
            return True
        raise InvalidParameter("geometry", _("Give geometry=1 to add the areas' geometry."))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "geometry": self.wants_geometry()}


class TransboundaryAreaViewSet(ReadOnlyViewSet):
    """Protected areas of two or more countries managed in cooperation."""

    serializer_class = serializers.TransboundaryAreaSerializer
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[TransboundaryArea]:
        return TransboundaryArea.objects.for_list(self.reader)


class ActivityViewSet(ListedViewSet):
    """What APAP does: trainings, workshops, forums, studies… the latest first."""

    serializer_class = serializers.ActivitySerializer
    detail_serializer_class = serializers.ActivityDetailSerializer
    filterset_class = ActivityFilter
    model = Activity
    ordering = ("-start_date", "id")


class BestPracticeViewSet(ListedViewSet):
    """Solutions that worked in protected areas, with their building blocks; the newest first."""

    serializer_class = serializers.BestPracticeSerializer
    detail_serializer_class = serializers.BestPracticeDetailSerializer
    filterset_class = BestPracticeFilter
    model = BestPractice
    ordering = ("-created_at", "id")

    def list_rows(self, rows):
        return rows.for_list(self.reader)

    def detail_rows(self, rows):
        # As the list's cards: the protected area is named only to who may see it.
        condition = rows.area_seen_by(self.reader)
        shown = ExpressionWrapper(condition, BooleanField()) if condition else Value(True)
        return rows.for_detail().annotate(shows_protected_area=shown)


class ResourceViewSet(ListedViewSet):
    """Guidance and publications."""

    serializer_class = serializers.ResourceSerializer
    detail_serializer_class = serializers.ResourceDetailSerializer
    filterset_class = ResourceFilter
    model = Resource
    ordering = ("title", "id")


class StoryViewSet(ListedViewSet):
    """News, features and advocacy statements, the latest first."""

    serializer_class = serializers.StorySerializer
    detail_serializer_class = serializers.StoryDetailSerializer
    filterset_class = StoryFilter
    model = Story
    ordering = ("-published_at", "id")


class WorkAreaViewSet(ReadOnlyViewSet):
    """APAP's three work areas and their focal activities."""

    serializer_class = serializers.WorkAreaSerializer
    ordering = ("order", "id")

    def get_queryset(self) -> QuerySet[WorkArea]:
        return WorkArea.objects.with_focal_activities().with_languages()


class GbfTargetViewSet(ReadOnlyViewSet):
    """The 23 targets of the Kunming-Montreal Global Biodiversity Framework, by number."""

    serializer_class = serializers.GbfTargetSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,2}"
    ordering = ("number",)

    def get_queryset(self) -> QuerySet[GbfTarget]:
        return GbfTarget.objects.translated().with_languages()
