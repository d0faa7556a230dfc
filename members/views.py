"""Public pages of the members section: the directory, protected areas and the map."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from members.filters import OrganizationFilter, ProtectedAreaFilter
from members.models import (
    Organization,
    ProtectedArea,
    TransboundaryArea,
    is_member_or_staff,
)


class OrganizationListView(FilterView):
    """The member directory."""

    filterset_class = OrganizationFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "members/organization_list.html"

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.for_directory()


class OrganizationDetailView(DetailView):
    """A member's (or partner's) profile."""

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.for_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_contact_emails"] = is_member_or_staff(self.request.user)
        return context


class ProtectedAreaListView(FilterView):
    filterset_class = ProtectedAreaFilter
    paginate_by = settings.PAGINATE_BY
    template_name = "members/protectedarea_list.html"

    def get_queryset(self) -> QuerySet[ProtectedArea]:
        return ProtectedArea.objects.visible_to(self.request.user).for_list()


class ProtectedAreaDetailView(DetailView):
    def get_queryset(self) -> QuerySet[ProtectedArea]:
        return ProtectedArea.objects.visible_to(self.request.user).for_detail()


class TransboundaryAreaListView(ListView):
    def get_queryset(self) -> QuerySet[TransboundaryArea]:
        return TransboundaryArea.objects.for_list(self.request.user)


@require_GET
def protected_area_geojson(request):
    """The filtered protected areas as a GeoJSON FeatureCollection of points.

    It honours the filters of the list page, so the map shows what the list shows.
    """
    filterset = ProtectedAreaFilter(
        request.GET, queryset=ProtectedArea.objects.visible_to(request.user)
    )
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    rows = filterset.qs.with_location().values_list(
        "name", "slug", "latitude", "longitude", "iucn_category", "country__name"
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": {
                "name": name,
                "url": ProtectedArea(slug=slug).get_absolute_url(),
                "iucn_category": iucn_category,
                "country": country,
            },
        }
        for name, slug, lat, lon, iucn_category, country in rows
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
    )
