"""A throwaway PostgreSQL primary and hot standby, on real streaming replication.

For the tests of the replica router (tests/replication/) and the cluster benchmark: both
clusters live in a temporary folder, listen on free ports of 127.0.0.1 only, and are
destroyed on exit; the server the rest of the suite uses is never touched.

    with streaming_pair() as pair:
        pair.primary_url, pair.replica_url    # postgres://postgres@127.0.0.1:PORT/apap
        pair.wait_for_replay()                # the standby has replayed every commit so far
        with pair.replay_paused():            # the standby lags on purpose
            ...
        pair.stop_replica(); pair.start_replica()

`unavailable_reason()` says in one line why this machine cannot run a pair (no initdb;
root without a `postgres` user), or None. The server programs come from PG_BINDIR, else
`pg_config --bindir`, else Debian's /usr/lib/postgresql/<newest>/bin. Only the standard
library is used here (psql runs the few statements), so any process may import it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# initdb refuses to run as root: as root the clusters belong to this user.
SERVER_USER = "postgres"
# Settings for a disposable cluster: nothing needs to survive a crash, so no fsync.
CLUSTER_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
max_connections = 60
shared_buffers = 32MB
fsync = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
log_min_messages = warning
"""


class ClusterError(RuntimeError):
    """A cluster command failed; the message carries its output."""


def find_bindir() -> Path | None:
    """The folder of initdb, pg_ctl and pg_basebackup, or None."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    if shutil.which("pg_config"):
        completed = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        )
        if completed.returncode == 0:
            candidates.append(Path(completed.stdout.strip()))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted(
            (p for p in debian.iterdir() if p.name.isdigit()), key=lambda p: int(p.name)
        )
        candidates.extend(p / "bin" for p in reversed(versions))
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for candidate in candidates:
        if all((candidate / tool).is_file() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return candidate
    return None


def _run_as() -> list[str] | None:
    """The prefix that runs a server command as a user initdb accepts, or None."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        return None
    if shutil.which("runuser"):
        return ["runuser", "-u", SERVER_USER, "--"]
    return None


