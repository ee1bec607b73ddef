"""The plan checker: every rule of domain.md caught and explained, and nothing else."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from planning.checker import check, service_seconds
from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle
from planning.plan import Plan, Route, Stop, StopKind
from planning.rules import rules_on
from planning.travel import CrowFliesTravel

DAY = date(2026, 11, 24)
RULES = rules_on(DAY)
TRAVEL = CrowFliesTravel(RULES.roads)
BASE = Point(50.690, 3.180)  # Roubaix
HOME_A = Point(50.700, 3.160)
HOME_B = Point(50.705, 3.170)
FAR_HOME = Point(50.950, 2.600)  # beyond Hazebrouck
CLINIC = Point(50.633, 3.058)  # Lille
H = 3600


def _request(rid: str, home: Point = HOME_A, **changes: object) -> Request:
    values: dict[str, object] = {
        "id": rid,
        "patient": f"P-{rid}",
        "direction": Direction.OUTBOUND,
        "pickup": home,
        "dropoff": CLINIC,
        "mode": Kind.TAXI,
        "load": Load(seated=1),
        "care_type": "DIALYSIS",
        "sharing_compatible": True,
        "appointment": 8 * H,
    }
    values.update(changes)
    return Request(**values)  # type: ignore[arg-type]


def _vehicle(vid: str = "AB-123-CD", kind: Kind = Kind.TAXI, **changes: object) -> Vehicle:
    capacity = {Kind.TAXI: Load(3, 0, 1), Kind.VSL: Load(3), Kind.AMBULANCE: Load(1, 1)}[kind]
    values: dict[str, object] = {
        "id": vid,
        "carrier": "Taxis de Roubaix",
        "kind": kind,
        "capacity": capacity,
        "base": BASE,
        "shift_start": 6 * H,
        "shift_end": 18 * H,
    }
    values.update(changes)
    return Vehicle(**values)  # type: ignore[arg-type]


def _problem(requests: list[Request], vehicles: list[Vehicle], **rule_changes: object) -> Problem:
    return Problem(DAY, tuple(requests), tuple(vehicles), replace(RULES, **rule_changes))  # type: ignore[arg-type]


def _timed(problem: Problem, vehicle_id: str, order: list[tuple[StopKind, str]]) -> Route:
    """Stops at the earliest times the roads allow, waiting for ready times (test helper)."""
    vehicle = problem.vehicle(vehicle_id)
    start = vehicle.shift_start
    stops = [Stop(StopKind.START, start)]
    position, time, service = vehicle.base, start, 0
    for kind, rid in order:
        request = problem.request(rid)
        target = request.pickup if kind is StopKind.PICKUP else request.dropoff
        time = time + service + TRAVEL.seconds(position, target)
        if kind is StopKind.PICKUP and request.ready is not None:
            time = max(time, request.ready)
        stops.append(Stop(kind, time, rid))
        position, service = target, service_seconds(request, kind, problem)
    time = time + service + TRAVEL.seconds(position, vehicle.base)
    stops.append(Stop(StopKind.END, time))
    return Route(vehicle_id, tuple(stops))


def _shifted_to_arrive(route: Route, dropoff_index: int, at: int) -> Route:
    """The same route delayed so that one drop-off happens exactly at ``at``."""
    delta = at - route.stops[dropoff_index].time
    return Route(route.vehicle, tuple(replace(s, time=s.time + delta) for s in route.stops))


def _rules_broken(problem: Problem, plan: Plan) -> set[str]:
    return {v.rule for v in check(problem, plan, TRAVEL)}


P, D = StopKind.PICKUP, StopKind.DROPOFF


def _shared_ride(problem: Problem, vehicle: str = "AB-123-CD") -> Plan:
    route = _timed(problem, vehicle, [(P, "A"), (P, "B"), (D, "A"), (D, "B")])
    return Plan((_shifted_to_arrive(route, 3, 7 * H + 50 * 60),))


def test_a_legal_shared_ride_passes() -> None:
    """Two dialysis patients from neighbouring streets in one taxi, on time: no violation."""
    problem = _problem([_request("A"), _request("B", HOME_B)], [_vehicle()])
    assert check(problem, _shared_ride(problem), TRAVEL) == []


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"sharing_compatible": False}, "sharing_only_shareable", "prescription"),
        ({"care_type": "CONSULTATION"}, "sharing_only_shareable", "motif"),
        ({"load": Load(lying=1)}, "lying_only_in_ambulance", "allongé"),
        ({"mode": Kind.AMBULANCE}, "prescribed_mode", "prescrit en AMBULANCE"),
        ({"load": Load(wheelchair=1), "pickup": HOME_B}, None, None),
    ],
)
def test_patient_rules_on_a_shared_ride(
    changes: dict[str, object], rule: str | None, words: str | None
) -> None:
    """Sharing needs both prescriptions and an eligible care; lying needs an ambulance."""
    problem = _problem([_request("A", **changes), _request("B", HOME_B)], [_vehicle()])
    violations = check(problem, _shared_ride(problem), TRAVEL)
    if rule is None:
        assert violations == []  # a wheelchair user in the taxi's wheelchair place is fine
        return
    assert any(v.rule == rule and words in v.message and v.request == "A" for v in violations)


def test_wheelchair_needs_a_wheelchair_place() -> None:
    """A VSL without an adapted place cannot carry a wheelchair user."""
    problem = _problem(
        [_request("A", load=Load(wheelchair=1), mode=Kind.VSL)], [_vehicle(kind=Kind.VSL)]
    )
    route = _timed(problem, "AB-123-CD", [(P, "A"), (D, "A")])
    plan = Plan((_shifted_to_arrive(route, 2, 7 * H + 50 * 60),))
    assert _rules_broken(problem, plan) == {"wheelchair_place"}


def test_ambulance_carries_one_patient() -> None:
    """Two lying patients in one ambulance at once break the one-patient rule."""
    lying = {"load": Load(lying=1), "mode": Kind.AMBULANCE}
    ambulance = _vehicle(kind=Kind.AMBULANCE, capacity=Load(1, 2))
    problem = _problem([_request("A", **lying), _request("B", HOME_B, **lying)], [ambulance])
    broken = _rules_broken(problem, _shared_ride(problem))
    assert "ambulance_single_patient" in broken and "sharing_only_shareable" in broken


def test_taxi_and_vsl_prescriptions_are_interchangeable_unless_switched_off() -> None:
    """A seated prescription fits a taxi or a VSL; a centre may demand the exact mode."""
    requests = [_request("A", mode=Kind.VSL), _request("B", HOME_B)]
    problem = _problem(requests, [_vehicle()])
    assert check(problem, _shared_ride(problem), TRAVEL) == []
    strict = _problem(requests, [_vehicle()], checks=RULES.checks - {"tap_interchangeable"})
    assert _rules_broken(strict, _shared_ride(strict)) == {"prescribed_mode"}


def test_detour_beyond_ten_km_per_extra_patient() -> None:
    """A second patient living far away makes the first one's ride too long."""
    problem = _problem([_request("A"), _request("B", FAR_HOME)], [_vehicle()])
    route = _timed(problem, "AB-123-CD", [(P, "A"), (P, "B"), (D, "A"), (D, "B")])
    plan = Plan((_shifted_to_arrive(route, 3, 7 * H + 50 * 60),))
    violations = [v for v in check(problem, plan, TRAVEL) if v.rule == "detour_limit"]
    assert [v.request for v in violations] == ["A"]
    assert "au plus 10 km" in violations[0].message


