from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apap_portal"
    verbose_name = _("APAP portal")

    def ready(self) -> None:
        from apap_portal import admin_widgets, caching

        caching.connect_content_signals()
        admin_widgets.install()
