"""/api/v1/: the API's endpoints, its OpenAPI description and its documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from api import docs, views

app_name = "api"


class Router(DefaultRouter):
    """The endpoints, and at /api/v1/ a root that lists them (no trailing-slash variants)."""

    include_format_suffixes = False


router = Router()
router.register("countries", views.CountryViewSet, basename="country")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("protected-areas", views.ProtectedAreaViewSet, basename="protectedarea")
router.register("transboundary-areas", views.TransboundaryAreaViewSet, basename="transboundaryarea")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("best-practices", views.BestPracticeViewSet, basename="bestpractice")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("stories", views.StoryViewSet, basename="story")
router.register("work-areas", views.WorkAreaViewSet, basename="workarea")
router.register("gbf-targets", views.GbfTargetViewSet, basename="gbftarget")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", docs.documentation, name="docs"),
    path("", include(router.urls)),
]
