"""A pickup-and-delivery problem as plain arrays: what the search needs, nothing of the day.

Nodes are numbered 0..N-1 (depots and stops alike); each request is a pickup node and a
delivery node; each vehicle leaves its start node and ends at its end node. Benchmarks
(Cordeau's dial-a-ride, Li & Lim) and the department day both map onto it.
"""

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True)
class PdpInstance:
    name: str
    distance: Floats  # (N, N), what the objective sums
    travel: Floats  # (N, N), travel time
    service: Floats  # (N,), service time at each node
    early: Floats  # (N,), window for the start of service
    late: Floats  # (N,)
    load: Ints  # (N, D): + at a pickup, - at its delivery, 0 at depots
    pickups: Ints  # (R,)
    deliveries: Ints  # (R,)
    ride_limit: Floats  # (R,): delivery start minus end of pickup service; inf when free
    vehicle_start: Ints  # (K,)
    vehicle_end: Ints  # (K,)
    capacity: Ints  # (K, D)
    max_duration: Floats  # (K,): end arrival minus start departure; inf when free
    vehicle_cost: float = 0.0  # added per vehicle used: large to put fewer vehicles first
    partner: Ints = field(init=False)  # (N,): a pickup's delivery node, -1 elsewhere
    request_of: Ints = field(init=False)  # (N,): the request of a stop, -1 at depots
    node_ride_limit: Floats = field(init=False)  # (N,): a pickup's ride limit

    def __post_init__(self) -> None:
        nodes = len(self.service)
        partner = np.full(nodes, -1, dtype=np.int64)
        partner[self.pickups] = self.deliveries
        request_of = np.full(nodes, -1, dtype=np.int64)
        request_of[self.pickups] = np.arange(len(self.pickups))
        request_of[self.deliveries] = np.arange(len(self.deliveries))
        node_limit = np.full(nodes, np.inf)
        node_limit[self.pickups] = self.ride_limit
        object.__setattr__(self, "partner", partner)
        object.__setattr__(self, "request_of", request_of)
        object.__setattr__(self, "node_ride_limit", node_limit)
        shapes = {
            "travel": self.travel.shape == self.distance.shape == (nodes, nodes),
            "windows": self.early.shape == self.late.shape == (nodes,),
            "load": self.load.shape[0] == nodes,
            "requests": self.pickups.shape == self.deliveries.shape == self.ride_limit.shape,
            "vehicles": len(self.vehicle_start) == len(self.vehicle_end) == len(self.capacity),
        }
        wrong = [name for name, ok in shapes.items() if not ok]
        if wrong:
            raise ValueError(f"{self.name}: inconsistent arrays: {', '.join(wrong)}")

    @property
    def requests(self) -> int:
        return len(self.pickups)

    @property
    def vehicles(self) -> int:
        return len(self.vehicle_start)
