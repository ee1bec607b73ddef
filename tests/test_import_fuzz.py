"""Damaged and hostile files: every one ends in a clear error naming the file, never in another
exception or a hang, and nothing already saved is lost.

The short form runs in CI. The long form runs by hand::

    REGUL_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest -q -p no:cacheprovider \\
        tests/test_import_fuzz.py

Each file is first read in a worker process waited on with a generous timeout (a hang fails
the test instead of blocking CI), then imported for real into a base that already holds saved
establishments and requests, which must all still be there afterwards.
"""

import itertools
import multiprocessing
import os
from collections.abc import Iterator
from multiprocessing.pool import Pool
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import URL, func, make_url, select

from importers import readers
from importers.columns import TableKind
from importers.errors import UnusableFileError
from importers.geocoding import default_geocoder
from importers.run import import_file
from importers.samples import write_establishments, write_tidy_requests
from models import Establishment, TransportRequest
from models.session import Database
from tests.fuzz import hostile_files as hf
from tests.sheets import write_xlsx

EXAMPLES = int(os.environ.get("REGUL_FUZZ_EXAMPLES", "25"))
# Far above the slowest legitimate read on a slow machine (well under a second): reaching it
# means the reader does not end.
HANG_SECONDS = 120
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
HEADERS = ("N° dossier", "Nom", "Prénom", "Établissement", "Date", "Heure RDV", "Commune")
ROW = ("1001", "Martin", "Jeanne", "CHU Lille", "24/11/2026", "8h30", "Roubaix")
_counter = itertools.count()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[hf.Seed, ...]:
    return hf.seeds(tmp_path_factory.mktemp("graines"))


@pytest.fixture(scope="module")
def worker() -> Iterator[Pool]:
    """One spawned process reading files, so that a hang can be timed out and killed."""
    pool = multiprocessing.get_context("spawn").Pool(1)
    yield pool
    pool.terminate()
    pool.join()


@pytest.fixture
def db_url(tmp_path: Path) -> URL:
    """SQLite only: one backend shows the import's transaction keeps what was saved, and both
    run it the same way through SQLAlchemy."""
    return make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite")


@pytest.fixture
def saved(db: Database, tmp_path: Path) -> Database:
    """A base holding what earlier imports saved: no hostile file may take any of it away."""
    geocoder = default_geocoder()
    sites = write_establishments(hf.DAY, tmp_path / "sites.xlsx").path
    import_file(db, TableKind.ESTABLISHMENTS, sites, geocoder, "tester")
    requests = write_tidy_requests(hf.DAY, tmp_path / "deja.csv").path
    import_file(db, TableKind.REQUESTS, requests, geocoder, "tester")
    assert all(_counts(db))
    return db


def _counts(db: Database) -> tuple[int, int]:
    with db.reader() as session:
        sites = session.scalar(select(func.count()).select_from(Establishment))
        requests = session.scalar(select(func.count()).select_from(TransportRequest))
    return sites or 0, requests or 0


def _read(worker: Pool, path: Path, kind: TableKind) -> hf.Outcome:
    pending = worker.apply_async(hf.read_outcome, (str(path), kind.value))
    try:
        outcome: hf.Outcome = pending.get(timeout=HANG_SECONDS)
    except multiprocessing.TimeoutError:
        pytest.fail(f"{path.name} : toujours en lecture après {HANG_SECONDS} s")
    return outcome


def _check(
    worker: Pool, db: Database, folder: Path, data: bytes, suffix: str, kind: TableKind
) -> None:
    """The file reads or is refused with its name in the message; importing it for real ends
    the same way and leaves every saved row in place."""
    path = folder / f"abime-{next(_counter)}{suffix}"
    path.write_bytes(data)
    outcome = _read(worker, path, kind)
    if outcome.refused is not None:
        assert path.name in outcome.refused
    before = _counts(db)
    refusal = None
    try:
        import_file(db, kind, path, default_geocoder(), "fuzz")
    except UnusableFileError as exc:
        refusal = str(exc)
    if refusal is None:
        assert outcome.refused is None
        event("importé")
    else:
        assert path.name in refusal
        event("refusé" if outcome.refused else "lu, colonnes refusées")
    after = _counts(db)
    assert after[0] >= before[0] and after[1] >= before[1]


def _seed(data: st.DataObject, seeds: tuple[hf.Seed, ...], suffix: str | None = None) -> hf.Seed:
    return data.draw(st.sampled_from([s for s in seeds if suffix in (None, s.suffix)]))


@FUZZ
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_random_bytes(
    worker: Pool, saved: Database, tmp_path: Path, content: bytes, suffix: str
) -> None:
    """Bytes that are no spreadsheet at all, named as one."""
    _check(worker, saved, tmp_path, content, suffix, TableKind.REQUESTS)


