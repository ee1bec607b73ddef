"""Minimal patient identity: what a driver and an invoice need, nothing clinical."""

from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Str40, Str120, Versioned


class Patient(Versioned, Base):
    """A patient as known to one issuer (an IPP is only unique within the hospital that gave it)."""

    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("issuer", "file_number"),)
    audit_private = frozenset({"last_name", "first_name", "birth_date", "phone"})

    id: Mapped[IntPK]
    issuer: Mapped[str] = mapped_column(String(40), default="")
    file_number: Mapped[Str40]
    last_name: Mapped[Str120]
    first_name: Mapped[Str120]
    birth_date: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(30))
