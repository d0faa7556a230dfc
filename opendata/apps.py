from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """What the portal publishes as open data, as a page (/data/) and a DCAT catalogue."""

    name = "opendata"
    verbose_name = _("Open data")
