"""Dispatch to carriers on SQLite and PostgreSQL: push, answers, refusals, expiry, cancellations."""

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Mission, TransportRequest
from models.enums import CancellationReason, MissionStatus, RequestStatus, Role
from models.errors import AccessDeniedError, ConflictError, InvalidTransitionError
from models.repositories.audit import history
from models.repositories.missions import live_missions, missions_of_day
from models.repositories.plans import day_plan
from models.session import Database
from models.timezone import now
from planning import edits
from planning.optimiser import SolveParams
from regul.access import Principal
from regul.demo import build_demo_day, load_demo_day
from regul.dispatch import (
    Answer,
    answer_all,
    answer_missions,
    cancel_request,
    mark_done,
    push,
    record_sharing_refusal,
    set_expiry_minutes,
    sweep,
)
from regul.planning_run import load_problem, plan_day, store_edited_plan, stored_plan, stored_travel

DAY = date(2026, 11, 24)
REGULATOR = Principal("regulation", Role.REGULATOR)
PARAMS = SolveParams(time_limit_s=20, seed=1, iterations=300)


@pytest.fixture
def day(db: Database, tmp_path: Path) -> Database:
    """A demo day of 90 requests and three carriers, planned."""
    load_demo_day(db, build_demo_day(DAY, 90, 1), tmp_path / "demo", actor="test")
    plan_day(db, DAY, PARAMS, "test")
    return db


def _carrier(mission_carrier: str) -> Principal:
    return Principal(f"dispatch-{mission_carrier}", Role.CARRIER_DISPATCHER, mission_carrier)


def _missions(db: Database, **filters: object) -> list:  # type: ignore[type-arg]
    with db.reader() as session:
        return missions_of_day(session, DAY, **filters)  # type: ignore[arg-type]


def _on_vehicle(db: Database) -> dict[str, str]:
    with db.reader() as session:
        stored = day_plan(session, DAY)
    assert stored is not None
    return {rid: route.vehicle for route in stored_plan(stored).routes for rid in route.requests}


def test_push_proposes_each_planned_trip_once(day: Database) -> None:
    """Every planned trip goes to its vehicle's carrier; pushing again sends nothing."""
    planned = _on_vehicle(day)
    report = push(day, REGULATOR, DAY)
    assert set(report.proposed) == set(planned) and not report.superseded
    assert sum(report.by_carrier.values()) == len(planned)
    missions = _missions(day)
    assert {m.request_id: m.vehicle_plate for m in missions} == planned
    assert all(m.status is MissionStatus.PROPOSED and m.expires_at for m in missions)
    assert all(m.pickup_at < m.dropoff_at and m.patient_last_name for m in missions)
    shared = {m.request_id: set(m.shared_with) for m in missions}
    assert all(rid in shared[other] for rid, others in shared.items() for other in others)
    again = push(day, REGULATOR, DAY)
    assert not again.proposed and set(again.unchanged) == set(planned)
    with day.reader() as session:
        assert any(e.action == "push" for e in history(session, "missions"))


def test_a_carrier_answers_only_its_own_missions(day: Database) -> None:
    """Accept as the vehicle's carrier; another carrier's dispatcher is refused."""
    push(day, REGULATOR, DAY)
    first, *_ = _missions(day)
    other = next(m for m in _missions(day) if m.carrier_siret != first.carrier_siret)
    owner = _carrier(first.carrier_siret)
    with pytest.raises(AccessDeniedError):
        answer_missions(day, owner, [Answer(other.id, other.version, True)])
    report = answer_missions(day, owner, [Answer(first.id, first.version, True)])
    assert report.accepted == (first.request_id,)
    with pytest.raises(InvalidTransitionError):
        answer_missions(day, owner, [Answer(first.id, first.version + 1, False, "trop tard")])
    with pytest.raises(AccessDeniedError):
        push(day, owner, DAY)


def test_accept_all_answers_the_carriers_whole_inbox(day: Database) -> None:
    """« Tout accepter » takes every open proposal of the carrier, and no other carrier's."""
    push(day, REGULATOR, DAY)
    siret = Counter(m.carrier_siret for m in _missions(day)).most_common(1)[0][0]
    report = answer_all(day, _carrier(siret), DAY, accept=True)
    statuses = Counter((m.carrier_siret == siret, m.status) for m in _missions(day))
    assert statuses[(True, MissionStatus.ACCEPTED)] == len(report.accepted) > 0
    assert statuses[(True, MissionStatus.PROPOSED)] == 0
    assert statuses[(False, MissionStatus.ACCEPTED)] == 0


