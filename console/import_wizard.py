"""The import wizard: choose a file, check how its columns were understood, see which rows
would be rejected and why, then import with a progress bar.

The mapping shown is the one remembered for that export format, else the one guessed from the
headers; any column can be reassigned from its drop-down. The check is a dry run of the real
import (same parsing, geocoding and database checks, nothing kept), so the rows it rejects are
exactly the rows the import will reject. A mapping changed by hand is remembered for the next
file of the same format.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from console.i18n import tr
from console.plain_text import plain_label
from importers.columns import FIELDS, ColumnMapping, TableKind, missing_required
from importers.readers import RawTable
from importers.report import summary_lines
from importers.run import Fate, ImportOptions, ImportResult, import_file, read_for_import
from models.errors import RegulDataError
from models.session import Database
from regul.import_cli import geocoder_named

PREVIEW_ROWS = 20
IGNORED = ""  # the drop-down's value for a column left out


def _kind_label(kind: TableKind) -> str:
    return {
        TableKind.REQUESTS: tr("Demandes de transport (export hospitalier)"),
        TableKind.ESTABLISHMENTS: tr("Établissements de soins"),
        TableKind.VEHICLES: tr("Parc des transporteurs (véhicules)"),
    }[kind]


class _Job(QObject):
    """One import call in its own thread, with its progress."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Callable[[int, int], None]], ImportResult]) -> None:
        super().__init__()
        self._work = work

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(lambda done, total: self.progressed.emit(done, total))
        except RegulDataError as exc:  # an unusable file, a conflict: said, nothing stored
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(tr("fichier illisible : {0}").format(exc))
        else:
            self.finished.emit(result)


