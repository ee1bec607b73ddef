"""What a purged day achieved, kept without anyone's name: counts and kilometres only.

``regul purge`` writes one row per service day before removing the day's patient data, so that
a centre's activity over the years can still be reported once the transports themselves are gone.
"""

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, JsonDict


class DayStatistics(Base):
    __tablename__ = "day_statistics"

    id: Mapped[IntPK]
    service_date: Mapped[date] = mapped_column(unique=True)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(64))
    requests: Mapped[int]
    cancelled: Mapped[int]
    sharing_compatible: Mapped[int]
    # {stored value: count} of the requests (and the missions, by their latest status)
    by_direction: Mapped[JsonDict]
    by_mode: Mapped[JsonDict]
    by_care_type: Mapped[JsonDict]
    by_mobility: Mapped[JsonDict]
    by_status: Mapped[JsonDict]
    missions_by_status: Mapped[JsonDict]
    # the stored plan's routes: vehicles used, metres driven in all and without a patient aboard
    routes: Mapped[int]
    distance_m: Mapped[int]
    empty_distance_m: Mapped[int]
    # the plan's figures as the planner computed them (served, shared patients, km, costs…);
    # empty when the day was never planned
    plan_kpis: Mapped[JsonDict]
