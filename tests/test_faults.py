"""Faults, short form (the long form: ``python -m tests.faults --rounds N``): a server restarted
under a running import and a running console, a command killed inside its transaction, a local
file locked, read-only, on a full disk, or newer than this Régul.

PostgreSQL faults run on a throwaway cluster of their own (tests/faults/cluster.py), never on the
shared test server.
"""

import random
import uuid
from pathlib import Path

import pytest
from sqlalchemy import URL, make_url

from tests.conftest import BACKENDS
from tests.faults.cluster import Cluster, pg_cluster
from tests.faults.scenarios import COMMANDS, Day, kill_and_rerun, prepare_day

__all__ = ["pg_cluster"]  # the fixture, for pytest to find


@pytest.fixture(params=BACKENDS)
def fault_url(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    """An empty database on each backend; PostgreSQL's on the throwaway cluster."""
    if request.param == "sqlite":
        return make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(f"faults_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def day(fault_url: URL, tmp_path: Path) -> Day:
    return prepare_day(fault_url, tmp_path / "files")


def test_kill_9_inside_import_plan_save_and_push_then_rerun(day: Day) -> None:
    """Each command killed while its write transaction is open leaves a whole database with
    none of its work, and run again it finishes the job (checked inside kill_and_rerun); each
    rerun readies the day for the next command."""
    rng = random.Random(8)
    for command in COMMANDS:
        kill = kill_and_rerun(day, command, "transaction", rng)
        assert kill.killed and kill.rerun_ok
        if day.url.get_backend_name() == "postgresql":
            # held on its lock, the command cannot have committed (SQLite's probe, in theory,
            # may see the lock a moment before the commit releases it)
            assert not kill.saved, command
