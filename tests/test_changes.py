"""Desks hear each other: PostgreSQL announces mission changes, the stamp moves everywhere."""

import time
from datetime import date
from pathlib import Path

from sqlalchemy import URL, make_url

from models.enums import Role
from models.migrate import upgrade
from models.plans import DayPlan
from models.session import Database
from regul.access import Principal
from regul.changes import ChangeListener, change_stamp
from regul.dispatch import set_expiry_minutes

REGULATOR = Principal("regulation", Role.REGULATOR)
DAY = date(2026, 11, 24)


def test_the_stamp_moves_with_any_write(db: Database) -> None:
    """A regulator's stamp changes after a write and not otherwise."""
    before = change_stamp(db, REGULATOR, DAY)
    assert change_stamp(db, REGULATOR, DAY) == before
    set_expiry_minutes(db, REGULATOR, 20)
    assert change_stamp(db, REGULATOR, DAY) != before


def test_postgresql_announces_a_plan_change(pg_schema_url: URL) -> None:
    """A listening desk hears 'day_plans <date>' within seconds of another desk's commit."""
    db = Database(pg_schema_url)
    upgrade(db)
    listener = ChangeListener(db)
    try:
        assert listener.wait(0.1, time.sleep) == []  # now listening
        with db.transaction("other-desk") as session:
            session.add(DayPlan(service_date=DAY, solver_params={}, kpis={}))
        heard = listener.wait(5, time.sleep)
    finally:
        listener.close()
        db.dispose()
    assert f"day_plans {DAY.isoformat()}" in heard


def test_a_sqlite_listener_only_waits(tmp_path: Path) -> None:
    """Without a server to listen to, waiting sleeps the time asked and hears nothing."""
    db = Database(make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite"))
    slept: list[float] = []
    assert ChangeListener(db).wait(2.5, slept.append) == []
    assert slept == [2.5]
