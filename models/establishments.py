"""Care sites: hospitals, dialysis centres, clinics, identified by their FINESS number."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, JsonList, Str120, Versioned


class Establishment(Versioned, Base):
    __tablename__ = "establishments"

    id: Mapped[IntPK]
    finess: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str]
    address: Mapped[str | None]
    postcode: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[Str120 | None]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # CareType names this site treats; kept as a list because sites gain and lose activities.
    activities: Mapped[JsonList]
