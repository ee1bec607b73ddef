"""Removing past service days' patient data, keeping each day's anonymous statistics first.

Everything that names, locates or dates a patient goes: the days' transport requests and what
hangs on them (missions, plans with their routes and stops, assignments, unserved reasons), the
recurring series that ended, the patients left with neither a request nor a series, and the
geocoding answers (addresses) cached before the date. Reference data (establishments, carriers,
vehicles, users, import mappings) and the audit log stay: the log masks personal values
(``models.auditing``), and the database refuses to edit it.

Rows go by bulk statements, not one by one through the session: a year holds hundreds of
thousands of them, and the audit log gets one entry saying what was removed instead of one
per row.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Delete, Select, delete, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.base import Base
from models.enums import RequestStatus
from models.geocache import GeocodeCacheEntry
from models.missions import Mission
from models.patients import Patient
from models.plans import Assignment, DayPlan, Route, Stop, UnservedRequest
from models.requests import TransportRequest
from models.series import RequestSeries
from models.statistics import DayStatistics
from models.timezone import PARIS, now

# In the order they are removed: what points at a row goes before it.
PURGED = (
    Stop,
    Assignment,
    UnservedRequest,
    Route,
    DayPlan,
    Mission,
    TransportRequest,
    RequestSeries,
    Patient,
    GeocodeCacheEntry,
)
_COUNTED_BY: Mapping[str, InstrumentedAttribute[Any]] = {
    "by_direction": TransportRequest.direction,
    "by_mode": TransportRequest.prescribed_mode,
    "by_care_type": TransportRequest.care_type,
    "by_mobility": TransportRequest.mobility,
    "by_status": TransportRequest.status,
}

_SUMMED = (
    "requests",
    "cancelled",
    "sharing_compatible",
    "routes",
    "distance_m",
    "empty_distance_m",
)


@dataclass(frozen=True)
class DayFigures:
    """One day's anonymous figures, as ``day_statistics`` keeps them."""

    service_date: date
    requests: int
    cancelled: int
    sharing_compatible: int
    by_direction: dict[str, int]
    by_mode: dict[str, int]
    by_care_type: dict[str, int]
    by_mobility: dict[str, int]
    by_status: dict[str, int]
    missions_by_status: dict[str, int]
    routes: int
    distance_m: int
    empty_distance_m: int
    plan_kpis: dict[str, Any]


@dataclass(frozen=True)
class PurgeCounts:
    """What a purge removed (table → rows), and the figures of the days it kept."""

    removed: dict[str, int]
    days: tuple[DayFigures, ...]
    patients_kept: int  # patients of purged days who still have a later request or a series


def purge_before(session: Session, before: date, actor: str) -> PurgeCounts:
    """Keep the statistics of every service day before ``before``, then remove those days'
    patient data; the caller's transaction makes it all or nothing."""
    figures = day_figures(session, before)
    _keep(session, figures, actor)
    session.flush()
    old_requests = select(TransportRequest.id).where(TransportRequest.service_date < before)
    old_plans = select(DayPlan.id).where(DayPlan.service_date < before)
    old_routes = select(Route.id).where(Route.plan_id.in_(old_plans))
    touched = set(
        session.scalars(
            select(TransportRequest.patient_id).where(TransportRequest.service_date < before)
        )
    )
    removed: dict[str, int] = {}

    def remove(entity: type[Base], statement: Delete) -> None:
        result = session.execute(statement, execution_options={"synchronize_session": False})
        removed[entity.__tablename__] = result.rowcount  # type: ignore[attr-defined]

    remove(
        Stop,
        delete(Stop).where(or_(Stop.route_id.in_(old_routes), Stop.request_id.in_(old_requests))),
    )
    for entity in (Assignment, UnservedRequest):
        remove(
            entity,
            delete(entity).where(
                or_(entity.plan_id.in_(old_plans), entity.request_id.in_(old_requests))
            ),
        )
    remove(Route, delete(Route).where(Route.plan_id.in_(old_plans)))
    remove(DayPlan, delete(DayPlan).where(DayPlan.service_date < before))
    remove(
        Mission,
        delete(Mission).where(
            or_(Mission.service_date < before, Mission.request_id.in_(old_requests))
        ),
    )
    remove(TransportRequest, delete(TransportRequest).where(TransportRequest.service_date < before))
    remove(RequestSeries, delete(RequestSeries).where(RequestSeries.valid_until < before))
    still_riding = select(TransportRequest.patient_id).union(select(RequestSeries.patient_id))
    remove(Patient, delete(Patient).where(Patient.id.not_in(still_riding)))
    remove(
        GeocodeCacheEntry,
        delete(GeocodeCacheEntry).where(GeocodeCacheEntry.created_at < _start_of(before)),
    )
    kept = len(touched & set(session.scalars(select(Patient.id))))
    return PurgeCounts(
        {entity.__tablename__: removed[entity.__tablename__] for entity in PURGED},
        tuple(figures),
        kept,
    )


