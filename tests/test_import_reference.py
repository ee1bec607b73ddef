"""Importing the slow-changing lists: establishments (FINESS) and the carriers' vehicle roster."""

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from importers.columns import TableKind
from importers.geocoding import default_geocoder
from importers.identifiers import luhn_valid, with_luhn_key
from importers.run import Fate, ImportResult, RowResult, import_file
from importers.samples import write_establishments, write_vehicles
from importers.synthetic import SyntheticDay, generate_day
from models.establishments import Establishment
from models.fleet import Carrier, Vehicle
from models.records import VehicleRecord
from models.repositories import reference
from models.repositories.common import Outcome
from models.session import Database
from planning.geometry import great_circle_km
from tests.sheets import write_xlsx

DAY = date(2026, 11, 24)
GEOCODER = default_geocoder()
LILLE_CENTRE = (50.633, 3.0586)


def _import(db: Database, kind: TableKind, path: Path) -> ImportResult:
    return import_file(db, kind, path, GEOCODER, "tester")


def _finess(serial: int) -> str:
    """A valid FINESS of the Nord département (59), distinct per serial."""
    return with_luhn_key(f"5900{serial:04d}")


def _wrong_key(number: str) -> str:
    """The same number with its last (Luhn key) digit changed, so the key no longer matches."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


@pytest.fixture
def day() -> SyntheticDay:
    return generate_day(DAY, requests=120, seed=3)


def _establishments(db: Database) -> dict[str, Establishment]:
    with db.reader() as session:
        return {e.finess: e for e in session.scalars(select(Establishment))}


def _carriers(db: Database) -> dict[str, Carrier]:
    with db.reader() as session:
        return {c.siret: c for c in session.scalars(select(Carrier))}


def _vehicles(db: Database) -> dict[str, tuple[Vehicle, str]]:
    """Plate → (vehicle, its carrier's SIRET)."""
    with db.reader() as session:
        return {v.plate: (v, v.carrier.siret) for v in session.scalars(select(Vehicle))}


# --- establishments ---------------------------------------------------------------------------


def test_generated_establishments_round_trip_and_reimport_is_unchanged(
    db: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """The territory's list goes in whole, field by field; the same list again changes nothing."""
    sample = write_establishments(day, tmp_path / "etablissements.xlsx")
    result = _import(db, TableKind.ESTABLISHMENTS, sample.path)
    assert len(result.rows) == len(day.establishments) == sample.data_rows
    assert result.count(Fate.IMPORTED) == len(day.establishments)
    assert result.outcome_count(Outcome.CREATED) == len(day.establishments)
    stored = _establishments(db)
    assert set(stored) == {e.finess for e in day.establishments}
    for record in day.establishments:
        row = stored[record.finess]
        assert (row.name, row.address, row.postcode, row.commune) == (
            record.name,
            record.address,
            record.postcode,
            record.commune,
        )
        assert row.activities == [activity.value for activity in record.activities]
        assert record.position is not None
        assert (row.lat, row.lon) == pytest.approx((record.position.lat, record.position.lon))
    versions = {finess: row.version for finess, row in stored.items()}

    again = _import(db, TableKind.ESTABLISHMENTS, sample.path)
    assert [r.outcomes for r in again.rows] == [(Outcome.UNCHANGED,)] * len(day.establishments)
    assert {f: row.version for f, row in _establishments(db).items()} == versions


ESTABLISHMENT_HEADERS = ["N° FINESS", "Raison sociale", "Adresse", "Code postal", "Ville"]


def test_establishment_without_coordinates_is_placed_at_its_commune_centre(
    db: Database, tmp_path: Path
) -> None:
    """No coordinates in the file: the offline gazetteer places it; an unknown town is refused."""
    rows: list[list[Any]] = [
        [_finess(1), "Clinique du Parc", "12 rue Nationale", "59000", "Lille"],
        [_finess(2), "Clinique de l'Atlantide", "1 quai Perdu", None, "Atlantis"],
        [_finess(3), "Centre de dialyse", None, "59100", "Roubaix"],
    ]
    path = write_xlsx(tmp_path / "e.xlsx", ESTABLISHMENT_HEADERS, rows)
    result = _import(db, TableKind.ESTABLISHMENTS, path)
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.REJECTED, Fate.IMPORTED]
    (problem,) = result.rows[1].problems
    assert problem.column == "Ville"
    assert "lieu introuvable" in problem.reason and "Atlantis" in problem.reason
    stored = _establishments(db)
    assert set(stored) == {_finess(1), _finess(3)}
    lille = stored[_finess(1)]
    assert lille.lat is not None and lille.lon is not None
    assert great_circle_km(lille.lat, lille.lon, *LILLE_CENTRE) < 3
    roubaix = stored[_finess(3)]
    assert roubaix.lat is not None and roubaix.lon is not None
    assert great_circle_km(roubaix.lat, roubaix.lon, *LILLE_CENTRE) > 5  # not Lille's centre


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        (
            [_wrong_key(_finess(7)), "Clinique X", None, "59000", "Lille", "Dialyse"],
            "N° FINESS",
            "numéro FINESS invalide",
        ),
        (
            [_finess(7), None, None, "59000", "Lille", "Dialyse"],
            "Raison sociale",
            "nom de l'établissement manquant",
        ),
        (
            [_finess(7), "Clinique X", None, "59000", "Lille", "Dialyse, Podologie"],
            "Activités",
            "activité inconnue « Podologie »",
        ),
    ],
)
def test_each_establishment_rejection_names_its_column(
    db: Database, tmp_path: Path, bad_row: list[Any], column: str, words: str
) -> None:
    """The reason names the column as the file spells it, in French; good rows still go in."""
    headers = [*ESTABLISHMENT_HEADERS, "Activités"]
    rows = [
        [_finess(1), "Clinique A", None, "59000", "Lille", "Consultation"],
        bad_row,
        [_finess(2), "Clinique B", None, "59100", "Roubaix", "Chimio; HDJ"],
    ]
    result = _import(db, TableKind.ESTABLISHMENTS, write_xlsx(tmp_path / "e.xlsx", headers, rows))
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.REJECTED, Fate.IMPORTED]
    problems = result.rows[1].problems
    assert any(p.column == column and words in p.reason for p in problems), problems
    stored = _establishments(db)
    assert set(stored) == {_finess(1), _finess(2)}
    assert stored[_finess(2)].activities == ["CHEMOTHERAPY", "DAY_HOSPITAL"]


