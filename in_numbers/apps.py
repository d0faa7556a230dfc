from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InNumbersConfig(AppConfig):
    """The partnership in figures and charts: /in-numbers/."""

    name = "in_numbers"
    verbose_name = _("APAP in numbers")
