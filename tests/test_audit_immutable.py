"""History cannot be rewritten: the database itself refuses to edit, erase or empty the audit
log, for the owner of the tables (triggers, migration 0001) and for every application role
(privileges, migration 0005), and an application role appends to it in its own name only
(migration 0007). A purge leaves it whole: see test_purge."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import URL, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from importers.samples import write_establishments
from importers.synthetic import generate_day
from models import AuditEntry
from models.enums import Role
from models.migrate import upgrade
from models.repositories.audit import record_action
from models.repositories.users import add_user
from models.session import Database
from regul.cli import main
from tests.test_row_security import PASSWORD, Server, _as

# the fixture of test_row_security: its own group roles and logins, all dropped afterwards
from tests.test_row_security import server as server

_INSUFFICIENT_PRIVILEGE = "42501"
_RAISED = "P0001"  # a trigger's RAISE EXCEPTION


def _logged_once(db: Database) -> None:
    with db.transaction("alice") as session:
        record_action(session, "import", "transport_requests", None, "original")


def _details(db: Database) -> list[str | None]:
    with db.reader() as session:
        return list(session.scalars(select(AuditEntry.detail)))


def test_the_owner_of_the_tables_cannot_edit_or_erase_history(db: Database) -> None:
    """On both backends the triggers refuse UPDATE and DELETE, even without a WHERE clause
    and even from the role that created the tables."""
    _logged_once(db)
    for statement in (
        update(AuditEntry).values(actor="personne"),
        update(AuditEntry).values(changes={}).where(AuditEntry.detail == "original"),
        delete(AuditEntry),
        delete(AuditEntry).where(AuditEntry.detail == "original"),
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(statement)
    assert _details(db) == ["original"]


def test_the_owner_cannot_empty_the_log_with_truncate(pg_schema_url: URL) -> None:
    """PostgreSQL's TRUNCATE skips row triggers: a statement trigger refuses it (SQLite has
    no TRUNCATE; its DELETE without WHERE is refused above)."""
    db = Database(pg_schema_url)
    try:
        upgrade(db)
        _logged_once(db)
        with pytest.raises(DBAPIError) as refused, db.engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_log"))
        assert getattr(refused.value.orig, "sqlstate", None) == _RAISED
        assert _details(db) == ["original"]
    finally:
        db.dispose()


@pytest.fixture
def staff(server: Server) -> tuple[str, str]:
    """An administrator's and a regulator's logins on ``server``, and one entry logged."""
    owner = Database(server.url)
    admin, regulator = server.login("chef"), server.login("regul")
    try:
        with owner.transaction("test-setup") as session:
            add_user(session, admin, Role.ADMIN, PASSWORD)
            add_user(session, regulator, Role.REGULATOR, PASSWORD)
            record_action(session, "import", "transport_requests", None, "original")
    finally:
        owner.dispose()
    return admin, regulator


def test_application_roles_cannot_edit_erase_or_unprotect_the_log(
    server: Server, staff: tuple[str, str]
) -> None:
    """A regulator's and an administrator's own PostgreSQL roles append to the log but may
    not update, delete, truncate it, nor disable or drop its triggers."""
    owner = Database(server.url)
    try:
        for login in staff:
            for connection in _as(server, login):
                connection.execute(
                    text(
                        "INSERT INTO audit_log (at, actor, action, entity, changes) "
                        "VALUES (now(), :actor, 'note', 'missions', '{}')"
                    ),
                    {"actor": login},
                )
                connection.commit()
                for statement in (
                    "UPDATE audit_log SET detail = 'réécrit'",
                    "DELETE FROM audit_log",
                    "TRUNCATE audit_log",
                    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
                    "DROP TRIGGER audit_log_no_change ON audit_log",
                    "DROP TABLE audit_log",
                ):
                    with pytest.raises(DBAPIError) as refused:
                        connection.execute(text(statement))
                    assert getattr(refused.value.orig, "sqlstate", None) == (
                        _INSUFFICIENT_PRIVILEGE
                    ), statement
                    connection.rollback()
        with owner.reader() as session:
            details = list(session.scalars(select(AuditEntry.detail).order_by(AuditEntry.id)))
            notes = session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "note")
            )
        assert "original" in details and notes == 2
    finally:
        owner.dispose()


def test_staff_roles_sign_history_in_their_own_name_only(
    server: Server, staff: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A regulator's role cannot append an entry under another name (migration 0007), and a
    command it runs is audited under that role whatever $REGUL_USER claims."""
    admin, regulator = staff
    owner = Database(server.url)
    try:
        insert = text(
            "INSERT INTO audit_log (at, actor, action, entity, changes) "
            "VALUES (now(), :actor, 'note', 'missions', '{}')"
        )
        for connection in _as(server, regulator):
            connection.execute(insert, {"actor": regulator})
            connection.commit()
            with pytest.raises(DBAPIError) as forged:
                connection.execute(insert, {"actor": admin})
            assert "row-level security" in str(forged.value)
            connection.rollback()
            assert len(connection.execute(text("SELECT id FROM audit_log")).all()) >= 3

        sites = write_establishments(
            generate_day(date(2026, 11, 24), requests=4, seed=3), tmp_path / "sites.xlsx"
        )
        monkeypatch.setenv("REGUL_USER", admin)
        as_regulator = server.url_as(regulator).render_as_string(hide_password=False)
        assert main(["import", "establishments", str(sites.path), "--db", as_regulator]) == 0
        with owner.reader() as session:
            actors = set(
                session.scalars(
                    select(AuditEntry.actor).where(AuditEntry.entity == "establishments")
                )
            )
        assert actors == {regulator}
    finally:
        owner.dispose()