def day_figures(session: Session, before: date) -> list[DayFigures]:
    """The figures of every service day before ``before`` that has requests, missions or a
    plan, from what is stored now."""
    counts: dict[str, dict[date, Counter[str]]] = {}
    for name, column in _COUNTED_BY.items():
        counts[name] = _grouped(
            session,
            select(TransportRequest.service_date, column, func.count())
            .where(TransportRequest.service_date < before)
            .group_by(TransportRequest.service_date, column),
        )
    counts["missions_by_status"] = _grouped(
        session,
        select(Mission.service_date, Mission.status, func.count())
        .where(Mission.service_date < before)
        .group_by(Mission.service_date, Mission.status),
    )
    sharing = {
        day: count
        for day, count in session.execute(
            select(TransportRequest.service_date, func.count())
            .where(TransportRequest.service_date < before, TransportRequest.sharing_compatible)
            .group_by(TransportRequest.service_date)
        )
    }
    plans = {
        day: kpis
        for day, kpis in session.execute(
            select(DayPlan.service_date, DayPlan.kpis).where(DayPlan.service_date < before)
        )
    }
    driven = {
        day: (routes, distance, empty)
        for day, routes, distance, empty in session.execute(
            select(
                DayPlan.service_date,
                func.count(Route.id),
                func.coalesce(func.sum(Route.distance_m), 0),
                func.coalesce(func.sum(Route.empty_distance_m), 0),
            )
            .join(Route, Route.plan_id == DayPlan.id)
            .where(DayPlan.service_date < before)
            .group_by(DayPlan.service_date)
        )
    }
    days = sorted(
        {*counts["by_status"], *counts["missions_by_status"], *plans}  # by_status: every request
    )
    figures = []
    for day in days:
        status = counts["by_status"].get(day, Counter())
        routes, distance, empty = driven.get(day, (0, 0, 0))
        figures.append(
            DayFigures(
                service_date=day,
                requests=status.total(),
                cancelled=status[RequestStatus.CANCELLED.value],
                sharing_compatible=sharing.get(day, 0),
                **{
                    name: dict(sorted(by_day.get(day, Counter()).items()))
                    for name, by_day in counts.items()
                },
                routes=routes,
                distance_m=int(distance),
                empty_distance_m=int(empty),
                plan_kpis=dict(plans.get(day) or {}),
            )
        )
    return figures


def _grouped(session: Session, query: Select[date, Any, int]) -> dict[date, Counter[str]]:
    by_day: dict[date, Counter[str]] = defaultdict(Counter)
    for day, value, count in session.execute(query):
        by_day[day][getattr(value, "value", str(value))] += count
    return by_day


def _keep(session: Session, figures: Iterable[DayFigures], actor: str) -> None:
    """One statistics row per day; a day purged before (its data imported again since) gets
    its counts added, and the plan figures of its latest plan."""
    figures = list(figures)
    existing = {
        row.service_date: row
        for row in session.scalars(
            select(DayStatistics).where(
                DayStatistics.service_date.in_([f.service_date for f in figures])
            )
        )
    }
    stamp = now()
    for day in figures:
        row = existing.get(day.service_date)
        if row is None:
            session.add(DayStatistics(recorded_at=stamp, recorded_by=actor, **asdict(day)))
            continue
        row.recorded_at, row.recorded_by = stamp, actor
        for name in _SUMMED:
            setattr(row, name, getattr(row, name) + getattr(day, name))
        for name in (*_COUNTED_BY, "missions_by_status"):
            setattr(row, name, dict(Counter(getattr(row, name)) + Counter(getattr(day, name))))
        if day.plan_kpis:
            row.plan_kpis = day.plan_kpis


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=PARIS)


def kept_statistics(
    session: Session, since: date | None = None, until: date | None = None
) -> list[DayFigures]:
    """The figures kept for purged days, oldest first (``until`` exclusive)."""
    query = select(DayStatistics).order_by(DayStatistics.service_date)
    if since is not None:
        query = query.where(DayStatistics.service_date >= since)
    if until is not None:
        query = query.where(DayStatistics.service_date < until)
    names = [f.name for f in fields(DayFigures)]
    return [
        DayFigures(**{name: getattr(row, name) for name in names}) for row in session.scalars(query)
    ]
