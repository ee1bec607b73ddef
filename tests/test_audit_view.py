"""Reading the audit log: filters, pages, drop-down values, exports and who may read it, on
SQLite and PostgreSQL."""

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import URL

from importers.table_export import write_table
from models.errors import AccessDeniedError
from models.repositories.audit import (
    AuditFilter,
    AuditRecord,
    Change,
    audit_choices,
    audit_entries,
)
from models.session import Database
from models.timezone import PARIS
from regul import audit_view
from regul.audit_view import (
    HEADERS,
    day_bounds,
    describe_changes,
    export_audit,
    read_audit,
    read_choices,
)
from regul.cli import main
from tests.audit_samples import DISPATCHER, FORMULA_DETAIL, REGULATOR, add_users, log, numbered


def _read(db: Database, **criteria: object) -> list[AuditRecord]:
    with db.reader() as session:
        return audit_entries(session, AuditFilter(**criteria))  # type: ignore[arg-type]


def _actions(records: list[AuditRecord]) -> list[str]:
    return [record.action for record in records]


def _url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def test_each_filter_selects_its_entries_newest_first(db: Database) -> None:
    """Actor, actions, table, row id and a combination each keep exactly their entries."""
    log(db)
    assert _actions(_read(db)) == ["accept", "create", "refuse", "update", "plan", "import"]
    assert _actions(_read(db, actor="bob")) == ["update", "plan"]
    assert _actions(_read(db, actions=("accept", "refuse"))) == ["accept", "refuse"]
    assert _actions(_read(db, entity="missions")) == ["accept", "refuse", "update"]
    assert _actions(_read(db, entity="missions", entity_id="7")) == ["accept", "update"]
    assert _actions(_read(db, actor="alice", actions=("import",))) == ["import"]
    assert _read(db, actor="nobody") == []


def test_the_period_is_paris_days_from_the_first_to_the_last_included(db: Database) -> None:
    """24 November in Paris keeps 23:59 that day and leaves out 00:30 on the 25th (23:30 UTC)."""
    log(db)
    since, until = day_bounds(date(2026, 11, 24), date(2026, 11, 24))
    assert _actions(_read(db, since=since, until=until)) == ["update", "plan"]
    assert _actions(_read(db, since=since)) == ["accept", "create", "refuse", "update", "plan"]
    assert _actions(_read(db, until=until)) == ["update", "plan", "import"]


def test_text_is_found_in_the_detail_whatever_its_case_and_wildcards_are_literal(
    db: Database,
) -> None:
    """LIGNES finds "lignes", TOURNÉES "tournées"; "0%" and "s_L" match those characters."""
    log(db)
    assert _actions(_read(db, text="LIGNES")) == ["import"]
    assert _actions(_read(db, text="TOURNÉES")) == ["plan"]
    assert _actions(_read(db, text="0%")) == ["accept"]
    assert _actions(_read(db, text="s_L")) == ["accept"]
    assert _actions(_read(db, text="s%L")) == []


def test_pages_follow_each_other_without_gap_or_overlap(db: Database) -> None:
    """Reading 10 at a time before the last id read gives every entry once, newest first."""
    ids = log(db, numbered(25))
    pages: list[list[int]] = []
    before = None
    for _ in range(5):  # bounded: a page that repeated itself would loop forever
        page = [r.id for r in _read(db, limit=10, before_id=before)]
        if not page:
            break
        pages.append(page)
        before = page[-1]
    assert [len(page) for page in pages] == [10, 10, 5]
    assert [i for page in pages for i in page] == sorted(ids, reverse=True)


def test_records_are_plain_values_with_their_changes(db: Database) -> None:
    """A record outlives its session and describes its changes in one line."""
    log(db)
    (update,) = _read(db, actions=("update",))
    (create,) = _read(db, actions=("create",))
    assert update.changes == (Change("status", "PROPOSED", "ACCEPTED"),)
    assert update.at == datetime(2026, 11, 24, 23, 59, tzinfo=PARIS)
    assert describe_changes(update) == "status : PROPOSED → ACCEPTED"
    assert describe_changes(create) == "last_name : ••• ; file_number : 123"


