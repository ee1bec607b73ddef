"""Road distance and travel time between points.

Without a road network, the road distance is the great-circle distance times the road factor,
and the time follows a simple speed model from the rule set: a fixed overhead, urban speed for
a trip's first kilometres, open-road speed beyond — short trips in town are slow, long ones on
the motorway fast. Matrices are computed with numpy for the optimiser; single legs for the
checker come from the same formula.
"""

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from planning.geometry import EARTH_RADIUS_KM, great_circle_km
from planning.model import Point
from planning.rules import RoadModel

FloatMatrix = npt.NDArray[np.float64]


class Travel(Protocol):
    """Anything that knows road km and seconds between points."""

    def km(self, a: Point, b: Point) -> float: ...

    def seconds(self, a: Point, b: Point) -> int: ...

    def matrices(self, points: Sequence[Point]) -> tuple[FloatMatrix, FloatMatrix]:
        """Road km and seconds between every pair of points."""
        ...


class CrowFliesTravel:
    def __init__(self, roads: RoadModel) -> None:
        self.roads = roads

    def km(self, a: Point, b: Point) -> float:
        return great_circle_km(a.lat, a.lon, b.lat, b.lon) * self.roads.road_factor

    def seconds(self, a: Point, b: Point) -> int:
        return round(float(self._seconds(np.array(self.km(a, b)))))

    def matrices(self, points: Sequence[Point]) -> tuple[FloatMatrix, FloatMatrix]:
        lat = np.radians(np.array([p.lat for p in points], dtype=np.float64))
        lon = np.radians(np.array([p.lon for p in points], dtype=np.float64))
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        h = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))) * self.roads.road_factor
        return km, np.rint(self._seconds(km))

    def _seconds(self, km: FloatMatrix) -> FloatMatrix:
        roads = self.roads
        urban = np.minimum(km, roads.urban_km)
        beyond = np.maximum(km - roads.urban_km, 0.0)
        hours = urban / roads.urban_speed_kmh + beyond / roads.open_road_speed_kmh
        moving = km > 0
        return np.where(moving, hours * 3600 + roads.overhead_minutes * 60, 0.0)
