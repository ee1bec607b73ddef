"""Patients and their transport requests."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import CancellationReason, Direction, RequestStatus
from models.errors import NotFoundError
from models.establishments import Establishment
from models.fleet import Carrier
from models.patients import Patient
from models.records import PatientRecord, PlaceRecord, RequestRecord
from models.repositories.common import (
    CHUNK,
    Outcome,
    assign,
    insert_many,
    rows_by_key,
    update,
)
from models.requests import TransportRequest

_PATIENT_KEY = ("issuer", "file_number")
_REQUEST_KEY = ("external_id", "service_date")


def save_requests(session: Session, records: Sequence[RequestRecord]) -> list[Outcome]:
    """Create or update each request (external id + date) and its patient (issuer + number).

    Only the hospital's fields are written; the request's status and planning are left alone, so
    re-sending a corrected file keeps the regulator's decisions on rows it did not change. Rows
    already stored are read in a few queries up front and new ones inserted in bulk: an export
    of thousands of rows costs a handful of statements, not thousands.
    """
    with session.no_autoflush:
        patients = save_patients(session, [r.patient for r in records])
        requests = rows_by_key(
            session,
            TransportRequest,
            _REQUEST_KEY,
            [(r.external_id, r.service_date) for r in records],
        )
        from_series = _series_requests(session, records)
        finess = _ids(session, Establishment.finess, Establishment.id, _finess_of(records))
        sirets = {r.chosen_carrier_siret for r in records if r.chosen_carrier_siret}
        carriers = _ids(session, Carrier.siret, Carrier.id, sirets)
        outcomes: list[Outcome] = []
        new_rows: dict[tuple[str, date], dict[str, Any]] = {}
        for record, patient_id in zip(records, patients, strict=True):
            values = _request_values(record, patient_id, finess, carriers)
            key = (record.external_id, record.service_date)
            row = requests.get(key)
            adopted = False
            if row is None and record.series_id is None:
                # The hospital now sends a trip a series generated: its file takes that request
                # over (same row, so the plan keeps it) instead of adding a second one.
                row = from_series.pop((patient_id, record.service_date, record.direction), None)
                if row is not None:
                    row.external_id = record.external_id
                    requests[key] = row
                    adopted = True
            if row is not None:
                changed = assign(row, values) or adopted
                outcomes.append(Outcome.UPDATED if changed else Outcome.UNCHANGED)
            elif key in new_rows:  # the same request twice in one batch: the last one wins
                new_rows[key].update(values)
                outcomes.append(Outcome.UPDATED)
            else:
                new_rows[key] = {
                    "external_id": record.external_id,
                    "service_date": record.service_date,
                    "series_id": record.series_id,
                    "status": RequestStatus.OPEN,
                    **values,
                }
                outcomes.append(Outcome.CREATED)
    insert_many(session, TransportRequest, list(new_rows.values()), _REQUEST_KEY)
    session.flush()
    return outcomes


def save_patients(session: Session, records: Sequence[PatientRecord]) -> list[int]:
    """Create or update each patient (issuer + file number); their ids, in order."""
    with session.no_autoflush:
        known = rows_by_key(
            session, Patient, _PATIENT_KEY, [(r.issuer, r.file_number) for r in records]
        )
        new_rows: dict[tuple[str, str], dict[str, Any]] = {}
        for record in records:
            key = (record.issuer, record.file_number)
            values = {
                "last_name": record.last_name,
                "first_name": record.first_name,
                "birth_date": record.birth_date,
                "phone": record.phone,
            }
            if key in known:
                assign(known[key], values)
            elif key in new_rows:
                new_rows[key].update(values)
            else:
                new_rows[key] = {
                    "issuer": record.issuer,
                    "file_number": record.file_number,
                    **values,
                }
    ids = {key: patient.id for key, patient in known.items()}
    ids.update(insert_many(session, Patient, list(new_rows.values()), _PATIENT_KEY))
    return [ids[(record.issuer, record.file_number)] for record in records]


def _request_values(
    record: RequestRecord,
    patient_id: int,
    finess: Mapping[str, int],
    carriers: Mapping[str, int],
) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "direction": record.direction,
        **_place_columns("pickup", record.pickup, finess),
        **_place_columns("dropoff", record.dropoff, finess),
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
        "chosen_carrier_id": _known(carriers, record.chosen_carrier_siret, "transporteur SIRET"),
        "flags": list(record.flags),
        "notes": record.notes,
    }


def _place_columns(prefix: str, place: PlaceRecord, finess: Mapping[str, int]) -> dict[str, Any]:
    return {
        f"{prefix}_address": place.address,
        f"{prefix}_postcode": place.postcode,
        f"{prefix}_commune": place.commune,
        f"{prefix}_lat": place.position.lat if place.position else None,
        f"{prefix}_lon": place.position.lon if place.position else None,
        f"{prefix}_establishment_id": _known(
            finess, place.establishment_finess, "établissement FINESS"
        ),
    }


def _known(ids: Mapping[str, int], key: str | None, what: str) -> int | None:
    if key is None:
        return None
    if key not in ids:
        raise NotFoundError(f"{what} {key} inconnu")
    return ids[key]


def _finess_of(records: Sequence[RequestRecord]) -> set[str]:
    return {
        place.establishment_finess
        for record in records
        for place in (record.pickup, record.dropoff)
        if place.establishment_finess
    }


def _series_requests(
    session: Session, records: Sequence[RequestRecord]
) -> dict[tuple[int, date, Direction], TransportRequest]:
    """Requests generated by a series on the records' days, by patient, day and direction."""
    dates = sorted({r.service_date for r in records if r.series_id is None})
    if not dates:
        return {}
    query = select(TransportRequest).where(
        TransportRequest.service_date.in_(dates), TransportRequest.series_id.is_not(None)
    )
    return {(r.patient_id, r.service_date, r.direction): r for r in session.scalars(query)}


def _ids(session: Session, key: Any, column: Any, wanted: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), CHUNK):
        rows = session.execute(select(key, column).where(key.in_(ordered[start : start + CHUNK])))
        found.update({k: v for k, v in rows})
    return found


def requests_of_day(session: Session, service_date: date) -> Sequence[TransportRequest]:
    return session.scalars(
        select(TransportRequest)
        .where(TransportRequest.service_date == service_date)
        .order_by(TransportRequest.id)
    ).all()


def request_by_key(session: Session, service_date: date, external_id: str) -> TransportRequest:
    """The request the hospital calls ``external_id`` on that day."""
    row = session.scalars(
        select(TransportRequest).where(
            TransportRequest.service_date == service_date,
            TransportRequest.external_id == external_id,
        )
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"demande {external_id} du {service_date:%d/%m/%Y} introuvable")
    return row


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


def trips_of_day(session: Session, service_date: date) -> dict[tuple[str, str, Direction], str]:
    """External id of each request of the day by (patient issuer, file number, direction)."""
    rows = session.execute(
        select(
            Patient.issuer,
            Patient.file_number,
            TransportRequest.direction,
            TransportRequest.external_id,
        )
        .join(TransportRequest.patient)
        .where(TransportRequest.service_date == service_date)
    )
    return {(issuer, number, direction): external for issuer, number, direction, external in rows}
