"""The planning problem on plain values: requests, vehicles, the rules in force.

Independent of the database and of the solver. Times are whole seconds after midnight of the
service day (Paris wall clock), so a day's arithmetic stays in integers; positions are degrees.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

from planning.rules import RuleSet


class Kind(StrEnum):
    """A prescribed mode, and the kind of a vehicle (same names as the models' TransportMode)."""

    TAXI = "TAXI"
    VSL = "VSL"
    AMBULANCE = "AMBULANCE"


class Direction(StrEnum):
    OUTBOUND = "OUTBOUND"
    RETURN = "RETURN"
    TRANSFER = "TRANSFER"


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Load:
    """Places taken (or offered) by kind: a wheelchair user needs a wheelchair place."""

    seated: int = 0
    lying: int = 0
    wheelchair: int = 0

    def __add__(self, other: "Load") -> "Load":
        return Load(
            self.seated + other.seated,
            self.lying + other.lying,
            self.wheelchair + other.wheelchair,
        )

    def __sub__(self, other: "Load") -> "Load":
        return Load(
            self.seated - other.seated,
            self.lying - other.lying,
            self.wheelchair - other.wheelchair,
        )

    def fits_in(self, capacity: "Load") -> bool:
        return (
            self.seated <= capacity.seated
            and self.lying <= capacity.lying
            and self.wheelchair <= capacity.wheelchair
        )


@dataclass(frozen=True)
class Request:
    """One trip of one patient (and a companion, who takes a seat but is not a patient)."""

    id: str
    patient: str  # links a patient's outbound and return of the day
    direction: Direction
    pickup: Point
    dropoff: Point
    mode: Kind  # prescribed
    load: Load
    care_type: str
    sharing_compatible: bool  # the prescription does not forbid sharing
    appointment: int | None = None  # outbound: be at the drop-off by then
    ready: int | None = None  # return or transfer: pick up from then
    # For pricing the trip: where (the département's km rate, big cities) and who pays how much.
    departement: str = ""
    pickup_commune: str = ""
    dropoff_commune: str = ""
    coverage: str = "STANDARD"
    age: int | None = None
    vehicle: str | None = None  # pinned to this vehicle by the regulator (a locked assignment)
    # Vehicles whose carrier refused the trip or let its proposal expire: never again there.
    excluded_vehicles: frozenset[str] = frozenset()
    sharing_refused: bool = False  # the patient turned a shared ride down: rides alone

    @property
    def lying(self) -> bool:
        return self.load.lying > 0


@dataclass(frozen=True)
class Vehicle:
    id: str  # the plate
    carrier: str
    kind: Kind
    capacity: Load
    base: Point
    shift_start: int
    shift_end: int
    certified: bool = True  # the carrier's tariff standing
    sefi_geolocated: bool = False


@dataclass(frozen=True)
class Problem:
    day: date
    requests: tuple[Request, ...]
    vehicles: tuple[Vehicle, ...]
    rules: RuleSet

    def request(self, request_id: str) -> Request:
        return self._requests[request_id]

    def vehicle(self, vehicle_id: str) -> Vehicle:
        return self._vehicles[vehicle_id]

    @cached_property
    def _requests(self) -> dict[str, Request]:
        return {r.id: r for r in self.requests}

    @cached_property
    def _vehicles(self) -> dict[str, Vehicle]:
        return {v.id: v for v in self.vehicles}


def clock(seconds: int) -> str:
    """'07:05' for 25,500 s; days beyond midnight show as 24:10 and so on."""
    minutes = round(seconds / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
