"""Reading .xlsx and .csv files into a header and numbered rows, whatever the hospital did.

The header is the row, among the first ones, that names the most known fields: title rows,
merged banners and blank lines above it are skipped. CSV files may use ';' or ',' (or tabs),
and be UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or Windows-1252.

The files come from outside and may be damaged or hostile: every way they can fail to read
ends in :class:`UnusableFileError` naming the file (and the row and column when one cell is
at fault), and the work done on them is bounded before it starts: the uncompressed size of a
workbook, the rows and columns read from a sheet, the length of a cell. A tiny .xlsx can
declare a million rows by sixteen thousand columns or unzip to gigabytes; it is refused
instead of filling the memory or keeping the regulator waiting.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from importers.cells import is_blank
from importers.errors import UnusableFileError

HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 2
# A day is a few thousand requests at most: these limits are far above any real export and
# far below what would exhaust a desk's memory.
MAX_FILE_BYTES = 200 * 1024 * 1024  # the file on disk, and a workbook's parts once unzipped
MAX_ARCHIVE_PARTS = 1000
MAX_ROWS = 50_000  # rows holding something; blank ones are skipped for free
MAX_COLUMNS = 256
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
EXCEL_MAX_ROWS = 1_048_576  # a sheet cannot have more: row numbers beyond are not read


@dataclass(frozen=True)
class RawRow:
    number: int  # as the regulator sees it in Excel: 1-based, title rows included
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class RawTable:
    path: Path
    sheet: str | None
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]


def read_table(path: Path, header_score: Callable[[Sequence[object]], int]) -> RawTable:
    """Read the first sheet (or the CSV) and find its header with ``header_score``."""
    if not path.exists():
        raise UnusableFileError(f"{path} : fichier introuvable")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheet, rows = _first_sheet(path)
    elif suffix in (".csv", ".txt"):
        sheet, rows = None, _csv_rows(path)
    elif suffix == ".xls":
        raise UnusableFileError(
            f"{path} : ancien format Excel .xls non pris en charge, enregistrez-le en .xlsx"
        )
    else:
        raise UnusableFileError(f"{path} : format non reconnu (attendu .xlsx ou .csv)")
    return _with_header(path, sheet, rows, header_score)


def _first_sheet(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    with closing(workbook_sheets(path, str(path))) as sheets:
        for title, rows in sheets:
            return title, rows
    raise UnusableFileError(f"{path} : classeur sans feuille de calcul")


def workbook_sheets(path: Path, shown: str) -> Generator[tuple[str, list[tuple[Any, ...]]]]:
    """Each sheet's title and rows (a blank row as an empty tuple), read within the limits.

    ``shown`` is how messages name the file. openpyxl turns a damaged part into whatever its
    XML and descriptor code trips on (``KeyError``, ``TypeError``, ``ParseError``,
    ``IndexError``…: the fuzz tests met a dozen kinds); for the regulator they all mean the
    same unreadable workbook, so every exception raised inside openpyxl becomes one.
    """
    _check_archive(path, shown)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any failure of the parser, see above
        raise _unreadable(shown, exc) from exc
    try:
        for sheet in workbook.worksheets:
            yield sheet.title, _sheet_rows(sheet, shown)
    finally:
        workbook.close()


def _check_archive(path: Path, shown: str) -> None:
    """Refuse a workbook too big to read before unzipping it: the sizes come from the zip's
    directory, and :mod:`zipfile` never inflates a part beyond its declared size."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _too_big(shown)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except Exception as exc:  # BadZipFile, struct errors, bad names…
        raise _unreadable(shown, exc) from exc
    if len(parts) > MAX_ARCHIVE_PARTS or sum(p.file_size for p in parts) > MAX_FILE_BYTES:
        raise _too_big(shown)


