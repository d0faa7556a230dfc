from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search over everything a visitor may see: /search/."""

    name = "search"
    verbose_name = _("Site search")
