"""Faults, short form (the long form: ``python -m tests.faults --rounds N``): a server restarted
under a running import and a running console, a command killed inside its transaction, a local
file locked, read-only, on a full disk, or newer than this Régul.

PostgreSQL faults run on a throwaway cluster of their own (tests/faults/cluster.py), never on the
shared test server.
"""

import random
import uuid
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, make_url

from models.migrate import upgrade
from models.session import Database
from tests.conftest import BACKENDS
from tests.faults.cluster import Cluster, pg_cluster
from tests.faults.scenarios import (
    COMMANDS,
    DAY,
    Day,
    kill_and_rerun,
    prepare_day,
    rerun,
    restart_under_import,
    restart_under_writes,
)

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


def test_restart_under_writes_keeps_what_was_confirmed(pg_cluster: Cluster) -> None:
    """Restarted as by a crash: the confirmed write is there, the cut one is reported (and
    absent unless reported as possibly saved), the same Database reconnects by itself."""
    url = pg_cluster.new_database(f"faults_{uuid.uuid4().hex[:12]}")
    db = Database(url)
    upgrade(db)
    db.dispose()
    restart_under_writes(url, pg_cluster, "immediate")


def test_restart_under_a_running_import_retries_it_whole(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    """The import cut off by a restart, its first rows written, saves the whole file by itself
    once the server is back and says it tried again; exit code 0."""
    url = pg_cluster.new_database(f"faults_{uuid.uuid4().hex[:12]}")
    day = prepare_day(url, tmp_path / "files")
    restart_under_import(day, pg_cluster, "fast")


def test_console_says_the_server_is_lost_then_back(
    qtbot: QtBot, fresh_settings: None, pg_cluster: Cluster, tmp_path: Path
) -> None:
    """A regulator's window on a server that stops: a red, lasting « Connexion au serveur
    perdue — nouvelle tentative… » in the status bar; once the server is back, « Connexion
    rétablie », and the window reads the day again."""
    from PySide6.QtWidgets import QLabel

    from console.main_window import MainWindow

    url = pg_cluster.new_database(f"faults_{uuid.uuid4().hex[:12]}")
    rerun(prepare_day(url, tmp_path / "files"), "import")
    db = Database(url)
    window = MainWindow(db, DAY, "fault-runner", tiles=False, live=True)
    qtbot.addWidget(window)
    label: Any = window.findChild(QLabel, "connection_state")
    try:
        pg_cluster.stop("fast")
        try:
            qtbot.waitUntil(lambda: not label.isHidden(), timeout=20_000)
        finally:
            pg_cluster.resume()
        assert label.text() == "Connexion au serveur perdue — nouvelle tentative…"
        reloaded: list[int] = []
        window.requests_model.modelReset.connect(lambda: reloaded.append(1))
        qtbot.waitUntil(label.isHidden, timeout=20_000)
        assert window.statusBar().currentMessage() == "Connexion rétablie"
        assert reloaded and window.requests_model.rowCount() == 40
    finally:
        window.close()
        db.dispose()
