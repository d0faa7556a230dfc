"""The site-wide search page."""

from django.urls import path

from apap_portal import search_views

urlpatterns = [
    path("search/", search_views.search, name="search"),
]
