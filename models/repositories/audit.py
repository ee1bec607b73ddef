"""Reading the audit log, and recording domain actions that are more than a row change."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.audit import AuditEntry
from models.auditing import ACTOR_KEY
from models.errors import MissingActorError
from models.timezone import now

MAX_PAGE = 10_000
_CASEFOLD = "regul_casefold"


_DETAIL_MAX = 1000  # the column's width


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
        detail=detail
        if detail is None or len(detail) <= _DETAIL_MAX
        else detail[: _DETAIL_MAX - 1] + "…",
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read: every criterion given must hold; a page of ``limit`` entries,
    newest first, older than entry ``before_id`` when paging on."""

    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    actor: str | None = None
    actions: tuple[str, ...] = ()  # any of them; empty for every action
    entity: str | None = None  # a table name
    entity_id: str | None = None
    text: str | None = None  # in the detail, whatever its case
    limit: int = 200
    before_id: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE:
            raise ValueError(f"limit must be within 1..{MAX_PAGE}, not {self.limit}")
        for moment in (self.since, self.until):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"naive datetime {moment.isoformat()}: a time zone is required")
        if self.since is not None and self.until is not None and self.until < self.since:
            raise ValueError("until is before since")


@dataclass(frozen=True)
class Change:
    """One attribute's old and new value, as the log recorded them (personal ones masked)."""

    attribute: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditRecord:
    """An audit entry, detached from any session."""

    id: int
    at: datetime  # Paris time
    actor: str
    action: str
    entity: str
    entity_id: str | None
    changes: tuple[Change, ...]
    detail: str | None


@dataclass(frozen=True)
class AuditChoices:
    """The values present in the log, for filter drop-downs."""

    actors: tuple[str, ...]
    actions: tuple[str, ...]
    entities: tuple[str, ...]


def audit_entries(session: Session, wanted: AuditFilter) -> list[AuditRecord]:
    """A page of the entries ``wanted`` selects, newest first.

    Newest first is by id, which grows with every insert: the primary key index serves both the
    order and ``before_id``, and a page ends as soon as ``limit`` entries matched.
    """
    return [_record(entry) for entry in session.scalars(_selection(session, wanted))]


def audit_choices(session: Session) -> AuditChoices:
    """Every actor, action and table that appears in the log, sorted."""

    def distinct(column: InstrumentedAttribute[str]) -> tuple[str, ...]:
        return tuple(session.scalars(select(column).distinct().order_by(column)))

    return AuditChoices(
        actors=distinct(AuditEntry.actor),
        actions=distinct(AuditEntry.action),
        entities=distinct(AuditEntry.entity),
    )


def history(
    session: Session, entity: str | None = None, entity_id: str | None = None, limit: int = 500
) -> Sequence[AuditEntry]:
    """Most recent entries first, optionally for one table or one row."""
    wanted = AuditFilter(entity=entity, entity_id=entity_id, limit=limit)
    return session.scalars(_selection(session, wanted)).all()


def _selection(session: Session, wanted: AuditFilter) -> Select[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(wanted.limit)
    if wanted.before_id is not None:
        query = query.where(AuditEntry.id < wanted.before_id)
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(AuditEntry.at < wanted.until)
    if wanted.actor is not None:
        query = query.where(AuditEntry.actor == wanted.actor)
    if wanted.actions:
        query = query.where(AuditEntry.action.in_(wanted.actions))
    if wanted.entity is not None:
        query = query.where(AuditEntry.entity == wanted.entity)
    if wanted.entity_id is not None:
        query = query.where(AuditEntry.entity_id == wanted.entity_id)
    if wanted.text:
        query = query.where(_detail_contains(session, wanted.text))
    return query


def _detail_contains(session: Session, text: str) -> ColumnElement[bool]:
    """The detail holds ``text``, whatever the case: ILIKE on PostgreSQL; on SQLite, whose
    lower() and LIKE fold ASCII letters only (« É » ≠ « é »), Python's casefold on both sides."""
    if session.get_bind().dialect.name != "sqlite":
        return AuditEntry.detail.icontains(text, autoescape=True)
    sqlite = session.connection().connection.driver_connection
    assert sqlite is not None
    sqlite.create_function(_CASEFOLD, 1, _casefold, deterministic=True)  # per connection
    folded: ColumnElement[str] = getattr(func, _CASEFOLD)(AuditEntry.detail)
    return folded.contains(text.casefold(), autoescape=True)


def _casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


def _record(entry: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        changes=_changes(entry.changes),
        detail=entry.detail,
    )


def _changes(stored: object) -> tuple[Change, ...]:
    """The stored {attribute: [old, new]}; anything else the log may hold is kept as a new value
    rather than refused, so one odd entry never hides the rest."""
    if not isinstance(stored, dict):
        return ()
    changes = []
    for attribute, values in stored.items():
        if isinstance(values, list | tuple) and len(values) == 2:
            changes.append(Change(str(attribute), values[0], values[1]))
        else:
            changes.append(Change(str(attribute), None, values))
    return tuple(changes)
