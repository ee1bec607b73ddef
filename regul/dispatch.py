"""Dispatch to carriers: push the day's plan, take their answers, expire and re-offer, cancel.

The plan stays the regulator's to re-optimise and edit; missions are what carriers were sent.
A push compares the two and sends only what changed. A refusal puts the trip back in the
regulator's pool with that vehicle excluded; a proposal left unanswered past the centre's
delay goes to the next carrier by fair rotation (*tour de rôle*).
"""

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import CancellationReason, MissionStatus, RequestStatus, Role
from models.errors import (
    ConflictError,
    InvalidSettingError,
    InvalidTransitionError,
    NotFoundError,
)
from models.fleet import Carrier
from models.records import DayPlanRecord
from models.repositories.audit import record_action
from models.repositories.missions import (
    MissionView,
    NewMission,
    change_status,
    due_to_expire,
    latest_of,
    live_missions,
    missions_by_id,
    missions_of_day,
    propose,
    retime,
    stranded_requests,
)
from models.repositories.plans import day_plan, lock_day_plan
from models.repositories.requests import cancel_request as cancelled
from models.repositories.requests import request_by_key
from models.repositories.settings import get_setting, put_setting
from models.session import Database
from models.timezone import now
from planning import edits
from planning.checker import check
from planning.formulation import fits
from planning.kpis import companions, route_km
from planning.model import Problem, Request, Vehicle
from planning.plan import Plan, Route, StopKind
from planning.travel import Travel
from regul.access import Principal, require, require_carrier
from regul.planning_run import load_problem, store_edited_plan, stored_plan, stored_travel

EXPIRY_SETTING = "dispatch.expiry_minutes"
DEFAULT_EXPIRY_MINUTES = 15
RETIME_SETTING = "dispatch.retime_minutes"
# A held trip whose times move by no more than this keeps its answer; the carrier is told the
# new times. Beyond it, or on another vehicle or with other companions, it is proposed anew.
DEFAULT_RETIME_MINUTES = 10
_REGULATORS = (Role.ADMIN, Role.REGULATOR)

CANCELLATION_LABELS: Mapping[CancellationReason, str] = {
    CancellationReason.PATIENT_CANCELLED: "annulée par le patient",
    CancellationReason.NO_SHOW: "patient absent",
    CancellationReason.HOSPITAL_DELAY: "retard de l'établissement",
    CancellationReason.LATE_CANCELLATION: "annulation tardive",
}


# -- settings ---------------------------------------------------------------------------------


def expiry_minutes(db: Database) -> int:
    """How long a carrier has to answer a proposal, for the whole centre."""
    return _minutes(db, EXPIRY_SETTING, DEFAULT_EXPIRY_MINUTES)


def set_expiry_minutes(db: Database, principal: Principal, minutes: int) -> None:
    require(principal, *_REGULATORS, action="régler le délai de réponse des transporteurs")
    if not 1 <= minutes <= 24 * 60:
        raise InvalidSettingError("délai de réponse attendu entre 1 minute et 24 heures")
    with db.transaction(principal.login) as session:
        put_setting(session, EXPIRY_SETTING, minutes)


def retime_minutes(db: Database) -> int:
    """How far a held trip's times may move and keep the carrier's answer."""
    return _minutes(db, RETIME_SETTING, DEFAULT_RETIME_MINUTES)


def set_retime_minutes(db: Database, principal: Principal, minutes: int) -> None:
    require(principal, *_REGULATORS, action="régler la tolérance d'horaire des transporteurs")
    if not 0 <= minutes <= 120:
        raise InvalidSettingError("tolérance d'horaire attendue entre 0 et 120 minutes")
    with db.transaction(principal.login) as session:
        put_setting(session, RETIME_SETTING, minutes)


def _minutes(db: Database, key: str, default: int) -> int:
    with db.reader() as session:
        value = get_setting(session, key)
    return value if isinstance(value, int) and value >= 0 else default


