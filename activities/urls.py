from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/calendar.ics", views.activity_calendar, name="calendar"),
    path("activities/<slug:slug>/event.ics", views.activity_event, name="activity_event"),
    path(
        "activities/<slug:slug>/",
        views.ActivityDetailView.as_view(),
        name="activity_detail",
    ),
    path(
        "work-areas/<slug:slug>/",
        views.WorkAreaDetailView.as_view(),
        name="workarea_detail",
    ),
]
