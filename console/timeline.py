"""The vehicle timeline: one row per vehicle, a bar per leg of its route, across the day.

Empty legs (driving to a pickup or back to base) are thin and grey, legs with one patient
aboard take the route's colour, shared legs are taller and hatched. Hours outside a vehicle's
shift are shaded. Pickups and drop-offs are marks that carry their request's id: selecting one
selects the request everywhere, and the console's selection is highlighted here.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from console import labels
from console.i18n import tr
from console.plain_text import as_written
from console.plan_editing import REQUESTS_MIME, requests_from_mime, requests_mime
from maps.features import route_colour
from models.enums import TransportMode
from planning.model import Problem
from planning.plan import Plan, Route, StopKind

ROW_HEIGHT = 26.0
LABEL_WIDTH = 170.0
PIXELS_PER_HOUR = 90.0
FIRST_HOUR, LAST_HOUR = 5, 22
REQUEST_ID = 0  # QGraphicsItem data key: the request a mark belongs to

_OFF_SHIFT = QColor("#e4e4e4")
_EMPTY = QColor("#9e9e9e")
_SELECTED = QColor("#000000")


def _x(seconds: float) -> float:
    return LABEL_WIDTH + (seconds / 3600.0 - FIRST_HOUR) * PIXELS_PER_HOUR


class _Mark(QGraphicsRectItem):
    """A pickup (filled) or drop-off (hollow) on a vehicle's row; drawn bold when selected."""

    def __init__(self, rect: QRectF, request: str, colour: QColor, pickup: bool) -> None:
        super().__init__(rect)
        self.request, self.pickup = request, pickup
        self.setBrush(QBrush(colour if pickup else QColor("#ffffff")))
        self._pen = QPen(colour.darker(170), 1)
        self.setPen(self._pen)
        self.setZValue(2)
        self.setData(REQUEST_ID, request)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setPen(QPen(_SELECTED, 3) if value else self._pen)
            self.setZValue(3 if value else 2)
        return super().itemChange(change, value)


