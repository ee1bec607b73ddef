"""The dispatch life of an assignment, with the transitions the workflow allows."""

from collections.abc import Mapping

from sqlalchemy.orm import Session

from models.enums import DispatchStatus
from models.errors import InvalidTransitionError
from models.plans import Assignment
from models.repositories.common import get, update
from models.timezone import now

ALLOWED_TRANSITIONS: Mapping[DispatchStatus, frozenset[DispatchStatus]] = {
    # A proposal can fall back to PLANNED when it is superseded by a re-plan or expires unanswered.
    DispatchStatus.PLANNED: frozenset({DispatchStatus.PROPOSED, DispatchStatus.CANCELLED}),
    DispatchStatus.PROPOSED: frozenset(
        {
            DispatchStatus.ACCEPTED,
            DispatchStatus.REFUSED,
            DispatchStatus.PLANNED,
            DispatchStatus.CANCELLED,
        }
    ),
    DispatchStatus.ACCEPTED: frozenset({DispatchStatus.DONE, DispatchStatus.CANCELLED}),
    DispatchStatus.REFUSED: frozenset({DispatchStatus.PLANNED, DispatchStatus.CANCELLED}),
    DispatchStatus.DONE: frozenset(),
    DispatchStatus.CANCELLED: frozenset(),
}


def change_status(
    session: Session,
    assignment_id: int,
    expected_version: int,
    new_status: DispatchStatus,
    refusal_reason: str | None = None,
) -> Assignment:
    current = get(session, Assignment, assignment_id).status
    if new_status not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransitionError(
            f"affectation n°{assignment_id} : passage de {current.value} à {new_status.value} "
            "impossible"
        )
    if new_status is DispatchStatus.REFUSED and not refusal_reason:
        raise InvalidTransitionError("un refus doit être motivé")
    return update(
        session,
        Assignment,
        assignment_id,
        expected_version,
        {
            "status": new_status,
            "status_changed_at": now(),
            "refusal_reason": refusal_reason if new_status is DispatchStatus.REFUSED else None,
        },
    )
