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
from planning.formulation import fits, shareable
from planning.model import Kind, Problem, Vehicle
from planning.plan_costs import ADULT, billed_trip, direct_pickup_time
from planning.tariffs import tariffs_on
from planning.travel import Travel


@dataclass(frozen=True)
class FareTable:
    fare: npt.NDArray[np.float64]  # (R, C, P) euros the insurer pays
    fare_class: npt.NDArray[np.int64]  # (K,) each vehicle's class


def fare_table(problem: Problem, travel: Travel, vehicles: Sequence[Vehicle]) -> FareTable:
    """The insurer's euros for every request, fare class of ``vehicles`` and sharing level.

    Classes are what the tariff tells apart: the kind, and for VSL and ambulances the
    carrier's standing. A request is priced only in the classes that may carry it, up to the
    patients its class takes; a level beyond (or one the tariff does not price) gets the fare
    of the highest level priced, so that fares never rise with sharing. A class that may not
    carry the request keeps a fare of 0, which no plan uses.
    """
    tariffs = tariffs_on(problem.day)
    rules = problem.rules
    classes: dict[tuple[object, ...], int] = {}
    examples: list[Vehicle] = []
    of_vehicle = []
    for vehicle in vehicles:
        key = _fare_key(vehicle)
        if key not in classes:
            classes[key] = len(classes)
            examples.append(vehicle)
        of_vehicle.append(classes[key])
    levels = max([1, *rules.max_patients.values()])
    fare = np.zeros((len(problem.requests), max(1, len(examples)), levels))
    for r, request in enumerate(problem.requests):
        start = direct_pickup_time(request, travel)
        age = request.age or ADULT
        for c, vehicle in enumerate(examples):
            if not fits(rules, request, vehicle):
                continue
            most = rules.max_patients.get(vehicle.kind.value, 1) if shareable(rules, request) else 1
            priced = 0
            for n in range(1, most + 1):
                trip = billed_trip(problem, request, vehicle, travel, start, n, False)
                try:
                    price = trip_price(trip, tariffs).amount
                except CostError:
                    if n == 1:
                        raise
                    break
                paid = reimbursement(price, request.coverage, age, 0, tariffs=tariffs)
                fare[r, c, n - 1] = float(paid.insurer_pays)
                priced = n
            fare[r, c, priced:] = fare[r, c, priced - 1]
    return FareTable(fare, np.array(of_vehicle, dtype=np.int64))


def _fare_key(vehicle: Vehicle) -> tuple[object, ...]:
    """What sets a vehicle's fares: SEFi geolocation changes shared VSL discounts, and
    certification the VSL and ambulance base tariffs; a taxi's fares depend on neither."""
    if vehicle.kind is Kind.TAXI:
        return (vehicle.kind,)
    if vehicle.kind is Kind.VSL:
        return (vehicle.kind, vehicle.sefi_geolocated, vehicle.certified)
    return (vehicle.kind, vehicle.certified)