# -- push -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushReport:
    proposed: tuple[str, ...] = ()  # request ids sent (newly or changed)
    unchanged: tuple[str, ...] = ()  # already with the carrier as planned
    retimed: tuple[str, ...] = ()  # kept by their carrier, told the new times or companions
    superseded: tuple[str, ...] = ()  # proposals withdrawn: changed, or taken off the plan
    withheld: Mapping[str, str] = field(default_factory=dict)  # not sent, and why
    by_carrier: Mapping[str, int] = field(default_factory=dict)  # carrier name → proposed


def push(
    db: Database,
    principal: Principal,
    day: date,
    carrier_siret: str | None = None,
    only: Collection[str] | None = None,
    road_cache: Path | None = None,
) -> PushReport:
    """Propose the day's planned trips to their carriers (one carrier's, or ``only`` those
    requests). A trip already with its carrier as planned is left alone; one the plan changed
    is withdrawn and proposed anew; one a broken rule touches is held back."""
    require(principal, *_REGULATORS, action="transmettre le plan aux transporteurs")
    with db.reader() as session:
        # Before the refusals (in the problem's excluded vehicles): one arriving in between
        # then changes what is held, which the write sees (a conflict), instead of leaving
        # the trip unheld and its vehicle not yet excluded, to be proposed to it again.
        held = live_missions(session, day)
    planning_input = load_problem(db, day)
    problem = planning_input.problem
    with db.reader() as session:
        stored = day_plan(session, day)
    if stored is None:
        raise NotFoundError(f"aucun plan le {day:%d/%m/%Y} : planifiez avant de transmettre")
    plan = stored_plan(stored)
    travel = stored_travel(problem, stored, road_cache)
    wanted = _missions_of(problem, plan, stored, travel)
    broken: dict[str, str] = {}
    for violation in check(problem, _known_only(problem, plan), travel):
        if violation.request is not None:
            broken.setdefault(violation.request, violation.message)
    carrier_of = {v.id: v.carrier for v in problem.vehicles}

    def in_scope(request_id: str, plate: str | None) -> bool:
        if only is not None and request_id not in only:
            return False
        return carrier_siret is None or carrier_of.get(plate or "") == carrier_siret

    to_propose: list[NewMission] = []
    to_withdraw: list[MissionView] = []
    to_retime: list[tuple[MissionView, NewMission]] = []
    unchanged: list[str] = []
    withheld: dict[str, str] = {}
    tolerance = timedelta(minutes=retime_minutes(db))
    for request_id, mission in wanted.items():
        current = held.get(request_id)
        if not in_scope(request_id, mission.vehicle_plate):
            continue
        change = _change(current, mission, tolerance) if current is not None else None
        if current is not None and change is _Change.NONE:
            unchanged.append(request_id)
        elif current is not None and current.status is MissionStatus.DONE:
            withheld[request_id] = "trajet déjà effectué : le plan ne le change plus"
        elif request_id in broken:
            withheld[request_id] = broken[request_id]
        elif current is not None and change is _Change.TIMES:
            to_retime.append((current, mission))
        else:
            if current is not None:
                to_withdraw.append(current)
            to_propose.append(mission)
    for request_id, current in held.items():
        if request_id in wanted or not in_scope(request_id, current.vehicle_plate):
            continue
        if current.status is MissionStatus.DONE:
            withheld[request_id] = "trajet déjà effectué : le plan ne le prévoit plus"
        else:
            to_withdraw.append(current)
    deadline = now() + timedelta(minutes=expiry_minutes(db))
    with db.transaction(principal.login) as session:
        _unchanged_since_read(session, day, stored.version, held)
        # missions in id order, as every other writer takes them: no two desks wait on each
        # other's rows in opposite orders
        changes = [(m, None) for m in to_withdraw] + list(to_retime)
        for current, retimed in sorted(changes, key=lambda change: change[0].id):
            if retimed is None:
                change_status(session, current.id, current.version, MissionStatus.SUPERSEDED)
            else:
                retime(session, current.id, current.version, retimed)
        propose(session, day, to_propose, deadline)
        by_carrier = _count_by_carrier(session, [carrier_of[m.vehicle_plate] for m in to_propose])
        if to_propose or to_withdraw or to_retime:
            record_action(
                session,
                "push",
                "missions",
                None,
                f"{day:%d/%m/%Y} : {len(to_propose)} trajets proposés, "
                f"{len(to_withdraw)} retirés, {len(to_retime)} horaires mis à jour"
                + (f", {len(withheld)} retenus" if withheld else "")
                + "".join(f" ; {name} {count}" for name, count in sorted(by_carrier.items())),
            )
    return PushReport(
        proposed=tuple(m.request_id for m in to_propose),
        unchanged=tuple(unchanged),
        retimed=tuple(current.request_id for current, _ in to_retime),
        superseded=tuple(m.request_id for m in to_withdraw),
        withheld=withheld,
        by_carrier=by_carrier,
    )


