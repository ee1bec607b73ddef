"""An unexpected error in the console: the same crash report as the command line, and a word
to the user in French instead of a traceback on a terminal the Start-menu program does not have.

PySide hands an exception escaping a slot to ``sys.excepthook`` and carries on; so does an
exception on the main thread outside Qt. The report leaves out every message that could quote
a patient's data (``regul.logs.crash_report``).
"""

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from console.i18n import tr
from console.plain_text import as_written
from regul.logs import write_crash_report

_log = logging.getLogger(__name__)


def install_crash_handler() -> None:
    """Make every unexpected exception of this process write a report and tell the user."""
    sys.excepthook = report_unexpected


def report_unexpected(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    if error.__traceback__ is None:
        error = error.with_traceback(tb)
    try:
        path: Path | None = write_crash_report(error)
    except OSError:
        path = None  # a full disk or a read-only folder: still tell the user
    _log.error("erreur inattendue dans la console (%s) ; rapport %s", kind.__name__, path)
    tell_user(kind.__name__, path)


def tell_user(kind: str, path: Path | None) -> None:
    if QApplication.instance() is None:
        print(f"regul: erreur inattendue ({kind}) ; rapport {path}", file=sys.stderr)
        return
    where = (
        tr(
            "Un rapport, sans données de patients, est dans :\n{0}\nJoignez-le à votre demande "
            "d'assistance."
        ).format(path)
        if path is not None
        else tr("Le rapport n'a pas pu être écrit.")
    )
    message = (
        tr(
            "Une erreur inattendue s'est produite ({0}). Le travail déjà enregistré est conservé ; "
            "la dernière action n'a peut-être pas abouti."
        ).format(kind)
        + "\n\n"
        + where
    )
    # the report's folder is the user's: shown as written, whatever its name holds
    QMessageBox.critical(QApplication.activeWindow(), tr("Erreur inattendue"), as_written(message))
