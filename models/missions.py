"""Trips sent to carriers: what each carrier was asked to do, and what it answered.

A mission is a snapshot of one request on one vehicle as it stood when pushed. The day's plan
can be re-optimised and hand-edited freely afterwards; the next push compares the plan with the
live missions and sends only what changed, marking the old proposals superseded. A carrier's
dispatcher reads missions, never the plan in progress.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IntPK, JsonList, Versioned
from models.enums import LIVE_MISSION_STATUSES, MissionStatus
from models.fleet import Carrier, Vehicle
from models.requests import TransportRequest

_LIVE = ", ".join(f"'{status.value}'" for status in sorted(LIVE_MISSION_STATUSES))


class Mission(Versioned, Base):
    __tablename__ = "missions"
    __table_args__ = (
        Index("ix_missions_service_date_carrier_id", "service_date", "carrier_id"),
        # One carrier at a time holds a request: the database refuses a second live mission.
        Index(
            "uq_missions_live_request",
            "request_id",
            unique=True,
            sqlite_where=text(f"status IN ({_LIVE})"),
            postgresql_where=text(f"status IN ({_LIVE})"),
        ),
    )

    # A carrier's words may name the patient ("absent", "refuse de partager avec M. …").
    audit_private = frozenset({"refusal_reason"})

    id: Mapped[IntPK]
    service_date: Mapped[date]
    request_id: Mapped[int] = mapped_column(
        ForeignKey("transport_requests.id", ondelete="CASCADE"), index=True
    )
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="RESTRICT"))
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="RESTRICT"))
    status: Mapped[MissionStatus] = mapped_column(default=MissionStatus.PROPOSED)
    pickup_at: Mapped[datetime]
    dropoff_at: Mapped[datetime]
    # Order of the pickup and drop-off among the vehicle's stops when pushed.
    pickup_sequence: Mapped[int]
    dropoff_sequence: Mapped[int]
    # External ids of the patients aboard at the same time: the shared ride's companions.
    shared_with: Mapped[JsonList]
    proposed_at: Mapped[datetime]
    proposed_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    changed_at: Mapped[datetime]
    answered_by: Mapped[str | None] = mapped_column(String(64))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))

    request: Mapped[TransportRequest] = relationship()
    carrier: Mapped[Carrier] = relationship()
    vehicle: Mapped[Vehicle] = relationship()
