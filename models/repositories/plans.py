"""Day plans: storing what the planner decided, reading it back for checks and exports."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.enums import StopKind
from models.errors import ConflictError
from models.fleet import Vehicle
from models.plans import Assignment, DayPlan, Route, Stop, UnservedRequest
from models.records import DayPlanRecord, Position, RouteRecord, StopRecord
from models.repositories.audit import record_action
from models.requests import TransportRequest
from models.timezone import now


def replace_day_plan(
    session: Session,
    record: DayPlanRecord,
    expected_version: int | None = None,
    action: str = "plan",
    detail: str | None = None,
) -> DayPlan:
    """Store the day's plan in place of the previous one.

    ``expected_version`` is the stored plan's version the new one was made from (0: there was
    none); if another desk stored a plan since, the new one is refused rather than written
    over it. What carriers were sent lives apart (``models.missions``): the next push compares
    this plan with it.
    """
    plan = lock_day_plan(session, record.service_date, expected_version)
    if plan is None:
        plan = DayPlan(service_date=record.service_date)
        session.add(plan)
    else:
        plan.routes.clear()
        plan.assignments.clear()
        plan.unserved.clear()
        session.flush()
    requests = {
        r.external_id: r
        for r in session.scalars(
            select(TransportRequest).where(TransportRequest.service_date == record.service_date)
        )
    }
    plates = {route.vehicle_plate for route in record.routes}
    vehicles = {
        v.plate: v for v in session.scalars(select(Vehicle).where(Vehicle.plate.in_(plates)))
    }
    plan.computed_at = now()
    plan.solver_params = dict(record.solver_params)
    plan.kpis = dict(record.kpis)
    with session.no_autoflush:
        _add_routes(plan, record, requests, vehicles)
    session.flush()
    summary = (
        f"plan du {record.service_date:%d/%m/%Y} : {len(record.routes)} tournées, "
        f"{len(record.unserved)} demandes non servies"
    )
    record_action(
        session, action, "day_plans", str(plan.id), f"{detail} ; {summary}" if detail else summary
    )
    return plan


def lock_day_plan(
    session: Session, service_date: date, expected_version: int | None = None
) -> DayPlan | None:
    """The day's stored plan, locked until the transaction ends, checked to be still at
    ``expected_version`` (0: none stored) when one is given.

    Every write that depends on the plan takes this lock first, before any other row: two
    desks storing plans (or pushing one) then queue on it instead of interleaving their
    deletes, the version they read is still the one they replace when they get it, and the
    locks are always taken in the same order (the plan, then requests, then missions), so
    they cannot deadlock.
    """
    plan = session.scalars(
        select(DayPlan).filter_by(service_date=service_date).with_for_update()
    ).one_or_none()
    stored_version = plan.version if plan is not None else 0
    if expected_version is not None and stored_version != expected_version:
        raise ConflictError(
            f"le plan du {service_date:%d/%m/%Y} a été modifié par un autre poste "
            f"(version {stored_version}, vous partiez de la {expected_version}) : il est "
            "rechargé, refaites la modification"
        )
    return plan


def _add_routes(
    plan: DayPlan,
    record: DayPlanRecord,
    requests: dict[str, TransportRequest],
    vehicles: dict[str, Vehicle],
) -> None:
    for route_record in record.routes:
        route = Route(
            vehicle=vehicles[route_record.vehicle_plate],
            distance_m=route_record.distance_m,
            empty_distance_m=route_record.empty_distance_m,
            locked=route_record.locked,
        )
        # through the plan's collection, so that the plan brings it into the session even
        # when nothing else refers to it (a broken-down vehicle's empty, locked route)
        plan.routes.append(route)
        for sequence, stop in enumerate(route_record.stops):
            request = requests[stop.request_external_id] if stop.request_external_id else None
            route.stops.append(
                Stop(
                    sequence=sequence,
                    kind=stop.kind,
                    request=request,
                    lat=stop.position.lat,
                    lon=stop.position.lon,
                    planned_at=stop.planned_at,
                )
            )
            if request is not None and stop.kind is StopKind.PICKUP:
                locked = stop.request_external_id in record.locked_requests
                plan.assignments.append(
                    Assignment(plan=plan, request=request, route=route, locked=locked)
                )
    for external_id, reason in record.unserved.items():
        plan.unserved.append(
            UnservedRequest(plan=plan, request=requests[external_id], reason=reason[:500])
        )


def day_plan(session: Session, service_date: date) -> DayPlanRecord | None:
    plan = session.scalars(
        select(DayPlan)
        .filter_by(service_date=service_date)
        .options(
            selectinload(DayPlan.routes).selectinload(Route.stops).selectinload(Stop.request),
            selectinload(DayPlan.routes).selectinload(Route.vehicle),
            selectinload(DayPlan.unserved).selectinload(UnservedRequest.request),
            selectinload(DayPlan.assignments).selectinload(Assignment.request),
        )
    ).one_or_none()
    if plan is None:
        return None
    routes = tuple(
        RouteRecord(
            vehicle_plate=route.vehicle.plate,
            stops=tuple(
                StopRecord(
                    kind=stop.kind,
                    planned_at=stop.planned_at,
                    position=Position(stop.lat, stop.lon),
                    request_external_id=stop.request.external_id if stop.request else None,
                )
                for stop in route.stops
            ),
            distance_m=route.distance_m,
            empty_distance_m=route.empty_distance_m,
            locked=route.locked,
        )
        for route in plan.routes
    )
    return DayPlanRecord(
        service_date=plan.service_date,
        routes=routes,
        unserved={u.request.external_id: u.reason for u in plan.unserved},
        kpis=plan.kpis,
        solver_params=plan.solver_params,
        locked_requests=frozenset(a.request.external_id for a in plan.assignments if a.locked),
        version=plan.version,
    )
