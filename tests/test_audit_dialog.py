"""The audit log window, offscreen: filters, paging as the grid scrolls, the full entry, the
export, and a grid that never fails on an odd entry."""

import csv
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from console.audit_model import PAGE_SIZE, AuditColumn, AuditModel
from console.audit_view import AuditDialog
from models.repositories.audit import AuditRecord, Change
from models.session import Database
from tests.audit_samples import DISPATCHER, add_users, log, numbered

pytestmark = pytest.mark.usefixtures("fresh_settings")


@pytest.fixture
def dialog(qtbot: QtBot, db: Database) -> AuditDialog:
    log(db)
    shown = AuditDialog(db, None, "alice")
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _column(dialog: AuditDialog, column: AuditColumn) -> list[str]:
    grid = dialog.sorted
    return [grid.index(row, column).data() for row in range(grid.rowCount())]


def test_the_dialog_filters_by_action_and_exports_what_it_shows(
    qtbot: QtBot, dialog: AuditDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choosing "refuse" keeps its one entry; Exporter… writes just that entry as CSV."""
    assert _column(dialog, AuditColumn.ACTION) == [
        "accept", "create", "refuse", "update", "plan", "import"
    ]  # fmt: skip
    assert dialog.status.text() == "6 entrées"
    dialog.action_box.setCurrentIndex(dialog.action_box.findText("refuse"))
    assert _column(dialog, AuditColumn.ACTION) == ["refuse"]
    assert _column(dialog, AuditColumn.TIME) == ["25/11/2026 00:30:00"]
    chosen = tmp_path / "refus"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args: (str(chosen), "CSV pour Excel (*.csv)")
    )
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as exported:
        dialog.export_button.click()
    assert exported.args == [1]
    with chosen.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert [row[3] for row in rows[1:]] == ["refuse"]
    assert rows[1][7].startswith("'=HYPERLINK")
    assert dialog.status.text() == f"1 entrée exportée dans {chosen.with_suffix('.csv')}"
    assert dialog.export_button.isEnabled()


def test_a_failed_export_is_said_and_the_button_comes_back(
    qtbot: QtBot, dialog: AuditDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that cannot be written is reported in the window, not raised."""
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    blocker = tmp_path / "un-fichier"
    blocker.write_text("")
    with qtbot.waitSignal(dialog.exportFailed, timeout=10_000):
        dialog.export_to(blocker / "journal.xlsx")
    assert len(warnings) == 1 and warnings[0] == dialog.status.text()
    assert dialog.export_button.isEnabled()


def test_text_actor_and_period_filters_combine(qtbot: QtBot, dialog: AuditDialog) -> None:
    """Typed words apply after a pause; actor and Paris days narrow the same list."""
    dialog.text_edit.setText("TOURNÉES")
    qtbot.waitUntil(lambda: dialog.sorted.rowCount() == 1, timeout=2_000)
    assert _column(dialog, AuditColumn.ACTION) == ["plan"]
    dialog.text_edit.clear()
    dialog.apply_filter()
    dialog.actor_box.setCurrentIndex(dialog.actor_box.findText("bob"))
    assert _column(dialog, AuditColumn.ACTION) == ["update", "plan"]
    dialog.actor_box.setCurrentIndex(0)
    dialog.first_day.setDate(datetime(2026, 11, 25).date())  # noqa: DTZ001
    dialog.last_day.setDate(datetime(2026, 11, 25).date())  # noqa: DTZ001
    dialog.period_box.setChecked(True)
    assert _column(dialog, AuditColumn.ACTION) == ["accept", "create", "refuse"]


def test_scrolling_to_the_end_reads_the_next_page(qtbot: QtBot, db: Database) -> None:
    """Only a page is read at first; the rest comes as the grid reaches its last row."""
    log(db, numbered(PAGE_SIZE + 30))
    shown = AuditDialog(db, None, "alice")
    qtbot.addWidget(shown)
    shown.show()
    assert shown.model.rowCount() == PAGE_SIZE
    assert "faites défiler" in shown.status.text()
    shown.table.scrollToBottom()
    qtbot.waitUntil(lambda: shown.model.rowCount() == PAGE_SIZE + 30, timeout=5_000)
    assert shown.status.text() == f"{PAGE_SIZE + 30} entrées"
    ids = [shown.model.record(row).id for row in range(shown.model.rowCount())]  # type: ignore[union-attr]
    assert ids == sorted(set(ids), reverse=True)


def test_a_double_click_shows_the_whole_entry(qtbot: QtBot, dialog: AuditDialog) -> None:
    """The entry opens in its own window with every change on its line."""
    row = _column(dialog, AuditColumn.ACTION).index("update")
    rect = dialog.table.visualRect(dialog.sorted.index(row, AuditColumn.ACTOR))
    # a view acts on a double click only on the row its first click pressed
    for click in (qtbot.mouseClick, qtbot.mouseDClick):
        click(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: dialog.entry_dialog is not None and dialog.entry_dialog.isVisible())
    assert dialog.entry_dialog is not None
    text = dialog.entry_dialog.findChild(QPlainTextEdit).toPlainText()
    assert "Utilisateur : bob" in text
    assert "  status : PROPOSED → ACCEPTED" in text
    assert "Date et heure : 24/11/2026 23:59:00" in text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # on a server, the role decides
def test_a_carrier_dispatcher_is_told_the_log_is_not_for_them(qtbot: QtBot, db: Database) -> None:
    """The window opens empty with the reason, its filters and export disabled."""
    add_users(db)
    shown = AuditDialog(db, None, DISPATCHER)
    qtbot.addWidget(shown)
    assert "non autorisé" in shown.status.text()
    assert shown.model.rowCount() == 0
    assert not shown.export_button.isEnabled() and not shown.action_box.isEnabled()


def test_the_grid_shows_an_unreadable_entry_as_a_greyed_message(qtbot: QtBot) -> None:
    """An entry whose time has no zone becomes a disabled row saying so; data() never raises."""
    odd = AuditRecord(
        id=5, at=datetime(2026, 11, 24, 8, 0), actor="alice", action="update",  # noqa: DTZ001
        entity="stops", entity_id="1", changes=(Change("sequence", 1, 2),), detail=None,
    )  # fmt: skip
    model = AuditModel(page_size=10)
    model.load(lambda _before, _size: [odd])
    assert model.rowCount() == 1 and not model.canFetchMore(QModelIndex())
    first = model.index(0, AuditColumn.TIME)
    assert "entrée n° 5 illisible" in first.data()
    assert not model.flags(first) & Qt.ItemFlag.ItemIsEnabled
    assert model.data(model.index(3, 0)) is None
    assert model.record(0) is odd and model.record(1) is None


def test_a_picture_of_the_window_can_be_taken(dialog: AuditDialog, tmp_path: Path) -> None:
    """The filled window renders to a non-empty image (as for docs/audit.png)."""
    picture = tmp_path / "audit.png"
    assert dialog.grab().save(str(picture))
    assert picture.stat().st_size > 10_000
