"""Restore a backup written by `manage.py backup`: the database and the media files.

The backup is verified against its manifest before anything is written, and neither a
database nor a media folder that holds data is replaced without --force.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from apap_portal.backups import BackupError, backup_restore, migration_notes


class Command(BaseCommand):
    help = "Restore a backup folder into the configured database and MEDIA_ROOT."
    # The system checks connect to the configured database (GeneratedField asks for the
    # server version): on a new server, where it does not exist yet, they would fail.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup folder (backups/apap-backup-…).")
        parser.add_argument(
            "--database-name",
            help="The database to restore into, on the configured server "
            "(default: the configured database).",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="The folder to restore the media files into (default: MEDIA_ROOT).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds data (ending its sessions) and extract the "
            "media files over existing ones; files the backup lacks are kept.",
        )

    def handle(self, *args, backup, database_name, media_root, force, **options):
        config = connections[DEFAULT_DB_ALIAS].settings_dict
        name = database_name or config["NAME"]
        media_root = media_root or Path(settings.MEDIA_ROOT)
        try:
            manifest = backup_restore(backup, config, name, media_root, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} into the database {name} "
            f"and {len(manifest['media']['files'])} media files into {media_root}."
        )
        for note in migration_notes(manifest["database"]["migrations"]):
            self.stdout.write(self.style.WARNING(note))
