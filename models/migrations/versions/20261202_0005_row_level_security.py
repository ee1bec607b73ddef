"""Row-level security: on PostgreSQL the database itself keeps each carrier to its own rows.

Three NOLOGIN group roles, one per Régul role (``regul_admin``, ``regul_regulator``,
``regul_carrier``; the prefix comes from ``REGUL_PG_ROLE_PREFIX`` when the migration runs and is
recorded in the function ``regul_group_role``). Every user's login role is a member of one of
them. Regulators (and admins, members of the regulators' group) read and write the day's data;
a carrier's dispatcher reads its own carrier, vehicles (and their days off), routes, stops and
missions, the driver's fields of the requests on those missions and their patients' names and
phones, answers its own open missions, and appends to the audit log under its own name. The
owner of the tables (who runs the migrations) is not subject to the policies. Nothing changes
on SQLite.

The group roles are cluster-wide and may serve other databases: the downgrade revokes what this
schema granted them but leaves the roles.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:10:00.000000
"""

import os
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX_VARIABLE = "REGUL_PG_ROLE_PREFIX"
_ROLE_KEYS = ("ADMIN", "REGULATOR", "CARRIER_DISPATCHER")  # models.enums.Role, as stored
DEFAULT_PREFIX = "regul"
_PREFIX_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")

# Tables whose rows a carrier sees only in part; regulators see them whole.
_SECURED = (
    "carriers",
    "vehicles",
    "vehicle_availability",
    "routes",
    "stops",
    "missions",
    "transport_requests",
    "patients",
    "users",
    "audit_log",
)
# What a driver needs to do the trip, and nothing clinical or administrative.
_REQUEST_COLUMNS = (
    "id",
    "external_id",
    "service_date",
    "patient_id",
    "direction",
    "pickup_address",
    "pickup_postcode",
    "pickup_commune",
    "pickup_lat",
    "pickup_lon",
    "dropoff_address",
    "dropoff_postcode",
    "dropoff_commune",
    "dropoff_lat",
    "dropoff_lon",
    "appointment_at",
    "ready_at",
    "mobility",
    "companion",
    "status",
)
_PATIENT_COLUMNS = ("id", "last_name", "first_name", "phone")
_USER_COLUMNS = ("id", "login", "display_name", "role", "carrier_id", "active", "version")
# What answering a proposal, or reporting it done, changes.
_ANSWER_COLUMNS = ("status", "changed_at", "answered_by", "refusal_reason", "version")

_OWN_CARRIER = "(SELECT regul_current_carrier())"  # evaluated once per query, not per row
_CARRIER_POLICIES = {
    "carriers": f"id = {_OWN_CARRIER}",
    "vehicles": f"carrier_id = {_OWN_CARRIER}",
    "vehicle_availability": (
        f"vehicle_id IN (SELECT id FROM vehicles WHERE carrier_id = {_OWN_CARRIER})"
    ),
    "routes": f"vehicle_id IN (SELECT id FROM vehicles WHERE carrier_id = {_OWN_CARRIER})",
    "stops": (
        "route_id IN (SELECT r.id FROM routes r JOIN vehicles v ON v.id = r.vehicle_id "
        f"WHERE v.carrier_id = {_OWN_CARRIER})"
    ),
    "missions": f"carrier_id = {_OWN_CARRIER}",
    "transport_requests": (
        f"id IN (SELECT request_id FROM missions WHERE carrier_id = {_OWN_CARRIER})"
    ),
    "patients": (
        "id IN (SELECT r.patient_id FROM transport_requests r JOIN missions m "
        f"ON m.request_id = r.id WHERE m.carrier_id = {_OWN_CARRIER})"
    ),
    "users": "login = session_user",
    "audit_log": "actor = session_user",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    groups = _group_names(_prefix())
    admin, regulator, carrier = (_quoted(groups[key]) for key in _ROLE_KEYS)
    schema = _quoted(_current_schema())

    for name in groups.values():
        _create_group_if_missing(name)
    _grant_membership_if_missing(groups["REGULATOR"], groups["ADMIN"])
    _create_functions(groups, schema)

    op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {regulator}, {carrier}")
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {regulator}"
    )
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {regulator}")
    # The schema's version is the owner's, accounts are the administrators', and history is
    # appended to, never edited.
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version, users FROM {regulator}")
    op.execute(f"REVOKE UPDATE, DELETE ON audit_log FROM {regulator}")
    op.execute(f"REVOKE SELECT ON users FROM {regulator}")
    op.execute(f"GRANT SELECT ({_columns(_USER_COLUMNS)}) ON users TO {regulator}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON users TO {admin}")
    # Tables later migrations create are the regulators' too (and not the carriers').
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {regulator}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {regulator}"
    )

    op.execute(
        "GRANT SELECT ON carriers, vehicles, vehicle_availability, routes, stops, missions, "
        f"alembic_version TO {carrier}"
    )
    op.execute(f"GRANT UPDATE ({_columns(_ANSWER_COLUMNS)}) ON missions TO {carrier}")
    op.execute(f"GRANT SELECT ({_columns(_REQUEST_COLUMNS)}) ON transport_requests TO {carrier}")
    op.execute(f"GRANT SELECT ({_columns(_PATIENT_COLUMNS)}) ON patients TO {carrier}")
    op.execute(f"GRANT SELECT ({_columns(_USER_COLUMNS)}) ON users TO {carrier}")
    op.execute(f"GRANT SELECT, INSERT ON audit_log TO {carrier}")
    audit_sequence = op.get_bind().scalar(
        sa.text("SELECT pg_get_serial_sequence('audit_log', 'id')")
    )
    op.execute(f"GRANT USAGE ON SEQUENCE {audit_sequence} TO {carrier}")

    for table in _SECURED:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY regul_staff ON {table} TO {regulator} USING (true) WITH CHECK (true)"
        )
        op.execute(
            f"CREATE POLICY regul_carrier_reads ON {table} FOR SELECT TO {carrier} "
            f"USING ({_CARRIER_POLICIES[table]})"
        )
    # A carrier answers its own open proposals and reports its accepted trips done; withdrawing,
    # expiring and cancelling are the regulator's.
    own = _CARRIER_POLICIES["missions"]
    op.execute(
        f"CREATE POLICY regul_carrier_answers ON missions FOR UPDATE TO {carrier} "
        f"USING ({own} AND status IN ('PROPOSED', 'ACCEPTED')) "
        f"WITH CHECK ({own} AND status IN ('ACCEPTED', 'REFUSED', 'DONE'))"
    )
    op.execute(
        f"CREATE POLICY regul_carrier_writes ON audit_log FOR INSERT TO {carrier} "
        f"WITH CHECK ({_CARRIER_POLICIES['audit_log']})"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    groups = {
        key: bind.scalar(sa.text("SELECT regul_group_role(:k)"), {"k": key}) for key in _ROLE_KEYS
    }
    admin, regulator, carrier = (_quoted(groups[key]) for key in _ROLE_KEYS)
    schema = _quoted(_current_schema())
    for table in _SECURED:
        for policy in ("regul_staff", "regul_carrier_reads"):
            op.execute(f"DROP POLICY {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP POLICY regul_carrier_answers ON missions")
    op.execute("DROP POLICY regul_carrier_writes ON audit_log")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON TABLES FROM {regulator}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON SEQUENCES FROM {regulator}"
    )
    everyone = f"{admin}, {regulator}, {carrier}"
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {everyone}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {everyone}")
    op.execute(f"REVOKE USAGE ON SCHEMA {schema} FROM {everyone}")
    op.execute("DROP FUNCTION regul_current_carrier()")
    op.execute("DROP FUNCTION regul_group_role(text)")


