"""Carriers' manifests: stops in driving order, the workbook and its answer sheet, the PDF, the
route's map, and names that look like formulas or markup kept as text."""

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image, ImageStat
from sqlalchemy import URL

from importers import manifests
from importers.manifests import (
    ANSWER_HEADER,
    ANSWER_HEADER_ROW,
    ANSWER_SHEET,
    MISSION_HEADER,
    REASON_HEADER,
    VERSION_HEADER,
    carrier_manifests,
    write_manifest_pdf,
    write_manifest_xlsx,
)
from importers.sheets_out import put
from maps.thumbnail import MapStop, StopMark, route_thumbnail
from models import User
from models.enums import LIVE_MISSION_STATUSES, MissionStatus, Role
from models.fleet import Carrier
from models.repositories.missions import MissionView, missions_of_day
from models.session import Database
from regul.cli import main
from tests.dispatch_day import DAY, at, mission, plan_and_push, store_day

ROUBAIX, LILLE, TOURCOING = (50.69, 3.17), (50.63, 3.06), (50.72, 3.16)
TRICKY = ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://x")')
FORMULA_LIKE = ("=1+1", "+33 6 12", "-Jean", "@SOMME(A1)")


def _shared_pair() -> list[MissionView]:
    """Two patients picked up one after the other and dropped together, and a third alone
    on another vehicle."""
    return [
        mission(
            1, "R1", ("Dupont", "Jeanne"), (at(7, 40), 1, ROUBAIX), (at(8, 15), 3, LILLE), ["R2"]
        ),
        mission(2, "R2", TRICKY, (at(7, 50), 2, TOURCOING), (at(8, 18), 4, LILLE), ["R1", "R9"]),
        mission(
            3,
            "R3",
            ("Martin", "Paul"),
            (at(9, 0), 1, LILLE),
            (at(9, 30), 2, ROUBAIX),
            plate="EF-456-GH",
        ),
    ]


