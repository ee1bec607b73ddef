"""Recurring series: recording, ending, reading the ones that run on a day."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models.errors import ConflictError
from models.records import PlaceRecord, Position, SeriesRecord, StoredSeries
from models.repositories.common import update
from models.repositories.day import patient_record
from models.repositories.reference import establishment_by_finess
from models.repositories.requests import save_patients
from models.series import RequestSeries


def save_series(session: Session, record: SeriesRecord) -> RequestSeries:
    if record.home.position is None:
        raise ValueError("a series needs the home's position")
    if record.valid_until < record.valid_from:
        raise ConflictError("la série finit avant de commencer")
    (patient_id,) = save_patients(session, [record.patient])
    row = RequestSeries(
        patient_id=patient_id,
        establishment=establishment_by_finess(session, record.establishment_finess),
        weekdays=list(record.weekdays),
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        appointment_time=record.appointment_time,
        return_time=record.return_time,
        home_address=record.home.address,
        home_postcode=record.home.postcode,
        home_commune=record.home.commune,
        home_lat=record.home.position.lat,
        home_lon=record.home.position.lon,
        care_unit=record.care_unit,
        prescribed_mode=record.prescribed_mode,
        mobility=record.mobility,
        care_type=record.care_type,
        coverage=record.coverage,
        sharing_compatible=record.sharing_compatible,
        companion=record.companion,
        oxygen=record.oxygen,
        notes=record.notes,
    )
    session.add(row)
    session.flush()
    return row


def end_series(
    session: Session, series_id: int, expected_version: int, last_day: date
) -> RequestSeries:
    """Stop a series after ``last_day`` (requests already generated are left to the regulator)."""
    row = session.get(RequestSeries, series_id)
    if row is not None and last_day < row.valid_from:
        raise ConflictError(
            f"série n°{series_id} : dernier jour {last_day:%d/%m/%Y} avant son début "
            f"({row.valid_from:%d/%m/%Y})"
        )
    return update(session, RequestSeries, series_id, expected_version, {"valid_until": last_day})


def list_series(session: Session, running_on: date | None = None) -> list[StoredSeries]:
    query = (
        select(RequestSeries)
        .options(joinedload(RequestSeries.patient), joinedload(RequestSeries.establishment))
        .order_by(RequestSeries.id)
    )
    if running_on is not None:
        query = query.where(
            RequestSeries.valid_from <= running_on, RequestSeries.valid_until >= running_on
        )
    return [_stored(row) for row in session.scalars(query)]


def _stored(row: RequestSeries) -> StoredSeries:
    site = row.establishment
    return StoredSeries(
        id=row.id,
        record=SeriesRecord(
            patient=patient_record(row.patient),
            establishment_finess=site.finess,
            weekdays=tuple(int(day) for day in row.weekdays),
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            appointment_time=row.appointment_time,
            return_time=row.return_time,
            home=PlaceRecord(
                row.home_address,
                row.home_postcode,
                row.home_commune,
                Position(row.home_lat, row.home_lon),
            ),
            prescribed_mode=row.prescribed_mode,
            mobility=row.mobility,
            care_type=row.care_type,
            coverage=row.coverage,
            sharing_compatible=row.sharing_compatible,
            companion=row.companion,
            oxygen=row.oxygen,
            care_unit=row.care_unit,
            notes=row.notes,
        ),
        establishment_place=PlaceRecord(
            site.address,
            site.postcode,
            site.commune,
            Position.of(site.lat, site.lon),
            site.finess,
        ),
    )
