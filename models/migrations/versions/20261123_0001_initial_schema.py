"""Initial schema: the whole mission's tables, and an append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 10:58:02.171031
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "carriers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=False),
        sa.Column("base_address", sa.String(length=255), nullable=True),
        sa.Column("base_postcode", sa.String(length=5), nullable=True),
        sa.Column("base_commune", sa.String(length=120), nullable=True),
        sa.Column("base_lat", sa.Double(), nullable=True),
        sa.Column("base_lon", sa.Double(), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("certified", sa.Boolean(), nullable=False),
        sa.Column("sefi_geolocated", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carriers")),
        sa.UniqueConstraint("siret", name=op.f("uq_carriers_siret")),
    )
    op.create_table(
        "day_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("solver_params", sa.JSON(), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_plans")),
        sa.UniqueConstraint("service_date", name=op.f("uq_day_plans_service_date")),
    )
    op.create_table(
        "establishments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finess", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column("postcode", sa.String(length=5), nullable=True),
        sa.Column("commune", sa.String(length=120), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishments")),
        sa.UniqueConstraint("finess", name=op.f("uq_establishments_finess")),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=40), nullable=False),
        sa.Column("file_number", sa.String(length=40), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column("first_name", sa.String(length=120), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("issuer", "file_number", name=op.f("uq_patients_issuer_file_number")),
    )
    op.create_table(
        "transport_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=40), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "OUTBOUND", "RETURN", "TRANSFER", name="direction", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("pickup_address", sa.String(length=255), nullable=True),
        sa.Column("pickup_postcode", sa.String(length=5), nullable=True),
        sa.Column("pickup_commune", sa.String(length=120), nullable=True),
        sa.Column("pickup_lat", sa.Double(), nullable=True),
        sa.Column("pickup_lon", sa.Double(), nullable=True),
        sa.Column("pickup_establishment_id", sa.Integer(), nullable=True),
        sa.Column("dropoff_address", sa.String(length=255), nullable=True),
        sa.Column("dropoff_postcode", sa.String(length=5), nullable=True),
        sa.Column("dropoff_commune", sa.String(length=120), nullable=True),
        sa.Column("dropoff_lat", sa.Double(), nullable=True),
        sa.Column("dropoff_lon", sa.Double(), nullable=True),
        sa.Column("dropoff_establishment_id", sa.Integer(), nullable=True),
        sa.Column("care_unit", sa.String(length=120), nullable=True),
        sa.Column("appointment_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.Column("oxygen", sa.Boolean(), nullable=False),
        sa.Column("companion", sa.Boolean(), nullable=False),
        sa.Column("sharing_compatible", sa.Boolean(), nullable=False),
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
        sa.Column(
            "payer",
            sa.Enum(
                "ASSURANCE_MALADIE", "ESTABLISHMENT", name="payer", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("prior_approval", sa.Boolean(), nullable=False),
        sa.Column("chosen_carrier_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("OPEN", "CANCELLED", name="requeststatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "cancellation_reason",
            sa.Enum(
                "PATIENT_CANCELLED",
                "NO_SHOW",
                "HOSPITAL_DELAY",
                "LATE_CANCELLATION",
                name="cancellationreason",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'CANCELLED') = (cancellation_reason IS NOT NULL)",
            name=op.f("ck_transport_requests_cancellation_has_reason"),
        ),
        sa.CheckConstraint(
            "appointment_at IS NOT NULL OR ready_at IS NOT NULL",
            name=op.f("ck_transport_requests_has_a_binding_time"),
        ),
        sa.ForeignKeyConstraint(
            ["chosen_carrier_id"],
            ["carriers.id"],
            name=op.f("fk_transport_requests_chosen_carrier_id_carriers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["dropoff_establishment_id"],
            ["establishments.id"],
            name=op.f("fk_transport_requests_dropoff_establishment_id_establishments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_transport_requests_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["pickup_establishment_id"],
            ["establishments.id"],
            name=op.f("fk_transport_requests_pickup_establishment_id_establishments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transport_requests")),
        sa.UniqueConstraint(
            "external_id",
            "service_date",
            name=op.f("uq_transport_requests_external_id_service_date"),
        ),
    )
    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transport_requests_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_transport_requests_service_date"), ["service_date"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ADMIN",
                "REGULATOR",
                "CARRIER_DISPATCHER",
                name="role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("carrier_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(role = 'CARRIER_DISPATCHER') = (carrier_id IS NOT NULL)",
            name=op.f("ck_users_dispatcher_bound_to_carrier"),
        ),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers.id"],
            name=op.f("fk_users_carrier_id_carriers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login", name=op.f("uq_users_login")),
    )
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("TAXI", "VSL", "AMBULANCE", name="transportmode", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("seated_places", sa.Integer(), nullable=False),
        sa.Column("lying_places", sa.Integer(), nullable=False),
        sa.Column("wheelchair_places", sa.Integer(), nullable=False),
        sa.Column("shift_start", sa.Time(), nullable=False),
        sa.Column("shift_end", sa.Time(), nullable=False),
        sa.Column("in_service", sa.Boolean(), nullable=False),
        sa.Column("base_lat", sa.Double(), nullable=True),
        sa.Column("base_lon", sa.Double(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "seated_places >= 0 AND lying_places >= 0 AND wheelchair_places >= 0",
            name=op.f("ck_vehicles_places_not_negative"),
        ),
        sa.CheckConstraint("shift_start < shift_end", name=op.f("ck_vehicles_shift_in_order")),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers.id"],
            name=op.f("fk_vehicles_carrier_id_carriers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicles")),
        sa.UniqueConstraint("plate", name=op.f("uq_vehicles_plate")),
    )
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vehicles_carrier_id"), ["carrier_id"], unique=False)

    op.create_table(
        "routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("distance_m", sa.Integer(), nullable=False),
        sa.Column("empty_distance_m", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["day_plans.id"],
            name=op.f("fk_routes_plan_id_day_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_routes_vehicle_id_vehicles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routes")),
        sa.UniqueConstraint("plan_id", "vehicle_id", name=op.f("uq_routes_plan_id_vehicle_id")),
    )
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routes_vehicle_id"), ["vehicle_id"], unique=False)

    op.create_table(
        "unserved_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["day_plans.id"],
            name=op.f("fk_unserved_requests_plan_id_day_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["transport_requests.id"],
            name=op.f("fk_unserved_requests_request_id_transport_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unserved_requests")),
        sa.UniqueConstraint(
            "plan_id", "request_id", name=op.f("uq_unserved_requests_plan_id_request_id")
        ),
    )
    with op.batch_alter_table("unserved_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unserved_requests_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "vehicle_availability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("shift_start", sa.Time(), nullable=True),
        sa.Column("shift_end", sa.Time(), nullable=True),
        sa.Column("note", sa.String(length=255), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "shift_start IS NULL OR shift_end IS NULL OR shift_start < shift_end",
            name=op.f("ck_vehicle_availability_shift_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_vehicle_availability_vehicle_id_vehicles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle_availability")),
        sa.UniqueConstraint(
            "vehicle_id",
            "service_date",
            name=op.f("uq_vehicle_availability_vehicle_id_service_date"),
        ),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PLANNED",
                "PROPOSED",
                "ACCEPTED",
                "REFUSED",
                "DONE",
                "CANCELLED",
                name="dispatchstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["day_plans.id"],
            name=op.f("fk_assignments_plan_id_day_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["transport_requests.id"],
            name=op.f("fk_assignments_request_id_transport_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["routes.id"],
            name=op.f("fk_assignments_route_id_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "plan_id", "request_id", name=op.f("uq_assignments_plan_id_request_id")
        ),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_route_id"), ["route_id"], unique=False)

    op.create_table(
        "stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "START", "PICKUP", "DROPOFF", "END", name="stopkind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind IN ('PICKUP', 'DROPOFF')) = (request_id IS NOT NULL)",
            name=op.f("ck_stops_request_only_on_pickup_and_dropoff"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["transport_requests.id"],
            name=op.f("fk_stops_request_id_transport_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["route_id"], ["routes.id"], name=op.f("fk_stops_route_id_routes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stops")),
        sa.UniqueConstraint("route_id", "sequence", name=op.f("uq_stops_route_id_sequence")),
    )
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stops_request_id"), ["request_id"], unique=False)

    _forbid_audit_log_changes()


def _forbid_audit_log_changes() -> None:
    """The database itself refuses to edit or erase history, whatever the application does."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stops_request_id"))

    op.drop_table("stops")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_route_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_request_id"))

    op.drop_table("assignments")
    op.drop_table("vehicle_availability")
    with op.batch_alter_table("unserved_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unserved_requests_request_id"))

    op.drop_table("unserved_requests")
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routes_vehicle_id"))

    op.drop_table("routes")
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vehicles_carrier_id"))

    op.drop_table("vehicles")
    op.drop_table("users")
    with op.batch_alter_table("transport_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transport_requests_service_date"))
        batch_op.drop_index(batch_op.f("ix_transport_requests_patient_id"))

    op.drop_table("transport_requests")
    op.drop_table("patients")
    op.drop_table("establishments")
    op.drop_table("day_plans")
    op.drop_table("carriers")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor"))

    op.drop_table("audit_log")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_log_append_only()")
