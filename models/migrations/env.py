"""Alembic environment: runs on the connection Régul hands over, or on the configured URL."""

from alembic import context
from sqlalchemy import Connection

import models
from models.db import make_engine, resolve_url

config = context.config
target_metadata = models.Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them; same history on PostgreSQL
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url") or None))
    try:
        with engine.connect() as new_connection:
            _configure_and_run(new_connection)
            new_connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Régul applies its migrations online only: use `regul db upgrade`.")
run_online()
