"""The rules as the solvers state them: one formulation for OR-Tools and for the search.

Both solvers (``planning.optimiser``'s OR-Tools model and ``planning.day_search``) read the
day through these functions, so they agree on who fits where, who may share, the windows and
the ride limits. The checker (``planning.checker``) does not: it judges their plans on its
own reading of the rules.
"""

from collections.abc import Sequence

from planning.model import Kind, Problem, Request, Vehicle
from planning.plan import Route, StopKind
from planning.rules import RuleSet

HORIZON_S = 26 * 3600
ALONE = 1_000  # a patient who may not share fills the "exclusive" counter
STOPS_ON_THE_WAY_S = 10 * 60  # another patient's pickup and drop-off during a shared ride
# Places by kind, patients (capped per vehicle kind), and the "exclusive" counter.
DIMENSIONS = ("seated", "lying", "wheelchair", "patients", "exclusive")

Window = tuple[int, int]


def service_s(rules: RuleSet, request: Request, pickup: bool) -> int:
    roads = rules.roads
    extra = roads.lying_extra_minutes if request.lying else 0.0
    minutes = roads.pickup_minutes if pickup else roads.dropoff_minutes
    return round((minutes + extra) * 60)


def fits(rules: RuleSet, request: Request, vehicle: Vehicle) -> bool:
    """The vehicle may carry the patient: the prescribed kind (taxi and VSL interchangeable
    where the rules allow), and places of the kind the patient needs."""
    if request.lying and vehicle.kind is not Kind.AMBULANCE:
        return False
    if not request.load.fits_in(vehicle.capacity):
        return False
    if request.mode is vehicle.kind:
        return True
    seated = {Kind.TAXI, Kind.VSL}
    return (
        rules.applies("tap_interchangeable") and request.mode in seated and vehicle.kind in seated
    )


def may_carry(rules: RuleSet, request: Request, vehicle: Vehicle) -> bool:
    """``fits``, the regulator did not pin the request to another vehicle, and this vehicle's
    carrier has not refused it."""
    return (
        fits(rules, request, vehicle)
        and request.vehicle in (None, vehicle.id)
        and vehicle.id not in request.excluded_vehicles
    )


def shareable(rules: RuleSet, request: Request, solo: frozenset[str] = frozenset()) -> bool:
    """May ride with others: the prescription allows it, the care type and the mode are
    eligible, the patient sits, and no earlier repair has made them ride alone."""
    return (
        request.id not in solo
        and request.sharing_compatible
        and not request.sharing_refused
        and rules.sharing_allowed_for(request.care_type)
        and rules.sharing_allowed_in(request.mode.value)
        and not request.lying
    )


def demand(rules: RuleSet, request: Request, solo: frozenset[str] = frozenset()) -> tuple[int, ...]:
    """What boarding takes, by ``DIMENSIONS``: a shareable patient counts 1 on "exclusive",
    any other the whole vehicle (``ALONE``), so the latter never rides with anyone."""
    load = request.load
    exclusive = 1 if shareable(rules, request, solo) else ALONE
    return (load.seated, load.lying, load.wheelchair, 1, exclusive)


def capacity(rules: RuleSet, vehicle: Vehicle) -> tuple[int, ...]:
    places = vehicle.capacity
    patients = rules.max_patients.get(vehicle.kind.value, 1)
    return (places.seated, places.lying, places.wheelchair, patients, ALONE)


def ride_limits(
    rules: RuleSet,
    request: Request,
    direct_km: float,
    direct_s: float,
    solo: frozenset[str] = frozenset(),
) -> tuple[float, float]:
    """(km aboard, seconds from the end of pickup to the drop-off) a patient may ride.

    The law allows 10 km of detour per extra patient aboard (up to 30): holding every shared
    ride to the allowance for two patients is always legal, whoever else boards. The time
    aboard adds that detour at urban speed and the stops on the way, so vehicles wait before
    a pickup rather than with a patient aboard.
    """
    extra_km = rules.detour_km_per_extra_patient if shareable(rules, request, solo) else 0.0
    extra_s = extra_km / rules.roads.urban_speed_kmh * 3600 + STOPS_ON_THE_WAY_S
    return direct_km + extra_km, direct_s + round(extra_s)


def windows(rules: RuleSet, request: Request, wait_s: int) -> tuple[Window, Window]:
    """(pickup, drop-off) windows for the start of service, given the wait the patient may
    still spend at the care site on this trip (``wait_s``)."""
    pickup: Window = (0, HORIZON_S)
    dropoff: Window = (0, HORIZON_S)
    if request.appointment is not None:
        early = min(wait_s, rules.max_early_arrival_minutes * 60)
        dropoff = (max(0, request.appointment - early), request.appointment)
    if request.ready is not None:
        pickup = (request.ready, request.ready + wait_s)
    return pickup, dropoff


def spent_waits(problem: Problem, routes: Sequence[Route]) -> dict[str, int]:
    """The wait at the care site each planned trip gives its patient, by request: arriving
    before the appointment (outbound), or waiting past the ready time (return)."""
    spent: dict[str, int] = {}
    for route in routes:
        for stop in route.stops:
            if stop.request is None:
                continue
            request = problem.request(stop.request)
            if stop.kind is StopKind.DROPOFF and request.appointment is not None:
                spent[request.id] = max(0, request.appointment - stop.time)
            elif stop.kind is StopKind.PICKUP and request.ready is not None:
                spent[request.id] = max(0, stop.time - request.ready)
    return spent


def why_unserved(rules: RuleSet, request: Request, vehicles: Sequence[Vehicle]) -> str:
    """The regulator's explanation for a request no plan could serve."""
    if request.vehicle is not None:
        return f"attribuée d'office au véhicule {request.vehicle}, qui ne peut pas la faire"
    if request.excluded_vehicles:
        return "refusée par les transporteurs des véhicules qui pouvaient la faire"
    fitting = [v for v in vehicles if fits(rules, request, v)]
    if not fitting:
        needed = "une ambulance" if request.lying or request.mode is Kind.AMBULANCE else (
            "un véhicule avec une place fauteuil" if request.load.wheelchair else
            "un véhicule du type prescrit"
        )  # fmt: skip
        return f"aucun véhicule disponible ne convient : il faut {needed}"
    moment = request.appointment if request.appointment is not None else request.ready
    if moment is not None and all(not (v.shift_start <= moment <= v.shift_end) for v in fitting):
        return "aucun véhicule adapté n'est en service à cette heure"
    return "flotte saturée à cette heure : aucun véhicule adapté ne peut s'y ajouter"
