from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The OpenAPI description's account of the token (registered by being imported).
        from api import schema  # noqa: F401
