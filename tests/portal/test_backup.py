"""Backups restore: `manage.py backup` then `manage.py restore` gives back every row and file.

pg_dump reads the database from a session of its own, so the rows it backs up must be
committed. A transactional test would commit them into the test database, but then
flushes it, losing the reference data of the data migrations (countries, work areas…)
for every later test and for the next `--reuse-db` run. So these tests leave the test
database alone: they migrate a database of their own, back it up for the refusals, and
give the round trip a copy of it to commit its rows into.
"""

import hashlib
import io
import json
import secrets
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from psycopg import sql

from apap_portal.backups import Server, backup_restore, migration_notes
from apap_portal.caching import cached
from apap_portal.fulltext.search import web_query
from knowledge.models import GbfTarget, Story, Theme
from members.models import ProtectedArea
from tests.factories import (
    ActivityFactory,
    ActivityOrganizationFactory,
    BestPracticeFactory,
    BuildingBlockFactory,
    FocalPointFactory,
    FundingProposalFactory,
    MemberOrganizationFactory,
    ProtectedAreaFactory,
    ResourceFactory,
    StoryFactory,
    TransboundaryAreaFactory,
    UserFactory,
    country,
)
from tests.processes import manage

MIGRATED = "backup_migrated"
SOURCE = "backup_source"
RESTORED = "backup_restored"

# Tables the round trip's records fill, many-to-many tables among them.
FILLED_TABLES = {
    "members_country",
    "members_organization",
    "members_membership",
    "members_focalpoint",
    "members_user",
    "members_protectedarea",
    "members_transboundaryarea_protected_areas",
    "activities_activity",
    "activities_activityorganization",
    "activities_activity_participating_countries",
    "activities_activity_gbf_targets",
    "activities_fundingproposal",
    "knowledge_bestpractice",
    "knowledge_bestpractice_countries",
    "knowledge_bestpractice_themes",
    "knowledge_buildingblock",
    "knowledge_resource_themes",
    "knowledge_story",
}

MEDIA_FILES = {
    "best-practices/2024/cúc-phương.jpg": b"\xff\xd8\xff\xe0 a cover image",
    "activities/documents/2023/báo cáo hội thảo.pdf": b"%PDF-1.7 the workshop report",
    "resources/2015/guidelines.pdf": b"%PDF-1.4 " + bytes(range(256)) * 64,
}


class SourceDatabaseRouter:
    """Sends every query of the round trip's factories to its source database."""

    def db_for_read(self, model, **hints):
        return SOURCE

    def db_for_write(self, model, **hints):
        return SOURCE

    def allow_relation(self, obj1, obj2, **hints):
        return True


def _server() -> Server:
    return Server.from_settings(connections["default"].settings_dict)


def _unique_name(purpose: str) -> str:
    return f"apap_{purpose}_test_{secrets.token_hex(4)}"


def _database_exists(name: str) -> bool:
    with _server().connect() as connection:
        return bool(
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )


def _drop_database(name: str) -> None:
    with _server().connect() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _add_alias(alias: str, name: str) -> None:
    connections.settings[alias] = {**connections["default"].settings_dict, "NAME": name}


def _remove_alias(alias: str) -> None:
    if alias in connections.settings:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _write_media(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)


def _media_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def _rows_of_every_model(alias: str) -> dict[str, list[tuple]]:
    """All rows of each model's table, many-to-many tables included, in primary-key order."""
    return {
        model._meta.db_table: list(model._base_manager.using(alias).order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        # PostGIS's own catalogue views (geometry_columns) name the database they are in.
        if model._meta.managed
    }


def _catalog(name: str) -> dict[str, list[tuple]]:
    """The tables and where each sequence stands: the next insert must not collide."""
    with _server().connect(name) as connection:
        return {
            "tables": connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall(),
            "sequences": connection.execute(
                "SELECT sequencename, last_value FROM pg_sequences"
                " WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall(),
            "migrations": connection.execute(
                "SELECT app, name FROM django_migrations ORDER BY id"
            ).fetchall(),
        }


def _manage(*arguments: str, database: str, **environment: str) -> subprocess.CompletedProcess:
    """manage.py in a process of its own, configured for `database` as on a server."""
    return manage(*arguments, database=database, **environment)


@pytest.fixture(scope="module")
def migrated_database():
    """A database of these tests' own, migrated: tables and reference data, committed.

    `migrate` runs in a process of its own whose default database is this one: data
    migrations write through the default connection, which here is not theirs.
    """
    name = _unique_name("backup_migrated")
    with _server().connect() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        migrate = _manage("migrate", "--no-input", "--verbosity", "0", database=name)
        assert migrate.returncode == 0, migrate.stderr
        yield name
    finally:
        _drop_database(name)


@pytest.fixture
def source_database(migrated_database, django_db_blocker, settings):
    """A copy of the migrated database; the ORM reads and writes it, committing at once."""
    name = _unique_name("backup_source")
    with _server().connect() as connection:
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(migrated_database)
            )
        )
    _add_alias(SOURCE, name)
    settings.DATABASE_ROUTERS = [f"{__name__}.SourceDatabaseRouter"]
    try:
        with django_db_blocker.unblock():
            yield name
    finally:
        _remove_alias(SOURCE)
        _drop_database(name)


