"""From stored (or generated) records to the planner's plain problem, and what cannot be planned.

The planner knows nothing of the database: this is the one place where a request becomes
seconds after midnight, places by kind and a patient key, and a vehicle its base and shift.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from models.enums import Mobility
from models.records import CarrierRecord, RequestRecord, VehicleRecord
from models.timezone import to_paris
from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle
from planning.rules import RuleSet, rules_on

_LOADS = {
    Mobility.SEATED: Load(seated=1),
    Mobility.LYING: Load(lying=1),
    Mobility.WHEELCHAIR: Load(wheelchair=1),
}


@dataclass(frozen=True)
class PlanningInput:
    problem: Problem
    unplannable: dict[str, str]  # external id → why it cannot be planned at all (French)


def problem_from_records(
    day: date,
    requests: Sequence[RequestRecord],
    vehicles: Sequence[VehicleRecord],
    carriers: Sequence[CarrierRecord],
    rules: RuleSet | None = None,
    excluded: Mapping[str, frozenset[str]] | None = None,
    home_departement: str = "",
) -> PlanningInput:
    """``excluded``: by request, the vehicles whose carrier refused it or let it expire;
    ``home_departement``: the centre's, for the requests whose addresses have no postcode."""
    rules = rules or rules_on(day)
    excluded = excluded or {}
    unplannable: dict[str, str] = {}
    planned: list[Request] = []
    for record in requests:
        reason = _why_unplannable(record, day)
        if reason:
            unplannable[record.external_id] = reason
            continue
        request = _request(record, day, home_departement)
        if record.external_id in excluded:
            request = replace(request, excluded_vehicles=excluded[record.external_id])
        planned.append(request)
    by_siret = {c.siret: c for c in carriers}
    fleet = []
    for vehicle in vehicles:
        carrier = by_siret.get(vehicle.carrier_siret)
        base = carrier.base.position if carrier else None
        if carrier is None or base is None:
            continue  # a carrier with no known base cannot start a day
        fleet.append(
            Vehicle(
                id=vehicle.plate,
                carrier=vehicle.carrier_siret,
                kind=Kind(vehicle.kind.value),
                capacity=Load(
                    vehicle.seated_places, vehicle.lying_places, vehicle.wheelchair_places
                ),
                base=Point(base.lat, base.lon),
                shift_start=clock_seconds(vehicle.shift_start),
                shift_end=clock_seconds(vehicle.shift_end),
                certified=carrier.certified,
                sefi_geolocated=carrier.sefi_geolocated,
            )
        )
    return PlanningInput(Problem(day, tuple(planned), tuple(fleet), rules), unplannable)


def _why_unplannable(record: RequestRecord, day: date) -> str | None:
    if record.pickup.position is None or record.dropoff.position is None:
        return "lieu sans position : corrigez l'adresse puis réimportez"
    moment = record.appointment_at or record.ready_at
    if moment is None:
        return "ni heure de rendez-vous ni heure de sortie"
    if to_paris(moment).date() != day:
        return "heure d'un autre jour que celui du transport"
    return None


def _request(record: RequestRecord, day: date, home_departement: str) -> Request:
    assert record.pickup.position and record.dropoff.position
    load = places_taken(record.mobility, record.companion)
    patient = record.patient
    return Request(
        id=record.external_id,
        patient=f"{patient.issuer}/{patient.file_number}",
        direction=Direction(record.direction.value),
        pickup=Point(record.pickup.position.lat, record.pickup.position.lon),
        dropoff=Point(record.dropoff.position.lat, record.dropoff.position.lon),
        mode=Kind(record.prescribed_mode.value),
        load=load,
        care_type=record.care_type.value,
        sharing_compatible=record.sharing_compatible,
        sharing_refused=record.sharing_refused,
        appointment=seconds_in_day(record.appointment_at, day),
        ready=seconds_in_day(record.ready_at, day),
        departement=_departement(record.pickup.postcode or record.dropoff.postcode)
        or home_departement,
        pickup_commune=record.pickup.commune or "",
        dropoff_commune=record.dropoff.commune or "",
        coverage=record.coverage.value,
        age=_age(patient.birth_date, day),
    )


def places_taken(mobility: Mobility, companion: bool) -> Load:
    """A patient's place by how they travel, and a seat for a companion."""
    return _LOADS[mobility] + (Load(seated=1) if companion else Load())


def _departement(postcode: str | None) -> str:
    """'59000' → '59'; overseas '97411' → '974'; Corsica's 20xxx by its two départements."""
    if not postcode:
        return ""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


def _age(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def seconds_in_day(at: datetime | None, day: date) -> int | None:
    """An instant as the planner counts it: seconds after midnight of ``day``, Paris clock."""
    if at is None:
        return None
    local = to_paris(at)
    return (local.date() - day).days * 86_400 + clock_seconds(local.time())


def clock_seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second
