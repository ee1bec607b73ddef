"""Transport requests: one patient, one trip, one day, as sent by the hospital."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IntPK, JsonList, Str40, Str120, Versioned
from models.enums import (
    CancellationReason,
    CareType,
    Coverage,
    Direction,
    Mobility,
    Payer,
    RequestStatus,
    TransportMode,
)
from models.establishments import Establishment
from models.fleet import Carrier
from models.patients import Patient
from models.series import RequestSeries


class TransportRequest(Versioned, Base):
    """A trip to carry: pickup and drop-off places, the time that binds it, and the prescription.

    An outbound trip must reach the care site by ``appointment_at``; a return or discharge is picked
    up from ``ready_at``. Places carry their own position (filled from the file or by geocoding);
    a place at a known care site also points to its establishment.
    """

    __tablename__ = "transport_requests"
    __table_args__ = (
        # Day first: every read is for one day (a day's list, an import's lookup of its ids).
        UniqueConstraint("service_date", "external_id"),
        CheckConstraint(
            "appointment_at IS NOT NULL OR ready_at IS NOT NULL", name="has_a_binding_time"
        ),
        CheckConstraint(
            "(status = 'CANCELLED') = (cancellation_reason IS NOT NULL)",
            name="cancellation_has_reason",
        ),
    )
    # A position is as telling as the address it was geocoded from.
    audit_private = frozenset(
        {
            "pickup_address",
            "pickup_lat",
            "pickup_lon",
            "dropoff_address",
            "dropoff_lat",
            "dropoff_lon",
            "notes",
        }
    )

    id: Mapped[IntPK]
    external_id: Mapped[Str40]
    service_date: Mapped[date]
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="RESTRICT"), index=True
    )
    direction: Mapped[Direction]

    pickup_address: Mapped[str | None]
    pickup_postcode: Mapped[str | None] = mapped_column(String(5))
    pickup_commune: Mapped[Str120 | None]
    pickup_lat: Mapped[float | None]
    pickup_lon: Mapped[float | None]
    pickup_establishment_id: Mapped[int | None] = mapped_column(
        ForeignKey("establishments.id", ondelete="SET NULL")
    )

    dropoff_address: Mapped[str | None]
    dropoff_postcode: Mapped[str | None] = mapped_column(String(5))
    dropoff_commune: Mapped[Str120 | None]
    dropoff_lat: Mapped[float | None]
    dropoff_lon: Mapped[float | None]
    dropoff_establishment_id: Mapped[int | None] = mapped_column(
        ForeignKey("establishments.id", ondelete="SET NULL")
    )
    care_unit: Mapped[Str120 | None]

    appointment_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]

    prescribed_mode: Mapped[TransportMode]
    mobility: Mapped[Mobility]
    oxygen: Mapped[bool] = mapped_column(default=False)
    companion: Mapped[bool] = mapped_column(default=False)
    sharing_compatible: Mapped[bool] = mapped_column(default=False)
    # The patient turned down a shared ride: they ride alone, and the invoice says so.
    sharing_refused: Mapped[bool] = mapped_column(default=False)
    care_type: Mapped[CareType]
    coverage: Mapped[Coverage] = mapped_column(default=Coverage.STANDARD)
    payer: Mapped[Payer] = mapped_column(default=Payer.ASSURANCE_MALADIE)
    prior_approval: Mapped[bool] = mapped_column(default=False)
    chosen_carrier_id: Mapped[int | None] = mapped_column(
        ForeignKey("carriers.id", ondelete="SET NULL")
    )
    # Set when the request was generated from a recurring series rather than imported.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("request_series.id", ondelete="SET NULL"), index=True
    )

    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.OPEN)
    cancellation_reason: Mapped[CancellationReason | None]
    # Points a regulator should look at (e.g. prior approval needed); never a reason to drop a row.
    flags: Mapped[JsonList]
    notes: Mapped[str | None] = mapped_column(String(1000))

    patient: Mapped[Patient] = relationship()
    pickup_establishment: Mapped[Establishment | None] = relationship(
        foreign_keys=[pickup_establishment_id]
    )
    dropoff_establishment: Mapped[Establishment | None] = relationship(
        foreign_keys=[dropoff_establishment_id]
    )
    chosen_carrier: Mapped[Carrier | None] = relationship()
    series: Mapped[RequestSeries | None] = relationship()