def unavailable_reason() -> str | None:
    """One line saying why no pair can run here, or None when one can."""
    bindir = find_bindir()
    if bindir is None:
        return "no PostgreSQL server programs (initdb, pg_ctl, pg_basebackup) on this machine"
    if shutil.which("psql") is None and not (bindir / "psql").is_file():
        return "no psql on this machine"
    if _run_as() is None:
        return f"running as root, and initdb refuses root: no '{SERVER_USER}' user (or runuser)"
    return None


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now (the server binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    """One PostgreSQL cluster of the pair: its folder, port and log."""

    name: str
    data_dir: Path
    port: int
    log_file: Path

    def url(self, database: str) -> str:
        return f"postgres://{SERVER_USER}@127.0.0.1:{self.port}/{database}"


@dataclass
class Pair:
    """A primary and its hot standby, streaming; see the module's docstring."""

    base_dir: Path
    bindir: Path
    database: str
    primary: Cluster
    replica: Cluster
    _run_as: list[str] = field(default_factory=list)

    @property
    def primary_url(self) -> str:
        return self.primary.url(self.database)

    @property
    def replica_url(self) -> str:
        return self.replica.url(self.database)

    # Running programs ------------------------------------------------------------------

    def _server_command(self, tool: str, *arguments: str, timeout: float = 120) -> str:
        """Run a server program as the clusters' owner; its output, or ClusterError."""
        command = [*self._run_as, str(self.bindir / tool), *arguments]
        try:
            completed = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise ClusterError(f"{tool} took more than {timeout} s") from error
        if completed.returncode != 0:
            raise ClusterError(
                f"{' '.join(command)} failed ({completed.returncode}):\n"
                f"{completed.stdout}{completed.stderr}"
            )
        return completed.stdout

    def sql(self, cluster: Cluster, statement: str, database: str | None = None) -> str:
        """Run one statement with psql on a cluster; its unaligned output, stripped."""
        psql = self.bindir / "psql"
        completed = subprocess.run(
            [
                str(psql) if psql.is_file() else "psql",
                "--no-psqlrc",
                "--quiet",
                "--tuples-only",
                "--no-align",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(cluster.port),
                "-U",
                SERVER_USER,
                "-d",
                database or self.database,
                "-c",
                statement,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "PGCONNECT_TIMEOUT": "5"},
        )
        if completed.returncode != 0:
            raise ClusterError(f"{statement!r} on {cluster.name}: {completed.stderr.strip()}")
        return completed.stdout.strip()

    # Replay ----------------------------------------------------------------------------

    def wait_for_replay(self, timeout: float = 30) -> None:
        """Return once the standby has replayed every transaction committed so far.

        Commits are flushed before they return (synchronous_commit is on), so the flush
        position covers them; the insert position may end in a record no commit has flushed
        yet (a checkpoint's), which the standby would only see many seconds later.
        """
        target = self.sql(self.primary, "SELECT pg_current_wal_flush_lsn()")
        deadline = time.monotonic() + timeout
        while True:
            caught_up = self.sql(
                self.replica,
                f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn",
            )
            if caught_up == "t":
                return
            if time.monotonic() > deadline:
                raise ClusterError(f"the standby did not replay up to {target} in {timeout} s")
            time.sleep(0.05)

    def pause_replay(self) -> None:
        """Stop applying the primary's changes on the standby (it keeps receiving them)."""
        self.sql(self.replica, "SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 30
        while self.sql(self.replica, "SELECT pg_get_wal_replay_pause_state()") != "paused":
            if time.monotonic() > deadline:
                raise ClusterError("the standby did not pause its replay")
            time.sleep(0.05)

    def resume_replay(self, wait: bool = True) -> None:
        """Apply the primary's changes again; by default, wait until caught up."""
        self.sql(self.replica, "SELECT pg_wal_replay_resume()")
        if wait:
            self.wait_for_replay()

    @contextlib.contextmanager
    def replay_paused(self) -> Iterator[None]:
        """The standby lags for the block's duration, then catches up."""
        self.pause_replay()
        try:
            yield
        finally:
            self.resume_replay()

    # Starting and stopping -------------------------------------------------------------

    def start(self, cluster: Cluster) -> None:
        self._server_command(
            "pg_ctl", "-D", str(cluster.data_dir), "-l", str(cluster.log_file), "-w", "start"
        )

    def stop_cluster(self, cluster: Cluster, mode: str = "fast") -> None:
        self._server_command("pg_ctl", "-D", str(cluster.data_dir), "-m", mode, "-w", "stop")

    def stop_replica(self) -> None:
        """The standby goes away (its port then refuses connections), as a crashed replica."""
        self.stop_cluster(self.replica, mode="immediate")

    def start_replica(self) -> None:
        """The standby comes back and catches up with the primary."""
        self.start(self.replica)
        self.wait_for_replay()

    def is_running(self, cluster: Cluster) -> bool:
        completed = subprocess.run(
            [*self._run_as, str(self.bindir / "pg_ctl"), "-D", str(cluster.data_dir), "status"],
            capture_output=True,
            check=False,
        )
        return completed.returncode == 0

    def stop(self) -> None:
        """Stop both clusters (no data is worth keeping: immediate) and delete their folder."""
        for cluster in (self.replica, self.primary):
            if cluster.data_dir.exists() and self.is_running(cluster):
                with contextlib.suppress(ClusterError):
                    self.stop_cluster(cluster, mode="immediate")
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def logs(self) -> str:
        """Both clusters' logs, for a failure's message."""
        parts = []
        for cluster in (self.primary, self.replica):
            if cluster.log_file.exists():
                parts.append(f"--- {cluster.name} ---\n{cluster.log_file.read_text()[-4000:]}")
        return "\n".join(parts)


def _configure(pair: Pair, cluster: Cluster) -> None:
    settings = CLUSTER_SETTINGS.format(port=cluster.port, socket_dir=pair.base_dir)
    with open(cluster.data_dir / "postgresql.conf", "a") as conf:
        conf.write(settings)


# A port found free may be taken by another process before the server binds it.
PORT_TAKEN = "already in use"
ATTEMPTS = 3


def start_pair(base_dir: Path | str | None = None, database: str = "apap") -> Pair:
    """Create and start a primary with database `database` and its streaming hot standby.

    The caller stops it with `pair.stop()`; `streaming_pair()` does so itself.
    """
    reason = unavailable_reason()
    if reason:
        raise ClusterError(reason)
    attempt = 1
    while True:
        try:
            return _start_pair(base_dir, database)
        except ClusterError as error:
            if PORT_TAKEN not in str(error) or attempt >= ATTEMPTS:
                raise
            attempt += 1


def _start_pair(base_dir: Path | str | None, database: str) -> Pair:
    bindir = find_bindir()
    run_as = _run_as() or []
    base = Path(tempfile.mkdtemp(prefix="apap-replication-", dir=base_dir))
    if run_as:
        owner = pwd.getpwnam(SERVER_USER)
        os.chown(base, owner.pw_uid, owner.pw_gid)
    # The clusters' owner alone may enter it; `base_dir`, if given, must let that user through.
    base.chmod(0o700)
    pair = Pair(
        base_dir=base,
        bindir=bindir,
        database=database,
        primary=Cluster("primary", base / "primary", free_port(), base / "primary.log"),
        replica=Cluster("replica", base / "replica", free_port(), base / "replica.log"),
        _run_as=run_as,
    )
    try:
        pair._server_command(
            "initdb",
            "-D",
            str(pair.primary.data_dir),
            "-U",
            SERVER_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        )
        _configure(pair, pair.primary)
        # initdb's pg_hba.conf already trusts replication connections from 127.0.0.1.
        pair.start(pair.primary)
        pair.sql(pair.primary, f'CREATE DATABASE "{database}"', database="postgres")
        pair._server_command(
            "pg_basebackup",
            "-D",
            str(pair.replica.data_dir),
            "-h",
            "127.0.0.1",
            "-p",
            str(pair.primary.port),
            "-U",
            SERVER_USER,
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        # The copied postgresql.conf names the primary's port: the standby's own comes last.
        _configure(pair, pair.replica)
        pair.start(pair.replica)
        pair.wait_for_replay()
    except BaseException:
        logs = pair.logs()
        pair.stop()
        if logs:
            raise ClusterError(f"the pair did not start:\n{logs}") from None
        raise
    return pair


@contextlib.contextmanager
def streaming_pair(base_dir: Path | str | None = None, database: str = "apap") -> Iterator[Pair]:
    """A started primary + hot standby for the block's duration; see `start_pair`."""
    pair = start_pair(base_dir, database)
    try:
        yield pair
    finally:
        pair.stop()
