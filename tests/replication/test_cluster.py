"""The harness itself: a real hot standby, replay that pauses, and nothing left behind."""

from __future__ import annotations

import socket

import pytest

from apap_portal.replicas import cluster

pytestmark = pytest.mark.replication


@pytest.fixture(scope="module")
def available():
    if reason := cluster.unavailable_reason():
        pytest.skip(f"No replication tests: {reason}.")


def refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_a_standby_streams_pauses_and_everything_is_torn_down(available):
    with cluster.streaming_pair(database="harness") as pair:
        assert pair.sql(pair.primary, "SELECT pg_is_in_recovery()") == "f"
        assert pair.sql(pair.replica, "SELECT pg_is_in_recovery()") == "t"
        assert pair.replica_url.startswith("postgres://postgres@127.0.0.1:")

        pair.sql(pair.primary, "CREATE TABLE sightings (species text)")
        pair.sql(pair.primary, "INSERT INTO sightings VALUES ('hornbill')")
        pair.wait_for_replay()
        assert pair.sql(pair.replica, "SELECT count(*) FROM sightings") == "1"

        with pair.replay_paused():
            pair.sql(pair.primary, "INSERT INTO sightings VALUES ('gaur')")
            assert pair.sql(pair.replica, "SELECT count(*) FROM sightings") == "1"
        assert pair.sql(pair.replica, "SELECT count(*) FROM sightings") == "2"

        with pytest.raises(cluster.ClusterError, match="read-only"):
            pair.sql(pair.replica, "INSERT INTO sightings VALUES ('tiger')")
        folder, ports = pair.base_dir, (pair.primary.port, pair.replica.port)

    assert not folder.exists()
    assert all(refuses_connections(port) for port in ports)


def test_a_port_taken_meanwhile_is_given_up_for_another(available, monkeypatch):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        # The first "free" port is taken by the time the primary binds it.
        offered = iter([taken])
        find_free = cluster.free_port
        monkeypatch.setattr(cluster, "free_port", lambda: next(offered, None) or find_free())
        with cluster.streaming_pair(database="harness") as pair:
            assert taken not in (pair.primary.port, pair.replica.port)
            assert pair.sql(pair.replica, "SELECT pg_is_in_recovery()") == "t"
