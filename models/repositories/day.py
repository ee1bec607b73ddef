"""A service day as plain records: its open requests and the fleet available that day."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.enums import RequestStatus
from models.fleet import Carrier, Vehicle, VehicleAvailability
from models.patients import Patient
from models.records import (
    CarrierRecord,
    PatientRecord,
    PlaceRecord,
    Position,
    RequestRecord,
    VehicleRecord,
)
from models.requests import TransportRequest


def open_requests(session: Session, service_date: date) -> list[RequestRecord]:
    """The day's requests still to carry (cancelled ones left out), oldest first."""
    rows = session.scalars(
        select(TransportRequest)
        .where(
            TransportRequest.service_date == service_date,
            TransportRequest.status == RequestStatus.OPEN,
        )
        .options(
            selectinload(TransportRequest.patient),
            selectinload(TransportRequest.pickup_establishment),
            selectinload(TransportRequest.dropoff_establishment),
            selectinload(TransportRequest.chosen_carrier),
        )
        .order_by(TransportRequest.id)
    )
    return [_request(row) for row in rows]


def fleet_on(
    session: Session, service_date: date
) -> tuple[list[VehicleRecord], list[CarrierRecord]]:
    """Vehicles in service that day, with the day's own shift where one was set."""
    exceptions = {
        a.vehicle_id: a
        for a in session.scalars(
            select(VehicleAvailability).where(VehicleAvailability.service_date == service_date)
        )
    }
    carriers = list(
        session.scalars(
            select(Carrier).options(selectinload(Carrier.vehicles)).order_by(Carrier.name)
        )
    )
    vehicles: list[VehicleRecord] = []
    for carrier in carriers:
        for vehicle in carrier.vehicles:
            if not vehicle.in_service:
                continue
            exception = exceptions.get(vehicle.id)
            if exception is not None and not exception.available:
                continue
            vehicles.append(vehicle_record(carrier, vehicle, exception))
    return vehicles, [_carrier(c) for c in carriers]


def vehicle_record(
    carrier: Carrier, vehicle: Vehicle, exception: VehicleAvailability | None
) -> VehicleRecord:
    """The vehicle as planned on a day: its usual shift, or that day's own where one was set."""
    start, end = vehicle.shift_start, vehicle.shift_end
    if exception is not None:
        start = exception.shift_start or start
        end = exception.shift_end or end
    return VehicleRecord(
        carrier_siret=carrier.siret,
        plate=vehicle.plate,
        kind=vehicle.kind,
        seated_places=vehicle.seated_places,
        shift_start=start,
        shift_end=end,
        lying_places=vehicle.lying_places,
        wheelchair_places=vehicle.wheelchair_places,
    )


def _carrier(carrier: Carrier) -> CarrierRecord:
    position = Position.of(carrier.base_lat, carrier.base_lon)
    return CarrierRecord(
        siret=carrier.siret,
        name=carrier.name,
        base=PlaceRecord(
            carrier.base_address, carrier.base_postcode, carrier.base_commune, position
        ),
        phone=carrier.phone,
        email=carrier.email,
        certified=carrier.certified,
        sefi_geolocated=carrier.sefi_geolocated,
    )


def patient_record(patient: Patient) -> PatientRecord:
    return PatientRecord(
        file_number=patient.file_number,
        last_name=patient.last_name,
        first_name=patient.first_name,
        issuer=patient.issuer,
        birth_date=patient.birth_date,
        phone=patient.phone,
    )


def _request(row: TransportRequest) -> RequestRecord:
    return RequestRecord(
        external_id=row.external_id,
        service_date=row.service_date,
        patient=patient_record(row.patient),
        direction=row.direction,
        pickup=_place(row, "pickup"),
        dropoff=_place(row, "dropoff"),
        prescribed_mode=row.prescribed_mode,
        mobility=row.mobility,
        care_type=row.care_type,
        appointment_at=row.appointment_at,
        ready_at=row.ready_at,
        care_unit=row.care_unit,
        oxygen=row.oxygen,
        companion=row.companion,
        sharing_compatible=row.sharing_compatible,
        sharing_refused=row.sharing_refused,
        coverage=row.coverage,
        payer=row.payer,
        prior_approval=row.prior_approval,
        chosen_carrier_siret=row.chosen_carrier.siret if row.chosen_carrier else None,
        flags=tuple(str(f) for f in row.flags),
        notes=row.notes,
        series_id=row.series_id,
    )


def _place(row: TransportRequest, side: str) -> PlaceRecord:
    lat, lon = getattr(row, f"{side}_lat"), getattr(row, f"{side}_lon")
    site = getattr(row, f"{side}_establishment")
    return PlaceRecord(
        address=getattr(row, f"{side}_address"),
        postcode=getattr(row, f"{side}_postcode"),
        commune=getattr(row, f"{side}_commune"),
        position=Position.of(lat, lon),
        establishment_finess=site.finess if site is not None else None,
    )
