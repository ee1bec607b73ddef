"""Statistics of purged days: ``regul purge`` keeps each day's counts and kilometres here before
removing its patients' data.

On PostgreSQL the regulators' group gets the table through the default privileges migration 0005
set (administrators, who purge, are members of it); carriers get nothing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "day_statistics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("recorded_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("sharing_compatible", sa.Integer(), nullable=False),
        sa.Column("by_direction", sa.JSON(), nullable=False),
        sa.Column("by_mode", sa.JSON(), nullable=False),
        sa.Column("by_care_type", sa.JSON(), nullable=False),
        sa.Column("by_mobility", sa.JSON(), nullable=False),
        sa.Column("by_status", sa.JSON(), nullable=False),
        sa.Column("missions_by_status", sa.JSON(), nullable=False),
        sa.Column("routes", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Integer(), nullable=False),
        sa.Column("empty_distance_m", sa.Integer(), nullable=False),
        sa.Column("plan_kpis", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_statistics")),
        sa.UniqueConstraint("service_date", name=op.f("uq_day_statistics_service_date")),
    )


def downgrade() -> None:
    op.drop_table("day_statistics")