def _known_only(problem: Problem, plan: Plan) -> Plan:
    known = {r.id for r in problem.requests}
    return Plan(plan.routes, {k: v for k, v in plan.unassigned.items() if k in known})


def _missions_of(
    problem: Problem, plan: Plan, stored: DayPlanRecord, travel: Travel
) -> dict[str, NewMission]:
    """Each planned request as its carrier would receive it."""
    known = {r.id for r in problem.requests}
    fleet = {v.id for v in problem.vehicles}
    wanted: dict[str, NewMission] = {}
    for route, record in zip(plan.routes, stored.routes, strict=True):
        if route.vehicle not in fleet:
            continue
        together = companions(problem, route.keeping(known), travel)
        pickups: dict[str, tuple[int, datetime]] = {}
        for sequence, (stop, stop_record) in enumerate(zip(route.stops, record.stops, strict=True)):
            if stop.request is None or stop.request not in known:
                continue
            if stop.kind is StopKind.PICKUP:
                pickups[stop.request] = (sequence, stop_record.planned_at)
            elif stop.request in pickups:
                pickup_sequence, pickup_at = pickups[stop.request]
                wanted[stop.request] = NewMission(
                    request_id=stop.request,
                    vehicle_plate=route.vehicle,
                    pickup_at=pickup_at,
                    dropoff_at=stop_record.planned_at,
                    pickup_sequence=pickup_sequence,
                    dropoff_sequence=sequence,
                    shared_with=tuple(sorted(together.get(stop.request, ()))),
                )
    return wanted


class _Change(Enum):
    NONE = "none"  # the same vehicle, companions and times (to the minute)
    TIMES = "times"  # the same vehicle, times within the tolerance, perhaps other companions
    TRIP = "trip"  # another vehicle or times moved further: the carrier must be asked again


def _change(current: MissionView, wanted: NewMission, tolerance: timedelta) -> _Change:
    """How much a held trip changed. A new companion is news for the driver, not a new job:
    that patient's own trip is proposed (and may be refused) on its own."""
    if current.vehicle_plate != wanted.vehicle_plate:
        return _Change.TRIP
    moved = max(
        abs(current.pickup_at - wanted.pickup_at), abs(current.dropoff_at - wanted.dropoff_at)
    )
    if current.status is MissionStatus.DONE:
        return _Change.NONE
    if moved < timedelta(minutes=1) and set(current.shared_with) == set(wanted.shared_with):
        return _Change.NONE
    return _Change.TIMES if moved <= tolerance else _Change.TRIP


def _unchanged_since_read(
    session: Session, day: date, version: int, held: Mapping[str, MissionView]
) -> None:
    """The plan (locked until the push commits: pushes and plan writes take turns) and the
    trips held by carriers are still those the push was worked out from. Another desk's push
    meanwhile would otherwise have this one propose the same trips a second time, which the
    database refuses with an error no desk could act on."""
    stored = lock_day_plan(session, day)
    now_held = {rid: m.id for rid, m in live_missions(session, day).items()}
    if (
        stored is None
        or stored.version != version
        or now_held != {rid: m.id for rid, m in held.items()}
    ):
        raise ConflictError(
            f"le plan du {day:%d/%m/%Y} ou ses transmissions ont changé pendant la "
            "transmission : rechargez puis transmettez à nouveau"
        )


