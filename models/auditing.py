"""Writes an audit entry for every row created, changed or deleted through a session.

Hooked on ``after_flush`` so that new rows already have their ids and attribute history still
holds the old values. Entries are inserted on the flush's own connection, so they commit or roll
back with the change they describe.
"""

import enum
from collections.abc import Mapping, Sequence
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
_AUDIT_BATCH = 5_000


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
    keys = (attr.key for attr in inspect(obj).mapper.column_attrs)
    return created_values(type(obj), {key: getattr(obj, key) for key in keys})


def created_values(entity: type[Base], values: Mapping[str, Any]) -> dict[str, Any]:
    """The audit 'changes' of a new row: every set value, personal ones masked."""
    return {
        key: [None, _shown(entity, key, value)]
        for key, value in values.items()
        if key not in _NOT_AUDITED and value is not None
    }


def audit_bulk_creates(
    session: Session, entity: type[Base], rows: Sequence[tuple[int, Mapping[str, Any]]]
) -> None:
    """Audit rows inserted in bulk (id, values), which the flush hook never sees."""
    actor = session.info.get(ACTOR_KEY)
    if not actor:
        raise MissingActorError("écriture sans utilisateur identifié : le journal d'audit l'exige")
    at = now()
    entries = [
        {
            "action": "create",
            "entity": entity.__tablename__,
            "entity_id": str(row_id),
            "changes": created_values(entity, values),
            "detail": None,
            "actor": actor,
            "at": at,
        }
        for row_id, values in rows
    ]
    for start in range(0, len(entries), _AUDIT_BATCH):
        session.connection().execute(insert(AuditEntry), entries[start : start + _AUDIT_BATCH])


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
        changes[key] = [_shown(type(obj), key, old), _shown(type(obj), key, new)]
    return changes


def _shown(entity: type[Base], key: str, value: Any) -> Any:
    """A JSON-safe rendering of a value, masked when it is personal data."""
    if value is None:
        return None
    if key in entity.audit_private:
        return MASK
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
