"""Carriers' answers read back from the manifest workbook they filled in and returned.

A carrier without access to the shared database answers on the « Réponses » sheet of its
manifest (see :mod:`importers.manifests`): A or R per mission, and a reason for each refusal.
The sheet is read whole and every row checked before anything is recorded, so a regulator
fixes the file once, from a list naming each row and column at fault, rather than
discovering the errors one import at a time.
"""

from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from importers.cells import parse_int, text
from importers.errors import CellError, UnusableFileError
from importers.folding import fold
from importers.manifests import (
    ANSWER_HEADER,
    ANSWER_SHEET,
    MISSION_HEADER,
    REASON_HEADER,
    STATUS_LABELS,
    VERSION_HEADER,
)
from importers.readers import workbook_sheets
from models.enums import MissionStatus
from models.repositories.missions import MissionView

_ACCEPT = frozenset({"a", "accepte", "acceptee", "accepter", "accord", "oui", "o", "ok", "yes"})
_REFUSE = frozenset({"r", "refuse", "refusee", "refuser", "refus", "non", "n", "no"})
_HEADER_SEARCH_ROWS = 20
_COLUMNS = {
    "mission": (MISSION_HEADER, ("mission n", "mission", "n mission")),
    "version": (VERSION_HEADER, ("version",)),
    "answer": (ANSWER_HEADER, ("reponse a r", "reponse")),
    "reason": (REASON_HEADER, ("motif du refus", "motif")),
}


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong in the sheet, placed so the regulator finds it in the file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}"


@dataclass(frozen=True)
class SheetAnswer:
    row: int
    mission_id: int
    version: int
    accept: bool
    reason: str | None


@dataclass(frozen=True)
class AnswerSheet:
    file: str
    answers: tuple[SheetAnswer, ...]
    unanswered: int  # missions left blank: no answer yet, not an error
    problems: tuple[SheetProblem, ...]


@dataclass(frozen=True)
class CheckedAnswers:
    """The sheet's answers against the missions as they stand in the database."""

    to_record: tuple[SheetAnswer, ...]
    already_recorded: tuple[SheetAnswer, ...]  # the same answer is on record (sheet re-sent)
    problems: tuple[SheetProblem, ...]


def read_answer_sheet(path: Path) -> AnswerSheet:
    """Every answer row of the workbook's answer sheet; :class:`UnusableFileError` when the
    file is no workbook or has no answer sheet."""
    with closing(workbook_sheets(path, path.name)) as sheets:
        for _title, rows in sorted(sheets, key=lambda sheet: sheet[0] != ANSWER_SHEET):
            found = _header(rows)
            if found is not None:
                header_index, columns = found
                return _answers(path.name, rows, header_index, columns)
    raise UnusableFileError(
        f"{path.name} : pas de feuille de réponses (colonnes « {MISSION_HEADER} », "
        f"« {VERSION_HEADER} », « {ANSWER_HEADER} » et « {REASON_HEADER} » attendues) : "
        "est-ce bien le classeur de missions envoyé par la régulation ?"
    )


def check_answers(sheet: AnswerSheet, missions: Mapping[int, MissionView]) -> CheckedAnswers:
    """Match the answers with ``missions`` (by id, as read from the database): an unknown
    mission, one changed since the sheet was made, or one no longer open to an answer is a
    problem; an answer already on record is left aside, so a sheet sent twice does no harm."""
    to_record: list[SheetAnswer] = []
    already: list[SheetAnswer] = []
    problems = list(sheet.problems)
    for answer in sheet.answers:
        mission = missions.get(answer.mission_id)
        if mission is None:
            problems.append(
                SheetProblem(
                    sheet.file,
                    answer.row,
                    MISSION_HEADER,
                    f"mission n°{answer.mission_id} inconnue de cette base",
                )
            )
            continue
        wanted = MissionStatus.ACCEPTED if answer.accept else MissionStatus.REFUSED
        if mission.status is wanted or (answer.accept and mission.status is MissionStatus.DONE):
            already.append(answer)
        elif mission.status is not MissionStatus.PROPOSED:
            problems.append(
                SheetProblem(
                    sheet.file,
                    answer.row,
                    ANSWER_HEADER,
                    f"mission n°{mission.id} ({mission.request_id}) déjà "
                    f"{STATUS_LABELS[mission.status]} : elle n'attend plus de réponse",
                )
            )
        elif mission.version != answer.version:
            problems.append(
                SheetProblem(
                    sheet.file,
                    answer.row,
                    VERSION_HEADER,
                    f"mission n°{mission.id} ({mission.request_id}) modifiée depuis l'envoi de "
                    f"cette feuille (version {answer.version}, actuelle {mission.version}) : "
                    "répondez sur la feuille à jour",
                )
            )
        else:
            to_record.append(answer)
    return CheckedAnswers(tuple(to_record), tuple(already), tuple(problems))


