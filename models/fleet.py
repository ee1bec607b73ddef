"""Carriers (transport companies), their vehicles, and each vehicle's availability per day."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IntPK, Str40, Str120, Versioned
from models.enums import TransportMode


class Carrier(Versioned, Base):
    __tablename__ = "carriers"

    id: Mapped[IntPK]
    name: Mapped[str]
    siret: Mapped[str] = mapped_column(String(14), unique=True)
    base_address: Mapped[str | None]
    base_postcode: Mapped[str | None] = mapped_column(String(5))
    base_commune: Mapped[Str120 | None]
    base_lat: Mapped[float | None]
    base_lon: Mapped[float | None]
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None]
    # Tariff modifiers from the conventions: non-certified companies take a reduced tariff, and
    # fully geolocated companies billing through SEFi get the smaller shared-VSL discount.
    certified: Mapped[bool] = mapped_column(default=True)
    sefi_geolocated: Mapped[bool] = mapped_column(default=False)

    vehicles: Mapped[list[Vehicle]] = relationship(
        back_populates="carrier", cascade="all, delete-orphan", order_by="Vehicle.plate"
    )


class Vehicle(Versioned, Base):
    """A vehicle with its places by kind and its usual shift (wall-clock times, Paris)."""

    __tablename__ = "vehicles"
    __table_args__ = (
        CheckConstraint(
            "seated_places >= 0 AND lying_places >= 0 AND wheelchair_places >= 0",
            name="places_not_negative",
        ),
        CheckConstraint("shift_start < shift_end", name="shift_in_order"),
    )

    id: Mapped[IntPK]
    carrier_id: Mapped[int] = mapped_column(
        ForeignKey("carriers.id", ondelete="CASCADE"), index=True
    )
    plate: Mapped[Str40] = mapped_column(unique=True)
    kind: Mapped[TransportMode]
    seated_places: Mapped[int]
    lying_places: Mapped[int] = mapped_column(default=0)
    wheelchair_places: Mapped[int] = mapped_column(default=0)
    shift_start: Mapped[time]
    shift_end: Mapped[time]
    # Out of the fleet altogether (sold, long repair); day-to-day absence is VehicleAvailability.
    in_service: Mapped[bool] = mapped_column(default=True)
    # Where the vehicle starts when it is not kept at the carrier's base.
    base_lat: Mapped[float | None]
    base_lon: Mapped[float | None]

    carrier: Mapped[Carrier] = relationship(back_populates="vehicles")
    availability: Mapped[list[VehicleAvailability]] = relationship(
        back_populates="vehicle",
        cascade="all, delete-orphan",
        order_by="VehicleAvailability.service_date",
    )


class VehicleAvailability(Versioned, Base):
    """A day's exception to a vehicle's usual shift: unavailable, or a different shift."""

    __tablename__ = "vehicle_availability"
    __table_args__ = (
        UniqueConstraint("vehicle_id", "service_date"),
        CheckConstraint(
            "shift_start IS NULL OR shift_end IS NULL OR shift_start < shift_end",
            name="shift_in_order",
        ),
    )

    id: Mapped[IntPK]
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"))
    service_date: Mapped[date]
    available: Mapped[bool]
    shift_start: Mapped[time | None]
    shift_end: Mapped[time | None]
    note: Mapped[str | None]

    vehicle: Mapped[Vehicle] = relationship(back_populates="availability")
