"""Dispatch in the real windows, offscreen: the regulator pushes, the carrier answers, and the
regulator's screen follows without a restart (LISTEN/NOTIFY on PostgreSQL, polling on SQLite)."""

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import URL

from console import live_updates
from console.carrier_window import CarrierWindow
from console.main_window import MainWindow
from console.missions_model import MissionColumn
from console.requests_model import REQUEST_ID_ROLE, Column
from models.enums import MissionStatus, Role
from models.migrate import upgrade
from models.repositories.missions import missions_of_day
from models.session import Database
from planning.optimiser import SolveParams
from regul.access import Principal
from regul.changes import change_stamp
from regul.demo import build_demo_day, load_demo_day
from regul.dispatch import Answer, answer_missions, push
from regul.planning_run import load_problem, plan_day

pytestmark = pytest.mark.usefixtures("fresh_settings")

DAY = date(2026, 11, 24)
REGULATOR = Principal("regulation", Role.REGULATOR)
MAP_TIMEOUT_MS = 60_000
LIVE_TIMEOUT_MS = 20_000


def _pushed(db: Database, tmp_path: Path) -> Database:
    load_demo_day(db, build_demo_day(DAY, 90, 1), tmp_path / "demo", actor="test")
    plan_day(db, DAY, SolveParams(time_limit_s=20, seed=1, iterations=300), "test")
    push(db, REGULATOR, DAY)
    return db


@pytest.fixture
def pushed(db: Database, tmp_path: Path) -> Database:
    """A demo day of 90 requests and three carriers, planned and pushed."""
    return _pushed(db, tmp_path)


def _show(qtbot: QtBot, window: QMainWindow) -> None:
    with qtbot.waitSignal(window.map_view.loaded, timeout=MAP_TIMEOUT_MS):  # type: ignore[attr-defined]
        window.show()


def _close(window: QMainWindow) -> None:
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def regulator(qtbot: QtBot, pushed: Database) -> Iterator[MainWindow]:
    window = MainWindow(pushed, DAY, "regulation", tiles=False, principal=REGULATOR, live=True)
    _show(qtbot, window)
    yield window
    _close(window)


def _carrier_status(window: MainWindow, request_id: str) -> str:
    model = window.requests_model
    for row in range(model.rowCount()):
        if model.index(row, 0).data(REQUEST_ID_ROLE) == request_id:
            return str(model.index(row, Column.CARRIER).data())
    raise AssertionError(f"{request_id} not in the grid")


def test_a_carriers_answer_reaches_the_regulators_screen(
    qtbot: QtBot, regulator: MainWindow, pushed: Database
) -> None:
    """Accepted on one desk, shown « Acceptée » on the regulator's without any action there;
    a refusal comes back to the pool with the carrier's reason."""
    with pushed.reader() as session:
        first, second = missions_of_day(session, DAY)[:2]
    assert _carrier_status(regulator, first.request_id) == "Proposée"
    carrier = Principal("dispatch", Role.CARRIER_DISPATCHER, first.carrier_siret)
    answer_missions(pushed, carrier, [Answer(first.id, first.version, True)])
    qtbot.waitUntil(
        lambda: _carrier_status(regulator, first.request_id) == "Acceptée",
        timeout=LIVE_TIMEOUT_MS,
    )
    other = Principal("dispatch-2", Role.CARRIER_DISPATCHER, second.carrier_siret)
    answer_missions(pushed, other, [Answer(second.id, second.version, False, "pas de VSL")])
    qtbot.waitUntil(
        lambda: (
            regulator.view is not None and regulator.view.row(second.request_id).vehicle is None
        ),
        timeout=LIVE_TIMEOUT_MS,
    )
    row = regulator.view.row(second.request_id)  # type: ignore[union-attr]
    assert "pas de VSL" in (row.reason or "")


