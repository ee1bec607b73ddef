"""Optimising a day off the interface thread, with progress and a Cancel that keeps the best.

The worker runs ``regul.planning_run.plan_day`` in a QThread; the search reports its best cost
and served count through a callback, which becomes a queued signal, so the window stays
responsive. Cancel is one more stopping criterion: the search ends at its next check and the
best plan found so far is stored as usual.
"""

import threading
import time
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QThread, Signal, Slot

from models.session import Database
from planning.optimiser import SolveParams
from regul.planning_run import plan_day


@dataclass(frozen=True)
class OptimiseOutcome:
    served: int
    requests: int
    violations: int
    cancelled: bool
    seconds: float


class _Worker(QObject):
    progressed = Signal(int, int, float)  # best cost, served, elapsed seconds
    finished = Signal(object)  # OptimiseOutcome
    failed = Signal(str)

    def __init__(self, db: Database, day: date, params: SolveParams, actor: str) -> None:
        super().__init__()
        self._db, self._day, self._params, self._actor = db, day, params, actor
        self._stop = threading.Event()
        self._started = 0.0

    def cancel(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        self._started = time.monotonic()
        try:
            planning = plan_day(
                self._db,
                self._day,
                self._params,
                self._actor,
                progress=self._progress,
                should_stop=self._stop.is_set,
            )
        except Exception as exc:  # shown to the user; the stored plan is left as it was
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        served = sum(len(r.requests) for r in planning.plan.routes)
        self.finished.emit(
            OptimiseOutcome(
                served=served,
                requests=served + len(planning.plan.unassigned),
                violations=len(planning.violations),
                cancelled=self._stop.is_set(),
                seconds=time.monotonic() - self._started,
            )
        )

    def _progress(self, best_cost: int, served: int) -> None:
        self.progressed.emit(best_cost, served, time.monotonic() - self._started)


class Optimisation(QObject):
    """One run of the optimiser in its own thread; emits the worker's signals."""

    progressed = Signal(int, int, float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self, db: Database, day: date, params: SolveParams, actor: str, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._worker = _Worker(db, day, params, actor)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.finished.connect(self._done)
        self._worker.failed.connect(self._failed)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._worker.cancel()

    def wait(self) -> None:
        self._thread.wait()

    def _done(self, outcome: OptimiseOutcome) -> None:
        self._thread.quit()
        self._thread.wait()
        self.finished.emit(outcome)

    def _failed(self, message: str) -> None:
        self._thread.quit()
        self._thread.wait()
        self.failed.emit(message)