@pytest.fixture
def restored_database():
    name = _unique_name("restore")
    try:
        yield name
    finally:
        _remove_alias(RESTORED)
        _drop_database(name)


def _create_portal_records():
    """Rows in most tables: members, areas with Vietnamese names, activities, the library."""
    viet_nam = country("VNM")
    vnforest = MemberOrganizationFactory(
        name="Cục Kiểm lâm — Department of Protected Forest Management",
        acronym="VNFOREST",
        country=viet_nam,
    )
    FocalPointFactory(membership=vnforest.membership, name="Nguyễn Thị Hương")
    UserFactory(username="minh", first_name="Minh", organization=vnforest)
    cuc_phuong = ProtectedAreaFactory(
        name="Vườn quốc gia Cúc Phương",
        slug="cuc-phuong",
        country=viet_nam,
        boundary=MultiPolygon(Polygon.from_bbox((105.5, 20.2, 105.8, 20.4)), srid=4326),
    )
    pu_mat = ProtectedAreaFactory(name="Vườn quốc gia Pù Mát", slug="pu-mat", country=viet_nam)
    TransboundaryAreaFactory(
        name="Cảnh quan xuyên biên giới Trường Sơn", protected_areas=[cuc_phuong, pu_mat]
    )
    workshop = ActivityFactory(title="Hội thảo quản lý khu bảo tồn", slug="hoi-thao")
    ActivityOrganizationFactory(activity=workshop, organization=vnforest, role="organizer")
    workshop.participating_countries.set([viet_nam, country("LAO")])
    workshop.gbf_targets.set(GbfTarget.objects.order_by("pk")[:2])
    FundingProposalFactory(lead_organization=vnforest)
    practice = BestPracticeFactory(
        title="Tuần tra cộng đồng",
        slug="tuan-tra",
        organization=vnforest,
        cover_image="best-practices/2024/cúc-phương.jpg",
    )
    BuildingBlockFactory(best_practice=practice, title="Lập tuyến tuần tra chung")
    BuildingBlockFactory(best_practice=practice, title="Chia sẻ dữ liệu")
    practice.countries.set([viet_nam])
    practice.themes.set(Theme.objects.order_by("pk")[:2])
    guidelines = ResourceFactory(
        title="Hướng dẫn quản lý", slug="huong-dan", file="resources/2015/guidelines.pdf"
    )
    guidelines.themes.set(Theme.objects.order_by("pk")[:1])
    StoryFactory(title="Kiểm lâm chia sẻ kinh nghiệm", slug="kiem-lam")


def test_a_backup_restores_every_row_and_every_media_file(
    source_database, restored_database, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _write_media(settings.MEDIA_ROOT, MEDIA_FILES)
    _create_portal_records()

    call_command("backup", "--output", tmp_path / "backups", "--database", SOURCE)
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.startswith("apap-backup-")
    assert {path.name for path in backup.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "manifest.json",
    }
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["name"] == source_database
    with _server().connect(source_database) as connection:
        major_version = connection.info.server_version // 10000
    assert manifest["database"]["server_version"].startswith(f"{major_version}.")
    # The database is migrated to the end: each app's latest migration is its leaf.
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    assert manifest["database"]["migrations"] == dict(leaves)
    assert {entry["path"] for entry in manifest["media"]["files"]} == set(MEDIA_FILES)

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore",
        backup,
        "--database-name",
        restored_database,
        "--media-root",
        restored_media,
        stdout=io.StringIO(),
    )

    _add_alias(RESTORED, restored_database)
    source_rows = _rows_of_every_model(SOURCE)
    filled = {table for table, rows in source_rows.items() if rows}
    assert filled >= FILLED_TABLES, "the comparison must cover the rows the test created"
    assert _rows_of_every_model(RESTORED) == source_rows
    assert _catalog(restored_database) == _catalog(source_database)
    assert _media_checksums(restored_media) == _media_checksums(settings.MEDIA_ROOT)
    assert set(_media_checksums(restored_media)) == set(MEDIA_FILES)

    # The restored database works: search (its unaccent configuration) and new rows.
    restored_areas = ProtectedArea.objects.using(RESTORED)
    restored_areas.create(
        name="Vườn quốc gia Bạch Mã", slug="bach-ma", country_id=country("VNM").pk
    )
    assert list(
        restored_areas.filter(search_vector=web_query("bach ma")).values_list("slug", flat=True)
    ) == ["bach-ma"]
    # …and the unstemmed configuration of records not written in English (apap_simple).
    restored_stories = Story.objects.using(RESTORED)
    restored_stories.create(
        title="Thẻ tuần tra", slug="the-tuan-tra", lead="Bảo tồn rừng.", language="vi"
    )
    assert list(
        restored_stories.filter(search_vector=web_query("the tuan tra")).values_list(
            "slug", flat=True
        )
    ) == ["the-tuan-tra"]