def test_vsl_pickups_more_than_ten_km_apart() -> None:
    """In a shared VSL, successive pickups must lie within 10 km of each other."""
    requests = [_request("A", mode=Kind.VSL), _request("B", FAR_HOME, mode=Kind.VSL)]
    problem = _problem(
        requests,
        [_vehicle(kind=Kind.VSL, shift_start=4 * H)],
        max_detour_km=500.0,
        detour_km_per_extra_patient=500.0,
    )
    route = _timed(problem, "AB-123-CD", [(P, "A"), (P, "B"), (D, "A"), (D, "B")])
    plan = Plan((_shifted_to_arrive(route, 3, 7 * H + 50 * 60),))
    assert _rules_broken(problem, plan) == {"vsl_pickup_spacing"}


def test_care_site_window_and_returns() -> None:
    """Late or much too early at the appointment, or fetched before being ready: each caught."""
    problem = _problem(
        [
            _request("A"),
            _request(
                "R",
                direction=Direction.RETURN,
                pickup=CLINIC,
                dropoff=HOME_A,
                appointment=None,
                ready=12 * H,
            ),
        ],
        [_vehicle()],
    )
    out = _timed(problem, "AB-123-CD", [(P, "A"), (D, "A")])
    back = _timed(problem, "AB-123-CD", [(P, "R"), (D, "R")])
    for arrival, words in ((8 * H + 5 * 60, "après le rendez-vous"), (7 * H, "plus de 45 min")):
        late = _shifted_to_arrive(out, 2, arrival)
        plan = Plan((late,), {"R": "test"})
        messages = [v.message for v in check(problem, plan, TRAVEL)]
        assert any(words in m for m in messages), messages
    early_pickup = Route(back.vehicle, tuple(replace(s, time=s.time - 2 * H) for s in back.stops))
    plan = Plan((early_pickup,), {"A": "test"})
    assert "return_after_ready" in _rules_broken(problem, plan)


