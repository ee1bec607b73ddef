"""What a plan achieves, next to the naive way of doing the same day.

The "solo" baseline sends each request its own ride from the nearest base with a fitting
vehicle and back: what a day looks like without chaining or sharing, so the gain is visible.
"""

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from planning.model import Kind, Point, Problem, Request, Vehicle
from planning.plan import Plan, Route, Stop, StopKind
from planning.travel import Travel


@dataclass(frozen=True)
class Kpis:
    requests: int
    served: int
    served_share: float
    vehicles_used: int
    total_km: float
    loaded_km: float
    empty_km: float
    empty_km_share: float
    shared_patients: int  # served patients who rode with another at some point
    shared_patient_share: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Baseline:
    total_km: float
    empty_km: float
    empty_km_share: float
    unserved: int  # requests no vehicle kind could take at all


def plan_kpis(problem: Problem, plan: Plan, travel: Travel) -> Kpis:
    total = loaded = 0.0
    shared: set[str] = set()
    served: set[str] = set()
    for route in plan.routes:
        route_total, route_loaded = route_km(problem, route, travel)
        total += route_total
        loaded += route_loaded
        sharing = most_sharing(problem, route, travel)
        served |= sharing.keys()
        shared |= {rid for rid, patients in sharing.items() if patients > 1}
    count = len(problem.requests)
    return Kpis(
        requests=count,
        served=len(served),
        served_share=_share(len(served), count),
        vehicles_used=sum(1 for r in plan.routes if r.requests),
        total_km=round(total, 1),
        loaded_km=round(loaded, 1),
        empty_km=round(total - loaded, 1),
        empty_km_share=_share(total - loaded, total),
        shared_patients=len(shared),
        shared_patient_share=_share(len(shared), len(served)),
    )


def stop_point(problem: Problem, vehicle: Vehicle, stop: Stop) -> Point:
    """Where a stop is: the vehicle's base, or its request's pickup or drop-off."""
    if stop.request is None:
        return vehicle.base
    request = problem.request(stop.request)
    return request.pickup if stop.kind is StopKind.PICKUP else request.dropoff


def most_sharing(problem: Problem, route: Route, travel: Travel) -> dict[str, int]:
    """The most patients aboard together during each request's ride, counting only legs
    driven: a patient who boards where another leaves has shared no part of the trip, so the
    invoice has no shared discount (décret 2025-202: carried together over all or part of
    the trip)."""
    most = {rid: 1 for rid in route.requests}
    for aboard in _shared_legs(problem, route, travel):
        for rid in aboard:
            most[rid] = max(most[rid], len(aboard))
    return most


def companions(problem: Problem, route: Route, travel: Travel) -> dict[str, frozenset[str]]:
    """Who rides with each request over a leg driven together (``most_sharing``'s reading of
    a shared ride): the names a driver's manifest and the invoice put beside the patient."""
    together: dict[str, set[str]] = {rid: set() for rid in route.requests}
    for aboard in _shared_legs(problem, route, travel):
        for rid in aboard:
            together[rid].update(aboard - {rid})
    return {rid: frozenset(others) for rid, others in together.items()}


def _shared_legs(problem: Problem, route: Route, travel: Travel) -> Iterator[frozenset[str]]:
    """Who is aboard on each leg driven (not a standstill) with two patients or more."""
    vehicle = problem.vehicle(route.vehicle)
    for leg in route.legs():
        if len(leg.aboard) < 2:
            continue
        start = stop_point(problem, vehicle, leg.start)
        if travel.km(start, stop_point(problem, vehicle, leg.end)) > 0:
            yield leg.aboard


def route_km(problem: Problem, route: Route, travel: Travel) -> tuple[float, float]:
    """A route's km in all, and those driven with a patient aboard."""
    vehicle = problem.vehicle(route.vehicle)
    total = loaded = 0.0
    aboard = 0
    position = vehicle.base
    for stop in route.stops:
        target = stop_point(problem, vehicle, stop)
        km = travel.km(position, target)
        total += km
        loaded += km if aboard else 0.0
        aboard += {StopKind.PICKUP: 1, StopKind.DROPOFF: -1}.get(stop.kind, 0)
        position = target
    return total, loaded


def solo_baseline(problem: Problem, travel: Travel) -> Baseline:
    """Each request alone: from the nearest fitting vehicle's base, to the patient, back."""
    total = empty = 0.0
    unserved = 0
    for request in problem.requests:
        vehicle = nearest_fitting(problem, request, travel)
        if vehicle is None:
            unserved += 1
            continue
        base = vehicle.base
        approach = travel.km(base, request.pickup)
        ride = travel.km(request.pickup, request.dropoff)
        back = travel.km(request.dropoff, base)
        total += approach + ride + back
        empty += approach + back
    return Baseline(round(total, 1), round(empty, 1), _share(empty, total), unserved)


def nearest_fitting(problem: Problem, request: Request, travel: Travel) -> Vehicle | None:
    """The vehicle a solo ride would use: the nearest whose kind fits the prescription."""
    fitting = [v for v in problem.vehicles if _fits_alone(request, v)]
    return min(fitting, key=lambda v: travel.km(v.base, request.pickup)) if fitting else None


def _fits_alone(request: Request, vehicle: Vehicle) -> bool:
    if request.lying or request.mode is Kind.AMBULANCE:
        return vehicle.kind is Kind.AMBULANCE and request.load.fits_in(vehicle.capacity)
    return vehicle.kind is not Kind.AMBULANCE and request.load.fits_in(vehicle.capacity)


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0