def _page_text(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_stops_interleave_pickups_and_drop_offs_in_driving_order() -> None:
    """Each vehicle's stops run by time: both pickups, then both drop-offs, numbered 1 to 4;
    companions are named, an unknown one by its request."""
    (manifest,) = carrier_manifests(_shared_pair())
    first, second = manifest.vehicles
    assert first.plate == "AB-123-CD" and second.plate == "EF-456-GH"
    order = [(s.number, s.mission.request_id, s.pickup) for s in first.stops]
    assert order == [(1, "R1", True), (2, "R2", True), (3, "R1", False), (4, "R2", False)]
    assert first.stops[0].companions == ('<IMG SRC=X ONERROR=ALERT(1)> =HYPERLINK("http://x")',)
    assert first.stops[1].companions == ("DUPONT Jeanne", "demande R9")
    assert [(s.pickup, s.place.commune) for s in second.stops] == [
        (True, "Roubaix"),
        (False, "Lille"),
    ]


def test_a_drop_off_and_a_pickup_at_the_same_minute_follow_the_pushed_sequence() -> None:
    """Two stops at one minute keep the order the plan gave them when pushed."""
    missions = [
        mission(1, "R1", ("A", "a"), (at(8, 0), 1, ROUBAIX), (at(8, 30), 3, LILLE)),
        mission(2, "R2", ("B", "b"), (at(8, 30), 2, LILLE), (at(9, 0), 4, ROUBAIX)),
    ]
    (manifest,) = carrier_manifests(missions)
    stops = manifest.vehicles[0].stops
    assert [(s.mission.request_id, s.pickup) for s in stops][1:3] == [("R2", True), ("R1", False)]


def test_missions_kept_from_an_earlier_push_take_their_place_by_time() -> None:
    """A mission left unchanged by a later push keeps that push's sequence numbers: the
    times order the stops, the sequences only settle a tie."""
    missions = [
        mission(1, "R1", ("A", "a"), (at(10, 0), 1, ROUBAIX), (at(10, 30), 2, LILLE)),
        mission(2, "R2", ("B", "b"), (at(8, 0), 5, LILLE), (at(8, 30), 6, ROUBAIX)),
    ]
    (manifest,) = carrier_manifests(missions)
    stops = manifest.vehicles[0].stops
    assert [(s.mission.request_id, s.pickup) for s in stops] == [
        ("R2", True),
        ("R2", False),
        ("R1", True),
        ("R1", False),
    ]


def test_the_workbook_holds_the_answer_sheet_then_each_vehicle_s_stops(tmp_path: Path) -> None:
    """First sheet: a row per mission with its number and version and two columns to fill;
    then a sheet per vehicle with its stops in order and the route's map."""
    (manifest,) = carrier_manifests(_shared_pair())
    path = write_manifest_xlsx(manifest, tmp_path / "m.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [ANSWER_SHEET, "AB-123-CD", "EF-456-GH"]
    answers = book[ANSWER_SHEET]
    headers = [c.value for c in answers[ANSWER_HEADER_ROW]]
    for title in (MISSION_HEADER, VERSION_HEADER, ANSWER_HEADER, REASON_HEADER):
        assert title in headers
    rows = list(answers.iter_rows(min_row=ANSWER_HEADER_ROW + 1, values_only=True))
    ids = [row[headers.index(MISSION_HEADER)] for row in rows]
    assert ids == [1, 2, 3]
    assert {row[headers.index(VERSION_HEADER)] for row in rows} == {1}
    assert all(row[headers.index(ANSWER_HEADER)] is None for row in rows)
    stops = book["AB-123-CD"]
    listed = [(r[0], r[2], r[3]) for r in stops.iter_rows(min_row=4, values_only=True) if r[0]]
    assert [(n, kind) for n, kind, _ in listed] == [
        (1, "Prise en charge"),
        (2, "Prise en charge"),
        (3, "Dépose"),
        (4, "Dépose"),
    ]
    assert listed[0][2] == "DUPONT Jeanne"
    with zipfile.ZipFile(path) as archive:
        assert any(name.startswith("xl/media/") for name in archive.namelist())


def test_formula_and_markup_names_stay_text_in_the_workbook(tmp_path: Path) -> None:
    """A name starting with =, +, - or @ is a string cell, never a formula, and reads back as
    written; markup is kept as plain characters."""
    missions = [
        mission(n, f"R{n}", (last, first), (at(7, n), n, ROUBAIX), (at(9, n), 10 + n, LILLE))
        for n, (last, first) in enumerate([*zip(FORMULA_LIKE, FORMULA_LIKE, strict=True), TRICKY])
    ]
    (manifest,) = carrier_manifests(missions)
    path = write_manifest_xlsx(manifest, tmp_path / "m.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any("<f>" in archive.read(n).decode() for n in sheets)
    book = load_workbook(path)
    patients = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "<"))
    ]
    values = {cell.value for cell in patients}
    assert {f"{last.upper()} {last}" for last in FORMULA_LIKE} <= values
    assert '<IMG SRC=X ONERROR=ALERT(1)> =HYPERLINK("http://x")' in values
    assert all(cell.data_type == "s" for cell in patients)


def test_sheet_cells_that_look_like_formulas_are_written_as_text() -> None:
    """The shared cell writer stores formula-like text as a quoted string, other values as
    they are."""
    sheet = Workbook().active
    assert sheet is not None
    for column, value in enumerate(["=SUM(A1)", "+1", "-1", "@x", "texte", 3], start=1):
        put(sheet, 1, column, value)
    cells = list(sheet[1])
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "s", "n"]
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False, False]


