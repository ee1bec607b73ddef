"""Explicit column mappings, remembered per export format (the signature of its headers)."""

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.imports import ImportMapping
from models.repositories.common import Outcome, upsert
from models.timezone import now


def remembered_mapping(session: Session, kind: str, signature: str) -> dict[str, str] | None:
    row = session.scalars(
        select(ImportMapping).filter_by(kind=kind, signature=signature)
    ).one_or_none()
    return {str(k): str(v) for k, v in row.mapping.items()} if row else None


def remember_mapping(
    session: Session, kind: str, signature: str, source_name: str, mapping: Mapping[str, str]
) -> Outcome:
    row = session.scalars(
        select(ImportMapping).filter_by(kind=kind, signature=signature)
    ).one_or_none()
    if row is not None and row.mapping == dict(mapping):
        return Outcome.UNCHANGED
    _, outcome = upsert(
        session,
        ImportMapping,
        {"kind": kind, "signature": signature},
        {"source_name": source_name, "mapping": dict(mapping), "updated_at": now()},
    )
    return outcome
