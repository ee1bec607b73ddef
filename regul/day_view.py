"""One service day as the console shows it: read once, as plain values, checked.

The console never holds database rows: it asks for a ``DayView`` and draws it. Everything a
regulator scans in the grid, the timeline and the map comes from here, and every plan shown
went through the one checker.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from models.enums import CareType, Direction, MissionStatus, Mobility, TransportMode
from models.records import RequestRecord
from models.repositories.day import fleet_on, open_requests
from models.repositories.missions import MissionView, excluded_vehicles, latest_missions
from models.repositories.plans import day_plan
from models.repositories.roster import RosterEntry, roster_on
from models.session import Database
from models.timezone import to_paris
from planning.checker import Violation, check
from planning.model import Problem
from planning.plan import Plan, StopKind
from planning.travel import Travel
from regul.centre import centre_departement
from regul.planning_input import problem_from_records
from regul.planning_run import stored_plan, stored_travel


class Status(StrEnum):
    """Where a request stands in the day's plan."""

    PLANNED = "planned"
    UNSERVED = "unserved"  # the optimiser left it out, with a reason
    UNPLANNABLE = "unplannable"  # its data does not allow planning it at all
    WAITING = "waiting"  # no plan yet


@dataclass(frozen=True)
class RequestRow:
    id: str  # the hospital's external id
    direction: Direction
    time: int | None  # seconds after midnight: the appointment, or the ready time of a return
    patient: str
    origin: str
    destination: str
    mode: TransportMode
    mobility: Mobility
    care_type: CareType
    sharing: bool
    vehicle: str | None
    pickup_at: int | None  # planned, seconds after midnight
    dropoff_at: int | None
    status: Status
    reason: str | None  # why unserved or unplannable
    locked: bool
    violations: tuple[str, ...]
    carrier_status: MissionStatus | None = None  # the latest mission's: proposed, accepted…
    carrier_note: str | None = None  # which carrier, and a refusal's reason


@dataclass(frozen=True)
class DayView:
    day: date
    problem: Problem
    plan: Plan | None
    rows: tuple[RequestRow, ...]
    violations: tuple[Violation, ...]
    kpis: Mapping[str, Any]
    carriers: Mapping[str, str]  # SIRET → name
    locked_requests: frozenset[str]  # kept on their vehicle when re-planning
    locked_routes: frozenset[str]  # plates of routes kept as they are
    labels: Mapping[str, str]  # request id → patient, for the map
    version: int  # the stored plan's (0: none yet): edits are saved against it
    roster: tuple[RosterEntry, ...]  # every vehicle in service, available that day or not
    travel: Travel  # the distances the plan was made with: edits and checks use them too
    missions: Mapping[str, MissionView] = field(default_factory=dict)  # latest, by request

    def row(self, request_id: str) -> RequestRow:
        return self.rows[self.index[request_id]]

    @cached_property
    def index(self) -> dict[str, int]:
        return {row.id: k for k, row in enumerate(self.rows)}