def test_total_wait_over_the_day() -> None:
    """30 min early to dialysis and 30 min waiting after it: 60 min, over the 45 allowed."""
    outbound = _request("A")
    back = _request(
        "R",
        direction=Direction.RETURN,
        pickup=CLINIC,
        dropoff=HOME_A,
        appointment=None,
        ready=12 * H,
        patient="P-A",
    )
    problem = _problem([outbound, back], [_vehicle()])
    out = _shifted_to_arrive(_timed(problem, "AB-123-CD", [(P, "A"), (D, "A")]), 2, 7 * H + 30 * 60)
    ret = _timed(problem, "AB-123-CD", [(P, "R"), (D, "R")])
    ret = _shifted_to_arrive(ret, 1, 12 * H + 30 * 60)  # index 1: the pickup
    both = Route(out.vehicle, (*out.stops[:-1], *ret.stops[1:]))
    violations = check(problem, Plan((both,)), TRAVEL)
    assert [v.rule for v in violations] == ["total_wait"]
    assert "60 min" in violations[0].message


def test_shifts_and_impossible_times() -> None:
    """Leaving before the shift, a leg faster than the road allows: both reported."""
    problem = _problem([_request("A")], [_vehicle(shift_start=7 * H + 50 * 60)])
    route = _shifted_to_arrive(
        _timed(problem, "AB-123-CD", [(P, "A"), (D, "A")]), 2, 7 * H + 55 * 60
    )
    assert _rules_broken(problem, Plan((route,))) == {"shifts"}
    squeezed = Route(
        route.vehicle,
        (route.stops[0], replace(route.stops[1], time=route.stops[0].time), *route.stops[2:]),
    )
    assert "structure" in _rules_broken(problem, Plan((squeezed,)))


def test_every_request_exactly_once() -> None:
    """Missing, twice, both served and unassigned, unknown, reasonless: all structural errors."""
    problem = _problem([_request("A"), _request("B", HOME_B)], [_vehicle(), _vehicle("ZZ-999-ZZ")])
    plan = _shared_ride(problem)
    messages = [
        v.message for v in check(problem, Plan(plan.routes, {"B": "aucun véhicule"}), TRAVEL)
    ]
    assert any("à la fois servie et non servie" in m for m in messages)
    assert any("absente du plan" in m for m in check_messages(problem, Plan((), {"A": "x"})))
    assert any("sans raison" in m for m in check_messages(problem, Plan((), {"A": "", "B": "x"})))
    assert any(
        "inconnue" in m for m in check_messages(problem, Plan((), {"A": "x", "B": "x", "C": "x"}))
    )
    twice = Plan((plan.routes[0], replace(plan.routes[0], vehicle="ZZ-999-ZZ")))
    assert any("servie deux fois" in m for m in check_messages(problem, twice))


def check_messages(problem: Problem, plan: Plan) -> list[str]:
    return [v.message for v in check(problem, plan, TRAVEL)]


def test_a_rule_switched_off_is_not_reported() -> None:
    """A centre's rule file can switch any check off; the others still apply."""
    requests = [_request("A", care_type="CONSULTATION"), _request("B", HOME_B)]
    problem = _problem(requests, [_vehicle()], checks=RULES.checks - {"sharing_only_shareable"})
    assert check(problem, _shared_ride(problem), TRAVEL) == []


def test_travel_matrices_match_single_legs_and_the_speed_model() -> None:
    """The optimiser's matrices and the checker's legs agree; short trips are slower."""
    points = [BASE, HOME_A, CLINIC, FAR_HOME]
    km, seconds = TRAVEL.matrices(points)
    for i, a in enumerate(points):
        for j, b in enumerate(points):
            assert km[i, j] == pytest.approx(TRAVEL.km(a, b))
            assert seconds[i, j] == TRAVEL.seconds(a, b)
    assert np.all(np.diag(seconds) == 0)
    short_speed = km[1, 2] / (seconds[1, 2] / 3600)
    long_speed = km[0, 3] / (seconds[0, 3] / 3600)
    assert short_speed < long_speed < RULES.roads.open_road_speed_kmh
