"""Centre-wide settings every desk shares (on a shared server, one value for the centre)."""

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Versioned


class Setting(Versioned, Base):
    __tablename__ = "settings"

    id: Mapped[IntPK]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[Any] = mapped_column(JSON)
