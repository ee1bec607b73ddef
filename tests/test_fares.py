"""What the Assurance Maladie pays, as the search weighs it: the fare table, a route's fares,
and plans that follow the fares."""

import time

import numpy as np
import pytest

from planning.costs import reimbursement, trip_price
from planning.day_search import improve
from planning.fare_table import fare_table
from planning.kpis import most_sharing, plan_kpis
from planning.lns.instance import PdpInstance
from planning.lns.kernels import route_fare
from planning.model import Kind, Point, Problem
from planning.optimiser import SolveParams, _wait_allowances
from planning.plan import Plan, Route, Stop, StopKind
from planning.plan_costs import billed_trip, plan_costs
from planning.tariffs import tariffs_on
from tests.planning_factories import CLINIC, DAY, RULES, TRAVEL, H, trip, vehicle


def _line(
    positions: list[float], requests: list[tuple[int, int]], fares: list[float]
) -> PdpInstance:
    """Depot 0 and stops on a line, one fare class, every request with the same fares by
    patients aboard (1, 2, 3...)."""
    x = np.array(positions, dtype=float)
    distance = np.abs(x[:, None] - x[None, :])
    load = np.zeros((len(x), 5), dtype=np.int64)
    for p, d in requests:
        load[p] = [1, 0, 0, 1, 1]
        load[d] = [-1, 0, 0, -1, -1]
    table = np.tile(np.array(fares), (len(requests), 1, 1))
    return PdpInstance(
        name="line",
        distance=distance,
        travel=distance,
        service=np.zeros(len(x)),
        early=np.zeros(len(x)),
        late=np.full(len(x), 1e6),
        load=load,
        pickups=np.array([p for p, _ in requests], dtype=np.int64),
        deliveries=np.array([d for _, d in requests], dtype=np.int64),
        ride_limit=np.full(len(requests), np.inf),
        vehicle_start=np.array([0], dtype=np.int64),
        vehicle_end=np.array([0], dtype=np.int64),
        capacity=np.array([[4, 0, 0, 4, 1000]], dtype=np.int64),
        max_duration=np.array([np.inf]),
        fare=table,
        fare_class=np.zeros(1, dtype=np.int64),
        fare_weight=1.0,
    )


def _fare(instance: PdpInstance, route: list[int]) -> float:
    return float(route_fare(np.array(route, dtype=np.int64), len(route), instance.network, 0))


def test_a_route_prices_each_passenger_at_the_most_patients_it_rode_with() -> None:
    # A 1→3, B 2→4, C 5→6: A and B ride together from 2 to 3, C alone
    instance = _line([0, 1, 2, 3, 4, 5, 6], [(1, 3), (2, 4), (5, 6)], [10.0, 7.0, 6.0, 5.0])
    assert _fare(instance, [0, 1, 2, 3, 4, 5, 6, 0]) == 7.0 + 7.0 + 10.0
    assert _fare(instance, [0, 1, 3, 2, 4, 5, 6, 0]) == 30.0  # one after the other
    assert _fare(instance, [0, 1, 2, 5, 3, 4, 6, 0]) == 18.0  # three aboard from 5 to 3


def test_boarding_where_another_patient_leaves_is_not_a_shared_ride() -> None:
    # B is picked up at A's drop-off, before A gets out: together for no distance at all
    instance = _line([0, 1, 3, 3, 4], [(1, 2), (3, 4)], [10.0, 7.0])
    assert _fare(instance, [0, 1, 3, 2, 4, 0]) == 20.0
    problem = Problem(
        DAY,
        (
            trip("A", 50.70, 3.16, dropoff=Point(50.65, 3.10)),
            trip("B", 50.65, 3.10, appointment=9 * H),
        ),
        (vehicle("AA-001-AA"),),
        RULES,
    )
    route = Route(
        "AA-001-AA",
        (
            Stop(StopKind.START, 6 * H),
            Stop(StopKind.PICKUP, 7 * H, "A"),
            Stop(StopKind.PICKUP, 7 * H + 1200, "B"),
            Stop(StopKind.DROPOFF, 7 * H + 1260, "A"),
            Stop(StopKind.DROPOFF, 8 * H, "B"),
            Stop(StopKind.END, 9 * H),
        ),
    )
    assert most_sharing(problem, route, TRAVEL) == {"A": 1, "B": 1}
    assert plan_kpis(problem, Plan((route,), {}), TRAVEL).shared_patients == 0


