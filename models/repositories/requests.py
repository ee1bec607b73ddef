"""Patients and their transport requests."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import CancellationReason, RequestStatus
from models.patients import Patient
from models.records import PatientRecord, PlaceRecord, RequestRecord
from models.repositories.common import Outcome, update, upsert
from models.repositories.reference import carrier_by_siret, establishment_by_finess
from models.requests import TransportRequest


def save_patient(session: Session, record: PatientRecord) -> tuple[Patient, Outcome]:
    return upsert(
        session,
        Patient,
        {"issuer": record.issuer, "file_number": record.file_number},
        {
            "last_name": record.last_name,
            "first_name": record.first_name,
            "birth_date": record.birth_date,
            "phone": record.phone,
        },
    )


def save_request(session: Session, record: RequestRecord) -> tuple[TransportRequest, Outcome]:
    """Create or update the request (external id + date) and its patient.

    Only the hospital's fields are written; the request's status and planning are left alone, so
    re-sending a corrected file keeps the regulator's decisions on rows it did not change.
    """
    patient, _ = save_patient(session, record.patient)
    chosen = (
        carrier_by_siret(session, record.chosen_carrier_siret).id
        if record.chosen_carrier_siret
        else None
    )
    values: dict[str, Any] = {
        "patient": patient,
        "direction": record.direction,
        **_place_columns(session, "pickup", record.pickup),
        **_place_columns(session, "dropoff", record.dropoff),
        "care_unit": record.care_unit,
        "appointment_at": record.appointment_at,
        "ready_at": record.ready_at,
        "prescribed_mode": record.prescribed_mode,
        "mobility": record.mobility,
        "oxygen": record.oxygen,
        "companion": record.companion,
        "sharing_compatible": record.sharing_compatible,
        "care_type": record.care_type,
        "coverage": record.coverage,
        "payer": record.payer,
        "prior_approval": record.prior_approval,
        "chosen_carrier_id": chosen,
        "flags": list(record.flags),
    }
    return upsert(
        session,
        TransportRequest,
        {"external_id": record.external_id, "service_date": record.service_date},
        values,
    )


def _place_columns(session: Session, prefix: str, place: PlaceRecord) -> dict[str, Any]:
    establishment_id = (
        establishment_by_finess(session, place.establishment_finess).id
        if place.establishment_finess
        else None
    )
    return {
        f"{prefix}_address": place.address,
        f"{prefix}_postcode": place.postcode,
        f"{prefix}_commune": place.commune,
        f"{prefix}_lat": place.position.lat if place.position else None,
        f"{prefix}_lon": place.position.lon if place.position else None,
        f"{prefix}_establishment_id": establishment_id,
    }


def requests_of_day(session: Session, service_date: date) -> Sequence[TransportRequest]:
    return session.scalars(
        select(TransportRequest)
        .where(TransportRequest.service_date == service_date)
        .order_by(TransportRequest.id)
    ).all()


def cancel_request(
    session: Session, request_id: int, expected_version: int, reason: CancellationReason
) -> TransportRequest:
    return update(
        session,
        TransportRequest,
        request_id,
        expected_version,
        {"status": RequestStatus.CANCELLED, "cancellation_reason": reason},
    )
