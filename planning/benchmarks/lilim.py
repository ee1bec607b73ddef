"""Li & Lim's pickup-and-delivery instances with time windows (the SINTEF TOP sets).

Format, as described in ../shared/benchmarks/README.md: a header ``K Q S`` (vehicles,
capacity, an unused speed), then one tab-separated line per node ``i x y q e l s p d``:
node 0 is the depot, whose window is the horizon; a pickup names its delivery in ``d``, a
delivery its pickup in ``p``. Travel time and distance are the Euclidean distance. Best-known
solutions rank by vehicles first, then distance: a vehicle costs more than any distance.
"""

from pathlib import Path

import numpy as np

from planning.benchmarks.errors import InstanceError
from planning.benchmarks.instance import BenchmarkInstance
from planning.benchmarks.reading import euclidean, numbers
from planning.lns.instance import PdpInstance


def read(path: Path) -> BenchmarkInstance:
    header, rows = numbers(path, width=9, header=2)
    vehicles, capacity = int(header[0]), int(header[1])
    if rows[0, 0] != 0:
        raise InstanceError(path, 2, "le dépôt (nœud 0) doit venir en premier")
    labels = rows[:, 0].astype(np.int64)
    index = {int(label): k for k, label in enumerate(labels)}
    pickups, deliveries = [], []
    for k, row in enumerate(rows[1:], start=1):
        if row[3] > 0:
            partner = int(row[8])
            if partner not in index or rows[index[partner], 7] != row[0]:
                raise InstanceError(path, k + 2, f"l'enlèvement {int(row[0])} n'a pas de livraison")
            pickups.append(k)
            deliveries.append(index[partner])
    distance = euclidean(rows[:, 1:3])
    requests = len(pickups)
    instance = PdpInstance(
        name=path.stem,
        distance=distance,
        travel=distance,
        service=rows[:, 6].copy(),
        early=rows[:, 4].copy(),
        late=rows[:, 5].copy(),
        load=rows[:, 3].astype(np.int64).reshape(-1, 1),
        pickups=np.array(pickups, dtype=np.int64),
        deliveries=np.array(deliveries, dtype=np.int64),
        ride_limit=np.full(requests, np.inf),
        vehicle_start=np.zeros(vehicles, dtype=np.int64),
        vehicle_end=np.zeros(vehicles, dtype=np.int64),
        capacity=np.full((vehicles, 1), capacity, dtype=np.int64),
        max_duration=np.full(vehicles, np.inf),
        # more than the longest possible total distance: one vehicle fewer always wins
        vehicle_cost=float(2 * len(rows) * distance.max()),
        vehicles_first=True,
    )
    return BenchmarkInstance(instance, labels, family="pdptw")