def _count_by_carrier(session: Session, sirets: Sequence[str]) -> dict[str, int]:
    """Trips per carrier, by the carrier's name."""
    names = _carrier_names(session, sirets)
    return dict(Counter(names[siret] for siret in sirets))


def _carrier_names(session: Session, sirets: Collection[str]) -> dict[str, str]:
    """Each SIRET's carrier name (the SIRET itself for one not found)."""
    found = dict(
        session.execute(
            select(Carrier.siret, Carrier.name).where(Carrier.siret.in_(set(sirets)))
        ).all()
    )
    return {siret: found.get(siret, siret) for siret in sirets}


# -- answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    mission_id: int
    version: int  # the mission's version the answer was made on
    accept: bool
    reason: str | None = None  # required to refuse


@dataclass(frozen=True)
class AnswerReport:
    accepted: tuple[str, ...] = ()  # request external ids
    refused: tuple[str, ...] = ()


def answer_missions(db: Database, principal: Principal, answers: Sequence[Answer]) -> AnswerReport:
    """A carrier's answers, all or none: a mission answered or changed by another desk since
    it was read raises :class:`ConflictError`. A regulator may record answers on a carrier's
    behalf (its signed-back sheet)."""
    require(principal, *_REGULATORS, Role.CARRIER_DISPATCHER, action="répondre aux propositions")
    if not answers:
        return AnswerReport()
    accepted: list[str] = []
    refused: list[str] = []
    in_order = sorted(answers, key=lambda a: a.mission_id)  # see push: rows in id order
    with db.transaction(principal.login) as session:
        missions = missions_by_id(session, [a.mission_id for a in in_order])
        for answer, mission in zip(in_order, missions, strict=True):
            require_carrier(principal, mission.carrier_siret, "répondre à une proposition")
            status = MissionStatus.ACCEPTED if answer.accept else MissionStatus.REFUSED
            if mission.status is not MissionStatus.PROPOSED:
                raise InvalidTransitionError(
                    f"{mission.request_id} : proposition déjà {_STATUS_WORDS[mission.status]}, "
                    "plus de réponse possible"
                )
            change_status(session, mission.id, answer.version, status, answer.reason)
            (accepted if answer.accept else refused).append(mission.request_id)
            record_action(
                session,
                "accept" if answer.accept else "refuse",
                "missions",
                str(mission.id),
                # not the refusal's reason: free text that may name the patient, and the log
                # outlives the day's data (it stays on the mission until the day is purged)
                f"{mission.request_id} ({mission.vehicle_plate}, {mission.carrier_name})",
            )
    return AnswerReport(tuple(accepted), tuple(refused))


def answer_all(
    db: Database,
    principal: Principal,
    day: date,
    accept: bool,
    reason: str | None = None,
    vehicle_plate: str | None = None,
    carrier_siret: str | None = None,
) -> AnswerReport:
    """Answer every open proposal of the carrier's day, or of one vehicle's route."""
    siret = principal.carrier_siret if principal.is_carrier else carrier_siret
    with db.reader() as session:
        proposed = missions_of_day(session, day, siret, (MissionStatus.PROPOSED,))
    answers = [
        Answer(m.id, m.version, accept, reason)
        for m in proposed
        if vehicle_plate is None or m.vehicle_plate == vehicle_plate
    ]
    return answer_missions(db, principal, answers)


def mark_done(db: Database, principal: Principal, mission_ids: Sequence[int]) -> list[str]:
    """Accepted trips carried out, by their carrier or a regulator."""
    require(principal, *_REGULATORS, Role.CARRIER_DISPATCHER, action="marquer un trajet effectué")
    done: list[str] = []
    with db.transaction(principal.login) as session:
        for mission in missions_by_id(session, sorted(mission_ids)):  # see push: id order
            require_carrier(principal, mission.carrier_siret, "marquer un trajet effectué")
            change_status(session, mission.id, mission.version, MissionStatus.DONE)
            record_action(session, "done", "missions", str(mission.id), mission.request_id)
            done.append(mission.request_id)
    return done


