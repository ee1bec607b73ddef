"""Importing hospital exports: every row imported, rejected with its reason, or skipped."""

from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import importers.run
from importers.columns import TableKind
from importers.errors import UnusableFileError
from importers.geocoding import default_geocoder
from importers.report import write_report
from importers.run import Fate, ImportOptions, ImportResult, import_file
from importers.samples import (
    write_establishments,
    write_messy_requests,
    write_tidy_requests,
    write_vehicles,
)
from importers.synthetic import SyntheticDay, generate_day
from models import Assignment, DayPlan, Patient, Route, TransportRequest, Vehicle
from models.enums import (
    CancellationReason,
    CareType,
    Direction,
    Mobility,
    RequestStatus,
)
from models.records import RequestRecord
from models.repositories.audit import history
from models.repositories.common import Outcome
from models.repositories.requests import cancel_request
from models.session import Database
from models.timezone import PARIS
from planning.attention import Flag
from tests.sheets import write_xlsx

DAY = date(2026, 11, 24)
GEOCODER = default_geocoder()


def _import(db: Database, kind: TableKind, path: Path, **options: Any) -> ImportResult:
    return import_file(db, kind, path, GEOCODER, "tester", ImportOptions(**options))


@pytest.fixture
def day() -> SyntheticDay:
    return generate_day(DAY, requests=120, seed=3)


@pytest.fixture
def known(db: Database, day: SyntheticDay, tmp_path: Path) -> Database:
    """A database that knows the day's establishments and carriers, as every morning."""
    _import(db, TableKind.ESTABLISHMENTS, write_establishments(day, tmp_path / "e.xlsx").path)
    _import(db, TableKind.VEHICLES, write_vehicles(day, tmp_path / "v.csv").path)
    return db


def _requests(db: Database) -> list[TransportRequest]:
    with db.reader() as session:
        return list(session.scalars(select(TransportRequest).order_by(TransportRequest.id)))


