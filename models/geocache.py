"""Answers of online geocoders, kept so an address is sent out once, not every morning."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Str40


class GeocodeCacheEntry(Base):
    __tablename__ = "geocode_cache"
    __table_args__ = (UniqueConstraint("provider", "query_key"),)
    audit_private = frozenset({"query_key"})

    id: Mapped[IntPK]
    provider: Mapped[Str40]
    # Folded "address|postcode|commune": an address, so personal data, never logged in clear.
    query_key: Mapped[str] = mapped_column(String(400))
    lat: Mapped[float]
    lon: Mapped[float]
    precision: Mapped[Str40]
    source: Mapped[str]
    created_at: Mapped[datetime]
