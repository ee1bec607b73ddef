"""The soak's desks: each one a process doing what a regulator or a carrier's dispatcher does.

A desk reads the day, decides, and writes through the functions the console calls. Every write
it is told succeeded, every conflict it is shown and every other error goes to its journal (one
JSON object a line), which the audit (``tests.soak.audit``) holds against the database.
"""

import json
import random
import time
import traceback
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models.enums import CancellationReason, MissionStatus, Role
from models.errors import ConflictError, InvalidTransitionError
from models.session import Database
from planning import edits
from planning.checker import check
from planning.optimiser import SolveParams
from planning.plan import Plan
from regul.access import Principal
from regul.carrier_view import load_carrier_day
from regul.day_view import DayView, load_day_view
from regul.dispatch import Answer, answer_missions, cancel_request, mark_done, push, sweep
from regul.planning_run import plan_day, store_edited_plan

DEADLOCK_DETECTED = "40P01"
REFUSAL_REASONS = ("véhicule en panne", "pas de chauffeur disponible", "trop loin de la base")
# What a regulator's desk does, weighed: hand edits most, re-planning and cancelling seldom.
REGULATOR_ACTIONS: Mapping[str, int] = {
    "move": 30,
    "take-out": 8,
    "lock": 15,
    "route-lock": 3,
    "replan": 6,
    "push": 20,
    "sweep": 12,
    "cancel": 3,
}
DONE_ALREADY = "trajet déjà effectué"  # how the push's held-back message starts
START_TIMEOUT_S = 120.0  # for every desk to start and sign in
REPLAN_SECONDS = 1.0  # a short re-optimisation of what is not locked
CANCEL_SHARE = 0.1  # of the day's requests, across all regulator desks at most


@dataclass(frozen=True)
class DeskSpec:
    """All a desk process needs, picklable for a spawned process."""

    name: str
    login: str
    role: Role
    carrier_siret: str | None
    url: str  # with the password, for the desk's own login role
    day: date
    seconds: float  # from the moment every desk is ready: then no new action starts
    journal: Path
    seed: int
    cancel_budget: int

    @property
    def principal(self) -> Principal:
        return Principal(self.login, self.role, self.carrier_siret)