def load_day_view(db: Database, day: date, road_cache: Path | None = None) -> DayView:
    with db.reader() as session:
        records = open_requests(session, day)
        vehicles, carriers = fleet_on(session, day)
        stored = day_plan(session, day)
        roster = roster_on(session, day)
        excluded = excluded_vehicles(session, day)
        missions = latest_missions(session, day)
        home = centre_departement(session)
    planning_input = problem_from_records(
        day, records, vehicles, carriers, excluded=excluded, home_departement=home
    )
    problem = planning_input.problem
    plan = stored_plan(stored) if stored is not None else None
    violations: list[Violation] = []
    travel = stored_travel(problem, stored, road_cache)
    if plan is not None:
        known = {r.id for r in problem.requests}
        checked = Plan(plan.routes, {k: v for k, v in plan.unassigned.items() if k in known})
        violations = check(problem, checked, travel)
    locked = frozenset(stored.locked_requests) if stored is not None else frozenset()
    visits = _visits(plan)
    broken: dict[str | None, list[str]] = {}
    for violation in violations:
        broken.setdefault(violation.request, []).append(violation.message)
    rows = tuple(
        _with_mission(
            _row(record, plan, visits, planning_input.unplannable, broken, locked),
            missions.get(record.external_id),
        )
        for record in records
    )
    return DayView(
        day=day,
        problem=problem,
        plan=plan,
        rows=rows,
        violations=tuple(violations),
        kpis=dict(stored.kpis) if stored is not None else {},
        carriers={c.siret: c.name for c in carriers},
        locked_requests=locked,
        locked_routes=frozenset(r.vehicle_plate for r in stored.routes if r.locked)
        if stored is not None
        else frozenset(),
        labels={r.external_id: _patient(r) for r in records},
        version=stored.version if stored is not None else 0,
        roster=tuple(roster),
        travel=travel,
        missions=missions,
    )


def _with_mission(row: RequestRow, mission: MissionView | None) -> RequestRow:
    if mission is None:
        return row
    note = f"{mission.carrier_name} ({mission.vehicle_plate})"
    if mission.refusal_reason:
        note += f" : {mission.refusal_reason}"
    return replace(row, carrier_status=mission.status, carrier_note=note)


@dataclass(frozen=True)
class _Visit:
    vehicle: str
    pickup_at: int | None = None
    dropoff_at: int | None = None


def _visits(plan: Plan | None) -> dict[str, _Visit]:
    """Each planned request's vehicle and times, read off the routes once."""
    visits: dict[str, _Visit] = {}
    for route in plan.routes if plan is not None else ():
        for stop in route.stops:
            if stop.request is None:
                continue
            seen = visits.get(stop.request, _Visit(route.vehicle))
            if stop.kind is StopKind.PICKUP:
                seen = replace(seen, pickup_at=stop.time)
            elif stop.kind is StopKind.DROPOFF:
                seen = replace(seen, dropoff_at=stop.time)
            visits[stop.request] = seen
    return visits


def _patient(record: RequestRecord) -> str:
    return f"{record.patient.last_name.upper()} {record.patient.first_name}".strip()


def _place(record: RequestRecord, side: str) -> str:
    place = record.pickup if side == "pickup" else record.dropoff
    return place.commune or place.address or place.postcode or ""


def _row(
    record: RequestRecord,
    plan: Plan | None,
    visits: Mapping[str, _Visit],
    unplannable: Mapping[str, str],
    broken: Mapping[str | None, list[str]],  # violation messages by request
    locked: frozenset[str],
) -> RequestRow:
    rid = record.external_id
    moment = record.appointment_at if record.direction is Direction.OUTBOUND else None
    moment = moment or record.ready_at or record.appointment_at
    clock = to_paris(moment) if moment is not None else None
    visit = visits.get(rid)
    if rid in unplannable:
        status, reason = Status.UNPLANNABLE, unplannable[rid]
    elif plan is None:
        status, reason = Status.WAITING, None
    elif visit is None:
        status, reason = Status.UNSERVED, plan.unassigned.get(rid, "absente du plan")
    else:
        status, reason = Status.PLANNED, None
    return RequestRow(
        id=rid,
        direction=record.direction,
        time=clock.hour * 3600 + clock.minute * 60 if clock is not None else None,
        patient=_patient(record),
        origin=_place(record, "pickup"),
        destination=_place(record, "dropoff"),
        mode=record.prescribed_mode,
        mobility=record.mobility,
        care_type=record.care_type,
        sharing=record.sharing_compatible,
        vehicle=visit.vehicle if visit else None,
        pickup_at=visit.pickup_at if visit else None,
        dropoff_at=visit.dropoff_at if visit else None,
        status=status,
        reason=reason,
        locked=rid in locked,
        violations=tuple(broken.get(rid, ())),
    )
