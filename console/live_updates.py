"""Keeping a desk's screen current while other desks work: a watcher off the interface thread.

It waits on PostgreSQL's announcements (``regul.changes``), compares the change stamp every few
seconds whatever the backend, and says ``changed`` when the desk should reload. A regulator's
watcher also runs the dispatch sweep now and then: proposals left unanswered go to the next
carrier and refused trips back to the pool without anyone pressing a button.

When the database cannot be read (a server restarting, a file locked) the desk is told once,
in the status bar, and the watcher keeps trying every second; the first read that works again
says so. Nothing is lost meanwhile: every write goes through its own transaction, which either
committed before or reports that it did not.
"""

import threading
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from console.i18n import tr
from models.db import is_sqlite
from models.errors import DatabaseUnavailableError, RegulDataError
from models.session import Database
from regul.access import Principal
from regul.changes import ChangeListener, Stamp, change_stamp
from regul.dispatch import SweepReport, sweep

WAIT_S = 1.0  # one wait for announcements: also how long closing the window may wait
POLL_S = 3.0  # the stamp is compared this often, even when notifications flow
SWEEP_EVERY_S = 30.0


class LiveUpdates(QObject):
    changed = Signal()  # something this desk shows changed elsewhere: reload
    swept = Signal(object)  # SweepReport, when the sweep moved trips
    trouble = Signal(str)  # the database could not be read: said once until it recovers
    recovered = Signal()  # read again after trouble

    def __init__(self, db: Database, principal: Principal, day: date) -> None:
        super().__init__()
        self._db, self._principal = db, principal
        self._day = day
        self._stop = threading.Event()
        self._stamp: Stamp | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="regul-live", daemon=True)
        self._thread.start()

    def set_day(self, day: date, stamp: Stamp | None = None) -> None:
        """The day now shown, and its stamp as read with it (so this desk's own reload is
        not taken for news)."""
        self._day, self._stamp = day, stamp

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=WAIT_S + 6)

    def _run(self) -> None:
        listener = ChangeListener(self._db)
        since_sweep = SWEEP_EVERY_S  # sweep once at start
        since_poll = POLL_S
        troubled = False
        try:
            while not self._stop.is_set():
                heard = listener.wait(WAIT_S, self._stop.wait)
                if self._stop.is_set():
                    return
                since_poll += WAIT_S
                since_sweep += WAIT_S
                if not heard and since_poll < POLL_S and not troubled:
                    continue
                since_poll = 0.0
                try:
                    stamp = change_stamp(self._db, self._principal, self._day)
                    news = self._stamp is not None and stamp != self._stamp
                    due = since_sweep >= SWEEP_EVERY_S or news or bool(heard)
                    if not self._principal.is_carrier and due:
                        since_sweep = 0.0
                        report: SweepReport = sweep(self._db, self._principal, days={self._day})
                        if report.changed:
                            self.swept.emit(report)  # the window reloads, stamp included
                            continue
                except Exception as exc:  # a dropped server: keep watching, say it once
                    if not troubled:
                        self.trouble.emit(self._trouble_text(exc))
                    troubled = True
                    continue
                if troubled:
                    self.recovered.emit()
                troubled = False
                if news:
                    self.changed.emit()
                self._stamp = stamp
        finally:
            listener.close()

    def _trouble_text(self, exc: Exception) -> str:
        if isinstance(exc, DatabaseUnavailableError):
            if is_sqlite(self._db.url):
                return tr("Base de données inaccessible — nouvelle tentative…")
            return tr("Connexion au serveur perdue — nouvelle tentative…")
        if isinstance(exc, RegulDataError):
            return tr("{0} — nouvelle tentative…").format(exc)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return tr("Base de données illisible ({0}) — nouvelle tentative…").format(first)


def show_connection_state(live: LiveUpdates, window: QMainWindow) -> QLabel:
    """The watcher's trouble in ``window``'s status bar: a label that stays while the database
    cannot be read (a passing message would be gone before the server is back), then
    « Connexion rétablie »."""
    label = QLabel(window)
    label.setObjectName("connection_state")
    label.setStyleSheet("color: #b00020; font-weight: bold")
    label.hide()
    window.statusBar().addPermanentWidget(label)

    def troubled(text: str) -> None:
        label.setText(text)
        label.show()

    def recovered() -> None:
        label.hide()
        window.statusBar().showMessage(tr("Connexion rétablie"), 10_000)

    live.trouble.connect(troubled)
    live.recovered.connect(recovered)
    return label