def test_the_pdf_has_a_section_per_vehicle_headed_with_carrier_day_and_vehicle(
    tmp_path: Path,
) -> None:
    """Each page names the carrier, the day and the vehicle of the section it shows, and the
    first page renders to a picture that is not blank."""
    (manifest,) = carrier_manifests(_shared_pair())
    path = write_manifest_pdf(manifest, tmp_path / "m.pdf")
    pages = _page_text(path)
    assert len(pages) == 2
    for text, plate in zip(pages, ("AB-123-CD", "EF-456-GH"), strict=True):
        assert "Taxis de l'Avesnois" in text and "mardi 24 novembre 2026" in text
        assert f"Véhicule {plate}" in text
    assert "DUPONT Jeanne" in pages[0] and "MARTIN Paul" in pages[1]
    document = pdfium.PdfDocument(path)
    try:
        image = document[0].render(scale=1).to_pil().convert("L")
    finally:
        document.close()
    darkness = sum(image.histogram()[:128]) / (image.width * image.height)
    assert darkness > 0.01, "the page is blank"
    assert ImageStat.Stat(image).stddev[0] > 20


def test_markup_in_a_name_is_printed_as_text_in_the_pdf(tmp_path: Path) -> None:
    """A patient named like an HTML tag shows as those very characters; reportlab reads no
    markup from data."""
    missions = [
        mission(1, "R1", TRICKY, (at(8, 0), 1, ROUBAIX), (at(8, 30), 2, LILLE)),
        mission(
            2, "R2", ("<b>Gras</b> & Cie", "<br/>"), (at(9, 0), 3, LILLE), (at(9, 30), 4, ROUBAIX)
        ),
    ]
    (manifest,) = carrier_manifests(missions)
    text = "".join(_page_text(write_manifest_pdf(manifest, tmp_path / "m.pdf")))
    flat = " ".join(text.split())
    assert "<IMG SRC=X ONERROR=ALERT(1)>" in flat
    assert "<B>GRAS</B> & CIE <br/>" in flat


def test_names_from_all_over_europe_print_with_their_letters(tmp_path: Path) -> None:
    """Polish or Vietnamese letters print as themselves where the system has a Unicode font,
    never as black boxes."""
    name = ("Łukasiewicz", "Nguyễn Thị")
    missions = [mission(1, "R1", name, (at(8, 0), 1, ROUBAIX), (at(8, 30), 2, LILLE))]
    (manifest,) = carrier_manifests(missions)
    text = " ".join(_page_text(write_manifest_pdf(manifest, tmp_path / "m.pdf")))
    assert "\u25a0" not in text and "UKASIEWICZ" in text
    if manifests._fonts().unicode:
        assert "ŁUKASIEWICZ Nguyễn Thị" in text