@FUZZ
@given(data=st.data())
def test_damaged_bytes(
    worker: Pool,
    saved: Database,
    tmp_path: Path,
    seeds: tuple[hf.Seed, ...],
    data: st.DataObject,
) -> None:
    """A real file with bytes flipped, inserted, deleted or cut short."""
    seed = _seed(data, seeds)
    content = seed.data
    anywhere = st.integers(0, 1 << 20)
    for _ in range(data.draw(st.integers(1, 6))):
        match data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"])):
            case "flip":
                content = hf.flip(content, data.draw(anywhere), data.draw(st.integers(0, 255)))
            case "insert":
                content = hf.insert(content, data.draw(anywhere), data.draw(st.binary(max_size=64)))
            case "delete":
                content = hf.delete(content, data.draw(anywhere), data.draw(st.integers(1, 64)))
            case _:
                content = hf.truncate(content, data.draw(anywhere))
    _check(worker, saved, tmp_path, content, seed.suffix, seed.kind)


@FUZZ
@given(data=st.data())
def test_damaged_workbook_parts(
    worker: Pool,
    saved: Database,
    tmp_path: Path,
    seeds: tuple[hf.Seed, ...],
    data: st.DataObject,
) -> None:
    """A well-formed zip whose parts are missing, damaged, or whose sheet XML is absurd."""
    seed = _seed(data, seeds, ".xlsx")
    members = hf.parts(seed.data)
    name = data.draw(st.sampled_from([hf.SHEET, hf.SHEET, *sorted(members)]))
    body = members[name]
    match data.draw(st.sampled_from(["remove", "bytes", "xml", "xml", "garbage"])):
        case "remove":
            content = hf.with_part(seed.data, name, None)
        case "bytes":
            at = data.draw(st.integers(0, 1 << 20))
            damaged = hf.insert(hf.delete(body, at, data.draw(st.integers(0, 16))), at,
                                data.draw(st.binary(max_size=16)))  # fmt: skip
            content = hf.with_part(seed.data, name, damaged)
        case "xml":
            twisted = hf.sheet_xml(seed.data)
            for _ in range(data.draw(st.integers(1, 3))):
                find, replacement = data.draw(st.sampled_from(hf.XML_TWISTS))
                twisted = hf.twist_xml(twisted, find, replacement, data.draw(st.integers(0, 99)))
            content = hf.with_part(seed.data, hf.SHEET, twisted)
        case _:
            content = hf.with_part(seed.data, name, data.draw(st.binary(max_size=200)))
    _check(worker, saved, tmp_path, content, ".xlsx", seed.kind)


@FUZZ
@given(data=st.data())
def test_damaged_csv_text(
    worker: Pool,
    saved: Database,
    tmp_path: Path,
    seeds: tuple[hf.Seed, ...],
    data: st.DataObject,
) -> None:
    """A real CSV in another encoding, with quotes, NULs, huge lines or stray bytes added."""
    seed = _seed(data, seeds, ".csv")
    content = hf.reencode(seed.data, data.draw(st.sampled_from(hf.ENCODINGS)))
    for _ in range(data.draw(st.integers(0, 4))):
        chunk = data.draw(st.sampled_from(hf.TEXT_TWISTS))
        content = hf.insert(content, data.draw(st.integers(0, 1 << 20)), chunk)
    _check(worker, saved, tmp_path, content, ".csv", seed.kind)


# --- the attacks one by one, each with what it must give ----------------------------------


def _tidy(tmp_path: Path) -> tuple[Path, bytes]:
    path = write_xlsx(tmp_path / "propre.xlsx", HEADERS, [ROW, ROW, ROW])
    return path, path.read_bytes()


