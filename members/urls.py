from django.urls import path

from members import self_service_views, views

app_name = "members"

urlpatterns = [
    path("members/", views.OrganizationListView.as_view(), name="organization_list"),
    path(
        "members/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path("members/<slug:slug>/pdf/", views.OrganizationPdfView.as_view(), name="organization_pdf"),
    path(
        "protected-areas/",
        views.ProtectedAreaListView.as_view(),
        name="protectedarea_list",
    ),
    path(
        "protected-areas/map.geojson",
        views.protected_area_geojson,
        name="protectedarea_geojson",
    ),
    path(
        "protected-areas/map/<int:zoom>/<int:x>/<int:y>.geojson",
        views.protected_area_map_tile,
        name="protectedarea_map_tile",
    ),
    path(
        "protected-areas/<slug:slug>/",
        views.ProtectedAreaDetailView.as_view(),
        name="protectedarea_detail",
    ),
    path(
        "protected-areas/<slug:slug>/boundary.geojson",
        views.protected_area_boundary,
        name="protectedarea_boundary",
    ),
    path(
        "protected-areas/<slug:slug>/pdf/",
        views.ProtectedAreaPdfView.as_view(),
        name="protectedarea_pdf",
    ),
    path("accounts/request/", self_service_views.account_request, name="account_request"),
    path(
        "accounts/request/received/",
        self_service_views.account_request_received,
        name="account_request_received",
    ),
    path("my/organization/", self_service_views.profile_edit, name="profile_edit"),
    path(
        "transboundary/",
        views.TransboundaryAreaListView.as_view(),
        name="transboundary_list",
    ),
]
