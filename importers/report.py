"""The import report as a workbook the regulator can fix and import again.

Its first sheet holds the rejected rows exactly as they were, under the file's own headers,
with the row number, the column at fault and the reason added at the right: correct the cells,
save, import this sheet, and only those rows go in.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from importers.private_files import private_file
from importers.run import Fate, ImportResult, RowResult
from importers.sheets_out import put
from models.repositories.common import Outcome

_BOLD = Font(bold=True)
_REASON_FILL = PatternFill("solid", fgColor="FDE9E7")
_LABELS = {
    Outcome.CREATED: "créés",
    Outcome.UPDATED: "mis à jour",
    Outcome.UNCHANGED: "inchangés",
}


def write_report(result: ImportResult, target: Path) -> Path:
    workbook = Workbook()
    rejected = workbook.active
    assert rejected is not None
    rejected.title = "À corriger"
    extra = ("Ligne d'origine", "Colonne en cause", "Motif du rejet")
    _write(rejected, [*result.table.headers, *extra], _rejected_rows(result))
    _style(rejected, highlight_from=len(result.table.headers) + 1)

    flagged = workbook.create_sheet("Signalements")
    _write(
        flagged,
        ["Ligne", "Demandes", "À vérifier"],
        ([row.row.number, ", ".join(row.keys), "; ".join(row.notes)] for row in result.flagged),
    )
    _style(flagged)

    skipped = workbook.create_sheet("Ignorées")
    _write(
        skipped,
        ["Ligne", "Raison"],
        ([row.row.number, "; ".join(row.notes)] for row in _rows(result, Fate.SKIPPED)),
    )
    _style(skipped)

    summary = workbook.create_sheet("Résumé")
    first, *rest = (list(line) for line in summary_lines(result))
    _write(summary, first, rest)
    _style(summary)
    with private_file(target) as partial:
        workbook.save(partial)
    return target


def _rejected_rows(result: ImportResult) -> Iterator[list[Any]]:
    """Each rejected row as it was, then its line, the columns at fault and why."""
    for row in _rows(result, Fate.REJECTED):
        columns = "; ".join(dict.fromkeys(p.column for p in row.problems if p.column))
        reasons = "; ".join(str(p) for p in row.problems)
        yield [*row.row.cells, row.row.number, columns, reasons]


def _write(sheet: Any, titles: list[Any], rows: Iterable[list[Any]]) -> None:
    """Every cell through ``sheets_out.put``: a hospital's cell that starts like a formula
    (=, +, -, @) stays the text it was, never a formula; dates and times in French."""
    for number, values in enumerate([titles, *rows], start=1):
        for column, value in enumerate(values, start=1):
            put(sheet, number, column, value)


def summary_lines(result: ImportResult) -> list[tuple[str, Any]]:
    imported = result.count(Fate.IMPORTED)
    outcomes = ", ".join(
        f"{result.outcome_count(outcome)} {label}" for outcome, label in _LABELS.items()
    )
    return [
        ("Fichier", str(result.path)),
        ("Feuille", result.table.sheet or "(CSV)"),
        ("Ligne d'en-têtes", result.table.header_row),
        ("Lignes lues", len(result.table.rows)),
        ("Importées", f"{imported} lignes ; enregistrements : {outcomes}"),
        ("Rejetées", result.count(Fate.REJECTED)),
        ("Ignorées", result.count(Fate.SKIPPED)),
        ("À vérifier", len(result.flagged)),
    ]


def _rows(result: ImportResult, fate: Fate) -> list[RowResult]:
    return [row for row in result.rows if row.fate is fate]


def _style(sheet: Any, highlight_from: int | None = None) -> None:
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.iter_cols(), start=1):
        width = max((len(_shown(c.value)) for c in column[:200]), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
        if highlight_from is not None and index >= highlight_from:
            for cell in column[1:]:
                cell.fill = _REASON_FILL


def _shown(value: Any) -> str:
    return "" if value is None else str(value)
