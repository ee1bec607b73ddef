"""The regulator's window: the day's requests, vehicles and map, and the actions on them.

Every panel is a dock the regulator may move, stack or close; their arrangement is kept
between runs (QSettings). The window holds one ``DayView`` at a time and redraws every panel
from it; a selection made in one panel (grid, timeline or map) is shown in the others.
"""

import contextlib
from datetime import date

from PySide6.QtCore import (
    QDate,
    QItemSelectionModel,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDockWidget,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.audit_view import AuditDialog
from console.dispatch_actions import DispatchActions
from console.help_menu import add_help_menu
from console.i18n import tr
from console.import_wizard import ImportWizard
from console.kpi_strip import KpiStrip
from console.live_updates import show_connection_state
from console.map_view import MapView
from console.optimise import Optimisation, OptimiseOutcome
from console.panels import add_dock, database_label, prepare_grid, restore_layout, save_layout
from console.plain_text import as_written
from console.plan_editing import PlanEdit, PlanState
from console.requests_model import REQUEST_ID_ROLE, Column, RequestsFilter, RequestsModel
from console.roster_model import RosterModel
from console.timeline import TimelineView
from models.enums import Role
from models.errors import RegulDataError
from models.session import Database
from models.timezone import now
from planning import edits
from planning.optimiser import SolveParams
from planning.plan import Plan
from regul.access import Principal
from regul.changes import change_stamp
from regul.day_actions import set_vehicle_available
from regul.day_view import DayView, load_day_view
from regul.planning_run import store_edited_plan

SETTINGS_GROUP = "main_window"
STOP_STEP_MIN = 5  # « avancer / retarder » moves a stop by this much


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        day: date,
        actor: str,
        time_limit_s: float = 60.0,
        tiles: bool = True,
        principal: Principal | None = None,
        live: bool = False,
    ) -> None:
        """``live``: follow other desks' changes and run the dispatch sweep (the application
        does; a test or a benchmark that builds a window need not)."""
        super().__init__()
        self.db = db
        self.actor = actor
        self.principal = principal or Principal(actor, Role.REGULATOR)
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
        self.undo_stack = QUndoStack(self)
        self._build_toolbar(day)
        self._build_panels()
        self._build_edit_menu()
        self._build_status_bar()
        self.dispatch = DispatchActions(self, self.toolbar, live)
        if self.dispatch.live is not None:
            # reloaded first, so that « Connexion rétablie » is the message left showing
            self.dispatch.live.recovered.connect(self._reload_after_outage)
            show_connection_state(self.dispatch.live, self)
        add_help_menu(self, self.db)
        self._restore_layout()
        self.load_day(day)
        self.dispatch.start()

    # -- building ---------------------------------------------------------------------------

    def _build_toolbar(self, day: date) -> None:
        bar = QToolBar(tr("Actions"), self)
        bar.setObjectName("toolbar")
        self.addToolBar(bar)
        self.toolbar = bar
        bar.addWidget(QLabel(tr("Jour : "), self))
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dddd dd/MM/yyyy")
        self.date_edit.dateChanged.connect(self._date_changed)
        bar.addWidget(self.date_edit)
        bar.addSeparator()
        self.import_action = QAction(tr("Importer…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setStatusTip(tr("Demandes, établissements ou flotte depuis un tableur"))
        self.import_action.triggered.connect(self.open_import_wizard)
        bar.addAction(self.import_action)
        self.optimise_action = QAction(tr("Optimiser"), self)
        self.optimise_action.setShortcut(QKeySequence("F5"))
        self.optimise_action.setStatusTip(
            tr("Planifier la journée, en gardant ce qui est verrouillé")
        )
        self.optimise_action.triggered.connect(self.optimise)
        self.check_action = QAction(tr("Vérifier"), self)
        self.check_action.setShortcut(QKeySequence("F6"))
        self.check_action.setStatusTip(tr("Relire le plan et vérifier chaque règle"))
        self.check_action.triggered.connect(self.reload)
        for action in (self.optimise_action, self.check_action):
            bar.addAction(action)

    def _build_panels(self) -> None:
        # requests grid with its quick filter
        self.requests_model = RequestsModel(self)
        self.requests_filter = RequestsFilter(self)
        self.requests_filter.setSourceModel(self.requests_model)
        grid_panel = QWidget(self)
        layout = QVBoxLayout(grid_panel)
        layout.setContentsMargins(2, 2, 2, 2)
        self.filter_edit = QLineEdit(grid_panel)
        self.filter_edit.setPlaceholderText(tr("Filtrer : patient, commune, soin, véhicule…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.requests_filter.set_text)
        self.grid = QTableView(grid_panel)
        self.grid.setModel(self.requests_filter)
        prepare_grid(self.grid)
        self.grid.sortByColumn(Column.TIME, Qt.SortOrder.AscendingOrder)
        self.grid.setAlternatingRowColors(False)
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
        self.grid.setDragEnabled(True)
        self.grid.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._grid_menu)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.grid)
        self.requests_dock = add_dock(
            self, tr("Demandes"), "requests", grid_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.map_view = MapView(self)
        self.map_view.requestClicked.connect(lambda rid: self.select_requests([rid], "map"))
        self.map_dock = add_dock(
            self, tr("Carte"), "map", self.map_view, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.timeline = TimelineView(self)
        self.timeline.requestsSelected.connect(lambda ids: self.select_requests(ids, "timeline"))
        self.timeline.requestsDropped.connect(self.move_requests)
        self.timeline.routeMenuRequested.connect(self._route_menu)
        self.timeline.stopMenuRequested.connect(self._stop_menu)
        self.timeline_dock = add_dock(
            self,
            tr("Chronologie des véhicules"),
            "timeline",
            self.timeline,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.splitDockWidget(self.map_dock, self.timeline_dock, Qt.Orientation.Vertical)
        self.roster_model = RosterModel(self)
        self.roster_model.availabilityToggled.connect(self.set_vehicle_available)
        self.roster = QTableView(self)
        self.roster.setModel(self.roster_model)
        self.roster.verticalHeader().setVisible(False)
        self.roster.verticalHeader().setDefaultSectionSize(22)
        self.roster.horizontalHeader().setStretchLastSection(True)
        self.roster_dock = add_dock(
            self, tr("Flotte du jour"), "roster", self.roster, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.violations = QListWidget(self)
        self.violations.itemActivated.connect(self._violation_activated)
        self.violations_dock = add_dock(self,
            tr("Règles enfreintes"), "violations", self.violations,
            Qt.DockWidgetArea.LeftDockWidgetArea,
        )  # fmt: skip
        self.splitDockWidget(self.requests_dock, self.violations_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.requests_dock, self.roster_dock)
        self.requests_dock.raise_()
        self.kpis = KpiStrip(self)
        self.kpis.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.kpi_dock = add_dock(
            self, tr("Indicateurs"), "kpis", self.kpis, Qt.DockWidgetArea.TopDockWidgetArea
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
        view_menu = self.menuBar().addMenu(tr("Affichage"))
        for dock in (
            self.requests_dock, self.roster_dock, self.timeline_dock, self.map_dock,
            self.violations_dock, self.kpi_dock,
        ):  # fmt: skip
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(tr("Journal d'audit…"), self.open_audit_log)

    def _build_edit_menu(self) -> None:
        menu = self.menuBar().addMenu(tr("Édition"))
        undo = self.undo_stack.createUndoAction(self, tr("Annuler"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, tr("Rétablir"))
        ctrl_y = QKeySequence("Ctrl+Y")  # the Windows habit, wherever the console runs
        platform = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        redo.setShortcuts([ctrl_y, *(k for k in platform if k != ctrl_y)])
        self.undo_action, self.redo_action = undo, redo
        for action in (undo, redo):
            menu.addAction(action)
            self.addAction(action)  # the shortcuts work whichever panel has the focus
        menu.addSeparator()
        self.lock_action = menu.addAction(tr("Verrouiller l'affectation"), self.lock_selected)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        menu.addAction(tr("Déverrouiller l'affectation"), self.unlock_selected)
        menu.addAction(tr("Retirer du plan"), self.take_out_selected)
        menu.addAction(tr("Affecter à un véhicule…"), self.move_selected_to_chosen)
        self.optimise_rest_action = menu.addAction(
            tr("Réoptimiser le reste (verrous gardés)"), self.optimise
        )

    def _build_status_bar(self) -> None:
        self.database_label = database_label(self.db, self)
        self.statusBar().addPermanentWidget(self.database_label)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton(tr("Annuler"), self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_optimisation)
        self.statusBar().addWidget(self.progress)
        self.statusBar().addWidget(self.cancel_button)

    # -- the day ----------------------------------------------------------------------------

    def current_day(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _date_changed(self) -> None:
        self.undo_stack.clear()  # each day has its own history
        self.load_day(self.current_day())

    def reload(self) -> None:
        self.load_day(self.current_day())

    def _reload_after_outage(self) -> None:
        """The database is back: show what it holds (an edit refused meanwhile is not there)."""
        if self.optimisation is None:
            with contextlib.suppress(RegulDataError):
                self.reload()

    def load_day(self, day: date) -> None:
        selected = self.selected_requests()
        stamp = change_stamp(self.db, self.principal, day)
        view = load_day_view(self.db, day)
        self.view = view
        if self.dispatch.live is not None:
            self.dispatch.live.set_day(day, stamp)
        self.requests_model.set_rows(view.rows)
        self.roster_model.set_entries(view.roster)
        available = sum(1 for entry in view.roster if entry.available)
        self.roster_dock.setWindowTitle(
            tr("Flotte du jour ({0} / {1})").format(available, len(view.roster))
        )
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
            tr("Règles enfreintes ({0})").format(len(view.violations))
        )
        self.setWindowTitle(tr("Régul — {0}").format(day.strftime("%d/%m/%Y")))
        self.statusBar().showMessage(tr("{0} demandes chargées").format(len(view.rows)), 5000)
        if selected:
            self.select_requests(selected, "reload")

    # -- importing --------------------------------------------------------------------------

    def open_audit_log(self) -> AuditDialog:
        dialog = AuditDialog(self.db, self, self.principal.login)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_import_wizard(self) -> ImportWizard:
        wizard = ImportWizard(self.db, self.actor, self.current_day(), self)
        wizard.imported.connect(lambda _result: self.reload())
        wizard.show()
        return wizard

    # -- hand edits -------------------------------------------------------------------------

    def state(self) -> PlanState:
        assert self.view is not None
        plan = self.view.plan or Plan((), {})
        return PlanState(plan, self.view.locked_requests, self.view.locked_routes)

    def edit(self, text: str, after: PlanState) -> None:
        """Make one undoable edit: stored at once, checked, redrawn."""
        if self.optimisation is not None:
            self.statusBar().showMessage(tr("Attendez la fin de l'optimisation"), 5000)
            return
        self.undo_stack.push(PlanEdit(self._apply, self.state(), after, text))

    def _apply(self, state: PlanState, detail: str) -> None:
        """Store a state of the plan; ``detail`` says which edit, for the audit log."""
        assert self.view is not None
        try:
            planning = store_edited_plan(
                self.db,
                self.view.day,
                state.plan,
                self.view.version,
                self.actor,
                state.locked_requests,
                state.locked_routes,
                detail=tr("à la main : {0}").format(detail),
            )
        except RegulDataError as refused:  # another desk's plan, a busy or unreachable base
            # the history no longer describes what is stored: start again from the stored plan
            QTimer.singleShot(0, self.undo_stack.clear)
            with contextlib.suppress(RegulDataError):  # a lost server: reloaded once back
                self.reload()
            QMessageBox.warning(self, tr("Modification refusée"), as_written(str(refused)))
            return
        self.reload()
        count = len(planning.violations)
        self.statusBar().showMessage(
            tr("Enregistré ; aucune infraction")
            if count == 0
            else tr("Enregistré ; {0} infraction(s) : voir « Règles enfreintes »").format(count),
            8000,
        )

    def _plannable(self, ids: list[str]) -> list[str]:
        assert self.view is not None
        known = {r.id for r in self.view.problem.requests}
        return [rid for rid in ids if rid in known]

    def move_requests(self, ids: list[str], plate: str) -> None:
        assert self.view is not None
        ids = self._plannable(ids)
        if not ids:
            return
        current = self.state()
        plan = edits.move_requests(self.view.problem, current.plan, ids, plate, self.view.travel)
        text = tr("{0} → {1}").format(", ".join(ids), plate)
        self.edit(text, PlanState(plan, current.locked_requests, current.locked_routes))

    def move_selected_to_chosen(self) -> None:
        if self.view is None or not self.selected_requests():
            return
        plates = sorted(v.id for v in self.view.problem.vehicles)
        plate, chosen = QInputDialog.getItem(
            self, tr("Affecter"), tr("Véhicule :"), plates, 0, False
        )
        if chosen:
            self.move_requests(self.selected_requests(), plate)

    def lock_selected(self) -> None:
        self._set_locks(self.selected_requests(), True)

    def unlock_selected(self) -> None:
        self._set_locks(self.selected_requests(), False)

    def _set_locks(self, ids: list[str], locked: bool) -> None:
        if self.view is None or not ids:
            return
        current = self.state()
        planned = {rid for route in current.plan.routes for rid in route.requests}
        ids = [rid for rid in ids if rid in planned]  # only an assignment can be locked
        if not ids:
            self.statusBar().showMessage(tr("Seule une demande affectée se verrouille"), 5000)
            return
        changed = (
            current.locked_requests | set(ids) if locked else current.locked_requests - set(ids)
        )
        text = (tr("Verrouiller {0}") if locked else tr("Déverrouiller {0}")).format(", ".join(ids))
        self.edit(text, PlanState(current.plan, frozenset(changed), current.locked_routes))

    def take_out_selected(self) -> None:
        assert self.view is not None
        ids = self._plannable(self.selected_requests())
        if not ids:
            return
        current = self.state()
        plan = edits.unassign(
            self.view.problem, current.plan, ids, edits.TAKEN_OUT, self.view.travel
        )
        self.edit(
            tr("Retirer {0}").format(", ".join(ids)),
            PlanState(plan, current.locked_requests - set(ids), current.locked_routes),
        )

    def set_route_lock(self, plate: str, locked: bool) -> None:
        current = self.state()
        routes = current.locked_routes | {plate} if locked else current.locked_routes - {plate}
        text = tr("Verrouiller la tournée {0}") if locked else tr("Déverrouiller la tournée {0}")
        self.edit(
            text.format(plate), PlanState(current.plan, current.locked_requests, frozenset(routes))
        )

    def breakdown(self, plate: str, at: int) -> None:
        """The vehicle's trips not yet picked up at ``at`` go back to planning."""
        assert self.view is not None
        current = self.state()
        plan = edits.breakdown(self.view.problem, current.plan, plate, at, self.view.travel)
        freed = set(plan.unassigned) - set(current.plan.unassigned)
        self.edit(  # its route locked as it stands: re-optimising gives it nothing more
            tr("Panne de {0}").format(plate),
            PlanState(plan, current.locked_requests - freed, current.locked_routes | {plate}),
        )

    def shift_stop(self, request_id: str, pickup: bool, minutes: int) -> None:
        assert self.view is not None
        current = self.state()
        plan = edits.shift_stop(
            self.view.problem, current.plan, request_id, pickup, minutes * 60, self.view.travel
        )
        what = tr("prise en charge") if pickup else tr("dépose")
        self.edit(
            tr("{0} {1} de {2:+d} min").format(what, request_id, minutes),
            PlanState(plan, current.locked_requests, current.locked_routes),
        )

    def set_vehicle_available(self, plate: str, available: bool, version: int) -> None:
        """Stored at once; the next optimisation plans with the fleet as marked."""
        try:
            set_vehicle_available(
                self.db, self.current_day(), plate, available, version, self.actor
            )
        except RegulDataError as refused:
            self.reload()
            QMessageBox.warning(self, tr("Modification refusée"), as_written(str(refused)))
            return
        self.reload()
        self.statusBar().showMessage(
            (tr("{0} disponible") if available else tr("{0} indisponible : "
             "il sera laissé de côté à la prochaine optimisation")).format(plate),
            8000,
        )  # fmt: skip

    def _grid_menu(self, position: QPoint) -> None:
        if not self.selected_requests():
            return
        menu = QMenu(self)
        menu.addAction(tr("Verrouiller l'affectation"), self.lock_selected)
        menu.addAction(tr("Déverrouiller l'affectation"), self.unlock_selected)
        menu.addAction(tr("Affecter à un véhicule…"), self.move_selected_to_chosen)
        menu.addAction(tr("Retirer du plan"), self.take_out_selected)
        self.dispatch.add_request_entries(menu)
        menu.exec(self.grid.viewport().mapToGlobal(position))

    def _route_menu(self, plate: str, where: QPoint) -> None:
        if self.view is None:
            return
        menu = QMenu(self)
        locked = plate in self.view.locked_routes
        menu.addAction(
            tr("Déverrouiller la tournée") if locked else tr("Verrouiller la tournée"),
            lambda: self.set_route_lock(plate, not locked),
        )
        menu.addAction(
            tr("Panne : rendre les trajets restants…"), lambda: self._ask_breakdown(plate)
        )
        if self.selected_requests():
            menu.addAction(
                tr("Affecter la sélection à {0}").format(plate),
                lambda: self.move_requests(self.selected_requests(), plate),
            )
        menu.exec(where)

    def _stop_menu(self, request_id: str, pickup: bool, where: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(
            tr("Avancer de {0} min").format(STOP_STEP_MIN),
            lambda: self.shift_stop(request_id, pickup, -STOP_STEP_MIN),
        )
        menu.addAction(
            tr("Retarder de {0} min").format(STOP_STEP_MIN),
            lambda: self.shift_stop(request_id, pickup, STOP_STEP_MIN),
        )
        menu.exec(where)

    def _ask_breakdown(self, plate: str) -> None:
        assert self.view is not None
        today = now()
        default = today.hour * 60 + today.minute if today.date() == self.view.day else 0
        minutes, chosen = QInputDialog.getInt(
            self,
            tr("Panne de {0}").format(plate),
            tr("En panne depuis (minutes après minuit) :"),
            default, 0, 24 * 60 - 1,
        )  # fmt: skip
        if chosen:
            self.breakdown(plate, minutes * 60)

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
        self.progress.setFormat(tr("Optimisation…"))
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(tr("Optimisation en cours ({0} s au plus)").format(
            int(self.time_limit_s)))  # fmt: skip
        run.start()

    def cancel_optimisation(self) -> None:
        if self.optimisation is not None:
            self.optimisation.cancel()
            self.cancel_button.setEnabled(False)
            self.statusBar().showMessage(tr("Arrêt demandé : le meilleur plan trouvé est gardé"))

    def _optimise_progress(self, best_cost: int, served: int, elapsed: float) -> None:
        self.progress.setValue(min(served, self.progress.maximum()))
        self.progress.setFormat(
            tr("{0} servies — coût {1} — {2} s").format(served, best_cost, int(elapsed))
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
        how = tr("arrêtée, meilleur plan gardé") if outcome.cancelled else tr("terminée")
        self.statusBar().showMessage(
            tr("Optimisation {0} en {1} s : {2} / {3} servies, {4} infraction(s)").format(
                how, int(outcome.seconds), outcome.served, outcome.requests, outcome.violations
            )
        )

    def _optimise_failed(self, message: str) -> None:
        self._optimise_done()
        QMessageBox.warning(
            self,
            tr("Optimisation impossible"),
            as_written(tr("Le plan enregistré n'a pas changé.\n\n{0}").format(message)),
        )

    # -- layout memory ----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        restore_layout(self, SETTINGS_GROUP)

    def save_layout(self) -> None:
        save_layout(self, SETTINGS_GROUP)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.dispatch.stop()
        if self.optimisation is not None:
            self.optimisation.cancel()
            self.optimisation.wait()
        self.save_layout()
        super().closeEvent(event)