def test_the_drop_downs_offer_each_value_present_once_sorted(db: Database) -> None:
    """Distinct actors, actions and tables, in alphabetical order."""
    log(db)
    log(db, numbered(3))
    with db.reader() as session:
        choices = audit_choices(session)
    assert choices.actors == ("alice", "bob", "carol", "taxis.lille")
    assert choices.actions == ("accept", "create", "import", "plan", "refuse", "update")
    assert choices.entities == ("day_plans", "missions", "patients", "requests", "stops")


def test_a_filter_refuses_naive_times_reversed_periods_and_odd_page_sizes() -> None:
    """Bad criteria fail when the filter is made, not inside a query."""
    aware = datetime(2026, 11, 24, tzinfo=UTC)
    with pytest.raises(ValueError, match="time zone"):
        AuditFilter(since=datetime(2026, 11, 24))  # noqa: DTZ001  # the point of the test
    with pytest.raises(ValueError, match="before since"):
        AuditFilter(since=aware, until=aware.replace(day=23))
    for limit in (0, 10_001):
        with pytest.raises(ValueError, match="limit"):
            AuditFilter(limit=limit)


@pytest.mark.parametrize("text", ["=1+1", "+33 6 00 00 00 00", "-2", "@SUM(A1)", "\tx"])
def test_a_formula_like_text_is_written_as_text_in_both_formats(text: str, tmp_path: Path) -> None:
    """In XLSX a string cell with Excel's quote prefix, in CSV after an apostrophe."""
    rows = [[text, "texte", -2]]
    write_table(tmp_path / "t.xlsx", ["a", "b", "c"], rows, "Feuille")
    write_table(tmp_path / "t.csv", ["a", "b", "c"], rows, "Feuille")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    cell, plain, number = sheet[2]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert (plain.data_type, plain.quotePrefix) == ("s", False)
    assert (number.value, number.data_type) == (-2, "n")
    lines = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()
    assert next(csv.reader(lines[1:], delimiter=";")) == ["'" + text, "texte", "-2"]


def test_export_xlsx_reopens_with_the_selected_entries_and_formulas_as_text(
    db: Database, tmp_path: Path
) -> None:
    """The workbook has the French headers, Paris times and a formula-like detail as text."""
    log(db)
    target = tmp_path / "journal.xlsx"
    written = export_audit(db, "anyone", AuditFilter(entity="missions"), target)
    assert written == 3
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [row[3] for row in rows[1:]] == ["accept", "refuse", "update"]
    refuse = rows[2]
    assert refuse[1] == datetime(2026, 11, 25, 0, 30)  # noqa: DTZ001  # Paris wall-clock
    assert refuse[7] == FORMULA_DETAIL
    detail_cell = sheet.cell(row=3, column=8)
    assert detail_cell.data_type == "s" and detail_cell.quotePrefix
    assert rows[3][6] == "status : PROPOSED → ACCEPTED"


def test_export_csv_is_for_french_excel_with_formulas_as_text(db: Database, tmp_path: Path) -> None:
    """UTF-8 with a byte order mark, ';' between cells, an apostrophe before a formula."""
    log(db)
    target = tmp_path / "journal.csv"
    assert export_audit(db, "anyone", AuditFilter(), target, limit=4) == 4
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert tuple(rows[0]) == HEADERS
    assert [row[3] for row in rows[1:]] == ["accept", "create", "refuse", "update"]
    refuse = rows[3]
    assert refuse[1] == "25/11/2026 00:30:00"
    assert refuse[7] == "'" + FORMULA_DETAIL


