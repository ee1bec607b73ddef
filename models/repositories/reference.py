"""Establishments, carriers and vehicles: the slow-changing data every day is planned against."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import NotFoundError
from models.establishments import Establishment
from models.fleet import Carrier, Vehicle
from models.records import CarrierRecord, EstablishmentRecord, VehicleRecord
from models.repositories.common import Outcome, upsert


def save_establishment(
    session: Session, record: EstablishmentRecord
) -> tuple[Establishment, Outcome]:
    position = record.position
    return upsert(
        session,
        Establishment,
        {"finess": record.finess},
        {
            "name": record.name,
            "address": record.address,
            "postcode": record.postcode,
            "commune": record.commune,
            "lat": position.lat if position else None,
            "lon": position.lon if position else None,
            "activities": [activity.value for activity in record.activities],
        },
    )


def save_carrier(session: Session, record: CarrierRecord) -> tuple[Carrier, Outcome]:
    position = record.base.position
    return upsert(
        session,
        Carrier,
        {"siret": record.siret},
        {
            "name": record.name,
            "base_address": record.base.address,
            "base_postcode": record.base.postcode,
            "base_commune": record.base.commune,
            "base_lat": position.lat if position else None,
            "base_lon": position.lon if position else None,
            "phone": record.phone,
            "email": record.email,
            "certified": record.certified,
            "sefi_geolocated": record.sefi_geolocated,
        },
    )


def save_vehicle(session: Session, record: VehicleRecord) -> tuple[Vehicle, Outcome]:
    carrier = carrier_by_siret(session, record.carrier_siret)
    return upsert(
        session,
        Vehicle,
        {"plate": record.plate},
        {
            "carrier_id": carrier.id,
            "kind": record.kind,
            "seated_places": record.seated_places,
            "lying_places": record.lying_places,
            "wheelchair_places": record.wheelchair_places,
            "shift_start": record.shift_start,
            "shift_end": record.shift_end,
        },
    )


def establishment_by_finess(session: Session, finess: str) -> Establishment:
    row = session.scalars(select(Establishment).filter_by(finess=finess)).one_or_none()
    if row is None:
        raise NotFoundError(f"établissement FINESS {finess} inconnu")
    return row


def carrier_by_siret(session: Session, siret: str) -> Carrier:
    row = session.scalars(select(Carrier).filter_by(siret=siret)).one_or_none()
    if row is None:
        raise NotFoundError(f"transporteur SIRET {siret} inconnu")
    return row


def list_establishments(session: Session) -> Sequence[Establishment]:
    return session.scalars(select(Establishment).order_by(Establishment.name)).all()


def list_carriers(session: Session) -> Sequence[Carrier]:
    return session.scalars(select(Carrier).order_by(Carrier.name)).all()