def _sheet_rows(sheet: Any, shown: str) -> list[tuple[Any, ...]]:
    # ``sheet`` is a ReadOnlyWorksheet, whose iter_rows the openpyxl stubs do not type.
    # The declared dimension pads every row to its width: keep it unless it is absurd, so
    # headers read as before; without one, or beyond the limit, rows end at their last value.
    declared = sheet.max_column if isinstance(sheet.max_column, int) else None
    width = declared if declared is not None and 0 < declared <= MAX_COLUMNS else None
    rows: list[tuple[Any, ...]] = []
    filled = 0
    try:
        for cells in sheet.iter_rows(
            max_row=EXCEL_MAX_ROWS, max_col=width or MAX_COLUMNS + 1, values_only=True
        ):
            if cells.count(None) == len(cells):
                rows.append(())
                continue
            filled += 1
            if filled > MAX_ROWS:
                raise _too_many_rows(shown)
            if width is None:
                cells = _trimmed(cells)
            rows.append(_checked(shown, len(rows) + 1, cells))
    except UnusableFileError:
        raise
    except Exception as exc:  # see workbook_sheets
        raise _unreadable(shown, exc) from exc
    return rows


def _trimmed(cells: tuple[Any, ...]) -> tuple[Any, ...]:
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells[:end]


def _checked(shown: str, number: int, cells: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row as read, unless a value lies beyond the last column read or a cell is huge."""
    if len(cells) > MAX_COLUMNS and not all(is_blank(c) for c in cells[MAX_COLUMNS:]):
        raise UnusableFileError(
            f"{shown}, ligne {number} : plus de {MAX_COLUMNS} colonnes remplies, ce n'est pas "
            "un tableau de transports"
        )
    for column, value in enumerate(cells, start=1):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise UnusableFileError(
                f"{shown}, ligne {number}, colonne {get_column_letter(column)} : cellule de "
                f"{len(value)} caractères, au-delà de la limite d'Excel ({MAX_CELL_CHARS})"
            )
    return cells


def _unreadable(shown: str, exc: BaseException) -> UnusableFileError:
    detail = str(exc).strip() or type(exc).__name__
    return UnusableFileError(f"{shown} : classeur Excel illisible ou abîmé ({detail[:200]})")


def _too_big(shown: str) -> UnusableFileError:
    return UnusableFileError(
        f"{shown} : fichier démesuré (plus de {MAX_FILE_BYTES // (1024 * 1024)} Mo une fois "
        "décompressé), ce n'est pas un tableau de transports"
    )


def _too_many_rows(shown: str) -> UnusableFileError:
    return UnusableFileError(f"{shown} : plus de {MAX_ROWS} lignes remplies, découpez le fichier")


def _with_header(
    path: Path,
    sheet: str | None,
    rows: list[tuple[Any, ...]],
    header_score: Callable[[Sequence[object]], int],
) -> RawTable:
    best_index, best_score = -1, 0
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(cells)
        if score > best_score:
            best_index, best_score = index, score
    if best_score < MIN_HEADER_FIELDS:
        raise UnusableFileError(
            f"{path} : aucune ligne d'en-têtes reconnue dans les {HEADER_SEARCH_ROWS} premières "
            "lignes (noms de colonnes attendus : « N° dossier », « Nom », « Heure RDV »…)"
        )
    headers = tuple("" if is_blank(h) else str(h).strip() for h in rows[best_index])
    body = tuple(
        RawRow(number=index + 1, cells=_padded(cells, len(headers)))
        for index, cells in enumerate(rows)
        if index > best_index and not all(is_blank(c) for c in cells)
    )
    return RawTable(path, sheet, best_index + 1, headers, body)


def _padded(cells: tuple[Any, ...], width: int) -> tuple[Any, ...]:
    return cells + (None,) * (width - len(cells)) if len(cells) < width else cells


def _csv_rows(path: Path) -> list[tuple[Any, ...]]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _too_big(str(path))
    raw = path.read_bytes()
    text = _decode(path, raw)
    sample = "\n".join(text[: 64 * 1024].splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = max((";", ",", "\t"), key=sample.count)
    rows: list[tuple[Any, ...]] = []
    filled = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            if all(is_blank(c) for c in cells):
                rows.append(())
                continue
            filled += 1
            if filled > MAX_ROWS:
                raise _too_many_rows(str(path))
            rows.append(_checked(str(path), len(rows) + 1, tuple(cells)))
    except csv.Error as exc:
        raise UnusableFileError(
            f"{path}, ligne {reader.line_num} : CSV illisible (guillemet non refermé ou "
            f"cellule démesurée : {exc})"
        ) from exc
    return rows


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnusableFileError(f"{path} : texte UTF-16 abîmé ({exc})") from exc
    if b"\x00" in raw:
        raise UnusableFileError(f"{path} : fichier binaire, pas un CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
