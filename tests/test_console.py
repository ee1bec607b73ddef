"""The console's real widgets on a planned demo day, offscreen, on SQLite and PostgreSQL."""

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import URL

from console.main_window import MainWindow
from console.optimise import OptimiseOutcome
from console.plan_editing import requests_mime
from console.requests_model import REQUEST_ID_ROLE, Column
from console.roster_model import RosterColumn
from console.timeline import LABEL_WIDTH, ROW_HEIGHT
from importers.run import Fate
from models.repositories.common import Outcome
from models.session import Database
from planning.edits import TAKEN_OUT, unassign
from regul.cli import main
from regul.day_view import Status
from regul.planning_run import store_edited_plan

pytestmark = pytest.mark.usefixtures("fresh_settings")

DAY = date(2026, 11, 24)
MAP_TIMEOUT_MS = 60_000


@pytest.fixture
def planned_url(db: Database, db_url: URL, tmp_path: Path) -> str:
    """A demo day of 40 requests, planned for 3 seconds."""
    url = db_url.render_as_string(hide_password=False)
    demo = ["demo", "--headless", "--date", DAY.isoformat(), "--requests", "40",
            "--time-limit", "3", "--db", url, "--folder", str(tmp_path / "demo")]  # fmt: skip
    assert main(demo) == 0
    return url


@pytest.fixture
def window(qtbot: QtBot, planned_url: str, db: Database) -> Iterator[MainWindow]:
    shown = MainWindow(db, DAY, "test-runner", time_limit_s=30, tiles=False)
    with qtbot.waitSignal(shown.map_view.loaded, timeout=MAP_TIMEOUT_MS) as loaded:
        shown.show()
    assert loaded.args == [True]
    yield shown
    # deleted now, not at exit: WebEngine wants its pages gone before its profile
    shown.close()
    shown.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _run_js(qtbot: QtBot, window: MainWindow, script: str) -> Any:
    result: list[Any] = []
    window.map_view.page().runJavaScript(script, 0, result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=10_000)
    return result[0]


def _grid_ids(window: MainWindow) -> list[str]:
    proxy = window.requests_filter
    return [str(proxy.index(r, 0).data(REQUEST_ID_ROLE)) for r in range(proxy.rowCount())]


def test_the_day_fills_the_grid_the_timeline_the_map_and_the_kpis(window: MainWindow) -> None:
    """Every request is a row; served ones have their vehicle; the strip compares to solo."""
    view = window.view
    assert view is not None and view.plan is not None
    assert window.requests_model.rowCount() == len(view.rows) == 40
    served = [row for row in view.rows if row.status is Status.PLANNED]
    assert len(served) >= 35
    assert all(row.vehicle for row in served)
    planned_vehicle = window.requests_filter.index(0, Column.VEHICLE).data()
    assert isinstance(planned_vehicle, str)
    assert "Servies" in window.kpis.text() and "seuls" in window.kpis.text()
    assert window.timeline.selected_requests() == []
    assert len(window.timeline._marks) == len(served)


def test_the_quick_filter_keeps_rows_matching_every_word(window: MainWindow) -> None:
    view = window.view
    assert view is not None
    row = view.rows[0]
    window.filter_edit.setText(f"{row.patient.split()[0]} {row.destination}")
    ids = _grid_ids(window)
    assert row.id in ids
    assert 0 < len(ids) < len(view.rows)
    window.filter_edit.clear()
    assert len(_grid_ids(window)) == len(view.rows)


