"""The large-neighbourhood search on a department day: legal plans from any start."""

import time

from importers.synthetic import generate_day
from planning.checker import check
from planning.day_search import improve
from planning.kpis import plan_kpis
from planning.model import Direction, Kind, Point, Problem
from planning.optimiser import SolveParams, _wait_allowances, solve
from planning.plan import Plan, Route, Stop, StopKind
from regul.planning_input import problem_from_records
from tests.planning_factories import CLINIC, DAY, RULES, TRAVEL, H, trip, vehicle


def _improve(problem: Problem, plan: Plan, seconds: float = 2.0) -> Plan:
    waits = _wait_allowances(problem, ())
    return improve(problem, TRAVEL, plan, waits, time.monotonic() + seconds, seed=1)


def test_from_nothing_it_shares_rides_and_the_checker_agrees() -> None:
    requests = tuple(trip(f"R{i}", 50.700 + i * 0.002, 3.160) for i in range(4))
    problem = Problem(DAY, requests, (vehicle("AA-001-AA"), vehicle("AA-002-AA")), RULES)
    plan = _improve(problem, Plan((), {}))
    assert check(problem, plan, TRAVEL) == []
    kpis = plan_kpis(problem, plan, TRAVEL)
    assert kpis.served == 4 and kpis.vehicles_used == 1 and kpis.shared_patients == 4


def test_a_vsl_does_not_chain_pickups_too_far_apart_while_someone_is_aboard() -> None:
    """Two patients the spacing rule keeps apart in a VSL, who could share a taxi."""
    far = RULES.vsl_max_km_between_pickups / RULES.roads.road_factor / 111 + 0.03
    requests = (
        trip("A", 50.70, 3.16, mode=Kind.VSL),
        trip("B", 50.70 + far, 3.16, mode=Kind.VSL),
    )
    problem = Problem(DAY, requests, (vehicle("VS-001-AA", Kind.VSL),), RULES)
    plan = _improve(problem, Plan((), {}))
    assert [v for v in check(problem, plan, TRAVEL) if v.rule == "vsl_pickup_spacing"] == []
    assert check(problem, plan, TRAVEL) == []


def test_a_patient_keeps_the_wait_allowance_over_both_trips() -> None:
    """Outbound at 8:00 and back from 11:00: arriving early plus waiting stays within 45 min,
    however the search moves either trip."""
    out = trip("P-out", 50.70, 3.16, patient="P")
    back = trip(
        "P-back", 50.70, 3.16, patient="P", direction=Direction.RETURN, appointment=None,
        ready=11 * H, pickup=CLINIC, dropoff=Point(50.70, 3.16),
    )  # fmt: skip
    others = tuple(
        trip(f"R{i}", 50.69 + i * 0.003, 3.15, appointment=7 * H + 1800) for i in range(3)
    )
    problem = Problem(DAY, (out, back, *others), (vehicle("AA-001-AA"),), RULES)
    plan = _improve(problem, Plan((), {}))
    assert check(problem, plan, TRAVEL) == []
    times = {(s.request, s.kind): s.time for r in plan.routes for s in r.stops}
    early = 8 * H - times[("P-out", StopKind.DROPOFF)]
    late = times[("P-back", StopKind.PICKUP)] - 11 * H
    assert early + late <= RULES.max_total_wait_minutes * 60


def test_a_pinned_request_goes_to_its_vehicle_only() -> None:
    requests = (trip("A", 50.70, 3.16, vehicle="AA-002-AA"), trip("B", 50.701, 3.16))
    problem = Problem(DAY, requests, (vehicle("AA-001-AA"), vehicle("AA-002-AA")), RULES)
    plan = _improve(problem, Plan((), {}))
    carrier = {rid: route.vehicle for route in plan.routes for rid in route.requests}
    assert carrier["A"] == "AA-002-AA"
    assert check(problem, plan, TRAVEL) == []


def test_a_start_that_breaks_a_rule_is_replanned_not_kept() -> None:
    """A hand-made route that arrives after the appointment is not trusted as a start."""
    requests = (trip("A", 50.70, 3.16),)
    problem = Problem(DAY, requests, (vehicle("AA-001-AA"),), RULES)
    late = Route(
        "AA-001-AA",
        (
            Stop(StopKind.START, 9 * H),
            Stop(StopKind.PICKUP, 9 * H + 600, "A"),
            Stop(StopKind.DROPOFF, 9 * H + 1800, "A"),
            Stop(StopKind.END, 10 * H),
        ),
    )
    plan = _improve(problem, Plan((late,), {}))
    assert check(problem, plan, TRAVEL) == []
    dropoff = next(s for r in plan.routes for s in r.stops if s.kind is StopKind.DROPOFF)
    assert dropoff.time <= 8 * H


def test_on_a_synthetic_day_it_improves_on_or_tools_alone() -> None:
    """The same day and time, with and without the search: fewer km, no fewer served."""
    day = generate_day(DAY, requests=120, seed=5)
    problem = problem_from_records(DAY, day.requests, day.vehicles, day.carriers).problem
    alone = solve(problem, TRAVEL, SolveParams(time_limit_s=8, search_share=0.0)).plan
    both = solve(problem, TRAVEL, SolveParams(time_limit_s=8, search_share=0.4)).plan
    assert check(problem, both, TRAVEL) == []
    before, after = plan_kpis(problem, alone, TRAVEL), plan_kpis(problem, both, TRAVEL)
    assert after.served >= before.served
    assert after.served > before.served or after.total_km < before.total_km


def test_a_rotation_weight_gives_a_far_carrier_its_share() -> None:
    """Trips near carrier A's base: by km alone A does them all; weighted, B gets its share."""
    near, far = Point(50.70, 3.16), Point(50.80, 3.30)
    requests = tuple(
        trip(f"R{i}", 50.70 + 0.002 * i, 3.16, appointment=7 * H + i * 3600, patient=f"P{i}")
        for i in range(8)
    )
    fleet = (
        vehicle("AA-001-AA", carrier="A", base=near),
        vehicle("BB-001-BB", carrier="B", base=far),
    )
    problem = Problem(DAY, requests, fleet, RULES)
    waits = _wait_allowances(problem, ())

    def trips_of_b(weight: float) -> int:
        plan = improve(
            problem, TRAVEL, Plan(()), waits, time.monotonic() + 3, seed=1, iterations=300,
            rotation_km_per_trip=weight,
        )  # fmt: skip
        assert check(problem, plan, TRAVEL) == []
        assert not plan.unassigned
        return sum(len(r.requests) for r in plan.routes if r.vehicle == "BB-001-BB")

    assert trips_of_b(0.0) == 0
    assert trips_of_b(100.0) == 4
