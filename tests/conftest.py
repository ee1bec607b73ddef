"""Fixtures: every database test runs on a fresh SQLite file and a fresh PostgreSQL schema.

PostgreSQL is the server on 127.0.0.1:5432 (override with REGUL_TEST_PG). When it cannot be
reached, its tests are skipped with the reason, except under CI=true where they fail: a green CI
must mean both databases were tested.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from models.migrate import upgrade
from models.session import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")

PG_URL = make_url(
    os.environ.get("REGUL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
)
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's REGUL_DB or writes into the real user folders."""
    for variable in ("REGUL_DB", "REGUL_GEOCODER", "REGUL_BAN_URL", "REGUL_OSRM_URL"):
        monkeypatch.delenv(variable, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))  # QSettings
    monkeypatch.setenv("REGUL_USER", "test-runner")


@pytest.fixture(scope="session")
def qapp() -> Any:
    """The application as the console makes it (WebEngine needs its settings first); Qt is
    imported only by the tests that ask for it."""
    from console.app import application

    return application()


@pytest.fixture
def fresh_settings(qapp: Any, tmp_path: Path) -> None:
    """No remembered window layout from another test (Qt reads its settings folder once);
    console test modules use it on every test."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings().clear()


@pytest.fixture(scope="session")
def postgres_reachable() -> str | None:
    """None when the server answers, else why not."""
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        return str(exc.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


def require_postgres(reason: str | None) -> None:
    if reason is None:
        return
    message = f"PostgreSQL injoignable à {PG_URL.render_as_string(hide_password=True)} : {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def pg_schema_url(postgres_reachable: str | None) -> Iterator[URL]:
    """A URL on a brand-new PostgreSQL schema, dropped after the test."""
    require_postgres(postgres_reachable)
    schema = f"regul_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield PG_URL.update_query_dict({"options": f"-csearch_path={schema}"})
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: pytest.TempPathFactory) -> URL:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite")
    url: URL = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def empty_db(db_url: URL) -> Iterator[Database]:
    db = Database(db_url)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A database migrated to head."""
    upgrade(empty_db)
    return empty_db
