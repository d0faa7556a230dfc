"""Backups of the portal that restore: the PostgreSQL database and the media files.

A backup is one folder, `apap-backup-<UTC time>/`, holding

- `database.dump`: `pg_dump --format=custom --no-owner --no-privileges`;
- `media.tar.gz`: the MEDIA_ROOT tree (an empty archive when there are no media files);
- `manifest.json`: when and from what the backup was made, and the SHA-256 of each file,
  so that a restore refuses a corrupted or incomplete backup before it writes anything.

The manual steps, `manage.py backup` and `manage.py restore`, are thin commands around
`backup_create` and `backup_restore`; every failure is a `BackupError` whose message is
one line a person can act on.
"""

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import tarfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg
from django.db.migrations.loader import MigrationLoader
from psycopg import sql
from psycopg.conninfo import make_conninfo

from apap_portal.caching import everything_changed

MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
MEDIA_ARCHIVE = "media.tar.gz"
FORMAT = "apap-portal-backup"
FORMAT_VERSION = 1
FOLDER_PREFIX = "apap-backup-"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in one line."""


@dataclass(frozen=True)
class Server:
    """Where the portal's PostgreSQL server is, read from a Django DATABASES entry."""

    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> "Server":
        return cls(
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
        )

    @property
    def where(self) -> str:
        return f"{self.host or 'local socket'}:{self.port or 5432}"

    def conninfo(self, dbname: str) -> str:
        """A libpq connection string without the password (it travels in PGPASSWORD).

        Handing pg_dump a quoted connection string, not a bare name, means a database
        name can never be mistaken for options.
        """
        parameters = {"dbname": dbname, "host": self.host, "port": self.port, "user": self.user}
        return make_conninfo(**{key: value for key, value in parameters.items() if value})

    def client_environment(self) -> dict[str, str]:
        environment = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment

    def database_exists(self, name: str) -> bool:
        with self.connect() as connection:
            return _database_exists(connection, name)

    def has_extension(self, name: str) -> bool:
        """Whether the server can create the extension (its files are installed there)."""
        with self.connect() as connection:
            row = connection.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = %s", [name]
            ).fetchone()
            return row is not None

    def create_database(self, name: str) -> None:
        with self.connect() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    @contextlib.contextmanager
    def connect(self, dbname: str = "postgres"):
        """An autocommit connection; PostgreSQL's refusals become one-line BackupErrors."""
        try:
            connection = psycopg.connect(
                self.conninfo(dbname),
                password=self.password or None,
                connect_timeout=5,
                autocommit=True,
            )
        except psycopg.OperationalError as error:
            raise BackupError(
                f"PostgreSQL is not reachable at {self.where} ({_first_line(error, 'no answer')}). "
                "Start it, or set DATABASE_URL."
            ) from error
        with connection:
            try:
                yield connection
            except psycopg.Error as error:
                raise BackupError(
                    f"PostgreSQL at {self.where} refused: {_first_line(error, 'no reason')}."
                ) from error


def _first_line(error: Exception, default: str) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0].rstrip(".") if lines else default


