"""Reading the audit log, and recording domain actions that are more than a row change."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.auditing import ACTOR_KEY
from models.errors import MissingActorError
from models.timezone import now


def record_action(
    session: Session, action: str, entity: str, entity_id: str | None, detail: str | None = None
) -> AuditEntry:
    """Log a domain verb (import, plan, push…) under the session's actor."""
    actor = session.info.get(ACTOR_KEY)
    if not actor:
        raise MissingActorError("action sans utilisateur identifié : le journal d'audit l'exige")
    entry = AuditEntry(
        at=now(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes={},
        detail=detail,
    )
    session.add(entry)
    return entry


def history(
    session: Session, entity: str | None = None, entity_id: str | None = None, limit: int = 500
) -> Sequence[AuditEntry]:
    """Most recent entries first, optionally for one table or one row."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return session.scalars(query).all()
