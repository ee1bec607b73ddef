"""The day's roster: every vehicle in service, and whether it is available that day.

A vehicle marked unavailable for a day is left out of that day's planning (``fleet_on``). The
mark is a per-day exception row, guarded by its version like any edit two desks may make.
"""

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from models.enums import TransportMode
from models.errors import ConflictError, NotFoundError
from models.fleet import Carrier, Vehicle, VehicleAvailability
from models.repositories.audit import record_action
from models.repositories.common import update
from models.repositories.day import vehicle_record


@dataclass(frozen=True)
class RosterEntry:
    plate: str
    carrier: str  # the carrier's name
    carrier_siret: str
    kind: TransportMode
    seated: int
    lying: int
    wheelchair: int
    shift_start: time  # that day's
    shift_end: time
    available: bool
    availability_version: int  # 0: no exception stored for the day yet


def roster_on(session: Session, service_date: date) -> list[RosterEntry]:
    exceptions = {
        a.vehicle_id: a
        for a in session.scalars(
            select(VehicleAvailability).where(VehicleAvailability.service_date == service_date)
        )
    }
    entries = []
    carriers = session.scalars(
        select(Carrier).options(selectinload(Carrier.vehicles)).order_by(Carrier.name)
    )
    for carrier in carriers:
        for vehicle in sorted(carrier.vehicles, key=lambda v: v.plate):
            if not vehicle.in_service:
                continue
            exception = exceptions.get(vehicle.id)
            day = vehicle_record(carrier, vehicle, exception)
            entries.append(
                RosterEntry(
                    plate=vehicle.plate,
                    carrier=carrier.name,
                    carrier_siret=carrier.siret,
                    kind=vehicle.kind,
                    seated=vehicle.seated_places,
                    lying=vehicle.lying_places,
                    wheelchair=vehicle.wheelchair_places,
                    shift_start=day.shift_start,
                    shift_end=day.shift_end,
                    available=exception.available if exception else True,
                    availability_version=exception.version if exception else 0,
                )
            )
    return entries


def set_available(
    session: Session, plate: str, service_date: date, available: bool, expected_version: int
) -> None:
    """Mark a vehicle available or not for the day, from the roster as read at
    ``expected_version`` of its exception row (0: there was none)."""
    vehicle = session.scalars(select(Vehicle).filter_by(plate=plate)).one_or_none()
    if vehicle is None:
        raise NotFoundError(f"véhicule {plate} introuvable")
    row = session.scalars(
        select(VehicleAvailability).filter_by(vehicle_id=vehicle.id, service_date=service_date)
    ).one_or_none()
    stale = ConflictError(
        f"la disponibilité de {plate} le {service_date:%d/%m/%Y} a été changée par un autre "
        "poste : la flotte est rechargée"
    )
    if row is None:
        if expected_version != 0:
            raise stale
        try:
            with session.begin_nested():
                session.add(
                    VehicleAvailability(
                        vehicle_id=vehicle.id, service_date=service_date, available=available
                    )
                )
        except IntegrityError:  # another desk created it meanwhile
            raise stale from None
    else:
        if row.version != expected_version:
            raise stale
        update(session, VehicleAvailability, row.id, expected_version, {"available": available})
    record_action(
        session,
        "availability",
        "vehicles",
        plate,
        f"{plate} {'disponible' if available else 'indisponible'} le {service_date:%d/%m/%Y}",
    )