def test_same_finess_twice_in_one_file_keeps_the_first(db: Database, tmp_path: Path) -> None:
    """A FINESS repeated is skipped as a duplicate, pointing at the first row, which is kept."""
    rows = [
        [_finess(1), "Clinique du Parc", None, "59000", "Lille"],
        [_finess(1), "Clinique du Parc (bis)", None, "59100", "Roubaix"],
    ]
    result = _import(
        db, TableKind.ESTABLISHMENTS, write_xlsx(tmp_path / "e.xlsx", ESTABLISHMENT_HEADERS, rows)
    )
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.SKIPPED]
    assert "ligne 2" in result.rows[1].notes[0]
    (stored,) = _establishments(db).values()
    assert stored.name == "Clinique du Parc"


# --- vehicles ---------------------------------------------------------------------------------


def test_generated_roster_creates_each_carrier_once_and_reimport_is_unchanged(
    db: Database, day: SyntheticDay, tmp_path: Path
) -> None:
    """Carriers repeated on every vehicle row are created once; the same roster again is a no-op."""
    sample = write_vehicles(day, tmp_path / "parc.csv")
    result = _import(db, TableKind.VEHICLES, sample.path)
    assert len(result.rows) == len(day.vehicles) > len(day.carriers) > 1
    assert result.count(Fate.IMPORTED) == len(day.vehicles)
    assert result.outcome_count(Outcome.CREATED) == len(day.vehicles) + len(day.carriers)
    carriers = _carriers(db)
    assert set(carriers) == {c.siret for c in day.carriers}
    for record in day.carriers:
        carrier = carriers[record.siret]
        assert (carrier.name, carrier.base_commune, carrier.phone) == (
            record.name,
            record.base.commune,
            record.phone,
        )
        assert record.base.position is not None
        assert (carrier.base_lat, carrier.base_lon) == pytest.approx(
            (record.base.position.lat, record.base.position.lon)
        )
    vehicles = _vehicles(db)
    assert set(vehicles) == {v.plate for v in day.vehicles}
    for vehicle in day.vehicles:
        row, siret = vehicles[vehicle.plate]
        assert (
            VehicleRecord(
                carrier_siret=siret,
                plate=row.plate,
                kind=row.kind,
                seated_places=row.seated_places,
                lying_places=row.lying_places,
                wheelchair_places=row.wheelchair_places,
                shift_start=row.shift_start,
                shift_end=row.shift_end,
            )
            == vehicle
        )

    again = _import(db, TableKind.VEHICLES, sample.path)
    assert again.count(Fate.IMPORTED) == len(day.vehicles)
    assert again.outcome_count(Outcome.UNCHANGED) == len(day.vehicles) + len(day.carriers)
    assert again.outcome_count(Outcome.CREATED) == again.outcome_count(Outcome.UPDATED) == 0


