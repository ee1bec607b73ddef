"""Whatever the cells hold, every row is imported, rejected with a reason, or skipped."""

import csv
import itertools
import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from importers.columns import TableKind
from importers.geocoding import default_geocoder
from importers.run import Fate, import_file
from importers.samples import write_establishments
from importers.synthetic import generate_day
from models import TransportRequest
from models.session import Database

HEADERS = (
    "N° dossier", "Nom", "Prénom", "Date de naissance", "Téléphone", "Adresse", "Code postal",
    "Commune", "Latitude départ", "Longitude départ", "Établissement", "Date", "Sens",
    "Heure RDV", "Heure de sortie", "Mode prescrit", "Position", "Partage possible", "Motif",
    "ALD", "Accompagnant", "Observations",
)  # fmt: skip
DAY = generate_day(date(2026, 11, 24), requests=10, seed=4)
PLAUSIBLE: dict[str, list[Any]] = {
    "N° dossier": ["1001", 1002, "IPP-77", "0"],
    "Nom": ["Martin", "DUBOIS", "de la Tour"],
    "Prénom": ["Jeanne", "Jean-Pierre"],
    "Date de naissance": [date(1950, 3, 2), "02/03/50", "1950-03-02"],
    "Téléphone": ["0612345678", 612345678, "+33 6 12 34 56 78"],
    "Adresse": ["3 rue Pasteur", None],
    "Code postal": ["59100", 59000, "5910"],
    "Commune": ["Roubaix", "LILLE", "Lomme", "Bailleul", "Atlantis"],
    "Latitude départ": [50.69, "50,69", 3.17, None],
    "Longitude départ": [3.17, "3,17", None],
    "Établissement": [DAY.establishments[0].name, DAY.establishments[1].finess, "CHU Lille"],
    "Date": [date(2026, 11, 24), "24/11/2026", "24/11/26", 46350],
    "Sens": ["Aller", "Retour", "A/R", "Transfert", None],
    "Heure RDV": ["8h30", time(9, 0), "09:15", 0.375, None],
    "Heure de sortie": ["16h", time(17, 30), None],
    "Mode prescrit": ["Taxi", "VSL", "Ambulance", "AMB"],
    "Position": ["Assis", "Allongé", "Fauteuil roulant", None],
    "Partage possible": ["Oui", "N", "X", None],
    "Motif": ["Dialyse", "Chimio", "Consultation", "Sortie", None],
    "ALD": ["O", "Non", None],
    "Accompagnant": ["Oui", None],
    "Observations": ["sonner fort", None],
}
# Excel cannot hold control characters; every other character may turn up in a cell.
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
ANY_CELL = st.one_of(
    st.none(),
    st.text(PRINTABLE, max_size=300),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),  # noqa: DTZ001 - Excel cells are naive
    st.times(),
    st.booleans(),
)


def _cell(header: str) -> st.SearchStrategy[Any]:
    """Mostly what hospitals write, sometimes anything: whole rows must get through too."""
    plausible = st.sampled_from(PLAUSIBLE[header])
    return st.one_of(plausible, plausible, plausible, plausible, plausible, ANY_CELL)


GOOD_ROW = (
    "1001", "Martin", "Jeanne", "02/03/1950", "0612345678", "3 rue Pasteur", "59100", "Roubaix",
    None, None, DAY.establishments[0].name, "24/11/2026", None, "8h30", "16h", "VSL", "Assis",
    "Oui", "Dialyse", "O", None, None,
)  # fmt: skip


@st.composite
def _spoiled_good_row(draw: st.DrawFn) -> tuple[Any, ...]:
    """A row that imports, with a few cells replaced by anything at all."""
    row = list(GOOD_ROW)
    row[0] = draw(st.integers(min_value=1, max_value=10**6))  # distinct patients
    for index in draw(st.lists(st.integers(0, len(HEADERS) - 1), max_size=3)):
        row[index] = draw(_cell(HEADERS[index]))
    return tuple(row)


ROW = st.one_of(st.tuples(*(_cell(h) for h in HEADERS)), _spoiled_good_row())


def _write(path: Path, rows: list[tuple[Any, ...]]) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADERS)
            writer.writerows(["" if v is None else str(v) for v in row] for row in rows)
        return
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


_counter = itertools.count()


@pytest.fixture
def known(db: Database, tmp_path: Path) -> Database:
    path = write_establishments(DAY, tmp_path / "e.xlsx").path
    import_file(db, TableKind.ESTABLISHMENTS, path, default_geocoder(), "tester")
    return db


@settings(
    # REGUL_PROPERTY_EXAMPLES=2000 for a deeper hunt before a release.
    max_examples=int(os.environ.get("REGUL_PROPERTY_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, min_size=1, max_size=6), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_every_row_is_accounted_for(
    known: Database, tmp_path: Path, rows: list[tuple[Any, ...]], suffix: str
) -> None:
    """No cell content crashes the import or loses a row; what is imported is in the database."""
    path = tmp_path / f"hasard-{next(_counter)}{suffix}"
    _write(path, rows)
    result = import_file(known, TableKind.REQUESTS, path, default_geocoder(), "tester")
    numbers = [r.row.number for r in result.rows]
    assert sorted(numbers) == [r.number for r in result.table.rows]  # each row once, none lost
    for row in result.rows:
        if row.fate is Fate.REJECTED:
            assert row.problems and all(p.reason for p in row.problems)
        elif row.fate is Fate.SKIPPED:
            assert row.notes
        else:
            assert row.keys and len(row.outcomes) == len(row.keys)
    imported = {key for r in result.rows if r.fate is Fate.IMPORTED for key in r.keys}
    event(f"{'some' if imported else 'no'} request imported")
    with known.reader() as session:
        stored = set(session.scalars(select(TransportRequest.external_id)))
    assert imported <= stored
