"""Recurring trips: the requests a series gives on one day, and how regulators write weekdays.

A dialysis patient going Monday, Wednesday and Friday at 7:30 for three months is recorded
once; each morning the day's outbound and return requests are generated from it, next to the
imported ones. A request of the same patient, day and direction that came from a hospital file
wins: the series does not add a second one.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from importers.errors import CellError
from importers.flags import with_flags
from importers.folding import fold
from models.enums import Direction, Payer
from models.records import RequestRecord, SeriesRecord, StoredSeries
from models.repositories.common import Outcome
from models.repositories.requests import save_requests, trips_of_day
from models.repositories.series import list_series
from models.timezone import PARIS

_DAYS = {
    "lundi": 1, "lun": 1, "lu": 1, "l": 1, "mon": 1, "monday": 1,
    "mardi": 2, "mar": 2, "ma": 2, "tue": 2, "tuesday": 2,
    "mercredi": 3, "mer": 3, "me": 3, "wed": 3, "wednesday": 3,
    "jeudi": 4, "jeu": 4, "je": 4, "j": 4, "thu": 4, "thursday": 4,
    "vendredi": 5, "ven": 5, "ve": 5, "v": 5, "fri": 5, "friday": 5,
    "samedi": 6, "sam": 6, "sa": 6, "s": 6, "sat": 6, "saturday": 6,
    "dimanche": 7, "dim": 7, "di": 7, "d": 7, "sun": 7, "sunday": 7,
}  # fmt: skip
_RANGE = re.compile(r"([^\s,;/-]+)\s*(?:-|\s(?:au|a|à)\s)\s*([^\s,;/-]+)")
DAY_NAMES = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")


def parse_weekdays(written: str) -> tuple[int, ...]:
    """'lun, mer, ven' or '1 3 5' → (1, 3, 5); 'lundi au vendredi' or 'lun-ven' → (1, …, 5)."""
    span = _RANGE.fullmatch(written.strip().lower())
    if span:
        first, last = _DAYS.get(fold(span.group(1))), _DAYS.get(fold(span.group(2)))
        if first and last and first < last:
            return tuple(range(first, last + 1))
    days: set[int] = set()
    for word in fold(written).split():
        if word.isdigit() and 1 <= int(word) <= 7:
            days.add(int(word))
        elif word in _DAYS:
            days.add(_DAYS[word])
        else:
            raise CellError(
                f"jour inconnu « {word} » (attendu : lun, mar, mer, jeu, ven, sam, dim)"
            )
    if not days:
        raise CellError("aucun jour donné (attendu par exemple : lun, mer, ven)")
    return tuple(sorted(days))


def describe_weekdays(days: tuple[int, ...]) -> str:
    return ", ".join(DAY_NAMES[day - 1] for day in days)


def runs_on(series: SeriesRecord, day: date) -> bool:
    return series.valid_from <= day <= series.valid_until and day.isoweekday() in series.weekdays


def requests_on(series: StoredSeries, day: date) -> tuple[RequestRecord, ...]:
    """The outbound and return requests the series gives on ``day`` (none if it does not run)."""
    spec = series.record
    if not runs_on(spec, day):
        return ()
    trips: list[RequestRecord] = []
    if spec.appointment_time is not None:
        trips.append(_trip(series, day, Direction.OUTBOUND, spec.appointment_time))
    if spec.return_time is not None:
        trips.append(_trip(series, day, Direction.RETURN, spec.return_time))
    return tuple(trips)


def series_external_id(series_id: int, direction: Direction) -> str:
    return f"SERIE-{series_id}-{'A' if direction is Direction.OUTBOUND else 'R'}"


def _trip(series: StoredSeries, day: date, direction: Direction, moment: time) -> RequestRecord:
    spec = series.record
    outbound = direction is Direction.OUTBOUND
    at = datetime.combine(day, moment, tzinfo=PARIS)
    return RequestRecord(
        external_id=series_external_id(series.id, direction),
        service_date=day,
        patient=spec.patient,
        direction=direction,
        pickup=spec.home if outbound else series.establishment_place,
        dropoff=series.establishment_place if outbound else spec.home,
        prescribed_mode=spec.prescribed_mode,
        mobility=spec.mobility,
        care_type=spec.care_type,
        appointment_at=at if outbound else None,
        ready_at=None if outbound else at,
        care_unit=spec.care_unit,
        oxygen=spec.oxygen,
        companion=spec.companion,
        sharing_compatible=spec.sharing_compatible,
        coverage=spec.coverage,
        payer=Payer.ASSURANCE_MALADIE,
        notes=spec.notes,
        series_id=series.id,
    )


@dataclass(frozen=True)
class SeriesGeneration:
    day: date
    outcomes: tuple[Outcome, ...]
    skipped: tuple[str, ...]  # why a trip of a running series was not generated (French)


def generate_requests(session: Session, day: date) -> SeriesGeneration:
    """Create or refresh the day's requests from every series running on it."""
    taken = trips_of_day(session, day)
    wanted: list[RequestRecord] = []
    skipped: list[str] = []
    for series in list_series(session, running_on=day):
        for request in requests_on(series, day):
            patient = request.patient
            other = taken.get((patient.issuer, patient.file_number, request.direction))
            if other is not None and other != request.external_id:
                skipped.append(
                    f"série n°{series.id} ({patient.last_name}) : "
                    f"{'aller' if request.direction is Direction.OUTBOUND else 'retour'} déjà "
                    f"reçu de l'hôpital ({other})"
                )
                continue
            wanted.append(with_flags(request))
    outcomes = tuple(save_requests(session, wanted))
    return SeriesGeneration(day, outcomes, tuple(skipped))
