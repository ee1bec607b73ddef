"""The soak's audit: the desks' journals held against the final database and its audit log.

Pure over two plain values (the journals' entries and a ``FinalState`` read once at the end),
so that its tests can hand it a lost update and watch it fail.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from models.audit import AuditEntry
from models.enums import LIVE_MISSION_STATUSES, MissionStatus, RequestStatus
from models.repositories.missions import missions_of_day
from models.repositories.plans import day_plan
from models.requests import TransportRequest
from models.session import Database
from regul.planning_run import check_day

PLAN_ACTIONS = ("plan", "edit")  # what replace_day_plan writes to the audit log

Entry = Mapping[str, Any]


@dataclass(frozen=True)
class PlanWrite:
    """One plan stored, as the audit log tells it."""

    audit_id: int
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class MissionState:
    status: str
    version: int
    request_id: str
    vehicle_plate: str


@dataclass(frozen=True)
class FinalState:
    """What the database holds once every desk stopped."""

    plan_version: int
    assignments: Mapping[str, str]  # request → vehicle in the stored plan
    locked_requests: frozenset[str]
    locked_routes: frozenset[str]
    plan_writes: Sequence[PlanWrite]  # in the order they committed
    missions: Mapping[int, MissionState]
    # each mission's audited updates in order: (actor, new status or None when unchanged)
    mission_updates: Mapping[int, Sequence[tuple[str, str | None]]]
    missions_created: Mapping[str, int]  # by actor
    request_status: Mapping[str, str]  # external id → status
    cancelled_by: Mapping[str, str]  # external id → actor of the audited cancellation
    violations: Sequence[str]  # the checker's, on the final plan


@dataclass
class AuditResult:
    lost: list[str] = field(default_factory=list)  # confirmed writes not in the final state
    unconfirmed: list[str] = field(default_factory=list)  # writes no desk was told of
    conflicts: list[str] = field(default_factory=list)  # raised but not surfaced, or the reverse
    failures: list[str] = field(default_factory=list)  # unexpected errors, hung desks
    deadlocks: list[str] = field(default_factory=list)  # locks left, deadlocks that escaped
    plan: list[str] = field(default_factory=list)  # checker violations, missions off the plan

    @property
    def passed(self) -> bool:
        return not (
            self.lost
            or self.unconfirmed
            or self.conflicts
            or self.failures
            or self.deadlocks
            or self.plan
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "lost": self.lost,
            "unconfirmed": self.unconfirmed,
            "conflicts": self.conflicts,
            "failures": self.failures,
            "deadlocks": self.deadlocks,
            "plan": self.plan,
        }


def read_final_state(db: Database, day: date) -> FinalState:
    """The day as stored, and its audit log, read as the owner of the tables."""
    checked = check_day(db, day)
    with db.reader() as session:
        stored = day_plan(session, day)
        if stored is None:
            raise AssertionError(f"no plan on {day}")
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity.in_(("day_plans", "missions", "transport_requests")))
            .order_by(AuditEntry.id)
        ).all()
        missions = missions_of_day(session, day)
        requests = session.execute(
            select(
                TransportRequest.id, TransportRequest.external_id, TransportRequest.status
            ).where(TransportRequest.service_date == day)
        ).all()
    external = {str(row_id): external_id for row_id, external_id, _ in requests}
    plan_writes: list[PlanWrite] = []
    updates: dict[int, list[tuple[str, str | None]]] = {}
    created: Counter[str] = Counter()
    cancelled_by: dict[str, str] = {}
    for entry in entries:
        if entry.entity == "day_plans" and entry.action in PLAN_ACTIONS:
            plan_writes.append(PlanWrite(entry.id, entry.actor, entry.action, entry.detail or ""))
        elif entry.entity == "missions" and entry.action == "update" and entry.entity_id:
            status = entry.changes.get("status")
            updates.setdefault(int(entry.entity_id), []).append(
                (entry.actor, status[1] if status else None)
            )
        elif entry.entity == "missions" and entry.action == "create":
            created[entry.actor] += 1
        elif entry.entity == "transport_requests" and entry.action == "update":
            status = entry.changes.get("status")
            if status and status[1] == RequestStatus.CANCELLED.value and entry.entity_id:
                cancelled_by[external[entry.entity_id]] = entry.actor
    return FinalState(
        plan_version=stored.version,
        assignments={
            stop.request_external_id: route.vehicle_plate
            for route in stored.routes
            for stop in route.stops
            if stop.request_external_id
        },
        locked_requests=frozenset(stored.locked_requests),
        locked_routes=frozenset(r.vehicle_plate for r in stored.routes if r.locked),
        plan_writes=plan_writes,
        missions={
            m.id: MissionState(m.status.value, m.version, m.request_id, m.vehicle_plate)
            for m in missions
        },
        mission_updates=updates,
        missions_created=dict(created),
        request_status={external_id: status.value for _, external_id, status in requests},
        cancelled_by=cancelled_by,
        violations=[str(v) for v in checked[2]] if checked is not None else ["no plan"],
    )


def audit(journal: Iterable[Entry], state: FinalState, withheld: Iterable[str] = ()) -> AuditResult:
    """Every promise the desks were given, checked against what the database holds.

    ``withheld``: requests the closing push held back (a rule they break), which may stay
    planned without a mission.
    """
    entries = list(journal)
    result = AuditResult()
    _plans(entries, state, result)
    _missions(entries, state, result)
    _cancellations(entries, state, result)
    _pushes(entries, state, result)
    _surfaced(entries, result)
    _consistent(state, set(withheld), result)
    return result


def _plans(entries: Sequence[Entry], state: FinalState, result: AuditResult) -> None:
    """Each desk's confirmed plan writes are, in its order, its entries in the audit log; the
    stored plan is the last one's."""
    confirmed: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry["kind"] == "plan":
            confirmed.setdefault(entry["login"], []).append(entry)
    logged: dict[str, list[PlanWrite]] = {}
    for write in state.plan_writes:
        logged.setdefault(write.actor, []).append(write)
    matched: dict[int, Entry] = {}
    for actor in sorted(set(confirmed) | set(logged)):
        told, shown = confirmed.get(actor, []), logged.get(actor, [])
        for k, entry in enumerate(told):
            found = shown[k] if k < len(shown) else None
            what = f"plan {entry['operation']} by {entry['desk']} ({entry.get('token') or k + 1})"
            if found is None or found.action != entry["action"]:
                result.lost.append(f"{what}: confirmed, not in the audit log")
                continue
            if entry.get("token") and entry["token"] not in found.detail:
                result.lost.append(f"{what}: the audit log's found {found.audit_id} is another")
                continue
            matched[found.audit_id] = entry
        for write in shown[len(told) :]:
            result.unconfirmed.append(
                f"plan {write.action} by {actor} (audit {write.audit_id}): no desk was told"
            )
    if not state.plan_writes:
        result.lost.append("no plan write in the audit log")
        return
    last = matched.get(state.plan_writes[-1].audit_id)
    if last is None:
        return  # reported above
    if "assignments" in last and dict(last["assignments"]) != dict(state.assignments):
        result.lost.append(
            f"the stored plan is not the last confirmed write ({last['desk']}, "
            f"{last.get('token') or last['operation']})"
        )
    if "locked_requests" in last and (
        set(last["locked_requests"]) != state.locked_requests
        or set(last["locked_routes"]) != state.locked_routes
    ):
        result.lost.append(f"the stored locks are not the last confirmed write's ({last['desk']})")