# Refusals, with a backup of the migrated database.


@pytest.fixture(scope="module")
def pristine_backup(migrated_database, tmp_path_factory) -> Path:
    media = tmp_path_factory.mktemp("media")
    _write_media(media, {"stories/2024/rừng.jpg": b"a forest"})
    output = tmp_path_factory.mktemp("backups")
    _add_alias(MIGRATED, migrated_database)
    try:
        with override_settings(MEDIA_ROOT=media):
            call_command("backup", "--output", output, "--database", MIGRATED, stdout=io.StringIO())
    finally:
        _remove_alias(MIGRATED)
    (backup,) = output.iterdir()
    return backup


@pytest.fixture
def backup(pristine_backup, tmp_path) -> Path:
    """A copy of the pristine backup that a test may damage."""
    return Path(shutil.copytree(pristine_backup, tmp_path / pristine_backup.name))


def _restore(backup: Path, database: str, media_root: Path, *options: str) -> None:
    call_command(
        "restore",
        backup,
        "--database-name",
        database,
        "--media-root",
        media_root,
        *options,
        stdout=io.StringIO(),
    )


def _flip_a_byte(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda backup: _flip_a_byte(backup / "database.dump"), "database.dump does not match"),
        (lambda backup: _flip_a_byte(backup / "media.tar.gz"), "media.tar.gz does not match"),
        (lambda backup: (backup / "database.dump").unlink(), "database.dump is missing"),
        (lambda backup: (backup / "manifest.json").unlink(), "has no manifest.json"),
        (lambda backup: (backup / "manifest.json").write_text("{"), "is not valid JSON"),
    ],
    ids=["flipped-dump-byte", "flipped-media-byte", "missing-dump", "no-manifest", "bad-manifest"],
)
def test_a_corrupted_or_incomplete_backup_is_refused_before_anything_is_written(
    backup, tmp_path, damage, message
):
    damage(backup)
    database, media_root = _unique_name("restore"), tmp_path / "media"
    try:
        with pytest.raises(CommandError, match=message):
            _restore(backup, database, media_root)
        assert not _database_exists(database)
        assert not media_root.exists()
    finally:
        _drop_database(database)


@pytest.fixture
def database_with_data():
    name = _unique_name("restore")
    with _server().connect() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with _server().connect(name) as connection:
        connection.execute("CREATE TABLE accounts (id integer); INSERT INTO accounts VALUES (7)")
    try:
        yield name
    finally:
        _drop_database(name)


def test_a_database_that_holds_data_is_replaced_only_with_force(
    backup, database_with_data, tmp_path
):
    media_root = tmp_path / "media"
    with pytest.raises(CommandError, match=f"The database {database_with_data} already holds"):
        _restore(backup, database_with_data, media_root)
    with _server().connect(database_with_data) as connection:
        assert connection.execute("SELECT id FROM accounts").fetchall() == [(7,)]
    assert not media_root.exists()

    _restore(backup, database_with_data, media_root, "--force")
    with _server().connect(database_with_data) as connection:
        assert connection.execute("SELECT to_regclass('accounts')").fetchone() == (None,)
        assert connection.execute("SELECT count(*) FROM members_country").fetchone()[0] > 0
    assert _media_checksums(media_root) == {
        "stories/2024/rừng.jpg": hashlib.sha256(b"a forest").hexdigest()
    }


def test_a_media_folder_with_files_is_written_over_only_with_force(backup, tmp_path):
    media_root, database = tmp_path / "media", _unique_name("restore")
    _write_media(media_root, {"stories/2024/rừng.jpg": b"a newer forest"})
    try:
        with pytest.raises(CommandError, match=r"media folder .* is not empty"):
            _restore(backup, database, media_root)
        assert not _database_exists(database)
        assert (media_root / "stories/2024/rừng.jpg").read_bytes() == b"a newer forest"

        _restore(backup, database, media_root, "--force")
        assert (media_root / "stories/2024/rừng.jpg").read_bytes() == b"a forest"
    finally:
        _drop_database(database)


