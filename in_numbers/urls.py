"""The partnership in figures (included in the root URLconf, inside the i18n patterns)."""

from django.urls import path

from in_numbers import views

app_name = "in_numbers"

urlpatterns = [
    path("in-numbers/", views.in_numbers, name="index"),
]