def _missions(entries: Sequence[Entry], state: FinalState, result: AuditResult) -> None:
    """A confirmed answer is the update the mission's version says it was; the mission's
    version counts every audited update, and its status is the last one's."""
    for mission_id, mission in state.missions.items():
        updates = state.mission_updates.get(mission_id, [])
        if mission.version != 1 + len(updates):
            result.unconfirmed.append(
                f"mission {mission_id}: version {mission.version}, {len(updates)} audited updates"
            )
        statuses = [s for _, s in updates if s is not None]
        expected = statuses[-1] if statuses else MissionStatus.PROPOSED.value
        if mission.status != expected:
            result.lost.append(
                f"mission {mission_id}: {mission.status}, the audit log's last is {expected}"
            )
    for entry in entries:
        if entry["kind"] != "mission":
            continue
        mission_id = int(entry["id"])
        updates = list(state.mission_updates.get(mission_id, []))
        what = f"mission {mission_id} {entry['status']} by {entry['desk']}"
        if entry["expected"] is not None:
            index = int(entry["expected"]) - 1  # version 1 is the proposal itself
            found = index < len(updates) and updates[index] == (entry["login"], entry["status"])
        else:
            found = (entry["login"], entry["status"]) in updates
        if not found:
            result.lost.append(f"{what}: confirmed, not in the audit log where it belongs")


