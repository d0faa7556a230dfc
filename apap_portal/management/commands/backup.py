"""Back up the portal: its PostgreSQL database and its media files, in one folder.

`manage.py restore` puts such a folder back; `apap_portal/backups.py` describes its contents.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from apap_portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup folder (database dump, media archive, manifest with checksums) "
        "under --output."
    )
    # The system checks connect to the configured database (GeneratedField asks for the
    # server version): a missing database or a stopped server would end in a traceback
    # instead of the one-line reason.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / "backups",
            help="The folder to write the backup folder in (default: backups/ beside manage.py).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            choices=list(connections),
            help="The DATABASES entry to back up (default: default).",
        )

    def handle(self, *args, output, database, **options):
        try:
            folder = backup_create(
                connections[database].settings_dict, Path(settings.MEDIA_ROOT), output
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the database and the media files into {folder}.")
