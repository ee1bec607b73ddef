"""The audit log window: who did what and when, filtered by period, user, action, table and
words of the detail, newest first, exportable as a workbook or a CSV file.

The window reads through ``regul.audit_view`` only, which checks that the user may read the log
(administrators and regulators) and opens its own read sessions; a page of entries is read when
the grid is scrolled to its end.
"""

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.audit_model import PAGE_SIZE, RECORD_ROLE, SORT_ROLE, AuditColumn, AuditModel
from console.background import BackgroundJob
from console.i18n import tr
from console.plain_text import plain_label
from models.errors import RegulDataError
from models.repositories.audit import AuditChoices, AuditFilter, AuditRecord
from models.session import Database
from models.timezone import now
from regul.audit_view import (
    day_bounds,
    describe_change,
    export_audit,
    read_audit,
    read_choices,
    time_text,
)
from regul.cli_common import current_actor

TEXT_DELAY_MS = 300  # typing pauses this long before the grid follows
DEFAULT_PERIOD_DAYS = 7


class AuditDialog(QDialog):
    """The audit log, read as ``actor`` (by default the user running the console)."""

    exported = Signal(int)  # entries written, once an export is over
    exportFailed = Signal(str)

    def __init__(
        self, db: Database, parent: QWidget | None = None, actor: str | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor or current_actor()
        self.entry_dialog: QDialog | None = None
        self._export: BackgroundJob | None = None
        self._export_target = Path()
        self.setWindowTitle(tr("Journal d'audit"))
        self.resize(1180, 620)

        self.period_box = QCheckBox(tr("Du"))
        today = now().date()
        self.first_day = _date_edit(today - timedelta(days=DEFAULT_PERIOD_DAYS))
        self.last_day = _date_edit(today)
        self.actor_box = QComboBox()
        self.action_box = QComboBox()
        self.entity_box = QComboBox()
        for box in (self.actor_box, self.action_box, self.entity_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(tr("mots du détail"))
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setMinimumWidth(180)

        filters = QHBoxLayout()
        filters.addWidget(self.period_box)
        filters.addWidget(self.first_day)
        filters.addWidget(QLabel(tr("au")))
        filters.addWidget(self.last_day)
        for label, widget in (
            (tr("Utilisateur"), self.actor_box),
            (tr("Action"), self.action_box),
            (tr("Table"), self.entity_box),
            (tr("Texte"), self.text_edit),
        ):
            filters.addSpacing(12)
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)

        self.model = AuditModel(PAGE_SIZE, self)
        self.sorted = QSortFilterProxyModel(self)
        self.sorted.setSourceModel(self.model)
        self.sorted.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.sorted)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(AuditColumn.TIME, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column, width in (
            (AuditColumn.TIME, 140),
            (AuditColumn.ACTOR, 110),
            (AuditColumn.ACTION, 80),
            (AuditColumn.ENTITY, 140),
            (AuditColumn.ENTITY_ID, 60),
        ):
            header.resizeSection(column, width)
        for column in (AuditColumn.CHANGES, AuditColumn.DETAIL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        self.status = plain_label()
        self.refresh_button = QPushButton(tr("Actualiser"))
        self.export_button = QPushButton(tr("Exporter…"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.apply_filter)
        self.text_edit.textChanged.connect(self._text_timer.start)
        self.period_box.toggled.connect(self._period_toggled)
        self.first_day.dateChanged.connect(self._period_changed)
        self.last_day.dateChanged.connect(self._period_changed)
        for box in (self.actor_box, self.action_box, self.entity_box):
            box.currentIndexChanged.connect(self.apply_filter)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self._ask_export)
        self.table.doubleClicked.connect(self._show_entry)
        self.model.loadFailed.connect(self._show_failure)
        self.model.rowsInserted.connect(self._count_shown)
        self.model.modelReset.connect(self._count_shown)
        self.first_day.setEnabled(False)
        self.last_day.setEnabled(False)
        self.refresh()

    def current_filter(self) -> AuditFilter:
        """What the filter bar selects, as the first page to read."""
        since, until = (None, None)
        if self.period_box.isChecked():
            first, last = sorted((_day(self.first_day), _day(self.last_day)))
            since, until = day_bounds(first, last)
        action = self.action_box.currentData()
        return AuditFilter(
            since=since,
            until=until,
            actor=self.actor_box.currentData(),
            actions=(action,) if action else (),
            entity=self.entity_box.currentData(),
            text=self.text_edit.text().strip() or None,
            limit=PAGE_SIZE,
        )

    @Slot()
    def refresh(self) -> None:
        """Read the drop-downs' values and the newest entries again."""
        try:
            choices = read_choices(self.db, self.actor)
        except RegulDataError as exc:
            self._show_failure(str(exc))
            self._set_usable(False)
            return
        self._set_usable(True)
        self._fill_choices(choices)
        self.apply_filter()

    @Slot()
    def apply_filter(self) -> None:
        self._text_timer.stop()
        wanted = self.current_filter()

        def read_page(before: int | None, size: int) -> list[AuditRecord]:
            return read_audit(self.db, self.actor, replace(wanted, limit=size, before_id=before))

        self.model.load(read_page)

    def export_to(self, target: Path) -> None:
        """Write every entry the filter selects to ``target`` (.xlsx or .csv) in the background;
        ``exported`` or ``exportFailed`` says when it is over."""
        if self._export is not None:
            return
        db, actor, wanted = self.db, self.actor, self.current_filter()
        self._export = BackgroundJob(lambda _step: export_audit(db, actor, wanted, target))
        self._export_target = target
        # slots of this window, so that they run in its thread, not the export's
        self._export.succeeded.connect(self._export_over)
        self._export.failed.connect(self._export_failed)
        self.export_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(tr("Export vers {0} en cours…").format(target))
        self._export.start()

    def done(self, result: int) -> None:
        """Closing waits for an export under way, so that its file is whole."""
        if self._export is not None:
            self._export.wait()
        super().done(result)

    @Slot()
    def _ask_export(self) -> None:
        types = _export_types()
        suggested = Path.home() / f"journal-audit-{now():%Y-%m-%d}.xlsx"
        chosen, kind = QFileDialog.getSaveFileName(
            self, tr("Exporter le journal d'audit"), str(suggested), ";;".join(types.values())
        )
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() not in types:
            wanted = next((suffix for suffix, text in types.items() if text == kind), ".xlsx")
            target = target.with_name(target.name + wanted)
        self.export_to(target)

    @Slot(int)
    def _export_over(self, count: int) -> None:
        self._forget_export()
        written = (
            tr("{0} entrée exportée dans {1}")
            if count <= 1
            else tr("{0} entrées exportées dans {1}")
        )
        self.status.setText(written.format(count, self._export_target))
        self.exported.emit(count)

    @Slot(str)
    def _export_failed(self, message: str) -> None:
        self._forget_export()
        self._show_failure(message)
        self.exportFailed.emit(message)
        QMessageBox.warning(self, tr("Export impossible"), message)

    def _forget_export(self) -> None:
        if self._export is not None:
            self._export.wait()
            self._export = None
        self.export_button.setEnabled(True)

    @Slot(QModelIndex)
    def _show_entry(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE)
        if not isinstance(record, AuditRecord):
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("Entrée n° {0} du journal d'audit").format(record.id))
        dialog.resize(640, 420)
        text = QPlainTextEdit(_entry_text(record))
        text.setReadOnly(True)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.entry_dialog = dialog
        dialog.finished.connect(self._entry_closed)
        dialog.open()

    @Slot()
    def _entry_closed(self) -> None:
        self.entry_dialog = None

    def _fill_choices(self, choices: AuditChoices) -> None:
        for box, everything, values in (
            (self.actor_box, tr("Tous"), choices.actors),
            (self.action_box, tr("Toutes"), choices.actions),
            (self.entity_box, tr("Toutes"), choices.entities),
        ):
            kept = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for value in values:
                box.addItem(value, value)
            box.setCurrentIndex(max(box.findData(kept), 0) if kept is not None else 0)
            box.blockSignals(False)

    def _set_usable(self, usable: bool) -> None:
        for widget in (
            self.period_box,
            self.actor_box,
            self.action_box,
            self.entity_box,
            self.text_edit,
            self.export_button,
            self.table,
        ):
            widget.setEnabled(usable)
        self.first_day.setEnabled(usable and self.period_box.isChecked())
        self.last_day.setEnabled(usable and self.period_box.isChecked())

    @Slot(bool)
    def _period_toggled(self, checked: bool) -> None:
        self.first_day.setEnabled(checked)
        self.last_day.setEnabled(checked)
        self.apply_filter()

    @Slot()
    def _period_changed(self) -> None:
        if self.period_box.isChecked():
            self.apply_filter()

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.status.setStyleSheet("color: #b00020")
        self.status.setText(message)

    @Slot()
    def _count_shown(self) -> None:
        shown = self.model.rowCount()
        if shown == 0:
            text = tr("Aucune entrée ne correspond au filtre.")
        elif self.model.all_read():
            text = tr("1 entrée") if shown == 1 else tr("{0} entrées").format(shown)
        else:
            text = tr("{0} entrées les plus récentes ; faites défiler pour lire la suite").format(
                shown
            )
        self.status.setStyleSheet("")
        self.status.setText(text)


def _entry_text(record: AuditRecord) -> str:
    """The whole entry, a line per fact and per changed attribute."""
    lines = [
        tr("Entrée n° {0}").format(record.id),
        tr("Date et heure : {0}").format(time_text(record.at)),
        tr("Utilisateur : {0}").format(record.actor),
        tr("Action : {0}").format(record.action),
        tr("Table : {0}").format(record.entity),
        tr("Identifiant : {0}").format(record.entity_id or "∅"),
    ]
    if record.detail:
        lines.append(tr("Détail : {0}").format(record.detail))
    if record.changes:
        lines.append(tr("Modifications :"))
        lines.extend(f"  {describe_change(change)}" for change in record.changes)
    return "\n".join(lines)


def _export_types() -> dict[str, str]:
    return {".xlsx": tr("Classeur Excel (*.xlsx)"), ".csv": tr("CSV pour Excel (*.csv)")}


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())
