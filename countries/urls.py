"""Country profiles (included in the root URLconf, inside the i18n patterns)."""

from django.urls import path, re_path

from countries import views

app_name = "countries"

urlpatterns = [
    path("countries/", views.country_list, name="list"),
    # Any case: an upper-case code is sent to its lower-case URL, the one to link to.
    re_path(r"^countries/(?P<iso3>[A-Za-z]{3})/$", views.country_detail, name="detail"),
    re_path(r"^countries/(?P<iso3>[A-Za-z]{3})/pdf/$", views.country_pdf, name="pdf"),
]
