"""Recurring series: recorded once, expanded each day, never doubling a hospital's request."""

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, select

from importers.columns import TableKind
from importers.errors import CellError
from importers.geocoding import default_geocoder
from importers.run import ImportOptions, import_file
from importers.samples import write_establishments
from importers.series import generate_requests, parse_weekdays, requests_on
from importers.synthetic import SyntheticDay, generate_day
from models import TransportRequest
from models.enums import CareType, Coverage, Direction, Mobility, TransportMode
from models.errors import ConflictError
from models.records import PatientRecord, PlaceRecord, Position, SeriesRecord, StoredSeries
from models.repositories.common import Outcome
from models.repositories.series import end_series, list_series, save_series
from models.session import Database
from models.timezone import PARIS
from planning.attention import Flag
from regul.cli import main
from tests.sheets import write_xlsx

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("lun, mer, ven", (1, 3, 5)),
        ("Lundi Mercredi Vendredi", (1, 3, 5)),
        ("1 3 5", (1, 3, 5)),
        ("lundi au vendredi", (1, 2, 3, 4, 5)),
        ("lun-jeu", (1, 2, 3, 4)),
        ("mardi", (2,)),
        ("MAR; JEU; SAM", (2, 4, 6)),
    ],
)
def test_weekdays_as_regulators_write_them(written: str, days: tuple[int, ...]) -> None:
    """Days come as words, abbreviations, numbers or a span."""
    assert parse_weekdays(written) == days


@pytest.mark.parametrize("written", ["lun, jour férié", "8", ""])
def test_unknown_weekday_is_refused(written: str) -> None:
    """A word that is no day is an error, not a silently shorter series."""
    with pytest.raises(CellError):
        parse_weekdays(written)


def _series(finess: str = "590000000", **changes: Any) -> SeriesRecord:
    values: dict[str, Any] = {
        "patient": PatientRecord("4455", "VASSEUR", "Monique", issuer=finess),
        "establishment_finess": finess,
        "weekdays": (1, 3, 5),
        "valid_from": MONDAY,
        "valid_until": date(2026, 12, 31),
        "appointment_time": time(7, 0),
        "return_time": time(11, 30),
        "home": PlaceRecord("12 rue Pasteur", "59200", "Tourcoing", Position(50.72, 3.16)),
        "prescribed_mode": TransportMode.VSL,
        "mobility": Mobility.SEATED,
        "care_type": CareType.DIALYSIS,
        "coverage": Coverage.ALD,
        "sharing_compatible": True,
    }
    values.update(changes)
    return SeriesRecord(**values)


def test_a_series_runs_on_its_weekdays_between_its_dates() -> None:
    """Outbound and return on Monday, nothing on Tuesday, nothing after the last day."""
    site = PlaceRecord("1 rue X", "59200", "Tourcoing", Position(50.72, 3.17), "590000000")
    stored = StoredSeries(7, _series(), site)
    monday = requests_on(stored, MONDAY)
    assert [(r.direction, r.external_id) for r in monday] == [
        (Direction.OUTBOUND, "SERIE-7-A"),
        (Direction.RETURN, "SERIE-7-R"),
    ]
    assert monday[0].appointment_at == datetime(2026, 11, 23, 7, 0, tzinfo=PARIS)
    assert monday[0].pickup.commune == "Tourcoing" and monday[0].dropoff == site
    assert monday[1].pickup == site and monday[1].ready_at is not None
    assert requests_on(stored, date(2026, 11, 24)) == ()
    assert requests_on(stored, date(2027, 1, 4)) == ()
    assert requests_on(StoredSeries(7, _series(valid_from=date(2026, 11, 25)), site), MONDAY) == ()


@pytest.fixture
def day() -> SyntheticDay:
    return generate_day(MONDAY, requests=20, seed=2)


@pytest.fixture
def known(db: Database, day: SyntheticDay, tmp_path: Path) -> Database:
    path = write_establishments(day, tmp_path / "e.xlsx").path
    import_file(db, TableKind.ESTABLISHMENTS, path, default_geocoder(), "tester")
    return db


def _requests(db: Database) -> list[TransportRequest]:
    with db.reader() as session:
        return list(session.scalars(select(TransportRequest).order_by(TransportRequest.id)))


def test_generation_is_idempotent_and_flags_like_an_import(
    known: Database, day: SyntheticDay
) -> None:
    """Generating a day twice creates its trips once; rules flags apply as for imported rows."""
    finess = day.establishments[0].finess
    with known.transaction("regulator") as session:
        save_series(session, _series(finess))
        save_series(
            session,
            _series(
                finess,
                patient=PatientRecord("77", "DURAND", "Léa", issuer=finess),
                care_type=CareType.CONSULTATION,
                return_time=None,
            ),
        )
    with known.transaction("regulator") as session:
        first = generate_requests(session, MONDAY)
    assert first.outcomes.count(Outcome.CREATED) == 3
    with known.transaction("regulator") as session:
        second = generate_requests(session, MONDAY)
    assert second.outcomes == (Outcome.UNCHANGED,) * 3
    rows = _requests(known)
    assert len(rows) == 3 and {r.series_id for r in rows} != {None}
    flagged = [r for r in rows if r.care_type is CareType.CONSULTATION]
    assert flagged[0].flags == [Flag.SHARING_CARE_TYPE_NOT_ELIGIBLE]


