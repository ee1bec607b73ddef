"""A regulator's hand edits of a plan: move trips to a vehicle, take them out, move a stop,
hand back a broken-down vehicle's trips.

An edit does what was asked, legal or not. Where the rules allow it, moved trips go where they
add the least distance and every stop gets its earliest legal time; where they do not, the
trips go in time order and the times only follow the driving, so the plan shows what was asked
and the checker (``planning.checker``, run on every plan) names what it breaks.

Each edit returns a new plan; the plan given is not changed, so an undo is the plan before.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from planning.checker import service_seconds
from planning.day_search import DayInstance, day_instance
from planning.formulation import spent_waits
from planning.kpis import stop_point
from planning.lns.kernels import earliest_schedule, route_feasible
from planning.model import Problem, Vehicle
from planning.plan import Plan, Route, Stop, StopKind
from planning.travel import Travel

BROKEN_DOWN = "véhicule {0} en panne : à replanifier"
TAKEN_OUT = "retirée à la main"


@dataclass(frozen=True)
class _Visit:
    request: str
    pickup: bool


def move_requests(
    problem: Problem, plan: Plan, request_ids: Sequence[str], vehicle_id: str, travel: Travel
) -> Plan:
    """The requests carried by ``vehicle_id``, keeping the order of their stops.

    They move as one block (a shared ride stays shared), put where the route stays legal at the
    least added distance; failing that, each at its own best legal place; failing that, the
    block goes where its first time falls in the route.
    """
    return BlockMove(problem, plan, request_ids, travel).onto(vehicle_id)


class BlockMove:
    """Requests taken off their routes once, to be tried on one vehicle after another (the
    next carrier's, when a proposal expires) without redoing the taking off each time."""

    def __init__(
        self, problem: Problem, plan: Plan, request_ids: Sequence[str], travel: Travel
    ) -> None:
        self.problem, self.plan, self.travel = problem, plan, travel
        self.moving = list(dict.fromkeys(request_ids))
        self.block = _block(plan, self.moving)
        self.stripped = _without(problem, plan, set(self.moving), travel)
        self.waits = _waits_by_patient(problem, self.stripped.routes)

    def onto(self, vehicle_id: str) -> Plan:
        """The block on this vehicle, legally if it can be (see ``move_requests``)."""
        day, current = self._day(vehicle_id)
        visits = (
            _best_block(day, current, self.block)
            or _one_by_one(day, current, self.moving)
            or _in_time_order(self.problem, current, self.block, self.stripped, vehicle_id)
        )
        return self._with(vehicle_id, _timed(day, visits))

    def fitting(self, vehicle_id: str) -> Plan | None:
        """The block on this vehicle, kept whole where the route stays legal at the least
        added distance; None when it does not fit there. (Threading a trip between the route's
        own stops as well costs 2.6 times as long for 0.2 % more trips placed, measured on a
        2,000-trip day whose every proposal expired.)"""
        day, current = self._day(vehicle_id)
        visits = _best_block(day, current, self.block)
        return self._with(vehicle_id, _timed(day, visits)) if visits is not None else None

    def _day(self, vehicle_id: str) -> tuple[DayInstance, list[_Visit]]:
        vehicle = self.problem.vehicle(vehicle_id)
        current = _visits(self.stripped, vehicle_id)
        visits = current + self.block
        return _instance(
            self.problem, self.stripped, vehicle, visits, self.travel, self.waits
        ), current

    def _with(self, vehicle_id: str, route: Route) -> Plan:
        routes = tuple(r for r in self.stripped.routes if r.vehicle != vehicle_id)
        moving = set(self.moving)
        unassigned = {k: v for k, v in self.stripped.unassigned.items() if k not in moving}
        return Plan(_in_plan_order(self.plan, (*routes, route)), unassigned)


def unassign(
    problem: Problem, plan: Plan, request_ids: Iterable[str], reason: str, travel: Travel
) -> Plan:
    """The requests back in the pool of those to plan, with why."""
    out = set(request_ids)
    stripped = _without(problem, plan, out, travel)
    return Plan(stripped.routes, {**stripped.unassigned, **{rid: reason for rid in out}})


def breakdown(problem: Problem, plan: Plan, vehicle_id: str, at: int, travel: Travel) -> Plan:
    """A vehicle out of service from ``at`` (seconds after midnight): the trips it had not
    picked up yet go back to planning; a patient already aboard is still dropped off.

    Its route stays in the plan, empty if nothing is left, so that locking it keeps the
    vehicle out of the next optimisation."""
    route = next((r for r in plan.routes if r.vehicle == vehicle_id), None)
    if route is None:
        return plan
    waiting = [
        s.request for s in route.stops if s.kind is StopKind.PICKUP and s.request and s.time >= at
    ]
    handed_back = unassign(problem, plan, waiting, BROKEN_DOWN.format(vehicle_id), travel)
    if any(r.vehicle == vehicle_id for r in handed_back.routes):
        return handed_back
    start = route.stops[0]
    stopped = Route(vehicle_id, (start, Stop(StopKind.END, max(at, start.time))))
    return Plan((*handed_back.routes, stopped), handed_back.unassigned)


def shift_stop(
    problem: Problem, plan: Plan, request_id: str, pickup: bool, seconds: int, travel: Travel
) -> Plan:
    """One stop ``seconds`` later (earlier if negative); the stops after it follow when the
    driving requires, the others keep their times."""
    for route in plan.routes:
        kind = StopKind.PICKUP if pickup else StopKind.DROPOFF
        index = next(
            (k for k, s in enumerate(route.stops) if s.request == request_id and s.kind is kind),
            None,
        )
        if index is None:
            continue
        vehicle = problem.vehicle(route.vehicle)
        stops = list(route.stops)
        stops[index] = replace(stops[index], time=max(0, stops[index].time + seconds))
        for k in range(index + 1, len(stops)):
            earliest = stops[k - 1].time + _leg_seconds(
                problem, vehicle, stops[k - 1], stops[k], travel
            )
            if stops[k].time < earliest:
                stops[k] = replace(stops[k], time=earliest)
        if index == 1:  # leave the base in time for the first stop
            stops[0] = replace(
                stops[0], time=stops[1].time - _drive(problem, vehicle, stops[0], stops[1], travel)
            )
        moved = Route(route.vehicle, tuple(stops))
        return Plan(tuple(moved if r is route else r for r in plan.routes), plan.unassigned)
    raise KeyError(f"{request_id} n'est sur aucun véhicule")


# -- the pieces ------------------------------------------------------------------------------


def _visits(plan: Plan, vehicle_id: str) -> list[_Visit]:
    for route in plan.routes:
        if route.vehicle == vehicle_id:
            return [
                _Visit(s.request, s.kind is StopKind.PICKUP)
                for s in route.stops
                if s.request is not None
            ]
    return []


def _block(plan: Plan, moving: Sequence[str]) -> list[_Visit]:
    """The moving requests' stops in the order they are driven now (by time across vehicles);
    an unplanned request is its pickup then its drop-off, after the others."""
    timed: list[tuple[int, int, _Visit]] = []
    for route in plan.routes:
        for order, stop in enumerate(route.stops):
            if stop.request is not None and stop.request in moving:
                visit = _Visit(stop.request, stop.kind is StopKind.PICKUP)
                timed.append((stop.time, order, visit))
    block = [visit for _, _, visit in sorted(timed, key=lambda t: (t[0], t[1]))]
    placed = {v.request for v in block}
    for rid in moving:
        if rid not in placed:
            block += [_Visit(rid, True), _Visit(rid, False)]
    return block


def _without(problem: Problem, plan: Plan, out: set[str], travel: Travel) -> Plan:
    """The plan with those requests taken off their routes, the routes they left retimed."""
    routes: list[Route] = []
    fleet = {v.id for v in problem.vehicles}
    for route in plan.routes:
        if not out.intersection(route.requests):
            routes.append(route)
            continue
        if route.vehicle not in fleet:  # off the day's fleet: nothing to retime it with
            kept = tuple(s for s in route.stops if s.request not in out)
            if any(s.request for s in kept):
                routes.append(Route(route.vehicle, kept))
            continue
        vehicle = problem.vehicle(route.vehicle)
        visits = [
            _Visit(s.request, s.kind is StopKind.PICKUP)
            for s in route.stops
            if s.request is not None and s.request not in out
        ]
        if visits:
            day = _instance(problem, plan, vehicle, visits, travel)
            routes.append(_timed(day, visits))
    unassigned = {k: v for k, v in plan.unassigned.items() if k not in out}
    return Plan(tuple(routes), unassigned)


def _instance(
    problem: Problem,
    plan: Plan,
    vehicle: Vehicle,
    visits: Sequence[_Visit],
    travel: Travel,
    planned_waits: Mapping[str, Sequence[tuple[str, int]]] | None = None,
) -> DayInstance:
    """One vehicle and the requests of ``visits``, with the waits their patients may still
    spend given the trips planned on the other vehicles. ``planned_waits``: the whole plan's
    (``_waits_by_patient``), when the caller has it already; this vehicle's own are left out."""
    ids = list(dict.fromkeys(v.request for v in visits))
    sub = replace(problem, requests=tuple(problem.request(rid) for rid in ids), vehicles=(vehicle,))
    own_route = next((r for r in plan.routes if r.vehicle == vehicle.id), None)
    if planned_waits is None:
        others = [r for r in plan.routes if r.vehicle != vehicle.id]
        planned_waits = _waits_by_patient(problem, others)
    on_own = set(own_route.requests) if own_route is not None else set()
    total = problem.rules.max_total_wait_minutes * 60
    spent = {
        r.patient: sum(w for rid, w in planned_waits.get(r.patient, ()) if rid not in on_own)
        for r in sub.requests
    }
    waits = {r.id: max(0, total - spent[r.patient]) for r in sub.requests}
    kept = set(ids)
    own = Plan(tuple(r.keeping(kept) for r in plan.routes if r.vehicle == vehicle.id))
    return day_instance(sub, travel, own, waits, vehicle_cost_km=0.0)


def _waits_by_patient(
    problem: Problem, routes: Sequence[Route]
) -> dict[str, list[tuple[str, int]]]:
    """Each patient's planned trips on ``routes`` with the wait each gives them."""
    found: dict[str, list[tuple[str, int]]] = {}
    for rid, wait in spent_waits(problem, routes).items():
        found.setdefault(problem.request(rid).patient, []).append((rid, wait))
    return found


def _nodes(day: DayInstance, visits: Sequence[_Visit]) -> np.ndarray:
    index = {r.id: k for k, r in enumerate(day.problem.requests)}
    inst = day.instance
    inner = [day.first_request_node + 2 * index[v.request] + (0 if v.pickup else 1) for v in visits]
    return np.array([inst.vehicle_start[0], *inner, inst.vehicle_end[0]], dtype=np.int64)


def _legal(day: DayInstance, visits: Sequence[_Visit]) -> bool:
    inst = day.instance
    route = _nodes(day, visits)
    loads = np.cumsum(inst.load[route], axis=0)
    if (loads > inst.capacity[0]).any():
        return False
    if not inst.fleet.allowed[:, 0].all():  # a request this vehicle may not carry at all
        return False
    times = np.empty(len(route))
    return bool(
        route_feasible(
            route, len(route), inst.network, float(inst.fleet.max_duration[0]),
            float(inst.fleet.pickup_spacing[0]), np.full(len(inst.service), -1, dtype=np.int64),
            times,
        )
    )  # fmt: skip


def _distance(day: DayInstance, visits: Sequence[_Visit]) -> float:
    route = _nodes(day, visits)
    return float(day.instance.distance[route[:-1], route[1:]].sum())


def _best_block(
    day: DayInstance, current: list[_Visit], block: list[_Visit]
) -> list[_Visit] | None:
    candidates = [current[:k] + block + current[k:] for k in range(len(current) + 1)]
    legal = [c for c in candidates if _legal(day, c)]
    return min(legal, key=lambda c: _distance(day, c)) if legal else None


def _one_by_one(
    day: DayInstance, current: list[_Visit], moving: Sequence[str]
) -> list[_Visit] | None:
    route = list(current)
    for rid in moving:
        pickup, dropoff = _Visit(rid, True), _Visit(rid, False)
        candidates = [
            [*route[:i], pickup, *route[i:j], dropoff, *route[j:]]
            for i in range(len(route) + 1)
            for j in range(i, len(route) + 1)
        ]
        legal = [c for c in candidates if _legal(day, c)]
        if not legal:
            return None
        route = min(legal, key=lambda c: _distance(day, c))
    return route


def _in_time_order(
    problem: Problem, current: list[_Visit], block: list[_Visit], plan: Plan, vehicle_id: str
) -> list[_Visit]:
    """The block where its first stop's time (or its patient's time) falls in the route."""
    times = {
        (s.request, s.kind is StopKind.PICKUP): s.time
        for r in plan.routes
        if r.vehicle == vehicle_id
        for s in r.stops
        if s.request
    }
    first = problem.request(block[0].request)
    when = first.ready if first.ready is not None else (first.appointment or 0) - 3600
    k = sum(1 for v in current if times.get((v.request, v.pickup), 0) <= when)
    return current[:k] + block + current[k:]


def _timed(day: DayInstance, visits: Sequence[_Visit]) -> Route:
    """The route with its earliest legal times, or, when none exist, times that only follow
    the driving and the windows' opening."""
    inst = day.instance
    route = _nodes(day, visits)
    times = np.empty(len(route))
    legal = earliest_schedule(
        route, len(route), inst.network, float(inst.fleet.max_duration[0]),
        np.full(len(inst.service), -1, dtype=np.int64), times,
    )  # fmt: skip
    if legal:
        day.settled(route, times)
    else:
        times[0] = inst.early[route[0]]
        for k in range(1, len(route)):
            a, b = route[k - 1], route[k]
            times[k] = max(times[k - 1] + inst.service[a] + inst.travel[a, b], inst.early[b])
    leave = times[1] - inst.travel[route[0], route[1]] if len(route) > 2 else times[0]
    stops = [Stop(StopKind.START, round(leave))]
    for visit, when in zip(visits, times[1:-1], strict=True):
        kind = StopKind.PICKUP if visit.pickup else StopKind.DROPOFF
        stops.append(Stop(kind, round(when), visit.request))
    stops.append(Stop(StopKind.END, round(times[-1])))
    return Route(day.problem.vehicles[0].id, tuple(stops))


def _in_plan_order(plan: Plan, routes: Iterable[Route]) -> tuple[Route, ...]:
    """Routes in the order the plan had them (colours on the map stay put), new ones last."""
    order = {r.vehicle: k for k, r in enumerate(plan.routes)}
    return tuple(
        sorted((r for r in routes if r.requests), key=lambda r: order.get(r.vehicle, len(order)))
    )


def _drive(problem: Problem, vehicle: Vehicle, a: Stop, b: Stop, travel: Travel) -> int:
    return travel.seconds(stop_point(problem, vehicle, a), stop_point(problem, vehicle, b))


def _leg_seconds(problem: Problem, vehicle: Vehicle, a: Stop, b: Stop, travel: Travel) -> int:
    """From the start of service at ``a`` to the earliest start at ``b``."""
    service = 0
    if a.request is not None:
        service = service_seconds(problem.request(a.request), a.kind, problem)
    return service + _drive(problem, vehicle, a, b, travel)
