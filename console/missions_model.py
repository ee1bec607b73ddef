"""The carrier's inbox: one row per mission of the day, read from a ``CarrierDay``."""

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from console import labels
from console.i18n import tr
from console.plain_text import as_written
from models.enums import MissionStatus
from models.repositories.missions import MissionView

MISSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class MissionColumn(IntEnum):
    STATUS = 0
    EXPIRES = 1
    VEHICLE = 2
    PICKUP = 3
    DROPOFF = 4
    PATIENT = 5
    PHONE = 6
    FROM = 7
    TO = 8
    MOBILITY = 9
    SHARED = 10


def _header(column: MissionColumn) -> str:
    return {
        MissionColumn.VEHICLE: tr("Véhicule"),
        MissionColumn.PICKUP: tr("Prise en charge"),
        MissionColumn.PATIENT: tr("Patient"),
        MissionColumn.PHONE: tr("Téléphone"),
        MissionColumn.FROM: tr("Départ"),
        MissionColumn.TO: tr("Arrivée"),
        MissionColumn.DROPOFF: tr("Dépose"),
        MissionColumn.MOBILITY: tr("Position"),
        MissionColumn.SHARED: tr("Partagé avec"),
        MissionColumn.STATUS: tr("Statut"),
        MissionColumn.EXPIRES: tr("Réponse avant"),
    }[column]


def _time(moment: datetime | None) -> str:
    return moment.strftime("%H:%M") if moment is not None else ""


def _place(mission: MissionView, pickup: bool) -> str:
    place = mission.pickup if pickup else mission.dropoff
    return ", ".join(p for p in (place.address, place.commune) if p)


class MissionsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[MissionView, ...] = ()
        self._names: dict[str, str] = {}

    def set_missions(self, missions: Sequence[MissionView]) -> None:
        self.beginResetModel()
        self._rows = tuple(missions)
        self._names = {m.request_id: m.patient for m in missions}
        self.endResetModel()

    def mission_at(self, row: int) -> MissionView:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MissionColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header(MissionColumn(section))
        return None

    def _text(self, mission: MissionView, column: MissionColumn) -> str:
        texts: dict[MissionColumn, Callable[[MissionView], str]] = {
            MissionColumn.VEHICLE: lambda m: m.vehicle_plate,
            MissionColumn.PICKUP: lambda m: _time(m.pickup_at),
            MissionColumn.PATIENT: lambda m: (
                m.patient + (tr(" + accompagnant") if m.companion else "")
            ),
            MissionColumn.PHONE: lambda m: m.patient_phone or "",
            MissionColumn.FROM: lambda m: _place(m, True),
            MissionColumn.TO: lambda m: _place(m, False),
            MissionColumn.DROPOFF: lambda m: _time(m.dropoff_at),
            MissionColumn.MOBILITY: lambda m: labels.mobility(m.mobility),
            MissionColumn.SHARED: lambda m: ", ".join(self._names.get(r, r) for r in m.shared_with),
            MissionColumn.STATUS: lambda m: labels.mission_status(m.status),
            MissionColumn.EXPIRES: lambda m: (
                _time(m.expires_at) if m.status is MissionStatus.PROPOSED else ""
            ),
        }
        return texts[column](mission)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        mission = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(mission, MissionColumn(index.column()))
        if role == MISSION_ID_ROLE:
            return mission.id
        if role == REQUEST_ID_ROLE:
            return mission.request_id
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_COLOURS.get(mission.status, QColor("#ffffff")))
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = [mission.request_id]
            if mission.refusal_reason:
                notes.append(tr("Motif : {0}").format(mission.refusal_reason))
            return as_written("\n".join(notes))
        return None


_COLOURS = {
    MissionStatus.PROPOSED: QColor("#fff4cc"),
    MissionStatus.ACCEPTED: QColor("#e6f4ea"),
    MissionStatus.DONE: QColor("#d7ecf9"),
    MissionStatus.REFUSED: QColor("#f8d7da"),
    MissionStatus.EXPIRED: QColor("#eeeeee"),
    MissionStatus.SUPERSEDED: QColor("#eeeeee"),
    MissionStatus.CANCELLED: QColor("#eeeeee"),
}
