"""Counts for `regul db info` and the demo's headless summary."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.audit import AuditEntry
from models.establishments import Establishment
from models.fleet import Carrier, Vehicle
from models.patients import Patient
from models.plans import DayPlan
from models.requests import TransportRequest
from models.statistics import DayStatistics
from models.users import User

COUNTED = (
    Establishment,
    Carrier,
    Vehicle,
    Patient,
    TransportRequest,
    DayPlan,
    DayStatistics,  # purged days, kept as counts
    User,
    AuditEntry,
)


def row_counts(session: Session) -> dict[str, int]:
    return {
        entity.__tablename__: session.scalar(select(func.count()).select_from(entity)) or 0
        for entity in COUNTED
    }


@dataclass(frozen=True)
class DaySummary:
    service_date: date
    requests: int
    by_direction: dict[str, int]
    by_care_type: dict[str, int]
    by_mode: dict[str, int]
    by_mobility: dict[str, int]
    sharing_compatible: int
    establishments: int
    carriers: int
    vehicles_by_kind: dict[str, int]
    seats: int


def day_summary(session: Session, service_date: date) -> DaySummary:
    requests = session.scalars(
        select(TransportRequest).where(TransportRequest.service_date == service_date)
    ).all()
    vehicles = session.scalars(select(Vehicle).where(Vehicle.in_service)).all()
    return DaySummary(
        service_date=service_date,
        requests=len(requests),
        by_direction=dict(Counter(r.direction.value for r in requests)),
        by_care_type=dict(Counter(r.care_type.value for r in requests)),
        by_mode=dict(Counter(r.prescribed_mode.value for r in requests)),
        by_mobility=dict(Counter(r.mobility.value for r in requests)),
        sharing_compatible=sum(r.sharing_compatible for r in requests),
        establishments=session.scalar(select(func.count()).select_from(Establishment)) or 0,
        carriers=session.scalar(select(func.count()).select_from(Carrier)) or 0,
        vehicles_by_kind=dict(Counter(v.kind.value for v in vehicles)),
        seats=sum(v.seated_places for v in vehicles),
    )
