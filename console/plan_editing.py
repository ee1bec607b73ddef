"""Hand edits as undoable commands: each holds the plan before and after, nothing else.

The edit itself is computed by ``planning.edits``; applying a state stores it (against the
version it was made from) and redraws, so undo and redo are just the other state stored again.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QUndoCommand

from console.i18n import tr
from planning.plan import Plan

REQUESTS_MIME = "application/x-regul-requests"


@dataclass(frozen=True)
class PlanState:
    plan: Plan
    locked_requests: frozenset[str]
    locked_routes: frozenset[str]


class PlanEdit(QUndoCommand):
    def __init__(
        self,
        apply: Callable[[PlanState, str], None],
        before: PlanState,
        after: PlanState,
        text: str,
    ) -> None:
        super().__init__(text)
        self._apply, self.before, self.after = apply, before, after

    def redo(self) -> None:
        self._apply(self.after, self.text())

    def undo(self) -> None:
        self._apply(self.before, tr("annulation de « {0} »").format(self.text()))


def requests_mime(request_ids: Iterable[str]) -> QMimeData:
    data = QMimeData()
    data.setData(REQUESTS_MIME, json.dumps(list(request_ids)).encode("utf-8"))
    return data


def requests_from_mime(data: QMimeData) -> list[str]:
    if not data.hasFormat(REQUESTS_MIME):
        return []
    try:
        ids = json.loads(bytes(data.data(REQUESTS_MIME).data()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    return [str(i) for i in ids] if isinstance(ids, list) else []
