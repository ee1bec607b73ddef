"""Centre-wide settings by key: one value every desk reads, changed with version checks."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.settings import Setting


def get_setting(session: Session, key: str) -> Any:
    """The stored value, or None when the centre never set it."""
    return session.scalar(select(Setting.value).where(Setting.key == key))


def put_setting(session: Session, key: str, value: Any) -> None:
    row = session.scalars(select(Setting).where(Setting.key == key)).one_or_none()
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value