def test_tidy_export_round_trips_every_field(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """A clean export gives back exactly the requests it was written from, field by field."""
    result = _import(known, TableKind.REQUESTS, write_tidy_requests(day, tmp_path / "r.xlsx").path)
    assert result.count(Fate.IMPORTED) == 120 and result.count(Fate.REJECTED) == 0
    stored = {r.external_id: r for r in _requests(known)}
    for record in day.requests:
        row = stored[record.external_id]
        assert (row.direction, row.prescribed_mode, row.mobility, row.care_type) == (
            record.direction,
            record.prescribed_mode,
            record.mobility,
            record.care_type,
        )
        assert (row.appointment_at, row.ready_at) == (record.appointment_at, record.ready_at)
        assert (row.sharing_compatible, row.companion, row.oxygen, row.coverage) == (
            record.sharing_compatible,
            record.companion,
            record.oxygen,
            record.coverage,
        )
        assert record.pickup.position and record.dropoff.position
        assert (row.pickup_lat, row.pickup_lon) == pytest.approx(
            (record.pickup.position.lat, record.pickup.position.lon)
        )
        assert (row.dropoff_lat, row.dropoff_lon) == pytest.approx(
            (record.dropoff.position.lat, record.dropoff.position.lon)
        )
        site = record.dropoff if record.direction is Direction.OUTBOUND else record.pickup
        site_id = (
            row.dropoff_establishment_id
            if record.direction is Direction.OUTBOUND
            else row.pickup_establishment_id
        )
        assert site.establishment_finess and site_id is not None


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_messy_export_rejects_exactly_the_spoiled_rows(
    known: Database, day: SyntheticDay, tmp_path: Path, suffix: str
) -> None:
    """Banner, odd headers, mixed formats: good rows go in, each spoiled row gets its reason."""
    sample = write_messy_requests(day, tmp_path / f"sale{suffix}", seed=7)
    result = _import(known, TableKind.REQUESTS, sample.path)
    rejected = {r.row.number: r for r in result.rows if r.fate is Fate.REJECTED}
    assert set(rejected) == set(sample.rejected)
    for number, words in sample.rejected.items():
        reasons = " ".join(str(p) for p in rejected[number].problems)
        assert words in reasons, (number, reasons)
        assert all(p.column for p in rejected[number].problems), reasons
    skipped = {r.row.number for r in result.rows if r.fate is Fate.SKIPPED}
    assert skipped == set(sample.skipped)
    assert len(result.rows) == sample.data_rows  # none lost, none counted twice
    assert len(_requests(known)) == sample.expected_requests
    assert result.outcome_count(Outcome.CREATED) == sample.expected_requests


def test_a_dry_run_judges_every_row_as_for_real_and_stores_nothing(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """The import wizard's check: same fates and reasons as the real import, nothing saved,
    progress reported row by row."""
    sample = write_messy_requests(day, tmp_path / "sale.xlsx", seed=7)
    seen: list[tuple[int, int]] = []
    trial = _import(
        known, TableKind.REQUESTS, sample.path, dry_run=True, progress=lambda *a: seen.append(a)
    )
    assert _requests(known) == []
    assert seen[-1] == (sample.data_rows, sample.data_rows) and len(seen) == sample.data_rows
    real = _import(known, TableKind.REQUESTS, sample.path)
    assert [(r.row.number, r.fate, r.problems) for r in trial.rows] == [
        (r.row.number, r.fate, r.problems) for r in real.rows
    ]
    assert len(_requests(known)) == sample.expected_requests


def test_a_mapping_chosen_in_the_wizard_is_used_and_remembered(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Two columns swapped by hand are imported that way, and the next file of the same
    format is read the same way without asking."""
    sample = write_tidy_requests(day, tmp_path / "propre.xlsx")
    table, detected, explicit = importers.run.read_for_import(
        known, TableKind.REQUESTS, sample.path
    )
    assert explicit is None
    headers = table.headers
    first, last = headers[detected.columns["first_name"]], headers[detected.columns["last_name"]]
    swapped = {"first_name": last, "last_name": first}
    trial = _import(known, TableKind.REQUESTS, sample.path, mapping=swapped, dry_run=True)
    assert trial.mapping.columns["first_name"] == detected.columns["last_name"]
    assert not trial.mapping_remembered  # a dry run remembers nothing
    result = _import(known, TableKind.REQUESTS, sample.path, mapping=swapped)
    assert result.mapping_remembered
    _, again, _ = importers.run.read_for_import(known, TableKind.REQUESTS, sample.path)
    assert again.columns["first_name"] == detected.columns["last_name"]


def test_same_file_twice_changes_nothing(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Re-importing finds every request unchanged: same versions, nothing created."""
    sample = write_messy_requests(day, tmp_path / "sale.xlsx", seed=2)
    _import(known, TableKind.REQUESTS, sample.path)
    before = {(r.id, r.version) for r in _requests(known)}
    again = _import(known, TableKind.REQUESTS, sample.path)
    assert again.outcome_count(Outcome.CREATED) == again.outcome_count(Outcome.UPDATED) == 0
    assert {(r.id, r.version) for r in _requests(known)} == before


HEADERS = [
    "N° dossier",
    "Nom",
    "Prénom",
    "Adresse",
    "Code postal",
    "Commune",
    "Établissement",
    "Date",
    "Sens",
    "Heure RDV",
    "Heure de sortie",
    "Mode prescrit",
    "Position",
    "Partage possible",
    "Motif",
]


def _row(day: SyntheticDay, **changes: Any) -> list[Any]:
    site = day.establishments[0]
    values = {
        "N° dossier": "1001",
        "Nom": "Martin",
        "Prénom": "Jeanne",
        "Adresse": "3 rue Pasteur",
        "Code postal": "59100",
        "Commune": "Roubaix",
        "Établissement": site.name,
        "Date": "24/11/2026",
        "Sens": "",
        "Heure RDV": "8h30",
        "Heure de sortie": "11:45",
        "Mode prescrit": "VSL",
        "Position": "Assis",
        "Partage possible": "O",
        "Motif": "Dialyse",
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


def test_corrected_file_updates_changed_rows_and_keeps_planning(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """A corrected file updates what it changes; other rows keep their version and their lock."""
    first = [_row(day), _row(day, **{"N° dossier": "1002", "Nom": "Durand"})]
    _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, first))
    requests = {r.external_id: r for r in _requests(known)}
    assert len(requests) == 4  # two round trips
    untouched = next(r for k, r in requests.items() if "1002" in k and k.endswith("-A"))
    with known.transaction("regulator") as session:
        vehicle = session.scalars(select(Vehicle)).first()
        assert vehicle is not None
        plan = DayPlan(service_date=DAY)
        route = Route(plan=plan, vehicle_id=vehicle.id)
        session.add(Assignment(plan=plan, route=route, request_id=untouched.id, locked=True))
    corrected = [_row(day, **{"Heure RDV": "09:00"}), first[1]]
    result = _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "b.xlsx", HEADERS, corrected))
    assert result.outcome_count(Outcome.UPDATED) == 1
    assert result.outcome_count(Outcome.UNCHANGED) == 3
    after = {r.external_id: r for r in _requests(known)}
    assert set(after) == set(requests)
    moved = next(r for k, r in after.items() if "1001" in k and k.endswith("-A"))
    assert moved.appointment_at == datetime(2026, 11, 24, 9, 0, tzinfo=PARIS)
    assert moved.version == 2
    assert after[untouched.external_id].version == untouched.version
    with known.reader() as session:
        kept = session.scalars(select(Assignment)).one()
        assert (kept.request_id, kept.locked) == (untouched.id, True)


def test_regulator_cancellation_survives_a_reimport(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """The hospital's file never reopens a request the regulator cancelled."""
    path = write_xlsx(tmp_path / "a.xlsx", HEADERS, [_row(day, **{"Heure de sortie": None})])
    _import(known, TableKind.REQUESTS, path)
    (request,) = _requests(known)
    with known.transaction("regulator") as session:
        cancel_request(session, request.id, request.version, CancellationReason.PATIENT_CANCELLED)
    _import(known, TableKind.REQUESTS, path)
    (after,) = _requests(known)
    assert after.status is RequestStatus.CANCELLED


def test_a_crash_midway_leaves_the_database_as_it_was(
    known: Database, day: SyntheticDay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import is one transaction: a failure after the rows are written keeps none of them."""
    real = importers.run.save_requests

    def crashing(session: Session, records: Sequence[RequestRecord]) -> Any:
        real(session, records)
        with session.no_autoflush:
            assert session.scalar(select(func.count()).select_from(TransportRequest)) == 120
        raise RuntimeError("disque plein")

    monkeypatch.setattr(importers.run, "save_requests", crashing)
    sample = write_tidy_requests(day, tmp_path / "r.xlsx")
    with pytest.raises(RuntimeError):
        _import(known, TableKind.REQUESTS, sample.path)
    assert _requests(known) == []


def test_date_option_keeps_one_day_and_fills_a_missing_date(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """--date skips other days (reported), and dates a file that has no Date column."""
    rows = [_row(day), _row(day, **{"N° dossier": "77", "Date": "25/11/2026"})]
    result = _import(
        known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, rows), only_date=DAY
    )
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.SKIPPED]
    assert "autre jour (25/11/2026)" in result.rows[1].notes[0]

    no_date = [h for h in HEADERS if h != "Date"]
    undated = [
        [v for h, v in zip(HEADERS, _row(day, **{"N° dossier": "88"}), strict=True) if h != "Date"]
    ]
    path = write_xlsx(tmp_path / "b.xlsx", no_date, undated)
    with pytest.raises(UnusableFileError, match="--date"):
        _import(known, TableKind.REQUESTS, path)
    result = _import(known, TableKind.REQUESTS, path, only_date=date(2026, 11, 26))
    assert result.count(Fate.IMPORTED) == 1
    assert {r.service_date for r in _requests(known) if "88" in r.external_id} == {
        date(2026, 11, 26)
    }


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"Sens": "Aller", "Heure RDV": None}, "Heure RDV", "rendez-vous manquante pour un aller"),
        (
            {"Sens": "Retour", "Heure de sortie": None},
            "Heure de sortie",
            "sortie manquante pour un retour",
        ),
        ({"Mode prescrit": "Taxi", "Position": "Allongé"}, "Position", "allongé"),
        ({"Établissement": "Clinique des Tilleuls"}, "Établissement", "établissement inconnu"),
        ({"Heure RDV": "vers 9 heures"}, "Heure RDV", "heure illisible"),
        ({"Heure de sortie": "07:00"}, "Heure de sortie", "avant l'heure de rendez-vous"),
        ({"Mode prescrit": None}, "Mode prescrit", "mode prescrit manquant"),
        ({"Mode prescrit": "Hélicoptère"}, "Mode prescrit", "mode prescrit inconnu"),
        ({"Nom": None}, "Nom", "nom du patient manquant"),
        ({"N° dossier": None}, "N° dossier", "numéro de dossier"),
        ({"Date": "hier"}, "Date", "date illisible"),
        ({"Commune": "Atlantis", "Code postal": None}, "Commune", "lieu introuvable"),
        ({"Partage possible": "bof"}, "Partage possible", "ni oui ni non"),
        ({"Code postal": "5910"}, "Code postal", None),  # Excel's lost zero is put back: no error
        ({"Motif": "Acupuncture"}, "Motif", "motif inconnu"),
        ({"Sens": "Demi-tour"}, "Sens", "sens du trajet inconnu"),
        ({"Heure RDV": None, "Heure de sortie": None}, "Heure RDV", "ni heure de rendez-vous"),
    ],
)
def test_each_rejection_reason_names_its_column(
    known: Database,
    day: SyntheticDay,
    tmp_path: Path,
    changes: dict[str, Any],
    column: str,
    words: str | None,
) -> None:
    """A regulator reads which cell is wrong and why, in French; the good row still goes in."""
    rows = [_row(day, **changes), _row(day, **{"N° dossier": "2002"})]
    result = _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, rows))
    bad, good = result.rows
    assert good.fate is Fate.IMPORTED
    if words is None:
        assert bad.fate is Fate.IMPORTED, bad.problems
        return
    assert bad.fate is Fate.REJECTED
    assert any(p.column == column and words in p.reason for p in bad.problems), bad.problems


def test_round_trip_row_and_inference(known: Database, day: SyntheticDay, tmp_path: Path) -> None:
    """One row with both times is an outbound and a return; ready time alone is a return."""
    rows = [
        _row(day),
        _row(day, **{"N° dossier": "3", "Heure RDV": None, "Motif": "Sortie"}),
        _row(day, **{"N° dossier": "4", "Heure de sortie": None}),
        _row(day, **{"N° dossier": "5", "Sens": "A/R"}),
    ]
    _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, rows))
    by_id = {r.external_id.rsplit("-", 2)[-2] + r.external_id[-2:]: r for r in _requests(known)}
    assert sorted(by_id) == ["1001-A", "1001-R", "3-R", "4-A", "5-A", "5-R"]
    outbound, back = by_id["1001-A"], by_id["1001-R"]
    assert outbound.pickup_commune == back.dropoff_commune == "Roubaix"
    assert outbound.dropoff_establishment_id == back.pickup_establishment_id is not None
    assert back.ready_at == datetime(2026, 11, 24, 11, 45, tzinfo=PARIS)
    assert by_id["3-R"].care_type is CareType.DISCHARGE
    assert by_id["1001-A"].mobility is Mobility.SEATED


def test_duplicates_in_the_file(known: Database, day: SyntheticDay, tmp_path: Path) -> None:
    """An identical copy is skipped; a copy that differs is rejected, the first one kept."""
    rows = [_row(day), _row(day), _row(day, **{"Heure RDV": "10:00"})]
    result = _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, rows))
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.SKIPPED, Fate.REJECTED]
    assert "doublon de la ligne 2" in result.rows[1].notes[0]
    assert "que la ligne 2" in str(result.rows[2].problems[0])


def test_attention_flags_are_raised_not_rejected(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Over 150 km, or sharing asked where the law forbids it: imported, flagged for a look."""
    rows = [
        _row(day, **{"Commune": "Paris", "Code postal": "75015", "Heure de sortie": None}),
        _row(day, **{"N° dossier": "9", "Motif": "Consultation", "Heure de sortie": None}),
        _row(
            day,
            **{
                "N° dossier": "10",
                "Mode prescrit": "Ambulance",
                "Position": "Allongé",
                "Heure de sortie": None,
            },
        ),
    ]
    result = _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, rows))
    assert result.count(Fate.IMPORTED) == 3
    flags = {r.external_id.split("-")[-2]: r.flags for r in _requests(known)}
    assert flags["1001"] == [Flag.PRIOR_APPROVAL_NEEDED]
    assert flags["9"] == [Flag.SHARING_CARE_TYPE_NOT_ELIGIBLE]
    assert flags["10"] == [Flag.SHARING_MODE_NOT_ALLOWED]
    assert len(result.flagged) == 3 and "accord préalable" in result.flagged[0].notes[0]


def test_report_lists_rejects_under_original_headers_and_reimports(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """The report's first sheet is the rejected rows plus reasons; fixed, it imports cleanly."""
    rows = [
        _row(day),
        _row(day, **{"N° dossier": "6", "Heure RDV": "25h70", "Date": date(2026, 11, 24)}),
    ]
    result = _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, rows))
    report = write_report(result, tmp_path / "rapport.xlsx")
    sheet = load_workbook(report).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == [*HEADERS, "Ligne d'origine", "Colonne en cause", "Motif du rejet"]
    assert len(lines) == 2
    assert lines[1][HEADERS.index("Heure RDV")] == "25h70"
    assert lines[1][-3:-1] == (3, "Heure RDV") and "heure impossible" in str(lines[1][-1])
    assert lines[1][HEADERS.index("Date")] == datetime(2026, 11, 24)  # noqa: DTZ001 - Excel's naive date
    sheet.cell(2, HEADERS.index("Heure RDV") + 1, time(9, 15))
    workbook = sheet.parent
    workbook.save(report)
    fixed = _import(known, TableKind.REQUESTS, report)
    assert fixed.count(Fate.IMPORTED) == 1 and fixed.count(Fate.REJECTED) == 0
    assert len(_requests(known)) == 4


