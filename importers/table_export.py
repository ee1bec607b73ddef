"""A table written for a spreadsheet user: XLSX, or CSV as French Excel opens it (UTF-8 with a
byte order mark, ``;`` between cells), streamed so that a long table (the audit log may hold
hundreds of thousands of entries) is never held whole in memory.

Text that a spreadsheet would take for a formula stays text, so a value typed by someone else
can never run as a formula on the reader's desk: in XLSX it is a string cell with Excel's quote
prefix, in CSV it is preceded by an apostrophe, both written by :mod:`importers.sheets_out`.
"""

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from importers.private_files import private_file
from importers.sheets_out import HEADER_FILL, HEADER_FONT, csv_text, keep_text
from models.timezone import to_paris

TABLE_SUFFIXES = (".xlsx", ".csv")
DATETIME_FORMAT = "DD/MM/YYYY HH:MM:SS"

Cell = str | int | float | datetime | None


def write_table(
    target: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    title: str,
    widths: Sequence[int] = (),
) -> int:
    """Write ``headers`` then ``rows`` to ``target`` (.xlsx or .csv); the number of rows written.

    Rows are consumed as they come (openpyxl's write-only mode for XLSX). Aware datetimes are
    written as Paris wall-clock times, spreadsheets having no time zones.
    """
    suffix = target.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ValueError(f"unsupported table format {target.suffix!r}")
    if suffix == ".csv":
        return _write_csv(target, headers, rows)
    return _write_xlsx(target, headers, rows, title, widths)


def _write_csv(target: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    count = 0
    with (
        private_file(target) as partial,
        partial.open("w", encoding="utf-8-sig", newline="") as stream,
    ):
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_text(value) for value in row])
            count += 1
    return count


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _wall_clock(value).strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return csv_text(value) if isinstance(value, str) else str(value)


def _write_xlsx(
    target: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    title: str,
    widths: Sequence[int],
) -> int:
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet(title)
    for column, width in enumerate(widths, start=1):
        # present on write-only sheets too, whatever openpyxl's stubs say
        sheet.column_dimensions[get_column_letter(column)].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"
    count = 0
    # the file first: a folder that cannot be written fails before any row is read
    with private_file(target) as partial:
        try:
            sheet.append([_xlsx_cell(sheet, header, header=True) for header in headers])
            for row in rows:
                sheet.append([_xlsx_cell(sheet, value) for value in row])
                count += 1
        except BaseException:
            sheet.close()  # openpyxl's row writer, left open, would fail later in the collector
            raise
        workbook.save(partial)
    return count


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Cell, header: bool = False) -> SheetCell:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_wall_clock(value))
        cell.number_format = DATETIME_FORMAT
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        keep_text(cell, value)
    if header:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    return cell


def _wall_clock(moment: datetime) -> datetime:
    return to_paris(moment).replace(tzinfo=None) if moment.tzinfo is not None else moment