class Journal:
    """A desk's record: one JSON object a line, flushed at once so that a desk killed mid-run
    still leaves what it was told."""

    def __init__(self, path: Path, desk: str, login: str) -> None:
        self._file = path.open("a", encoding="utf-8")
        self._desk, self._login = desk, login

    def write(self, kind: str, **fields: Any) -> None:
        entry = {"desk": self._desk, "login": self._login, "kind": kind, "t": time.time()}
        self._file.write(json.dumps({**entry, **fields}, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


class WatchedDatabase(Database):
    """The desk's database, counting what leaves each transaction: conflicts the data layer
    raised (to compare with those the desk recorded), among them deadlocks PostgreSQL broke."""

    def __init__(self, url: str) -> None:
        super().__init__(make_url(url))
        self.operation = "start"
        self.conflicts_raised: Counter[str] = Counter()
        self.deadlocks: Counter[str] = Counter()

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Session]:
        try:
            with super().transaction(actor) as session:
                yield session
        except ConflictError as exc:
            self.conflicts_raised[self.operation] += 1
            # a deadlock PostgreSQL broke reaches the desk as a conflict; the soak counts it too
            cause = exc.__cause__
            if isinstance(cause, DBAPIError) and (
                getattr(cause.orig, "sqlstate", None) == DEADLOCK_DETECTED
            ):
                self.deadlocks[self.operation] += 1
            raise


def run_desk(spec: DeskSpec, ready: Barrier, go: Barrier) -> None:
    """A desk's whole session, the entry point of its process: it signs in, waits for every
    other desk to be ready (process start-up is slow), then works ``spec.seconds``."""
    journal = Journal(spec.journal, spec.name, spec.login)
    db = WatchedDatabase(spec.url)
    with db.reader() as session:  # connected and signed in before the clock starts
        session.execute(text("SELECT 1"))
    ready.wait(timeout=START_TIMEOUT_S)
    go.wait(timeout=START_TIMEOUT_S)
    deadline = time.time() + spec.seconds
    desk: _Desk = (
        _Dispatcher(spec, db, journal)
        if spec.role is Role.CARRIER_DISPATCHER
        else _Regulator(spec, db, journal)
    )
    recorded: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    try:
        while time.time() < deadline:
            operation = desk.choose()
            db.operation = operation
            actions[operation] += 1
            try:
                desk.act(operation)
            except ConflictError as exc:
                # counted under what was under way (a push may go on to put trips back)
                recorded[db.operation] += 1
                journal.write(
                    "conflict", operation=db.operation, error="ConflictError", text=str(exc)
                )
            except InvalidTransitionError as exc:
                # Another desk moved the mission on first (answered, withdrawn, done): the
                # desk is told so in plain words, as with a conflict.
                journal.write(
                    "refused", operation=db.operation, error=type(exc).__name__, text=str(exc)
                )
            except Exception as exc:
                journal.write(
                    "failure",
                    operation=db.operation,
                    error=type(exc).__name__,
                    text=str(exc),
                    traceback=traceback.format_exc(),
                )
    finally:
        journal.write(
            "summary",
            actions=dict(actions),
            conflicts_recorded=dict(recorded),
            conflicts_raised=dict(db.conflicts_raised),
            deadlocks=dict(db.deadlocks),
        )
        journal.close()
        db.dispose()


class _Desk:
    def __init__(self, spec: DeskSpec, db: WatchedDatabase, journal: Journal) -> None:
        self.spec, self.db, self.journal = spec, db, journal
        self.rng = random.Random(spec.seed)
        self.principal = spec.principal
        self.writes = 0

    def token(self, operation: str) -> str:
        """A mark for the audit log's detail, to find this very write there."""
        self.writes += 1
        return f"soak {self.spec.name} #{self.writes} {operation}"

    def choose(self) -> str:
        raise NotImplementedError

    def act(self, operation: str) -> None:
        raise NotImplementedError


class _Regulator(_Desk):
    def __init__(self, spec: DeskSpec, db: WatchedDatabase, journal: Journal) -> None:
        super().__init__(spec, db, journal)
        self.cancelled = 0

    def choose(self) -> str:
        names = list(REGULATOR_ACTIONS)
        return self.rng.choices(names, weights=[REGULATOR_ACTIONS[n] for n in names])[0]

    def act(self, operation: str) -> None:
        view = load_day_view(self.db, self.spec.day)
        if view.plan is None:
            raise AssertionError("the soak's day has no plan")
        getattr(self, "_" + operation.replace("-", "_"))(view, view.plan)

    # -- hand edits, as the console's main window makes them ---------------------------------

    def _movable(self, view: DayView, plan: Plan) -> list[str]:
        """Planned trips a regulator would move: not locked, not on a locked route, not
        already carried out."""
        return [
            rid
            for route in plan.routes
            if route.vehicle not in view.locked_routes
            for rid in route.requests
            if rid not in view.locked_requests
            and not (rid in view.missions and view.missions[rid].status is MissionStatus.DONE)
            and rid in {r.id for r in view.problem.requests}
        ]

    def _move(self, view: DayView, plan: Plan) -> None:
        """A planned trip to another vehicle, or a trip of the pool onto one, where it fits
        without breaking a rule (the drag and drop onto the timeline)."""
        known = {r.id for r in view.problem.requests}
        pool = [rid for rid in plan.unassigned if rid in known]
        candidates = self._movable(view, plan) + pool
        if not candidates:
            return
        rid = self.rng.choice(candidates)
        current = next((r.vehicle for r in plan.routes if rid in r.requests), None)
        request = view.problem.request(rid)
        targets = [
            v.id
            for v in view.problem.vehicles
            if v.id != current
            and v.id not in view.locked_routes
            and v.id not in request.excluded_vehicles
        ]
        self.rng.shuffle(targets)
        fits = edits.BlockMove(view.problem, plan, [rid], view.travel)
        for plate in targets:
            if fits.fitting(plate) is None:
                continue
            moved = edits.move_requests(view.problem, plan, [rid], plate, view.travel)
            if self._keeps_rules(view, moved):
                self._store(view, moved, view.locked_requests, view.locked_routes, "move")
            return

    def _take_out(self, view: DayView, plan: Plan) -> None:
        """A planned trip back to the pool (« Retirer »)."""
        movable = self._movable(view, plan)
        if not movable:
            return
        rid = self.rng.choice(movable)
        out = edits.unassign(view.problem, plan, [rid], edits.TAKEN_OUT, view.travel)
        if self._keeps_rules(view, out):
            locked = view.locked_requests - {rid}
            self._store(view, out, locked, view.locked_routes, "take-out")

    def _keeps_rules(self, view: DayView, plan: Plan) -> bool:
        """A careful regulator keeps an edit only when it breaks no rule the plan kept."""
        known = {r.id for r in view.problem.requests}
        checked = Plan(plan.routes, {k: v for k, v in plan.unassigned.items() if k in known})
        before = {str(v) for v in view.violations}
        return {str(v) for v in check(view.problem, checked, view.travel)} <= before

    def _lock(self, view: DayView, plan: Plan) -> None:
        planned = sorted({rid for route in plan.routes for rid in route.requests})
        if not planned:
            return
        rid = self.rng.choice(planned)
        locked = view.locked_requests ^ {rid}
        self._store(view, plan, frozenset(locked), view.locked_routes, "lock")

    def _route_lock(self, view: DayView, plan: Plan) -> None:
        plate = self.rng.choice([r.vehicle for r in plan.routes])
        routes = view.locked_routes ^ {plate}
        self._store(view, plan, view.locked_requests, frozenset(routes), "route-lock")

    def _store(
        self,
        view: DayView,
        plan: Plan,
        locked_requests: frozenset[str],
        locked_routes: frozenset[str],
        operation: str,
    ) -> None:
        token = self.token(operation)
        store_edited_plan(
            self.db,
            view.day,
            plan,
            view.version,
            self.spec.login,
            locked_requests,
            locked_routes,
            detail=token,
        )
        self.journal.write(
            "plan",
            operation=operation,
            action="edit",
            token=token,
            expected=view.version,
            assignments=assignments(plan),
            locked_requests=sorted(locked_requests),
            locked_routes=sorted(locked_routes),
        )

    # -- re-planning, pushing, the sweep, cancelling -----------------------------------------

    def _replan(self, view: DayView, plan: Plan) -> None:
        params = SolveParams(time_limit_s=REPLAN_SECONDS, seed=self.rng.randrange(1000))
        done = plan_day(self.db, view.day, params, self.spec.login)
        self.journal.write(
            "plan",
            operation="replan",
            action="plan",
            token=None,
            expected=view.version,
            assignments=assignments(done.plan),
            violations=[str(v) for v in done.violations],
        )

    def _push(self, view: DayView, plan: Plan) -> None:
        report = push(self.db, self.principal, view.day)
        self.journal.write(
            "push",
            operation="push",
            proposed=list(report.proposed),
            superseded=list(report.superseded),
            retimed=list(report.retimed),
        )
        if any(reason.startswith(DONE_ALREADY) for reason in report.withheld.values()):
            # as the push's message asks: a trip carried out goes back where it was done
            self.db.operation = "put-back"
            put_back_done(self.db, self.journal, self.spec.login, view.day, self.token("put-back"))

    def _sweep(self, view: DayView, plan: Plan) -> None:
        report = sweep(self.db, self.principal, days={view.day})
        if report.returned or report.reoffered:
            self.journal.write(
                "plan",
                operation="sweep",
                action="edit",
                token=None,
                returned=sorted(report.returned),
                reoffered=sorted(report.reoffered),
            )

    def _cancel(self, view: DayView, plan: Plan) -> None:
        if self.cancelled >= self.spec.cancel_budget:
            return
        open_ids = [
            r.id
            for r in view.problem.requests
            if not (r.id in view.missions and view.missions[r.id].status is MissionStatus.DONE)
        ]
        if not open_ids:
            return
        rid = self.rng.choice(open_ids)
        told = cancel_request(
            self.db, self.principal, view.day, rid, CancellationReason.PATIENT_CANCELLED
        )
        self.cancelled += 1
        self.journal.write(
            "plan", operation="cancel", action="edit", token=None, request=rid, told=told
        )
        self.journal.write("cancel", operation="cancel", request=rid, told=told)


class _Dispatcher(_Desk):
    """A carrier's dispatcher: answers what its carrier was offered, marks trips done."""

    def choose(self) -> str:
        return self.rng.choices(["answer", "done"], weights=[3, 1])[0]

    def act(self, operation: str) -> None:
        day = load_carrier_day(self.db, self.principal, self.spec.day)
        wanted = MissionStatus.PROPOSED if operation == "answer" else MissionStatus.ACCEPTED
        open_missions = [m for m in day.missions if m.status is wanted]
        if not open_missions:
            time.sleep(0.2)  # nothing to answer yet: look again shortly, as the console polls
            return
        chosen = self.rng.sample(open_missions, min(len(open_missions), self.rng.randint(1, 3)))
        if operation == "done":
            mark_done(self.db, self.principal, [m.id for m in chosen])
            for mission in chosen:
                self.journal.write(
                    "mission", operation="done", id=mission.id, expected=None, status="DONE"
                )
            return
        answers = [
            Answer(m.id, m.version, accept, None if accept else self.rng.choice(REFUSAL_REASONS))
            for m in chosen
            for accept in [self.rng.random() < 0.75]
        ]
        answer_missions(self.db, self.principal, answers)
        for answer in answers:
            self.journal.write(
                "mission",
                operation="answer",
                id=answer.mission_id,
                expected=answer.version,
                status="ACCEPTED" if answer.accept else "REFUSED",
            )


def put_back_done(db: Database, journal: Journal, login: str, day: date, token: str) -> bool:
    """Trips carried out on a vehicle the plan has since moved them off (moved while only
    accepted, marked done before the push) put back on it; False when there were none."""
    view = load_day_view(db, day)
    if view.plan is None:
        return False
    plan = view.plan
    done = {
        rid: m.vehicle_plate for rid, m in view.missions.items() if m.status is MissionStatus.DONE
    }
    planned = assignments(plan)
    misplaced = sorted(rid for rid, plate in done.items() if planned.get(rid) != plate)
    if not misplaced:
        return False
    for rid in misplaced:
        plan = edits.move_requests(view.problem, plan, [rid], done[rid], view.travel)
    store_edited_plan(
        db, day, plan, view.version, login, view.locked_requests, view.locked_routes, detail=token
    )
    journal.write(
        "plan",
        operation="put-back",
        action="edit",
        token=token,
        expected=view.version,
        assignments=assignments(plan),
        locked_requests=sorted(view.locked_requests),
        locked_routes=sorted(view.locked_routes),
    )
    return True


def assignments(plan: Plan) -> dict[str, str]:
    """Which vehicle carries each planned trip: what a plan write is compared on."""
    return {rid: route.vehicle for route in plan.routes for rid in route.requests}