SIRET = with_luhn_key("9015888669361")
VEHICLE_HEADERS = [
    "Transporteur",
    "SIRET",
    "Commune",
    "CP",
    "Latitude",
    "Longitude",
    "Type de véhicule",
    "Immatriculation",
    "Places assises",
    "Places allongées",
    "Places fauteuil",
    "Début de service",
    "Fin de service",
]


def _vehicle_row(**changes: Any) -> list[Any]:
    values: dict[str, Any] = {
        "Transporteur": "Taxi des Flandres",
        "SIRET": SIRET,
        "Commune": "Lille",
        "CP": "59000",
        "Latitude": 50.63,
        "Longitude": 3.06,
        "Type de véhicule": "Taxi",
        "Immatriculation": "AA-111-AA",
        "Places assises": 3,
        "Places allongées": 0,
        "Places fauteuil": 0,
        "Début de service": "06:30",
        "Fin de service": "18:00",
    }
    values.update(changes)
    return [values[h] for h in VEHICLE_HEADERS]


def _roster(db: Database, tmp_path: Path, *rows: list[Any]) -> ImportResult:
    return _import(
        db, TableKind.VEHICLES, write_xlsx(tmp_path / "parc.xlsx", VEHICLE_HEADERS, list(rows))
    )


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"SIRET": _wrong_key(SIRET)}, "SIRET", "SIRET invalide"),
        ({"Immatriculation": "ZZZ"}, "Immatriculation", "immatriculation invalide « ZZZ »"),
        (
            {"Type de véhicule": "VSL", "Places allongées": 1},
            "Places allongées",
            "un VSL n'a pas de place allongée",
        ),
        (
            {"Début de service": "19:00", "Fin de service": "07:00"},
            "Fin de service",
            "avant le début",
        ),
        ({"Latitude": 3.06, "Longitude": 50.63}, "Latitude", "inversées"),
    ],
)
def test_each_vehicle_rejection_names_its_column(
    db: Database, tmp_path: Path, changes: dict[str, Any], column: str, words: str
) -> None:
    """A roster row that cannot be right is refused with its column and reason; the next goes in."""
    bad = _vehicle_row(**{"Immatriculation": "BB-222-BB", **changes})
    result = _roster(db, tmp_path, bad, _vehicle_row())
    assert [r.fate for r in result.rows] == [Fate.REJECTED, Fate.IMPORTED]
    problems = result.rows[0].problems
    assert any(p.column == column and words in p.reason for p in problems), problems
    assert set(_vehicles(db)) == {"AA-111-AA"}


def _la_poste_sirets() -> tuple[str, str]:
    """(valid, invalid) La Poste SIRETs that the Luhn rule alone would judge the other way round.

    La Poste's SIRETs (SIREN 356000000) are valid when their digits sum to a multiple of 5.
    """
    valid = invalid = None
    for nic in range(1, 10_000):
        siret = f"356000000{nic:05d}"
        multiple_of_5 = sum(int(d) for d in siret) % 5 == 0
        if valid is None and multiple_of_5 and not luhn_valid(siret):
            valid = siret
        if invalid is None and not multiple_of_5 and luhn_valid(siret) and nic > 48:
            invalid = siret
        if valid and invalid:
            return valid, invalid
    raise AssertionError("no La Poste SIRET found")


def test_la_poste_siret_follows_its_own_rule(db: Database, tmp_path: Path) -> None:
    """La Poste's establishments break the Luhn key by design: digit sum multiple of 5 instead."""
    valid, invalid = _la_poste_sirets()
    result = _roster(
        db,
        tmp_path,
        _vehicle_row(SIRET=valid, Transporteur="La Poste"),
        _vehicle_row(SIRET=invalid, Transporteur="La Poste bis", Immatriculation="BB-222-BB"),
    )
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.REJECTED], result.rows
    assert "SIRET invalide" in result.rows[1].problems[0].reason
    assert set(_carriers(db)) == {valid}


def test_la_poste_head_office_siret_is_accepted(db: Database, tmp_path: Path) -> None:
    """The real SIRET of La Poste's head office must not be refused as 'SIRET invalide'."""
    head_office = "35600000000048"
    assert luhn_valid(head_office)  # the INSEE's stated exception: the head office uses Luhn
    result = _roster(db, tmp_path, _vehicle_row(SIRET=head_office, Transporteur="La Poste"))
    assert result.rows[0].fate is Fate.IMPORTED, result.rows[0].problems


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("ab 123 cd", "AB-123-CD"),
        ("AB123CD", "AB-123-CD"),
        ("AB-123-CD", "AB-123-CD"),
        ("1234 ab 59", "1234 AB 59"),
    ],
)
def test_plates_are_stored_in_one_canonical_form(
    db: Database, tmp_path: Path, written: str, stored: str
) -> None:
    """However the plate is typed, one vehicle has one plate, so reimports find it again."""
    result = _roster(db, tmp_path, _vehicle_row(Immatriculation=written))
    assert result.rows[0].fate is Fate.IMPORTED, result.rows[0].problems
    assert result.rows[0].keys == (stored,)
    assert set(_vehicles(db)) == {stored}


