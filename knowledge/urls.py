"""The library's public pages: best practices, resources and stories."""

from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("knowledge/", views.index, name="index"),
    path(
        "knowledge/best-practices/",
        views.BestPracticeListView.as_view(),
        name="bestpractice_list",
    ),
    path(
        "knowledge/best-practices/<slug:slug>/",
        views.BestPracticeDetailView.as_view(),
        name="bestpractice_detail",
    ),
    path(
        "knowledge/best-practices/<slug:slug>/pdf/",
        views.BestPracticePdfView.as_view(),
        name="bestpractice_pdf",
    ),
    path("knowledge/resources/", views.ResourceListView.as_view(), name="resource_list"),
    path(
        "knowledge/resources/<slug:slug>/",
        views.ResourceDetailView.as_view(),
        name="resource_detail",
    ),
    path("stories/", views.StoryListView.as_view(), name="story_list"),
    path("stories/<slug:slug>/", views.StoryDetailView.as_view(), name="story_detail"),
]
