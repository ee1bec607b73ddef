"""Solving a benchmark instance with Régul's search or with VROOM, timed, as visits.

Both hand back routes with their reported start-of-service times, so one independent check
(``planning.benchmarks.verify``) judges them alike.
"""

import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from planning.benchmarks.instance import BenchmarkInstance
from planning.benchmarks.verify import Verdict, Visit, verify
from planning.lns.instance import PdpInstance
from planning.lns.search import SearchParams, Solution, solve

VROOM_SCALE = 1000  # VROOM counts in integers: thousandths of the instance's unit


class VroomMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__('VROOM absent : installer pyvroom (pip install "regul[bench]")')


@dataclass(frozen=True)
class Run:
    solver: str
    routes: tuple[tuple[Visit, ...], ...]  # used vehicles only, depots included
    seconds: float
    verdict: Verdict


def run_search(bench: BenchmarkInstance, time_limit_s: float, seed: int, workers: int = 1) -> Run:
    """Régul's search; with several workers, a portfolio side by side, best kept.

    Worker k runs seed ``seed + k``, with the classic removals when k is even and string
    removals when it is odd: the classic family reaches the fewest vehicles more often, the
    strings shorten long routes much further (measured on Li & Lim's 200-task type-2 sets),
    and neither is ahead everywhere.
    """
    started = time.perf_counter()
    problem = bench.problem
    params = [
        SearchParams(time_limit_s, seed + k, removals="strings" if k % 2 else "classic")
        for k in range(max(1, workers))
    ]
    if len(params) == 1:
        solutions = [solve(problem, params[0])]
    else:
        with ProcessPoolExecutor(len(params)) as pool:
            solutions = list(pool.map(solve, [problem] * len(params), params))
    best = min(
        solutions, key=lambda s: (len(s.unassigned), s.vehicles * problem.vehicle_cost + s.distance)
    )
    seconds = time.perf_counter() - started
    routes = _visits(problem, best)
    return Run("regul", routes, seconds, verify(problem, routes))


def _visits(problem: PdpInstance, solution: Solution) -> tuple[tuple[Visit, ...], ...]:
    routes = []
    for vehicle, route in enumerate(solution.routes):
        if len(route) <= 2:
            continue
        times = solution.schedule(problem, vehicle)
        routes.append(tuple(Visit(int(n), float(t)) for n, t in zip(route, times, strict=True)))
    return tuple(routes)


def run_vroom(bench: BenchmarkInstance, time_limit_s: float, threads: int = 2) -> Run:
    """VROOM (pyvroom, exploration level 5) on the same instance and time budget.

    Times and costs are scaled to integers; travel times are rounded up so that VROOM's
    routes stay feasible at full precision, and its distance is recomputed exactly.
    """
    try:
        import vroom  # here: only this benchmark needs it, from the "bench" extra
    except ImportError:
        raise VroomMissing from None

    problem = bench.problem
    scale = VROOM_SCALE
    durations = np.ceil(problem.travel * scale).astype(np.uint32)
    costs = np.rint(problem.distance * scale).astype(np.uint32)
    solver = vroom.Input()
    solver.set_durations_matrix(profile="car", matrix_input=durations)
    solver.set_costs_matrix(profile="car", matrix_input=costs)
    horizon = vroom.TimeWindow(
        int(problem.early[problem.vehicle_start[0]] * scale),
        int(problem.late[problem.vehicle_end[0]] * scale),
    )
    fixed = int(problem.vehicle_cost * scale)
    for k in range(problem.vehicles):
        solver.add_vehicle(
            vroom.Vehicle(
                id=k,
                start=int(problem.vehicle_start[k]),
                end=int(problem.vehicle_end[k]),
                capacity=[int(c) for c in problem.capacity[k]],
                time_window=horizon,
                costs=vroom.VehicleCosts(fixed=fixed),
            )
        )
    for pickup, delivery in zip(problem.pickups, problem.deliveries, strict=True):
        solver.add_shipment(
            pickup=_step(problem, int(pickup), scale),
            delivery=_step(problem, int(delivery), scale),
            amount=vroom.Amount([int(q) for q in problem.load[pickup]]),
        )
    started = time.perf_counter()
    solution = solver.solve(
        exploration_level=5, nb_threads=threads, timeout=timedelta(seconds=time_limit_s)
    )
    seconds = time.perf_counter() - started
    routes = tuple(
        tuple(
            Visit(
                int(step["location_index"]), (step["arrival"] + step.get("waiting_time", 0)) / scale
            )
            for step in route["steps"]
        )
        for route in solution.to_dict()["routes"]
    )
    return Run("vroom", routes, seconds, verify(problem, routes))


def _step(problem: PdpInstance, node: int, scale: int) -> object:
    import vroom

    return vroom.ShipmentStep(
        id=node,
        location=node,
        default_service=int(np.rint(problem.service[node] * scale)),
        time_windows=[
            vroom.TimeWindow(int(problem.early[node] * scale), int(problem.late[node] * scale))
        ],
    )


def labelled(
    bench: BenchmarkInstance, routes: Sequence[Sequence[Visit]]
) -> list[list[dict[str, float | int]]]:
    """Routes as the benchmark output lists them: the file's node numbers and start times."""
    return [
        [{"node": int(bench.labels[v.node]), "start": round(v.start, 4)} for v in route]
        for route in routes
    ]
