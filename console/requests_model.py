"""The requests grid's model: one row per request of the day, read from a ``DayView``.

The model only adapts the day's plain rows to Qt; sorting and the quick filter are the proxy's
job. Selection is kept by request id (``REQUEST_ID_ROLE``) so it survives a reload.
"""

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from console import labels
from console.i18n import tr
from console.plain_text import as_written
from console.plan_editing import REQUESTS_MIME, requests_mime
from regul.day_view import RequestRow, Status

REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TIME = 0
    PATIENT = 1
    ORIGIN = 2
    DESTINATION = 3
    DIRECTION = 4
    MODE = 5
    MOBILITY = 6
    CARE = 7
    SHARING = 8
    VEHICLE = 9
    PICKUP = 10
    STATUS = 11
    CARRIER = 12
    ID = 13


def _header(column: Column) -> str:
    return {
        Column.TIME: tr("Heure"),
        Column.PATIENT: tr("Patient"),
        Column.ORIGIN: tr("Départ"),
        Column.DESTINATION: tr("Arrivée"),
        Column.DIRECTION: tr("Sens"),
        Column.MODE: tr("Mode"),
        Column.MOBILITY: tr("Position"),
        Column.CARE: tr("Soin"),
        Column.SHARING: tr("Partage"),
        Column.VEHICLE: tr("Véhicule"),
        Column.PICKUP: tr("Prise en charge"),
        Column.STATUS: tr("Statut"),
        Column.CARRIER: tr("Transporteur"),
        Column.ID: tr("N° demande"),
    }[column]


_TEXT: dict[Column, Callable[[RequestRow], str]] = {
    Column.TIME: lambda r: labels.clock(r.time),
    Column.PATIENT: lambda r: r.patient,
    Column.ORIGIN: lambda r: r.origin,
    Column.DESTINATION: lambda r: r.destination,
    Column.DIRECTION: lambda r: labels.direction(r.direction),
    Column.MODE: lambda r: labels.mode(r.mode),
    Column.MOBILITY: lambda r: labels.mobility(r.mobility),
    Column.CARE: lambda r: labels.care_type(r.care_type),
    Column.SHARING: lambda r: tr("oui") if r.sharing else tr("non"),
    Column.VEHICLE: lambda r: (r.vehicle or "") + (" 🔒" if r.locked else ""),
    Column.PICKUP: lambda r: labels.clock(r.pickup_at),
    Column.STATUS: lambda r: labels.status(r.status),
    Column.CARRIER: lambda r: labels.mission_status(r.carrier_status),
    Column.ID: lambda r: r.id,
}

_STATUS_COLOUR = {
    Status.PLANNED: QColor("#e6f4ea"),
    Status.UNSERVED: QColor("#fde7c8"),
    Status.UNPLANNABLE: QColor("#eeeeee"),
    Status.WAITING: QColor("#ffffff"),
}
_VIOLATION_COLOUR = QColor("#b00020")


class RequestsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[RequestRow, ...] = ()
        self._search: list[str | None] = []  # each row's words, folded, made on first use

    def set_rows(self, rows: Sequence[RequestRow]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._search = [None] * len(self._rows)
        self.endResetModel()

    def search_text(self, row: int) -> str:
        text = self._search[row]
        if text is None:
            text = " ".join(_TEXT[c](self._rows[row]) for c in Column).casefold()
            self._search[row] = text
        return text

    def row_at(self, row: int) -> RequestRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _TEXT[column](row)
        if role == REQUEST_ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return _sort_key(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_STATUS_COLOUR[row.status])
        if role == Qt.ItemDataRole.ForegroundRole and row.violations:
            return QBrush(_VIOLATION_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = list(row.violations)
            if row.reason:
                notes.insert(0, row.reason)
            if row.carrier_note:
                notes.append(f"{labels.mission_status(row.carrier_status)} — {row.carrier_note}")
            return as_written("\n".join(notes)) if notes else None
        return None

    def mimeTypes(self) -> list[str]:
        return [REQUESTS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        return requests_mime(self._rows[row].id for row in rows)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base


def _sort_key(row: RequestRow, column: Column) -> Any:
    if column is Column.TIME:
        return row.time if row.time is not None else -1
    if column is Column.PICKUP:
        return row.pickup_at if row.pickup_at is not None else -1
    return _TEXT[column](row).casefold()


class RequestsFilter(QSortFilterProxyModel):
    """Sorts on the real values (times as times) and keeps the rows where every word typed
    appears in some column: « dialyse roubaix » finds Roubaix's dialysis trips."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        assert isinstance(model, RequestsModel)
        haystack = model.search_text(source_row)
        return all(word in haystack for word in self._words)
