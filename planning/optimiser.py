"""Routing a day with OR-Tools: chain rides per vehicle and share seated ones where allowed.

The rules are modelled here on their own, apart from the checker (``planning.checker``), which
validates whatever this returns. The model:

* one node per base (vehicles leave and return there) and two per request (pickup, drop-off);
  times in seconds, distances in metres;
* time windows: an outbound trip arrives at the care site within the allowed early arrival
  before the appointment; a return is picked up after the ready time; when a patient has both,
  the sum of the two waits is held to the day's allowance;
* capacity by kind of place, the kind's maximum of patients, and a patient who may not share
  riding alone;
* ride limits: on-board distance at most the direct distance plus the detour allowed for two
  patients (legal however many board), and on-board time likewise bounded, so vehicles wait
  before a pickup, not with a patient aboard;
* every request optional at a large penalty, a fixed cost per vehicle used, distance otherwise.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from planning.checker import check
from planning.day_search import improve
from planning.decompose import areas, leftovers
from planning.formulation import (
    DIMENSIONS,
    HORIZON_S,
    capacity,
    demand,
    may_carry,
    ride_limits,
    service_s,
    spent_waits,
    why_unserved,
    windows,
)
from planning.kpis import route_km
from planning.model import Direction, Point, Problem, Request
from planning.plan import Plan, Route, Stop, StopKind
from planning.travel import Travel

_LEFTOVER_SHARE = 0.2  # of the time, for what the areas could not serve
# Of an area's time, for the first search; repairs are short as they start from its plan, and
# their time is lost when nothing needs repair.
_FIRST_ROUND_SHARE = 0.85
_REPAIRED_BY_RIDING_ALONE = {"detour_limit", "vsl_pickup_spacing"}


@dataclass(frozen=True)
class SolveParams:
    time_limit_s: float = 30.0
    vehicle_fixed_cost_m: int = 15_000  # using one more vehicle weighs like 15 km
    unserved_penalty_m: int = 10_000_000
    repair_rounds: int = 2  # re-solves with the checker's detour breakers riding alone
    # Of the time, for the large-neighbourhood search (``planning.day_search``) that
    # improves OR-Tools' plan; at 1 it plans alone, from nothing.
    search_share: float = 1.0
    seed: int = 0
    # Iterations of the search: with a seed, the same plan every time (the time limit still
    # stops it first on a slow machine). OR-Tools is left out then, as it stops on time only.
    iterations: int | None = None
    # Fair rotation among carriers: km the plan may add to give one trip to a carrier short
    # of its share (trips in proportion to its vehicles on duty). 0: efficiency alone.
    rotation_km_per_trip: float = 0.0
    # What the Assurance Maladie pays, weighed against km: the km the plan may add to save it
    # one euro. 0: km alone.
    insurer_km_per_eur: float = 1.0

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")
        if not 0 <= self.search_share <= 1:
            raise ValueError("search_share must lie between 0 and 1")
        if self.rotation_km_per_trip < 0:
            raise ValueError("rotation_km_per_trip cannot be negative")
        if self.insurer_km_per_eur < 0:
            raise ValueError("insurer_km_per_eur cannot be negative")


class Progress(Protocol):
    def __call__(self, best_cost: int, served: int) -> None: ...


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    objective: int
    served: int


def solve(
    problem: Problem,
    travel: Travel,
    params: SolveParams | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    locked: Sequence[Route] = (),
) -> PlanResult:
    """The best plan found within the time limit (or until ``should_stop`` says so).

    ``locked`` routes (hand-made, locked by the regulator) are kept stop for stop: their
    vehicles and requests are planned around. A request pinned to a vehicle
    (``Request.vehicle``) is only given to that vehicle.

    The large-neighbourhood search (``planning.day_search``) plans the day. With a
    ``search_share`` below 1, OR-Tools first plans it for the rest of the time, cut into areas
    (``planning.decompose``) solved in turn, each with a share of the time in proportion to
    its requests, what they leave being offered to the vehicles none of them used; the search
    then starts from that plan.
    """
    params = params or SolveParams()
    waits = _wait_allowances(problem, locked)
    kept_vehicles = {route.vehicle for route in locked}
    kept_requests = {rid for route in locked for rid in route.requests}
    free = replace(
        problem,
        requests=tuple(r for r in problem.requests if r.id not in kept_requests),
        vehicles=tuple(v for v in problem.vehicles if v.id not in kept_vehicles),
    )
    deadline = time.monotonic() + params.time_limit_s
    share = 1.0 if params.iterations is not None else params.search_share
    if share < 1:
        first = replace(params, time_limit_s=params.time_limit_s * (1 - share))
        result = _solve_free(free, problem, locked, travel, first, waits, progress, should_stop)
    else:
        waiting = {r.id: "planification interrompue avant d'avoir commencé" for r in free.requests}
        result = PlanResult(Plan((), waiting), 0, 0)
    if share > 0 and free.requests:  # stopped, it still places what it can, once
        result = _improved(free, travel, params, deadline, result, waits, progress, should_stop)
    plan = Plan((*locked, *result.plan.routes), result.plan.unassigned)
    return PlanResult(plan, result.objective, result.served + len(kept_requests))


def _improved(
    problem: Problem,
    travel: Travel,
    params: SolveParams,
    deadline: float,
    result: PlanResult,
    waits: dict[str, int],
    progress: Progress | None,
    should_stop: Callable[[], bool] | None,
) -> PlanResult:
    """The search's plan, from ``result``'s (OR-Tools', or none), checked like any other."""

    def report(km: float, served: int) -> None:
        if progress is not None:
            progress(round(km * 1000), served)

    plan = improve(
        problem,
        travel,
        result.plan,
        waits,
        deadline,
        params.seed,
        params.iterations,
        params.vehicle_fixed_cost_m / 1000,
        params.rotation_km_per_trip,
        report,
        should_stop,
        params.insurer_km_per_eur,
    )
    served = sum(len(route.requests) for route in plan.routes)
    objective = round(
        sum(route_km(problem, route, travel)[0] for route in plan.routes) * 1000
        + params.vehicle_fixed_cost_m * len(plan.routes)
        + params.unserved_penalty_m * len(plan.unassigned)
    )
    return _without_breaches(problem, travel, PlanResult(plan, objective, served))


def _solve_free(
    problem: Problem,
    whole: Problem,
    locked: Sequence[Route],
    travel: Travel,
    params: SolveParams,
    waits: dict[str, int],
    progress: Progress | None,
    should_stop: Callable[[], bool] | None,
) -> PlanResult:
    """The day without its locked routes: in one piece, or area by area."""
    parts = areas(problem)
    if len(parts) == 1:
        return _solve_area(problem, travel, params, waits, progress, should_stop)
    budget = params.time_limit_s * (1 - _LEFTOVER_SHARE)
    results: list[PlanResult] = []
    for part in parts:
        if should_stop is not None and should_stop():
            break
        share = budget * len(part.requests) / len(problem.requests)
        already = sum(r.served for r in results)
        results.append(
            _solve_area(
                part,
                travel,
                replace(params, time_limit_s=max(share, 1.0)),
                waits,
                _offset(progress, already),
                should_stop,
            )
        )
    rest = leftovers(problem, [r.plan for r in results])
    if rest.requests and rest.vehicles and not (should_stop and should_stop()):
        already = sum(r.served for r in results)
        # What the areas served is now as fixed as a locked route for the patients' waits.
        served = [*locked, *(route for r in results for route in r.plan.routes)]
        results.append(
            _solve_area(
                rest,
                travel,
                replace(params, time_limit_s=params.time_limit_s * _LEFTOVER_SHARE),
                _wait_allowances(whole, served),
                _offset(progress, already),
                should_stop,
            )
        )
    return _merged(problem, results)


def _wait_allowances(problem: Problem, fixed: Sequence[Route]) -> dict[str, int]:
    """The most each request may add to its patient's wait at the care site.

    The day's whole allowance, less what a trip of the same patient already planned in
    ``fixed`` routes (locked, or served by an earlier pass) makes the patient wait. When both
    trips are planned together, the model holds their sum to the allowance itself.
    """
    total = problem.rules.max_total_wait_minutes * 60
    spent = {  # patient → wait fixed by a planned trip
        problem.request(rid).patient: wait for rid, wait in spent_waits(problem, fixed).items()
    }
    return {r.id: max(0, total - spent.get(r.patient, 0)) for r in problem.requests}


def _merged(problem: Problem, results: list[PlanResult]) -> PlanResult:
    routes = tuple(route for result in results for route in result.plan.routes)
    served = {rid for route in routes for rid in route.requests}
    reasons: dict[str, str] = {}
    for result in results:
        reasons.update(result.plan.unassigned)
    unassigned = {
        r.id: reasons.get(r.id, "non planifiée") for r in problem.requests if r.id not in served
    }
    return PlanResult(Plan(routes, unassigned), sum(r.objective for r in results), len(served))


def _offset(progress: Progress | None, already: int) -> Progress | None:
    if progress is None:
        return None

    def shifted(best_cost: int, served: int) -> None:
        progress(best_cost, already + served)

    return shifted


def _solve_area(
    problem: Problem,
    travel: Travel,
    params: SolveParams,
    waits: dict[str, int],
    progress: Progress | None,
    should_stop: Callable[[], bool] | None,
) -> PlanResult:
    solo: frozenset[str] = frozenset()
    first_share = _FIRST_ROUND_SHARE if params.repair_rounds else 1.0
    budget = params.time_limit_s * first_share
    result, hint = _Model(problem, travel, params, waits, solo).run(
        budget, None, progress, should_stop
    )
    for _ in range(params.repair_rounds):
        # The model does not know the VSL pickup spacing, nor detours once a stop is taken out;
        # the checker does. Patients it finds over those limits ride alone from now on,
        # starting from the plan found so far without them.
        over = {
            v.request
            for v in check(problem, result.plan, travel)
            if v.rule in _REPAIRED_BY_RIDING_ALONE and v.request
        }
        if not over or (should_stop is not None and should_stop()):
            break
        solo |= over
        budget = params.time_limit_s * (1 - first_share) / params.repair_rounds
        model = _Model(problem, travel, params, waits, solo)
        result, hint = model.run(budget, model.without(hint, over), progress, should_stop)
    return _without_breaches(problem, travel, result)


def _without_breaches(problem: Problem, travel: Travel, result: PlanResult) -> PlanResult:
    """Take out of the plan any shared trip still over the exact limits, saying why.

    Removing a stop never makes the rest of a route later (roads obey the triangle
    inequality), so what remains stays on time; it can bring two far pickups next to each
    other in a VSL, hence the loop until nothing is over.
    """
    while True:
        over = {
            v.request: v.message
            for v in check(problem, result.plan, travel)
            if v.rule in _REPAIRED_BY_RIDING_ALONE and v.request
        }
        if not over:
            return result
        routes = []
        for route in result.plan.routes:
            stops = tuple(s for s in route.stops if s.request not in over)
            if any(s.request for s in stops):
                routes.append(Route(route.vehicle, stops))
        unassigned = dict(result.plan.unassigned)
        unassigned.update(
            {
                rid: f"retiré d'un trajet partagé non conforme ({why}) : à replanifier"
                for rid, why in over.items()
            }
        )
        result = PlanResult(
            Plan(tuple(routes), unassigned), result.objective, result.served - len(over)
        )


class _Model:
    def __init__(
        self,
        problem: Problem,
        travel: Travel,
        params: SolveParams,
        waits: dict[str, int],
        solo: frozenset[str],
    ) -> None:
        self.problem = problem
        self.waits = waits
        self.solo = solo
        self.params = params
        self.rules = problem.rules
        self.requests = problem.requests
        self.vehicles = problem.vehicles
        bases = list(dict.fromkeys(v.base for v in self.vehicles))
        self.base_node = {base: i for i, base in enumerate(bases)}
        points: list[Point] = [*bases]
        for request in self.requests:
            points += [request.pickup, request.dropoff]
        self.points = points
        km, seconds = travel.matrices(points)
        self.metres = np.rint(km * 1000).astype(np.int64)
        self.seconds = seconds.astype(np.int64)
        self.service = np.zeros(len(points), dtype=np.int64)
        for index, request in enumerate(self.requests):
            self.service[self._pickup(index)] = service_s(self.rules, request, pickup=True)
            self.service[self._dropoff(index)] = service_s(self.rules, request, pickup=False)

    def _pickup(self, index: int) -> int:
        return len(self.base_node) + 2 * index

    def _dropoff(self, index: int) -> int:
        return len(self.base_node) + 2 * index + 1

    def without(self, routes: list[list[int]], requests: set[str]) -> list[list[int]]:
        """Routes (as nodes) with these requests taken out, to start the next search from."""
        dropped = {
            node
            for index, request in enumerate(self.requests)
            if request.id in requests
            for node in (self._pickup(index), self._dropoff(index))
        }
        return [[node for node in route if node not in dropped] for route in routes]

    def run(
        self,
        time_limit_s: float,
        hint: list[list[int]] | None,
        progress: Progress | None,
        should_stop: Callable[[], bool] | None,
    ) -> tuple[PlanResult, list[list[int]]]:
        depots = [self.base_node[v.base] for v in self.vehicles]
        manager = pywrapcp.RoutingIndexManager(len(self.points), len(self.vehicles), depots, depots)
        routing = pywrapcp.RoutingModel(manager)
        distance = routing.RegisterTransitMatrix(self.metres.tolist())
        routing.SetArcCostEvaluatorOfAllVehicles(distance)
        routing.SetFixedCostOfAllVehicles(self.params.vehicle_fixed_cost_m)
        timing = (self.seconds + self.service[:, None]).tolist()
        time_cb = routing.RegisterTransitMatrix(timing)
        routing.AddDimension(time_cb, HORIZON_S, HORIZON_S, False, "time")
        routing.AddDimension(distance, 0, 10_000_000, True, "distance")
        time_dim = routing.GetDimensionOrDie("time")
        distance_dim = routing.GetDimensionOrDie("distance")
        self._capacities(routing)
        solver = routing.solver()
        for index, request in enumerate(self.requests):
            pickup = manager.NodeToIndex(self._pickup(index))
            dropoff = manager.NodeToIndex(self._dropoff(index))
            routing.AddPickupAndDelivery(pickup, dropoff)
            solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(dropoff))
            solver.Add(time_dim.CumulVar(pickup) <= time_dim.CumulVar(dropoff))
            routing.AddDisjunction([pickup, dropoff], self.params.unserved_penalty_m, 2)
            allowed = [i for i, v in enumerate(self.vehicles) if may_carry(self.rules, request, v)]
            # -1 is "not served". (SetAllowedVehiclesForIndex's binding is broken in 9.15.)
            routing.VehicleVar(pickup).SetValues([-1, *allowed])
            self._windows(request, self.waits[request.id], time_dim, pickup, dropoff)
            self._ride_limits(index, request, time_dim, distance_dim, pickup, dropoff, solver)
        self._day_waits(manager, time_dim, solver)
        for number, vehicle in enumerate(self.vehicles):
            start, end = routing.Start(number), routing.End(number)
            time_dim.CumulVar(start).SetRange(vehicle.shift_start, vehicle.shift_end)
            time_dim.CumulVar(end).SetRange(vehicle.shift_start, vehicle.shift_end)
            # Leave as late as the day allows, come back as early as possible.
            routing.AddVariableMaximizedByFinalizer(time_dim.CumulVar(start))
            routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(end))
        for index in range(len(self.requests)):
            routing.AddVariableMinimizedByFinalizer(
                time_dim.CumulVar(manager.NodeToIndex(self._dropoff(index)))
            )
        if progress is not None or should_stop is not None:
            routing.AddAtSolutionCallback(
                lambda: self._on_solution(routing, manager, progress, should_stop)
            )
        search = pywrapcp.DefaultRoutingSearchParameters()
        search.first_solution_strategy = (
            routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
        )
        search.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        search.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
        start = None
        if hint is not None:
            routing.CloseModelWithParameters(search)
            start = routing.ReadAssignmentFromRoutes(hint, True)
        if start is not None:
            solution = routing.SolveFromAssignmentWithParameters(start, search)
        else:
            solution = routing.SolveWithParameters(search)
        if solution is None:
            return PlanResult(self._nothing_served(), 0, 0), []
        return self._plan(routing, manager, time_dim, solution), self._routes(
            routing, manager, solution
        )

    def _routes(
        self,
        routing: pywrapcp.RoutingModel,
        manager: pywrapcp.RoutingIndexManager,
        solution: pywrapcp.Assignment,
    ) -> list[list[int]]:
        routes = []
        for number in range(len(self.vehicles)):
            nodes = []
            index = solution.Value(routing.NextVar(routing.Start(number)))
            while not routing.IsEnd(index):
                nodes.append(manager.IndexToNode(index))
                index = solution.Value(routing.NextVar(index))
            routes.append(nodes)
        return routes

    def _capacities(self, routing: pywrapcp.RoutingModel) -> None:
        """Places by kind, patients per vehicle kind, and riding alone when sharing is barred
        (``planning.formulation.demand``)."""
        demands = np.zeros((len(DIMENSIONS), len(self.points)), dtype=np.int64)
        for index, request in enumerate(self.requests):
            amounts = demand(self.rules, request, self.solo)
            demands[:, self._pickup(index)] = amounts
            demands[:, self._dropoff(index)] = [-a for a in amounts]
        capacities = np.array([capacity(self.rules, v) for v in self.vehicles], dtype=np.int64)
        for dimension, name in enumerate(DIMENSIONS):
            callback = routing.RegisterUnaryTransitVector(demands[dimension].tolist())
            routing.AddDimensionWithVehicleCapacity(
                callback, 0, capacities[:, dimension].tolist(), True, name
            )

    def _day_waits(
        self,
        manager: pywrapcp.RoutingIndexManager,
        time_dim: pywrapcp.RoutingDimension,
        solver: pywrapcp.Solver,
    ) -> None:
        """A patient's early arrival plus wait for the return stays within the day's allowance.

        (appointment − arrival) + (return pickup − ready) ≤ allowance, written on the two
        time variables; each trip's own window already bounds it alone.
        """
        trips: dict[str, dict[Direction, int]] = {}
        for index, request in enumerate(self.requests):
            trips.setdefault(request.patient, {})[request.direction] = index
        for legs in trips.values():
            if Direction.OUTBOUND not in legs or Direction.RETURN not in legs:
                continue
            out, back = (
                self.requests[legs[Direction.OUTBOUND]],
                self.requests[legs[Direction.RETURN]],
            )
            if out.appointment is None or back.ready is None:
                continue
            allowance = min(self.waits[out.id], self.waits[back.id])
            arrival = time_dim.CumulVar(
                manager.NodeToIndex(self._dropoff(legs[Direction.OUTBOUND]))
            )
            pickup = time_dim.CumulVar(manager.NodeToIndex(self._pickup(legs[Direction.RETURN])))
            solver.Add(pickup - arrival <= allowance - out.appointment + back.ready)

    def _windows(
        self,
        request: Request,
        wait: int,
        time_dim: pywrapcp.RoutingDimension,
        pickup: int,
        dropoff: int,
    ) -> None:
        (pickup_from, pickup_to), (dropoff_from, dropoff_to) = windows(self.rules, request, wait)
        time_dim.CumulVar(pickup).SetRange(pickup_from, pickup_to)
        time_dim.CumulVar(dropoff).SetRange(dropoff_from, dropoff_to)

    def _ride_limits(
        self,
        index: int,
        request: Request,
        time_dim: pywrapcp.RoutingDimension,
        distance_dim: pywrapcp.RoutingDimension,
        pickup: int,
        dropoff: int,
        solver: pywrapcp.Solver,
    ) -> None:
        direct_m = int(self.metres[self._pickup(index), self._dropoff(index)])
        direct_s = int(self.seconds[self._pickup(index), self._dropoff(index)])
        most_km, most_s = ride_limits(self.rules, request, direct_m / 1000, direct_s, self.solo)
        solver.Add(
            distance_dim.CumulVar(dropoff) - distance_dim.CumulVar(pickup) <= round(most_km * 1000)
        )
        pickup_service = int(self.service[self._pickup(index)])
        solver.Add(
            time_dim.CumulVar(dropoff) - time_dim.CumulVar(pickup) <= pickup_service + round(most_s)
        )

    def _on_solution(
        self,
        routing: pywrapcp.RoutingModel,
        manager: pywrapcp.RoutingIndexManager,
        progress: Progress | None,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        if progress is not None:
            served = sum(
                1
                for index in range(len(self.requests))
                if routing.NextVar(manager.NodeToIndex(self._pickup(index))).Value()
                != manager.NodeToIndex(self._pickup(index))
            )
            progress(routing.CostVar().Value(), served)
        if should_stop is not None and should_stop():
            routing.solver().FinishCurrentSearch()

    def _plan(
        self,
        routing: pywrapcp.RoutingModel,
        manager: pywrapcp.RoutingIndexManager,
        time_dim: pywrapcp.RoutingDimension,
        solution: pywrapcp.Assignment,
    ) -> PlanResult:
        routes: list[Route] = []
        served: set[str] = set()
        first_request_node = len(self.base_node)
        for number, vehicle in enumerate(self.vehicles):
            index = routing.Start(number)
            if routing.IsEnd(solution.Value(routing.NextVar(index))):
                continue
            stops = [Stop(StopKind.START, solution.Value(time_dim.CumulVar(index)))]
            index = solution.Value(routing.NextVar(index))
            while not routing.IsEnd(index):
                node = manager.IndexToNode(index)
                request = self.requests[(node - first_request_node) // 2]
                kind = StopKind.PICKUP if (node - first_request_node) % 2 == 0 else StopKind.DROPOFF
                stops.append(Stop(kind, solution.Value(time_dim.CumulVar(index)), request.id))
                served.add(request.id)
                index = solution.Value(routing.NextVar(index))
            stops.append(Stop(StopKind.END, solution.Value(time_dim.CumulVar(index))))
            routes.append(Route(vehicle.id, tuple(stops)))
        unassigned = {r.id: self._why_unserved(r) for r in self.requests if r.id not in served}
        return PlanResult(Plan(tuple(routes), unassigned), solution.ObjectiveValue(), len(served))

    def _nothing_served(self) -> Plan:
        return Plan((), {r.id: self._why_unserved(r) for r in self.requests})

    def _why_unserved(self, request: Request) -> str:
        return why_unserved(self.rules, request, self.vehicles)
