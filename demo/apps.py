from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data of `make run` (`manage.py load_demo`): real facts about APAP."""

    name = "demo"
    verbose_name = _("Demo data")