_STATUS_WORDS: Mapping[MissionStatus, str] = {
    MissionStatus.PROPOSED: "proposée",
    MissionStatus.ACCEPTED: "acceptée",
    MissionStatus.REFUSED: "refusée",
    MissionStatus.EXPIRED: "expirée",
    MissionStatus.SUPERSEDED: "retirée par la régulation",
    MissionStatus.DONE: "effectuée",
    MissionStatus.CANCELLED: "annulée",
}


def status_words(status: MissionStatus) -> str:
    return _STATUS_WORDS[status]


# -- refusals back to the pool, expiry to the next carrier ------------------------------------


@dataclass(frozen=True)
class SweepReport:
    expired: tuple[str, ...] = ()  # requests whose proposal expired
    reoffered: Mapping[str, str] = field(default_factory=dict)  # request → carrier name
    returned: Mapping[str, str] = field(default_factory=dict)  # request → why back in the pool

    @property
    def changed(self) -> bool:
        return bool(self.expired or self.returned)


def sweep(
    db: Database,
    principal: Principal,
    moment: datetime | None = None,
    days: Collection[date] | None = None,
    road_cache: Path | None = None,
) -> SweepReport:
    """What the regulator's desk does by itself: proposals past their delay expire and go to
    the next carrier that can legally take them; refused trips leave the refusing vehicle and
    return to the pool. Safe to run from several desks at once (a conflict means another desk
    did it first)."""
    require(principal, *_REGULATORS, action="relancer les propositions expirées")
    moment = moment or now()
    with db.reader() as session:
        due = due_to_expire(session, moment)
    expired: list[MissionView] = []
    for mission in due:
        try:
            with db.transaction(principal.login) as session:
                change_status(session, mission.id, mission.version, MissionStatus.EXPIRED)
                record_action(
                    session,
                    "expire",
                    "missions",
                    str(mission.id),
                    f"{mission.request_id} : sans réponse de {mission.carrier_name} "
                    f"à {mission.expires_at:%H:%M}"
                    if mission.expires_at
                    else mission.request_id,
                )
            expired.append(mission)
        except (ConflictError, InvalidTransitionError):
            continue  # answered meanwhile, or another desk expired it
    touched = {m.service_date for m in expired} | set(days or ())
    reoffered: dict[str, str] = {}
    returned: dict[str, str] = {}
    for day in sorted(touched):
        for _attempt in range(3):  # another desk may store the plan meanwhile
            try:
                offered, back = _reassign(db, principal, day, road_cache)
            except ConflictError:
                continue
            reoffered.update(offered)
            returned.update(back)
            break
    return SweepReport(tuple(m.request_id for m in expired), reoffered, returned)


