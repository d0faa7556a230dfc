from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.index, name="index"),
]
