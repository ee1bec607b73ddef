"""A day's plan: one route per vehicle as ordered stops, and each request's assignment."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IntPK, JsonDict, Versioned
from models.enums import StopKind
from models.fleet import Vehicle
from models.requests import TransportRequest


class DayPlan(Versioned, Base):
    """The plan of one service date; the optimiser and hand edits both rewrite it."""

    __tablename__ = "day_plans"

    id: Mapped[IntPK]
    service_date: Mapped[date] = mapped_column(unique=True)
    computed_at: Mapped[datetime | None]
    # Seed, time limit, rule-set and tariff versions the plan was computed with: enough to redo it.
    solver_params: Mapped[JsonDict]
    kpis: Mapped[JsonDict]

    routes: Mapped[list[Route]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Route.id"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    unserved: Mapped[list[UnservedRequest]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="UnservedRequest.id"
    )


class Route(Versioned, Base):
    """A vehicle's day; ``locked`` keeps it as it is when the rest is re-optimised."""

    __tablename__ = "routes"
    __table_args__ = (UniqueConstraint("plan_id", "vehicle_id"),)

    id: Mapped[IntPK]
    plan_id: Mapped[int] = mapped_column(ForeignKey("day_plans.id", ondelete="CASCADE"))
    vehicle_id: Mapped[int] = mapped_column(
        ForeignKey("vehicles.id", ondelete="RESTRICT"), index=True
    )
    locked: Mapped[bool] = mapped_column(default=False)
    distance_m: Mapped[int] = mapped_column(default=0)
    empty_distance_m: Mapped[int] = mapped_column(default=0)

    plan: Mapped[DayPlan] = relationship(back_populates="routes")
    vehicle: Mapped[Vehicle] = relationship()
    stops: Mapped[list[Stop]] = relationship(
        back_populates="route", cascade="all, delete-orphan", order_by="Stop.sequence"
    )


class Stop(Base):
    """One ordered stop; rewritten with its route, so the route's version guards it."""

    __tablename__ = "stops"
    __table_args__ = (
        UniqueConstraint("route_id", "sequence"),
        CheckConstraint(
            "(kind IN ('PICKUP', 'DROPOFF')) = (request_id IS NOT NULL)",
            name="request_only_on_pickup_and_dropoff",
        ),
    )

    audit_private = frozenset({"lat", "lon"})  # a pickup or drop-off is often a home

    id: Mapped[IntPK]
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id", ondelete="CASCADE"))
    sequence: Mapped[int]
    kind: Mapped[StopKind]
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("transport_requests.id", ondelete="CASCADE"), index=True
    )
    lat: Mapped[float]
    lon: Mapped[float]
    planned_at: Mapped[datetime]

    route: Mapped[Route] = relationship(back_populates="stops")
    request: Mapped[TransportRequest | None] = relationship()


class Assignment(Versioned, Base):
    """A request given to a route, with the regulator's lock (what carriers were sent and
    answered lives in ``models.missions``)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("plan_id", "request_id"),)

    id: Mapped[IntPK]
    plan_id: Mapped[int] = mapped_column(ForeignKey("day_plans.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(
        ForeignKey("transport_requests.id", ondelete="CASCADE"), index=True
    )
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id", ondelete="CASCADE"), index=True)
    locked: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[DayPlan] = relationship(back_populates="assignments")
    request: Mapped[TransportRequest] = relationship()
    route: Mapped[Route] = relationship()


class UnservedRequest(Base):
    """A request the plan leaves without a vehicle, with the reason a regulator can act on."""

    __tablename__ = "unserved_requests"
    __table_args__ = (UniqueConstraint("plan_id", "request_id"),)

    id: Mapped[IntPK]
    plan_id: Mapped[int] = mapped_column(ForeignKey("day_plans.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(
        ForeignKey("transport_requests.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(500))

    plan: Mapped[DayPlan] = relationship(back_populates="unserved")
    request: Mapped[TransportRequest] = relationship()
