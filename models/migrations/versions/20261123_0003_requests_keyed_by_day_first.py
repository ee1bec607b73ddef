"""Requests keyed by day first: one index serves a day's list and an import's id lookups.

The single-column date index went with it; PostgreSQL chose it over the unique key and scanned
the whole day for every batch of ids.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:07:15.180183
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transport_requests_service_date"))
        batch_op.drop_constraint(
            batch_op.f("uq_transport_requests_external_id_service_date"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_transport_requests_service_date_external_id"),
            ["service_date", "external_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_transport_requests_service_date_external_id"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_transport_requests_external_id_service_date"),
            ["external_id", "service_date"],
        )
        batch_op.create_index(
            batch_op.f("ix_transport_requests_service_date"), ["service_date"], unique=False
        )
