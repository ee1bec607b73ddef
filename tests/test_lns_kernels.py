"""The search's route timing and insertion: exact on small cases worked out by hand."""

import itertools

import numpy as np
import pytest

from planning.benchmarks.verify import Visit, verify
from planning.lns.instance import PdpInstance
from planning.lns.kernels import Scratch, best_insertion, earliest_schedule
from planning.lns.search import least_vehicles

INF = np.inf


def _line_instance(
    positions: list[float],
    windows: list[tuple[float, float]],
    requests: list[tuple[int, int]],
    ride_limit: float = INF,
    max_duration: float = INF,
    capacity: int = 3,
    service: float = 0.0,
) -> PdpInstance:
    """Nodes on a line (travel = distance = gap), node 0 the depot at both ends."""
    x = np.array(positions, dtype=float)
    distance = np.abs(x[:, None] - x[None, :])
    load = np.zeros((len(x), 1), dtype=np.int64)
    for p, d in requests:
        load[p, 0], load[d, 0] = 1, -1
    services = np.full(len(x), service)
    services[0] = 0.0
    return PdpInstance(
        name="line",
        distance=distance,
        travel=distance,
        service=services,
        early=np.array([w[0] for w in windows], dtype=float),
        late=np.array([w[1] for w in windows], dtype=float),
        load=load,
        pickups=np.array([p for p, _ in requests], dtype=np.int64),
        deliveries=np.array([d for _, d in requests], dtype=np.int64),
        ride_limit=np.full(len(requests), ride_limit),
        vehicle_start=np.array([0], dtype=np.int64),
        vehicle_end=np.array([0], dtype=np.int64),
        capacity=np.array([[capacity]], dtype=np.int64),
        max_duration=np.array([max_duration]),
    )


def _schedule(instance: PdpInstance, route: list[int]) -> tuple[bool, np.ndarray]:
    nodes = np.array(route, dtype=np.int64)
    times = np.empty(len(nodes))
    ok = earliest_schedule(
        nodes,
        len(nodes),
        instance.network,
        float(instance.max_duration[0]),
        np.full(len(instance.service), -1, dtype=np.int64),
        times,
    )
    return ok, times


def test_earliest_schedule_waits_at_windows() -> None:
    inst = _line_instance([0, 10, 20], [(0, 100), (15, 30), (0, 100)], [(1, 2)])
    ok, times = _schedule(inst, [0, 1, 2, 0])
    assert ok
    assert list(times) == [0, 15, 25, 45]


def test_a_ride_limit_delays_the_pickup_instead_of_waiting_on_board() -> None:
    # drop-off opens at 50; picked up as early as 10, the passenger would ride 40 > 15
    inst = _line_instance([0, 10, 20], [(0, 200), (0, 200), (50, 60)], [(1, 2)], ride_limit=15)
    ok, times = _schedule(inst, [0, 1, 2, 0])
    assert ok
    assert times[1] == 35 and times[2] == 50  # picked up at 35, rides exactly 15
    assert times[2] - times[1] <= 15


def test_ride_limits_that_contradict_the_windows_make_the_route_infeasible() -> None:
    # request 1 must be picked up by 10 but cannot be dropped before 50 with a 15 ride limit
    inst = _line_instance([0, 10, 20], [(0, 200), (0, 10), (50, 60)], [(1, 2)], ride_limit=15)
    ok, _ = _schedule(inst, [0, 1, 2, 0])
    assert not ok


def test_a_duration_limit_moves_the_departure_later() -> None:
    inst = _line_instance([0, 10, 20], [(0, 200), (40, 200), (0, 200)], [(1, 2)], max_duration=50)
    ok, times = _schedule(inst, [0, 1, 2, 0])
    assert ok
    assert times[0] == 20 and times[-1] - times[0] == 50  # 40 of driving, 10 of waiting
    tight = _line_instance([0, 10, 20], [(0, 200), (40, 200), (0, 200)], [(1, 2)], max_duration=39)
    assert not _schedule(tight, [0, 1, 2, 0])[0]


