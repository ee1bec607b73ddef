"""What the regulator's and the carrier's windows build alike: docks, grids, the database's
name in the status bar, and the arrangement remembered between runs."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QWidget,
)

from console.i18n import tr
from console.plain_text import plain_label
from models.db import is_sqlite, redact, sqlite_file
from models.session import Database

DEFAULT_SIZE = (1600, 950)


def add_dock(
    window: QMainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)  # the remembered arrangement finds it by this name
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    return dock


def prepare_grid(grid: QTableView) -> None:
    """Whole rows selected, compact rows, columns the user may widen."""
    grid.setSortingEnabled(True)
    grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    grid.verticalHeader().setVisible(False)
    grid.verticalHeader().setDefaultSectionSize(22)
    grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    grid.horizontalHeader().setStretchLastSection(True)


def database_label(db: Database, parent: QWidget) -> QLabel:
    """Which base this desk works on: a local file or a shared server."""
    url = db.url
    where = (
        tr("Base locale : {0}").format(sqlite_file(url))
        if is_sqlite(url)
        else tr("Serveur partagé : {0}").format(redact(url))
    )
    return plain_label(where, parent)


def restore_layout(window: QMainWindow, group: str) -> None:
    settings = QSettings()
    settings.beginGroup(group)
    geometry = settings.value("geometry")
    state = settings.value("state")
    settings.endGroup()
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    if state is not None:
        window.restoreState(state)


def save_layout(window: QMainWindow, group: str) -> None:
    settings = QSettings()
    settings.beginGroup(group)
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("state", window.saveState())
    settings.endGroup()
