"""Checking any plan — optimised or edited by hand — against every rule, in words.

Written apart from the optimiser on purpose: it walks each route stop by stop and recomputes
loads, times and distances itself, so a flaw in the optimiser's model cannot hide here. Each
rule can be switched off in the rule file; each violation names the vehicle, the request and
what is wrong, in French, for the regulator.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle, clock
from planning.plan import Plan, Route, Stop, StopKind
from planning.travel import Travel

SLACK_S = 60  # planned times are rounded to the minute


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    vehicle: str | None = None
    request: str | None = None

    def __str__(self) -> str:
        return self.message


def service_seconds(request: Request, kind: StopKind, problem: Problem) -> int:
    """Time spent at a pickup or drop-off: installing the patient, more when lying."""
    roads = problem.rules.roads
    minutes = roads.pickup_minutes if kind is StopKind.PICKUP else roads.dropoff_minutes
    if request.lying:
        minutes += roads.lying_extra_minutes
    return round(minutes * 60)


def check(problem: Problem, plan: Plan, travel: Travel) -> list[Violation]:
    violations = _coverage(problem, plan)
    served: dict[str, tuple[int, int]] = {}  # request → (pickup time, drop-off time)
    for route in plan.routes:
        violations += _route(problem, route, travel, served)
    violations += _waits(problem, served)
    rules = problem.rules
    return [v for v in violations if v.rule == "structure" or rules.applies(v.rule)]


def _coverage(problem: Problem, plan: Plan) -> list[Violation]:
    """Every request exactly once: on one route (picked up, then dropped off) or unassigned."""
    found: list[Violation] = []
    seen: dict[str, str] = {}
    vehicles_seen: set[str] = set()
    known_requests = {r.id for r in problem.requests}
    known_vehicles = {v.id for v in problem.vehicles}
    for route in plan.routes:
        if route.vehicle not in known_vehicles:
            found.append(
                _structure(
                    f"véhicule {route.vehicle} absent de la flotte du jour "
                    "(indisponible ou retiré) : ses trajets sont à réaffecter",
                    route.vehicle,
                )
            )
            continue
        if route.vehicle in vehicles_seen:
            found.append(_structure(f"véhicule {route.vehicle} planifié deux fois", route.vehicle))
        vehicles_seen.add(route.vehicle)
        for request_id in route.requests:
            if request_id in seen:
                found.append(
                    _structure(f"demande {request_id} servie deux fois", route.vehicle, request_id)
                )
            seen[request_id] = route.vehicle
    for request_id, reason in plan.unassigned.items():
        if request_id in seen:
            found.append(
                _structure(f"demande {request_id} à la fois servie et non servie", None, request_id)
            )
        elif not reason.strip():
            found.append(
                _structure(f"demande {request_id} non servie sans raison", None, request_id)
            )
        seen[request_id] = ""
    for request_id in sorted(set(seen) - known_requests):
        found.append(_structure(f"demande inconnue {request_id}", None, request_id))
    for request_id in sorted(known_requests - set(seen)):
        found.append(
            _structure(
                f"demande {request_id} absente du plan (ni servie ni non servie)", None, request_id
            )
        )
    return found


def _route(
    problem: Problem, route: Route, travel: Travel, served: dict[str, tuple[int, int]]
) -> list[Violation]:
    if route.vehicle not in {v.id for v in problem.vehicles}:
        return []
    vehicle = problem.vehicle(route.vehicle)
    stops = route.stops
    found: list[Violation] = []
    if len(stops) < 2 or stops[0].kind is not StopKind.START or stops[-1].kind is not StopKind.END:
        return [
            _structure(f"{vehicle.id} : la tournée doit partir de la base et y revenir", vehicle.id)
        ]
    walk = _Walk(problem, vehicle, travel, found)
    walk.arrive(stops[0])
    for previous, stop in pairwise(stops):
        walk.leg(previous, stop)
        walk.arrive(stop)
    walk.finish(served)
    return found


class _Walk:
    """One vehicle's day replayed stop by stop."""

    def __init__(self, problem: Problem, vehicle: Vehicle, travel: Travel, found: list[Violation]):
        self.problem = problem
        self.rules = problem.rules
        self.vehicle = vehicle
        self.travel = travel
        self.found = found
        self.load = Load()
        self.on_board: dict[str, int] = {}  # request → pickup time
        self.km_on_board: dict[str, float] = defaultdict(float)
        self.most_sharing: dict[str, int] = defaultdict(int)
        self.pickups: dict[str, int] = {}
        self.dropoffs: dict[str, int] = {}
        self.last_pickup: Point | None = None
        self.position = vehicle.base

    def leg(self, previous: Stop, stop: Stop) -> None:
        target = self._position(stop)
        if target is None:
            return
        km = self.travel.km(self.position, target)
        for request_id in self.on_board:
            self.km_on_board[request_id] += km
        ready_to_leave = previous.time + self._service(previous)
        earliest = ready_to_leave + self.travel.seconds(self.position, target)
        if stop.time + SLACK_S < earliest:
            self._add(
                "structure",
                f"{self.vehicle.id} : {self._name(stop)} prévu à {clock(stop.time)}, mais le "
                f"trajet depuis l'arrêt précédent ({clock(previous.time)}) mène au plus tôt "
                f"à {clock(earliest)}",
                stop.request,
            )
        if stop.time < previous.time:
            self._add("structure", f"{self.vehicle.id} : arrêts dans le désordre", stop.request)
        self.position = target

    def arrive(self, stop: Stop) -> None:
        vehicle = self.vehicle
        if stop.kind is StopKind.START or stop.kind is StopKind.END:
            self._shift(stop)
            if stop.kind is StopKind.END and self.on_board:
                names = ", ".join(self.on_board)
                self._add("structure", f"{vehicle.id} : rentre à la base avec {names} à bord", None)
            return
        request = self._request(stop)
        if request is None:
            return
        if stop.kind is StopKind.PICKUP:
            self._pickup(stop, request)
        else:
            self._dropoff(stop, request)

    def _pickup(self, stop: Stop, request: Request) -> None:
        if request.id in self.pickups:
            self._add(
                "structure",
                f"{self.vehicle.id} : {request.id} pris en charge deux fois",
                request.id,
            )
            return
        self._compatibility(request)
        if request.ready is not None and stop.time + SLACK_S < request.ready:
            self._add(
                "return_after_ready",
                f"{request.id} : pris en charge à {clock(stop.time)}, avant l'heure de sortie "
                f"{clock(request.ready)}",
                request.id,
            )
        if (
            self.vehicle.kind is Kind.VSL
            and self.on_board
            and self.last_pickup is not None
            and (spacing := self.travel.km(self.last_pickup, request.pickup))
            > self.rules.vsl_max_km_between_pickups
        ):
            self._add(
                "vsl_pickup_spacing",
                f"{self.vehicle.id} (VSL) : {spacing:.1f} km entre deux prises en charge partagées "
                f"(au plus {self.rules.vsl_max_km_between_pickups:.0f} km)",
                request.id,
            )
        self.pickups[request.id] = stop.time
        self.on_board[request.id] = stop.time
        self.load = self.load + request.load
        self.last_pickup = request.pickup
        self._on_board_now(request.id)

    def _dropoff(self, stop: Stop, request: Request) -> None:
        if request.id not in self.on_board:
            self._add(
                "structure",
                f"{self.vehicle.id} : {request.id} déposé sans avoir été pris en charge",
                request.id,
            )
            return
        del self.on_board[request.id]
        self.load = self.load - request.load
        self.dropoffs[request.id] = stop.time
        if not self.on_board:
            self.last_pickup = None
        if request.appointment is not None:
            early = self.rules.max_early_arrival_minutes * 60
            if stop.time > request.appointment + SLACK_S:
                self._add(
                    "care_site_window",
                    f"{request.id} : arrivée à {clock(stop.time)}, après le rendez-vous de "
                    f"{clock(request.appointment)}",
                    request.id,
                )
            elif stop.time + SLACK_S < request.appointment - early:
                self._add(
                    "care_site_window",
                    f"{request.id} : arrivée à {clock(stop.time)}, plus de "
                    f"{self.rules.max_early_arrival_minutes} min avant le rendez-vous de "
                    f"{clock(request.appointment)}",
                    request.id,
                )
        self._detour(request)

    def _on_board_now(self, newcomer: str) -> None:
        """Capacity, patient count and sharing rules at the moment a patient boards."""
        vehicle, rules = self.vehicle, self.rules
        patients = len(self.on_board)
        for request_id in self.on_board:
            self.most_sharing[request_id] = max(self.most_sharing[request_id], patients)
        capacity = vehicle.capacity
        if self.load.wheelchair > capacity.wheelchair:
            self._add(
                "wheelchair_place",
                f"{vehicle.id} : {self.load.wheelchair} fauteuil(s) roulant(s) à bord pour "
                f"{capacity.wheelchair} place(s) adaptée(s)",
                newcomer,
            )
        if self.load.seated > capacity.seated or self.load.lying > capacity.lying:
            self._add(
                "capacity",
                f"{vehicle.id} : plus de places occupées ({self.load.seated} assises, "
                f"{self.load.lying} allongées) que le véhicule n'en a ({capacity.seated}, "
                f"{capacity.lying})",
                newcomer,
            )
        limit = rules.max_patients.get(vehicle.kind.value, 1)
        if patients > limit:
            rule = "ambulance_single_patient" if vehicle.kind is Kind.AMBULANCE else "max_patients"
            self._add(
                rule,
                f"{vehicle.id} ({vehicle.kind.value}) : {patients} patients à bord, "
                f"au plus {limit}",
                newcomer,
            )
        if patients > 1:
            for request_id in self.on_board:
                reason = self._why_not_shareable(self.problem.request(request_id))
                if reason:
                    self._add(
                        "sharing_only_shareable",
                        f"{request_id} partage le {vehicle.kind.value} {vehicle.id} alors que "
                        f"{reason}",
                        request_id,
                    )

    def _why_not_shareable(self, request: Request) -> str | None:
        if not request.sharing_compatible:
            return "sa prescription ne permet pas le partage"
        if request.sharing_refused:
            return "le patient a refusé le transport partagé"
        if not self.rules.sharing_allowed_for(request.care_type):
            return f"son motif ({request.care_type}) n'ouvre pas droit au transport partagé"
        if not self.rules.sharing_allowed_in(self.vehicle.kind.value):
            return "ce type de véhicule n'est jamais partagé"
        return None

    def _compatibility(self, request: Request) -> None:
        kind, vehicle = request.mode, self.vehicle
        if vehicle.id in request.excluded_vehicles:
            self._add(
                "structure",
                f"{request.id} : refusée par le transporteur de {vehicle.id} (ou proposition "
                "expirée) : à confier à un autre véhicule",
                request.id,
            )
        if request.lying and vehicle.kind is not Kind.AMBULANCE:
            self._add(
                "lying_only_in_ambulance",
                f"{request.id} voyage allongé : {vehicle.id} est un {vehicle.kind.value}, pas une "
                "ambulance",
                request.id,
            )
        seated_kinds = {Kind.TAXI, Kind.VSL}
        fits = vehicle.kind is kind or (
            self.rules.applies("tap_interchangeable")
            and kind in seated_kinds
            and vehicle.kind in seated_kinds
        )
        if not fits:
            self._add(
                "prescribed_mode",
                f"{request.id} : prescrit en {kind.value}, planifié dans le {vehicle.kind.value} "
                f"{vehicle.id}",
                request.id,
            )

    def _detour(self, request: Request) -> None:
        sharing = self.most_sharing.get(request.id, 1)
        if sharing < 2:
            return
        direct = self.travel.km(request.pickup, request.dropoff)
        detour = self.km_on_board[request.id] - direct
        rules = self.rules
        allowed = min(rules.detour_km_per_extra_patient * (sharing - 1), rules.max_detour_km)
        if detour > allowed + 0.05:
            self._add(
                "detour_limit",
                f"{request.id} : détour de {detour:.1f} km pour un trajet partagé à {sharing} "
                f"(au plus {allowed:.0f} km)",
                request.id,
            )

    def _shift(self, stop: Stop) -> None:
        vehicle = self.vehicle
        if stop.kind is StopKind.START and stop.time + SLACK_S < vehicle.shift_start:
            self._add(
                "shifts",
                f"{vehicle.id} part à {clock(stop.time)}, avant sa prise de service "
                f"({clock(vehicle.shift_start)})",
                None,
            )
        if stop.kind is StopKind.END and stop.time > vehicle.shift_end + SLACK_S:
            self._add(
                "shifts",
                f"{vehicle.id} rentre à {clock(stop.time)}, après sa fin de service "
                f"({clock(vehicle.shift_end)})",
                None,
            )

    def finish(self, served: dict[str, tuple[int, int]]) -> None:
        for request_id, dropped in self.dropoffs.items():
            served[request_id] = (self.pickups[request_id], dropped)
        for request_id in self.on_board:
            self._add(
                "structure",
                f"{self.vehicle.id} : {request_id} pris en charge mais jamais déposé",
                request_id,
            )

    def _service(self, stop: Stop) -> int:
        request = self._request(stop) if stop.request else None
        if request is None:
            return 0
        return service_seconds(request, stop.kind, self.problem)

    def _position(self, stop: Stop) -> Point | None:
        if stop.kind in (StopKind.START, StopKind.END):
            return self.vehicle.base
        request = self._request(stop)
        if request is None:
            return None
        return request.pickup if stop.kind is StopKind.PICKUP else request.dropoff

    def _request(self, stop: Stop) -> Request | None:
        if stop.request is None:
            self._add("structure", f"{self.vehicle.id} : arrêt sans demande", None)
            return None
        try:
            return self.problem.request(stop.request)
        except KeyError:
            return None  # reported by the coverage check

    def _name(self, stop: Stop) -> str:
        names = {
            StopKind.START: "le départ",
            StopKind.END: "le retour à la base",
            StopKind.PICKUP: f"la prise en charge de {stop.request}",
            StopKind.DROPOFF: f"la dépose de {stop.request}",
        }
        return names[stop.kind]

    def _add(self, rule: str, message: str, request: str | None) -> None:
        self.found.append(Violation(rule, message, self.vehicle.id, request))


def _waits(problem: Problem, served: dict[str, tuple[int, int]]) -> list[Violation]:
    """A patient's wait at the care site over the day: early arrival plus waiting to leave."""
    limit = problem.rules.max_total_wait_minutes * 60
    waits: dict[str, int] = defaultdict(int)
    for request in problem.requests:
        if request.id not in served:
            continue
        pickup, dropoff = served[request.id]
        if request.direction is Direction.OUTBOUND and request.appointment is not None:
            waits[request.patient] += max(0, request.appointment - dropoff)
        elif request.direction is Direction.RETURN and request.ready is not None:
            waits[request.patient] += max(0, pickup - request.ready)
    return [
        Violation(
            "total_wait",
            f"patient {patient} : {wait // 60} min d'attente sur le lieu de soins dans la "
            f"journée (aller et retour), au plus {limit // 60}",
        )
        for patient, wait in sorted(waits.items())
        if wait > limit + SLACK_S
    ]


def _structure(message: str, vehicle: str | None, request: str | None = None) -> Violation:
    return Violation("structure", message, vehicle, request)
