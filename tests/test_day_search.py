"""The large-neighbourhood search on a department day: legal plans from any start."""

import time
from datetime import date

from importers.synthetic import generate_day
from planning.checker import check
from planning.day_search import improve
from planning.kpis import plan_kpis
from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle
from planning.optimiser import SolveParams, _wait_allowances, solve
from planning.plan import Plan, Route, Stop, StopKind
from planning.rules import rules_on
from planning.travel import CrowFliesTravel
from regul.planning_input import problem_from_records

DAY = date(2026, 11, 24)
RULES = rules_on(DAY)
TRAVEL = CrowFliesTravel(RULES.roads)
CLINIC = Point(50.633, 3.058)
H = 3600


def _trip(rid: str, lat: float, lon: float, **changes: object) -> Request:
    values: dict[str, object] = {
        "id": rid,
        "patient": rid,
        "direction": Direction.OUTBOUND,
        "pickup": Point(lat, lon),
        "dropoff": CLINIC,
        "mode": Kind.TAXI,
        "load": Load(seated=1),
        "care_type": "DIALYSIS",
        "sharing_compatible": True,
        "appointment": 8 * H,
    }
    values.update(changes)
    return Request(**values)  # type: ignore[arg-type]


def _vehicle(vid: str, kind: Kind = Kind.TAXI) -> Vehicle:
    places = Load(3, 0, 0) if kind is Kind.VSL else Load(4, 0, 1)
    return Vehicle(vid, "Taxis du Nord", kind, places, Point(50.69, 3.18), 6 * H, 18 * H)


def _improve(problem: Problem, plan: Plan, seconds: float = 2.0) -> Plan:
    waits = _wait_allowances(problem, ())
    return improve(problem, TRAVEL, plan, waits, time.monotonic() + seconds, seed=1)


def test_from_nothing_it_shares_rides_and_the_checker_agrees() -> None:
    requests = tuple(_trip(f"R{i}", 50.700 + i * 0.002, 3.160) for i in range(4))
    problem = Problem(DAY, requests, (_vehicle("AA-001-AA"), _vehicle("AA-002-AA")), RULES)
    plan = _improve(problem, Plan((), {}))
    assert check(problem, plan, TRAVEL) == []
    kpis = plan_kpis(problem, plan, TRAVEL)
    assert kpis.served == 4 and kpis.vehicles_used == 1 and kpis.shared_patients == 4


def test_a_vsl_does_not_chain_pickups_too_far_apart_while_someone_is_aboard() -> None:
    """Two patients the spacing rule keeps apart in a VSL, who could share a taxi."""
    far = RULES.vsl_max_km_between_pickups / RULES.roads.road_factor / 111 + 0.03
    requests = (
        _trip("A", 50.70, 3.16, mode=Kind.VSL),
        _trip("B", 50.70 + far, 3.16, mode=Kind.VSL),
    )
    problem = Problem(DAY, requests, (_vehicle("VS-001-AA", Kind.VSL),), RULES)
    plan = _improve(problem, Plan((), {}))
    assert [v for v in check(problem, plan, TRAVEL) if v.rule == "vsl_pickup_spacing"] == []
    assert check(problem, plan, TRAVEL) == []


def test_a_patient_keeps_the_wait_allowance_over_both_trips() -> None:
    """Outbound at 8:00 and back from 11:00: arriving early plus waiting stays within 45 min,
    however the search moves either trip."""
    out = _trip("P-out", 50.70, 3.16, patient="P")
    back = _trip(
        "P-back", 50.70, 3.16, patient="P", direction=Direction.RETURN, appointment=None,
        ready=11 * H, pickup=CLINIC, dropoff=Point(50.70, 3.16),
    )  # fmt: skip
    others = tuple(
        _trip(f"R{i}", 50.69 + i * 0.003, 3.15, appointment=7 * H + 1800) for i in range(3)
    )
    problem = Problem(DAY, (out, back, *others), (_vehicle("AA-001-AA"),), RULES)
    plan = _improve(problem, Plan((), {}))
    assert check(problem, plan, TRAVEL) == []
    times = {(s.request, s.kind): s.time for r in plan.routes for s in r.stops}
    early = 8 * H - times[("P-out", StopKind.DROPOFF)]
    late = times[("P-back", StopKind.PICKUP)] - 11 * H
    assert early + late <= RULES.max_total_wait_minutes * 60


def test_a_pinned_request_goes_to_its_vehicle_only() -> None:
    requests = (_trip("A", 50.70, 3.16, vehicle="AA-002-AA"), _trip("B", 50.701, 3.16))
    problem = Problem(DAY, requests, (_vehicle("AA-001-AA"), _vehicle("AA-002-AA")), RULES)
    plan = _improve(problem, Plan((), {}))
    carrier = {rid: route.vehicle for route in plan.routes for rid in route.requests}
    assert carrier["A"] == "AA-002-AA"
    assert check(problem, plan, TRAVEL) == []


def test_a_start_that_breaks_a_rule_is_replanned_not_kept() -> None:
    """A hand-made route that arrives after the appointment is not trusted as a start."""
    requests = (_trip("A", 50.70, 3.16),)
    problem = Problem(DAY, requests, (_vehicle("AA-001-AA"),), RULES)
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


def _carrier_vehicle(vid: str, carrier: str, base: Point) -> Vehicle:
    return Vehicle(vid, carrier, Kind.TAXI, Load(4, 0, 1), base, 6 * H, 18 * H)


def test_a_rotation_weight_gives_a_far_carrier_its_share() -> None:
    """Trips near carrier A's base: by km alone A does them all; weighted, B gets its share."""
    near, far = Point(50.70, 3.16), Point(50.80, 3.30)
    requests = tuple(
        _trip(f"R{i}", 50.70 + 0.002 * i, 3.16, appointment=7 * H + i * 3600, patient=f"P{i}")
        for i in range(8)
    )
    fleet = (
        _carrier_vehicle("AA-001-AA", "A", near),
        _carrier_vehicle("BB-001-BB", "B", far),
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
