"""The map dock: the page ``maps`` builds, shown in Qt WebEngine and linked both ways.

The page is written to a file and loaded by URL (``setHtml`` stops at 2 MB, and a 2,000-request
day is about that). A click on a marker reaches the console through the ``bridge`` object of a
QWebChannel; the console's selection goes back as a call to the page's ``regulHighlight``.
"""

import json
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from maps.route_map import render_map
from planning.model import Problem
from planning.plan import Plan


class MapBridge(QObject):
    """What the page may call. Kept to two slots: the page is not trusted with more."""

    clicked = Signal(str)
    ready = Signal()

    @Slot(str)
    def requestClicked(self, request_id: str) -> None:  # the page's name
        self.clicked.emit(request_id)

    @Slot()
    def pageReady(self) -> None:
        self.ready.emit()


class MapView(QWebEngineView):
    requestClicked = Signal(str)
    loaded = Signal(bool)  # the page has loaded and its channel is up (or failed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder = tempfile.TemporaryDirectory(prefix="regul-map-")  # gone with the view
        self._page_file = Path(self._folder.name) / "plan.html"
        settings = self.settings()
        # the page is a local file: it may read Leaflet's files, and map tiles when online
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        self._bridge = MapBridge(self)
        self._bridge.clicked.connect(self.requestClicked)
        self._bridge.ready.connect(lambda: self.loaded.emit(True))
        self._channel = QWebChannel(self)
        self._channel.registerObject("bridge", self._bridge)
        self.page().setWebChannel(self._channel)
        self.loadFinished.connect(self._load_finished)
        self._pending: list[str] = []

    def show_plan(
        self, problem: Problem, plan: Plan | None, labels: Mapping[str, str], tiles: bool = True
    ) -> None:
        html = render_map(problem, plan or Plan(()), labels, tiles=tiles)
        self._page_file.write_text(html, encoding="utf-8")
        self.load(QUrl.fromLocalFile(str(self._page_file)))

    def highlight(self, request_ids: Iterable[str]) -> None:
        ids = list(request_ids)
        self._pending = ids
        self.page().runJavaScript(f"regulHighlight({json.dumps(ids)});", 0)

    def _load_finished(self, ok: bool) -> None:
        if not ok:
            self.loaded.emit(False)
        elif self._pending:
            self.highlight(self._pending)
