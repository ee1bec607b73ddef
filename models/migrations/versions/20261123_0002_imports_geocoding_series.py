"""Import mappings remembered per export format, the geocoding cache, recurring series.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:19:59.710968
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "geocode_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("query_key", sa.String(length=400), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("precision", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_geocode_cache")),
        sa.UniqueConstraint(
            "provider", "query_key", name=op.f("uq_geocode_cache_provider_query_key")
        ),
    )
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mappings")),
        sa.UniqueConstraint("kind", "signature", name=op.f("uq_import_mappings_kind_signature")),
    )
    op.create_table(
        "request_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("appointment_time", sa.Time(), nullable=True),
        sa.Column("return_time", sa.Time(), nullable=True),
        sa.Column("home_address", sa.String(length=255), nullable=True),
        sa.Column("home_postcode", sa.String(length=5), nullable=True),
        sa.Column("home_commune", sa.String(length=120), nullable=True),
        sa.Column("home_lat", sa.Double(), nullable=False),
        sa.Column("home_lon", sa.Double(), nullable=False),
        sa.Column("care_unit", sa.String(length=120), nullable=True),
        sa.Column(
            "prescribed_mode",
            sa.Enum("TAXI", "VSL", "AMBULANCE", name="transportmode", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "mobility",
            sa.Enum("SEATED", "LYING", "WHEELCHAIR", name="mobility", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "care_type",
            sa.Enum(
                "DIALYSIS",
                "CHEMOTHERAPY",
                "RADIOTHERAPY",
                "REHABILITATION",
                "DAY_HOSPITAL",
                "CONSULTATION",
                "HOSPITALISATION",
                "DISCHARGE",
                "TRANSFER",
                "OTHER",
                name="caretype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "coverage",
            sa.Enum(
                "STANDARD",
                "ALD",
                "WORK_ACCIDENT",
                "MATERNITY",
                "NEWBORN",
                "C2S",
                "AME",
                "ALSACE_MOSELLE",
                "INTER_ESTABLISHMENT",
                name="coverage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sharing_compatible", sa.Boolean(), nullable=False),
        sa.Column("companion", sa.Boolean(), nullable=False),
        sa.Column("oxygen", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "appointment_time IS NOT NULL OR return_time IS NOT NULL",
            name=op.f("ck_request_series_has_a_trip"),
        ),
        sa.CheckConstraint(
            "valid_until >= valid_from", name=op.f("ck_request_series_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishments.id"],
            name=op.f("fk_request_series_establishment_id_establishments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_request_series_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_series")),
    )
    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_transport_requests_series_id"), ["series_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_transport_requests_series_id_request_series"),
            "request_series",
            ["series_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_transport_requests_series_id_request_series"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_transport_requests_series_id"))
        batch_op.drop_column("series_id")

    op.drop_table("request_series")
    op.drop_table("import_mappings")
    op.drop_table("geocode_cache")