def test_with_the_standard_font_letters_lose_their_accent_rather_than_their_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a Unicode font, Helvetica prints « Ł » as « L » and an unknown script as
    « ? »: the name stays readable and the page renders."""
    standard = manifests._Fonts("Helvetica", "Helvetica-Bold", unicode=False)
    monkeypatch.setattr(manifests, "_fonts", lambda: standard)
    manifests._styles.cache_clear()
    try:
        missions = [
            mission(
                1, "R1", ("Łukasiewicz", "Nguyễn 李"), (at(8, 0), 1, ROUBAIX), (at(8, 30), 2, LILLE)
            )
        ]
        (manifest,) = carrier_manifests(missions)
        text = " ".join(_page_text(write_manifest_pdf(manifest, tmp_path / "m.pdf")))
    finally:
        manifests._styles.cache_clear()
    assert "LUKASIEWICZ Nguyen ?" in text and "\u25a0" not in text


def test_the_route_map_is_a_png_of_numbered_stops_on_a_light_background() -> None:
    """The map draws the route in its colour on a light background; stops at one place share
    a marker; no stop still gives a picture."""
    stops = [
        MapStop(*ROUBAIX, "1", StopMark.PICKUP),
        MapStop(*TOURCOING, "2", StopMark.PICKUP),
        MapStop(*LILLE, "3", StopMark.DROPOFF),
        MapStop(*LILLE, "4", StopMark.DROPOFF),
    ]
    image = Image.open(io.BytesIO(route_thumbnail(stops, 400, 300))).convert("RGB")
    assert image.size == (400, 300)
    colours = image.getcolors(maxcolors=400 * 300) or []
    (count, background) = max(colours)
    assert min(background) > 230 and count > 400 * 300 / 2
    assert any(abs(r - 31) + abs(g - 94) + abs(b - 168) < 30 for _, (r, g, b) in colours)
    empty = Image.open(io.BytesIO(route_thumbnail([], 200, 100)))
    assert empty.size == (200, 100)


# -- from the database, through the command line ----------------------------------------------


@pytest.fixture
def pushed(db: Database, db_url: URL) -> str:
    """A stored day with tricky patient names, planned and pushed to its carriers."""
    store_day(db, names=[TRICKY, ("@SOMME(A1)", "-Jean")])
    plan_and_push(db)
    return db_url.render_as_string(hide_password=False)


def _live(db: Database, siret: str | None = None) -> list[MissionView]:
    with db.reader() as session:
        return missions_of_day(session, DAY, siret, LIVE_MISSION_STATUSES)


def _stops_of(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
            for sheet in book.worksheets
            if sheet.title != ANSWER_SHEET
        }
    finally:
        book.close()


def test_export_writes_a_workbook_and_a_pdf_per_carrier(
    pushed: str, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One XLSX and one PDF per carrier, named after it and the day; each workbook lists that
    carrier's missions, and each vehicle's stops in time order, two per mission."""
    out = tmp_path / "manifestes"
    assert (
        main(["export", "manifests", "--db", pushed, "--date", "2026-11-24", "--out", str(out)])
        == 0
    )
    missions = _live(db)
    carriers = {m.carrier_siret: m.carrier_name for m in missions}
    assert len(carriers) >= 2
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2 * len(carriers)
    assert all(name.startswith("manifeste-") and "2026-11-24" in name for name in files)
    assert "manifeste-ambulances-et-taxis-d-aulnoye-aymeries-2026-11-24.xlsx" in files
    assert capsys.readouterr().out.count("manifeste-") == len(files)
    for workbook in out.glob("*.xlsx"):
        book = load_workbook(workbook, read_only=True)
        rows = list(book[ANSWER_SHEET].iter_rows(min_row=ANSWER_HEADER_ROW + 1, values_only=True))
        book.close()
        ids = {row[0] for row in rows}
        (siret,) = {m.carrier_siret for m in missions if m.id in ids}
        assert ids == {m.id for m in missions if m.carrier_siret == siret}
        for plate, stops in _stops_of(workbook).items():
            own = [m for m in missions if m.vehicle_plate == plate]
            assert len(stops) == 2 * len(own)
            assert [row[0] for row in stops] == list(range(1, len(stops) + 1))
            times = [row[1] for row in stops]
            assert times == sorted(times)
            for m in own:
                seen = [row[2] for row in stops if row[13] == m.id]
                assert seen == ["Prise en charge", "Dépose"]


def test_names_like_formulas_or_markup_come_out_as_text(pushed: str, tmp_path: Path) -> None:
    """The stored patients named like a formula and like an HTML tag appear as written in
    both the workbook and the PDF."""
    out = tmp_path / "m"
    assert (
        main(["export", "manifests", "--db", pushed, "--date", "2026-11-24", "--out", str(out)])
        == 0
    )
    cells: list[tuple[str, str]] = []
    for workbook in out.glob("*.xlsx"):
        book = load_workbook(workbook)
        cells += [
            (c.value, c.data_type)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for c in row
            if isinstance(c.value, str)
        ]
    names = {value: kind for value, kind in cells}
    tag = '<IMG SRC=X ONERROR=ALERT(1)> =HYPERLINK("http://x")'
    assert names.get(tag) == "s" and names.get("@SOMME(A1) -Jean") == "s"
    printed = " ".join(" ".join(t for p in out.glob("*.pdf") for t in _page_text(p)).split())
    assert "<IMG SRC=X ONERROR=ALERT(1)>" in printed and "@SOMME(A1) -Jean" in printed


