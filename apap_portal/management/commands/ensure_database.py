"""Create the configured PostgreSQL database when it is missing.

`make run` and `make test` call it first, so a fresh clone needs nothing but a
reachable PostgreSQL server; when there is none, it says so in one line.
"""

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = "Create the configured database if it does not exist (PostgreSQL only)."
    # The system checks connect to the database this command is about to create.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="Only check that the server answers; create nothing.",
        )

    def handle(self, *args, check_only=False, **options):
        config = settings.DATABASES["default"]
        server = {
            "host": config.get("HOST") or None,
            "port": config.get("PORT") or None,
            "user": config.get("USER") or None,
            "password": config.get("PASSWORD") or None,
            "dbname": "postgres",
            "connect_timeout": 5,
        }
        where = f"{config.get('HOST') or 'local socket'}:{config.get('PORT') or 5432}"
        try:
            with psycopg.connect(**server, autocommit=True) as connection:
                if check_only:
                    return
                exists = connection.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
                ).fetchone()
                if not exists:
                    connection.execute(
                        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
                    )
                    self.stdout.write(f"Created the database {config['NAME']}.")
        except psycopg.OperationalError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
            raise CommandError(
                f"PostgreSQL is not reachable at {where} ({reason}). Start it, or set DATABASE_URL."
            ) from error
