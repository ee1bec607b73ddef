"""Declarative base: naming convention, Python→SQL type map and the optimistic-locking mixin."""

import enum
from datetime import date, datetime, time
from typing import Annotated, Any, ClassVar

from sqlalchemy import JSON, BigInteger, Date, Integer, MetaData, String, Time
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from models.types import AwareDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Reusable column shapes.
IntPK = Annotated[int, mapped_column(Integer, primary_key=True)]
BigIntPK = Annotated[
    int, mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
]
Str40 = Annotated[str, 40]
Str120 = Annotated[str, 120]
Str255 = Annotated[str, 255]
JsonList = Annotated[list[Any], mapped_column(JSON, default=list)]
JsonDict = Annotated[dict[str, Any], mapped_column(JSON, default=dict)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: AwareDateTime(),
        date: Date(),
        time: Time(),
        str: String(255),
        Str40: String(40),
        Str120: String(120),
        Str255: String(255),
        # Enums are stored as their member names in a VARCHAR: no native PostgreSQL ENUM type to
        # migrate, and the same DDL on SQLite and PostgreSQL.
        enum.Enum: SqlEnum(enum.Enum, native_enum=False, length=32, validate_strings=True),
    }

    # Attribute names whose values must not be copied into the audit log (personal data).
    audit_private: ClassVar[frozenset[str]] = frozenset()


class Versioned:
    """Rows two desks may edit at once: a stale write raises instead of silently overwriting."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