def _prefix() -> str:
    prefix = os.environ.get(PREFIX_VARIABLE) or DEFAULT_PREFIX
    if not _PREFIX_PATTERN.fullmatch(prefix):
        raise ValueError(
            f"{PREFIX_VARIABLE}={prefix!r} : attendu une minuscule puis minuscules, chiffres ou _ "
            "(40 caractères au plus)"
        )
    return prefix


def _group_names(prefix: str) -> dict[str, str]:
    return {
        "ADMIN": f"{prefix}_admin",
        "REGULATOR": f"{prefix}_regulator",
        "CARRIER_DISPATCHER": f"{prefix}_carrier",
    }


def _current_schema() -> str:
    schema = op.get_bind().scalar(sa.text("SELECT current_schema()"))
    assert isinstance(schema, str), "no schema on the search_path"
    return schema


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _columns(names: Sequence[str]) -> str:
    return ", ".join(names)


def _create_group_if_missing(name: str) -> None:
    # Another database, or a migration running at the same time, may have created it already.
    op.execute(
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {_quoted(name)} NOLOGIN; END IF; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    )


def _grant_membership_if_missing(group: str, member: str) -> None:
    op.execute(
        "DO $$ BEGIN "
        f"IF NOT pg_has_role('{member}', '{group}', 'MEMBER') THEN "
        f"GRANT {_quoted(group)} TO {_quoted(member)}; END IF; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    )


def _create_functions(groups: dict[str, str], schema: str) -> None:
    # SECURITY DEFINER: it reads users as the owner, whatever the caller may read. Inside it
    # current_user is the owner, so the caller is known by session_user, the role it logged in
    # as; the search_path is pinned so that no schema the caller controls is looked into.
    op.execute(
        "CREATE FUNCTION regul_current_carrier() RETURNS integer "
        "LANGUAGE sql STABLE SECURITY DEFINER "
        f"SET search_path = {schema}, pg_temp AS "
        f"$$ SELECT carrier_id FROM {schema}.users WHERE login = session_user AND active $$"
    )
    op.execute("REVOKE ALL ON FUNCTION regul_current_carrier() FROM PUBLIC")
    op.execute(
        "GRANT EXECUTE ON FUNCTION regul_current_carrier() "
        f"TO {_quoted(groups['CARRIER_DISPATCHER'])}"
    )
    cases = " ".join(f"WHEN '{key}' THEN '{name}'" for key, name in groups.items())
    op.execute(
        "CREATE FUNCTION regul_group_role(regul_role text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE AS $$ SELECT CASE regul_role {cases} END $$"
    )
