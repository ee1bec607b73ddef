"""What a plan costs the Assurance Maladie, next to the same day done in solo rides.

Each served request is one invoice: its direct road km, the kind of vehicle that carried it,
how many patients rode with it at most over a leg driven, the time it started (with the
holiday surcharge on the public holidays of its département), and a surcharge when the
vehicle went back to base empty after it.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from planning.costs import BilledTrip, plan_cost
from planning.holidays import is_public_holiday
from planning.kpis import most_sharing, nearest_fitting
from planning.model import Kind, Problem, Request, Vehicle
from planning.plan import Plan, StopKind
from planning.tariffs import tariffs_on
from planning.travel import Travel

ADULT = 40  # age assumed when the birth date is unknown: the franchise applies


@dataclass(frozen=True)
class CostFigures:
    billed_eur: float
    insurer_pays_eur: float
    solo_billed_eur: float
    solo_insurer_pays_eur: float
    unverified: bool  # some tariff used is marked unverified in the data
    revenue_by_carrier: dict[str, float]


@dataclass(frozen=True)
class PlannedTrip:
    """One served request as its carrier invoices it."""

    request: Request
    vehicle: Vehicle
    trip: BilledTrip


def planned_trips(problem: Problem, plan: Plan, travel: Travel) -> list[PlannedTrip]:
    """Every served request's invoice, route by route in drop-off order."""
    trips: list[PlannedTrip] = []
    for route in plan.routes:
        vehicle = problem.vehicle(route.vehicle)
        on_board: set[str] = set()
        sharing = most_sharing(problem, route, travel)
        picked: dict[str, int] = {}
        for index, stop in enumerate(route.stops):
            if stop.kind is StopKind.PICKUP and stop.request:
                on_board.add(stop.request)
                picked[stop.request] = stop.time
            elif stop.kind is StopKind.DROPOFF and stop.request:
                on_board.discard(stop.request)
                request = problem.request(stop.request)
                empty_after = route.stops[index + 1].kind is StopKind.END and not on_board
                trip = billed_trip(
                    problem,
                    request,
                    vehicle,
                    travel,
                    picked[request.id],
                    sharing[request.id],
                    empty_after,
                )
                trips.append(PlannedTrip(request, vehicle, trip))
    return trips


def plan_costs(problem: Problem, plan: Plan, travel: Travel) -> CostFigures:
    tariffs = tariffs_on(problem.day)
    trips = [
        (p.vehicle.carrier, p.trip, p.request.coverage, p.request.age or ADULT)
        for p in planned_trips(problem, plan, travel)
    ]
    solo: list[tuple[str, BilledTrip, str, int]] = []
    for request in problem.requests:
        fitting = nearest_fitting(problem, request, travel)
        if fitting is None:
            continue
        start = direct_pickup_time(request, travel)
        trip = billed_trip(problem, request, fitting, travel, start, 1, True)
        solo.append((fitting.carrier, trip, request.coverage, request.age or ADULT))
    planned, baseline = plan_cost(trips, tariffs), plan_cost(solo, tariffs)
    return CostFigures(
        billed_eur=float(planned.billed),
        insurer_pays_eur=float(planned.insurer_pays),
        solo_billed_eur=float(baseline.billed),
        solo_insurer_pays_eur=float(baseline.insurer_pays),
        unverified=planned.unverified or baseline.unverified,
        revenue_by_carrier={k: float(v) for k, v in sorted(planned.revenue.items())},
    )


def direct_pickup_time(request: Request, travel: Travel) -> int:
    """When a direct ride would pick the patient up: in time for the appointment, or at the
    ready time."""
    if request.appointment is not None:
        return request.appointment - travel.seconds(request.pickup, request.dropoff)
    return request.ready or 0


def billed_trip(
    problem: Problem,
    request: Request,
    vehicle: Vehicle,
    travel: Travel,
    pickup_time: int,
    sharing: int,
    empty_after: bool,
) -> BilledTrip:
    """The invoice of ``request`` carried by ``vehicle`` from ``pickup_time`` (seconds into
    the day) with at most ``sharing`` patients aboard; ``empty_after``: back to base empty."""
    start = datetime.combine(problem.day, time(0)) + timedelta(seconds=pickup_time)
    kind = vehicle.kind
    return BilledTrip(
        mode=kind.value,
        km=round(travel.km(request.pickup, request.dropoff), 1),
        departement=request.departement or "00",
        pickup_commune=request.pickup_commune,
        dropoff_commune=request.dropoff_commune,
        start=start,
        public_holiday=is_public_holiday(start.date(), request.departement or None),
        wheelchair=request.load.wheelchair > 0 and kind is Kind.TAXI,
        return_empty_after_care=empty_after and kind is Kind.TAXI,
        patients_sharing=1 if kind is Kind.AMBULANCE else max(1, sharing),
        sefi_geolocated=vehicle.sefi_geolocated,
        certified=vehicle.certified,
    )