def _reassign(
    db: Database, principal: Principal, day: date, road_cache: Path | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Move the day's trips off vehicles they may no longer go to: to the next carrier when
    the proposal expired, back to the pool when the carrier refused."""
    with db.reader() as session:
        stranded_ids = stranded_requests(session, day)
        stored = day_plan(session, day) if stranded_ids else None
        today = missions_of_day(session, day) if stranded_ids else []
    if stored is None:
        return {}, {}
    problem = load_problem(db, day).problem
    latest = latest_of(today)
    offered_today = _offered_by_carrier(today)
    travel = stored_travel(problem, stored, road_cache)
    plan = stored_plan(stored)
    open_ids = {r.id for r in problem.requests}
    stranded = [
        (route.vehicle, rid)
        for route in plan.routes
        for rid in route.requests
        if rid in stranded_ids and rid in open_ids
    ]
    if not stranded:
        return {}, {}
    locked_routes = frozenset(r.vehicle_plate for r in stored.routes if r.locked)
    offered: dict[str, str] = {}
    back: dict[str, str] = {}
    for block in _blocks(stranded, latest):
        why = latest.get(block[0])
        if why is None or why.status is not MissionStatus.EXPIRED:
            reason = (
                f"refusée par {why.carrier_name} ({why.vehicle_plate}) : {why.refusal_reason}"
                if why is not None and why.status is MissionStatus.REFUSED
                else "véhicule exclu pour cette demande : à replanifier"
            )
            plan = edits.unassign(problem, plan, block, reason, travel)
            back.update(dict.fromkeys(block, reason))
            continue
        moved = _next_carrier(problem, plan, block, travel, offered_today, locked_routes)
        if moved is None:
            reason = (
                f"proposition expirée chez {why.carrier_name} ; aucun autre transporteur "
                "ne peut la faire"
            )
            plan = edits.unassign(problem, plan, block, reason, travel)
            back.update(dict.fromkeys(block, reason))
            continue
        plan, siret = moved
        offered_today[siret] = offered_today.get(siret, 0) + len(block)
        offered.update(dict.fromkeys(block, siret))
    detail = ", ".join(f"{rid} → {siret}" for rid, siret in sorted(offered.items()))
    store_edited_plan(
        db,
        day,
        plan,
        stored.version,
        principal.login,
        stored.locked_requests - set(back) - set(offered),
        locked_routes,
        road_cache,
        detail=("réattribution après expiration : " + detail)
        if offered
        else "refus remis à planifier",
    )
    if offered:
        push(db, principal, day, only=set(offered), road_cache=road_cache)
    with db.reader() as session:
        names = _carrier_names(session, set(offered.values()))
    return {rid: names[siret] for rid, siret in offered.items()}, back


def _blocks(
    stranded: Sequence[tuple[str, str]], latest: Mapping[str, MissionView]
) -> list[list[str]]:
    """Stranded trips to move together: those of one vehicle that expired in one shared ride;
    every other trip alone."""
    blocks: list[list[str]] = []
    placed: set[str] = set()
    by_vehicle: dict[str, list[str]] = {}
    for vehicle, rid in stranded:
        by_vehicle.setdefault(vehicle, []).append(rid)
    for rids in by_vehicle.values():
        for rid in rids:
            if rid in placed:
                continue
            block, frontier = [rid], [rid]
            placed.add(rid)
            while frontier:
                mission = latest.get(frontier.pop())
                if mission is None or mission.status is not MissionStatus.EXPIRED:
                    continue
                for other in mission.shared_with:
                    partner = latest.get(other)
                    if (
                        other in rids
                        and other not in placed
                        and partner is not None
                        and partner.status is MissionStatus.EXPIRED
                    ):
                        placed.add(other)
                        block.append(other)
                        frontier.append(other)
            blocks.append(block)
    return blocks


def _offered_by_carrier(missions: Sequence[MissionView]) -> dict[str, int]:
    """Trips each carrier was offered today, withdrawn ones aside: the rotation's measure."""
    counts: dict[str, int] = {}
    for mission in missions:
        if mission.status not in (MissionStatus.SUPERSEDED, MissionStatus.CANCELLED):
            counts[mission.carrier_siret] = counts.get(mission.carrier_siret, 0) + 1
    return counts


def _next_carrier(
    problem: Problem,
    plan: Plan,
    block: Sequence[str],
    travel: Travel,
    offered_today: Mapping[str, int],
    locked_routes: frozenset[str],
) -> tuple[Plan, str] | None:
    """The plan with ``block`` on a vehicle of the next carrier in the rotation that can take
    it legally (the fewest trips offered today for the vehicles it put on duty), on that
    carrier's vehicle where it adds the fewest km."""
    requests = [problem.request(rid) for rid in block]
    excluded = frozenset().union(*(r.excluded_vehicles for r in requests))
    fleets: dict[str, list[str]] = {}
    for vehicle in problem.vehicles:
        fleets.setdefault(vehicle.carrier, []).append(vehicle.id)
    order = sorted(fleets, key=lambda c: (offered_today.get(c, 0) / len(fleets[c]), c))
    taken_off = edits.BlockMove(problem, plan, block, travel)
    for siret in order:
        best: tuple[float, Plan] | None = None
        for plate in fleets[siret]:
            vehicle = problem.vehicle(plate)
            if plate in excluded or plate in locked_routes:
                continue
            if not all(fits(problem.rules, r, vehicle) and _on_duty(r, vehicle) for r in requests):
                continue
            before = next((r for r in plan.routes if r.vehicle == plate), None)
            moved = taken_off.fitting(plate)
            if moved is None:
                continue
            route = next(r for r in moved.routes if r.vehicle == plate)
            if not _legal(problem, route, travel):
                continue
            added = route_km(problem, route, travel)[0] - (
                route_km(problem, before, travel)[0] if before is not None else 0.0
            )
            if best is None or added < best[0]:
                best = (added, moved)
        if best is not None:
            return best[1], siret
    return None


def _on_duty(request: Request, vehicle: Vehicle) -> bool:
    """The vehicle works when the trip must happen: before the appointment it must reach, after
    the time the patient is ready (a cheap test before trying the trip on its route)."""
    if request.appointment is not None and vehicle.shift_start > request.appointment:
        return False
    return request.ready is None or vehicle.shift_end >= request.ready


def _legal(problem: Problem, route: Route, travel: Travel) -> bool:
    """The one route breaks no rule (checked alone: the day's other routes are unchanged)."""
    on_route = set(route.requests)
    alone = replace(
        problem,
        requests=tuple(r for r in problem.requests if r.id in on_route),
        vehicles=(problem.vehicle(route.vehicle),),
    )
    return not check(alone, Plan((route,), {}), travel)


# -- cancellations and the patient's refusal of sharing ---------------------------------------


def cancel_request(
    db: Database,
    principal: Principal,
    day: date,
    request_id: str,
    reason: CancellationReason,
    road_cache: Path | None = None,
) -> list[str]:
    """Cancel a trip: it leaves the plan and the carrier holding it is told (its mission is
    cancelled). Returns the carriers told."""
    require(principal, *_REGULATORS, action="annuler un transport")
    problem = load_problem(db, day).problem
    with db.reader() as session:
        stored = day_plan(session, day)
        held = live_missions(session, day).get(request_id)
    if held is not None and held.status is MissionStatus.DONE:
        raise InvalidTransitionError(f"{request_id} : trajet déjà effectué, il ne s'annule plus")
    told: list[str] = []

    def write(session: Session) -> None:
        row = request_by_key(session, day, request_id)
        if row.status is RequestStatus.CANCELLED:
            raise InvalidTransitionError(f"{request_id} est déjà annulée")
        cancelled(session, row.id, row.version, reason)
        # read again under the plan's lock: a push since the read above may have proposed it
        holder = live_missions(session, day).get(request_id)
        if holder is not None and holder.status is MissionStatus.DONE:
            raise InvalidTransitionError(
                f"{request_id} : trajet effectué entre-temps, il ne s'annule plus"
            )
        if holder is not None:
            change_status(session, holder.id, holder.version, MissionStatus.CANCELLED)
            told.append(holder.carrier_name)
        record_action(
            session,
            "cancel",
            "transport_requests",
            str(row.id),
            f"{request_id} : {CANCELLATION_LABELS[reason]}"
            + (f" ; {holder.carrier_name} prévenu" if holder is not None else ""),
        )

    if stored is None:
        with db.transaction(principal.login) as session:
            write(session)
        return told
    travel = stored_travel(problem, stored, road_cache)
    plan = stored_plan(stored)
    if request_id in {r.id for r in problem.requests}:
        plan = edits.unassign(problem, plan, [request_id], CANCELLATION_LABELS[reason], travel)
    plan = Plan(plan.routes, {k: v for k, v in plan.unassigned.items() if k != request_id})
    store_edited_plan(
        db,
        day,
        plan,
        stored.version,
        principal.login,
        stored.locked_requests - {request_id},
        frozenset(r.vehicle_plate for r in stored.routes if r.locked),
        road_cache,
        detail=f"annulation de {request_id}",
        within=write,
        leaving=frozenset({request_id}),
    )
    return told


def record_sharing_refusal(
    db: Database, principal: Principal, day: date, request_id: str, refused: bool = True
) -> None:
    """The patient turned a shared ride down (or the record is corrected): from now on they
    ride alone, and the invoice notes the refusal."""
    require(principal, *_REGULATORS, action="noter un refus de transport partagé")
    with db.transaction(principal.login) as session:
        request_by_key(session, day, request_id).sharing_refused = refused
