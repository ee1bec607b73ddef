"""Plain input records, as an importer or a generator produces them, keyed by natural ids.

They carry no database ids: establishments are named by FINESS, carriers by SIRET, vehicles by
plate, patients by issuer and file number, requests by external id and date. Repositories turn
them into rows, creating or updating, so loading the same records twice changes nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from models.enums import (
    CareType,
    Coverage,
    Direction,
    Mobility,
    Payer,
    StopKind,
    TransportMode,
)


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float

    @classmethod
    def of(cls, lat: float | None, lon: float | None) -> "Position | None":
        """The position stored as two nullable columns, or None when either is missing."""
        return cls(lat, lon) if lat is not None and lon is not None else None


@dataclass(frozen=True)
class PlaceRecord:
    address: str | None
    postcode: str | None
    commune: str | None
    position: Position | None = None
    establishment_finess: str | None = None


@dataclass(frozen=True)
class EstablishmentRecord:
    finess: str
    name: str
    address: str | None
    postcode: str | None
    commune: str | None
    position: Position | None
    activities: tuple[CareType, ...] = ()


@dataclass(frozen=True)
class CarrierRecord:
    siret: str
    name: str
    base: PlaceRecord
    phone: str | None = None
    email: str | None = None
    certified: bool = True
    sefi_geolocated: bool = False


@dataclass(frozen=True)
class VehicleRecord:
    carrier_siret: str
    plate: str
    kind: TransportMode
    seated_places: int
    shift_start: time
    shift_end: time
    lying_places: int = 0
    wheelchair_places: int = 0


@dataclass(frozen=True)
class PatientRecord:
    file_number: str
    last_name: str
    first_name: str
    issuer: str = ""
    birth_date: date | None = None
    phone: str | None = None


@dataclass(frozen=True)
class RequestRecord:
    external_id: str
    service_date: date
    patient: PatientRecord
    direction: Direction
    pickup: PlaceRecord
    dropoff: PlaceRecord
    prescribed_mode: TransportMode
    mobility: Mobility
    care_type: CareType
    appointment_at: datetime | None = None
    ready_at: datetime | None = None
    care_unit: str | None = None
    oxygen: bool = False
    companion: bool = False
    sharing_compatible: bool = False
    sharing_refused: bool = False  # the patient turned a shared ride down
    coverage: Coverage = Coverage.STANDARD
    payer: Payer = Payer.ASSURANCE_MALADIE
    prior_approval: bool = False
    chosen_carrier_siret: str | None = None
    flags: tuple[str, ...] = field(default=())
    notes: str | None = None
    series_id: int | None = None  # the recurring series that generated it, if any


@dataclass(frozen=True)
class SeriesRecord:
    """A recurring trip pattern: weekdays (ISO, Monday = 1), times, home and care site."""

    patient: PatientRecord
    establishment_finess: str
    weekdays: tuple[int, ...]
    valid_from: date
    valid_until: date
    appointment_time: time | None
    return_time: time | None
    home: PlaceRecord
    prescribed_mode: TransportMode
    mobility: Mobility
    care_type: CareType
    coverage: Coverage = Coverage.STANDARD
    sharing_compatible: bool = False
    companion: bool = False
    oxygen: bool = False
    care_unit: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class StoredSeries:
    """A series as stored: its id names the requests it generates."""

    id: int
    record: SeriesRecord
    establishment_place: PlaceRecord


@dataclass(frozen=True)
class StopRecord:
    kind: StopKind
    planned_at: datetime
    position: Position
    request_external_id: str | None = None


@dataclass(frozen=True)
class RouteRecord:
    vehicle_plate: str
    stops: tuple[StopRecord, ...]
    distance_m: int = 0
    empty_distance_m: int = 0
    locked: bool = False  # the regulator keeps this route as it is when re-planning


@dataclass(frozen=True)
class DayPlanRecord:
    """A whole day's plan by natural keys (plates, external ids), as the planner returns it."""

    service_date: date
    routes: tuple[RouteRecord, ...]
    unserved: Mapping[str, str]  # external id → reason
    kpis: Mapping[str, Any]
    solver_params: Mapping[str, Any]
    locked_requests: frozenset[str] = frozenset()  # kept on their vehicle when re-planning
    version: int = 0  # the stored plan's, as read (0: not read from the database)
