"""Lookup, natural-key upsert and optimistic update, shared by every repository."""

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from models.auditing import audit_bulk_creates
from models.base import Base, Versioned
from models.errors import ConflictError, NotFoundError

RowT = TypeVar("RowT", bound=Base)
CHUNK = 500  # keys per IN (...) query, under every backend's bound-parameter limit
_ANALYZE_AFTER = 1_000


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def get(session: Session, entity: type[RowT], row_id: int) -> RowT:
    row = session.get(entity, row_id)
    if row is None:
        raise NotFoundError(f"{entity.__tablename__} n°{row_id} introuvable")
    return row


def upsert(
    session: Session, entity: type[RowT], key: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[RowT, Outcome]:
    """Create the row with this natural key, or bring its other fields to ``values``.

    Fields already equal are left alone, so an unchanged row keeps its version and writes no
    audit entry: loading the same data twice changes nothing.
    """
    row = session.scalars(select(entity).filter_by(**key)).one_or_none()
    if row is None:
        row = entity(**key, **values)
        session.add(row)
        return row, Outcome.CREATED
    return row, Outcome.UPDATED if assign(row, values) else Outcome.UNCHANGED


def assign(row: Base, values: Mapping[str, Any]) -> bool:
    """Set the fields that differ; True if any did. Equal fields are not touched, so an
    unchanged row is not dirtied: no new version, no audit entry."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def insert_many(
    session: Session,
    entity: type[RowT],
    rows: Sequence[Mapping[str, Any]],
    key: tuple[str, ...],
) -> dict[tuple[Any, ...], int]:
    """Insert new rows without building ORM objects, audit them, return their ids by ``key``.

    For imports of thousands of rows: one executemany per table instead of a unit of work per
    object. The rows are audited like any other creation.
    """
    if not rows:
        return {}
    session.flush()  # rows these refer to (and earlier edits) go first
    table = Base.metadata.tables[entity.__tablename__]  # Core executemany: no ORM objects
    session.execute(insert(table), list(rows))
    if session.get_bind().dialect.name == "postgresql" and len(rows) >= _ANALYZE_AFTER:
        # Fresh statistics, or PostgreSQL plans the id lookups below for an empty table.
        session.execute(text(f"ANALYZE {table.name}"))
    ids = ids_by_key(session, entity, key, [tuple(row[name] for name in key) for row in rows])
    audit_bulk_creates(
        session, entity, [(ids[tuple(row[name] for name in key)], row) for row in rows]
    )
    return ids


def ids_by_key(
    session: Session, entity: type[Base], key: tuple[str, ...], wanted: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], int]:
    """Ids of the rows whose natural ``key`` columns hold the ``wanted`` values."""
    columns = [getattr(entity, name) for name in key]
    identity = getattr(entity, "id")  # noqa: B009 - every Régul table has an integer id
    targets = set(wanted)
    found: dict[tuple[Any, ...], int] = {}
    for filters in _key_filters(columns, targets):
        for row in session.execute(select(identity, *columns).where(*filters)):
            if tuple(row[1:]) in targets:
                found[tuple(row[1:])] = row[0]
    return found


def rows_by_key(
    session: Session, entity: type[RowT], key: tuple[str, ...], wanted: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], RowT]:
    """The stored rows whose natural ``key`` columns hold the ``wanted`` values."""
    columns = [getattr(entity, name) for name in key]
    targets = set(wanted)
    found: dict[tuple[Any, ...], RowT] = {}
    for filters in _key_filters(columns, targets):
        for row in session.scalars(select(entity).where(*filters)):
            values = tuple(getattr(row, name) for name in key)
            if values in targets:
                found[values] = row
    return found


def _key_filters(columns: Sequence[Any], targets: set[tuple[Any, ...]]) -> list[list[Any]]:
    """WHERE clauses covering ``targets``, a few hundred keys at a time.

    Each column gets its own IN list (a row-value IN defeats PostgreSQL's index); the caller
    keeps only the exact combinations.
    """
    firsts = sorted({values[0] for values in targets})
    others = [sorted({values[i] for values in targets}) for i in range(1, len(columns))]
    return [
        [
            columns[0].in_(firsts[start : start + CHUNK]),
            *(column.in_(values) for column, values in zip(columns[1:], others, strict=True)),
        ]
        for start in range(0, len(firsts), CHUNK)
    ]


def update(
    session: Session,
    entity: type[RowT],
    row_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> RowT:
    """Apply a desk's edit made on the row as it was at ``expected_version``.

    A desk holds plain values, not live rows, so the version it read travels with the edit. An
    edit based on an older version raises :class:`ConflictError`; a change committed by another
    desk between this read and the write is caught by the version column and raises too.
    """
    if not issubclass(entity, Versioned):
        raise TypeError(f"{entity.__name__} has no version column to guard edits with")
    row = session.get(entity, row_id)
    if row is None:
        raise NotFoundError(
            f"{entity.__tablename__} n°{row_id} introuvable (supprimé entre-temps ?)"
        )
    if row.version != expected_version:
        raise ConflictError(
            f"{entity.__tablename__} n°{row_id} a été modifié par un autre poste "
            f"(version {row.version}, vous aviez la {expected_version}) : rechargez puis "
            "refaites la modification"
        )
    for name, value in changes.items():
        if name in ("id", "version"):
            raise ValueError(f"{name} cannot be edited")
        setattr(row, name, value)
    session.flush()
    return row
