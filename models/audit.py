"""The append-only record of who changed what (the database refuses updates and deletes)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigIntPK


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[BigIntPK]
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    # create / update / delete for row changes; domain verbs (import, plan, push…) otherwise.
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    # {attribute: [old, new]}; personal values are replaced by a mask.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    detail: Mapped[str | None] = mapped_column(String(1000))
