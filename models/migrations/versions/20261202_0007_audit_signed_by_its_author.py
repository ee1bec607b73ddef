"""History is signed by whoever writes it: on PostgreSQL a regulator's or an administrator's
own role appends audit entries under its own name only, as carriers already do.

Migration 0005 let the regulators' group write any row of ``audit_log`` (the same permissive
policy as the day's data), so a regulator's role could append an entry in someone else's name.
Its staff policy on ``audit_log`` is split: reading stays whole, inserting requires
``actor = session_user`` (the role signed in, which is the user's login). The owner of the
tables, who runs the migrations and system jobs, is not subject to the policies. Nothing
changes on SQLite, where a local file is only as private as its folder.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    regulator = _regulators()
    op.execute("DROP POLICY regul_staff ON audit_log")
    op.execute(
        f"CREATE POLICY regul_staff_reads ON audit_log FOR SELECT TO {regulator} USING (true)"
    )
    op.execute(
        f"CREATE POLICY regul_staff_writes ON audit_log FOR INSERT TO {regulator} "
        "WITH CHECK (actor = session_user)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    regulator = _regulators()
    op.execute("DROP POLICY regul_staff_writes ON audit_log")
    op.execute("DROP POLICY regul_staff_reads ON audit_log")
    op.execute(
        f"CREATE POLICY regul_staff ON audit_log TO {regulator} USING (true) WITH CHECK (true)"
    )


def _regulators() -> str:
    """The regulators' group role, as migration 0005 named it (its prefix may not be the
    default), quoted."""
    name = op.get_bind().scalar(sa.text("SELECT regul_group_role('REGULATOR')"))
    assert isinstance(name, str), "migration 0005 recorded no regulators' group"
    return '"' + name.replace('"', '""') + '"'
