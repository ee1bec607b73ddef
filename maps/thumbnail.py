"""A vehicle's route as a small PNG, drawn without network, for printed manifests.

The console's map needs a browser engine and, for its background, tiles from the internet; a
manifest is printed or mailed, so its map is drawn here with Pillow alone: the stops projected
on a plain light background, lines in driving order with an arrow on each leg, a numbered
marker per stop (stops at one place share a marker) and a scale bar. Pickups are filled,
drop-offs hollow, as on the console's map.
"""

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from PIL import Image, ImageDraw, ImageFont

KM_PER_DEGREE = 111.32
_BACKGROUND = (244, 246, 248)
_GRID = (228, 232, 236)
_ROUTE = (31, 94, 168)
_TEXT = (40, 44, 52)
_WHITE = (255, 255, 255)
_SCALE_STEPS_KM = (0.5, 1, 2, 5, 10, 20, 50, 100, 200)
_MIN_EXTENT_KM = 2.0  # a route within one street still gets a readable map


class StopMark(StrEnum):
    PICKUP = "PICKUP"
    DROPOFF = "DROPOFF"


@dataclass(frozen=True)
class MapStop:
    lat: float
    lon: float
    label: str  # the stop's number on the manifest
    mark: StopMark


@dataclass(frozen=True)
class _Spot:
    x: float
    y: float
    labels: tuple[str, ...]
    filled: bool


