"""What Régul writes out or shows from hostile values: no text ever runs as a formula in a
workbook or a CSV file (numbers stay numbers); names print as written in the PDF manifests,
reach the map page only as text and show as written in the console's tooltips, labels and
message boxes. Every file written for the user is readable by that user only."""

import csv
import gc
import json
import os
import re
import stat
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from PySide6.QtGui import Qt, QTextDocument
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url, select

from console.missions_model import MissionsModel
from console.plain_text import as_written, plain_label
from console.timeline import TimelineView
from importers.columns import TableKind
from importers.geocoding import default_geocoder
from importers.report import write_report
from importers.run import Fate, import_file
from importers.samples import write_establishments, write_tidy_requests
from importers.sheets_out import FORMULA_TRIGGERS, csv_text
from importers.synthetic import generate_day
from importers.table_export import write_table
from maps.route_map import render_map
from models.migrate import upgrade
from models.patients import Patient
from models.repositories.audit import AuditFilter, audit_entries
from models.session import Database
from planning.model import Problem
from planning.plan import Plan, Route, Stop, StopKind
from regul.access import principal_for
from regul.dispatch_documents import export_invoices, export_manifests
from tests.dispatch_day import ACTOR, DAY, at, plan_and_push, store_day
from tests.dispatch_day import mission as dispatch_mission
from tests.planning_factories import RULES, H, trip, vehicle

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


# -- what the regulator and the carriers read -------------------------------------------------

MARKUP = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "Tom & Jerry <b>gras</b>",
    "\"guillemets\" & 'apostrophes' &amp;",
    "deux\nlignes",
)


def _pdf_text(paths: list[Path]) -> str:
    """Every page's text, without any white space (a long name may wrap in its cell)."""
    texts: list[str] = []
    for path in paths:
        document = pdfium.PdfDocument(path)
        try:
            texts += [page.get_textpage().get_text_range() for page in document]
        finally:
            document.close()
    return "".join("".join(texts).split())


def test_the_pdf_manifests_print_hostile_names_as_written(
    pushed_day: Database, tmp_path: Path
) -> None:
    """Markup in a patient's name is printed, not read by reportlab."""
    principal = principal_for(pushed_day, ACTOR)
    written = export_manifests(pushed_day, principal, DAY, tmp_path, formats=("pdf",))
    printed = _pdf_text(written)
    for last, first in NAMES:
        assert "".join(last.upper().split()) in printed
        assert "".join(first.split()) in printed


def _map_day(name: str) -> tuple[Problem, Plan, dict[str, str]]:
    """Two patients in a taxi of carrier ``name``, a third left out for reason ``name``."""
    a, b, c = trip("A", 50.70, 3.16), trip("B", 50.68, 3.12), trip("C", 50.60, 3.00)
    problem = Problem(date(2026, 11, 24), (a, b, c), (vehicle("AB-123-CD", carrier=name),), RULES)
    stops = (
        Stop(StopKind.START, 6 * H),
        Stop(StopKind.PICKUP, 7 * H, "A"),
        Stop(StopKind.PICKUP, 7 * H + 600, "B"),
        Stop(StopKind.DROPOFF, 7 * H + 1800, "A"),
        Stop(StopKind.DROPOFF, 7 * H + 1900, "B"),
        Stop(StopKind.END, 8 * H),
    )
    return problem, Plan((Route("AB-123-CD", stops),), {"C": name}), {"A": name, "B": name}


