"""Hand edits of a plan: they do what was asked, and the checker says when that breaks a rule."""

from planning.checker import check
from planning.edits import BROKEN_DOWN, TAKEN_OUT, breakdown, move_requests, shift_stop, unassign
from planning.model import Kind, Load, Problem
from planning.plan import Plan, Route, StopKind
from tests.planning_factories import DAY, RULES, TRAVEL, H, trip, vehicle


def _day() -> tuple[Problem, Plan]:
    """Two neighbours sharing taxi T1 to the clinic at 8:00, a third trip alone in T2 at 10:00,
    a fourth on T1 at 14:00, and a VSL V1 idle."""
    requests = (
        trip("A", 50.700, 3.160),
        trip("B", 50.702, 3.161),
        trip("C", 50.660, 3.100, appointment=10 * H),
        trip("D", 50.690, 3.150, appointment=14 * H),
    )
    problem = Problem(DAY, requests, (vehicle("T1"), vehicle("T2"), vehicle("V1", Kind.VSL)), RULES)
    plan = move_requests(problem, Plan((), {r.id: "à planifier" for r in requests}),
                         ["A", "B", "D"], "T1", TRAVEL)  # fmt: skip
    plan = move_requests(problem, plan, ["C"], "T2", TRAVEL)
    return problem, plan


def _on(plan: Plan, vehicle: str) -> tuple[str, ...]:
    return next((r.requests for r in plan.routes if r.vehicle == vehicle), ())


def test_requests_given_to_a_vehicle_are_timed_legally() -> None:
    problem, plan = _day()
    assert set(_on(plan, "T1")) == {"A", "B", "D"} and _on(plan, "T2") == ("C",)
    assert plan.unassigned == {}
    assert check(problem, plan, TRAVEL) == []
    t1 = next(r for r in plan.routes if r.vehicle == "T1")
    drops = {s.request: s.time for s in t1.stops if s.kind is StopKind.DROPOFF}
    assert 7 * H + 15 * 60 <= drops["A"] <= 8 * H and drops["D"] <= 14 * H


def test_a_shared_ride_moves_as_one_block_to_another_vehicle() -> None:
    problem, plan = _day()
    moved = move_requests(problem, plan, ["A", "B"], "T2", TRAVEL)
    assert _on(moved, "T1") == ("D",)
    assert set(_on(moved, "T2")) == {"A", "B", "C"}
    t2 = next(r for r in moved.routes if r.vehicle == "T2")
    order = [(s.kind, s.request) for s in t2.stops if s.request in {"A", "B"}]
    pickups = [k for k, (kind, _) in enumerate(order) if kind is StopKind.PICKUP]
    assert pickups == [0, 1]  # both aboard together, as they were
    assert check(problem, moved, TRAVEL) == []
    assert plan != moved and set(_on(plan, "T1")) == {"A", "B", "D"}  # the old plan is intact


def test_an_illegal_move_is_made_and_the_checker_names_it() -> None:
    """A lying patient put in a taxi: the trip is on the taxi, and a violation says why."""
    problem, plan = _day()
    lying = trip("L", 50.695, 3.155, appointment=11 * H, load=Load(lying=1), mode=Kind.AMBULANCE)
    problem = Problem(DAY, (*problem.requests, lying), problem.vehicles, RULES)
    plan = Plan(plan.routes, {"L": "aucune ambulance"})
    assert check(problem, plan, TRAVEL) == []
    moved = move_requests(problem, plan, ["L"], "T2", TRAVEL)
    assert "L" in _on(moved, "T2") and "L" not in moved.unassigned
    violations = check(problem, moved, TRAVEL)
    assert violations and all(v.request in {"L", None} for v in violations)
    assert any(v.request == "L" for v in violations)


def test_taking_trips_out_puts_them_back_in_the_pool_with_why() -> None:
    problem, plan = _day()
    out = unassign(problem, plan, ["B"], TAKEN_OUT, TRAVEL)
    assert set(_on(out, "T1")) == {"A", "D"}
    assert out.unassigned == {"B": TAKEN_OUT}
    assert check(problem, out, TRAVEL) == []


def test_a_breakdown_hands_back_the_trips_not_yet_picked_up() -> None:
    problem, plan = _day()
    broken = breakdown(problem, plan, "T1", 12 * H, TRAVEL)
    assert set(_on(broken, "T1")) == {"A", "B"}
    assert broken.unassigned == {"D": BROKEN_DOWN.format("T1")}
    assert check(problem, broken, TRAVEL) == []


def test_a_vehicle_broken_down_before_its_day_keeps_an_empty_route_to_lock() -> None:
    problem, plan = _day()
    broken = breakdown(problem, plan, "T2", 6 * H, TRAVEL)
    assert broken.unassigned == {"C": BROKEN_DOWN.format("T2")}
    t2 = next(r for r in broken.routes if r.vehicle == "T2")
    assert t2.requests == () and [s.kind for s in t2.stops] == [StopKind.START, StopKind.END]
    assert check(problem, broken, TRAVEL) == []


def test_a_stop_moved_later_pushes_the_next_ones_only_as_driving_requires() -> None:
    problem, plan = _day()
    t1 = next(r for r in plan.routes if r.vehicle == "T1")
    first = t1.stops[1]
    assert first.request is not None
    later = shift_stop(problem, plan, first.request, True, 60 * 60, TRAVEL)
    moved = next(r for r in later.routes if r.vehicle == "T1")
    assert moved.stops[1].time == first.time + 60 * 60
    assert all(b.time >= a.time for a, b in zip(moved.stops, moved.stops[1:], strict=False))
    assert moved.stops[-2].time == t1.stops[-2].time  # the 14:00 trip is far enough away
    # an hour later than the earliest legal time is late for 8:00: the checker says so
    assert any(v.request in {"A", "B"} for v in check(problem, later, TRAVEL))


def test_routes_keep_their_place_in_the_plan() -> None:
    problem, plan = _day()
    moved = move_requests(problem, plan, ["C"], "V1", TRAVEL)
    assert [r.vehicle for r in moved.routes] == ["T1", "V1"]
    assert isinstance(moved.routes[0], Route)
