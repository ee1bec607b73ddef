"""The carrier dispatcher's window: its inbox of missions, its routes on a map and a timeline.

The dispatcher accepts or refuses what the regulation centre proposed (a trip, a vehicle's
whole route, or everything at once), marks trips done, and sees new proposals arrive without
restarting. It reads only its own carrier's missions (``regul.carrier_view``).
"""

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QToolBar,
    QWidget,
)

from console.help_menu import add_help_menu
from console.i18n import tr
from console.live_updates import LiveUpdates, show_connection_state
from console.map_view import MapView
from console.missions_model import MISSION_ID_ROLE, REQUEST_ID_ROLE, MissionColumn, MissionsModel
from console.panels import add_dock, database_label, prepare_grid, restore_layout, save_layout
from console.plain_text import as_written
from console.timeline import TimelineView
from models.enums import LIVE_MISSION_STATUSES, MissionStatus
from models.errors import RegulDataError
from models.session import Database
from regul.access import Principal
from regul.carrier_view import CarrierDay, load_carrier_day
from regul.changes import change_stamp
from regul.dispatch import Answer, answer_all, answer_missions, mark_done

SETTINGS_GROUP = "carrier_window"
_TO_ANSWER, _HELD, _ALL = range(3)


class CarrierWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        day: date,
        principal: Principal,
        carrier_siret: str | None = None,
        tiles: bool = True,
        live: bool = False,
    ) -> None:
        super().__init__()
        self.db, self.principal, self.tiles = db, principal, tiles
        self.carrier_siret = carrier_siret
        self.view: CarrierDay | None = None
        self.setObjectName("regul-carrier")
        self._build_toolbar(day)
        self._build_panels()
        add_help_menu(self, db)
        self._build_status_bar()
        self._restore_layout()
        self.live: LiveUpdates | None = None
        if live:
            self.live = LiveUpdates(db, principal, day)
            self.live.changed.connect(self._changed_elsewhere)
            show_connection_state(self.live, self)
        self.load_day(day)
        if self.live is not None:
            self.live.start()

    # -- building ---------------------------------------------------------------------------

    def _build_toolbar(self, day: date) -> None:
        bar = QToolBar(tr("Actions"), self)
        bar.setObjectName("toolbar")
        self.addToolBar(bar)
        bar.addWidget(QLabel(tr("Jour : "), self))
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dddd dd/MM/yyyy")
        self.date_edit.dateChanged.connect(lambda _d: self.load_day(self.current_day()))
        bar.addWidget(self.date_edit)
        self.show_combo = QComboBox(self)
        self.show_combo.addItems([tr("À répondre"), tr("En cours"), tr("Toutes")])
        self.show_combo.setCurrentIndex(_ALL)
        self.show_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        bar.addWidget(self.show_combo)
        bar.addSeparator()
        self.accept_action = self._action(bar, tr("Accepter"), "Ctrl+Return", self.accept_selected)
        self.refuse_action = self._action(
            bar, tr("Refuser…"), "Ctrl+Backspace", self.refuse_selected
        )
        self.refuse_route_action = self._action(
            bar, tr("Refuser la tournée…"), None, self.refuse_selected_route
        )
        self.accept_all_action = self._action(bar, tr("Tout accepter"), None, self.accept_all)
        bar.addSeparator()
        self.done_action = self._action(bar, tr("Effectué"), None, self.mark_selected_done)
        self._action(bar, tr("Actualiser"), "F5", self.reload)

    def _action(self, bar: QToolBar, text: str, keys: str | None, slot: object) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        bar.addAction(action)
        return action

    def _build_panels(self) -> None:
        self.model = MissionsModel(self)
        self.proxy = _StatusFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        prepare_grid(self.table)
        self.table.sortByColumn(MissionColumn.PICKUP, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        for column, width in (
            (MissionColumn.STATUS, 80), (MissionColumn.EXPIRES, 90), (MissionColumn.VEHICLE, 85),
            (MissionColumn.PICKUP, 105), (MissionColumn.DROPOFF, 55), (MissionColumn.PATIENT, 190),
            (MissionColumn.PHONE, 100), (MissionColumn.FROM, 230), (MissionColumn.TO, 230),
            (MissionColumn.MOBILITY, 70),
        ):  # fmt: skip
            self.table.setColumnWidth(column, width)
        self.inbox_dock = add_dock(
            self, tr("Missions"), "missions", self.table, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.map_view = MapView(self)
        self.map_view.requestClicked.connect(lambda rid: self.select_requests([rid]))
        self.map_dock = add_dock(
            self, tr("Carte"), "map", self.map_view, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.timeline = TimelineView(self)
        self.timeline.requestsSelected.connect(self.select_requests)
        self.timeline_dock = add_dock(
            self,
            tr("Chronologie des véhicules"),
            "timeline",
            self.timeline,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.splitDockWidget(self.map_dock, self.timeline_dock, Qt.Orientation.Vertical)
        self.resizeDocks([self.inbox_dock, self.map_dock], [880, 520], Qt.Orientation.Horizontal)
        self.resizeDocks([self.map_dock, self.timeline_dock], [560, 280], Qt.Orientation.Vertical)
        view_menu = self.menuBar().addMenu(tr("Affichage"))
        for dock in (self.inbox_dock, self.map_dock, self.timeline_dock):
            view_menu.addAction(dock.toggleViewAction())

    def _build_status_bar(self) -> None:
        self.statusBar().addPermanentWidget(database_label(self.db, self))

    # -- the day ----------------------------------------------------------------------------

    def current_day(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def reload(self) -> None:
        self.load_day(self.current_day())

    def load_day(self, day: date) -> None:
        selected = self.selected_missions()
        try:
            stamp = change_stamp(self.db, self.principal, day)
            view = load_carrier_day(self.db, self.principal, day, self.carrier_siret)
        except RegulDataError as exc:
            QMessageBox.warning(self, tr("Lecture impossible"), as_written(str(exc)))
            return
        self.view = view
        if self.live is not None:
            self.live.set_day(day, stamp)
        self.model.set_missions(view.missions)
        self._apply_filter()
        self.timeline.show_plan(
            view.problem, view.plan, {view.carrier_siret: view.carrier_name}, view.labels
        )
        self.map_view.show_plan(view.problem, view.plan, view.labels, tiles=self.tiles)
        waiting = sum(1 for m in view.missions if m.status is MissionStatus.PROPOSED)
        self.inbox_dock.setWindowTitle(tr("Missions ({0} à répondre)").format(waiting))
        self.setWindowTitle(
            tr("Régul — {0} — {1}").format(view.carrier_name, day.strftime("%d/%m/%Y"))
        )
        self._reselect(selected)

    def _apply_filter(self) -> None:
        self.proxy.set_shown(self.show_combo.currentIndex())

    def _changed_elsewhere(self) -> None:
        self.reload()
        self.statusBar().showMessage(tr("Nouvelles propositions ou changements reçus"), 8000)

    # -- selection --------------------------------------------------------------------------

    def selected_missions(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(self.proxy.data(index, MISSION_ID_ROLE)) for index in rows]

    def _reselect(self, mission_ids: list[int]) -> None:
        self._select(MISSION_ID_ROLE, set(mission_ids))

    def select_requests(self, request_ids: list[str]) -> None:
        self._select(REQUEST_ID_ROLE, set(request_ids), scroll=True)

    def _select(self, role: int, wanted: set[object], scroll: bool = False) -> None:
        """The rows whose ``role`` value is wanted, and only them."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, role) in wanted:
                selection.select(
                    index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                )
                if scroll:
                    self.table.scrollTo(index)

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        ids = [str(self.proxy.data(index, REQUEST_ID_ROLE)) for index in rows]
        self.timeline.highlight(ids)
        self.map_view.highlight(ids)

    # -- answers ----------------------------------------------------------------------------

    def _proposed(self) -> list[Answer]:
        assert self.view is not None
        chosen = [self.view.mission(m) for m in self.selected_missions()]
        return [Answer(m.id, m.version, True) for m in chosen if m.status is MissionStatus.PROPOSED]

    def accept_selected(self) -> None:
        answers = self._proposed()
        if not answers:
            self.statusBar().showMessage(tr("Sélectionnez des missions proposées"), 5000)
            return
        self._send(lambda: answer_missions(self.db, self.principal, answers))

    def refuse_selected(self) -> None:
        answers = self._proposed()
        if not answers:
            self.statusBar().showMessage(tr("Sélectionnez des missions proposées"), 5000)
            return
        reason = self._reason(len(answers))
        if reason:
            refusals = [Answer(a.mission_id, a.version, False, reason) for a in answers]
            self._send(lambda: answer_missions(self.db, self.principal, refusals))

    def refuse_selected_route(self) -> None:
        assert self.view is not None
        chosen = [self.view.mission(m) for m in self.selected_missions()]
        if not chosen:
            self.statusBar().showMessage(tr("Sélectionnez une mission du véhicule"), 5000)
            return
        plate = chosen[0].vehicle_plate
        count = sum(
            1
            for m in self.view.missions
            if m.vehicle_plate == plate and m.status is MissionStatus.PROPOSED
        )
        reason = self._reason(count, plate)
        if reason:
            day = self.view.day
            self._send(
                lambda: answer_all(
                    self.db, self.principal, day, False, reason, plate, self.carrier_siret
                )
            )

    def accept_all(self) -> None:
        assert self.view is not None
        count = sum(1 for m in self.view.missions if m.status is MissionStatus.PROPOSED)
        if not count:
            self.statusBar().showMessage(tr("Aucune proposition en attente"), 5000)
            return
        confirm = QMessageBox.question(
            self,
            tr("Tout accepter"),
            tr("Accepter les {0} propositions en attente ?").format(count),
        )
        if confirm == QMessageBox.StandardButton.Yes:
            day = self.view.day
            self._send(
                lambda: answer_all(
                    self.db, self.principal, day, True, None, None, self.carrier_siret
                )
            )

    def mark_selected_done(self) -> None:
        assert self.view is not None
        chosen = [self.view.mission(m) for m in self.selected_missions()]
        accepted = [m.id for m in chosen if m.status is MissionStatus.ACCEPTED]
        if not accepted:
            self.statusBar().showMessage(tr("Sélectionnez des missions acceptées"), 5000)
            return
        self._send(lambda: mark_done(self.db, self.principal, accepted))

    def _reason(self, count: int, plate: str | None = None) -> str | None:
        question = (
            tr("Motif du refus des {0} missions de {1} :").format(count, plate)
            if plate
            else tr("Motif du refus ({0} mission(s)) :").format(count)
        )
        reason, ok = QInputDialog.getText(self, tr("Refuser"), question)
        if ok and not reason.strip():
            QMessageBox.warning(self, tr("Refuser"), tr("Un refus doit être motivé."))
            return None
        return reason.strip() if ok else None

    def _send(self, answer: Callable[[], object]) -> None:
        try:
            answer()
        except RegulDataError as refused:  # answered elsewhere, withdrawn, unreachable base
            QMessageBox.warning(self, tr("Réponse refusée"), as_written(str(refused)))
        self.reload()

    # -- layout -----------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        restore_layout(self, SETTINGS_GROUP)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.live is not None:
            self.live.stop()
        save_layout(self, SETTINGS_GROUP)
        super().closeEvent(event)


class _StatusFilter(QSortFilterProxyModel):
    """« À répondre » shows proposals, « En cours » what the carrier holds, « Toutes » all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown = _ALL

    def set_shown(self, shown: int) -> None:
        self.beginFilterChange()
        self._shown = shown
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: object) -> bool:
        model = self.sourceModel()
        assert isinstance(model, MissionsModel)
        status = model.mission_at(source_row).status
        if self._shown == _TO_ANSWER:
            return status is MissionStatus.PROPOSED
        if self._shown == _HELD:
            return status in LIVE_MISSION_STATUSES
        return True