def _only(result: ImportResult) -> RowResult:
    (row,) = result.rows
    assert row.fate is Fate.IMPORTED, row.problems
    return row


def test_blank_places_take_the_usual_values_of_the_kind_with_a_note(
    db: Database, tmp_path: Path
) -> None:
    """A taxi with no places given is taken as 4 seated, and the report says so."""
    blank = {"Places assises": None, "Places allongées": None, "Places fauteuil": None}
    row = _only(_roster(db, tmp_path, _vehicle_row(**blank)))
    assert any("places non précisées" in note for note in row.notes), row.notes
    vehicle, _ = _vehicles(db)["AA-111-AA"]
    assert (vehicle.seated_places, vehicle.lying_places, vehicle.wheelchair_places) == (4, 0, 0)


def test_blank_shift_is_a_usual_day_with_a_note(db: Database, tmp_path: Path) -> None:
    """No service hours: 07:00–19:00 is assumed, and the report says so."""
    row = _only(
        _roster(db, tmp_path, _vehicle_row(**{"Début de service": None, "Fin de service": None}))
    )
    assert any("horaires non précisés : 07:00–19:00" in note for note in row.notes), row.notes
    vehicle, _ = _vehicles(db)["AA-111-AA"]
    assert (vehicle.shift_start, vehicle.shift_end) == (time(7, 0), time(19, 0))


def test_given_places_and_shift_are_kept_without_notes(db: Database, tmp_path: Path) -> None:
    """Complete rows carry no note: defaults never overwrite what the roster says."""
    row = _only(_roster(db, tmp_path, _vehicle_row()))
    assert row.notes == ()
    vehicle, _ = _vehicles(db)["AA-111-AA"]
    assert (vehicle.seated_places, vehicle.shift_start, vehicle.shift_end) == (
        3,
        time(6, 30),
        time(18, 0),
    )


def test_same_plate_twice_keeps_the_first_row(db: Database, tmp_path: Path) -> None:
    """The same vehicle listed twice, even spelled differently, is skipped the second time."""
    result = _roster(
        db,
        tmp_path,
        _vehicle_row(**{"Immatriculation": "AB-123-CD", "Places assises": 3}),
        _vehicle_row(**{"Immatriculation": "ab 123 cd", "Places assises": 2}),
    )
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.SKIPPED]
    assert "ligne 2" in result.rows[1].notes[0]
    vehicle, _ = _vehicles(db)["AB-123-CD"]
    assert vehicle.seated_places == 3
    assert len(_vehicles(db)) == 1


def test_one_siret_under_two_names_keeps_the_first_name(db: Database, tmp_path: Path) -> None:
    """A carrier is its SIRET: a second spelling of its name is noted, not a second carrier."""
    result = _roster(
        db,
        tmp_path,
        _vehicle_row(),
        _vehicle_row(**{"Transporteur": "Taxis Flandres SARL", "Immatriculation": "BB-222-BB"}),
    )
    assert [r.fate for r in result.rows] == [Fate.IMPORTED, Fate.IMPORTED]
    assert result.rows[0].notes == ()
    (note,) = result.rows[1].notes
    assert "ligne 2" in note and "Taxi des Flandres" in note
    carriers = _carriers(db)
    assert [c.name for c in carriers.values()] == ["Taxi des Flandres"]
    assert {siret for _, siret in _vehicles(db).values()} == {SIRET}
    assert len(_vehicles(db)) == 2


def test_a_crash_midway_through_the_roster_keeps_nothing(
    db: Database, day: SyntheticDay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roster is one transaction: carriers and vehicles already written are rolled back."""
    real = reference.save_vehicle
    calls: list[str] = []

    def crashing(session: Session, record: VehicleRecord) -> Any:
        calls.append(record.plate)
        if len(calls) == 3:
            assert session.scalar(select(func.count()).select_from(Vehicle)) == 2
            assert (session.scalar(select(func.count()).select_from(Carrier)) or 0) >= 1
            raise RuntimeError("disque plein")
        return real(session, record)

    monkeypatch.setattr("importers.run.reference.save_vehicle", crashing)
    sample = write_vehicles(day, tmp_path / "parc.csv")
    with pytest.raises(RuntimeError, match="disque plein"):
        _import(db, TableKind.VEHICLES, sample.path)
    assert len(calls) == 3
    assert _carriers(db) == {}
    assert _vehicles(db) == {}