class _Runner(QObject):
    """Starts a job in a thread and forwards its signals once it is over."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._job: _Job | None = None

    def start(self, work: Callable[[Callable[[int, int], None]], ImportResult]) -> None:
        self._thread = QThread(self)
        self._job = _Job(work)
        self._job.moveToThread(self._thread)
        self._thread.started.connect(self._job.run)
        self._job.progressed.connect(self.progressed)
        # bound methods of this object, so that they run in its (the interface's) thread
        self._job.finished.connect(self._job_finished)
        self._job.failed.connect(self._job_failed)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.wait()

    @Slot(object)
    def _job_finished(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)

    @Slot(str)
    def _job_failed(self, message: str) -> None:
        self._stop()
        self.failed.emit(message)

    def _stop(self) -> None:
        assert self._thread is not None
        self._thread.quit()
        self._thread.wait()


class ImportWizard(QWizard):
    """Emits ``imported`` with the result once a real import has been stored."""

    imported = Signal(object)

    def __init__(self, db: Database, actor: str, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.day = db, actor, day
        self.setWindowTitle(tr("Importer un fichier"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(1000, 640)
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.check_page = _CheckPage(self)
        self.import_page = _ImportPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.import_page):
            self.addPage(page)

    def done(self, result: int) -> None:
        """Closing waits for a check or an import under way: a file is stored whole or not at
        all, never left halfway by a closed window."""
        for page in (self.check_page, self.import_page):
            page.runner.wait()
        super().done(result)

    # what the pages share
    def kind(self) -> TableKind:
        return self.file_page.kind()

    def path(self) -> Path:
        return Path(self.file_page.path_edit.text().strip())

    def import_options(self, dry_run: bool, progress: Callable[[int, int], None]) -> ImportOptions:
        only_date = self.day if self.file_page.only_day.isChecked() else None
        return ImportOptions(
            only_date=only_date if self.kind() is TableKind.REQUESTS else None,
            mapping=self.mapping_page.chosen(),
            dry_run=dry_run,
            progress=progress,
        )

    def run_import(self, dry_run: bool) -> Callable[[Callable[[int, int], None]], ImportResult]:
        kind, path = self.kind(), self.path()

        def work(progress: Callable[[int, int], None]) -> ImportResult:
            geocoder = geocoder_named(None, self.db, self.actor)
            return import_file(
                self.db, kind, path, geocoder, self.actor, self.import_options(dry_run, progress)
            )

        return work


class _FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Fichier à importer"))
        self.setSubTitle(tr("Un export XLSX ou CSV : demandes, établissements ou flotte."))
        layout = QFormLayout(self)
        self.kind_combo = QComboBox(self)
        for kind in TableKind:
            self.kind_combo.addItem(_kind_label(kind), kind.value)
        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(tr("chemin du fichier .xlsx ou .csv"))
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton(tr("Parcourir…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.only_day = QCheckBox(
            tr("Ne garder que les demandes du {0}").format(wizard.day.strftime("%d/%m/%Y")), self
        )
        self.kind_combo.currentIndexChanged.connect(
            lambda: self.only_day.setEnabled(self.kind() is TableKind.REQUESTS)
        )
        layout.addRow(tr("Contenu :"), self.kind_combo)
        layout.addRow(tr("Fichier :"), row)
        layout.addRow("", self.only_day)

    def kind(self) -> TableKind:
        return TableKind(self.kind_combo.currentData())

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, tr("Choisir un fichier"), "", tr("Tableurs (*.xlsx *.csv);;Tous (*)")
        )
        if chosen:
            self.path_edit.setText(chosen)

    def isComplete(self) -> bool:
        return Path(self.path_edit.text().strip()).is_file()


class _MappingPage(QWizardPage):
    """The file's first rows under a drop-down per column: which field each column is."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(tr("Colonnes"))
        self.setSubTitle(
            tr("Vérifiez ce que contient chaque colonne ; changez-le dans sa liste si besoin.")
        )
        layout = QVBoxLayout(self)
        self.problem = plain_label(parent=self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.preview = QTableWidget(self)
        self.combos: list[QComboBox] = []
        self.combo_row = QWidget(self)
        self.combo_layout = QHBoxLayout(self.combo_row)
        self.combo_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        holder = QWidget(scroll)
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.combo_row)
        inner.addWidget(self.preview, 1)
        scroll.setWidget(holder)
        layout.addWidget(self.problem)
        layout.addWidget(scroll, 1)
        self.table: RawTable | None = None

    def initializePage(self) -> None:
        wizard = self.owner
        self.problem.clear()
        for combo in self.combos:
            combo.deleteLater()
        self.combos = []
        try:
            table, mapping, _ = read_for_import(wizard.db, wizard.kind(), wizard.path())
        except (RegulDataError, OSError) as exc:
            self.table = None
            self.preview.clear()
            self.problem.setText(str(exc))
            self.completeChanged.emit()
            return
        self.table = table
        self._fill(table, mapping)
        self._update_problem()

    def _fill(self, table: RawTable, mapping: ColumnMapping) -> None:
        fields = FIELDS[self.owner.kind()]
        by_column = {column: name for name, column in mapping.columns.items()}
        self.preview.clear()
        self.preview.setColumnCount(len(table.headers))
        self.preview.setHorizontalHeaderLabels(list(table.headers))
        rows = table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        self.preview.setVerticalHeaderLabels([str(r.number) for r in rows])
        for r, row in enumerate(rows):
            for c, cell in enumerate(row.cells[: len(table.headers)]):
                self.preview.setItem(r, c, QTableWidgetItem("" if cell is None else str(cell)))
        for column in range(len(table.headers)):
            combo = QComboBox(self.combo_row)
            combo.addItem(tr("— ignorée —"), IGNORED)
            for spec in fields:
                combo.addItem(spec.label + (" *" if spec.required else ""), spec.name)
            combo.setCurrentIndex(max(0, combo.findData(by_column.get(column, IGNORED))))
            combo.currentIndexChanged.connect(lambda _i, c=column: self._changed(c))
            self.combo_layout.addWidget(combo)
            self.combos.append(combo)
        self.preview.resizeColumnsToContents()
        self._align_combos()

    def _align_combos(self) -> None:
        for column, combo in enumerate(self.combos):
            width = max(self.preview.columnWidth(column), combo.sizeHint().width())
            self.preview.setColumnWidth(column, width)
            combo.setFixedWidth(width)
        self.combo_layout.insertSpacing(0, self.preview.verticalHeader().sizeHint().width())
        self.combo_layout.addStretch(1)

    def _changed(self, column: int) -> None:
        """One field per column: a field chosen here leaves the column that had it."""
        name = self.combos[column].currentData()
        if name != IGNORED:
            for other, combo in enumerate(self.combos):
                if other != column and combo.currentData() == name:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._update_problem()

    def chosen(self) -> dict[str, str] | None:
        """Field → header as the drop-downs say (None before the file was read)."""
        if self.table is None:
            return None
        return {
            combo.currentData(): self.table.headers[column]
            for column, combo in enumerate(self.combos)
            if combo.currentData() != IGNORED
        }

    def _update_problem(self) -> None:
        chosen = self.chosen() or {}
        columns = {name: k for k, name in enumerate(chosen)}
        missing = missing_required(ColumnMapping(columns), self.owner.kind())
        self.problem.setText(
            tr("Colonnes obligatoires manquantes : {0}").format(
                ", ".join(spec.label for spec in missing)
            )
            if missing
            else ""
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.table is not None and not self.problem.text()


class _RunPage(QWizardPage):
    """A page that runs the import (for real, or as a dry run) with a progress bar."""

    dry_run = True
    running_text = ""
    failed_text = "{0}"

    def __init__(self, wizard: ImportWizard, title: str) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(title)
        self.page_layout = QVBoxLayout(self)
        self.bar = QProgressBar(self)
        self.summary = plain_label(parent=self)
        self.summary.setWordWrap(True)
        self.page_layout.addWidget(self.bar)
        self.page_layout.addWidget(self.summary)
        self.runner = _Runner(self)
        self.runner.progressed.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.result: ImportResult | None = None

    def initializePage(self) -> None:
        self.result = None
        self.summary.setText(self.running_text)
        self.bar.setRange(0, 0)
        self.runner.start(self.owner.run_import(dry_run=self.dry_run))
        self.completeChanged.emit()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    def _finished(self, result: ImportResult) -> None:
        self.result = result
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.show_result(result)
        self.completeChanged.emit()

    def show_result(self, result: ImportResult) -> None:
        raise NotImplementedError

    def _failed(self, message: str) -> None:
        self.bar.setRange(0, 1)
        self.summary.setText(self.failed_text.format(message))
        self.completeChanged.emit()


class _CheckPage(_RunPage):
    """The dry run: how many rows would go in, which would be rejected, and why."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, tr("Vérification"))
        self.running_text = tr("Vérification en cours…")
        self.failed_text = tr("Fichier inutilisable : {0}")
        self.setSubTitle(
            tr("Chaque ligne est vérifiée comme pour l'import ; rien n'est encore enregistré.")
        )
        self.rejected = QTableWidget(0, 3, self)
        self.rejected.setHorizontalHeaderLabels([tr("Ligne"), tr("Colonne"), tr("Raison")])
        self.rejected.horizontalHeader().setStretchLastSection(True)
        self.rejected.verticalHeader().setVisible(False)
        self.page_layout.addWidget(self.rejected, 1)

    def initializePage(self) -> None:
        self.rejected.setRowCount(0)
        super().initializePage()

    def show_result(self, result: ImportResult) -> None:
        self.summary.setText(
            tr(
                "{0} lignes lues : {1} à importer, {2} rejetées, {3} ignorées, {4} à vérifier."
            ).format(
                len(result.table.rows),
                result.count(Fate.IMPORTED),
                result.count(Fate.REJECTED),
                result.count(Fate.SKIPPED),
                len(result.flagged),
            )
        )
        lines = [
            (row.row.number, problem.column or "", problem.reason)
            for row in result.rows
            if row.fate is Fate.REJECTED
            for problem in row.problems
        ]
        self.rejected.setRowCount(len(lines))
        for r, values in enumerate(lines):
            for c, value in enumerate(values):
                self.rejected.setItem(r, c, QTableWidgetItem(str(value)))
        self.rejected.resizeColumnsToContents()

    def isComplete(self) -> bool:
        return self.result is not None and self.result.count(Fate.IMPORTED) > 0


class _ImportPage(_RunPage):
    dry_run = False

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, tr("Import"))
        self.running_text = tr("Import en cours…")
        self.failed_text = tr("Import refusé, rien n'a été enregistré : {0}")
        self.page_layout.addStretch(1)

    def initializePage(self) -> None:
        self.owner.button(QWizard.WizardButton.BackButton).setEnabled(False)
        super().initializePage()

    def show_result(self, result: ImportResult) -> None:
        lines = [f"{label} : {value}" for label, value in summary_lines(result)]
        if result.mapping_remembered:
            lines.append(tr("Correspondance des colonnes mémorisée pour ce format de fichier."))
        self.summary.setText("\n".join(lines))
        self.owner.imported.emit(result)

    def isComplete(self) -> bool:
        return self.result is not None
