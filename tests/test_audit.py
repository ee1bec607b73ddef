"""The audit log: who changed what, kept in the same transaction, and impossible to rewrite."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from models import AuditEntry, Carrier, Patient
from models.auditing import MASK
from models.errors import MissingActorError
from models.repositories.audit import history, record_action
from models.session import Database
from tests.factories import full_graph


def _carrier(rows: list[object]) -> Carrier:
    return next(r for r in rows if isinstance(r, Carrier))


def test_creation_update_and_deletion_are_logged_with_actor_and_values(db: Database) -> None:
    """Each change names its actor, the row, and the old and new values."""
    rows = full_graph()
    with db.transaction("alice") as session:
        session.add_all(rows)
    carrier_id = _carrier(rows).id
    with db.transaction("bob") as session:
        carrier = session.get(Carrier, carrier_id)
        assert carrier is not None
        carrier.phone = "03 20 11 22 33"
        carrier.certified = True
    with db.transaction("carol") as session:
        session.execute(text("SELECT 1"))
        availability = session.get(Carrier, carrier_id).vehicles[0].availability[0]  # type: ignore[union-attr]
        session.delete(availability)

    with db.reader() as session:
        entries = history(session, entity="carriers", entity_id=str(carrier_id))
        created, updated = entries[-1], entries[0]
        assert (created.actor, created.action) == ("alice", "create")
        assert created.changes["siret"] == [None, "73282932000074"]
        assert (updated.actor, updated.action) == ("bob", "update")
        assert updated.changes == {
            "phone": ["03 20 00 00 00", "03 20 11 22 33"],
            "certified": [False, True],
        }
        deleted = history(session, entity="vehicle_availability")[0]
        assert (deleted.actor, deleted.action) == ("carol", "delete")
        tables_created = {
            e.entity for e in session.scalars(select(AuditEntry).where(AuditEntry.actor == "alice"))
        }
        assert tables_created == {type(r).__tablename__ for r in rows} | {"stops"}  # type: ignore[attr-defined]


def test_personal_values_are_masked_in_the_log(db: Database) -> None:
    """Names, phone and birth date are recorded as changed, never copied."""
    rows = full_graph()
    with db.transaction("alice") as session:
        session.add_all(rows)
    patient_id = next(r for r in rows if isinstance(r, Patient)).id
    with db.transaction("bob") as session:
        patient = session.get(Patient, patient_id)
        assert patient is not None
        patient.last_name = "DURAND"
    with db.reader() as session:
        created, renamed = reversed(history(session, entity="patients"))
        assert created.changes["last_name"] == [None, MASK]
        assert created.changes["file_number"] == [None, "12345678"]
        assert renamed.changes == {"last_name": [MASK, MASK]}
        dump = str([e.changes for e in history(session)])
        for personal in ("DUPONT", "DURAND", "Jeanne", "06 00 00 00 00", "1941", "3 rue des Lilas"):
            assert personal not in dump


def test_rolled_back_change_leaves_no_audit_entry(db: Database) -> None:
    """The entry commits or rolls back with the change it describes."""
    with pytest.raises(RuntimeError), db.transaction("alice") as session:
        session.add_all(full_graph())
        session.flush()
        raise RuntimeError("crash mid-import")
    with db.reader() as session:
        assert history(session) == []


def test_write_without_actor_is_refused(db: Database) -> None:
    """A reader session cannot write: the change has nobody to be attributed to."""
    with pytest.raises(MissingActorError), db.reader() as session:
        session.add_all(full_graph())
        session.flush()
    with pytest.raises(MissingActorError):
        db.transaction("").__enter__()


def test_domain_actions_are_logged(db: Database) -> None:
    """A verb such as an import is recorded with its detail."""
    with db.transaction("alice") as session:
        record_action(session, "import", "transport_requests", None, "fichier.xlsx : 12 lignes")
    with db.reader() as session:
        (entry,) = history(session)
        assert (entry.actor, entry.action, entry.detail) == (
            "alice",
            "import",
            "fichier.xlsx : 12 lignes",
        )


def test_database_refuses_to_edit_or_erase_the_log(db: Database) -> None:
    """UPDATE and DELETE on audit_log fail in the database itself, whoever sends them."""
    with db.transaction("alice") as session:
        record_action(session, "import", "transport_requests", None, "original")
    for statement in (update(AuditEntry).values(detail="rewritten"), delete(AuditEntry)):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(statement)
    with db.reader() as session:
        assert [e.detail for e in history(session)] == ["original"]