def _database_exists(connection, name: str) -> bool:
    return bool(
        connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(path: Path) -> dict[str, Any]:
    return {"size": path.stat().st_size, "sha256": sha256_of(path)}


def _list_checksum(media_files: list[dict[str, Any]]) -> str:
    canonical = json.dumps(media_files, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _client(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed: install the PostgreSQL client tools "
            "(version 15 or newer, e.g. apt-get install postgresql-client-15)."
        )
    return path


def _run_client(command: list[str], server: Server, what: str) -> None:
    result = subprocess.run(
        command, env=server.client_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        # pg_restore starts with context ("while PROCESSING TOC:"); the error line says why.
        reason = next((line for line in lines if "error:" in line), lines[0] if lines else "")
        raise BackupError(f"{what} failed: {reason or f'exit status {result.returncode}'}")


# Backing up


def _database_state(server: Server, name: str) -> dict[str, Any]:
    """The server version and the latest applied migration of each app."""
    if not server.database_exists(name):
        raise BackupError(f"The database {name} does not exist on {server.where}.")
    with server.connect(name) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        migrations = {}
        if connection.execute("SELECT to_regclass('django_migrations')").fetchone()[0]:
            migrations = dict(
                connection.execute(
                    "SELECT DISTINCT ON (app) app, name FROM django_migrations"
                    " ORDER BY app, id DESC"
                ).fetchall()
            )
    return {"name": name, "server_version": version, "migrations": migrations}


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def _archive_media(media_root: Path, archive: Path) -> list[dict[str, Any]]:
    """Write the media files into a gzipped tar; return their list with sizes and checksums."""
    listed = []
    with tarfile.open(archive, "w:gz", compresslevel=6, dereference=True) as tar:
        for path in _media_files(media_root):
            name = path.relative_to(media_root).as_posix()
            tar.add(path, arcname=name, recursive=False)
            listed.append({"path": name, **_file_entry(path)})
    return listed


def _new_folder_name(output: Path, created_at: datetime) -> str:
    stamp = created_at.strftime("%Y%m%dT%H%M%SZ")
    name, attempt = f"{FOLDER_PREFIX}{stamp}", 1
    while (output / name).exists():
        attempt += 1
        name = f"{FOLDER_PREFIX}{stamp}-{attempt}"
    return name


def backup_create(config: dict[str, Any], media_root: Path, output: Path) -> Path:
    """Back up the database of a DATABASES entry and the media files into a new folder.

    The folder is written under a hidden name and renamed when complete, so a backup
    interrupted half-way never looks like one.
    """
    pg_dump = _client("pg_dump")
    server = Server.from_settings(config)
    database = _database_state(server, config["NAME"])
    database["dumped_with"] = subprocess.run(
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    created_at = datetime.now(UTC).replace(microsecond=0)

    try:
        output.mkdir(parents=True, exist_ok=True)
        folder = output / _new_folder_name(output, created_at)
        partial = output / f".{folder.name}.partial"
        # The dump holds personal data and password hashes: only its owner may read it.
        partial.mkdir(mode=0o700)
    except OSError as error:
        raise BackupError(f"Cannot write into {output} ({error.strerror or error}).") from error
    try:
        _run_client(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(partial / DATABASE_DUMP),
                "--dbname",
                server.conninfo(config["NAME"]),
            ],
            server,
            "pg_dump",
        )
        media_files = _archive_media(media_root, partial / MEDIA_ARCHIVE)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "database": database,
            "files": {
                DATABASE_DUMP: _file_entry(partial / DATABASE_DUMP),
                MEDIA_ARCHIVE: _file_entry(partial / MEDIA_ARCHIVE),
            },
            "media": {"files": media_files, "sha256": _list_checksum(media_files)},
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        partial.rename(folder)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(f"Cannot write the backup into {output} ({error}).") from error
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


# Verifying


def _read_manifest(backup: Path) -> dict[str, Any]:
    if not backup.is_dir():
        raise BackupError(f"{backup} is not a backup folder.")
    path = backup / MANIFEST
    if not path.is_file():
        raise BackupError(f"{backup} has no {MANIFEST}: the backup is incomplete.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{path} is not valid JSON: the backup is corrupted.") from error
    except OSError as error:
        raise BackupError(f"{path} cannot be read ({error.strerror or error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{backup / MANIFEST} is not the manifest of an APAP portal backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{backup} is a backup of format version {manifest.get('format_version')}; "
            f"this portal restores version {FORMAT_VERSION}."
        )
    return manifest


def _check_files(backup: Path, manifest: dict[str, Any]) -> None:
    files = manifest.get("files") or {}
    for name in (DATABASE_DUMP, MEDIA_ARCHIVE):
        expected, path = files.get(name), backup / name
        if not expected:
            raise BackupError(f"The manifest of {backup} does not list {name}: it is incomplete.")
        if not path.is_file():
            raise BackupError(f"{path} is missing: the backup is incomplete.")
        if path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(
                f"{path} does not match the SHA-256 in its manifest: the backup is corrupted."
            )
    media = manifest.get("media") or {}
    if _list_checksum(media.get("files", [])) != media.get("sha256"):
        raise BackupError(
            f"The media file list of {backup / MANIFEST} does not match its SHA-256: "
            "the backup is corrupted."
        )


def _check_archive(backup: Path, manifest: dict[str, Any], media_root: Path) -> None:
    """Refuse members that would land outside MEDIA_ROOT, links and devices, before extracting."""
    try:
        archived = _archived_files(backup, media_root)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(
            f"{backup / MEDIA_ARCHIVE} cannot be read ({error}): the backup is corrupted."
        ) from error
    listed = {entry["path"]: entry["size"] for entry in manifest["media"]["files"]}
    if archived != listed:
        raise BackupError(
            f"{backup / MEDIA_ARCHIVE} does not hold the media files its manifest lists: "
            "the backup is corrupted."
        )


def _archived_files(backup: Path, media_root: Path) -> dict[str, int]:
    """The archive's files and their sizes, once each member is known to be safe."""
    destination = str(media_root.resolve())
    archived = {}
    with tarfile.open(backup / MEDIA_ARCHIVE, "r:gz") as tar:
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if member.name.startswith(("/", "\\")) or ".." in parts:
                raise BackupError(
                    f"{backup / MEDIA_ARCHIVE} holds an unsafe path, {member.name!r}: refused."
                )
            try:
                tarfile.data_filter(member, destination)
            except tarfile.FilterError as error:
                raise BackupError(
                    f"{backup / MEDIA_ARCHIVE} holds an unsafe member ({error}): refused."
                ) from error
            if member.isfile():
                archived[member.name] = member.size
    return archived


def backup_verify(backup: Path, media_root: Path) -> dict[str, Any]:
    """The manifest of a backup whose files are complete, intact and safe to extract."""
    manifest = _read_manifest(backup)
    try:
        _check_files(backup, manifest)
        _check_archive(backup, manifest, media_root)
    except (KeyError, TypeError, AttributeError) as error:
        raise BackupError(
            f"{backup / MANIFEST} lacks or garbles {error}: the backup is corrupted."
        ) from error
    return manifest


# Restoring


def _database_is_empty(server: Server, name: str) -> bool:
    with server.connect(name) as connection:
        relations = connection.execute(
            "SELECT count(*) FROM pg_class JOIN pg_namespace ON pg_namespace.oid = relnamespace"
            " WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'"
        ).fetchone()[0]
    return relations == 0


def _directory_is_empty(path: Path) -> bool:
    return not path.exists() or not any(path.iterdir())


def _staging_name(name: str) -> str:
    # PostgreSQL keeps the first 63 bytes of a name.
    prefix = name.encode()[:40].decode(errors="ignore")
    return f"{prefix}_restoring_{secrets.token_hex(4)}"


def _restore_database(server: Server, dump: Path, name: str, *, force: bool) -> None:
    """Restore into a new database, then put it in the place of `name`.

    Restoring into a staging database first means a failed restore leaves the current
    database as it was.
    """
    pg_restore = _client("pg_restore")
    staging = _staging_name(name)
    server.create_database(staging)
    try:
        _run_client(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                server.conninfo(staging),
                str(dump),
            ],
            server,
            "pg_restore",
        )
        with server.connect() as connection:
            if _database_exists(connection, name):
                # FORCE ends the sessions of running portal processes; they reconnect.
                drop = "DROP DATABASE {} WITH (FORCE)" if force else "DROP DATABASE {}"
                connection.execute(sql.SQL(drop).format(sql.Identifier(name)))
            connection.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(staging), sql.Identifier(name)
                )
            )
    except BaseException:
        with contextlib.suppress(BackupError, psycopg.Error), server.connect() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(staging))
            )
        raise


