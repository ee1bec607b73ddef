"""Column mappings a regulator gave for a hospital's export, remembered for the next file."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, JsonDict, Str40, Versioned


class ImportMapping(Versioned, Base):
    """Field → header pairs for one export format, recognised by the signature of its headers."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("kind", "signature"),)

    id: Mapped[IntPK]
    kind: Mapped[Str40]
    signature: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str]  # the file the mapping was first given for, to show the regulator
    mapping: Mapped[JsonDict]
    updated_at: Mapped[datetime]
