"""The regulator's window: the day's requests, vehicles and map, and the actions on them.

Every panel is a dock the regulator may move, stack or close; their arrangement is kept
between runs (QSettings). The window holds one ``DayView`` at a time and redraws every panel
from it; a selection made in one panel (grid, timeline or map) is shown in the others.
"""

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.kpi_strip import KpiStrip
from console.map_view import MapView
from console.optimise import Optimisation, OptimiseOutcome
from console.requests_model import REQUEST_ID_ROLE, Column, RequestsFilter, RequestsModel
from console.timeline import TimelineView
from models.db import is_sqlite, redact, sqlite_file
from models.session import Database
from planning.optimiser import SolveParams
from regul.day_view import DayView, load_day_view

SETTINGS_GROUP = "main_window"


def _tr(text: str) -> str:
    return QCoreApplication.translate("main", text)


class MainWindow(QMainWindow):
    def __init__(
        self, db: Database, day: date, actor: str, time_limit_s: float = 60.0, tiles: bool = True
    ) -> None:
        super().__init__()
        self.db = db
        self.actor = actor
        self.time_limit_s = time_limit_s
        self.tiles = tiles
        self.view: DayView | None = None
        self.optimisation: Optimisation | None = None
        self._syncing = False
        self.setObjectName("regul-main")
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AnimatedDocks
        )
        self._build_toolbar(day)
        self._build_panels()
        self._build_status_bar()
        self._restore_layout()
        self.load_day(day)

    # -- building ---------------------------------------------------------------------------

    def _build_toolbar(self, day: date) -> None:
        bar = QToolBar(_tr("Actions"), self)
        bar.setObjectName("toolbar")
        self.addToolBar(bar)
        bar.addWidget(QLabel(_tr("Jour : "), self))
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dddd dd/MM/yyyy")
        self.date_edit.dateChanged.connect(self._date_changed)
        bar.addWidget(self.date_edit)
        bar.addSeparator()
        self.optimise_action = QAction(_tr("Optimiser"), self)
        self.optimise_action.setShortcut(QKeySequence("F5"))
        self.optimise_action.setStatusTip(
            _tr("Planifier la journée, en gardant ce qui est verrouillé")
        )
        self.optimise_action.triggered.connect(self.optimise)
        self.check_action = QAction(_tr("Vérifier"), self)
        self.check_action.setShortcut(QKeySequence("F6"))
        self.check_action.setStatusTip(_tr("Relire le plan et vérifier chaque règle"))
        self.check_action.triggered.connect(self.reload)
        for action in (self.optimise_action, self.check_action):
            bar.addAction(action)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_panels(self) -> None:
        # requests grid with its quick filter
        self.requests_model = RequestsModel(self)
        self.requests_filter = RequestsFilter(self)
        self.requests_filter.setSourceModel(self.requests_model)
        grid_panel = QWidget(self)
        layout = QVBoxLayout(grid_panel)
        layout.setContentsMargins(2, 2, 2, 2)
        self.filter_edit = QLineEdit(grid_panel)
        self.filter_edit.setPlaceholderText(_tr("Filtrer : patient, commune, soin, véhicule…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.requests_filter.set_text)
        self.grid = QTableView(grid_panel)
        self.grid.setModel(self.requests_filter)
        self.grid.setSortingEnabled(True)
        self.grid.sortByColumn(Column.TIME, Qt.SortOrder.AscendingOrder)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setAlternatingRowColors(False)
        self.grid.verticalHeader().setVisible(False)
        self.grid.verticalHeader().setDefaultSectionSize(22)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setWordWrap(False)
        for column, width in (
            (Column.TIME, 56),
            (Column.PATIENT, 170),
            (Column.DIRECTION, 60),
            (Column.MODE, 80),
            (Column.MOBILITY, 70),
            (Column.SHARING, 60),
        ):
            self.grid.setColumnWidth(column, width)  # fmt: skip
        self.grid.selectionModel().selectionChanged.connect(self._grid_selection_changed)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.grid)
        self.requests_dock = self._dock(
            _tr("Demandes"), "requests", grid_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.map_view = MapView(self)
        self.map_view.requestClicked.connect(lambda rid: self.select_requests([rid], "map"))
        self.map_dock = self._dock(
            _tr("Carte"), "map", self.map_view, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.timeline = TimelineView(self)
        self.timeline.requestsSelected.connect(lambda ids: self.select_requests(ids, "timeline"))
        self.timeline_dock = self._dock(
            _tr("Chronologie des véhicules"),
            "timeline",
            self.timeline,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.splitDockWidget(self.map_dock, self.timeline_dock, Qt.Orientation.Vertical)
        self.violations = QListWidget(self)
        self.violations.itemActivated.connect(self._violation_activated)
        self.violations_dock = self._dock(
            _tr("Règles enfreintes"), "violations", self.violations,
            Qt.DockWidgetArea.LeftDockWidgetArea,
        )  # fmt: skip
        self.splitDockWidget(self.requests_dock, self.violations_dock, Qt.Orientation.Vertical)
        self.kpis = KpiStrip(self)
        self.kpis.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.kpi_dock = self._dock(
            _tr("Indicateurs"), "kpis", self.kpis, Qt.DockWidgetArea.TopDockWidgetArea
        )
        self.kpi_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.resizeDocks([self.requests_dock, self.map_dock], [640, 640], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.requests_dock, self.violations_dock], [600, 120], Qt.Orientation.Vertical
        )
        self.resizeDocks([self.map_dock, self.timeline_dock], [420, 300], Qt.Orientation.Vertical)
        view_menu = self.menuBar().addMenu(_tr("Affichage"))
        for dock in (
            self.requests_dock, self.timeline_dock, self.map_dock, self.violations_dock,
            self.kpi_dock,
        ):  # fmt: skip
            view_menu.addAction(dock.toggleViewAction())

    def _build_status_bar(self) -> None:
        url = self.db.url
        where = (
            _tr("Base locale : {0}").format(sqlite_file(url))
            if is_sqlite(url)
            else _tr("Serveur partagé : {0}").format(redact(url))
        )
        self.database_label = QLabel(where, self)
        self.statusBar().addPermanentWidget(self.database_label)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton(_tr("Annuler"), self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_optimisation)
        self.statusBar().addWidget(self.progress)
        self.statusBar().addWidget(self.cancel_button)

    # -- the day ----------------------------------------------------------------------------

    def current_day(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _date_changed(self) -> None:
        self.load_day(self.current_day())

    def reload(self) -> None:
        self.load_day(self.current_day())

    def load_day(self, day: date) -> None:
        selected = self.selected_requests()
        view = load_day_view(self.db, day)
        self.view = view
        self.requests_model.set_rows(view.rows)
        self.timeline.show_plan(
            view.problem, view.plan, view.carriers, view.labels, view.locked_routes
        )
        self.map_view.show_plan(view.problem, view.plan, view.labels, tiles=self.tiles)
        self.kpis.show_kpis(view.kpis, len(view.violations))
        self.violations.clear()
        for violation in view.violations:
            item = QListWidgetItem(violation.message)
            item.setData(REQUEST_ID_ROLE, violation.request)
            self.violations.addItem(item)
        self.violations_dock.setWindowTitle(
            _tr("Règles enfreintes ({0})").format(len(view.violations))
        )
        self.setWindowTitle(_tr("Régul — {0}").format(day.strftime("%d/%m/%Y")))
        self.statusBar().showMessage(_tr("{0} demandes chargées").format(len(view.rows)), 5000)
        if selected:
            self.select_requests(selected, "reload")

    # -- selection --------------------------------------------------------------------------

    def selected_requests(self) -> list[str]:
        rows = self.grid.selectionModel().selectedRows() if self.grid.selectionModel() else []
        return [str(index.data(REQUEST_ID_ROLE)) for index in rows]

    def select_requests(self, ids: list[str], origin: str) -> None:
        """Show the same requests selected in every panel but the one they were chosen in."""
        if self._syncing or self.view is None:
            return
        self._syncing = True
        try:
            if origin != "grid":
                self._select_in_grid(ids)
            if origin != "timeline":
                self.timeline.highlight(ids)
            if origin != "map":
                self.map_view.highlight(ids)
        finally:
            self._syncing = False

    def _select_in_grid(self, ids: list[str]) -> None:
        assert self.view is not None
        selection = self.grid.selectionModel()
        selection.clearSelection()
        first = None
        for rid in ids:
            row = self.view.index.get(rid)
            if row is None:
                continue
            index = self.requests_filter.mapFromSource(self.requests_model.index(row, 0))
            if not index.isValid():  # filtered out: show it anyway
                self.filter_edit.clear()
                index = self.requests_filter.mapFromSource(self.requests_model.index(row, 0))
            selection.select(
                index,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
            first = first or index
        if first is not None:
            self.grid.scrollTo(first)

    def _grid_selection_changed(self) -> None:
        self.select_requests(self.selected_requests(), "grid")

    def _violation_activated(self, item: QListWidgetItem) -> None:
        request = item.data(REQUEST_ID_ROLE)
        if request:
            self.select_requests([str(request)], "violations")

    # -- optimising -------------------------------------------------------------------------

    def optimise(self) -> None:
        if self.optimisation is not None:
            return
        params = SolveParams(time_limit_s=self.time_limit_s)
        run = Optimisation(self.db, self.current_day(), params, self.actor, self)
        run.progressed.connect(self._optimise_progress)
        run.finished.connect(self._optimise_finished)
        run.failed.connect(self._optimise_failed)
        self.optimisation = run
        self.optimise_action.setEnabled(False)
        self.date_edit.setEnabled(False)
        self.progress.setRange(0, max(1, len(self.view.rows) if self.view else 1))
        self.progress.setValue(0)
        self.progress.setFormat(_tr("Optimisation…"))
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(_tr("Optimisation en cours ({0} s au plus)").format(
            int(self.time_limit_s)))  # fmt: skip
        run.start()

    def cancel_optimisation(self) -> None:
        if self.optimisation is not None:
            self.optimisation.cancel()
            self.cancel_button.setEnabled(False)
            self.statusBar().showMessage(_tr("Arrêt demandé : le meilleur plan trouvé est gardé"))

    def _optimise_progress(self, best_cost: int, served: int, elapsed: float) -> None:
        self.progress.setValue(min(served, self.progress.maximum()))
        self.progress.setFormat(
            _tr("{0} servies — coût {1} — {2} s").format(served, best_cost, int(elapsed))
        )

    def _optimise_done(self) -> None:
        self.optimisation = None
        self.optimise_action.setEnabled(True)
        self.date_edit.setEnabled(True)
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)

    def _optimise_finished(self, outcome: OptimiseOutcome) -> None:
        self._optimise_done()
        self.reload()
        how = _tr("arrêtée, meilleur plan gardé") if outcome.cancelled else _tr("terminée")
        self.statusBar().showMessage(
            _tr("Optimisation {0} en {1} s : {2} / {3} servies, {4} infraction(s)").format(
                how, int(outcome.seconds), outcome.served, outcome.requests, outcome.violations
            )
        )

    def _optimise_failed(self, message: str) -> None:
        self._optimise_done()
        QMessageBox.warning(
            self,
            _tr("Optimisation impossible"),
            _tr("Le plan enregistré n'a pas changé.\n\n{0}").format(message),
        )

    # -- layout memory ----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        geometry = settings.value("geometry")
        state = settings.value("state")
        settings.endGroup()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1600, 950)
        if state is not None:
            self.restoreState(state)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("state", self.saveState())
        settings.endGroup()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.optimisation is not None:
            self.optimisation.cancel()
            self.optimisation.wait()
        self.save_layout()
        super().closeEvent(event)
