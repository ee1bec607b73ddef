"""The soak in its short form, and its audit shown to catch what it is there to catch."""

import dataclasses
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import URL, text

from models.errors import ConflictError
from models.migrate import upgrade
from models.session import Database
from tests.dispatch_day import store_day
from tests.soak.audit import FinalState, MissionState, PlanWrite, audit
from tests.soak.desks import WatchedDatabase
from tests.soak.soak import Run, render, soak

DESKS, SECONDS = 4, 20.0


def test_desks_at_work_together_lose_nothing(pg_schema_url: URL, tmp_path: Path) -> None:
    """Four desks for twenty seconds on one day: conflicts happen, and the audit passes."""
    report = soak(Run(DESKS, SECONDS, pg_schema_url, requests=40, folder=tmp_path))
    assert report["audit"]["passed"], render(report)
    assert report["lost"] == 0 and report["failures"] == 0
    assert report["writes_by_kind"].get("answer", 0) > 0, "the carriers answered nothing"
    assert report["writes_by_kind"].get("move", 0) > 0, "the regulators moved nothing"
    assert report["conflicts"] > 0, "the desks never met: the soak tested no concurrency"


def test_a_deadlock_is_counted_where_it_reaches_a_desk(pg_schema_url: URL) -> None:
    """Two desks taking two rows in opposite orders: PostgreSQL breaks the deadlock, the desk
    it chose is told it as a conflict to redo, and counts it (what the soak reports as
    deadlocks at the desks)."""
    owner = Database(pg_schema_url)
    upgrade(owner)
    day = store_day(owner, requests=8)
    owner.dispose()
    rows = [v.plate for v in day.vehicles[:2]]
    url = pg_schema_url.render_as_string(hide_password=False)
    desks = [WatchedDatabase(url), WatchedDatabase(url)]
    both_hold = threading.Barrier(2)
    errors: list[ConflictError] = []

    def take(desk: WatchedDatabase, first: str, second: str) -> None:
        desk.operation = "opposite-order"
        touch = text("UPDATE vehicles SET plate = plate WHERE plate = :plate")
        try:
            with desk.transaction("soak-test") as session:
                session.execute(touch, {"plate": first})
                both_hold.wait(timeout=30)
                session.execute(touch, {"plate": second})
        except ConflictError as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=take, args=(desks[0], rows[0], rows[1])),
        threading.Thread(target=take, args=(desks[1], rows[1], rows[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for desk in desks:
        desk.dispose()
    assert len(errors) == 1
    assert "croisée avec celle d'un autre poste" in str(errors[0])
    assert sum(desk.deadlocks["opposite-order"] for desk in desks) == 1
    assert sum(desk.conflicts_raised["opposite-order"] for desk in desks) == 1


# -- the audit alone, on a small made-up day ---------------------------------------------------


def _entry(kind: str, login: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "desk": login.split(".")[0], "login": login, "t": 0.0, **fields}


def _plan_write(login: str, token: str, on: Mapping[str, str]) -> dict[str, Any]:
    return _entry(
        "plan",
        login,
        operation="move",
        action="edit",
        token=token,
        assignments=dict(on),
        locked_requests=[],
        locked_routes=[],
    )


ON_A = {"R1": "AA-001-AA", "R2": "AA-001-AA"}
ON_B = {"R1": "BB-002-BB", "R2": "AA-001-AA"}

JOURNAL = [
    _plan_write("regul1.x", "soak regul1 #1 move", ON_B),
    _plan_write("regul2.x", "soak regul2 #1 move", ON_A),
    _entry("mission", "transp1.x", operation="answer", id=7, expected=1, status="ACCEPTED"),
    _entry("push", "regul1.x", operation="push", proposed=["R1"], superseded=[], retimed=[]),
    _entry(
        "summary",
        "regul1.x",
        actions={"move": 1, "push": 1},
        conflicts_recorded={"move": 1},
        conflicts_raised={"move": 1, "sweep": 2},
        deadlocks={},
    ),
]

STATE = FinalState(
    plan_version=5,
    assignments=ON_A,
    locked_requests=frozenset(),
    locked_routes=frozenset(),
    plan_writes=(
        PlanWrite(10, "regul1.x", "edit", "à la main : soak regul1 #1 move"),
        PlanWrite(12, "regul2.x", "edit", "soak regul2 #1 move ; plan du 24/11/2026"),
    ),
    missions={
        7: MissionState("ACCEPTED", 2, "R2", "AA-001-AA"),
        8: MissionState("PROPOSED", 1, "R1", "AA-001-AA"),
    },
    mission_updates={7: (("transp1.x", "ACCEPTED"),)},
    missions_created={"regul1.x": 1},
    request_status={"R1": "PLANNED", "R2": "PLANNED"},
    cancelled_by={},
    violations=(),
)


def test_the_audit_passes_a_day_where_every_promise_holds() -> None:
    """The made-up day as its desks were told it: nothing to report."""
    result = audit(JOURNAL, STATE)
    assert result.passed, result.as_dict()


def test_the_audit_finds_a_plan_write_written_over() -> None:
    """regul2's move confirmed, but the stored plan is regul1's: a lost update."""
    state = dataclasses.replace(STATE, assignments=ON_B)
    result = audit(JOURNAL, state)
    assert not result.passed
    assert any("not the last confirmed write" in problem for problem in result.lost)


def test_the_audit_finds_a_confirmed_plan_write_missing_from_the_log() -> None:
    """A desk told its plan was stored, which the audit log never saw."""
    state = dataclasses.replace(STATE, plan_writes=STATE.plan_writes[:1])
    assert any("not in the audit log" in problem for problem in audit(JOURNAL, state).lost)


def test_the_audit_finds_an_answer_undone_without_trace() -> None:
    """The carrier's acceptance confirmed, the mission back to proposed with no audited change."""
    state = dataclasses.replace(
        STATE,
        missions={**STATE.missions, 7: MissionState("PROPOSED", 2, "R2", "AA-001-AA")},
    )
    result = audit(JOURNAL, state)
    assert any("mission 7" in problem for problem in result.lost)


def test_the_audit_finds_an_answer_written_at_another_version() -> None:
    """The answer confirmed on version 1 sits in the log as the second update: it went over
    another desk's write instead of conflicting with it."""
    state = dataclasses.replace(
        STATE,
        missions={**STATE.missions, 7: MissionState("ACCEPTED", 3, "R2", "AA-001-AA")},
        mission_updates={7: (("regul1.x", None), ("transp1.x", "ACCEPTED"))},
    )
    assert any("where it belongs" in problem for problem in audit(JOURNAL, state).lost)


def test_the_audit_finds_a_swallowed_conflict() -> None:
    """A conflict the data layer raised that the desk never showed."""
    summary = {**JOURNAL[-1], "conflicts_raised": {"move": 2}}
    result = audit([*JOURNAL[:-1], summary], STATE)
    assert result.conflicts == ["regul1 move: 2 conflicts raised, 1 shown to the desk"]


def test_the_audit_finds_a_mission_off_the_plan_and_a_broken_rule() -> None:
    """A trip held by a carrier on a vehicle the plan no longer gives it, and a violation."""
    state = dataclasses.replace(STATE, assignments=ON_B, violations=("trop tard",))
    journal = [_plan_write("regul1.x", "soak regul1 #1 move", ON_B), *JOURNAL[2:]]
    state = dataclasses.replace(state, plan_writes=STATE.plan_writes[:1])
    problems = audit(journal, state).plan
    assert "checker: trop tard" in problems
    assert any("mission 8 (R1)" in problem for problem in problems)


def test_the_audit_counts_an_unexpected_error_and_a_deadlock_as_failures() -> None:
    """An error other than a conflict reached a desk: a failure, a deadlock besides."""
    failure = _entry(
        "failure",
        "regul1.x",
        operation="push",
        error="OperationalError",
        text="deadlock detected",
        traceback="",
    )
    result = audit([*JOURNAL, failure], STATE)
    assert result.failures and result.deadlocks and not result.passed
