"""Lookup, natural-key upsert and optimistic update, shared by every repository."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import Base, Versioned
from models.errors import ConflictError, NotFoundError

RowT = TypeVar("RowT", bound=Base)


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