def test_a_click_on_the_map_selects_the_request_in_the_grid_and_timeline(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Through the real web channel: the page calls the bridge, the console selects."""
    view = window.view
    assert view is not None
    target = next(row.id for row in view.rows if row.status is Status.PLANNED)
    with qtbot.waitSignal(window.map_view.requestClicked, timeout=10_000) as clicked:
        _run_js(qtbot, window, f"regul.markers[{target!r}][0].fire('click'); true")
    assert clicked.args == [target]
    assert window.selected_requests() == [target]
    assert window.timeline.selected_requests() == [target]


def test_a_selection_in_the_grid_is_highlighted_on_the_map(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.view
    assert view is not None
    target = next(row.id for row in view.rows if row.status is Status.PLANNED)
    row = window.requests_filter.mapFromSource(window.requests_model.index(view.index[target], 0))
    window.grid.selectionModel().select(
        row,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.waitUntil(
        lambda: _run_js(qtbot, window, "regul.selected.length") == 2, timeout=10_000
    )  # its pickup and its drop-off
    assert window.timeline.selected_requests() == [target]


def test_optimise_reports_progress_and_cancel_keeps_the_best_plan(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The window stays live during the run; Cancel stops it early with a stored plan."""
    progress: list[tuple[int, int, float]] = []
    window.optimise()
    run = window.optimisation
    assert run is not None and not window.optimise_action.isEnabled()
    run.progressed.connect(lambda *args: progress.append(args))
    qtbot.waitUntil(lambda: bool(progress), timeout=20_000)
    with qtbot.waitSignal(run.finished, timeout=30_000) as finished:
        window.cancel_button.click()
    outcome = finished.args[0]
    assert isinstance(outcome, OptimiseOutcome)
    assert outcome.cancelled and outcome.seconds < 25
    assert outcome.served >= 35 and outcome.violations == 0
    assert window.optimise_action.isEnabled() and window.optimisation is None
    assert "arrêtée" in window.statusBar().currentMessage()
    assert progress[-1][1] <= outcome.requests


def test_the_panels_arrangement_is_remembered(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    window.violations_dock.hide()
    window.save_layout()  # as closing the window does
    again = MainWindow(db, DAY, "test-runner", tiles=False)
    qtbot.addWidget(again)
    again.show()
    assert again.violations_dock.isHidden()
    assert not again.map_dock.isHidden()


def test_gui_screenshot_saves_the_whole_window(planned_url: str, tmp_path: Path) -> None:
    """``regul gui --screenshot`` waits for the map, saves the window and quits."""
    out = tmp_path / "console.png"
    code = main(["gui", "--db", planned_url, "--date", DAY.isoformat(), "--screenshot", str(out)])
    assert code == 0
    image = QImage(str(out))
    assert image.width() >= 1200 and image.height() >= 800
    # not a blank picture: the timeline's bars and the map's routes bring many colours
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 50


def _vehicle_of(window: MainWindow, request_id: str) -> str | None:
    assert window.view is not None
    return window.view.row(request_id).vehicle


def _drop_on_row(qtbot: QtBot, window: MainWindow, ids: list[str], plate: str) -> None:
    """A real drop on the timeline's viewport, at the height of the vehicle's row."""
    timeline = window.timeline
    top = timeline.row_of(plate)
    assert top is not None
    timeline.ensureVisible(QRectF(0, top, 10, ROW_HEIGHT))
    where = timeline.mapFromScene(QPointF(LABEL_WIDTH + 50, top + ROW_HEIGHT / 2))
    data = requests_mime(ids)
    actions = Qt.DropAction.MoveAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPointF(where), actions, data, buttons, keys)
    QApplication.sendEvent(timeline.viewport(), enter)
    move = QDragMoveEvent(QPointF(where), actions, data, buttons, keys)
    QApplication.sendEvent(timeline.viewport(), move)
    drop = QDropEvent(QPointF(where), actions, data, buttons, keys)
    QApplication.sendEvent(timeline.viewport(), drop)


def test_dragging_a_request_onto_another_vehicle_moves_it_and_undo_brings_it_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.view
    assert view is not None and view.plan is not None
    target = next(row for row in view.rows if row.status is Status.PLANNED)
    source = target.vehicle
    other = next(
        route.vehicle for route in view.plan.routes if route.requests and route.vehicle != source
    )
    version = view.version
    _drop_on_row(qtbot, window, [target.id], other)
    assert _vehicle_of(window, target.id) == other
    assert window.view is not None and window.view.version > version  # stored at once
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _vehicle_of(window, target.id) == source
    qtbot.keyClick(window.grid, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert _vehicle_of(window, target.id) == other


def test_a_broken_rule_shows_at_once_and_goes_with_undo(window: MainWindow) -> None:
    """A wheelchair user put in a vehicle with no wheelchair place: the violation is listed."""
    view = window.view
    assert view is not None and view.violations == ()
    wheelchair = next(
        row for row in view.rows if row.mobility.value == "WHEELCHAIR" and row.vehicle
    )
    vsl = next(v.id for v in view.problem.vehicles if v.capacity.wheelchair == 0)
    window.move_requests([wheelchair.id], vsl)
    assert window.view is not None
    assert any(v.request == wheelchair.id for v in window.view.violations)
    assert window.violations.count() == len(window.view.violations) > 0
    assert window.requests_model.data(
        window.requests_model.index(window.view.index[wheelchair.id], 0),
        Qt.ItemDataRole.ToolTipRole,
    )
    window.undo_action.trigger()
    assert window.view.violations == () and window.violations.count() == 0


def test_a_locked_assignment_stays_when_the_rest_is_reoptimised(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.view
    assert view is not None
    target = next(row for row in view.rows if row.status is Status.PLANNED)
    window.select_requests([target.id], "test")
    window.lock_selected()
    assert window.view is not None and target.id in window.view.locked_requests
    assert (
        "🔒"
        in window.requests_filter.index(
            window.requests_filter.mapFromSource(
                window.requests_model.index(window.view.index[target.id], 0)
            ).row(),
            Column.VEHICLE,
        ).data()
    )
    window.time_limit_s = 3
    with qtbot.waitSignal(window.optimise_action.changed, timeout=1000, raising=False):
        window.optimise_rest_action.trigger()
    qtbot.waitUntil(lambda: window.optimisation is None, timeout=30_000)
    assert window.view is not None
    assert _vehicle_of(window, target.id) == target.vehicle
    assert target.id in window.view.locked_requests


def test_an_edit_over_another_desks_change_is_refused_and_reloaded(
    qtbot: QtBot, window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Optimistic locking: the other desk's plan is kept, this desk is told and reloaded."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    view = window.view
    assert view is not None and view.plan is not None
    taken = next(row.id for row in view.rows if row.status is Status.PLANNED)
    other_desk = unassign(view.problem, view.plan, [taken], TAKEN_OUT, view.travel)
    store_edited_plan(db, DAY, other_desk, view.version, "other-desk")
    mine = next(row for row in view.rows if row.status is Status.PLANNED and row.id != taken)
    window.select_requests([mine.id], "test")
    window.lock_selected()
    assert shown and "autre poste" in shown[0]
    assert window.view is not None
    assert window.view.row(taken).status is Status.UNSERVED  # the other desk's edit stands
    assert mine.id not in window.view.locked_requests
    qtbot.waitUntil(lambda: window.undo_stack.count() == 0, timeout=2000)


def test_a_vehicle_marked_unavailable_is_left_out_of_the_next_optimisation(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.view
    assert view is not None and view.plan is not None
    busy = next(route.vehicle for route in view.plan.routes if route.requests)
    row = next(k for k, entry in enumerate(view.roster) if entry.plate == busy)
    tick = window.roster_model.index(row, RosterColumn.AVAILABLE)
    assert tick.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    window.roster_model.setData(tick, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert window.view is not None and not window.view.roster[row].available
    assert tick.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    # the stored plan still sends it out: the checker says so
    assert any(v.vehicle == busy for v in window.view.violations)
    window.time_limit_s = 3
    window.optimise()
    qtbot.waitUntil(lambda: window.optimisation is None, timeout=30_000)
    assert window.view.plan is not None
    assert all(route.vehicle != busy for route in window.view.plan.routes)
    assert window.view.violations == ()


def test_the_import_wizard_previews_checks_and_imports_a_messy_export(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Through the real pages: the guessed mapping, the dry run's rejected rows (the same as
    the import's), then the import with its progress; the next day then has its requests."""
    messy = next((tmp_path / "demo").glob("export-service-*.xlsx"))
    wizard = window.open_import_wizard()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(messy))
    assert wizard.file_page.isComplete()
    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.isComplete(), mapping.problem.text()
    chosen = mapping.chosen()
    assert chosen is not None and {"last_name", "first_name"} <= set(chosen)
    # leaving out a required column is refused until it is put back
    surname = next(c for c in mapping.combos if c.currentData() == "last_name")
    index = surname.currentIndex()
    surname.setCurrentIndex(0)
    assert not mapping.isComplete() and "obligatoires" in mapping.problem.text()
    surname.setCurrentIndex(index)
    assert mapping.isComplete()
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: check.result is not None, timeout=60_000)
    assert check.result is not None
    rejected = check.result.count(Fate.REJECTED)
    assert rejected > 0 and check.rejected.rowCount() >= rejected
    assert window.view is not None and len(window.view.rows) == 40  # nothing stored yet
    with qtbot.waitSignal(wizard.imported, timeout=60_000) as done:
        wizard.next()
    result = done.args[0]
    assert result.count(Fate.REJECTED) == rejected
    assert result.count(Fate.IMPORTED) == check.result.count(Fate.IMPORTED)
    assert wizard.import_page.bar.value() == wizard.import_page.bar.maximum()
    window.date_edit.setDate(window.date_edit.date().addDays(1))  # the export's day
    assert window.view is not None and window.view.day == DAY + timedelta(days=1)
    assert len(window.view.rows) == result.outcome_count(Outcome.CREATED) > 0


def test_bench_console_times_opening_a_day_and_drawing_its_map(
    qapp: QApplication, tmp_path: Path
) -> None:
    out = tmp_path / "console.json"
    code = main(["bench", "console", "--requests", "60", "--plan-time", "2", "--out", str(out)])
    assert code == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["requests"] == 60 and figures["routes"] > 0
    assert 0 < figures["load_day_s"] < figures["target_s"]
    assert 0 < figures["render_map_s"] < figures["target_s"]
    assert 0 < figures["window_open_s"] < 120 and figures["map_html_kb"] > 10


def test_a_breakdown_hands_the_trips_back_and_re_optimising_leaves_the_vehicle_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.view
    assert view is not None and view.plan is not None
    busy = max(view.plan.routes, key=lambda route: len(route.requests))
    window.breakdown(busy.vehicle, 0)
    assert window.view is not None and busy.vehicle in window.view.locked_routes
    handed_back = [window.view.row(rid) for rid in busy.requests]
    assert all(
        row.status is Status.UNSERVED and "panne" in (row.reason or "") for row in handed_back
    )
    window.time_limit_s = 3
    window.optimise()
    qtbot.waitUntil(lambda: window.optimisation is None, timeout=30_000)
    assert window.view.plan is not None
    after = next(r for r in window.view.plan.routes if r.vehicle == busy.vehicle)
    assert after.requests == ()
    assert sum(window.view.row(rid).status is Status.PLANNED for rid in busy.requests) > 0
    window.undo_action.trigger()  # the breakdown was the last edit
    assert window.view is not None and busy.vehicle not in window.view.locked_routes
