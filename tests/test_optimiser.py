"""The optimiser: legal plans that chain and share rides, within its time limit."""

import time as clock

from importers.synthetic import generate_day
from planning.checker import check
from planning.kpis import plan_kpis, solo_baseline
from planning.model import Kind, Load, Problem
from planning.optimiser import SolveParams, solve
from planning.plan_costs import plan_costs
from regul.planning_input import problem_from_records
from tests.planning_factories import DAY, RULES, TRAVEL, trip, vehicle


def test_neighbours_going_to_the_same_clinic_share_a_taxi() -> None:
    """Four dialysis patients from one street, same appointment: one shared ride, all legal."""
    requests = tuple(trip(f"R{i}", 50.700 + i * 0.002, 3.160) for i in range(4))
    problem = Problem(DAY, requests, (vehicle("AA-001-AA"), vehicle("AA-002-AA")), RULES)
    result = solve(problem, TRAVEL, SolveParams(time_limit_s=3))
    assert check(problem, result.plan, TRAVEL) == []
    kpis = plan_kpis(problem, result.plan, TRAVEL)
    assert kpis.served == 4 and kpis.vehicles_used == 1 and kpis.shared_patients == 4
    assert kpis.total_km < 0.6 * solo_baseline(problem, TRAVEL).total_km


def test_a_patient_who_may_not_share_rides_alone() -> None:
    """Same street, but one prescription forbids sharing: that patient is never with another."""
    requests = (
        trip("A", 50.700, 3.160),
        trip("B", 50.702, 3.160, sharing_compatible=False),
        trip("C", 50.704, 3.160, care_type="CONSULTATION"),
    )
    taxis = (vehicle("AA-001-AA"), vehicle("AA-002-AA"), vehicle("AA-003-AA"))
    problem = Problem(DAY, requests, taxis, RULES)
    result = solve(problem, TRAVEL, SolveParams(time_limit_s=3))
    assert check(problem, result.plan, TRAVEL) == []
    assert plan_kpis(problem, result.plan, TRAVEL).shared_patients == 0
    assert result.served == 3


def test_no_fitting_vehicle_is_a_reason_not_a_failure() -> None:
    """A lying patient with only taxis on duty is left unserved, with the reason."""
    requests = (trip("L", 50.7, 3.16, load=Load(lying=1), mode=Kind.AMBULANCE),)
    problem = Problem(DAY, requests, (vehicle("AA-001-AA"),), RULES)
    result = solve(problem, TRAVEL, SolveParams(time_limit_s=1))
    assert result.plan.routes == ()
    assert "ambulance" in result.plan.unassigned["L"]


def test_a_synthetic_day_is_planned_legally_and_beats_solo_rides() -> None:
    """60 requests of the Nord demo: zero violations, far fewer km than solo rides.

    Its ten vehicles include no ambulance and cannot carry everyone: the unserved ones say so.
    """
    day = generate_day(DAY, requests=60, seed=4)
    problem = problem_from_records(DAY, day.requests, day.vehicles, day.carriers).problem
    progress: list[tuple[int, int]] = []
    result = solve(
        problem, TRAVEL, SolveParams(time_limit_s=6), lambda c, s: progress.append((c, s))
    )
    assert check(problem, result.plan, TRAVEL) == []
    kpis = plan_kpis(problem, result.plan, TRAVEL)
    assert kpis.served_share >= 0.7
    assert any("ambulance" in reason for reason in result.plan.unassigned.values())
    assert kpis.total_km <= 0.7 * solo_baseline(problem, TRAVEL).total_km
    served_ids = {rid for route in result.plan.routes for rid in route.requests}
    assert served_ids.isdisjoint(result.plan.unassigned)
    assert served_ids | set(result.plan.unassigned) == {r.id for r in problem.requests}
    assert progress and progress[-1][1] >= kpis.served - 1


def test_stopping_early_keeps_the_best_plan_so_far() -> None:
    """The console's Stop button: the search ends at the next solution, with a legal plan."""
    day = generate_day(DAY, requests=60, seed=4)
    problem = problem_from_records(DAY, day.requests, day.vehicles, day.carriers).problem
    started = clock.perf_counter()
    result = solve(problem, TRAVEL, SolveParams(time_limit_s=30), should_stop=lambda: True)
    assert clock.perf_counter() - started < 20
    assert result.served > 0
    assert check(problem, result.plan, TRAVEL) == []


def test_sharing_lowers_what_the_insurer_pays() -> None:
    """Four patients in one taxi cost the Assurance Maladie less than four solo rides."""
    requests = tuple(
        trip(f"R{i}", 50.700 + i * 0.002, 3.160, departement="59", coverage="ALD", age=70)
        for i in range(4)
    )
    problem = Problem(DAY, requests, (vehicle("AA-001-AA"), vehicle("AA-002-AA")), RULES)
    result = solve(problem, TRAVEL, SolveParams(time_limit_s=3))
    costs = plan_costs(problem, result.plan, TRAVEL)
    assert 0 < costs.insurer_pays_eur < costs.solo_insurer_pays_eur
    assert costs.billed_eur < costs.solo_billed_eur
    assert set(costs.revenue_by_carrier) == {"Taxis du Nord"}