def test_a_stale_answer_is_refused_whole(day: Database) -> None:
    """Two answers, one made on an old version: neither is applied."""
    push(day, REGULATOR, DAY)
    first, second = _missions(day)[:2]
    regulator_answers = [
        Answer(first.id, first.version, True),
        Answer(second.id, second.version - 1, True),
    ]
    with pytest.raises(ConflictError):
        answer_missions(day, REGULATOR, regulator_answers)
    assert {m.status for m in _missions(day)} == {MissionStatus.PROPOSED}


def test_a_refused_trip_returns_to_the_pool_and_avoids_that_vehicle(day: Database) -> None:
    """Refusal needs a reason; the sweep hands the trip back; re-planning avoids the vehicle."""
    push(day, REGULATOR, DAY)
    mission = _missions(day)[0]
    carrier = _carrier(mission.carrier_siret)
    with pytest.raises(InvalidTransitionError, match="motivé"):
        answer_missions(day, carrier, [Answer(mission.id, mission.version, False, " ")])
    answer_missions(day, carrier, [Answer(mission.id, mission.version, False, "pas de chauffeur")])
    report = sweep(day, REGULATOR, days={DAY})
    assert "pas de chauffeur" in report.returned[mission.request_id]
    assert mission.request_id not in _on_vehicle(day)
    problem = load_problem(day, DAY).problem
    assert mission.vehicle_plate in problem.request(mission.request_id).excluded_vehicles
    plan_day(day, DAY, PARAMS, "test")
    assert _on_vehicle(day).get(mission.request_id) != mission.vehicle_plate


def test_replanning_after_a_push_keeps_what_carriers_hold(day: Database) -> None:
    """An optimisation after the push leaves held trips on their carrier's vehicle."""
    push(day, REGULATOR, DAY)
    held = {m.request_id: m.vehicle_plate for m in _missions(day)}
    plan_day(day, DAY, SolveParams(time_limit_s=20, seed=7, iterations=300), "test")
    after = _on_vehicle(day)
    assert all(after.get(rid) == plate for rid, plate in held.items())


def test_a_hand_move_is_withdrawn_from_one_carrier_and_proposed_to_another(
    day: Database,
) -> None:
    """Push after moving a proposed trip: the old proposal is superseded, the new one sent."""
    push(day, REGULATOR, DAY)
    mission = _missions(day)[0]
    problem = load_problem(day, DAY).problem
    with day.reader() as session:
        stored = day_plan(session, DAY)
    assert stored is not None
    target = next(
        v.id
        for v in problem.vehicles
        if v.carrier != mission.carrier_siret and v.kind.value == mission.vehicle_kind.value
    )
    travel = stored_travel(problem, stored)
    moved = edits.move_requests(problem, stored_plan(stored), [mission.request_id], target, travel)
    store_edited_plan(day, DAY, moved, stored.version, "test", detail="déplacement")
    report = push(day, REGULATOR, DAY)
    if mission.request_id in report.withheld:  # the move broke a rule: nothing sent
        assert mission.request_id not in report.proposed
        return
    assert mission.request_id in report.superseded and mission.request_id in report.proposed
    with day.reader() as session:
        live = live_missions(session, DAY)[mission.request_id]
    assert live.vehicle_plate == target
    statuses = {m.id: m.status for m in _missions(day)}
    assert statuses[mission.id] is MissionStatus.SUPERSEDED


def test_an_expired_proposal_goes_to_the_next_carrier(day: Database) -> None:
    """Unanswered past the delay: expired, then offered to another carrier or back to the pool."""
    set_expiry_minutes(day, REGULATOR, 15)
    push(day, REGULATOR, DAY)
    mission = _missions(day)[0]
    report = sweep(day, REGULATOR, moment=now() + timedelta(minutes=16))
    assert mission.request_id in report.expired
    statuses = Counter(m.status for m in _missions(day))
    assert statuses[MissionStatus.EXPIRED] == len(report.expired)
    assert set(report.reoffered) | set(report.returned) == set(report.expired)
    if mission.request_id in report.reoffered:
        with day.reader() as session:
            live = live_missions(session, DAY)[mission.request_id]
        assert live.carrier_siret != mission.carrier_siret
        assert live.status is MissionStatus.PROPOSED
    else:
        assert "expirée" in report.returned[mission.request_id]


def test_expiry_spares_answered_and_fresh_proposals(day: Database) -> None:
    """Only proposals past their deadline expire; an accepted one never does."""
    push(day, REGULATOR, DAY)
    first = _missions(day)[0]
    answer_missions(day, REGULATOR, [Answer(first.id, first.version, True)])
    assert not sweep(day, REGULATOR, moment=now()).expired
    later = sweep(day, REGULATOR, moment=now() + timedelta(hours=1))
    assert first.request_id not in later.expired and later.expired


