"""What the Assurance Maladie pays for each trip, as the search weighs it.

The search (``planning.lns``) prices a passenger from a table: by request, by fare class (the
vehicle's kind and tariff standing: SEFi geolocation, certification) and by the most patients
aboard during the ride, which sets the shared-ride discount. The amounts come from the
tariffs in force and the patient's coverage, through the same pricing as the plan's KPIs
(``planning.costs``), at the time a direct ride would pick the patient up. Two things the KPIs
count are left out, as they depend on the rest of the route: the surcharge for a taxi that
goes back to base empty after care, and a pickup moved into night hours.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planning.costs import CostError, reimbursement, trip_price
from planning.model import Problem, Vehicle
from planning.plan_costs import ADULT, billed_trip, direct_pickup_time
from planning.tariffs import tariffs_on
from planning.travel import Travel


@dataclass(frozen=True)
class FareTable:
    fare: npt.NDArray[np.float64]  # (R, C, P) euros the insurer pays
    fare_class: npt.NDArray[np.int64]  # (K,) each vehicle's class


def fare_table(problem: Problem, travel: Travel, vehicles: Sequence[Vehicle]) -> FareTable:
    """The insurer's euros for every request, fare class of ``vehicles`` and sharing level.

    A level the tariff does not price (an ambulance shared, a VSL with four patients) is given
    the fare of the highest level it prices, so that fares never rise with sharing; the
    vehicles' places keep such rides from happening anyway.
    """
    tariffs = tariffs_on(problem.day)
    classes: dict[tuple[str, bool, bool], int] = {}
    examples: list[Vehicle] = []
    for vehicle in vehicles:
        key = (vehicle.kind.value, vehicle.sefi_geolocated, vehicle.certified)
        if key not in classes:
            classes[key] = len(classes)
            examples.append(vehicle)
    levels = max([1, *problem.rules.max_patients.values()])
    fare = np.zeros((len(problem.requests), max(1, len(examples)), levels))
    for r, request in enumerate(problem.requests):
        start = direct_pickup_time(request, travel)
        for c, vehicle in enumerate(examples):
            for n in range(1, levels + 1):
                trip = billed_trip(problem, request, vehicle, travel, start, n, False)
                try:
                    price = trip_price(trip, tariffs).amount
                except CostError:
                    fare[r, c, n - 1] = fare[r, c, n - 2]  # n = 1 always prices
                    continue
                paid = reimbursement(
                    price, request.coverage, request.age or ADULT, 0, tariffs=tariffs
                )
                fare[r, c, n - 1] = float(paid.insurer_pays)
    fare_class = np.array(
        [classes[(v.kind.value, v.sefi_geolocated, v.certified)] for v in vehicles], dtype=np.int64
    )
    return FareTable(fare, fare_class)
