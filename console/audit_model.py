"""The audit log grid's model: the entries read so far, newest first, and the next page read
when the view scrolls to the end (Qt's ``canFetchMore`` / ``fetchMore``).

Each entry's texts are made once, when its page arrives, so ``data()`` only looks them up and
never raises; an entry that cannot be shown becomes a greyed row saying so.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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

from console.i18n import tr
from console.plain_text import as_written
from models.errors import RegulDataError
from models.repositories.audit import AuditRecord
from regul.audit_view import describe_changes, time_text

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 200

# (entries older than this id, or None for the newest; how many at most) -> entries
PageReader = Callable[[int | None, int], Sequence[AuditRecord]]


class AuditColumn(IntEnum):
    TIME = 0
    ACTOR = 1
    ACTION = 2
    ENTITY = 3
    ENTITY_ID = 4
    CHANGES = 5
    DETAIL = 6


def _header(column: AuditColumn) -> str:
    return {
        AuditColumn.TIME: tr("Date et heure"),
        AuditColumn.ACTOR: tr("Utilisateur"),
        AuditColumn.ACTION: tr("Action"),
        AuditColumn.ENTITY: tr("Table"),
        AuditColumn.ENTITY_ID: tr("Id"),
        AuditColumn.CHANGES: tr("Modifications"),
        AuditColumn.DETAIL: tr("Détail"),
    }[column]


@dataclass(frozen=True)
class _Row:
    record: AuditRecord
    texts: tuple[str, ...]  # one per column
    readable: bool = True


def _row(record: AuditRecord) -> _Row:
    try:
        texts = (
            time_text(record.at),
            record.actor,
            record.action,
            record.entity,
            record.entity_id or "",
            describe_changes(record),
            record.detail or "",
        )
    except Exception as exc:  # one odd entry must not hide the others
        problem = tr("entrée n° {0} illisible : {1}").format(record.id, exc)
        return _Row(record, (problem, *[""] * (len(AuditColumn) - 1)), readable=False)
    return _Row(record, texts)


def _sort_key(row: _Row, column: AuditColumn) -> Any:
    if column is AuditColumn.TIME:
        return row.record.id  # ids grow with time, and never tie
    text = row.texts[column]
    if column is AuditColumn.ENTITY_ID and text.isdigit():
        return text.rjust(20, "0")
    return text.casefold()


class AuditModel(QAbstractTableModel):
    """Audit entries page by page, as ``read_page`` returns them."""

    loadFailed = Signal(str)

    def __init__(self, page_size: int = PAGE_SIZE, parent: Any = None) -> None:
        super().__init__(parent)
        self._page_size = page_size
        self._rows: list[_Row] = []
        self._read_page: PageReader | None = None
        self._more = False

    def load(self, read_page: PageReader | None) -> None:
        """Forget the entries shown and read the newest page through ``read_page``."""
        self.beginResetModel()
        self._rows = []
        self._read_page = read_page
        self._more = read_page is not None
        self.endResetModel()
        self.fetchMore()

    def record(self, row: int) -> AuditRecord | None:
        return self._rows[row].record if 0 <= row < len(self._rows) else None

    def all_read(self) -> bool:
        """Whether the last page has been read."""
        return not self._more

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008  # Qt's signature
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._read_page is None:
            return
        before = self._rows[-1].record.id if self._rows else None
        try:
            page = self._read_page(before, self._page_size)
        except RegulDataError as exc:
            self._more = False
            self.loadFailed.emit(str(exc))
            return
        self._more = len(page) >= self._page_size
        if not page:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(_row(record) for record in page)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AuditColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header(AuditColumn(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(AuditColumn):
            return None
        row = self._rows[index.row()]
        column = AuditColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (
            AuditColumn.CHANGES,
            AuditColumn.DETAIL,
        ):
            return as_written(row.texts[column]) if row.texts[column] else None
        if role == SORT_ROLE:
            return _sort_key(row, column)
        if role == RECORD_ROLE:
            return row.record
        if role == Qt.ItemDataRole.ForegroundRole and not row.readable:
            return QBrush(QColor("#888888"))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if (
            index.isValid()
            and 0 <= index.row() < len(self._rows)
            and not self._rows[index.row()].readable
        ):
            base &= ~Qt.ItemFlag.ItemIsEnabled
        return base