def _hospital_file(path: Path, finess: str, appointment: str) -> Path:
    headers = ["IPP", "Nom", "Commune", "Code postal", "Établissement", "Date", "Sens",
               "Heure RDV", "Mode prescrit", "Motif"]  # fmt: skip
    row = ["4455", "Vasseur", "Tourcoing", "59200", finess, "23/11/2026", "Aller", appointment,
           "VSL", "Dialyse"]  # fmt: skip
    return write_xlsx(path, headers, [row])


def test_hospital_file_takes_over_a_generated_trip(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """The file's trip replaces the series' one in place (same row), never beside it."""
    finess = day.establishments[0].finess
    with known.transaction("regulator") as session:
        save_series(session, _series(finess))
        generate_requests(session, MONDAY)
    before = {r.direction: r for r in _requests(known)}
    path = _hospital_file(tmp_path / "h.xlsx", finess, "07:15")
    result = import_file(
        known, TableKind.REQUESTS, path, default_geocoder(), "tester", ImportOptions()
    )
    assert result.outcome_count(Outcome.UPDATED) == 1
    after = {r.direction: r for r in _requests(known)}
    assert len(after) == 2
    outbound = after[Direction.OUTBOUND]
    assert outbound.id == before[Direction.OUTBOUND].id
    assert outbound.external_id == f"{finess}-4455-A"
    assert outbound.appointment_at == datetime(2026, 11, 23, 7, 15, tzinfo=PARIS)
    with known.transaction("regulator") as session:
        again = generate_requests(session, MONDAY)
    assert again.outcomes == (Outcome.UNCHANGED,)  # the return only
    assert "déjà reçu de l'hôpital" in again.skipped[0]
    assert len(_requests(known)) == 2


def test_series_skips_a_trip_the_hospital_sent_first(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Imported before the series ran: the series adds only what the file lacks."""
    finess = day.establishments[0].finess
    path = _hospital_file(tmp_path / "h.xlsx", finess, "07:15")
    import_file(known, TableKind.REQUESTS, path, default_geocoder(), "tester", ImportOptions())
    with known.transaction("regulator") as session:
        save_series(session, _series(finess))
        done = generate_requests(session, MONDAY)
    assert done.outcomes == (Outcome.CREATED,) and len(done.skipped) == 1
    assert sorted(r.direction for r in _requests(known)) == [Direction.OUTBOUND, Direction.RETURN]


def test_ending_a_series(known: Database, day: SyntheticDay) -> None:
    """An ended series gives nothing after its last day; it cannot end before it starts."""
    finess = day.establishments[0].finess
    with known.transaction("regulator") as session:
        row = save_series(session, _series(finess))
        series_id, version = row.id, row.version
    with known.transaction("regulator") as session:
        end_series(session, series_id, version, date(2026, 11, 30))
    with known.reader() as session:
        assert list_series(session, running_on=date(2026, 12, 2)) == []
        assert len(list_series(session, running_on=date(2026, 11, 30))) == 1
    with pytest.raises(ConflictError), known.transaction("regulator") as session:
        end_series(session, series_id, version + 1, date(2026, 11, 1))


def test_series_from_the_command_line(
    known: Database, db_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    """add, list, generate over a week, end: what a regulator types."""
    url = db_url.render_as_string(hide_password=False)
    add = [
        "series",
        "add",
        "--db",
        url,
        "--file-number",
        "4455",
        "--last-name",
        "Vasseur",
        "--establishment",
        "Centre de dialyse de Tourcoing",
        "--days",
        "lun, mer, ven",
        "--outbound",
        "7h",
        "--return",
        "11h30",
        "--from",
        "2026-11-23",
        "--until",
        "2027-02-28",
        "--postcode",
        "59200",
        "--commune",
        "Tourcoing",
        "--mode",
        "VSL",
        "--care-type",
        "dialyse",
        "--sharing",
    ]
    assert main(add) == 0
    assert "Série n°1 : VASSEUR" in capsys.readouterr().out
    assert main(["series", "list", "--db", url]) == 0
    assert "lun, mer, ven" in capsys.readouterr().out
    week = ["series", "generate", "--db", url, "--date", "2026-11-23", "--until", "2026-11-29"]
    assert main(week) == 0
    out = capsys.readouterr().out
    assert "lun 23/11/2026 : 2 créées" in out and "mar 24/11/2026 : 0 créées" in out
    assert len(_requests(known)) == 6
    assert main(["series", "end", "1", "--db", url, "--last-day", "2026-11-20"]) == 1
    assert "avant son début" in capsys.readouterr().err
    bad = [*add[:-4], "Hélicoptère", "--care-type", "dialyse"]
    assert main(bad) == 2
    assert "mode prescrit inconnu" in capsys.readouterr().err
