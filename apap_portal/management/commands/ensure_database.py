"""Create the configured PostgreSQL database when it is missing.

`make run` and `make test` call it first, so a fresh clone needs nothing but a
reachable PostgreSQL server with PostGIS; when there is none, or PostGIS is missing, it
says so in one line.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apap_portal.backups import BackupError, Server


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
        server = Server.from_settings(config)
        try:
            if not server.has_extension("postgis"):
                raise CommandError(
                    f"PostGIS is not installed on the PostgreSQL server at {server.where}: "
                    "install it there (on Debian: postgresql-<version>-postgis-3; "
                    "scripts/install-system-packages run does it for a local server)."
                )
            if check_only:
                return
            if not server.database_exists(config["NAME"]):
                server.create_database(config["NAME"])
                self.stdout.write(f"Created the database {config['NAME']}.")
        except BackupError as error:  # one line: the server is not reachable, or refused
            raise CommandError(str(error)) from error
