"""What Régul writes out from hostile values: no text ever runs as a formula in a workbook or a
CSV file, and numbers stay numbers."""

import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import make_url

from importers.columns import TableKind
from importers.geocoding import default_geocoder
from importers.report import write_report
from importers.run import import_file
from importers.sheets_out import FORMULA_TRIGGERS, csv_text
from importers.table_export import write_table
from models.migrate import upgrade
from models.session import Database
from regul.access import principal_for
from regul.dispatch_documents import export_invoices, export_manifests
from tests.dispatch_day import ACTOR, DAY, plan_and_push, store_day

# (last name, first name) of the day's first patients
NAMES = (
    ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://x";"clic")'),
    ("</script><script>alert(2)</script>", "+33 6 12 34 56 78"),
    ("Tom & Jerry <b>gras</b>", "-2+3"),
    ("@SOMME(A1:A9)", "\"guillemets\" et 'apostrophes'"),
)
TEXTS = (
    "=1+1", "+1", "-1", "@A1", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "-Jean", "ordinaire",
)  # fmt: skip


@pytest.fixture(scope="module")
def pushed_day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A local base whose day, with hostile patient names, is planned and pushed."""
    folder = tmp_path_factory.mktemp("hostile")
    db = Database(make_url(f"sqlite+pysqlite:///{folder}/regul.sqlite"))
    upgrade(db)
    store_day(db, names=NAMES)
    plan_and_push(db)
    yield db
    db.dispose()


def _formula_cells(path: Path) -> list[str]:
    """Every cell of the workbook written as a formula, read from its XML."""
    with zipfile.ZipFile(path) as archive:
        return [
            formula
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
            for formula in re.findall(r"<f[ >].*?</f>", archive.read(name).decode("utf-8"))
        ]


def _text_cells(path: Path) -> list[tuple[str, str, bool]]:
    """(value, type, quote prefix) of every text cell."""
    book = load_workbook(path)
    try:
        return [
            (cell.value, cell.data_type, bool(cell.quotePrefix))
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]
    finally:
        book.close()


def _assert_inert(path: Path, expected: set[str]) -> None:
    """No formula in the workbook; every text that looks like one is a quoted string cell;
    the ``expected`` texts are there as written."""
    assert _formula_cells(path) == []
    cells = _text_cells(path)
    for value, kind, quoted in cells:
        assert kind == "s", value
        if value.startswith(FORMULA_TRIGGERS):
            assert quoted, value
    values = " ".join(value for value, _, _ in cells)
    # XML reads a carriage return back as a line feed
    assert {text for text in expected if text.replace("\r", "\n") not in values} == set()


def test_manifest_workbooks_keep_hostile_names_as_text(
    pushed_day: Database, tmp_path: Path
) -> None:
    """The carriers' workbooks hold the hostile first names as written, never as formulas."""
    principal = principal_for(pushed_day, ACTOR)
    written = export_manifests(pushed_day, principal, DAY, tmp_path, formats=("xlsx",))
    assert written
    shown = " ".join(v for path in written for v, _, _ in _text_cells(path))
    for path in written:
        _assert_inert(path, set())
    assert all(first in shown for _, first in NAMES)


def test_the_invoice_preview_keeps_hostile_names_as_text_and_amounts_as_numbers(
    pushed_day: Database, tmp_path: Path
) -> None:
    """The invoice workbook: names as quoted text, amounts as numbers."""
    principal = principal_for(pushed_day, ACTOR)
    target = tmp_path / "factures.xlsx"
    export_invoices(pushed_day, principal, DAY, target, None)
    _assert_inert(target, set())
    book = load_workbook(target, read_only=True)
    numbers = [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, int | float)
    ]
    book.close()
    assert numbers
    shown = " ".join(v for v, _, _ in _text_cells(target))
    assert any(last in shown or last.upper() in shown for last, _ in NAMES)


def test_the_import_report_keeps_rejected_cells_as_text(db: Database, tmp_path: Path) -> None:
    """A rejected row comes back in the report exactly as it was, formulas-to-be as text."""
    source = tmp_path / "demandes.csv"  # a CSV, where text starting with = is text
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(
            ("N° dossier", "Nom", "Prénom", "Date", "Heure RDV", "Établissement", "Mode")
        )
        writer.writerows((t, t, t, "pas une date", "=NOW()", t, t) for t in TEXTS)
    result = import_file(db, TableKind.REQUESTS, source, default_geocoder(), "tester")
    target = write_report(result, tmp_path / "rapport.xlsx")
    _assert_inert(target, set(TEXTS) | {"=NOW()"})


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_table_exports_keep_text_inert_and_numbers_as_numbers(tmp_path: Path, suffix: str) -> None:
    """The audit log's table export, in both formats."""
    target = tmp_path / f"journal{suffix}"
    rows = [(text, -12.5, -3, None) for text in TEXTS]
    assert write_table(target, ("Texte", "Montant", "Écart", "Vide"), rows, "Journal") == len(rows)
    if suffix == ".xlsx":
        _assert_inert(target, set(TEXTS))
        book = load_workbook(target, read_only=True)
        read = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
        book.close()
        assert {(row[1], row[2]) for row in read} == {(-12.5, -3)}
        return
    with target.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream, delimiter=";"))
    texts = [line[0] for line in lines[1:]]
    assert not any(text.startswith(FORMULA_TRIGGERS) for text in texts)
    assert texts == [f"'{t}" if t.startswith(FORMULA_TRIGGERS) else t for t in TEXTS]
    assert {(line[1], line[2]) for line in lines[1:]} == {("-12,5", "-3")}


@pytest.mark.parametrize("text", TEXTS)
def test_the_csv_guard_quotes_exactly_what_a_spreadsheet_would_evaluate(text: str) -> None:
    """An apostrophe before =, +, -, @, tab and carriage return; nothing before other text."""
    guarded = csv_text(text)
    assert guarded == (f"'{text}" if text[0] in "=+-@\t\r" else text)
