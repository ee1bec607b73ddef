"""Carriers' answers on the returned manifest workbook: read, checked row by row, recorded all
or nothing."""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import URL, update

from importers.answers import check_answers, parse_answer, read_answer_sheet
from importers.errors import CellError, UnusableFileError
from importers.manifests import (
    ANSWER_HEADER,
    ANSWER_HEADER_ROW,
    ANSWER_SHEET,
    MISSION_HEADER,
    REASON_HEADER,
    VERSION_HEADER,
    carrier_manifests,
    write_manifest_xlsx,
)
from models import Mission
from models.enums import MissionStatus
from models.repositories.missions import MissionView, missions_of_day
from models.session import Database
from regul.cli import main
from tests.dispatch_day import DAY, at, mission, plan_and_push, store_day

ROUBAIX, LILLE = (50.69, 3.17), (50.63, 3.06)


def _missions() -> list[MissionView]:
    return [
        mission(
            n,
            f"R{n}",
            (f"Patient{n}", "Test"),
            (at(7, 10 * n), n, ROUBAIX),
            (at(9, n), 10 + n, LILLE),
        )
        for n in range(1, 5)
    ]


def _filled(path: Path, answers: dict[int, tuple[Any, Any]], target: Path | None = None) -> Path:
    """The workbook with (answer, reason) written on the rows of the given missions."""
    book = load_workbook(path)
    sheet = book[ANSWER_SHEET]
    titles = [c.value for c in sheet[ANSWER_HEADER_ROW]]
    columns = {t: titles.index(t) for t in (MISSION_HEADER, ANSWER_HEADER, REASON_HEADER)}
    for row in sheet.iter_rows(min_row=ANSWER_HEADER_ROW + 1):
        mission_id = row[columns[MISSION_HEADER]].value
        if mission_id in answers:
            answer, reason = answers[mission_id]
            row[columns[ANSWER_HEADER]].value = answer
            row[columns[REASON_HEADER]].value = reason
    target = target or path.with_name(f"rempli-{path.name}")
    book.save(target)
    return target


def _sheet(tmp_path: Path) -> Path:
    (manifest,) = carrier_manifests(_missions())
    return write_manifest_xlsx(manifest, tmp_path / "manifeste.xlsx")


