"""The department day as a pickup-and-delivery instance, improved by the large-neighbourhood
search (``planning.lns``) from another solver's plan.

Each request is a pickup node and a drop-off node; vehicles that share a base and a shift
share a start node and an end node whose windows are the shift. Distances are road km, times
whole seconds. The rules come from ``planning.formulation``, as for the OR-Tools model: kind
and places, who may share, the windows, ride limits in km and time, and a VSL's spacing
between pickups.

With a weight on the insurer's euros, each passenger's fare (``planning.fare_table``) joins
the km in the objective, so that a shared ride's discount counts for what it saves the
Assurance Maladie and not only through the km it saves.

A patient's early arrival at the care site plus the wait for the return may not exceed the
day's allowance. The search places one trip at a time, so the allowance is split between the
two trips as the starting plan spends it (half each when neither is planned).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planning.fare_table import fare_table
from planning.formulation import (
    capacity,
    demand,
    may_carry,
    ride_limits,
    service_s,
    spent_waits,
    why_unserved,
    windows,
)
from planning.lns.instance import PdpInstance
from planning.lns.search import Progress, SearchParams, Solution, solve
from planning.model import Direction, Kind, Point, Problem, Request
from planning.plan import Plan, Route, Stop, StopKind
from planning.travel import Travel

_LEAST_SEARCH_S = 1.0  # even when OR-Tools used the whole budget: leftovers get placed


@dataclass(frozen=True)
class DayInstance:
    """The instance, and how its nodes map back to the day."""

    instance: PdpInstance
    problem: Problem
    first_request_node: int  # pickups and drop-offs follow the vehicles' start and end nodes
    # pickups that may wait for the next stop: those of trips bound by an appointment only
    # (a return's pickup stays at its earliest, which is the patient's shortest wait)
    later: npt.NDArray[np.bool_]

    def settled(self, route: npt.NDArray[np.int64], times: npt.NDArray[np.float64]) -> None:
        """Earliest times made humane: such a pickup moves as late as the next stop allows,
        so the vehicle waits before it rather than with the patient aboard."""
        inst = self.instance
        for k in range(len(route) - 2, 0, -1):
            node, after = route[k], route[k + 1]
            if self.later[node]:
                latest = times[k + 1] - inst.service[node] - inst.travel[node, after]
                times[k] = max(times[k], min(latest, inst.late[node]))


def improve(
    problem: Problem,
    travel: Travel,
    plan: Plan,
    waits: dict[str, int],
    deadline: float,
    seed: int = 0,
    iterations: int | None = None,
    vehicle_cost_km: float = 15.0,
    rotation_km_per_trip: float = 0.0,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    insurer_km_per_eur: float = 0.0,
) -> Plan:
    """The best plan found by ``deadline`` (a ``time.monotonic()`` value; building the
    instance counts), starting from ``plan``, whose routes must all be free (none locked);
    a route of it that breaks a rule here is planned again.

    ``waits`` is what each request may still add to its patient's wait at the care site.
    ``rotation_km_per_trip`` weighs fair rotation among carriers: the km the plan may add to
    move one trip to a carrier short of its share (trips in proportion to vehicles on duty).
    ``insurer_km_per_eur`` weighs what the Assurance Maladie pays: the km the plan may add to
    save it one euro.
    """
    day = day_instance(
        problem, travel, plan, waits, vehicle_cost_km, rotation_km_per_trip, insurer_km_per_eur
    )
    start = _start_routes(day, plan)
    params = SearchParams(max(deadline - time.monotonic(), _LEAST_SEARCH_S), seed, iterations)
    solution = solve(day.instance, params, progress, should_stop, start=start)
    return _plan(day, solution)


def day_instance(
    problem: Problem,
    travel: Travel,
    plan: Plan,
    waits: dict[str, int],
    vehicle_cost_km: float,
    rotation_km_per_trip: float = 0.0,
    insurer_km_per_eur: float = 0.0,
) -> DayInstance:
    rules = problem.rules
    requests, vehicles = problem.requests, problem.vehicles
    shifts: dict[tuple[Point, int, int], int] = {}
    for vehicle in vehicles:
        shifts.setdefault((vehicle.base, vehicle.shift_start, vehicle.shift_end), len(shifts))
    first = 2 * len(shifts)
    points: list[Point] = [base for (base, _, _) in shifts for _ in (0, 1)]
    for request in requests:
        points += [request.pickup, request.dropoff]
    # single precision halves a day's matrices (4,000 nodes: 64 MB each); sums stay double
    km, seconds = travel.matrices(points, np.float32)
    nodes = len(points)
    early = np.zeros(nodes)
    late = np.zeros(nodes)
    for (_, start, end), group in shifts.items():
        early[2 * group : 2 * group + 2] = start
        late[2 * group : 2 * group + 2] = end
    service = np.zeros(nodes)
    load = np.zeros((nodes, 5), dtype=np.int64)
    ride_time = np.zeros(len(requests))
    ride_km = np.zeros(len(requests))
    allowances = _split_allowances(problem, plan, waits)
    for index, request in enumerate(requests):
        pickup, dropoff = first + 2 * index, first + 2 * index + 1
        service[pickup] = service_s(rules, request, pickup=True)
        service[dropoff] = service_s(rules, request, pickup=False)
        (early[pickup], late[pickup]), (early[dropoff], late[dropoff]) = windows(
            rules, request, allowances[request.id]
        )
        amounts = demand(rules, request)
        load[pickup], load[dropoff] = amounts, [-a for a in amounts]
        ride_km[index], ride_time[index] = ride_limits(
            rules, request, float(km[pickup, dropoff]), float(seconds[pickup, dropoff])
        )
    groups = np.array(
        [shifts[(v.base, v.shift_start, v.shift_end)] for v in vehicles], dtype=np.int64
    )
    spacing = rules.vsl_max_km_between_pickups
    carriers = {c: k for k, c in enumerate(dict.fromkeys(v.carrier for v in vehicles))}
    owners = np.array([carriers[v.carrier] for v in vehicles], dtype=np.int64)
    fares = fare_table(problem, travel, vehicles) if insurer_km_per_eur > 0 else None
    instance = PdpInstance(
        name=f"journée du {problem.day.isoformat()}",
        distance=km,
        travel=seconds,
        service=service,
        early=early,
        late=late,
        load=load,
        pickups=first + 2 * np.arange(len(requests), dtype=np.int64),
        deliveries=first + 2 * np.arange(len(requests), dtype=np.int64) + 1,
        ride_limit=ride_time,
        vehicle_start=2 * groups,
        vehicle_end=2 * groups + 1,
        capacity=np.array([capacity(rules, v) for v in vehicles], dtype=np.int64).reshape(-1, 5),
        max_duration=np.full(len(vehicles), np.inf),
        vehicle_cost=vehicle_cost_km,
        ride_distance=ride_km,
        pickup_spacing=np.array(
            [spacing if v.kind is Kind.VSL else np.inf for v in vehicles], dtype=np.float64
        ),
        allowed=_allowed(problem),
        owner=owners,
        owner_share=np.bincount(owners) / len(vehicles),
        rotation_weight=rotation_km_per_trip,
        fare=None if fares is None else fares.fare,
        fare_class=None if fares is None else fares.fare_class,
        fare_weight=insurer_km_per_eur,
    )
    later = np.zeros(nodes, dtype=np.bool_)
    for index, request in enumerate(requests):
        later[first + 2 * index] = request.appointment is not None and request.ready is None
    return DayInstance(instance, problem, first, later)


def _allowed(problem: Problem) -> npt.NDArray[np.bool_]:
    """Which vehicle may carry which request, asked once per kind of request."""
    rules, vehicles = problem.rules, problem.vehicles
    answers: dict[tuple[object, ...], npt.NDArray[np.bool_]] = {}
    rows = []
    for request in problem.requests:
        key = (request.mode, request.load, request.vehicle, request.excluded_vehicles)
        if key not in answers:
            answers[key] = np.array([may_carry(rules, request, v) for v in vehicles], dtype=bool)
        rows.append(answers[key])
    return np.array(rows, dtype=np.bool_).reshape(len(problem.requests), len(vehicles))


def _split_allowances(problem: Problem, plan: Plan, waits: dict[str, int]) -> dict[str, int]:
    """Each trip's share of its patient's wait allowance, so the two never exceed it together.

    A patient with an outbound trip (by appointment) and a return (from a ready time) has
    ``min`` of their two allowances to share: the planned trips keep the wait they have in
    ``plan``, the other trip gets the rest; unplanned, they get half each.
    """
    spent = spent_waits(problem, plan.routes)
    legs: dict[str, dict[Direction, Request]] = {}
    for request in problem.requests:
        legs.setdefault(request.patient, {})[request.direction] = request
    shares = dict(waits)
    for trips in legs.values():
        out, back = trips.get(Direction.OUTBOUND), trips.get(Direction.RETURN)
        if out is None or back is None or out.appointment is None or back.ready is None:
            continue
        allowance = min(waits[out.id], waits[back.id])
        if out.id in spent:
            shares[out.id] = spent[out.id]
            shares[back.id] = max(0, allowance - spent[out.id])
        elif back.id in spent:
            shares[back.id] = spent[back.id]
            shares[out.id] = max(0, allowance - spent[back.id])
        else:
            shares[out.id] = allowance // 2
            shares[back.id] = allowance - allowance // 2
    return shares


def _start_routes(day: DayInstance, plan: Plan) -> list[list[int]]:
    index = {r.id: k for k, r in enumerate(day.problem.requests)}
    by_vehicle = {route.vehicle: route for route in plan.routes}
    routes: list[list[int]] = []
    for vehicle in day.problem.vehicles:
        route = by_vehicle.get(vehicle.id)
        nodes: list[int] = []
        if route is not None:
            for stop in route.stops:
                if stop.request is None:
                    continue
                offset = 0 if stop.kind is StopKind.PICKUP else 1
                nodes.append(day.first_request_node + 2 * index[stop.request] + offset)
        routes.append(nodes)
    return routes


def _plan(day: DayInstance, solution: Solution) -> Plan:
    problem, instance = day.problem, day.instance
    routes: list[Route] = []
    served: set[str] = set()
    for k, vehicle in enumerate(problem.vehicles):
        nodes = solution.routes[k]
        if len(nodes) <= 2:
            continue
        times = solution.schedule(instance, k)
        day.settled(nodes, times)
        # leave as late as reaches the first stop on time; come back as soon as possible
        leave = times[1] - instance.travel[nodes[0], nodes[1]]
        stops = [Stop(StopKind.START, round(leave))]
        for node, when in zip(nodes[1:-1], times[1:-1], strict=True):
            request = problem.requests[(int(node) - day.first_request_node) // 2]
            pickup = (int(node) - day.first_request_node) % 2 == 0
            kind = StopKind.PICKUP if pickup else StopKind.DROPOFF
            stops.append(Stop(kind, round(when), request.id))
            served.add(request.id)
        stops.append(Stop(StopKind.END, round(times[-1])))
        routes.append(Route(vehicle.id, tuple(stops)))
    unassigned = {
        r.id: why_unserved(problem.rules, r, problem.vehicles)
        for r in problem.requests
        if r.id not in served
    }
    return Plan(tuple(routes), unassigned)
