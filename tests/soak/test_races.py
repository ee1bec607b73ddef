"""The races the soak found, each replayed in a fixed order on PostgreSQL.

The second desk's write is slipped in between the first desk's read and its write, through a
function the first one calls in between: the same interleaving every run.
"""

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import URL

from models.enums import CancellationReason, MissionStatus, Role
from models.errors import ConflictError
from models.migrate import upgrade
from models.repositories.missions import change_status, latest_missions, live_missions
from models.session import Database
from planning import edits
from planning.optimiser import SolveParams
from regul import dispatch
from regul.access import Principal
from regul.day_view import load_day_view
from regul.dispatch import Answer, answer_missions, cancel_request, mark_done, push
from regul.planning_run import load_problem, plan_day, store_edited_plan, stored_travel
from tests.dispatch_day import ACTOR, DAY, store_day

REGULATOR = Principal(ACTOR, Role.ADMIN)


@pytest.fixture
def day(pg_schema_url: URL) -> Iterator[Database]:
    """A small day planned, nothing pushed yet."""
    db = Database(pg_schema_url)
    upgrade(db)
    store_day(db, requests=16)
    plan_day(db, DAY, SolveParams(time_limit_s=5, seed=3, iterations=50), ACTOR)
    yield db
    db.dispose()


def _once(original: Callable[..., Any], meanwhile: Callable[[], object]) -> Callable[..., Any]:
    """``original``, which the first time lets another desk do ``meanwhile`` first."""
    done: list[bool] = []

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not done:
            done.append(True)
            meanwhile()
        return original(*args, **kwargs)

    return wrapped


def test_a_push_overtaken_by_another_desks_push_is_a_conflict(
    day: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both worked out from the same state: the second must not propose the trips again (the
    database would refuse with an error no desk can act on), it reports a conflict."""
    monkeypatch.setattr(
        dispatch,
        "expiry_minutes",
        _once(dispatch.expiry_minutes, lambda: push(day, REGULATOR, DAY)),
    )
    with pytest.raises(ConflictError, match="pendant la transmission"):
        push(day, REGULATOR, DAY)
    with day.reader() as session:
        held = live_missions(session, DAY)
    assert held and all(m.status is MissionStatus.PROPOSED for m in held.values())


def test_a_cancellation_tells_the_carrier_a_push_reached_meanwhile(
    day: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read before the push, written after it: the mission the push made is cancelled too."""
    view = load_day_view(day, DAY)
    assert view.plan is not None
    request_id = view.plan.routes[0].requests[0]
    monkeypatch.setattr(
        "regul.dispatch.stored_travel", _once(stored_travel, lambda: push(day, REGULATOR, DAY))
    )
    told = cancel_request(day, REGULATOR, DAY, request_id, CancellationReason.PATIENT_CANCELLED)
    with day.reader() as session:
        mission = latest_missions(session, DAY)[request_id]
    assert mission.status is MissionStatus.CANCELLED
    assert told == [mission.carrier_name]


def _accepted(day: Database) -> tuple[str, int, str]:
    """A trip pushed and accepted by its carrier: (request, mission, carrier's SIRET)."""
    push(day, REGULATOR, DAY)
    with day.reader() as session:
        mission = next(iter(live_missions(session, DAY).values()))
    carrier = Principal("dispatcher", Role.CARRIER_DISPATCHER, mission.carrier_siret)
    answer_missions(day, carrier, [Answer(mission.id, mission.version, True)])
    return mission.request_id, mission.id, mission.carrier_siret


def _elsewhere(day: Database, request_id: str) -> str:
    view = load_day_view(day, DAY)
    on = next(r.vehicle for r in view.plan.routes if request_id in r.requests)  # type: ignore[union-attr]
    return next(v.id for v in view.problem.vehicles if v.id != on)


def test_an_edit_read_before_a_trip_was_done_cannot_move_it(day: Database) -> None:
    """The regulator's view predates the carrier's « done »: moving that trip is refused."""
    request_id, mission_id, siret = _accepted(day)
    view = load_day_view(day, DAY)
    assert view.plan is not None
    mark_done(day, Principal("dispatcher", Role.CARRIER_DISPATCHER, siret), [mission_id])
    moved = edits.move_requests(
        view.problem, view.plan, [request_id], _elsewhere(day, request_id), view.travel
    )
    with pytest.raises(ConflictError, match="effectué entre-temps"):
        store_edited_plan(day, DAY, moved, view.version, ACTOR)


def test_a_trip_moved_while_accepted_then_done_is_named_by_the_push(day: Database) -> None:
    """Moved before its carrier marked it done: later edits still go through, and the push
    names it for the regulator to put back, which is allowed."""
    request_id, mission_id, siret = _accepted(day)
    view = load_day_view(day, DAY)
    assert view.plan is not None
    plate = next(r.vehicle for r in view.plan.routes if request_id in r.requests)
    moved = edits.unassign(view.problem, view.plan, [request_id], edits.TAKEN_OUT, view.travel)
    store_edited_plan(day, DAY, moved, view.version, ACTOR)
    mark_done(day, Principal("dispatcher", Role.CARRIER_DISPATCHER, siret), [mission_id])
    view = load_day_view(day, DAY)
    assert view.plan is not None
    store_edited_plan(day, DAY, view.plan, view.version, ACTOR, frozenset({request_id}))
    report = push(day, REGULATOR, DAY)
    assert report.withheld[request_id].startswith("trajet déjà effectué")
    view = load_day_view(day, DAY)
    assert view.plan is not None
    back = edits.move_requests(view.problem, view.plan, [request_id], plate, view.travel)
    store_edited_plan(day, DAY, back, view.version, ACTOR)
    assert request_id not in push(day, REGULATOR, DAY).withheld


def test_withdrawing_a_mission_another_push_withdrew_is_a_conflict(day: Database) -> None:
    """Judged on the version this desk read, the late write is a conflict to reload, not a
    « SUPERSEDED to SUPERSEDED » transition the desk never chose."""
    push(day, REGULATOR, DAY)
    with day.reader() as session:
        mission = next(iter(live_missions(session, DAY).values()))
    with day.transaction(ACTOR) as session:
        change_status(session, mission.id, mission.version, MissionStatus.SUPERSEDED)
    with (
        pytest.raises(ConflictError, match="modifiée par un autre poste"),
        day.transaction(ACTOR) as session,
    ):
        change_status(session, mission.id, mission.version, MissionStatus.SUPERSEDED)


def test_a_refusal_during_a_push_never_sends_the_trip_back_to_that_vehicle(
    day: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The carrier refuses while the push works the plan out: the push may conflict, but it
    must not propose the trip again to the vehicle that has just refused it."""
    push(day, REGULATOR, DAY)
    with day.reader() as session:
        mission = next(iter(live_missions(session, DAY).values()))
    carrier = Principal("dispatcher", Role.CARRIER_DISPATCHER, mission.carrier_siret)

    def then_refused(*args: Any, **kwargs: Any) -> Any:
        read = load_problem(*args, **kwargs)
        if not refused:
            refused.append(True)
            answer_missions(day, carrier, [Answer(mission.id, mission.version, False, "panne")])
        return read

    refused: list[bool] = []
    monkeypatch.setattr("regul.dispatch.load_problem", then_refused)
    with contextlib.suppress(ConflictError):
        push(day, REGULATOR, DAY)
    with day.reader() as session:
        again = live_missions(session, DAY).get(mission.request_id)
    assert refused and (again is None or again.vehicle_plate != mission.vehicle_plate)
