"""A pickup-and-delivery problem as plain arrays: what the search needs, nothing of the day.

Nodes are numbered 0..N-1 (depots and stops alike); each request is a pickup node and a
delivery node; each vehicle leaves its start node and ends at its end node. Benchmarks
(Cordeau's dial-a-ride, Li & Lim) and the department day both map onto it.
"""

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from planning.lns.kernels import Fleet, Network

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Matrix = NDArray[np.float64] | NDArray[np.float32]  # a day's are single precision


@dataclass(frozen=True)
class PdpInstance:
    name: str
    distance: Matrix  # (N, N), what the objective sums
    travel: Matrix  # (N, N), travel time
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
    vehicle_cost: float = 0.0  # added per vehicle used
    vehicles_first: bool = False  # fewer vehicles before any distance (Li & Lim's ranking)
    ride_distance: Floats | None = None  # (R,): distance aboard; None: free
    pickup_spacing: Floats | None = None  # (K,): between pickups while aboard; None: free
    allowed: NDArray[np.bool_] | None = None  # (R, K): who may carry whom; None: anyone
    # Fair rotation: each vehicle's owner (a carrier), each owner's fair share of the trips,
    # and what one trip off that share weighs, in distance units.
    owner: Ints | None = None  # (K,)
    owner_share: Floats | None = None  # (G,)
    rotation_weight: float = 0.0
    # Fares (a day's, paid by the Assurance Maladie): by request, fare class and patients
    # aboard at most (1..P); each vehicle's class; what one unit of fare weighs in distance.
    fare: Floats | None = None  # (R, C, P)
    fare_class: Ints | None = None  # (K,)
    fare_weight: float = 0.0
    network: Network = field(init=False)
    fleet: Fleet = field(init=False)

    def __post_init__(self) -> None:
        nodes, requests, vehicles = len(self.service), len(self.pickups), len(self.vehicle_start)
        shapes = {
            "travel": self.travel.shape == self.distance.shape == (nodes, nodes),
            "windows": self.early.shape == self.late.shape == (nodes,),
            "load": self.load.shape[0] == nodes,
            "requests": self.pickups.shape == self.deliveries.shape == self.ride_limit.shape,
            "vehicles": vehicles == len(self.vehicle_end) == len(self.capacity),
            "ride_distance": self.ride_distance is None or self.ride_distance.shape == (requests,),
            "pickup_spacing": self.pickup_spacing is None
            or self.pickup_spacing.shape == (vehicles,),
            "allowed": self.allowed is None or self.allowed.shape == (requests, vehicles),
            "owner": (self.owner is None) == (self.owner_share is None)
            and (self.owner is None or self.owner.shape == (vehicles,)),
            "rotation_weight": self.rotation_weight == 0 or self.owner is not None,
            "fare": (self.fare is None) == (self.fare_class is None)
            and (self.fare is None or (self.fare.ndim == 3 and len(self.fare) == requests))
            and (self.fare_class is None or self.fare_class.shape == (vehicles,)),
            "fare_weight": self.fare_weight >= 0
            and (self.fare_weight == 0 or (self.fare is not None and self.load.shape[1] > 3)),
        }
        wrong = [name for name, ok in shapes.items() if not ok]
        if wrong:
            raise ValueError(f"{self.name}: inconsistent arrays: {', '.join(wrong)}")
        partner = np.full(nodes, -1, dtype=np.int64)
        partner[self.pickups] = self.deliveries
        request_of = np.full(nodes, -1, dtype=np.int64)
        request_of[self.pickups] = np.arange(requests)
        request_of[self.deliveries] = np.arange(requests)
        ride_limit = np.full(nodes, np.inf)
        ride_limit[self.pickups] = self.ride_limit
        ride_distance = np.full(nodes, np.inf)
        if self.ride_distance is not None:
            ride_distance[self.pickups] = self.ride_distance
        fare = np.zeros((requests, 1, 1)) if self.fare is None else self.fare
        network = Network(
            self.distance, self.travel, self.service, self.early, self.late, self.load,
            partner, request_of, ride_limit, ride_distance, fare, float(self.fare_weight),
        )  # fmt: skip
        fleet = Fleet(
            self.capacity,
            self.max_duration.astype(np.float64),
            np.full(vehicles, np.inf) if self.pickup_spacing is None else self.pickup_spacing,
            _kinds(self),
            np.ones((requests, vehicles), dtype=np.bool_) if self.allowed is None else self.allowed,
            np.zeros(vehicles, dtype=np.int64) if self.fare_class is None else self.fare_class,
        )
        object.__setattr__(self, "network", network)
        object.__setattr__(self, "fleet", fleet)

    @property
    def requests(self) -> int:
        return len(self.pickups)

    @property
    def vehicles(self) -> int:
        return len(self.vehicle_start)


def _kinds(instance: PdpInstance) -> Ints:
    """A number per vehicle, equal for vehicles that are interchangeable."""
    seen: dict[tuple[object, ...], int] = {}
    kinds = []
    for k in range(instance.vehicles):
        key = (
            int(instance.vehicle_start[k]),
            int(instance.vehicle_end[k]),
            tuple(int(c) for c in instance.capacity[k]),
            float(instance.max_duration[k]),
            None if instance.pickup_spacing is None else float(instance.pickup_spacing[k]),
            None if instance.allowed is None else instance.allowed[:, k].tobytes(),
            None if instance.fare_class is None else int(instance.fare_class[k]),
        )
        kinds.append(seen.setdefault(key, len(seen)))
    return np.array(kinds, dtype=np.int64)
