"""Recurring trips (dialysis, radiotherapy…): recorded once, expanded into each day's requests."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IntPK, JsonList, Str120, Versioned
from models.enums import CareType, Coverage, Mobility, TransportMode
from models.establishments import Establishment
from models.patients import Patient


class RequestSeries(Versioned, Base):
    """A patient's fixed pattern: which weekdays, when, from home to which care site, until when."""

    __tablename__ = "request_series"
    __table_args__ = (
        CheckConstraint("valid_until >= valid_from", name="ends_after_start"),
        CheckConstraint(
            "appointment_time IS NOT NULL OR return_time IS NOT NULL", name="has_a_trip"
        ),
    )
    audit_private = frozenset({"home_address", "home_lat", "home_lon", "notes"})

    id: Mapped[IntPK]
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"))
    establishment_id: Mapped[int] = mapped_column(
        ForeignKey("establishments.id", ondelete="RESTRICT")
    )
    # ISO weekday numbers, Monday = 1.
    weekdays: Mapped[JsonList]
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    appointment_time: Mapped[time | None]  # outbound: be at the care site by then
    return_time: Mapped[time | None]  # return: ready to leave from then
    home_address: Mapped[str | None]
    home_postcode: Mapped[str | None] = mapped_column(String(5))
    home_commune: Mapped[Str120 | None]
    home_lat: Mapped[float]
    home_lon: Mapped[float]
    care_unit: Mapped[Str120 | None]
    prescribed_mode: Mapped[TransportMode]
    mobility: Mapped[Mobility]
    care_type: Mapped[CareType]
    coverage: Mapped[Coverage] = mapped_column(default=Coverage.STANDARD)
    sharing_compatible: Mapped[bool] = mapped_column(default=False)
    companion: Mapped[bool] = mapped_column(default=False)
    oxygen: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(String(1000))

    patient: Mapped[Patient] = relationship()
    establishment: Mapped[Establishment] = relationship()