def test_the_carrier_window_accepts_and_refuses(
    qtbot: QtBot, pushed: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inbox holds only the carrier's missions; accept one, refuse another with a reason."""
    with pushed.reader() as session:
        siret = missions_of_day(session, DAY)[0].carrier_siret
    principal = Principal("dispatch", Role.CARRIER_DISPATCHER, siret)
    window = CarrierWindow(pushed, DAY, principal, tiles=False)
    try:
        _show(qtbot, window)
        model = window.proxy
        assert model.rowCount() > 1
        plates = {
            str(model.index(r, MissionColumn.VEHICLE).data()) for r in range(model.rowCount())
        }
        assert plates <= {v.id for v in window.view.problem.vehicles}  # type: ignore[union-attr]
        selection = window.table.selectionModel()
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.select(model.index(0, 0), flags)
        accepted = window.selected_missions()
        window.accept_selected()
        selection.select(model.index(1, 0), flags)
        refused = window.selected_missions()
        assert refused != accepted
        monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("panne", True))
        window.refuse_selected()
        statuses = {m.id: m.status for m in window.view.missions}  # type: ignore[union-attr]
        assert statuses[accepted[0]] is MissionStatus.ACCEPTED
        assert statuses[refused[0]] is MissionStatus.REFUSED
        monkeypatch.setattr(QMessageBox, "warning", lambda *_a, **_k: None)
        selection.select(model.index(0, 0), flags)
        window.accept_selected()  # already answered: nothing changes
        assert {m.id: m.status for m in window.view.missions} == statuses  # type: ignore[union-attr]
    finally:
        _close(window)


def test_push_from_the_regulators_window(qtbot: QtBot, regulator: MainWindow) -> None:
    """Pushing again after nothing changed sends nothing; the grid says where each trip is."""
    report = regulator.dispatch.push()
    assert report is not None and not report.proposed and report.unchanged
    assert _carrier_status(regulator, report.unchanged[0]) == "Proposée"


def test_postgresql_announcements_alone_bring_the_news(
    qtbot: QtBot, pg_schema_url: URL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With polling pushed out of reach, a carrier's answer still reaches a desk at once:
    LISTEN/NOTIFY carries it."""
    monkeypatch.setattr(live_updates, "POLL_S", 3600.0)
    monkeypatch.setattr(live_updates, "SWEEP_EVERY_S", 3600.0)
    db = Database(pg_schema_url)
    upgrade(db)
    try:
        _pushed(db, tmp_path)
        with db.reader() as session:
            mission = missions_of_day(session, DAY)[0]
        carrier = Principal("dispatch", Role.CARRIER_DISPATCHER, mission.carrier_siret)
        watcher = live_updates.LiveUpdates(db, carrier, DAY)
        watcher.set_day(DAY, change_stamp(db, carrier, DAY))
        watcher.start()
        try:
            time.sleep(1.5)  # listening
            with qtbot.waitSignal(watcher.changed, timeout=5_000):
                answer_missions(db, carrier, [Answer(mission.id, mission.version, True)])
        finally:
            watcher.stop()
    finally:
        db.dispose()


def test_cancel_and_refusal_of_sharing_from_the_grid(
    qtbot: QtBot, regulator: MainWindow, pushed: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The grid's menu cancels a pushed trip with its reason and notes a refusal of sharing."""
    with pushed.reader() as session:
        first, second = missions_of_day(session, DAY)[:2]
    regulator.select_requests([first.request_id], "test")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a, **_k: ("Patient absent", True))
    regulator.dispatch.cancel_selected()
    assert first.request_id not in regulator.view.index  # type: ignore[union-attr]
    with pushed.reader() as session:
        statuses = {m.id: m.status for m in missions_of_day(session, DAY)}
    assert statuses[first.id] is MissionStatus.CANCELLED
    regulator.select_requests([second.request_id], "test")
    regulator.dispatch.sharing_refused()
    problem = load_problem(pushed, DAY).problem
    assert problem.request(second.request_id).sharing_refused
