"""The assignment life cycle: planned → proposed → accepted/refused → done/cancelled."""

import pytest

from models import Assignment
from models.enums import DispatchStatus
from models.errors import InvalidTransitionError
from models.repositories.assignments import ALLOWED_TRANSITIONS, change_status
from models.session import Database
from tests.factories import full_graph


def _planned_assignment(db: Database) -> int:
    rows = full_graph()
    assignment = next(r for r in rows if isinstance(r, Assignment))
    assignment.status = DispatchStatus.PLANNED
    assignment.refusal_reason = None
    with db.transaction("seed") as session:
        session.add_all(rows)
    return assignment.id


def test_the_happy_path_reaches_done(db: Database) -> None:
    """Proposed, accepted, then done; each step stamped and versioned."""
    assignment_id = _planned_assignment(db)
    for version, status in enumerate(
        (DispatchStatus.PROPOSED, DispatchStatus.ACCEPTED, DispatchStatus.DONE), 1
    ):
        with db.transaction("carrier") as session:
            changed = change_status(session, assignment_id, version, status)
            assert changed.status_changed_at is not None
    with db.reader() as session:
        final = session.get(Assignment, assignment_id)
        assert final is not None and (final.status, final.version) == (DispatchStatus.DONE, 4)


def test_refusal_needs_a_reason_and_returns_to_planning(db: Database) -> None:
    """A refusal without reason is rejected; a refused assignment can be planned again."""
    assignment_id = _planned_assignment(db)
    with db.transaction("regulator") as session:
        change_status(session, assignment_id, 1, DispatchStatus.PROPOSED)
    with (
        pytest.raises(InvalidTransitionError, match="motivé"),
        db.transaction("carrier") as session,
    ):
        change_status(session, assignment_id, 2, DispatchStatus.REFUSED)
    with db.transaction("carrier") as session:
        refused = change_status(
            session, assignment_id, 2, DispatchStatus.REFUSED, "pas de véhicule"
        )
        assert refused.refusal_reason == "pas de véhicule"
    with db.transaction("regulator") as session:
        replanned = change_status(session, assignment_id, 3, DispatchStatus.PLANNED)
        assert replanned.refusal_reason is None


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (DispatchStatus.PLANNED, DispatchStatus.ACCEPTED),
        (DispatchStatus.PLANNED, DispatchStatus.DONE),
    ],
)
def test_skipping_steps_is_refused(
    db: Database, start: DispatchStatus, target: DispatchStatus
) -> None:
    """A carrier cannot accept what was never proposed to it."""
    assignment_id = _planned_assignment(db)
    with pytest.raises(InvalidTransitionError), db.transaction("carrier") as session:
        change_status(session, assignment_id, 1, target)


def test_finished_states_are_final() -> None:
    """Done and cancelled lead nowhere; every status has an entry."""
    assert set(ALLOWED_TRANSITIONS) == set(DispatchStatus)
    assert not ALLOWED_TRANSITIONS[DispatchStatus.DONE]
    assert not ALLOWED_TRANSITIONS[DispatchStatus.CANCELLED]
