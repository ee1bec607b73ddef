"""Planning a stored day: read it, solve it, check it, store it — and read a plan back."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from models.enums import MissionStatus
from models.enums import StopKind as StoredStopKind
from models.errors import ConflictError
from models.records import DayPlanRecord, Position, RouteRecord, StopRecord
from models.repositories.day import fleet_on, open_requests
from models.repositories.missions import excluded_vehicles, live_missions, missions_of_day
from models.repositories.plans import day_plan, lock_day_plan, replace_day_plan
from models.session import Database
from models.timezone import PARIS, to_paris
from planning.checker import Violation, check
from planning.kpis import plan_kpis, route_km, solo_baseline, stop_point
from planning.model import Problem
from planning.optimiser import Progress, SolveParams, solve
from planning.osrm import OsrmTravel
from planning.osrm_cache import OsrmCache
from planning.plan import Plan, Route, Stop, StopKind
from planning.plan_costs import plan_costs
from planning.travel import CrowFliesTravel, Travel
from regul.centre import centre_departement
from regul.planning_input import PlanningInput, problem_from_records


@dataclass(frozen=True)
class DayPlanning:
    problem: Problem
    plan: Plan
    kpis: dict[str, Any]
    violations: list[Violation]


def load_problem(db: Database, day: date) -> PlanningInput:
    """The day's open requests and fleet, each request kept off the vehicles whose carrier
    refused it or let its proposal expire."""
    with db.reader() as session:
        requests = open_requests(session, day)
        vehicles, carriers = fleet_on(session, day)
        excluded = excluded_vehicles(session, day)
        home = centre_departement(session)
    return problem_from_records(
        day, requests, vehicles, carriers, excluded=excluded, home_departement=home
    )


def travel_for(problem: Problem, osrm_url: str | None, road_cache: Path | None = None) -> Travel:
    """Road figures from the centre's OSRM server when one is set, else the estimate.

    ``road_cache`` is the folder where the server's figures are kept for the next runs.
    """
    if not osrm_url:
        return CrowFliesTravel(problem.rules.roads)
    return OsrmTravel(osrm_url, cache=OsrmCache(road_cache) if road_cache else None)


def stored_travel(
    problem: Problem, stored: DayPlanRecord | None, road_cache: Path | None = None
) -> Travel:
    """The distances a stored plan was made with (its OSRM server, else the estimate): the
    plan is checked and edited on the same figures it was planned on."""
    osrm_url = stored.solver_params.get("osrm_url") if stored is not None else None
    return travel_for(problem, str(osrm_url) if osrm_url else None, road_cache)


def plan_day(
    db: Database,
    day: date,
    params: SolveParams,
    actor: str,
    progress: Progress | None = None,
    osrm_url: str | None = None,
    road_cache: Path | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> DayPlanning:
    """Plan the day anew, keeping the routes and assignments the regulator locked.

    ``should_stop`` ends the search early (the console's Cancel): the best plan found so far
    is kept and stored like any other.
    """
    planning_input = load_problem(db, day)
    with db.reader() as session:
        previous = day_plan(session, day)
        held = {rid: m.vehicle_plate for rid, m in live_missions(session, day).items()}
    locks = _locks(planning_input.problem, previous, held)
    problem = locks.problem
    travel = travel_for(problem, osrm_url, road_cache)
    result = solve(problem, travel, params, progress, should_stop, locked=locks.routes)
    plan = Plan(result.plan.routes, {**result.plan.unassigned, **planning_input.unplannable})
    kpis = _kpis(problem, result.plan, len(planning_input.unplannable), travel)
    kpis["time_limit_s"] = params.time_limit_s
    record = _record(day, problem, plan, travel, kpis, _solver_params(params, problem, osrm_url))
    record = replace(
        record,
        routes=tuple(
            replace(route, locked=route.vehicle_plate in locks.vehicles) for route in record.routes
        ),
        locked_requests=locks.pinned,
    )
    with db.transaction(actor) as session:
        # a desk that edited the plan during the run is not overwritten
        lock_day_plan(session, day, previous.version if previous else 0)
        _keeps_done_trips(session, record, previous)
        replace_day_plan(session, record, previous.version if previous else 0)
    violations = check(problem, result.plan, travel)
    return DayPlanning(problem, plan, kpis, violations)


def store_edited_plan(
    db: Database,
    day: date,
    plan: Plan,
    expected_version: int,
    actor: str,
    locked_requests: frozenset[str] = frozenset(),
    locked_routes: frozenset[str] = frozenset(),
    road_cache: Path | None = None,
    detail: str | None = None,
    within: Callable[[Session], None] | None = None,
    leaving: frozenset[str] = frozenset(),
) -> DayPlanning:
    """Store a plan the regulator edited by hand, made from the stored plan at
    ``expected_version``: another desk's plan stored since is not overwritten
    (:class:`ConflictError`). Its KPIs and violations come from the same functions as an
    optimised plan's; a plan that breaks rules is stored all the same, with its violations.

    ``detail`` says what the edit was, for the audit log; ``within`` writes what must commit
    with the plan (a cancellation, a mission's answer); ``leaving`` are requests it takes off
    the day (cancelled), which the plan no longer mentions."""
    planning_input = load_problem(db, day)
    problem = planning_input.problem
    if leaving:
        problem = replace(
            problem, requests=tuple(r for r in problem.requests if r.id not in leaving)
        )
    with db.reader() as session:
        previous = day_plan(session, day)
    params = dict(previous.solver_params) if previous is not None else {}
    travel = stored_travel(problem, previous, road_cache)
    known = {r.id for r in problem.requests}
    on_routes = {rid for route in plan.routes for rid in route.requests}
    waiting = {rid: "non planifiée" for rid in known - on_routes}
    served = Plan(
        plan.routes, {**waiting, **{k: v for k, v in plan.unassigned.items() if k in known}}
    )
    unplannable = {k: v for k, v in planning_input.unplannable.items() if k not in leaving}
    whole = Plan(plan.routes, {**served.unassigned, **unplannable})
    kpis = _kpis(problem, served, len(unplannable), travel)
    params["edited_by_hand"] = True
    record = replace(
        _record(day, problem, whole, travel, kpis, params),
        locked_requests=locked_requests,
    )
    record = replace(
        record,
        routes=tuple(replace(r, locked=r.vehicle_plate in locked_routes) for r in record.routes),
    )
    with db.transaction(actor) as session:
        lock_day_plan(session, day, expected_version)  # first: see lock_day_plan
        if within is not None:
            within(session)
        _keeps_done_trips(session, record, previous)
        replace_day_plan(session, record, expected_version, "edit", detail)
    return DayPlanning(problem, whole, kpis, check(problem, served, travel))


def _keeps_done_trips(
    session: Session, record: DayPlanRecord, previous: DayPlanRecord | None
) -> None:
    """Refuse a plan that moves a trip away from the vehicle that carried it out: made from a
    view read before its carrier marked it done, it would silently contradict what happened.
    ``previous`` is the stored plan it replaces (its lock is held): a trip it already had
    elsewhere (moved while only accepted) may stay there or go back, as the push asks."""
    planned, before = _vehicles_of(record), _vehicles_of(previous)
    for mission in missions_of_day(session, record.service_date, statuses=(MissionStatus.DONE,)):
        now_on = planned.get(mission.request_id)
        if now_on != mission.vehicle_plate and now_on != before.get(mission.request_id):
            raise ConflictError(
                f"{mission.request_id} a été effectué entre-temps par {mission.carrier_name} "
                f"({mission.vehicle_plate}) : le plan est rechargé, refaites la modification "
                "sans déplacer ce trajet"
            )


def _vehicles_of(record: DayPlanRecord | None) -> dict[str, str]:
    if record is None:
        return {}
    return {
        stop.request_external_id: route.vehicle_plate
        for route in record.routes
        for stop in route.stops
        if stop.request_external_id
    }


@dataclass(frozen=True)
class _Locks:
    problem: Problem  # with locked assignments pinned to their vehicle
    routes: tuple[Route, ...]  # locked routes, without requests no longer open
    vehicles: frozenset[str]
    pinned: frozenset[str]


def _locks(problem: Problem, previous: DayPlanRecord | None, held: Mapping[str, str]) -> _Locks:
    """What re-planning keeps: locked routes, locked assignments, and each trip a carrier
    holds (proposed, accepted or done) on that carrier's vehicle, so that an optimisation after
    a push re-plans the rest instead of taking trips back from carriers."""
    fleet = {v.id for v in problem.vehicles}
    excluded = {r.id: r.excluded_vehicles for r in problem.requests}
    held_pins = {
        rid: plate
        for rid, plate in held.items()
        if rid in excluded and plate in fleet and plate not in excluded[rid]
    }
    if previous is None:
        return _pinned(problem, (), held_pins, frozenset())
    stored = stored_plan(previous)
    routes = tuple(
        route.keeping(excluded)  # the requests still open
        for route, record in zip(stored.routes, previous.routes, strict=True)
        if record.locked and route.vehicle in fleet
    )
    on_vehicle = {rid: route.vehicle for route in stored.routes for rid in route.requests}
    pinned = {
        rid: on_vehicle[rid]
        for rid in previous.locked_requests
        if rid in excluded and rid in on_vehicle and on_vehicle[rid] not in excluded[rid]
    }
    return _pinned(problem, routes, {**pinned, **held_pins}, frozenset(pinned))


def _pinned(
    problem: Problem,
    routes: tuple[Route, ...],
    pins: Mapping[str, str],
    locked: frozenset[str],
) -> _Locks:
    requests = tuple(
        replace(r, vehicle=pins[r.id]) if r.id in pins else r for r in problem.requests
    )
    return _Locks(
        replace(problem, requests=requests),
        routes,
        frozenset(route.vehicle for route in routes),
        locked,
    )


def check_day(
    db: Database, day: date, road_cache: Path | None = None
) -> tuple[Problem, Plan, list[Violation]] | None:
    """The stored plan against today's data and rules (None when the day has no plan)."""
    planning_input = load_problem(db, day)
    with db.reader() as session:
        stored = day_plan(session, day)
    if stored is None:
        return None
    problem = planning_input.problem
    plan = stored_plan(stored)
    # Requests that cannot be planned at all are not the plan's fault: leave them out here.
    plan = Plan(
        plan.routes,
        {k: v for k, v in plan.unassigned.items() if k not in planning_input.unplannable},
    )
    return problem, plan, check(problem, plan, stored_travel(problem, stored, road_cache))


def stored_plan(record: DayPlanRecord) -> Plan:
    midnight = datetime.combine(record.service_date, time(0), tzinfo=PARIS)
    routes = tuple(
        Route(
            route.vehicle_plate,
            tuple(
                Stop(
                    StopKind(stop.kind.value),
                    round((to_paris(stop.planned_at) - midnight).total_seconds()),
                    stop.request_external_id,
                )
                for stop in route.stops
            ),
        )
        for route in record.routes
    )
    return Plan(routes, dict(record.unserved))


def _kpis(problem: Problem, served: Plan, unplannable: int, travel: Travel) -> dict[str, Any]:
    """The KPIs of ``served`` (a plan of the plannable requests) beside the solo baseline."""
    kpis = plan_kpis(problem, served, travel).as_dict()
    baseline = solo_baseline(problem, travel)
    kpis["unplannable"] = unplannable
    kpis["solo_baseline"] = {
        "total_km": baseline.total_km,
        "empty_km": baseline.empty_km,
        "empty_km_share": baseline.empty_km_share,
    }
    kpis["km_vs_solo"] = (
        round(kpis["total_km"] / baseline.total_km, 3) if baseline.total_km else None
    )
    costs = plan_costs(problem, served, travel)
    kpis["cost"] = {
        "billed_eur": costs.billed_eur,
        "insurer_pays_eur": costs.insurer_pays_eur,
        "solo_billed_eur": costs.solo_billed_eur,
        "solo_insurer_pays_eur": costs.solo_insurer_pays_eur,
        "tariffs_partly_unverified": costs.unverified,
        "carriers_billing": len(costs.revenue_by_carrier),
    }
    return kpis


def _solver_params(params: SolveParams, problem: Problem, osrm_url: str | None) -> dict[str, Any]:
    return {
        "time_limit_s": params.time_limit_s,
        "rules": problem.rules.version,
        "travel": "OSRM" if osrm_url else "great-circle × road factor",
        "osrm_url": osrm_url,
    }


def _record(
    day: date,
    problem: Problem,
    plan: Plan,
    travel: Travel,
    kpis: dict[str, Any],
    solver_params: dict[str, Any],
) -> DayPlanRecord:
    midnight = datetime.combine(day, time(0), tzinfo=PARIS)
    routes = []
    for route in plan.routes:
        vehicle = problem.vehicle(route.vehicle)
        stops = []
        for stop in route.stops:
            point = stop_point(problem, vehicle, stop)
            stops.append(
                StopRecord(
                    kind=StoredStopKind(stop.kind.value),
                    planned_at=midnight + timedelta(seconds=stop.time),
                    position=Position(point.lat, point.lon),
                    request_external_id=stop.request,
                )
            )
        total, loaded = route_km(problem, route, travel)
        routes.append(
            RouteRecord(
                vehicle.id, tuple(stops), round(total * 1000), round((total - loaded) * 1000)
            )
        )
    return DayPlanRecord(
        service_date=day,
        routes=tuple(routes),
        unserved=plan.unassigned,
        kpis=kpis,
        solver_params=solver_params,
    )