def test_one_carrier_in_one_format(pushed: str, db: Database, tmp_path: Path) -> None:
    """--carrier and --format pdf write that carrier's PDF alone."""
    siret = _live(db)[0].carrier_siret
    args = ["export", "manifests", "--db", pushed, "--date", "2026-11-24", "--out", str(tmp_path)]
    assert main([*args, "--carrier", siret, "--format", "pdf"]) == 0
    (written,) = tmp_path.glob("manifeste-*")
    assert written.suffix == ".pdf"
    assert main([*args, "--format", "doc"]) == 2


# On PostgreSQL a user is the role connected, not $REGUL_USER: tests/test_row_security.py.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_carrier_dispatcher_gets_its_own_manifest_only(
    pushed: str,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A dispatcher bound to one carrier exports that carrier's manifest, and is refused
    another's in one line."""
    missions = _live(db)
    own, other = sorted({m.carrier_siret for m in missions})[:2]
    with db.transaction("admin") as session:
        carrier = session.query(Carrier).filter_by(siret=own).one()
        session.add(
            User(
                login="dispatch",
                display_name="Répartition",
                role=Role.CARRIER_DISPATCHER,
                carrier=carrier,
            )
        )
    monkeypatch.setenv("REGUL_USER", "dispatch")
    args = ["export", "manifests", "--db", pushed, "--date", "2026-11-24", "--format", "xlsx"]
    assert main([*args, "--out", str(tmp_path / "own")]) == 0
    (written,) = (tmp_path / "own").glob("*.xlsx")
    book = load_workbook(written, read_only=True)
    ids = {
        row[0]
        for row in book[ANSWER_SHEET].iter_rows(min_row=ANSWER_HEADER_ROW + 1, values_only=True)
    }
    book.close()
    assert ids == {m.id for m in missions if m.carrier_siret == own}
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "other"), "--carrier", other]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "autre transporteur" in err[0]


def test_a_day_without_missions_is_told_in_one_line(
    db: Database, db_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing pushed yet: exit 1 and one line saying what to do."""
    url = db_url.render_as_string(hide_password=False)
    args = ["export", "manifests", "--db", url, "--date", "2026-11-24", "--out", str(tmp_path)]
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "aucune mission transmise" in err[0] and "regul push" in err[0]


def test_withdrawn_missions_leave_the_manifest(pushed: str, db: Database, tmp_path: Path) -> None:
    """A refused proposal is no longer on the carrier's manifest; accepted ones stay, marked."""
    from regul.access import principal_for
    from regul.dispatch import Answer, answer_missions

    missions = _live(db)
    refused, accepted = missions[0], missions[1]
    answer_missions(
        db,
        principal_for(db, "test-runner"),
        [
            Answer(refused.id, refused.version, False, "pas de chauffeur"),
            Answer(accepted.id, accepted.version, True),
        ],
    )
    out = tmp_path / "m"
    assert (
        main(
            [
                "export",
                "manifests",
                "--db",
                pushed,
                "--date",
                "2026-11-24",
                "--out",
                str(out),
                "--format",
                "xlsx",
            ]
        )
        == 0
    )
    rows: Sequence[tuple[object, ...]] = []
    for workbook in out.glob("*.xlsx"):
        book = load_workbook(workbook, read_only=True)
        rows = [
            *rows,
            *book[ANSWER_SHEET].iter_rows(min_row=ANSWER_HEADER_ROW + 1, values_only=True),
        ]
        book.close()
    status = {row[0]: row[14] for row in rows}
    assert refused.id not in status
    assert status[accepted.id] == "acceptée"
    assert MissionStatus.PROPOSED not in status.values()
