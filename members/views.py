"""Public pages of the members section: the directory, protected areas and the map."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from apap_portal.caching import cached
from apap_portal.downloads import DownloadableListMixin, absolute_url_builder
from apap_portal.pdf import PdfProfileMixin
from apap_portal.translations.reading import TranslatedDetailMixin
from members.downloads import organizations_csv, protected_areas_csv, protected_areas_geojson
from members.filters import (
    BoundingBox,
    MapTileForm,
    MapViewportForm,
    OrganizationFilter,
    ProtectedAreaFilter,
)
from members.linked_data import organization_data, protected_area_data
from members.map_tiles import Tile, tile_body
from members.models import (
    Audience,
    Organization,
    ProtectedArea,
    TransboundaryArea,
    audience_of,
    is_member_or_staff,
)

# The most areas one map response carries. Beyond a few thousand markers a browser
# slows down and the response outgrows a phone's connection; past the cap the map shows
# the largest areas and says how many it leaves out (zooming in asks for fewer).
MAP_FEATURE_CAP = 2000
# Four decimals of a degree are about 11 m: finer than a pin, and a shorter response.
MAP_COORDINATE_DECIMALS = 4
# Seconds a browser may reuse a map response (panning back and forth); the server's
# own cache follows every edit at once.
MAP_MAX_AGE = 60


class OrganizationListView(DownloadableListMixin, FilterView):
    """The member directory; `?format=csv` downloads its filtered rows."""

    downloads = {"csv": organizations_csv}
    filterset_class = OrganizationFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "members/organization_list.html"

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.for_directory()


class DescribedDetailMixin(TranslatedDetailMixin):
    """A record whose only text in other languages is its description.

    Without a description there is nothing to translate: the page, all interface, reads
    in every language, and search engines are told of each (not of the original alone).
    """

    def get_context_data(self, **kwargs):
        if self.object.description:
            return super().get_context_data(**kwargs)
        return super(TranslatedDetailMixin, self).get_context_data(**kwargs)


class OrganizationDetailView(DescribedDetailMixin, DetailView):
    """A member's (or partner's) profile."""

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.for_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_contact_emails"] = is_member_or_staff(self.request.user)
        context["structured_data"] = organization_data(self.request, self.object)
        return context


class OrganizationPdfView(PdfProfileMixin, OrganizationDetailView):
    """A member's profile as a printable PDF."""

    audience_of = staticmethod(audience_of)


class ProtectedAreaListView(DownloadableListMixin, FilterView):
    downloads = {"csv": protected_areas_csv, "geojson": protected_areas_geojson}
    filterset_class = ProtectedAreaFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "members/protectedarea_list.html"

    def get_queryset(self) -> QuerySet[ProtectedArea]:
        return ProtectedArea.objects.listed_for(self.request.user).for_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(search=self.filterset.listing.search, **kwargs)


class ProtectedAreaDetailView(DescribedDetailMixin, DetailView):
    def get_queryset(self) -> QuerySet[ProtectedArea]:
        return ProtectedArea.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = protected_area_data(self.request, self.object)
        return context


class ProtectedAreaPdfView(PdfProfileMixin, ProtectedAreaDetailView):
    """A protected area's profile as a printable PDF."""

    audience_of = staticmethod(audience_of)


@require_GET
def protected_area_boundary(request: HttpRequest, slug: str) -> HttpResponse:
    """An area's boundary as a GeoJSON Feature (404 when it has none or is not visible)."""
    area = get_object_or_404(
        ProtectedArea.objects.visible_to(request.user)
        .filter(boundary__isnull=False)
        .only("name", "slug", "wdpa_id", "site_type", "boundary"),
        slug=slug,
    )
    feature = {
        "type": "Feature",
        "geometry": json.loads(area.boundary.geojson),
        "properties": {
            "name": area.name,
            "url": area.get_absolute_url(),
            "wdpa_id": area.wdpa_id,
            "site_type": area.site_type,
        },
    }
    body = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/geo+json")
    patch_cache_control(response, private=True, max_age=MAP_MAX_AGE)
    return response


class TransboundaryAreaListView(ListView):
    def get_queryset(self) -> QuerySet[TransboundaryArea]:
        return TransboundaryArea.objects.for_list(self.request.user)


