"""Starting the console: the Qt application, its translation, the window, and screenshots.

``run_console`` opens the window once ``console.startup`` knows the database and the user. With
``screenshot`` it loads the day, waits for the map to finish drawing, saves a PNG of the whole
window and quits: the README picture and the tests use it.
"""

import os
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from models.db import APP_NAME
from models.session import Database
from regul.access import Principal

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# Time the map's tiles and canvas get after the page reports ready, before the picture is taken.
_SETTLE_MS = 1500
_SCREENSHOT_TIMEOUT_MS = 60_000
SCREENSHOT_SIZE = (1600, 950)
NOTICE_MS = 20_000


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, made on first use with what WebEngine needs set beforehand."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses root
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    bundled_icon = Path(getattr(sys, "_MEIPASS", "")) / "regul.ico"  # installer/icon.py's
    if getattr(sys, "frozen", False) and bundled_icon.is_file():
        app.setWindowIcon(QIcon(str(bundled_icon)))
    _install_translations(app)
    return app


def _install_translations(app: QApplication) -> None:
    """French (the console is written in French, for French centres whatever the PC's own
    language); another language when $REGUL_LANG asks for one whose catalogue is installed in
    ``console/translations/``. Qt's own words (buttons, dialogs) follow the same language."""
    wanted = os.environ.get("REGUL_LANG", "fr")
    catalogue = TRANSLATIONS / f"regul_{wanted}.qm"
    language = wanted if wanted != "fr" and catalogue.is_file() else "fr"
    locale = QLocale(language)
    QLocale.setDefault(locale)
    if language != "fr":
        words = QTranslator(app)
        if words.load(str(catalogue)):
            app.installTranslator(words)
    qt_words = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_words.load(locale, "qtbase", "_", path):
        app.installTranslator(qt_words)


def run_console(
    db: Database,
    day: date,
    principal: Principal,
    screenshot: Path | None = None,
    time_limit_s: float = 60.0,
    carrier_siret: str | None = None,
    notice: str | None = None,
) -> int:
    """The regulator's window, or the carrier's: a dispatcher always gets its carrier's; a
    regulator gets a carrier's when ``carrier_siret`` names one (to see what it was sent).
    ``notice`` is shown in the status bar (the database was just migrated, say)."""
    app = application()
    # after the application exists
    from console.carrier_window import CarrierWindow
    from console.main_window import MainWindow
    from console.map_view import MapView

    window: QMainWindow
    if principal.is_carrier or carrier_siret:
        window = CarrierWindow(db, day, principal, carrier_siret, live=True)
    else:
        window = MainWindow(
            db, day, principal.login, time_limit_s=time_limit_s, principal=principal, live=True
        )
    # its web page must be gone before WebEngine's profile is, at exit
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if screenshot is not None:
        window.resize(*SCREENSHOT_SIZE)  # the same picture whatever layout was remembered
    window.show()
    if notice:
        window.statusBar().showMessage(notice, NOTICE_MS)
    if screenshot is None:
        code = app.exec()
        return int(code)
    taken: list[bool] = []
    # A loop of its own rather than app.exec()/quit(): quitting the application shuts Qt
    # WebEngine down for good, and the process that asked (a test) may want more windows.
    waiting = QEventLoop()

    def take() -> None:
        if taken:
            return
        taken.append(window.grab().save(str(screenshot)))
        window.close()
        waiting.quit()

    map_view: MapView = getattr(window, "map_view")  # noqa: B009 - both windows have one
    map_view.loaded.connect(lambda _ok: QTimer.singleShot(_SETTLE_MS, take))
    QTimer.singleShot(_SCREENSHOT_TIMEOUT_MS, take)  # the map never said it was ready
    waiting.exec()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the closed window
    return 0 if taken and taken[0] else 1