class _Tags(HTMLParser):
    """The page's elements and their attributes' names, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))


def _structure(page: str) -> list[tuple[str, tuple[str, ...]]]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


@pytest.mark.parametrize("name", MARKUP)
def test_hostile_names_change_nothing_in_the_map_page_s_markup(name: str) -> None:
    """The page has the same elements and attributes whatever the names; the names are in its
    data as written, for the page to show as text."""
    benign = render_map(*_map_day("Taxis du Nord"), tiles=False)
    hostile = render_map(*_map_day(name), tiles=False)
    assert _structure(hostile) == _structure(benign)
    start = hostile.index('{"markers"')
    data, _ = json.JSONDecoder().raw_decode(hostile, start)
    texts = [m["text"] for m in data["markers"]] + [line["text"] for line in data["lines"]]
    assert any(name in text for text in texts)


def _shown(text: str) -> str:
    """What Qt shows for a string it is given as a tooltip or a message."""
    document = QTextDocument()
    if Qt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText()


@pytest.mark.parametrize("name", MARKUP)
def test_console_tooltips_and_messages_show_names_as_written(qtbot: QtBot, name: str) -> None:
    """A name Qt would take for markup shows as written once passed through as_written."""
    assert _shown(as_written(name)) == name
    assert _shown(as_written(f"Retenue : {name}")) == f"Retenue : {name}"


def test_the_timeline_s_tooltips_show_patient_and_carrier_names_as_written(
    qtbot: QtBot,
) -> None:
    """Every tooltip of the timeline reads as written, the hostile names included."""
    name = MARKUP[0]
    view = TimelineView()
    qtbot.addWidget(view)
    problem, plan, patients = _map_day(name)
    view.show_plan(problem, plan, {name: name}, patients)
    tips = [item.toolTip() for item in view.scene().items() if item.toolTip()]
    shown = [_shown(tip) for tip in tips]
    assert sum(name in text for text in shown) >= 5  # the vehicle, three legs, four stops
    assert all("<" not in tip or tip.startswith("<p ") for tip in tips)


def test_the_missions_grid_tooltip_shows_a_refusal_reason_as_written(qtbot: QtBot) -> None:
    """A carrier's refusal reason with markup reads as written in the grid's tooltip."""
    reason = MARKUP[2]
    model = MissionsModel()
    mission = replace(
        dispatch_mission(1, "R1", ("Martin", "Paul"), (at(8, 0), 1, (50.6, 3.0)),
                         (at(8, 30), 2, (50.7, 3.1))),
        refusal_reason=reason,
    )  # fmt: skip
    model.set_missions([mission])
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert reason in _shown(tip)


def test_the_import_wizard_shows_a_file_s_error_as_plain_text(qtbot: QtBot) -> None:
    """The labels showing a file's error or the import's summary never read markup."""
    label = plain_label("<b>gras</b>")
    qtbot.addWidget(label)
    assert label.textFormat() is Qt.TextFormat.PlainText


# -- SQL ----------------------------------------------------------------------------------------

SQL_NAMES = (
    ("Robert'); DROP TABLE patients;--", "%_\\"),
    ("O'Brien\" OR 1=1 --", "_%"),
)


def test_hostile_names_are_stored_and_searched_as_values(db: Database, tmp_path: Path) -> None:
    """Names and file names made of SQL and LIKE wildcards are imported, stored and found as
    the text they are (bound parameters, escaped LIKE), on both backends."""
    day = generate_day(DAY, requests=6, seed=2)
    patients = list(dict.fromkeys(r.patient.file_number for r in day.requests))
    renamed = dict(zip(patients, SQL_NAMES, strict=False))
    day = replace(
        day,
        requests=tuple(
            replace(r, patient=replace(r.patient, last_name=renamed[key][0],
                                       first_name=renamed[key][1]))
            if (key := r.patient.file_number) in renamed
            else r
            for r in day.requests
        ),
    )  # fmt: skip
    geocoder = default_geocoder()
    import_file(db, TableKind.ESTABLISHMENTS, write_establishments(day, tmp_path / "e.xlsx").path,
                geocoder, "tester")  # fmt: skip
    hostile_file = tmp_path / "Robert'); DROP TABLE audit_log;--.csv"
    hostile = write_tidy_requests(day, hostile_file).path
    result = import_file(db, TableKind.REQUESTS, hostile, geocoder, "tester")
    assert result.count(Fate.IMPORTED) == len(day.requests)
    wildcard_file = tmp_path / "100%_\\.csv"
    import_file(db, TableKind.REQUESTS, write_tidy_requests(day, wildcard_file).path, geocoder,
                "tester")  # fmt: skip
    with db.reader() as session:
        stored = {(p.last_name, p.first_name) for p in session.scalars(select(Patient))}
        assert {(last.upper(), first) for last, first in SQL_NAMES} <= stored  # names in capitals
        found = session.scalars(
            select(Patient.first_name).where(Patient.last_name == SQL_NAMES[0][0].upper())
        ).all()
        assert found == [SQL_NAMES[0][1]]
        dropped = audit_entries(session, AuditFilter(text="drop table audit_log;--"))
        # unescaped, "%_" would be LIKE's "one character or more": every entry
        wildcards = audit_entries(session, AuditFilter(text="%_"))
        every_import = audit_entries(session, AuditFilter(actions=("import",)))
    assert [e.detail for e in dropped] == [
        e.detail for e in every_import if hostile_file.name in (e.detail or "")
    ]
    assert len(dropped) == 1
    assert [e.detail for e in wildcards] == [
        e.detail for e in every_import if wildcard_file.name in (e.detail or "")
    ]
    assert len(wildcards) == 1 and len(every_import) == 3


# -- files readable by the user only ------------------------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="modes are POSIX; Windows uses ACLs")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_every_document_written_for_the_user_is_user_only(
    pushed_day: Database, tmp_path: Path, loose_umask: None
) -> None:
    """Manifests (XLSX, PDF), the invoice preview, an import report and both table exports
    come out 0600 even under a permissive umask, and replace an older world-readable file."""
    principal = principal_for(pushed_day, ACTOR)
    out = tmp_path / "documents"
    written = export_manifests(pushed_day, principal, DAY, out)
    invoices = out / "factures.xlsx"
    invoices.write_text("ancienne version")
    invoices.chmod(0o644)
    export_invoices(pushed_day, principal, DAY, invoices, None)
    tables = [out / "journal.xlsx", out / "journal.csv"]
    for table in tables:
        write_table(table, ("Texte",), [("a",)], "Journal")
    files = [*written, invoices, *tables]
    assert {p.suffix for p in files} == {".xlsx", ".pdf", ".csv"}
    assert {_mode(p) for p in files} == {0o600}
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files)  # no leftover


@posix_only
def test_the_import_report_is_user_only(db: Database, tmp_path: Path, loose_umask: None) -> None:
    """The report of an import's rejected rows, with their patients, is 0600."""
    source = tmp_path / "demandes.csv"
    source.write_text("N° dossier;Nom;Date;Heure RDV;Établissement;Mode\n1;Martin;x;y;z;Taxi\n")
    result = import_file(db, TableKind.REQUESTS, source, default_geocoder(), "tester")
    assert _mode(write_report(result, tmp_path / "rapport.xlsx")) == 0o600


def test_a_failed_write_leaves_the_earlier_file_and_no_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails midway keeps the earlier file whole and leaves nothing beside it,
    nor a half-written workbook for the garbage collector to trip on."""

    def rows() -> Iterator[tuple[str]]:
        yield ("première ligne",)
        raise OSError("disque plein")

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    for name in ("journal.csv", "journal.xlsx"):
        target = tmp_path / name
        target.write_text("version précédente")
        with pytest.raises(OSError, match="disque plein"):
            write_table(target, ("Texte",), rows(), "Journal")
        gc.collect()
        assert target.read_text() == "version précédente"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.csv", "journal.xlsx"]
    assert unraisable == []


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """A umask letting everyone read new files, as on many desks."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)
