"""Reading .xlsx and .csv files into a header and numbered rows, whatever the hospital did.

The header is the row, among the first ones, that names the most known fields: title rows,
merged banners and blank lines above it are skipped. CSV files may use ';' or ',' (or tabs),
and be UTF-8 (with or without BOM) or Windows-1252.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from importers.cells import is_blank
from importers.errors import UnusableFileError

HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 2


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
        sheet, rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        sheet, rows = None, _csv_rows(path)
    elif suffix == ".xls":
        raise UnusableFileError(
            f"{path} : ancien format Excel .xls non pris en charge, enregistrez-le en .xlsx"
        )
    else:
        raise UnusableFileError(f"{path} : format non reconnu (attendu .xlsx ou .csv)")
    return _with_header(path, sheet, rows, header_score)


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


def _xlsx_rows(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnusableFileError(f"{path} : classeur Excel illisible ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
        return sheet.title, rows
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise UnusableFileError(f"{path} : classeur Excel illisible ({exc})") from exc
    finally:
        workbook.close()


def _csv_rows(path: Path) -> list[tuple[Any, ...]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise UnusableFileError(f"{path} : fichier binaire, pas un CSV")
    text = _decode(raw)
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = max((";", ",", "\t"), key=sample.count)
    return [tuple(row) for row in _csv_reader(path, text, delimiter)]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_reader(path: Path, text: str, delimiter: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise UnusableFileError(
            f"{path} : CSV illisible (guillemet non refermé ou cellule démesurée : {exc})"
        ) from exc
