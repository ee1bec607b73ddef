"""Where the database is and how to connect to it.

Default: a SQLite file in the user's data folder. Shared: any PostgreSQL URL. The choice comes from
``--db``, else the ``REGUL_DB`` environment variable, else the default file.
"""

import contextlib
import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from models.errors import DatabaseUrlError

ENV_VAR = "REGUL_DB"
APP_NAME = "Regul"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# libpq's values (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION)
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def default_sqlite_path() -> Path:
    """The per-user database file (e.g. %LOCALAPPDATA%\\Regul\\Regul\\regul.sqlite on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_NAME)) / "regul.sqlite"


def local_url() -> URL:
    """The per-user local file, whatever $REGUL_DB says: a desk set up to work on its own."""
    return resolve_url(f"sqlite:///{default_sqlite_path()}")


def resolve_url(explicit: str | None = None) -> URL:
    """The database URL in force, validated and normalised to the drivers Régul ships."""
    raw = explicit or os.environ.get(ENV_VAR) or f"sqlite:///{default_sqlite_path()}"
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseUrlError(
            f"adresse de base de données invalide : {raw!r} "
            "(attendu sqlite:///chemin/fichier.sqlite ou postgresql://utilisateur@hôte/base)"
        ) from exc
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseUrlError(
                f"adresse SQLite sans fichier : {raw!r} (attendu sqlite:///chemin/fichier.sqlite)"
            )
        return url.set(drivername="sqlite+pysqlite")
    if backend == "postgresql":
        if url.get_driver_name() not in ("psycopg", "psycopg2", "") and "+" in url.drivername:
            raise DatabaseUrlError(f"pilote PostgreSQL non pris en charge : {url.drivername!r}")
        _check_ssl_mode(url)
        return url.set(drivername="postgresql+psycopg")
    raise DatabaseUrlError(
        f"type de base non pris en charge : {backend!r} dans {redact(url)} "
        "(Régul fonctionne avec SQLite ou PostgreSQL)"
    )


def _check_ssl_mode(url: URL) -> None:
    """libpq would refuse a misspelt sslmode in English at the first connection; say it now.

    The other TLS settings (sslrootcert, sslcert, sslkey) are file paths libpq reads itself;
    they pass through the URL's query unchanged.
    """
    mode = url.query.get("sslmode")
    if mode is None:
        return
    if not isinstance(mode, str) or mode not in SSL_MODES:
        raise DatabaseUrlError(
            f"chiffrement (sslmode) inconnu : {mode!r} dans {redact(url)} "
            f"(valeurs possibles : {', '.join(SSL_MODES)})"
        )


def redact(url: URL) -> str:
    """The URL as safe to print or log (no password)."""
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> Path:
    assert url.database is not None
    return Path(url.database).expanduser()


def make_engine(url: URL, **options: Any) -> Engine:
    """An engine with the per-connection settings Régul relies on.

    SQLite: foreign keys enforced, WAL journal so a reader never blocks the writer, and a busy
    timeout instead of an immediate 'database is locked'; a new file is readable by the user
    only. PostgreSQL: connections are checked before use so a restarted server is reconnected
    to transparently. On both, an error never quotes the statement's values
    (``hide_parameters``): they are patients' names and addresses, and errors reach the log.
    """
    options.setdefault("hide_parameters", True)
    if is_sqlite(url):
        path = sqlite_file(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        event.listen(engine, "do_connect", lambda *_args: _create_private_file(path))
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, **options)
    except NoSuchModuleError as exc:
        raise DatabaseUrlError(f"pilote introuvable pour {redact(url)}") from exc


def _create_private_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite opens it: SQLite would create it
    with the umask's mode (often readable by everyone), and gives its -wal and -shm files the
    main file's mode. Done at connection time, when SQLite itself would create it."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions itself unless told not to; SQLAlchemy's recipe hands that back
    # so that PRAGMAs take effect and BEGIN is emitted by SQLAlchemy.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # the wait first: setting the journal mode needs the lock another desk may hold
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")
