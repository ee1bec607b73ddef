"""Two desks editing the same row: the second, stale write is refused, never applied silently."""

import pytest

from models import Carrier, TransportRequest
from models.enums import CancellationReason, RequestStatus
from models.errors import ConflictError
from models.repositories.common import update
from models.repositories.requests import cancel_request
from models.session import Database
from tests.factories import full_graph


def _seed(db: Database) -> tuple[int, int]:
    rows = full_graph()
    with db.transaction("seed") as session:
        session.add_all(rows)
    carrier = next(r for r in rows if isinstance(r, Carrier))
    request = next(r for r in rows if isinstance(r, TransportRequest))
    return carrier.id, request.id


def test_concurrent_sessions_stale_update_raises_conflict(db: Database) -> None:
    """Both desks read version 1; the first commit wins, the second raises ConflictError."""
    carrier_id, _ = _seed(db)
    with pytest.raises(ConflictError), db.transaction("desk-a") as desk_a:
        mine = desk_a.get(Carrier, carrier_id)
        assert mine is not None and mine.version == 1
        with db.transaction("desk-b") as desk_b:
            theirs = desk_b.get(Carrier, carrier_id)
            assert theirs is not None
            theirs.phone = "03 99 99 99 99"
        mine.phone = "03 11 11 11 11"
    with db.reader() as session:
        final = session.get(Carrier, carrier_id)
        assert final is not None
        assert (final.phone, final.version) == ("03 99 99 99 99", 2)


def test_edit_based_on_an_old_version_is_refused(db: Database) -> None:
    """A desk that read version 1 cannot write once another desk made version 2."""
    _, request_id = _seed(db)
    with db.transaction("desk-b") as session:
        update(session, TransportRequest, request_id, 1, {"care_unit": "Néphrologie"})
    with db.transaction("desk-a") as session, pytest.raises(ConflictError, match="autre poste"):
        cancel_request(session, request_id, 1, CancellationReason.NO_SHOW)
    with db.reader() as session:
        request = session.get(TransportRequest, request_id)
        assert request is not None
        assert (request.care_unit, request.status, request.version) == (
            "Néphrologie",
            RequestStatus.OPEN,
            2,
        )


def test_edit_based_on_the_current_version_applies_and_bumps_it(db: Database) -> None:
    """The up-to-date desk's edit goes through and the version moves on."""
    _, request_id = _seed(db)
    with db.transaction("desk-a") as session:
        cancel_request(session, request_id, 1, CancellationReason.PATIENT_CANCELLED)
    with db.reader() as session:
        request = session.get(TransportRequest, request_id)
        assert request is not None
        assert (request.status, request.cancellation_reason, request.version) == (
            RequestStatus.CANCELLED,
            CancellationReason.PATIENT_CANCELLED,
            2,
        )
