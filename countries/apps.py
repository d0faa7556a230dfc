from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    """Country profiles and their progress toward GBF Target 3: /countries/."""

    name = "countries"
    verbose_name = _("Country profiles")
