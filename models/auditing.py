"""Writes an audit entry for every row created, changed or deleted through a session.

Hooked on ``after_flush`` so that new rows already have their ids and attribute history still
holds the old values. Entries are inserted on the flush's own connection, so they commit or roll
back with the change they describe.
"""

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from models.audit import AuditEntry
from models.base import Base
from models.errors import MissingActorError
from models.timezone import now

ACTOR_KEY = "actor"
MASK = "•••"
_NOT_AUDITED = {"version"}


def install(factory: sessionmaker[Session]) -> None:
    if not event.contains(factory, "after_flush", _record_changes):
        event.listen(factory, "after_flush", _record_changes)


def _record_changes(session: Session, _context: UOWTransaction) -> None:
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if _audited(obj):
            rows.append(_entry(obj, "create", _created_values(obj)))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            changes = _changed_values(obj)
            if changes:
                rows.append(_entry(obj, "update", changes))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(_entry(obj, "delete", {}))
    if not rows:
        return
    actor = session.info.get(ACTOR_KEY)
    if not actor:
        raise MissingActorError("écriture sans utilisateur identifié : le journal d'audit l'exige")
    at = now()
    for row in rows:
        row.update(actor=actor, at=at)
    session.connection().execute(insert(AuditEntry), rows)


def _audited(obj: object) -> bool:
    return isinstance(obj, Base) and not isinstance(obj, AuditEntry)


def _entry(obj: Base, action: str, changes: dict[str, Any]) -> dict[str, Any]:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    entity_id = "/".join(str(part) for part in identity) if any(identity) else None
    return {
        "action": action,
        "entity": obj.__tablename__,
        "entity_id": entity_id,
        "changes": changes,
        "detail": None,
    }


def _created_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for column_attr in state.mapper.column_attrs:
        key = column_attr.key
        value = getattr(obj, key)
        if key in _NOT_AUDITED or value is None:
            continue
        values[key] = [None, _shown(obj, key, value)]
    return values


def _changed_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for column_attr in state.mapper.column_attrs:
        key = column_attr.key
        if key in _NOT_AUDITED:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        changes[key] = [_shown(obj, key, old), _shown(obj, key, new)]
    return changes


def _shown(obj: Base, key: str, value: Any) -> Any:
    """A JSON-safe rendering of a value, masked when it is personal data."""
    if value is None:
        return None
    if key in obj.audit_private:
        return MASK
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