def test_an_export_larger_than_a_page_has_every_entry_once(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries are exported page by page: none lost or repeated at a page's edge."""
    ids = log(db, numbered(7))
    target = tmp_path / "journal.csv"
    monkeypatch.setattr(audit_view, "EXPORT_PAGE", 3)
    assert export_audit(db, "anyone", AuditFilter(), target) == 7
    with target.open(encoding="utf-8-sig", newline="") as stream:
        exported = [int(row[0]) for row in list(csv.reader(stream, delimiter=";"))[1:]]
    assert exported == sorted(ids, reverse=True)


# On a local file the desk's login says who reads; on a server, the role it connected as.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_regulator_may_read_the_log_and_a_carrier_dispatcher_may_not(
    db: Database, tmp_path: Path
) -> None:
    """Once users exist, the log is for administrators and regulators only."""
    add_users(db)
    assert read_audit(db, REGULATOR, AuditFilter(entity="users"))
    assert "setup" in read_choices(db, REGULATOR).actors
    target = tmp_path / "journal.xlsx"
    for attempt in (
        lambda: read_audit(db, DISPATCHER, AuditFilter()),
        lambda: read_choices(db, DISPATCHER),
        lambda: export_audit(db, DISPATCHER, AuditFilter(), target),
    ):
        with pytest.raises(AccessDeniedError, match="répartiteur de transporteur"):
            attempt()
    assert not target.exists()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_a_server_the_connected_role_decides_not_the_claimed_login(db: Database) -> None:
    """Connected as the tables' owner, claiming a dispatcher's login changes nothing."""
    add_users(db)
    assert read_audit(db, DISPATCHER, AuditFilter(entity="users"))


def test_regul_audit_prints_a_french_table_in_paris_time(
    db: Database, db_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    """`regul audit` prints French headers, Paris times and the change in words."""
    log(db)
    args = ["audit", "--db", _url(db_url), "--since", "2026-11-24", "--until", "2026-11-24"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "Date", "et", "heure", "Utilisateur", "Action", "Table", "Id", "Modifications", "/",
        "détail",
    ]  # fmt: skip
    assert lines[1].startswith("24/11/2026 23:59:00  bob")
    assert "status : PROPOSED → ACCEPTED" in lines[1]
    assert lines[2].startswith("24/11/2026 08:30:00  bob") and "6 tournées" in lines[2]
    assert len(lines) == 3
    assert main(["audit", "--db", _url(db_url), "--action", "accept", "--action", "plan"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert main(["audit", "--db", _url(db_url), "--text", "personne"]) == 0
    assert capsys.readouterr().out == "Aucune entrée.\n"


def test_regul_audit_writes_xlsx_and_csv(
    db: Database, db_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out` writes the selected entries in the format its suffix names, up to --limit."""
    log(db)
    for name in ("journal.xlsx", "journal.csv"):
        target = tmp_path / name
        args = ["audit", "--db", _url(db_url), "--actor", "bob", "--limit", "20000"]
        assert main([*args, "--out", str(target)]) == 0
        assert capsys.readouterr().out == f"2 entrées écrites dans {target}\n"
    sheet = load_workbook(tmp_path / "journal.xlsx").active
    assert sheet is not None and sheet.max_row == 3
    assert (tmp_path / "journal.csv").read_text(encoding="utf-8-sig").count("\n") == 3
    target = tmp_path / "one.csv"
    assert main(["audit", "--db", _url(db_url), "--limit", "1", "--out", str(target)]) == 0
    assert capsys.readouterr().out == f"1 entrée écrite dans {target}\n"


@pytest.mark.parametrize(
    ("extra", "code", "fragment"),
    [
        (["--out", "journal.pdf"], 2, "format attendu .xlsx ou .csv"),
        (["--since", "2026-11-25", "--until", "2026-11-24"], 2, "--until avant --since"),
        (["--since", "24/11/2026"], 2, "date invalide"),
    ],
)
def test_regul_audit_refuses_a_bad_command_line_in_one_line(
    db: Database,
    db_url: URL,
    extra: list[str],
    code: int,
    fragment: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unusable option is one line on stderr and exit 2."""
    assert main(["audit", "--db", _url(db_url), *extra]) == code
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_regul_audit_is_refused_to_a_carrier_dispatcher(
    db: Database, db_url: URL, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command runs as $REGUL_USER, whose role must allow reading the log."""
    add_users(db)
    monkeypatch.setenv("REGUL_USER", DISPATCHER)
    assert main(["audit", "--db", _url(db_url)]) == 1
    assert "consulter le journal d'audit : non autorisé" in capsys.readouterr().err
