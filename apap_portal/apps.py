from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apap_portal"
    verbose_name = _("APAP portal")

    def ready(self) -> None:
        from apap_portal import media  # noqa: F401 - registers the checks of uploaded files
        from apap_portal.caching.tables import watch_connection
        from apap_portal.editing import widgets
        from apap_portal.replicas import checks as replica_checks  # noqa: F401 - registers them
        from apap_portal.replicas.router import watch_replica
        from apap_portal.translations import checks  # noqa: F401 - registers the catalogues' check

        # Every write moves the generation of its table (apap_portal.caching.tables).
        connection_created.connect(watch_connection, dispatch_uid="apap_portal.caching")
        # A replica failing in a read sends the request to the primary (apap_portal.replicas).
        connection_created.connect(watch_replica, dispatch_uid="apap_portal.replicas")
        for connection in connections.all(initialized_only=True):
            watch_connection(connection)
            watch_replica(connection)
        widgets.install()
