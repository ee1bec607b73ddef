"""Cordeau's dial-a-ride instances (the "a"/"b" sets of 2006 and the "pr" set of 2003).

Format, as described in ../shared/benchmarks/README.md: a header ``K n T Q L`` (in the pr
files the second value counts pickup and drop-off nodes), then one line per node
``id x y d q e l``; node 0 is the start depot, 1..n the pickups, n+i the drop-off of i,
2n+1 the end depot (absent from the pr files, whose node 0 is both ends). Travel time and
cost are the Euclidean distance; T bounds every route's duration, L every ride.
"""

from pathlib import Path

import numpy as np

from planning.benchmarks.errors import InstanceError
from planning.benchmarks.instance import BenchmarkInstance
from planning.benchmarks.reading import euclidean, numbers
from planning.lns.instance import PdpInstance


def read(path: Path) -> BenchmarkInstance:
    header, rows = numbers(path, width=7, header=5)
    vehicles, second, duration, capacity, ride = header
    ids = rows[:, 0].astype(np.int64)
    if not np.array_equal(ids, np.arange(len(rows))):
        raise InstanceError(path, 2, "les nœuds ne sont pas numérotés 0, 1, 2… dans l'ordre")
    one_depot = len(rows) % 2 == 1  # the pr files: node 0 only, no closing depot line
    if one_depot:
        rows = np.vstack([rows, rows[0]])
    requests = (len(rows) - 2) // 2
    if int(second) not in (requests, 2 * requests):
        raise InstanceError(
            path, 1, f"l'en-tête annonce {int(second)}, le fichier a {requests} demandes"
        )
    distance = euclidean(rows[:, 1:3])
    pickups = np.arange(1, requests + 1, dtype=np.int64)
    count = int(vehicles)
    problem = PdpInstance(
        name=path.stem if path.suffix == ".txt" else path.name,
        distance=distance,
        travel=distance,
        service=rows[:, 3].copy(),
        early=rows[:, 5].copy(),
        late=rows[:, 6].copy(),
        load=rows[:, 4].astype(np.int64).reshape(-1, 1),
        pickups=pickups,
        deliveries=pickups + requests,
        ride_limit=np.full(requests, ride),
        vehicle_start=np.zeros(count, dtype=np.int64),
        vehicle_end=np.full(count, len(rows) - 1, dtype=np.int64),
        capacity=np.full((count, 1), int(capacity), dtype=np.int64),
        max_duration=np.full(count, duration),
    )
    labels = np.arange(len(rows), dtype=np.int64)
    if one_depot:
        labels[-1] = 0
    return BenchmarkInstance(problem, labels, family="darp")