class InvalidMapFilters(Exception):
    """The list filters of a map request are wrong; `errors` says why, as JSON data."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@transaction.non_atomic_requests  # it only reads, and a cached answer needs no database
@require_GET
def protected_area_geojson(request: HttpRequest) -> HttpResponse:
    """The filtered protected areas as a GeoJSON FeatureCollection of points.

    It honours the filters of the list page, so the map shows what the list shows, and
    an optional `bbox=west,south,east,north`, so that a map asks only for its viewport.
    At most MAP_FEATURE_CAP areas, the largest first; the collection carries `total`,
    `shown` and `truncated` so that the map can say what it leaves out.

    The body is cached by audience, language, filters and (widened) box; any edit of
    the content makes a new one (apap_portal.caching). A cached answer costs no query.
    """
    viewport = MapViewportForm(request.GET)
    if not viewport.is_valid():
        return _map_bad_request(viewport.errors.get_json_data())
    bbox = viewport.cleaned_data["bbox"]
    if bbox is not None:
        bbox = bbox.widened()
    try:
        body = cached(
            _map_cache_key(request.GET, bbox, audience_of(request.user)),
            lambda: _map_body(request, bbox),
        )
    except InvalidMapFilters as error:
        return _map_bad_request(error.errors)
    response = HttpResponse(body, content_type="application/geo+json")
    # Private: members and the public are sent different collections at the same URL.
    patch_cache_control(response, private=True, max_age=MAP_MAX_AGE)
    return response


def _map_bad_request(errors: dict) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


def _map_cache_key(query: QueryDict, bbox: BoundingBox | None, audience: Audience) -> tuple:
    """What a map response depends on besides the content.

    The list's filters as asked (`fingerprint`: equivalent URLs share an entry), the
    widened box and the audience; the language too, because the detail URLs carry its
    prefix; and the day, because a Green List listing expires with the date
    (`?green_list=listed` selects other areas the day after an expiry).
    """
    filters = ProtectedAreaFilter(query, queryset=ProtectedArea.objects.none()).fingerprint()
    day = timezone.localdate().isoformat()
    return ("protected-area-map", get_language(), filters, str(bbox or ""), audience, day)


def _map_body(request: HttpRequest, bbox: BoundingBox | None) -> bytes:
    """The GeoJSON of the areas the visitor may see that the filters and box select."""
    filterset = ProtectedAreaFilter(
        request.GET, queryset=ProtectedArea.objects.listed_for(request.user)
    )
    if not filterset.is_valid():
        raise InvalidMapFilters(filterset.errors.get_json_data())
    areas = filterset.qs
    if bbox is not None:
        areas = areas.within(bbox.west, bbox.south, bbox.east, bbox.north)
    collection = _feature_collection(areas, cap=MAP_FEATURE_CAP)
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def _feature_collection(areas: QuerySet[ProtectedArea], cap: int) -> dict:
    # One row over the cap tells whether there are more, without counting them all when
    # there are not: the count query runs only for a truncated map.
    rows = list(areas.for_map()[: cap + 1])
    shown = rows[:cap]
    total = len(rows) if len(rows) <= cap else areas.with_location().count()
    detail_url = _detail_url_builder()
    return {
        "type": "FeatureCollection",
        "total": total,
        "shown": len(shown),
        "truncated": total > len(shown),
        "features": [_feature(row, detail_url) for row in shown],
    }


def _detail_url_builder() -> Callable[[str], str]:
    """An area's URL from its slug: one reverse() for the whole map, not one per area."""
    return absolute_url_builder(None, "members:protectedarea_detail")


def _feature(row: tuple, detail_url: Callable[[str], str]) -> dict:
    name, slug, latitude, longitude, iucn_category, country, site_type = row
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [
                round(float(longitude), MAP_COORDINATE_DECIMALS),
                round(float(latitude), MAP_COORDINATE_DECIMALS),
            ],
        },
        "properties": {
            "name": name,
            "url": detail_url(slug),
            "iucn_category": iucn_category,
            "country": country,
            "site_type": site_type,
        },
    }


@transaction.non_atomic_requests  # it only reads, and a cached answer needs no database
@require_GET
def protected_area_map_tile(request: HttpRequest, zoom: int, x: int, y: int) -> HttpResponse:
    """One tile of the map: clusters far out, boundaries close in (members.map_tiles).

    It honours the list's filters and its visibility rule, as the list does. Cached by
    audience, language (the detail URLs carry it), filters and tile; any edit of the
    content makes a new one. A cached answer costs no query.
    """
    form = MapTileForm({"zoom": zoom, "x": x, "y": y})
    if not form.is_valid():
        return _map_bad_request(form.errors.get_json_data())
    tile = form.tile
    try:
        body = cached(
            _map_tile_cache_key(request.GET, tile, audience_of(request.user)),
            lambda: _map_tile_body(request, tile),
        )
    except InvalidMapFilters as error:
        return _map_bad_request(error.errors)
    response = HttpResponse(body, content_type="application/geo+json")
    patch_cache_control(response, private=True, max_age=MAP_MAX_AGE)
    return response


def _map_tile_cache_key(query: QueryDict, tile: Tile, audience: Audience) -> tuple:
    """As `_map_cache_key`: filters, audience, language and day, with the tile."""
    filters = ProtectedAreaFilter(query, queryset=ProtectedArea.objects.none()).fingerprint()
    day = timezone.localdate().isoformat()
    return ("protected-area-map-tile", get_language(), filters, str(tile), audience, day)


def _map_tile_body(request: HttpRequest, tile: Tile) -> bytes:
    filterset = ProtectedAreaFilter(
        request.GET, queryset=ProtectedArea.objects.listed_for(request.user)
    )
    if not filterset.is_valid():
        raise InvalidMapFilters(filterset.errors.get_json_data())
    return tile_body(filterset.qs, tile, _detail_url_builder())