def test_headerless_file_is_unusable(known: Database, tmp_path: Path) -> None:
    """A sheet with no recognisable header row is refused as a whole, naming the file."""
    path = write_xlsx(tmp_path / "x.xlsx", ["Colonne A", "Colonne B"], [[1, 2], [3, 4]])
    with pytest.raises(UnusableFileError, match=r"x\.xlsx"):
        _import(known, TableKind.REQUESTS, path)


def test_missing_required_column_is_unusable(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Without a mode column no row can be checked: the file is refused, the column named."""
    headers = [h for h in HEADERS if h != "Mode prescrit"]
    rows = [[v for h, v in zip(HEADERS, _row(day), strict=True) if h != "Mode prescrit"]]
    with pytest.raises(UnusableFileError, match="Mode prescrit"):
        _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", headers, rows))


def test_explicit_mapping_is_remembered_for_the_format(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """A mapping given once applies to the next file with the same headers, without --mapping."""
    headers = [("H. arrivée" if h == "Heure RDV" else h) for h in HEADERS]
    rows = [_row(day, **{"Heure de sortie": None})]
    mapping = tmp_path / "chu.toml"
    mapping.write_text('appointment = "H. arrivée"\n', encoding="utf-8")
    first = _import(
        known,
        TableKind.REQUESTS,
        write_xlsx(tmp_path / "a.xlsx", headers, rows),
        mapping_file=mapping,
    )
    assert first.count(Fate.IMPORTED) == 1 and first.mapping_remembered
    rows = [_row(day, **{"N° dossier": "12", "Heure de sortie": None})]
    second = _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "b.xlsx", headers, rows))
    assert second.count(Fate.IMPORTED) == 1 and not second.mapping_remembered


def test_patient_keeps_one_identity_per_issuer(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Outbound and return of one row belong to one patient row, issued by the care site."""
    _import(known, TableKind.REQUESTS, write_xlsx(tmp_path / "a.xlsx", HEADERS, [_row(day)]))
    with known.reader() as session:
        (patient,) = session.scalars(select(Patient)).all()
        assert patient.issuer == day.establishments[0].finess
        assert session.scalar(select(func.count()).select_from(TransportRequest)) == 2


def test_imported_rows_are_audited_with_personal_data_masked(
    known: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Rows inserted in bulk are in the audit log like any other, names and addresses masked."""
    _import(known, TableKind.REQUESTS, write_tidy_requests(day, tmp_path / "r.xlsx").path)
    with known.reader() as session:
        requests = history(session, entity="transport_requests", limit=1_000)
        patients = history(session, entity="patients", limit=1_000)
        stored = {str(r.id) for r in session.scalars(select(TransportRequest))}
    assert {e.entity_id for e in requests} == stored
    assert all(e.action == "create" and e.actor == "tester" for e in requests + patients)
    assert len(patients) == len({r.patient.file_number for r in day.requests})
    sample = requests[0].changes
    assert sample["pickup_address"] == [None, "•••"] and sample["status"] == [None, "OPEN"]
    assert patients[0].changes["last_name"] == [None, "•••"]