def _random_instance(rng: np.random.Generator, requests: int) -> PdpInstance:
    nodes = 2 * requests + 2
    xy = rng.uniform(0, 20, (nodes, 2))
    xy[-1] = xy[0]
    distance = np.sqrt(((xy[:, None] - xy[None, :]) ** 2).sum(axis=2))
    early = rng.uniform(0, 60, nodes)
    late = early + rng.uniform(30, 90, nodes)
    early[0] = early[-1] = 0
    late[0] = late[-1] = 200
    load = np.zeros((nodes, 1), dtype=np.int64)
    load[1 : requests + 1] = 1
    load[requests + 1 : -1] = -1
    pickups = np.arange(1, requests + 1, dtype=np.int64)
    return PdpInstance(
        name="random",
        distance=distance,
        travel=distance,
        service=np.full(nodes, 2.0),
        early=early,
        late=late,
        load=load,
        pickups=pickups,
        deliveries=pickups + requests,
        ride_limit=np.full(requests, 25.0),
        vehicle_start=np.array([0], dtype=np.int64),
        vehicle_end=np.array([nodes - 1], dtype=np.int64),
        capacity=np.array([[2]], dtype=np.int64),
        max_duration=np.array([150.0]),
    )


@pytest.mark.parametrize("seed", range(40))
def test_best_insertion_matches_trying_every_position(seed: int) -> None:
    """The pruned search returns the cheapest position that a full scan finds feasible."""
    rng = np.random.default_rng(seed)
    inst = _random_instance(rng, requests=4)
    # a route with requests 1 and 2 in the first order that has a schedule, if any
    base = None
    for order in itertools.permutations([1, 2, 5, 6]):
        if order.index(1) < order.index(5) and order.index(2) < order.index(6):
            candidate = [0, *order, 9]
            if _schedule(inst, candidate)[0]:
                base = candidate
                break
    if base is None:
        base = [0, 9]
    ok, times = _schedule(inst, base)
    assert ok
    route = np.array(base, dtype=np.int64)
    best, i, j = best_insertion(
        route,
        len(route),
        3,
        inst.network,
        inst.capacity[0],
        float(inst.max_duration[0]),
        INF,
        Scratch(np.full(10, -1, dtype=np.int64), np.empty(12, dtype=np.int64), np.empty(12)),
        times,
        0,
    )
    brute = INF
    for a in range(1, len(base)):
        for b in range(a, len(base)):
            candidate = [*base[:a], 3, *base[a:b], 7, *base[b:]]
            loads = np.cumsum(inst.load[candidate, 0])
            if loads.max() > 2:
                continue
            ok, when = _schedule(inst, candidate)
            if ok:
                cost = float(inst.distance[candidate[:-1], candidate[1:]].sum())
                cost -= float(inst.distance[base[:-1], base[1:]].sum())
                brute = min(brute, cost)
                # and the verifier, which shares no code with the kernel, agrees it is legal
                visits = [Visit(n, t) for n, t in zip(candidate, when, strict=True)]
                served = verify(_only(inst, candidate), [visits])
                assert served.feasible, served.violations
    assert best == pytest.approx(brute)
    if brute < INF:
        candidate = [*base[:i], 3, *base[i:j], 7, *base[j:]]
        assert _schedule(inst, candidate)[0]


def _only(inst: PdpInstance, route: list[int]) -> PdpInstance:
    """The instance restricted to the requests on ``route``, so the verifier expects no more."""
    on = [q for q, p in enumerate(inst.pickups) if int(p) in route]
    return PdpInstance(
        name=inst.name,
        distance=inst.distance,
        travel=inst.travel,
        service=inst.service,
        early=inst.early,
        late=inst.late,
        load=inst.load,
        pickups=inst.pickups[on],
        deliveries=inst.deliveries[on],
        ride_limit=inst.ride_limit[on],
        vehicle_start=inst.vehicle_start,
        vehicle_end=inst.vehicle_end,
        capacity=inst.capacity,
        max_duration=inst.max_duration,
    )


def test_the_vehicle_bound_counts_service_and_the_shortest_way_into_each_stop() -> None:
    # two requests, each 10 out and 10 back with 20 of service per stop: 4 × (20 + 10) = 120
    # of work at the least: a shift of 120 holds it, one of 119 needs a second vehicle
    def shift(end: float) -> PdpInstance:
        windows = [(0.0, end)] + [(0.0, 1000.0)] * 4
        return _line_instance([0, 10, 20, 30, 40], windows, [(1, 2), (3, 4)], service=20.0)

    assert least_vehicles(shift(119.0)) == 2
    assert least_vehicles(shift(120.0)) == 1
