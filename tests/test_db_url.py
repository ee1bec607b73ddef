"""Choosing the database: --db, then REGUL_DB, then the per-user file; bad URLs say why."""

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from models.db import default_sqlite_path, resolve_url
from models.errors import DatabaseUnavailableError, DatabaseUrlError
from models.session import Database


def test_explicit_url_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """--db beats REGUL_DB."""
    monkeypatch.setenv("REGUL_DB", "sqlite:////tmp/from-env.sqlite")
    assert resolve_url("sqlite:////tmp/explicit.sqlite").database == "/tmp/explicit.sqlite"
    assert resolve_url(None).database == "/tmp/from-env.sqlite"


def test_default_is_a_file_in_the_user_data_folder() -> None:
    """Without any setting, the database is regul.sqlite under the user's data folder."""
    url = resolve_url(None)
    assert url.drivername == "sqlite+pysqlite"
    assert Path(url.database or "") == default_sqlite_path()
    data_home = Path(os.environ["XDG_DATA_HOME"])  # set per test by conftest
    assert default_sqlite_path() == data_home / "Regul" / "regul.sqlite"


def test_postgresql_urls_use_psycopg_3() -> None:
    """Plain postgresql:// URLs are given the driver Régul ships."""
    url = resolve_url("postgresql://regul:secret@db.example:5432/centre")
    assert url.drivername == "postgresql+psycopg"
    assert url.password == "secret"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not a url", "adresse de base de données invalide"),
        ("mysql://root@localhost/regul", "type de base non pris en charge : 'mysql'"),
        ("sqlite://", "adresse SQLite sans fichier"),
        ("sqlite:///:memory:", "adresse SQLite sans fichier"),
        ("postgresql+asyncpg://u@h/d", "pilote PostgreSQL non pris en charge"),
    ],
)
def test_unusable_urls_are_refused_with_a_reason(raw: str, message: str) -> None:
    """Each unusable URL gets one message that says what is wrong."""
    with pytest.raises(DatabaseUrlError, match=message):
        resolve_url(raw)


def test_passwords_never_appear_in_messages() -> None:
    """A refused URL is echoed without its password."""
    with pytest.raises(DatabaseUrlError) as caught:
        resolve_url("oracle://scott:tiger@host/db")
    assert "tiger" not in str(caught.value)


def test_unreachable_server_is_one_clear_error() -> None:
    """A closed port gives DatabaseUnavailableError naming the server, not a driver traceback."""
    db = Database(resolve_url("postgresql://postgres:hunter2@127.0.0.1:9/none"))
    with pytest.raises(DatabaseUnavailableError, match="injoignable") as caught:
        db.check_reachable()
    assert "hunter2" not in str(caught.value)


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    """Every SQLite connection has foreign keys on, WAL journal and a busy timeout."""
    db = Database(resolve_url(f"sqlite:///{tmp_path}/sub/dir/regul.sqlite"))
    try:
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    finally:
        db.dispose()
