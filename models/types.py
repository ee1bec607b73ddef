"""Column types shared by every table."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

from models.timezone import PARIS, to_utc


class AwareDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC and always read back as an aware Europe/Paris datetime.

    SQLite has no time zone support, so the value is normalised to UTC before it is written and the
    zone is re-attached on read; PostgreSQL gets a ``timestamptz``. Naive datetimes are rejected:
    a planned pickup whose zone is unknown is a bug, not data.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = to_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(PARIS)
