"""The roster grid's model: carriers' vehicles, their places and shift, and a tick for
"available today". Unticking asks the window to store it; the next optimisation leaves the
vehicle out."""

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from console import labels
from console.i18n import tr
from models.repositories.roster import RosterEntry

Index = QModelIndex | QPersistentModelIndex


class RosterColumn(IntEnum):
    AVAILABLE = 0
    CARRIER = 1
    PLATE = 2
    KIND = 3
    SEATED = 4
    LYING = 5
    WHEELCHAIR = 6
    SHIFT = 7


def _header(column: RosterColumn) -> str:
    return {
        RosterColumn.AVAILABLE: tr("Disponible"),
        RosterColumn.CARRIER: tr("Transporteur"),
        RosterColumn.PLATE: tr("Immatriculation"),
        RosterColumn.KIND: tr("Type"),
        RosterColumn.SEATED: tr("Assis"),
        RosterColumn.LYING: tr("Allongé"),
        RosterColumn.WHEELCHAIR: tr("Fauteuil"),
        RosterColumn.SHIFT: tr("Service"),
    }[column]


class RosterModel(QAbstractTableModel):
    availabilityToggled = Signal(str, bool, int)  # plate, available, version it was read at

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: tuple[RosterEntry, ...] = ()

    def set_entries(self, entries: Sequence[RosterEntry]) -> None:
        self.beginResetModel()
        self._entries = tuple(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RosterColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header(RosterColumn(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = RosterColumn(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and column is RosterColumn.AVAILABLE:
            return Qt.CheckState.Checked if entry.available else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and not entry.available:
            return QBrush(QColor("#888888"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            RosterColumn.AVAILABLE: "",
            RosterColumn.CARRIER: entry.carrier,
            RosterColumn.PLATE: entry.plate,
            RosterColumn.KIND: labels.mode(entry.kind),
            RosterColumn.SEATED: entry.seated,
            RosterColumn.LYING: entry.lying,
            RosterColumn.WHEELCHAIR: entry.wheelchair,
            RosterColumn.SHIFT: f"{entry.shift_start:%H:%M}–{entry.shift_end:%H:%M}",
        }[column]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == RosterColumn.AVAILABLE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A tick asks for the change; the grid shows it once stored and reloaded."""
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != RosterColumn.AVAILABLE:
            return False
        entry = self._entries[index.row()]
        wanted = Qt.CheckState(value) == Qt.CheckState.Checked
        if wanted != entry.available:
            self.availabilityToggled.emit(entry.plate, wanted, entry.availability_version)
        return True
