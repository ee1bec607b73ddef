"""One job off the window's thread: its progress, result and failure come back as signals, in
the window's thread, so the window stays responsive and hears of every ending.

The window keeps the job in an attribute and, once it has ended, waits for it and drops it:
Python then deletes it. The job has no Qt parent and is never ``deleteLater``-ed: a deferred
deletion still pending when its window was collected crashed PySide ("shared QObject was
deleted directly").
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

from console.i18n import tr
from models.errors import RegulDataError

Work = Callable[[Callable[[str], None]], Any]  # given a way to report a step, returns a result


class BackgroundJob(QThread):
    progressed = Signal(str)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit)
        except (RegulDataError, OSError) as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # the window must hear of any failure, or it waits forever
            self.failed.emit(tr("erreur inattendue ({0}) : {1}").format(type(exc).__name__, exc))
        else:
            self.succeeded.emit(result)
