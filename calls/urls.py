from django.urls import path

from calls import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.CallListView.as_view(), name="call_list"),
    path("calls/<slug:slug>/", views.CallDetailView.as_view(), name="call_detail"),
]
