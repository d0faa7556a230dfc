"""Bad replica configuration, caught when the portal starts (`manage.py check`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from apap_portal.replicas.router import REPLICA_PREFIX


def _server_and_database(database: dict) -> tuple:
    return (database.get("HOST") or "", int(database.get("PORT") or 5432), database["NAME"])


def replica_problems(databases: dict, pin_seconds: int) -> list[checks.CheckMessage]:
    replicas = {alias: db for alias, db in databases.items() if alias.startswith(REPLICA_PREFIX)}
    if not replicas:
        return []
    problems = []
    if pin_seconds < 1:
        problems.append(
            checks.Error(
                "DATABASE_REPLICA_PIN_SECONDS is below 1: a visitor who has just written would "
                "read from a replica that may not have it yet.",
                hint="Give it the seconds a replica may lag behind at worst (default 20).",
                id="replicas.E001",
            )
        )
    primary = _server_and_database(databases["default"])
    for alias, database in replicas.items():
        if _server_and_database(database) == primary:
            problems.append(
                checks.Warning(
                    f"{alias} (DATABASE_REPLICA_URLS) names the primary's own database: its "
                    "reads gain nothing, and each request asks it a replay position.",
                    hint="Name a hot standby of the primary, or leave DATABASE_REPLICA_URLS unset.",
                    id="replicas.W001",
                )
            )
    return problems


@checks.register()
def check_replicas(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return replica_problems(settings.DATABASES, settings.DATABASE_REPLICA_PIN_SECONDS)