def _cancellations(entries: Sequence[Entry], state: FinalState, result: AuditResult) -> None:
    for entry in entries:
        if entry["kind"] != "cancel":
            continue
        rid = entry["request"]
        if state.request_status.get(rid) != RequestStatus.CANCELLED.value:
            result.lost.append(f"cancellation of {rid} by {entry['desk']}: the request is not")
        elif state.cancelled_by.get(rid) != entry["login"]:
            result.lost.append(f"cancellation of {rid} by {entry['desk']}: audited for another")


def _pushes(entries: Sequence[Entry], state: FinalState, result: AuditResult) -> None:
    proposed: Counter[str] = Counter()
    for entry in entries:
        if entry["kind"] == "push":
            proposed[entry["login"]] += len(entry["proposed"])
    for actor in sorted(set(proposed) | set(state.missions_created)):
        told, logged = proposed[actor], state.missions_created.get(actor, 0)
        if told != logged:
            result.lost.append(f"pushes by {actor}: {told} trips proposed, {logged} audited")


def _surfaced(entries: Sequence[Entry], result: AuditResult) -> None:
    """Every conflict the data layer raised reached its desk, deadlocks included; the sweep
    alone absorbs its own (another desk did the work first), by design."""
    for entry in entries:
        if entry["kind"] == "failure":
            result.failures.append(
                f"{entry['desk']} {entry['operation']}: {entry['error']}: {entry['text']}"
            )
            if "deadlock" in entry["text"].lower():
                result.deadlocks.append(f"{entry['desk']} {entry['operation']}: reached the desk")
        if entry["kind"] != "summary":
            continue
        raised: Counter[str] = Counter(entry["conflicts_raised"])
        recorded: Counter[str] = Counter(entry["conflicts_recorded"])
        for operation in sorted(set(raised) | set(recorded)):
            if operation == "sweep":
                if recorded[operation] > raised[operation]:
                    result.conflicts.append(f"{entry['desk']} sweep: more shown than raised")
            elif raised[operation] != recorded[operation]:
                result.conflicts.append(
                    f"{entry['desk']} {operation}: {raised[operation]} conflicts raised, "
                    f"{recorded[operation]} shown to the desk"
                )


def _consistent(state: FinalState, withheld: set[str], result: AuditResult) -> None:
    """The plan passes the checker; each live mission is its trip as planned, and each planned
    trip (but those held back for a rule) is with a carrier; nothing cancelled is held."""
    result.plan.extend(f"checker: {v}" for v in state.violations)
    live = {
        m.request_id: (mission_id, m)
        for mission_id, m in state.missions.items()
        if MissionStatus(m.status) in LIVE_MISSION_STATUSES
    }
    for rid, (mission_id, mission) in sorted(live.items()):
        planned = state.assignments.get(rid)
        if state.request_status.get(rid) == RequestStatus.CANCELLED.value:
            result.plan.append(f"mission {mission_id} ({rid}) {mission.status}: request cancelled")
        elif planned != mission.vehicle_plate:
            result.plan.append(
                f"mission {mission_id} ({rid}) {mission.status} on {mission.vehicle_plate}, "
                f"planned on {planned}"
            )
    for rid in sorted(set(state.assignments) - set(live) - withheld):
        result.plan.append(f"{rid} planned on {state.assignments[rid]} but with no carrier")
