"""/api/v1/: the API's endpoints, its OpenAPI description and its documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from api import docs, views

app_name = "api"


class Root(APIRootView):
    """The API's endpoints, its OpenAPI description and its documentation."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name in ("openapi", "docs"):
            response.data[name] = reverse(f"api:{name}", request=request)
        return response


class Router(DefaultRouter):
    """The endpoints, and at /api/v1/ a root that lists them (no format suffixes)."""

    include_format_suffixes = False
    APIRootView = Root


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
