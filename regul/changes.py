"""Hearing that another desk changed the day: LISTEN/NOTIFY on PostgreSQL, polling everywhere.

On PostgreSQL a trigger announces every mission and plan change on ``regul_changes`` (see the
0004 migration); a desk waiting on that channel hears it within the second. Notifications can
be lost (a dropped connection, a server restart), so a cheap "change stamp" is also compared
every few seconds: that polling is all a SQLite desk has, and it is the fallback of the other.
"""

import contextlib
from collections.abc import Callable
from datetime import date
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy import func, select

from models.audit import AuditEntry
from models.db import is_sqlite
from models.missions import Mission
from models.session import Database
from regul.access import Principal

CHANNEL = "regul_changes"

Stamp = tuple[Any, ...]


def change_stamp(db: Database, principal: Principal, day: date) -> Stamp:
    """A value that changes whenever something this desk shows changes.

    A regulator sees everything: the audit log's last entry moves with every write. A carrier
    dispatcher may not read the audit log; its own missions of the day tell it enough."""
    with db.reader() as session:
        if principal.is_carrier:
            row = session.execute(
                select(func.count(), func.max(Mission.changed_at), func.sum(Mission.version)).where(
                    Mission.service_date == day
                )
            ).one()
            return tuple(row)
        return (session.scalar(select(func.max(AuditEntry.id))) or 0,)


class ChangeListener:
    """Waits for the server's announcements; on SQLite, or without a connection, just sleeps."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._connection: psycopg.Connection[Any] | None = None

    def wait(self, seconds: float, sleep: Callable[[float], object]) -> list[str]:
        """The announcements heard within ``seconds`` (``'missions 2026-11-24'``…); none when
        the server cannot be listened to, which the caller's polling makes up for."""
        if is_sqlite(self._db.url):
            sleep(seconds)
            return []
        try:
            connection = self._listening()
            # back as soon as one is heard, with any that came with it
            heard = [n.payload for n in connection.notifies(timeout=seconds, stop_after=1)]
            if heard:
                heard += [n.payload for n in connection.notifies(timeout=0.01)]
            return heard
        except psycopg.Error:
            self.close()
            sleep(seconds)
            return []

    def _listening(self) -> "psycopg.Connection[Any]":
        if self._connection is None or self._connection.closed:
            url = self._db.url
            extra = {k: v for k, v in url.query.items() if isinstance(v, str)}  # sslmode…
            conninfo = make_conninfo(
                host=url.host or "",
                port=url.port or 5432,
                user=url.username or "",
                password=url.password or "",
                dbname=url.database or "",
                connect_timeout=5,
                **extra,
            )
            self._connection = psycopg.connect(conninfo, autocommit=True)
            self._connection.execute(f"LISTEN {CHANNEL}")
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):
                self._connection.close()
            self._connection = None
