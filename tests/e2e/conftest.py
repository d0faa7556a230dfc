"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Every module here starts with `pytestmark = BROWSER_TEST` (helpers.py): marked
`browser`, on a transactional database that is flushed after each test, the reference
data of the migrations (countries, work areas, groups…) being loaded back for the next.

Nothing leaves the machine: the map's tile server is answered with a blank tile from
here, and any other request outside the live server is aborted and fails the test that
made it (`offline_guard`).
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from members.models import Country
from tests.e2e.helpers import DESKTOP

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require(path: Path, hint: str) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: {hint}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a browser downloaded by Playwright (no download here)."""
    _require(Path(CHROMIUM), "install Chromium (apt-get install chromium) or set CHROMIUM_PATH.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(_async_unsafe_allowed, live_server):
    """Relative URLs go to the live server (not pytest-playwright's --base-url)."""
    return {"base_url": live_server.url, "locale": "en-GB"}


@pytest.fixture(scope="session", autouse=True)
def _async_unsafe_allowed() -> Iterator[None]:
    """Let the browser tests query the database from their thread.

    Between two of its calls, Playwright's sync API leaves its event loop marked as
    running in the test's thread, and Django refuses queries from a thread that runs
    an event loop (the tests' factories, the demo data). Set before the live server
    and the browser start, for the browser tests only: the rest of the suite, run
    before them, keeps Django's check.
    """
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session", autouse=True)
def _reference_data_kept(_async_unsafe_allowed, django_db_setup, django_db_blocker, browser):
    """Give the browser tests the reference data to restore, and restore it at the end.

    Between two calls, Playwright's sync API marks its event loop as running in the
    test's thread; Django then hands that thread other connection objects than the
    ones its test setup serialized the database on. Serialize it again on these, so
    that each test's flush keeps the post-migrate signal off and the next test reloads
    the data. After the last flush, load it back for the next run on a kept database
    (--reuse-db).
    """
    with django_db_blocker.unblock():
        if not Country.objects.exists():
            pytest.fail(
                "The kept test database is empty (a browser run was interrupted): "
                "run once with --create-db.",
                pytrace=False,
            )
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            if not Country.objects.using(connection.alias).exists():
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture(scope="session")
def axe_source() -> str:
    return _require(AXE_SCRIPT, "run `npm ci` to install axe-core.").read_text()


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    if shutil.which("java") is None:
        pytest.fail("Java 11 or newer is needed for the Nu HTML Checker.", pytrace=False)
    return _require(VNU_JAR, "run `npm ci` to install vnu-jar.")


def _blank_tile() -> bytes:
    """A 256×256 PNG in the pale green of a map's land, made here (no file, no network)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    row = b"\x00" + bytes((0xE4, 0xEE, 0xDC)) * 256
    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * 256, 9))
        + chunk(b"IEND", b"")
    )


BLANK_TILE = _blank_tile()


class OfflineGuard:
    """Routes a context's requests: the live server's pass, tiles are stubbed, the rest abort."""

    def __init__(self, live_server_url: str):
        self.local_origin = live_server_url.rstrip("/")
        self.tile_host = urlsplit(settings.MAP_TILE_URL).hostname
        self.tiles_served = 0
        self.blocked: list[str] = []

    def install(self, context) -> None:
        context.route(lambda url: not url.startswith(self.local_origin), self._handle)

    def _handle(self, route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == self.tile_host:
            self.tiles_served += 1
            route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def offline_guard(live_server) -> Iterator[OfflineGuard]:
    guard = OfflineGuard(live_server.url)
    yield guard
    assert not guard.blocked, f"pages asked for outside resources: {guard.blocked}"


@pytest.fixture
def open_page(new_context, offline_guard, live_server) -> Callable:
    """A new page in a context of its own: `open_page(user=…, viewport=PHONE)`.

    With a user, the context carries a session of that user (the sign-in form is tested
    once, in the journeys; here the session is made server-side, like `force_login`).
    """

    def _open(user=None, viewport=DESKTOP, **context_args):
        context = new_context(viewport=viewport, **context_args)
        # Generous: other test suites may share the machine's two cores.
        context.set_default_timeout(20_000)
        offline_guard.install(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        return context.new_page()

    return _open


@pytest.fixture
def page(open_page):
    """An anonymous visitor's page, at desktop size, offline."""
    return open_page()
