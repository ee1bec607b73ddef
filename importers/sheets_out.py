"""Writing cells into the workbooks Régul hands out, so that no text ever runs as a formula.

A patient's name or an address comes from a hospital export and is written back into sheets
that carriers open in Excel or LibreOffice: text starting with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return, which some spreadsheets strip first) would be taken for a
formula there. Every workbook writer goes through :func:`put` (or :func:`keep_text` for
openpyxl's write-only cells), which stores such text as a string cell with Excel's quote
prefix, so it shows and edits as the text it was. Every CSV writer goes through
:func:`csv_text`, which puts an apostrophe before such text, as OWASP advises against CSV
injection: Excel and LibreOffice read the apostrophe as "text" and never evaluate the cell.
Numbers are not text and stay numbers (a negative amount is no formula).
"""

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell | MergedCell:
    """Write ``value`` in a cell: text as text, decimals as numbers, times in French formats."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        value = float(value)
    cell.value = value
    if isinstance(value, str):
        keep_text(cell, value)
    elif isinstance(value, datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, time):
        cell.number_format = "HH:MM"
    return cell


def keep_text(cell: Cell | MergedCell, text: str) -> None:
    """Make ``cell``, which holds ``text``, a string cell that no spreadsheet evaluates."""
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def csv_text(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet evaluates."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def header(sheet: Worksheet, row: int, titles: Iterable[str]) -> None:
    """A bold, shaded header row."""
    for column, title in enumerate(titles, start=1):
        cell = put(sheet, row, column, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def widths(sheet: Worksheet, by_column: Iterable[float]) -> None:
    for column, width in enumerate(by_column, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