def test_cancelling_a_held_trip_tells_its_carrier(day: Database) -> None:
    """The request is cancelled with its reason, leaves the plan, and its mission is cancelled."""
    push(day, REGULATOR, DAY)
    mission = _missions(day)[0]
    told = cancel_request(day, REGULATOR, DAY, mission.request_id, CancellationReason.NO_SHOW)
    assert told == [mission.carrier_name]
    assert mission.request_id not in _on_vehicle(day)
    with day.reader() as session:
        row = session.scalars(
            select(TransportRequest).where(TransportRequest.external_id == mission.request_id)
        ).one()
        assert (row.status, row.cancellation_reason) == (
            RequestStatus.CANCELLED,
            CancellationReason.NO_SHOW,
        )
        assert session.get(Mission, mission.id).status is MissionStatus.CANCELLED  # type: ignore[union-attr]
        with day.reader() as session:
            stored = day_plan(session, DAY)
        assert stored is not None and mission.request_id not in stored.unserved
    with pytest.raises(InvalidTransitionError):
        cancel_request(day, REGULATOR, DAY, mission.request_id, CancellationReason.NO_SHOW)


def test_a_done_trip_can_no_longer_be_cancelled(day: Database) -> None:
    """Accepted then done; cancelling it afterwards is refused."""
    push(day, REGULATOR, DAY)
    mission = _missions(day)[0]
    carrier = _carrier(mission.carrier_siret)
    answer_missions(day, carrier, [Answer(mission.id, mission.version, True)])
    assert mark_done(day, carrier, [mission.id]) == [mission.request_id]
    with pytest.raises(InvalidTransitionError, match="effectué"):
        cancel_request(day, REGULATOR, DAY, mission.request_id, CancellationReason.NO_SHOW)


def test_a_patient_who_refuses_sharing_rides_alone(day: Database) -> None:
    """After the refusal is recorded, the checker flags the shared ride and a re-plan ends it."""
    shared = [m for m in (push(day, REGULATOR, DAY), _missions(day))[1] if m.shared_with]
    if not shared:
        pytest.skip("the demo day planned no shared ride")
    request_id = shared[0].request_id
    record_sharing_refusal(day, REGULATOR, DAY, request_id)
    assert load_problem(day, DAY).problem.request(request_id).sharing_refused
    with day.reader() as session:
        mission = live_missions(session, DAY)[request_id]
    answer_missions(day, REGULATOR, [Answer(mission.id, mission.version, False, "partage refusé")])
    sweep(day, REGULATOR, days={DAY})
    plan_day(day, DAY, PARAMS, "test")
    push(day, REGULATOR, DAY)
    with day.reader() as session:
        now_held = live_missions(session, DAY).get(request_id)
    assert now_held is None or not now_held.shared_with


def _shift(db: Database, request_id: str, minutes: int) -> None:
    problem = load_problem(db, DAY).problem
    with db.reader() as session:
        stored = day_plan(session, DAY)
    assert stored is not None
    travel = stored_travel(problem, stored)
    moved = edits.shift_stop(problem, stored_plan(stored), request_id, True, minutes * 60, travel)
    store_edited_plan(db, DAY, moved, stored.version, "test", detail="décalage")


def test_a_small_time_change_keeps_the_answer_a_large_one_asks_again(day: Database) -> None:
    """Moved 5 min: still accepted, new times sent; moved 15 min more: proposed anew."""
    push(day, REGULATOR, DAY)
    mission = next(m for m in _missions(day) if not m.shared_with)
    answer_missions(day, REGULATOR, [Answer(mission.id, mission.version, True)])
    _shift(day, mission.request_id, 5)
    report = push(day, REGULATOR, DAY)
    assert mission.request_id in report.retimed and mission.request_id not in report.proposed
    with day.reader() as session:
        kept = live_missions(session, DAY)[mission.request_id]
    assert (kept.id, kept.status) == (mission.id, MissionStatus.ACCEPTED)
    assert kept.pickup_at - mission.pickup_at == timedelta(minutes=5)
    _shift(day, mission.request_id, 15)
    report = push(day, REGULATOR, DAY)
    assert mission.request_id in report.superseded and mission.request_id in report.proposed
    with day.reader() as session:
        again = live_missions(session, DAY)[mission.request_id]
    assert again.id != mission.id and again.status is MissionStatus.PROPOSED