@pytest.mark.parametrize(
    "twist",
    [
        (rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"'),
        (b"</sheetData>",
         b'<row r="99999999999"><c r="A99999999999"><v>1</v></c></row></sheetData>'),
        (b"</sheetData>",
         b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t /></is></c></row>'
         b"</sheetData>"),
    ],
    ids=["dimension-geante", "ligne-milliards", "derniere-cellule-excel"],
)  # fmt: skip
def test_absurd_sizes_read_as_the_cells_they_hold(
    worker: Pool, tmp_path: Path, twist: tuple[bytes, bytes]
) -> None:
    """A sheet declaring a million rows by sixteen thousand columns, or a row numbered in the
    billions, reads at once as the rows it really holds (it used to pad every row to the
    declared size and scan a million of them)."""
    path, original = _tidy(tmp_path)
    expected = _read(worker, path, TableKind.REQUESTS)
    twisted = hf.twist_xml(hf.sheet_xml(original), *twist, 0)
    path.write_bytes(hf.with_part(original, hf.SHEET, twisted))
    outcome = _read(worker, path, TableKind.REQUESTS)
    assert outcome.refused is None
    assert outcome.headers == expected.headers == HEADERS
    assert outcome.rows == 3


def test_a_decompression_bomb_is_refused_before_unzipping(worker: Pool, tmp_path: Path) -> None:
    """A workbook of a few hundred kilobytes that would unzip beyond the limit is refused by
    its declared sizes."""
    _, original = _tidy(tmp_path)
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(hf.bomb(original, readers.MAX_FILE_BYTES + (1 << 20)))
    assert path.stat().st_size < readers.MAX_FILE_BYTES // 100
    outcome = _read(worker, path, TableKind.REQUESTS)
    assert outcome.refused is not None
    assert "bombe.xlsx" in outcome.refused and "démesuré" in outcome.refused


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_huge_cell_is_named_by_row_and_column(tmp_path: Path, suffix: str) -> None:
    """A cell beyond Excel's 32,767 characters is refused with its row and column."""
    huge = "x" * (readers.MAX_CELL_CHARS + 1)
    path = tmp_path / f"enorme{suffix}"
    if suffix == ".csv":
        lines = [HEADERS, ROW, (*ROW[:2], huge, *ROW[3:])]
        path.write_text("\n".join(";".join(line) for line in lines), encoding="utf-8")
    else:  # openpyxl cuts what it writes to Excel's limit: the cell is made longer in the XML
        original = write_xlsx(path, HEADERS, [ROW, (*ROW[:2], "ÉNORME", *ROW[3:])]).read_bytes()
        sheet = hf.sheet_xml(original).replace("ÉNORME".encode(), huge.encode())
        path.write_bytes(hf.with_part(original, hf.SHEET, sheet))
    with pytest.raises(UnusableFileError, match=r"enorme.*ligne 3, colonne C : cellule de 32768"):
        readers.read_table(path, lambda headers: 2)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_value_beyond_the_last_column_read_is_refused(tmp_path: Path, suffix: str) -> None:
    """A row filled out to column 257 is no transport table; below that it reads."""
    wide = [*ROW, *([None] * (readers.MAX_COLUMNS - len(ROW))), "loin"]
    path = tmp_path / f"large{suffix}"
    if suffix == ".csv":
        cells = ["" if c is None else c for c in wide]
        path.write_text(";".join(HEADERS) + "\n" + ";".join(cells), encoding="utf-8")
    else:
        write_xlsx(path, HEADERS, [wide])
    with pytest.raises(UnusableFileError, match=r"large.*ligne 2 : plus de 256 colonnes"):
        readers.read_table(path, lambda headers: 2)
    wide.pop()
    if suffix == ".csv":
        path.write_text(";".join(HEADERS) + "\n" + ";".join(ROW), encoding="utf-8")
    else:
        write_xlsx(path, HEADERS, [wide])
    assert len(readers.read_table(path, lambda headers: 2).rows) == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_too_many_filled_rows_are_refused(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond the row limit the file is refused; blank rows do not count."""
    monkeypatch.setattr(readers, "MAX_ROWS", 4)
    path = tmp_path / f"long{suffix}"
    rows = [ROW, ("",) * len(ROW), ROW, ("",) * len(ROW), ROW]
    if suffix == ".csv":
        path.write_text("\n".join(";".join(r) for r in [HEADERS, *rows]), encoding="utf-8")
    else:
        write_xlsx(path, HEADERS, rows)
    assert len(readers.read_table(path, lambda headers: 2).rows) == 3
    rows.append(ROW)
    if suffix == ".csv":
        path.write_text("\n".join(";".join(r) for r in [HEADERS, *rows]), encoding="utf-8")
    else:
        write_xlsx(path, HEADERS, rows)
    with pytest.raises(UnusableFileError, match=r"long.* : plus de 4 lignes remplies"):
        readers.read_table(path, lambda headers: 2)


def test_excel_unicode_text_reads(tmp_path: Path) -> None:
    """Excel's "Unicode text" export (UTF-16 with a BOM, tabs) reads like any CSV."""
    path = tmp_path / "unicode.txt"
    path.write_bytes("\r\n".join("\t".join(r) for r in [HEADERS, ROW]).encode("utf-16"))
    table = readers.read_table(path, lambda headers: 2)
    assert table.headers == HEADERS
    assert table.rows[0].cells == ROW


def test_an_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    """A quote opened and never closed swallows the file; the error says where it starts."""
    path = tmp_path / "guillemet.csv"
    lines = [";".join(HEADERS), ";".join(ROW), '1002;"Durand' + "x" * 140_000, ";".join(ROW)]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(UnusableFileError, match=r"guillemet\.csv, ligne \d+ : CSV illisible"):
        readers.read_table(path, lambda headers: 2)


def test_a_refused_file_leaves_the_saved_day_whole(saved: Database, tmp_path: Path) -> None:
    """Importing a damaged copy of a file already imported changes nothing that was saved."""
    before = _counts(saved)
    path = tmp_path / "deja.csv"
    content = path.read_bytes()
    path.write_bytes(content[:200] + b'\x00"' + content[200:])
    with pytest.raises(UnusableFileError, match=r"deja\.csv"):
        import_file(saved, TableKind.REQUESTS, path, default_geocoder(), "tester")
    assert _counts(saved) == before
