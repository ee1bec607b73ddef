"""Every table keeps every value it is given, on SQLite and on PostgreSQL."""

from datetime import datetime

from sqlalchemy import inspect, select

from models import Base, Stop, TransportRequest
from models.session import Database
from models.timezone import PARIS
from tests.factories import at, full_graph


def _column_values(row: Base) -> dict[str, object]:
    return {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs}


def test_every_model_round_trips(db: Database) -> None:
    """Each row read back in a new session equals what was written, column by column."""
    rows = full_graph()
    with db.transaction("tester") as session:
        session.add_all(rows)
    written = {(type(row), row.id): _column_values(row) for row in rows}  # type: ignore[attr-defined]
    assert {type(row).__tablename__ for row in rows} | {"stops", "audit_log"} == set(
        Base.metadata.tables
    )

    with db.reader() as session:
        for (entity, row_id), expected in written.items():
            reread = session.get(entity, row_id)
            assert reread is not None, f"{entity.__tablename__} {row_id} lost"
            assert _column_values(reread) == expected, entity.__tablename__


def test_stops_keep_their_order_and_times(db: Database) -> None:
    """Stops come back in sequence with aware Paris times across the DST change."""
    with db.transaction("tester") as session:
        session.add_all(full_graph())
    with db.reader() as session:
        stops = session.scalars(select(Stop).order_by(Stop.sequence)).all()
        assert [stop.planned_at for stop in stops] == [at(6, 30), at(6, 55), at(7, 20), at(7, 50)]
        assert all(stop.planned_at.tzinfo is PARIS for stop in stops)
        # 29 March 2026: 06:30 in Paris is already summer time (UTC+2).
        assert stops[0].planned_at.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


def test_instants_are_read_back_in_paris_time(db: Database) -> None:
    """An instant written in another zone is the same instant, expressed in Paris time."""
    from zoneinfo import ZoneInfo

    rows = full_graph()
    request = next(r for r in rows if isinstance(r, TransportRequest))
    request.appointment_at = datetime(2026, 3, 29, 5, 30, tzinfo=ZoneInfo("UTC"))
    with db.transaction("tester") as session:
        session.add_all(rows)
    with db.reader() as session:
        reread = session.get(TransportRequest, request.id)
        assert reread is not None and reread.appointment_at is not None
        assert reread.appointment_at == at(7, 30)
        assert reread.appointment_at.tzinfo is PARIS
