"""The audit log as the console and ``regul audit`` show it: who did what and when.

Only administrators and regulators may read it; every function here checks the reader's role
before it opens the database, so the console and the command line answer alike.
"""

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from importers.table_export import Cell, write_table
from models.auditing import MASK
from models.enums import Role
from models.repositories.audit import (
    AuditChoices,
    AuditFilter,
    AuditRecord,
    Change,
    audit_choices,
    audit_entries,
)
from models.session import Database
from models.timezone import PARIS, to_paris
from regul.access import Principal, require
from regul.login import acting_principal

AUDIT_READERS = (Role.ADMIN, Role.REGULATOR)
EXPORT_PAGE = 2_000
HEADERS = (
    "N°",
    "Date et heure",
    "Utilisateur",
    "Action",
    "Table",
    "Identifiant",
    "Modifications",
    "Détail",
)
_EXPORT_WIDTHS = (9, 20, 16, 10, 20, 12, 60, 60)
_READING = "consulter le journal d'audit"
_NONE = "∅"


def check_reader(db: Database, login: str) -> Principal:
    """Who reads ``db``, if allowed to read the log (AccessDeniedError otherwise): ``login`` on
    a local file, the role the connection signed in as on a server."""
    principal = acting_principal(db, login)
    require(principal, *AUDIT_READERS, action=_READING)
    return principal


def read_audit(db: Database, login: str, wanted: AuditFilter) -> list[AuditRecord]:
    """A page of the entries ``wanted`` selects, newest first."""
    check_reader(db, login)
    with db.reader() as session:
        return audit_entries(session, wanted)


def read_choices(db: Database, login: str) -> AuditChoices:
    """The actors, actions and tables present in the log."""
    check_reader(db, login)
    with db.reader() as session:
        return audit_choices(session)


def export_audit(
    db: Database, login: str, wanted: AuditFilter, target: Path, limit: int | None = None
) -> int:
    """Write every entry ``wanted`` selects (at most ``limit``), newest first, to ``target``
    (.xlsx or .csv); how many were written. ``wanted.limit`` is ignored: pages are read here."""
    check_reader(db, login)
    rows = (_export_row(record) for record in _every_entry(db, wanted, limit))
    return write_table(target, HEADERS, rows, "Journal d'audit", _EXPORT_WIDTHS)


def _every_entry(db: Database, wanted: AuditFilter, limit: int | None) -> Iterator[AuditRecord]:
    """Page after page in one read transaction, so the export is one consistent snapshot."""
    left = limit
    before = wanted.before_id
    with db.reader() as session:
        while left is None or left > 0:
            size = EXPORT_PAGE if left is None else min(EXPORT_PAGE, left)
            page = audit_entries(session, replace(wanted, limit=size, before_id=before))
            yield from page
            if len(page) < size:
                return
            before = page[-1].id
            if left is not None:
                left -= len(page)


def _export_row(record: AuditRecord) -> tuple[Cell, ...]:
    return (
        record.id,
        record.at,
        record.actor,
        record.action,
        record.entity,
        record.entity_id,
        describe_changes(record),
        record.detail,
    )


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """From the start of day ``first`` to the end of day ``last``, Paris time, as the
    (inclusive, exclusive) instants an AuditFilter takes."""
    since = datetime.combine(first, time(0), PARIS) if first is not None else None
    until = datetime.combine(last + timedelta(days=1), time(0), PARIS) if last is not None else None
    return since, until


def time_text(moment: datetime) -> str:
    """An instant as a Paris wall-clock time, day first."""
    return to_paris(moment).strftime("%d/%m/%Y %H:%M:%S")


def describe_changes(record: AuditRecord) -> str:
    """The changes in one line: ``status : PROPOSED → ACCEPTED ; phone : •••``; a new row's
    own id, already in the entry's id, is left out."""
    return " ; ".join(
        describe_change(c)
        for c in record.changes
        if not (c.attribute == "id" and c.old is None and str(c.new) == record.entity_id)
    )


def describe_change(change: Change) -> str:
    """One attribute's change: ``status : PROPOSED → ACCEPTED``, ``phone : •••`` when set."""
    attribute, old, new = change.attribute, change.old, change.new
    if old is None and new is not None:
        return f"{attribute} : {_value_text(new)}"
    if old == MASK and new == MASK:
        return f"{attribute} : {MASK} (modifié)"
    return f"{attribute} : {_value_text(old)} → {_value_text(new)}"


def _value_text(value: Any) -> str:
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)
