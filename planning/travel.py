"""Road distance and travel time between points.

Without a road network, the road distance is the great-circle distance times the road factor,
and the time follows a simple speed model from the rule set: a fixed overhead, urban speed for
a trip's first kilometres, open-road speed beyond — short trips in town are slow, long ones on
the motorway fast. Matrices are computed with numpy for the optimiser; single legs for the
checker come from the same formula.
"""

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from planning.geometry import EARTH_RADIUS_KM, great_circle_km
from planning.model import Point
from planning.rules import RoadModel

# Double precision by default; a whole day's search asks for single (half the memory).
FloatMatrix = npt.NDArray[np.floating[Any]]
Precision = type[np.float64] | type[np.float32]
_BLOCK_ROWS = 256


class Travel(Protocol):
    """Anything that knows road km and seconds between points."""

    def km(self, a: Point, b: Point) -> float: ...

    def seconds(self, a: Point, b: Point) -> int: ...

    def matrices(
        self, points: Sequence[Point], precision: Precision = np.float64
    ) -> tuple[FloatMatrix, FloatMatrix]:
        """Road km and whole seconds between every pair of points."""
        ...


class CrowFliesTravel:
    def __init__(self, roads: RoadModel) -> None:
        self.roads = roads

    def km(self, a: Point, b: Point) -> float:
        return great_circle_km(a.lat, a.lon, b.lat, b.lon) * self.roads.road_factor

    def seconds(self, a: Point, b: Point) -> int:
        return round(float(self._seconds(np.array(self.km(a, b)))))

    def matrices(
        self, points: Sequence[Point], precision: Precision = np.float64
    ) -> tuple[FloatMatrix, FloatMatrix]:
        """Computed a block of rows at a time: a whole day's temporaries would take GBs."""
        lat = np.radians(np.array([p.lat for p in points], dtype=np.float64))
        lon = np.radians(np.array([p.lon for p in points], dtype=np.float64))
        count = len(lat)
        km = np.empty((count, count), dtype=precision)
        seconds = np.empty((count, count), dtype=precision)
        cos_lat = np.cos(lat)
        for first in range(0, count, _BLOCK_ROWS):
            rows = slice(first, min(first + _BLOCK_ROWS, count))
            h = np.sin((lat[rows, None] - lat[None, :]) / 2) ** 2 + cos_lat[rows, None] * (
                cos_lat[None, :] * np.sin((lon[rows, None] - lon[None, :]) / 2) ** 2
            )
            block = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
            km[rows] = block * self.roads.road_factor
            seconds[rows] = np.rint(self._seconds(km[rows]))
        return km, seconds

    def _seconds(self, km: FloatMatrix) -> FloatMatrix:
        roads = self.roads
        urban = np.minimum(km, roads.urban_km)
        beyond = np.maximum(km - roads.urban_km, 0.0)
        hours = urban / roads.urban_speed_kmh + beyond / roads.open_road_speed_kmh
        moving = km > 0
        return np.where(moving, hours * 3600 + roads.overhead_minutes * 60, 0.0)