def route_thumbnail(stops: Sequence[MapStop], width: int = 640, height: int = 420) -> bytes:
    """The stops in their driving order as PNG bytes (a plain background when none has a
    position)."""
    image = Image.new("RGB", (width, height), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(11, height // 26))
    small = ImageFont.load_default(size=max(10, height // 28))
    if not stops:
        draw.text((width / 2, height / 2), "aucun arrêt", fill=_TEXT, font=font, anchor="mm")
        return _png(image)
    project, km_per_px = _projection(stops, width, height)
    _grid(draw, width, height, km_per_px)
    points = [project(stop) for stop in stops]
    for start, end in pairwise(points):
        if math.dist(start, end) < 1:
            continue
        draw.line([start, end], fill=_ROUTE, width=3)
        _arrow(draw, start, end)
    radius = max(9, height // 34)

    def half_width(labels: tuple[str, ...]) -> float:
        return max(radius, draw.textlength(_label(labels), font=font) / 2 + 5)

    for spot in _spots(stops, points, radius, half_width):
        _marker(draw, spot, radius, font)
    _scale_bar(draw, width, height, km_per_px, small)
    return _png(image)


def _projection(
    stops: Sequence[MapStop], width: int, height: int
) -> tuple[Callable[[MapStop], tuple[float, float]], float]:
    """Equirectangular around the route's middle latitude (exact enough over a département),
    fitted to the image with a margin; also the km one pixel stands for."""
    lats = [s.lat for s in stops]
    lons = [s.lon for s in stops]
    mid_lat = (min(lats) + max(lats)) / 2
    shrink = math.cos(math.radians(mid_lat))
    span_x_km = max((max(lons) - min(lons)) * KM_PER_DEGREE * shrink, _MIN_EXTENT_KM)
    span_y_km = max((max(lats) - min(lats)) * KM_PER_DEGREE, _MIN_EXTENT_KM)
    margin = max(28, min(width, height) // 9)
    km_per_px = max(span_x_km / (width - 2 * margin), span_y_km / (height - 2 * margin))
    centre_lon = (min(lons) + max(lons)) / 2
    centre_lat = mid_lat

    def project(stop: MapStop) -> tuple[float, float]:
        x_km = (stop.lon - centre_lon) * KM_PER_DEGREE * shrink
        y_km = (stop.lat - centre_lat) * KM_PER_DEGREE
        return width / 2 + x_km / km_per_px, height / 2 - y_km / km_per_px

    return project, km_per_px


def _spots(
    stops: Sequence[MapStop],
    points: Sequence[tuple[float, float]],
    radius: int,
    half_width: Callable[[tuple[str, ...]], float],
) -> list[_Spot]:
    """Stops whose markers would overlap share one marker listing their numbers: on a day
    that returns to the same care site, one readable marker beats a pile of hidden ones."""
    spots: list[_Spot] = []
    for stop, (x, y) in zip(stops, points, strict=True):
        filled = stop.mark is StopMark.PICKUP
        for index, spot in enumerate(spots):
            reach = half_width(spot.labels) + radius
            if abs(spot.x - x) < reach and abs(spot.y - y) < 2 * radius:
                labels = (*spot.labels, stop.label)
                spots[index] = _Spot(spot.x, spot.y, labels, spot.filled or filled)
                break
        else:
            spots.append(_Spot(x, y, (stop.label,), filled))
    return spots


def _label(labels: tuple[str, ...]) -> str:
    """« 4,5,7 », and past three numbers « 4,5,7 +3 »."""
    shown = ",".join(labels[:3])
    return shown if len(labels) <= 3 else f"{shown} +{len(labels) - 3}"


def _marker(
    draw: ImageDraw.ImageDraw,
    spot: _Spot,
    radius: int,
    font: ImageFont.ImageFont | ImageFont.FreeTypeFont,
) -> None:
    text = _label(spot.labels)
    half_width = max(radius, draw.textlength(text, font=font) / 2 + 5)
    box = [spot.x - half_width, spot.y - radius, spot.x + half_width, spot.y + radius]
    fill, ink = (_ROUTE, _WHITE) if spot.filled else (_WHITE, _ROUTE)
    draw.rounded_rectangle(box, radius=radius, fill=fill, outline=_ROUTE, width=2)
    draw.text((spot.x, spot.y), text, fill=ink, font=font, anchor="mm")


def _arrow(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A small head at the middle of a leg, pointing the way it is driven."""
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    tip = (
        (start[0] + end[0]) / 2 + 5 * math.cos(angle),
        (start[1] + end[1]) / 2 + 5 * math.sin(angle),
    )
    wing = 2.6
    left = (
        tip[0] - 11 * math.cos(angle - wing + math.pi),
        tip[1] - 11 * math.sin(angle - wing + math.pi),
    )
    right = (
        tip[0] - 11 * math.cos(angle + wing - math.pi),
        tip[1] - 11 * math.sin(angle + wing - math.pi),
    )
    draw.polygon([tip, left, right], fill=_ROUTE)


def _grid(draw: ImageDraw.ImageDraw, width: int, height: int, km_per_px: float) -> None:
    """Faint lines every scale step, so distances read at a glance."""
    step_px = _nice_km(km_per_px * width / 5) / km_per_px
    x = width / 2 % step_px
    while x < width:
        draw.line([(x, 0), (x, height)], fill=_GRID, width=1)
        x += step_px
    y = height / 2 % step_px
    while y < height:
        draw.line([(0, y), (width, y)], fill=_GRID, width=1)
        y += step_px


def _scale_bar(
    draw: ImageDraw.ImageDraw,
    width: int,
    height: int,
    km_per_px: float,
    font: ImageFont.ImageFont | ImageFont.FreeTypeFont,
) -> None:
    km = _nice_km(km_per_px * width / 5)
    length = km / km_per_px
    left, base = 14, height - 14
    label = f"{km:g} km".replace(".", ",")
    draw.rectangle([left - 6, base - 26, left + length + 6, base + 6], fill=_WHITE)
    draw.line([(left, base), (left + length, base)], fill=_TEXT, width=3)
    for x in (left, left + length):
        draw.line([(x, base - 6), (x, base)], fill=_TEXT, width=2)
    draw.text((left + length / 2, base - 8), label, fill=_TEXT, font=font, anchor="mb")


def _nice_km(target: float) -> float:
    """The largest usual scale step not above ``target`` km (the smallest one at least)."""
    fitting = [step for step in _SCALE_STEPS_KM if step <= target]
    return fitting[-1] if fitting else _SCALE_STEPS_KM[0]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
