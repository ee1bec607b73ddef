"""Faults, short form (the long form: ``python -m tests.faults --rounds N``): a server restarted
under a running import and a running console, a command killed inside its transaction, a local
file locked, read-only, on a full disk, or newer than this Régul.

PostgreSQL faults run on a throwaway cluster of their own (tests/faults/cluster.py), never on the
shared test server.
"""

import contextlib
import hashlib
import os
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, make_url

from models import db as db_settings
from models import session as session_module
from models.errors import ConnectionLostError, DatabaseUnavailableError, RegulDataError
from models.migrate import upgrade
from models.session import Database
from tests.conftest import BACKENDS
from tests.faults.cluster import Cluster, pg_cluster
from tests.faults.local_files import MountUnavailable, make_too_new, read_only, write_lock_held
from tests.faults.scenarios import (
    COMMANDS,
    DAY,
    FILE_FAULTS,
    Day,
    check_sqlite_file,
    file_fault,
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


def test_restart_under_writes_and_a_running_import(pg_cluster: Cluster, tmp_path: Path) -> None:
    """Restarted as by a crash under writes: the confirmed one is there, the cut one reported
    (and absent unless reported as possibly saved), the same Database reconnects by itself.
    Restarted under an import with its first rows written: the import saves the whole file by
    itself once the server is back, says it tried again, and exits 0. (Plan save and push
    under a restart: the long form.)"""
    url = pg_cluster.new_database(f"faults_{uuid.uuid4().hex[:12]}")
    day = prepare_day(url, tmp_path / "files")
    restart_under_writes(url, pg_cluster, "immediate")
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


def _unfaithful(reason: str) -> None:
    """A fault this machine cannot make: a failure under CI, else a skip that says why."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.parametrize("fault", list(FILE_FAULTS))
def test_a_local_file_fault_is_one_french_line_and_no_damage(fault: str, tmp_path: Path) -> None:
    """Locked by another process, read-only (file or folder), on a full disk, newer than this
    Régul: « regul import » says so in one line, exits 1, leaves the file whole and without a
    request; once the fault is gone the same import goes through (checked in file_fault)."""
    day = prepare_day(make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite"), tmp_path / "in")
    try:
        outcome = file_fault(day, fault)
    except MountUnavailable as exc:
        _unfaithful(str(exc))
    assert outcome.code == 1 and FILE_FAULTS[fault] in outcome.message


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("base plus récente", "plus récent"),
        ("fichier en lecture seule", "lecture seule"),
        ("dossier en lecture seule", "lecture seule"),
        ("verrouillée", "occupée"),
    ],
)
def test_the_console_refuses_a_faulty_local_file_in_one_message_box(
    qapp: Any, fault: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Start-menu console on such a file: one message box with the reason, the typed
    error raised again for the terminal, and the file as it was."""
    from PySide6.QtWidgets import QMessageBox

    from console import startup

    folder = tmp_path / "base"
    folder.mkdir()
    path = folder / "regul.sqlite"
    url = f"sqlite:///{path}"
    if fault == "verrouillée":
        path.touch()  # a file still to be set up: the console must write to open it
        monkeypatch.setattr(db_settings, "SQLITE_BUSY_TIMEOUT_MS", 300)
    else:
        db = Database(make_url(url))
        upgrade(db)
        db.dispose()
    if fault == "base plus récente":
        make_too_new(path)
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, title, text: boxes.append((title, text))
    )

    def opened(*_args: object) -> int:
        raise AssertionError("la console s'est ouverte sur une base qu'elle doit refuser")

    monkeypatch.setattr(startup, "run_console", opened)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with contextlib.ExitStack() as fault_on:
        try:
            if fault == "verrouillée":
                fault_on.enter_context(write_lock_held(path))
            elif fault == "fichier en lecture seule":
                fault_on.enter_context(read_only(path))
            elif fault == "dossier en lecture seule":
                fault_on.enter_context(read_only(folder))
        except MountUnavailable as exc:
            _unfaithful(str(exc))
        with pytest.raises(RegulDataError) as refused:
            startup.start_console(url, DAY)
    assert boxes == [("Régul ne peut pas démarrer", str(refused.value))]
    assert words in str(refused.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert [p.name for p in folder.iterdir() if "avant-migration" in p.name] == []
    check_sqlite_file(path)


def test_retrying_makes_the_work_again_only_when_nothing_was_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lost or unreachable server before the commit: waited for, in growing steps, and said;
    a commit in doubt is never made twice; and the attempts are bounded. A local file is not
    waited for: it does not come back by itself."""
    db = Database(make_url("postgresql+psycopg://regul@127.0.0.1:1/regul"))  # never connected
    failures: list[Exception] = []
    attempts: list[str] = []

    @contextlib.contextmanager
    def transaction(actor: str) -> Iterator[None]:
        attempts.append(actor)
        if failures:
            raise failures.pop(0)
        yield None

    waits: list[float] = []
    told: list[str] = []
    monkeypatch.setattr(db, "transaction", transaction)
    monkeypatch.setattr(time, "sleep", waits.append)
    db.on_retry = told.append
    failures[:] = [ConnectionLostError("perdue"), DatabaseUnavailableError("injoignable")]
    assert db.retrying("régulation", lambda _session: "fait") == "fait"
    assert len(attempts) == 3 and waits == [0.5, 1.0]
    assert len(told) == 2 and all("nouvel essai" in text for text in told)

    attempts.clear()
    failures[:] = [ConnectionLostError("coupée pendant le commit", in_doubt=True)]
    with pytest.raises(ConnectionLostError, match="pendant le commit"):
        db.retrying("régulation", lambda _session: "fait")
    assert attempts == ["régulation"]

    attempts.clear()
    failures[:] = [ConnectionLostError(f"perdue {n}") for n in range(20)]
    with pytest.raises(ConnectionLostError):
        db.retrying("régulation", lambda _session: "fait")
    assert len(attempts) == len(session_module.RETRY_DELAYS_S) + 1
    db.dispose()

    local = Database(make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite"))
    monkeypatch.setattr(local, "transaction", transaction)
    attempts.clear()
    failures[:] = [DatabaseUnavailableError("impossible d'ouvrir")]
    with pytest.raises(DatabaseUnavailableError):
        local.retrying("régulation", lambda _session: "fait")
    assert attempts == ["régulation"]
    local.dispose()
