"""The regulator's dispatch actions: push to carriers, cancel a trip, note a refusal of sharing,
the carriers' answer delay, a look at what a carrier sees, and the live updates of the day.

Kept apart from the main window, which it extends with a « Transporteurs » menu, a toolbar
button and two entries of the requests grid's menu.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QToolBar

from console.i18n import tr
from console.live_updates import LiveUpdates
from console.plain_text import as_written
from models.enums import CancellationReason
from models.errors import RegulDataError
from regul.dispatch import (
    PushReport,
    SweepReport,
    cancel_request,
    expiry_minutes,
    push,
    record_sharing_refusal,
    retime_minutes,
    set_expiry_minutes,
    set_retime_minutes,
)

if TYPE_CHECKING:
    from console.main_window import MainWindow

T = TypeVar("T")


def _reasons() -> dict[str, CancellationReason]:
    return {
        tr("Annulée par le patient"): CancellationReason.PATIENT_CANCELLED,
        tr("Patient absent"): CancellationReason.NO_SHOW,
        tr("Retard de l'établissement"): CancellationReason.HOSPITAL_DELAY,
        tr("Annulation tardive"): CancellationReason.LATE_CANCELLATION,
    }


class DispatchActions(QObject):
    def __init__(self, window: "MainWindow", toolbar: QToolBar, live: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.push_action = QAction(tr("Transmettre"), window)
        self.push_action.setShortcut(QKeySequence("Ctrl+T"))
        self.push_action.setStatusTip(tr("Proposer aux transporteurs ce qui a changé depuis"))
        self.push_action.triggered.connect(self.push)
        toolbar.addAction(self.push_action)
        menu = window.menuBar().addMenu(tr("Transporteurs"))
        menu.addAction(self.push_action)
        menu.addAction(tr("Délai de réponse…"), self.ask_delay)
        menu.addAction(tr("Tolérance d'horaire…"), self.ask_retime)
        menu.addAction(tr("Voir les missions d'un transporteur…"), self.show_carrier)
        self.menu = menu
        self.live: LiveUpdates | None = None
        if live:
            self.live = LiveUpdates(window.db, window.principal, window.current_day())
            self.live.changed.connect(self._changed_elsewhere)
            self.live.swept.connect(self._swept)

    def start(self) -> None:
        if self.live is not None:
            self.live.start()

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()

    def add_request_entries(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(tr("Annuler le transport…"), self.cancel_selected)
        menu.addAction(tr("Le patient refuse le partage"), self.sharing_refused)

    # -- actions ----------------------------------------------------------------------------

    def push(self) -> PushReport | None:
        window = self.window
        report = self._guarded(
            tr("Transmission refusée"),
            lambda: push(window.db, window.principal, window.current_day()),
        )
        window.reload()
        if report is None:
            return None
        lines = [
            tr(
                "{0} trajets proposés, {1} déjà transmis, {2} horaires mis à jour, "
                "{3} propositions retirées"
            ).format(
                len(report.proposed),
                len(report.unchanged),
                len(report.retimed),
                len(report.superseded),
            )
        ]
        lines += [f"  {name} : {count}" for name, count in sorted(report.by_carrier.items())]
        if report.withheld:
            lines.append(tr("Retenus (à corriger avant de transmettre) :"))
            lines += [f"  {rid} : {why}" for rid, why in sorted(report.withheld.items())[:15]]
        window.statusBar().showMessage(lines[0], 10_000)
        if report.withheld:
            QMessageBox.information(window, tr("Transmission"), as_written("\n".join(lines)))
        return report

    def cancel_selected(self) -> None:
        window = self.window
        ids = window.selected_requests()
        if len(ids) != 1:
            window.statusBar().showMessage(tr("Choisissez un seul transport à annuler"), 5000)
            return
        reasons = _reasons()
        label, ok = QInputDialog.getItem(
            window, tr("Annuler le transport"), tr("Motif :"), list(reasons), 0, False
        )
        if not ok:
            return
        told = self._guarded(
            tr("Annulation refusée"),
            lambda: cancel_request(
                window.db, window.principal, window.current_day(), ids[0], reasons[label]
            ),
        )
        window.reload()
        if told:
            window.statusBar().showMessage(
                tr("{0} annulé ; prévenu : {1}").format(ids[0], ", ".join(told)), 10_000
            )

    def sharing_refused(self) -> None:
        window = self.window
        for request_id in window.selected_requests():
            self._guarded(
                tr("Modification refusée"),
                lambda rid=request_id: record_sharing_refusal(  # type: ignore[misc]
                    window.db, window.principal, window.current_day(), rid
                ),
            )
        window.reload()
        window.statusBar().showMessage(
            tr("Refus du partage noté : la prochaine optimisation fera voyager seul"), 8000
        )

    def ask_delay(self) -> None:
        window = self.window
        current = expiry_minutes(window.db)
        minutes, ok = QInputDialog.getInt(
            window,
            tr("Délai de réponse"),
            tr("Minutes laissées à un transporteur pour répondre :"),
            current,
            1,
            24 * 60,
        )
        if ok:
            self._guarded(
                tr("Réglage refusé"),
                lambda: set_expiry_minutes(window.db, window.principal, minutes),
            )

    def ask_retime(self) -> None:
        window = self.window
        minutes, ok = QInputDialog.getInt(
            window,
            tr("Tolérance d'horaire"),
            tr("Un trajet décalé de ce nombre de minutes au plus garde la réponse du "
               "transporteur (au-delà, il lui est proposé à nouveau) :"),
            retime_minutes(window.db),
            0,
            120,
        )  # fmt: skip
        if ok:
            self._guarded(
                tr("Réglage refusé"),
                lambda: set_retime_minutes(window.db, window.principal, minutes),
            )

    def show_carrier(self) -> None:
        from console.carrier_window import CarrierWindow

        window = self.window
        if window.view is None or not window.view.carriers:
            return
        names = {name: siret for siret, name in sorted(window.view.carriers.items())}
        name, ok = QInputDialog.getItem(
            window, tr("Transporteur"), tr("Missions de :"), sorted(names), 0, False
        )
        if ok:
            carrier = CarrierWindow(
                window.db, window.current_day(), window.principal, names[name], window.tiles
            )
            carrier.setParent(window, carrier.windowFlags())
            carrier.show()

    # -- what others did --------------------------------------------------------------------

    def _changed_elsewhere(self) -> None:
        if self.window.optimisation is None:
            self.window.reload()
            self.window.statusBar().showMessage(
                tr("Mis à jour : changements d'un autre poste"), 8000
            )

    def _swept(self, report: SweepReport) -> None:
        self.window.reload()
        parts = []
        if report.reoffered:
            parts.append(tr("{0} proposées au transporteur suivant").format(len(report.reoffered)))
        if report.returned:
            parts.append(tr("{0} remises à planifier").format(len(report.returned)))
        self.window.statusBar().showMessage(" ; ".join(parts), 15_000)

    def _guarded(self, title: str, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except RegulDataError as refused:
            QMessageBox.warning(self.window, title, as_written(str(refused)))
            return None
