"""The partnership in figures (included in the root URLconf, inside the i18n patterns)."""

from django.urls import path

from apap_portal import numbers_views

urlpatterns = [
    path("in-numbers/", numbers_views.in_numbers, name="in_numbers"),
]