def parse_answer(value: Any) -> bool | None:
    """True to accept, False to refuse, None for a blank cell; :class:`CellError` otherwise."""
    if isinstance(value, bool):
        return value
    raw = text(value)
    if raw is None:
        return None
    folded = fold(raw)
    if folded in _ACCEPT:
        return True
    if folded in _REFUSE:
        return False
    raise CellError(
        f"réponse illisible « {raw} » (attendu A, Accepté ou Oui pour accepter ; "
        "R, Refusé ou Non pour refuser)"
    )


def _header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """The header row's index and the position of each wanted column, if the sheet has one."""
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        folded = [fold(str(cell)) if cell is not None else "" for cell in row]
        columns: dict[str, int] = {}
        for key, (_, names) in _COLUMNS.items():
            for name in names:
                if name in folded:
                    columns[key] = folded.index(name)
                    break
        if len(columns) == len(_COLUMNS):
            return index, columns
    return None


def _answers(
    file: str, rows: list[tuple[Any, ...]], header_index: int, columns: dict[str, int]
) -> AnswerSheet:
    answers: list[SheetAnswer] = []
    problems: list[SheetProblem] = []
    answered_on: dict[int, int] = {}  # mission id → row of its first answer
    unanswered = 0
    for index in range(header_index + 1, len(rows)):
        cells = {
            key: rows[index][position] if position < len(rows[index]) else None
            for key, position in columns.items()
        }
        read = _row(cells)
        if read is None:
            unanswered += cells["mission"] is not None
            continue
        errors = read if isinstance(read, list) else []
        if isinstance(read, SheetAnswer) and read.mission_id in answered_on:
            first = answered_on[read.mission_id]
            errors = [("mission", f"mission n°{read.mission_id} déjà répondue ligne {first}")]
        row_number = index + 1
        if errors:
            problems += [SheetProblem(file, row_number, _COLUMNS[k][0], m) for k, m in errors]
        elif isinstance(read, SheetAnswer):
            answered_on[read.mission_id] = row_number
            answers.append(replace(read, row=row_number))
    return AnswerSheet(file, tuple(answers), unanswered, tuple(problems))


def _row(cells: Mapping[str, Any]) -> SheetAnswer | list[tuple[str, str]] | None:
    """One row's answer, its problems as (column key, message), or None when left blank."""
    errors: list[tuple[str, str]] = []
    reason = text(cells["reason"])
    try:
        accept = parse_answer(cells["answer"])
    except CellError as exc:
        errors.append(("answer", str(exc)))
        accept = None
    if accept is None and not errors:
        if reason is None:
            return None
        return [("answer", "motif donné sans réponse : écrivez R pour refuser")]
    numbers: dict[str, int] = {}
    for key, label in (("mission", "numéro de mission"), ("version", "version")):
        try:
            value = parse_int(cells[key], label)
        except CellError as exc:
            errors.append((key, str(exc)))
            continue
        if value is None:
            errors.append((key, f"réponse sans {label}"))
        else:
            numbers[key] = value
    if accept is False and reason is None:
        errors.append(("reason", "refus sans motif : le motif est obligatoire"))
    if errors or accept is None:
        return errors
    return SheetAnswer(0, numbers["mission"], numbers["version"], accept, reason)
