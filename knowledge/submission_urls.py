"""Member submission of best practices and the member dashboard."""

from django.urls import path

from knowledge import submission_views

app_name = "submissions"

urlpatterns = [
    path(
        "knowledge/best-practices/submit/",
        submission_views.bestpractice_submit,
        name="bestpractice_submit",
    ),
    path(
        "knowledge/best-practices/<slug:slug>/edit/",
        submission_views.bestpractice_edit,
        name="bestpractice_edit",
    ),
    path("my/", submission_views.dashboard, name="dashboard"),
]
