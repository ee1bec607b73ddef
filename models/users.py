"""People who use Régul and what they may do."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IntPK, Str120, Versioned
from models.enums import Role
from models.fleet import Carrier


class User(Versioned, Base):
    """A login; a carrier dispatcher is bound to exactly one carrier, other roles to none."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'CARRIER_DISPATCHER') = (carrier_id IS NOT NULL)",
            name="dispatcher_bound_to_carrier",
        ),
    )
    audit_private = frozenset({"password_hash"})

    id: Mapped[IntPK]
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[Str120]
    role: Mapped[Role]
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id", ondelete="RESTRICT"))
    password_hash: Mapped[str | None]
    active: Mapped[bool] = mapped_column(default=True)

    carrier: Mapped[Carrier | None] = relationship()
