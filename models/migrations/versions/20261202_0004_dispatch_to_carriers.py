"""Dispatch to carriers: missions, shared settings, the patient's refusal of a shared ride.

What a carrier was sent and answered moves off ``assignments`` into ``missions``, so that the
plan can be re-optimised after a push without losing the carriers' answers. On PostgreSQL a
trigger announces every mission and plan change (LISTEN/NOTIFY) to the other desks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 08:02:45.176914
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE = sa.text("status IN ('ACCEPTED', 'DONE', 'PROPOSED')")
CHANNEL = "regul_changes"
_NOTIFIED = ("missions", "day_plans")


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settings")),
        sa.UniqueConstraint("key", name=op.f("uq_settings_key")),
    )
    op.create_table(
        "missions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PROPOSED",
                "ACCEPTED",
                "REFUSED",
                "EXPIRED",
                "SUPERSEDED",
                "DONE",
                "CANCELLED",
                name="missionstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("pickup_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("dropoff_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("pickup_sequence", sa.Integer(), nullable=False),
        sa.Column("dropoff_sequence", sa.Integer(), nullable=False),
        sa.Column("shared_with", sa.JSON(), nullable=False),
        sa.Column("proposed_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("expires_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("changed_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("refusal_reason", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers.id"],
            name=op.f("fk_missions_carrier_id_carriers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["transport_requests.id"],
            name=op.f("fk_missions_request_id_transport_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_missions_vehicle_id_vehicles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missions")),
    )
    with op.batch_alter_table("missions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_missions_request_id"), ["request_id"], unique=False)
        batch_op.create_index(
            "ix_missions_service_date_carrier_id", ["service_date", "carrier_id"], unique=False
        )
        batch_op.create_index(
            "uq_missions_live_request",
            ["request_id"],
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        )

    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("status_changed_at")
        batch_op.drop_column("refusal_reason")
        batch_op.drop_column("status")

    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sharing_refused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.alter_column("sharing_refused", server_default=None)

    if op.get_bind().dialect.name == "postgresql":
        _announce_changes()


def _announce_changes() -> None:
    """Every desk listening on the channel hears '<table> <service date>' after a commit."""
    op.execute(
        "CREATE FUNCTION regul_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME || ' ' || NEW.service_date); "
        "RETURN NULL; END $$"
    )
    for table in _NOTIFIED:
        op.execute(
            f"CREATE TRIGGER {table}_announce AFTER INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION regul_announce_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _NOTIFIED:
            op.execute(f"DROP TRIGGER {table}_announce ON {table}")
        op.execute("DROP FUNCTION regul_announce_change()")

    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.drop_column("sharing_refused")

    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.VARCHAR(length=32), nullable=False, server_default="PLANNED")
        )
        batch_op.add_column(sa.Column("refusal_reason", sa.VARCHAR(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("missions", schema=None) as batch_op:
        batch_op.drop_index("uq_missions_live_request", sqlite_where=_LIVE, postgresql_where=_LIVE)
        batch_op.drop_index("ix_missions_service_date_carrier_id")
        batch_op.drop_index(batch_op.f("ix_missions_request_id"))

    op.drop_table("missions")
    op.drop_table("settings")
