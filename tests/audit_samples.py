"""Audit entries at chosen instants, inserted as the log's writers insert them (the log takes
inserts only), for the audit viewer's tests."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert

from models import Carrier, User
from models.audit import AuditEntry
from models.auditing import MASK
from models.enums import Role
from models.session import Database
from tests.factories import full_graph

REGULATOR = "m.lefebvre"
DISPATCHER = "taxis.lille"

FORMULA_DETAIL = '=HYPERLINK("http://example.invalid";"clic") refus : véhicule en panne'

# Times are UTC: 22:59 UTC on 24 November is 23:59 in Paris, 23:30 UTC is 00:30 on the 25th.
SAMPLES: tuple[dict[str, Any], ...] = (
    {"at": datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "actor": "alice", "action": "import",
     "entity": "requests", "entity_id": None, "changes": {},
     "detail": "sorties-chu.xlsx : 12 lignes importées"},
    {"at": datetime(2026, 11, 24, 7, 30, tzinfo=UTC), "actor": "bob", "action": "plan",
     "entity": "day_plans", "entity_id": "1", "changes": {},
     "detail": "plan du 24/11/2026 : 6 tournées"},
    {"at": datetime(2026, 11, 24, 22, 59, tzinfo=UTC), "actor": "bob", "action": "update",
     "entity": "missions", "entity_id": "7", "changes": {"status": ["PROPOSED", "ACCEPTED"]},
     "detail": None},
    {"at": datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "actor": "taxis.lille", "action": "refuse",
     "entity": "missions", "entity_id": "8", "changes": {}, "detail": FORMULA_DETAIL},
    {"at": datetime(2026, 11, 25, 10, 0, tzinfo=UTC), "actor": "alice", "action": "create",
     "entity": "patients", "entity_id": "3",
     "changes": {"id": [None, 3], "last_name": [None, MASK], "file_number": [None, "123"]},
     "detail": None},
    {"at": datetime(2026, 11, 25, 10, 5, tzinfo=UTC), "actor": "carol", "action": "accept",
     "entity": "missions", "entity_id": "7", "changes": {},
     "detail": "Accepté à 100% par Taxis_Lille"},
)  # fmt: skip


def log(db: Database, entries: tuple[dict[str, Any], ...] = SAMPLES) -> list[int]:
    """Insert ``entries`` in order; their ids."""
    with db.engine.begin() as connection:
        return [
            connection.execute(insert(AuditEntry).returning(AuditEntry.id), entry).scalar_one()
            for entry in entries
        ]


def numbered(count: int, action: str = "update") -> tuple[dict[str, Any], ...]:
    """``count`` entries a minute apart, each on its own row of ``stops``."""
    return tuple(
        {"at": datetime(2026, 11, 24, 6, minute % 60, tzinfo=UTC).replace(hour=6 + minute // 60),
         "actor": "alice", "action": action, "entity": "stops", "entity_id": str(minute),
         "changes": {"sequence": [minute, minute + 1]}, "detail": f"entrée {minute}"}
        for minute in range(count)
    )  # fmt: skip


def add_users(db: Database) -> None:
    """A regulator and a carrier's dispatcher (with the rows a carrier needs)."""
    rows = full_graph()
    carrier = next(r for r in rows if isinstance(r, Carrier))
    with db.transaction("setup") as session:
        session.add_all(rows)
        session.add(User(login=REGULATOR, display_name="M. Lefebvre", role=Role.REGULATOR))
        session.add(
            User(login=DISPATCHER, display_name="Taxis de Lille", role=Role.CARRIER_DISPATCHER,
                 carrier=carrier)
        )  # fmt: skip