def backup_restore(
    backup: Path, config: dict[str, Any], name: str, media_root: Path, *, force: bool = False
) -> dict[str, Any]:
    """Restore a backup into the database `name` of a DATABASES entry's server and media_root.

    Everything is checked before anything is written: the backup's checksums and archive,
    and that neither the database nor the media folder holds data (unless `force`).
    Returns the backup's manifest.
    """
    manifest = backup_verify(backup, media_root)
    server = Server.from_settings(config)
    _client("pg_restore")
    exists = server.database_exists(name)
    if exists and not force and not _database_is_empty(server, name):
        raise BackupError(
            f"The database {name} already holds data; restore into another one with "
            "--database-name, or replace it with --force."
        )
    if not force and not _directory_is_empty(media_root):
        raise BackupError(
            f"The media folder {media_root} is not empty; restore into another one with "
            "--media-root, or restore over it with --force."
        )

    _restore_database(server, backup / DATABASE_DUMP, name, force=force)
    # pg_restore wrote outside the portal's connections: nothing cached may be kept.
    everything_changed()
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(backup / MEDIA_ARCHIVE, "r:gz") as tar:
            tar.extractall(media_root, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            f"The database {name} is restored, but the media files could not be written "
            f"into {media_root} ({error}); run the restore again with --force."
        ) from error
    return manifest


def migration_notes(backup_migrations: dict[str, str]) -> list[str]:
    """What to do after a restore when the backup's migrations differ from this code's."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    latest = set(backup_migrations.items())
    unknown = sorted(latest - set(graph.nodes))
    unknown_apps = {app for app, _name in unknown}
    behind = sorted(
        {app for app, name in graph.leaf_nodes() if (app, name) not in latest} - unknown_apps
    )
    notes = []
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown)
        notes.append(
            f"The backup has migrations this code does not know ({listed}): "
            "deploy the code the backup was made with."
        )
    if behind:
        notes.append(
            f"This code has newer migrations for {', '.join(behind)}: run manage.py migrate."
        )
    return notes