def _replace_media_archive(backup: Path, members: list[tarfile.TarInfo]) -> None:
    """A media archive with these members, and a manifest that vouches for it."""
    with tarfile.open(backup / "media.tar.gz", "w:gz") as tar:
        for member in members:
            content = b"not yours" if member.isfile() else None
            if content is not None:
                member.size = len(content)
            tar.addfile(member, io.BytesIO(content) if content is not None else None)
    manifest = json.loads((backup / "manifest.json").read_text())
    archive = backup / "media.tar.gz"
    manifest["files"]["media.tar.gz"] = {
        "size": archive.stat().st_size,
        "sha256": hashlib.sha256(archive.read_bytes()).hexdigest(),
    }
    (backup / "manifest.json").write_text(json.dumps(manifest))


def _symlink(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.SYMTYPE, target
    return member


@pytest.mark.parametrize(
    "member",
    [
        tarfile.TarInfo("../outside.txt"),
        tarfile.TarInfo("stories/../../outside.txt"),
        tarfile.TarInfo("/tmp/outside.txt"),
        _symlink("stories/passwords", "/etc/passwd"),
        _symlink("stories/up", "../../outside.txt"),
    ],
    ids=["parent", "nested-parent", "absolute", "absolute-link", "link-outside"],
)
def test_a_media_archive_reaching_outside_the_media_folder_is_refused(backup, tmp_path, member):
    _replace_media_archive(backup, [member])
    media_root, database = tmp_path / "nested" / "media", _unique_name("restore")
    try:
        with pytest.raises(CommandError, match="unsafe"):
            _restore(backup, database, media_root)
        assert not _database_exists(database)
        assert not (tmp_path / "nested").exists()
        assert not (tmp_path / "outside.txt").exists()
    finally:
        _drop_database(database)


def test_without_pg_dump_the_backup_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match=r"^pg_dump is not installed"):
        call_command("backup", "--output", tmp_path / "backups")
    assert not (tmp_path / "backups").exists()


def test_without_pg_restore_the_restore_says_so_before_writing(backup, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    database, media_root = _unique_name("restore"), tmp_path / "media"
    with pytest.raises(CommandError, match=r"^pg_restore is not installed"):
        _restore(backup, database, media_root)
    assert not media_root.exists()


def test_an_unreachable_server_is_named_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setitem(connections["default"].settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connections["default"].settings_dict, "PORT", "1")
    with pytest.raises(
        CommandError, match=r"PostgreSQL is not reachable at 127\.0\.0\.1:1 "
    ) as error:
        call_command("backup", "--output", tmp_path / "backups")
    assert "\n" not in str(error.value)
    assert not (tmp_path / "backups").exists()


def test_after_a_restore_the_command_says_what_the_migrations_need():
    code = dict(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())

    assert migration_notes(code) == []
    assert migration_notes({**code, "members": "0001_initial"}) == [
        "This code has newer migrations for members: run manage.py migrate."
    ]
    assert migration_notes({**code, "members": "9999_from_the_future"}) == [
        "The backup has migrations this code does not know (members.9999_from_the_future): "
        "deploy the code the backup was made with."
    ]


def test_on_a_new_server_restore_creates_the_configured_database(backup, tmp_path):
    database, media_root = _unique_name("restore"), tmp_path / "media"
    try:
        restore = _manage("restore", str(backup), database=database, MEDIA_ROOT=str(media_root))
        assert restore.returncode == 0, restore.stderr
        with _server().connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM members_country").fetchone()[0] > 0
        assert (media_root / "stories/2024/rừng.jpg").read_bytes() == b"a forest"
    finally:
        _drop_database(database)


@pytest.mark.django_db
def test_a_restore_makes_every_cached_value_stale(backup, tmp_path):
    """pg_restore writes where the portal cannot see: nothing cached before may be served."""
    computed = []

    def themes():
        computed.append(1)
        return list(Theme.objects.values_list("pk", flat=True))

    cached(("themes",), themes)
    cached(("themes",), themes)
    assert len(computed) == 1
    database = _unique_name("restore")
    try:
        backup_restore(backup, connections["default"].settings_dict, database, tmp_path / "m")
    finally:
        _drop_database(database)
    cached(("themes",), themes)
    assert len(computed) == 2


def test_a_missing_database_is_named_in_one_line(tmp_path):
    database = _unique_name("missing")
    backup = _manage("backup", "--output", str(tmp_path), database=database)
    assert backup.returncode == 1
    assert backup.stderr.strip().splitlines()[-1] == (
        f"CommandError: The database {database} does not exist on {_server().where}."
    )
    assert not any(tmp_path.iterdir())