class TimelineView(QGraphicsView):
    requestsSelected = Signal(list)  # request ids chosen here
    requestsDropped = Signal(list, str)  # request ids dragged onto a vehicle's row, its plate
    routeMenuRequested = Signal(str, QPoint)  # a vehicle's row, where to open the menu
    stopMenuRequested = Signal(str, bool, QPoint)  # request, pickup (else drop-off), where

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._marks: dict[str, list[_Mark]] = {}
        self._rows: dict[str, float] = {}  # plate → row top
        self._quiet = False
        self._pressed: tuple[_Mark, QPoint] | None = None
        self.setAcceptDrops(True)
        self.scene().selectionChanged.connect(self._selection_changed)

    # -- drawing ----------------------------------------------------------------------------

    def show_plan(
        self,
        problem: Problem,
        plan: Plan | None,
        carriers: Mapping[str, str],
        patients: Mapping[str, str],
        locked: Iterable[str] = (),
    ) -> None:
        scene = self.scene()
        self._quiet = True
        scene.clear()
        self._quiet = False
        self._marks.clear()
        self._rows.clear()
        locked = set(locked)
        routes = {
            r.vehicle: (k, r) for k, r in enumerate(plan.routes if plan else ()) if r.requests
        }
        # vehicles with work first, in plan order; idle ones after, by plate
        order = sorted(
            problem.vehicles,
            key=lambda v: (v.id not in routes, routes.get(v.id, (0, None))[0], v.id),
        )
        width = _x(LAST_HOUR * 3600)
        self._draw_hours(len(order), width)
        for row, vehicle in enumerate(order):
            top = (row + 1) * ROW_HEIGHT
            self._rows[vehicle.id] = top
            name = carriers.get(vehicle.carrier, vehicle.carrier)
            lock = " 🔒" if vehicle.id in locked else ""
            kind = labels.mode(TransportMode(vehicle.kind.value))
            label = QGraphicsSimpleTextItem(f"{vehicle.id}{lock} · {kind}")
            label.setPos(4, top + 5)
            label.setToolTip(as_written(name))
            scene.addItem(label)
            for start, end in ((FIRST_HOUR * 3600, vehicle.shift_start),
                               (vehicle.shift_end, LAST_HOUR * 3600)):  # fmt: skip
                if end > start:
                    shade = scene.addRect(
                        QRectF(_x(start), top, _x(end) - _x(start), ROW_HEIGHT),
                        QPen(Qt.PenStyle.NoPen),
                        QBrush(_OFF_SHIFT),
                    )
                    shade.setZValue(-1)
            if vehicle.id in routes:
                index, route = routes[vehicle.id]
                self._draw_route(route, top, QColor(route_colour(index)), patients)
        scene.setSceneRect(0, 0, width + 20, (len(order) + 1) * ROW_HEIGHT + 4)

    def _draw_hours(self, rows: int, width: float) -> None:
        scene = self.scene()
        pen = QPen(QColor("#cccccc"))
        font = QFont()
        font.setBold(True)
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            x = _x(hour * 3600)
            scene.addLine(x, ROW_HEIGHT, x, (rows + 1) * ROW_HEIGHT, pen)
            text = scene.addSimpleText(f"{hour:02d}h", font)
            text.setPos(x - 10, 4)
        scene.addLine(LABEL_WIDTH, ROW_HEIGHT, width, ROW_HEIGHT, pen)

    def _draw_route(
        self, route: Route, top: float, colour: QColor, patients: Mapping[str, str]
    ) -> None:
        scene = self.scene()
        for leg in route.legs():
            left, right = _x(leg.start.time), _x(leg.end.time)
            if right <= left:
                continue
            who = ", ".join(f"{rid} {patients.get(rid, '')}".strip() for rid in sorted(leg.aboard))
            span = f"{labels.clock(leg.start.time)}–{labels.clock(leg.end.time)}"
            if not leg.aboard:
                rect = QRectF(left, top + 11, right - left, 4)
                item = scene.addRect(rect, QPen(Qt.PenStyle.NoPen), QBrush(_EMPTY))
                item.setToolTip(tr("{0} : à vide").format(span))
            elif len(leg.aboard) == 1:
                rect = QRectF(left, top + 7, right - left, 12)
                item = scene.addRect(rect, QPen(colour.darker(130)), QBrush(colour))
                item.setToolTip(as_written(tr("{0} : {1}").format(span, who)))
            else:
                rect = QRectF(left, top + 3, right - left, 20)
                brush = QBrush(colour.darker(120), Qt.BrushStyle.Dense4Pattern)
                item = scene.addRect(rect, QPen(colour.darker(160), 1.5), brush)
                item.setToolTip(as_written(tr("{0} : partagé — {1}").format(span, who)))
        for stop in route.stops:
            if stop.request is None:
                continue
            pickup = stop.kind is StopKind.PICKUP
            mark = _Mark(QRectF(_x(stop.time) - 3, top + 4, 6, 18), stop.request, colour, pickup)
            what = tr("Prise en charge") if pickup else tr("Dépose")
            name = patients.get(stop.request, "")
            mark.setToolTip(as_written(f"{what} {stop.request} {name} — {labels.clock(stop.time)}"))
            scene.addItem(mark)
            self._marks.setdefault(stop.request, []).append(mark)

    # -- selection --------------------------------------------------------------------------

    def highlight(self, request_ids: Iterable[str]) -> None:
        """Show the console's selection without echoing it back as a new one."""
        self._quiet = True
        try:
            self.scene().clearSelection()
            first = None
            for rid in request_ids:
                for mark in self._marks.get(rid, []):
                    mark.setSelected(True)
                    first = first or mark
            if first is not None:
                self.ensureVisible(first, 60, 40)
        finally:
            self._quiet = False
        self.viewport().update()

    def selected_requests(self) -> list[str]:
        ids = {str(item.data(REQUEST_ID)) for item in self.scene().selectedItems()}
        return sorted(ids)

    def row_of(self, plate: str) -> float | None:
        return self._rows.get(plate)

    def plate_at(self, y: float) -> str | None:
        """The vehicle whose row holds scene height ``y``."""
        for plate, top in self._rows.items():
            if top <= y < top + ROW_HEIGHT:
                return plate
        return None

    # -- dragging trips onto a vehicle, menus -----------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        self._pressed = None
        if isinstance(item, _Mark) and event.button() == Qt.MouseButton.LeftButton:
            self._pressed = (item, event.position().toPoint())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pressed is not None:
            mark, origin = self._pressed
            moved = (event.position().toPoint() - origin).manhattanLength()
            if moved >= QApplication.startDragDistance():
                self._pressed = None
                ids = set(self.selected_requests()) | {mark.request}
                drag = QDrag(self)
                drag.setMimeData(requests_mime(sorted(ids)))
                drag.exec(Qt.DropAction.MoveAction)
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._pressed = None
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(REQUESTS_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        y = self.mapToScene(event.position().toPoint()).y()
        if event.mimeData().hasFormat(REQUESTS_MIME) and self.plate_at(y) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        plate = self.plate_at(self.mapToScene(event.position().toPoint()).y())
        ids = requests_from_mime(event.mimeData())
        if plate is None or not ids:
            event.ignore()
            return
        event.acceptProposedAction()
        self.requestsDropped.emit(ids, plate)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        if isinstance(item, _Mark):
            self.stopMenuRequested.emit(item.request, item.pickup, event.globalPos())
            return
        plate = self.plate_at(self.mapToScene(event.pos()).y())
        if plate is not None:
            self.routeMenuRequested.emit(plate, event.globalPos())

    def _selection_changed(self) -> None:
        if self._quiet:
            return
        ids = self.selected_requests()
        if ids:
            self.requestsSelected.emit(ids)
