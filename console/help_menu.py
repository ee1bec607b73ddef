"""The Aide menu both windows share: what support asks for (the diagnostic, the logs), setting
the desk up again, and what Régul is made of (version, third-party licences)."""

import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.i18n import tr
from models.session import Database
from regul import __version__
from regul.diagnostics import diagnostics
from regul.logs import log_folder

LICENCES_FILE = "THIRD-PARTY-LICENSES.txt"  # written beside the program by installer/build.py


def add_help_menu(window: QMainWindow, db: Database) -> QMenu:
    menu = window.menuBar().addMenu(tr("Aide"))
    menu.addAction(tr("Copier le diagnostic pour le support"), lambda: copy_diagnostics(window, db))
    menu.addAction(tr("Ouvrir le dossier des journaux"), open_log_folder)
    menu.addSeparator()
    menu.addAction(tr("Configurer ce poste…"), lambda: set_up_again(window))
    menu.addSeparator()
    menu.addAction(tr("À propos de Régul"), lambda: show_about(window))
    return menu


def copy_diagnostics(window: QMainWindow, db: Database) -> str:
    """Put the desk's diagnostic on the clipboard, to paste in a message to support."""
    text = diagnostics(db.url.render_as_string(hide_password=False))
    QGuiApplication.clipboard().setText(text)
    window.statusBar().showMessage(
        tr("Diagnostic copié : collez-le dans votre message au support."), 10_000
    )
    return text


def open_log_folder() -> None:
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def set_up_again(window: QMainWindow) -> None:
    from console.first_run import run_first_run

    done = run_first_run(window)
    if done is not None:
        QMessageBox.information(
            window,
            tr("Poste configuré"),
            tr("Réglages enregistrés. Fermez puis rouvrez Régul pour travailler avec eux."),
        )


def licences_file() -> Path:
    return Path(sys.executable).resolve().parent / LICENCES_FILE


def show_about(window: QMainWindow) -> None:
    box = QMessageBox(window)
    box.setWindowTitle(tr("À propos de Régul"))
    box.setText(
        tr(
            "<b>Régul {0}</b><br>Régulation du transport sanitaire non urgent.<br><br>"
            "Qt {1} et Qt for Python {2} sous licence LGPL v3 ; les autres composants sous "
            "leurs licences respectives."
        ).format(__version__, qVersion(), pyside_version)
    )
    licences = licences_file()
    if licences.is_file():
        button = box.addButton(tr("Licences des composants…"), QMessageBox.ButtonRole.ActionRole)
        button.clicked.disconnect()  # keep the box open behind the licences
        button.clicked.connect(lambda: show_licences(box, licences))
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()


def show_licences(parent: QWidget, path: Path) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("Licences des composants"))
    text = QPlainTextEdit(dialog)
    text.setReadOnly(True)
    text.setPlainText(path.read_text(encoding="utf-8-sig"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.resize(760, 600)
    dialog.exec()