def test_the_table_prices_every_sharing_level_with_the_tariffs_in_force() -> None:
    request = trip("A", 50.70, 3.16, departement="59", pickup_commune="Roubaix",
                   dropoff_commune="Lille", coverage="C2S")  # fmt: skip
    taxi, vsl = vehicle("AA-001-AA"), vehicle("VS-001-AA", Kind.VSL)
    problem = Problem(DAY, (request,), (taxi, vsl, vehicle("AA-002-AA")), RULES)
    table = fare_table(problem, TRAVEL, problem.vehicles)
    assert list(table.fare_class) == [0, 1, 0]
    tariffs = tariffs_on(DAY)
    start = 8 * H - TRAVEL.seconds(request.pickup, CLINIC)
    for c, carrier_vehicle in enumerate((taxi, vsl)):
        for n in (1, 2, 3):
            price = trip_price(billed_trip(problem, request, carrier_vehicle, TRAVEL, start, n,
                                           False), tariffs)  # fmt: skip
            paid = reimbursement(price.amount, "C2S", 40, 0, tariffs=tariffs).insurer_pays
            assert table.fare[0, c, n - 1] == pytest.approx(float(paid))
    taxi_fares = table.fare[0, 0]
    assert taxi_fares[1] == pytest.approx(taxi_fares[0] * 0.77, abs=0.01)  # −23 % for two
    assert taxi_fares[2] == pytest.approx(taxi_fares[0] * 0.65, abs=0.01)  # −35 % for three
    assert table.fare[0, 1, 3] == table.fare[0, 1, 2]  # a VSL never carries four


def _plan(problem: Problem, weight: float) -> Plan:
    waits = _wait_allowances(problem, ())
    return improve(
        problem, TRAVEL, Plan((), {}), waits, time.monotonic() + 5, seed=1, iterations=200,
        insurer_km_per_eur=weight,
    )  # fmt: skip


@pytest.mark.parametrize("vsl_first", [True, False])
def test_with_a_weight_the_trip_goes_to_the_vehicle_the_insurer_pays_least(
    vsl_first: bool,
) -> None:
    """A taxi and a VSL at the same base, equally far: only the fare tells them apart (taxi:
    pickup fee and km; VSL: flat fee, km and a short-trip top-up)."""
    request = trip("A", 50.640, 3.065, departement="59", pickup_commune="Lomme",
                   dropoff_commune="Lomme")  # fmt: skip
    taxi, vsl = vehicle("AA-001-AA"), vehicle("VS-001-AA", Kind.VSL)
    problem = Problem(DAY, (request,), (vsl, taxi) if vsl_first else (taxi, vsl), RULES)
    table = fare_table(problem, TRAVEL, (taxi, vsl))
    assert abs(table.fare[0, 0, 0] - table.fare[0, 1, 0]) > 1.0
    cheaper = taxi if table.fare[0, 0, 0] < table.fare[0, 1, 0] else vsl
    plan = _plan(problem, weight=1.0)
    assert [route.vehicle for route in plan.routes] == [cheaper.id]
    cheapest = float(table.fare[0, 0 if cheaper is taxi else 1, 0])
    # the KPIs price it as the search did: alone, back to base empty after care
    assert plan_costs(problem, plan, TRAVEL).insurer_pays_eur >= cheapest


def test_a_negative_insurer_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="insurer_km_per_eur"):
        SolveParams(insurer_km_per_eur=-1.0)