@pytest.mark.parametrize(
    ("written", "meaning"),
    [
        ("A", True),
        ("a", True),
        ("Accepté", True),
        ("ACCEPTEE", True),
        ("Oui", True),
        (" o ", True),
        (True, True),
        ("R", False),
        ("Refusé", False),
        ("refusee", False),
        ("Non", False),
        ("n", False),
        (False, False),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_answers_are_read_in_every_usual_spelling(written: object, meaning: bool | None) -> None:
    """A/Accepté/Oui accept, R/Refusé/Non refuse, in any case or accent; blank is no answer."""
    assert parse_answer(written) is meaning


def test_an_unreadable_answer_says_what_is_expected() -> None:
    """Anything else is refused with the accepted spellings."""
    with pytest.raises(CellError, match=r"peut-être.*A, Accepté ou Oui.*R, Refusé ou Non"):
        parse_answer("peut-être")


def test_the_filled_sheet_gives_one_answer_per_answered_mission(tmp_path: Path) -> None:
    """Answered rows become answers with their mission's number, version and reason; blank
    rows count as unanswered."""
    filled = _filled(_sheet(tmp_path), {1: ("Accepté", None), 3: ("R", "pas de chauffeur")})
    sheet = read_answer_sheet(filled)
    assert not sheet.problems
    assert [(a.mission_id, a.version, a.accept, a.reason) for a in sheet.answers] == [
        (1, 1, True, None),
        (3, 1, False, "pas de chauffeur"),
    ]
    assert [a.row for a in sheet.answers] == [ANSWER_HEADER_ROW + 1, ANSWER_HEADER_ROW + 3]
    assert sheet.unanswered == 2


def test_each_wrong_row_is_named_with_its_file_row_and_column(tmp_path: Path) -> None:
    """An unreadable answer, a refusal without reason and a reason without answer are each
    reported, placed in the file, and no answer is taken from those rows."""
    filled = _filled(
        _sheet(tmp_path),
        {1: ("peut-être", None), 2: ("Refusé", None), 3: (None, "trop loin"), 4: ("A", None)},
    )
    sheet = read_answer_sheet(filled)
    first = ANSWER_HEADER_ROW + 1
    messages = [str(p) for p in sheet.problems]
    assert messages[0].startswith(
        f"rempli-manifeste.xlsx, ligne {first}, colonne « Réponse (A/R) » : réponse illisible"
    )
    assert messages[1] == (
        f"rempli-manifeste.xlsx, ligne {first + 1}, colonne « Motif du refus » : refus sans "
        "motif : le motif est obligatoire"
    )
    assert f"ligne {first + 2}, colonne « Réponse (A/R) » : motif donné sans réponse" in messages[2]
    assert len(messages) == 3
    assert [a.mission_id for a in sheet.answers] == [4]


def test_a_mission_number_changed_by_hand_is_caught(tmp_path: Path) -> None:
    """A missing or unreadable mission number, or the same mission answered twice, is an
    error on the « Mission n° » column."""
    path = _filled(_sheet(tmp_path), {1: ("A", None), 2: ("A", None), 3: ("A", None)})
    book = load_workbook(path)
    sheet = book[ANSWER_SHEET]
    sheet.cell(row=ANSWER_HEADER_ROW + 1, column=1).value = "douze"
    sheet.cell(row=ANSWER_HEADER_ROW + 2, column=1).value = None
    sheet.cell(row=ANSWER_HEADER_ROW + 4, column=1).value = 3
    sheet.cell(row=ANSWER_HEADER_ROW + 4, column=16).value = "Oui"
    book.save(tmp_path / "abime.xlsx")
    problems = read_answer_sheet(tmp_path / "abime.xlsx").problems
    assert [(p.row, p.column) for p in problems] == [
        (ANSWER_HEADER_ROW + 1, MISSION_HEADER),
        (ANSWER_HEADER_ROW + 2, MISSION_HEADER),
        (ANSWER_HEADER_ROW + 4, MISSION_HEADER),
    ]
    assert "déjà répondue ligne" in problems[2].message


def test_answers_are_checked_against_the_missions_as_they_stand(tmp_path: Path) -> None:
    """Unknown missions, missions changed since the sheet, and missions no longer waiting for
    an answer are problems; an answer already on record is set aside."""
    missions = {m.id: m for m in _missions()}
    sheet = read_answer_sheet(
        _filled(
            _sheet(tmp_path),
            {1: ("A", None), 2: ("A", None), 3: ("R", "panne"), 4: ("A", None)},
        )
    )
    missions.pop(1)
    missions[2] = replace(missions[2], version=2)
    missions[3] = replace(missions[3], status=MissionStatus.REFUSED)
    missions[4] = replace(missions[4], status=MissionStatus.SUPERSEDED)
    checked = check_answers(sheet, missions)
    assert not checked.to_record
    assert [a.mission_id for a in checked.already_recorded] == [3]
    assert [(p.column, p.message.split(" ")[0]) for p in checked.problems] == [
        (MISSION_HEADER, "mission"),
        (VERSION_HEADER, "mission"),
        (ANSWER_HEADER, "mission"),
    ]
    assert "inconnue" in checked.problems[0].message
    assert "modifiée depuis l'envoi" in checked.problems[1].message
    assert "déjà retirée" in checked.problems[2].message


def test_a_file_that_is_no_answer_sheet_is_unusable(tmp_path: Path) -> None:
    """Not a workbook, or a workbook without the answer columns: one clear message."""
    text = tmp_path / "notes.xlsx"
    text.write_text("bonjour", encoding="utf-8")
    with pytest.raises(UnusableFileError, match=r"notes\.xlsx : classeur Excel illisible"):
        read_answer_sheet(text)
    other = Workbook()
    other.active.append(["Nom", "Prénom"])  # type: ignore[union-attr]
    other.save(tmp_path / "autre.xlsx")
    with pytest.raises(UnusableFileError, match=r"autre\.xlsx : pas de feuille de réponses"):
        read_answer_sheet(tmp_path / "autre.xlsx")


# -- the round trip through the database and the command line ---------------------------------


@pytest.fixture
def manifest(db: Database, db_url: URL, tmp_path: Path) -> tuple[str, Path]:
    """A pushed day and one carrier's manifest workbook, as sent."""
    store_day(db)
    plan_and_push(db)
    url = db_url.render_as_string(hide_password=False)
    out = tmp_path / "envoi"
    args = ["export", "manifests", "--db", url, "--date", "2026-11-24", "--out", str(out)]
    assert main([*args, "--format", "xlsx"]) == 0
    return url, sorted(out.glob("*.xlsx"))[0]


def _statuses(db: Database) -> dict[int, tuple[MissionStatus, str | None]]:
    with db.reader() as session:
        return {m.id: (m.status, m.refusal_reason) for m in missions_of_day(session, DAY)}


def _sheet_ids(path: Path) -> list[int]:
    book = load_workbook(path, read_only=True)
    try:
        rows = book[ANSWER_SHEET].iter_rows(min_row=ANSWER_HEADER_ROW + 1, values_only=True)
        return [int(row[0]) for row in rows if row[0] is not None]
    finally:
        book.close()


def test_the_returned_sheet_accepts_and_refuses_its_missions(
    manifest: tuple[str, Path], db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export, fill with openpyxl, import: the missions answered are accepted or refused
    with their reason, the others still proposed; exit 0 with the counts."""
    url, sent = manifest
    first, second, third, *rest = _sheet_ids(sent)
    filled = _filled(sent, {first: ("Oui", None), second: ("a", None), third: ("Refusé", "panne")})
    capsys.readouterr()
    assert main(["import", "answers", "--db", url, str(filled)]) == 0
    out = capsys.readouterr().out
    assert "2 acceptées, 1 refusée, 0 déjà enregistrée" in out
    assert f"{len(rest)} sans réponse" in out
    statuses = _statuses(db)
    assert statuses[first] == (MissionStatus.ACCEPTED, None)
    assert statuses[second][0] is MissionStatus.ACCEPTED
    assert statuses[third] == (MissionStatus.REFUSED, "panne")
    assert all(statuses[m][0] is MissionStatus.PROPOSED for m in rest)
    assert main(["import", "answers", "--db", url, str(filled)]) == 0
    assert "0 acceptée, 0 refusée, 3 déjà enregistrées" in capsys.readouterr().out


def test_a_sheet_with_any_error_records_nothing(
    manifest: tuple[str, Path], db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """One good answer beside an unreadable one, a reasonless refusal and an unknown
    mission: exit 3, each error on its own line, no mission changed."""
    url, sent = manifest
    first, second, third, fourth, *_ = _sheet_ids(sent)
    filled = _filled(
        sent, {first: ("A", None), second: ("bof", None), third: ("R", None), fourth: ("A", None)}
    )
    book = load_workbook(filled)
    for row in book[ANSWER_SHEET].iter_rows(min_row=ANSWER_HEADER_ROW + 1):
        if row[0].value == fourth:
            row[0].value = 999_999
    book.save(filled.with_name("faux.xlsx"))
    before = _statuses(db)
    capsys.readouterr()
    assert main(["import", "answers", "--db", url, str(filled.with_name("faux.xlsx"))]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 4
    assert (
        "faux.xlsx, ligne" in err[0] and "colonne « Réponse (A/R) » : réponse illisible" in err[0]
    )
    assert "colonne « Motif du refus » : refus sans motif" in err[1]
    assert "colonne « Mission n° » : mission n°999999 inconnue" in err[2]
    assert "3 erreur(s), aucune réponse enregistrée" in err[3]
    assert _statuses(db) == before


def test_a_sheet_made_before_the_mission_changed_is_refused(
    manifest: tuple[str, Path], db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """The mission's version moved on since the sheet was made: exit 3 on the « Version »
    column, nothing recorded."""
    url, sent = manifest
    first, second, *_ = _sheet_ids(sent)
    with db.transaction("regulator") as session:
        session.execute(
            update(Mission).where(Mission.id == first).values(version=Mission.version + 1)
        )
    filled = _filled(sent, {first: ("A", None), second: ("A", None)})
    capsys.readouterr()
    assert main(["import", "answers", "--db", url, str(filled)]) == 3
    err = capsys.readouterr().err
    assert "colonne « Version » : mission n°" in err and "modifiée depuis l'envoi" in err
    assert _statuses(db)[second][0] is MissionStatus.PROPOSED


def test_importing_something_else_exits_2_in_one_line(
    manifest: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is no workbook: one line, exit 2."""
    url, _ = manifest
    junk = tmp_path / "réponses.pdf"
    junk.write_bytes(b"%PDF-1.4 pas un classeur")
    capsys.readouterr()
    assert main(["import", "answers", "--db", url, str(junk)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "réponses.pdf : classeur Excel illisible" in err[0]
