"""Planning objects for the solver tests: a dialysis trip to Lille, a vehicle at Roubaix."""

from datetime import date

from planning.model import Direction, Kind, Load, Point, Request, Vehicle
from planning.rules import rules_on
from planning.travel import CrowFliesTravel

DAY = date(2026, 11, 24)
RULES = rules_on(DAY)
TRAVEL = CrowFliesTravel(RULES.roads)
CLINIC = Point(50.633, 3.058)
BASE = Point(50.69, 3.18)
H = 3600


def trip(rid: str, lat: float, lon: float, **changes: object) -> Request:
    """An outbound seated taxi trip from (lat, lon) to the clinic for 8:00, shareable."""
    values: dict[str, object] = {
        "id": rid,
        "patient": rid,
        "direction": Direction.OUTBOUND,
        "pickup": Point(lat, lon),
        "dropoff": CLINIC,
        "mode": Kind.TAXI,
        "load": Load(seated=1),
        "care_type": "DIALYSIS",
        "sharing_compatible": True,
        "appointment": 8 * H,
    }
    values.update(changes)
    return Request(**values)  # type: ignore[arg-type]


def vehicle(vid: str, kind: Kind = Kind.TAXI, **changes: object) -> Vehicle:
    """On duty 6:00–18:00 at Roubaix; a taxi has a wheelchair place, a VSL three seats."""
    places = Load(3, 0, 0) if kind is Kind.VSL else Load(4, 0, 1)
    values: dict[str, object] = {
        "id": vid,
        "carrier": "Taxis du Nord",
        "kind": kind,
        "capacity": places,
        "base": BASE,
        "shift_start": 6 * H,
        "shift_end": 18 * H,
    }
    values.update(changes)
    return Vehicle(**values)  # type: ignore[arg-type]
