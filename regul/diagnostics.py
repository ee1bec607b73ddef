"""What support needs to know about a desk, as text to paste in a message.

Versions, folders, the database (address without password, schema, reachable or not) and the
end of the log. Nothing about patients: the log holds none, and the database is only counted.
"""

import platform
import sys
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version

import platformdirs
from sqlalchemy import text

from models.db import APP_NAME, is_sqlite, redact, resolve_url, sqlite_file
from models.errors import RegulDataError
from models.migrate import schema_state
from models.session import Database
from regul import __version__
from regul.config import ConfigError, config_path, load_config
from regul.logs import log_folder, recent_lines

LOG_LINES = 80
_PACKAGES = ("PySide6", "SQLAlchemy", "alembic", "ortools", "numba", "psycopg", "folium")


def diagnostics(url: str | None, log_lines: int = LOG_LINES) -> str:
    """The report for the database ``url``: as ``regul.config.configured_url`` gives it (None:
    the local file), or the console's own."""
    sections = [
        ("Régul", _about_program()),
        ("Dossiers", _folders()),
        ("Poste", _desk()),
        ("Base de données", _database(url)),
        (f"Journal (dernières {log_lines} lignes)", recent_lines(log_lines) or ["(vide)"]),
    ]
    return "\n\n".join(f"== {title} ==\n" + "\n".join(lines) for title, lines in sections) + "\n"


def _about_program() -> list[str]:
    frozen = getattr(sys, "frozen", False)
    return [
        f"version        : {__version__}" + (" (installée)" if frozen else " (depuis les sources)"),
        f"programme      : {sys.executable}",
        f"système        : {platform.platform()}",
        f"Python         : {platform.python_version()}",
        *(f"{name:<15}: {_version_of(name)}" for name in _PACKAGES),
    ]


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


def _folders() -> list[str]:
    return [
        f"réglages       : {config_path()}",
        f"données        : {platformdirs.user_data_dir(APP_NAME, APP_NAME)}",
        f"journaux       : {log_folder()}",
        f"cache          : {platformdirs.user_cache_dir(APP_NAME, APP_NAME)}",
    ]


def _desk() -> list[str]:
    try:
        config = load_config()
    except ConfigError as exc:
        return [f"réglages illisibles : {exc}"]
    if config is None:
        return ["pas encore configuré (l'assistant de premier démarrage n'a pas été terminé)"]
    return [
        f"base           : {'serveur partagé' if config.database_url else 'fichier local'}",
        f"département    : {config.departement or 'non renseigné'}",
        f"identifiant    : {config.login or 'non renseigné'}",
    ]


def _database(url: str | None) -> Iterable[str]:
    try:
        resolved = resolve_url(url)
    except RegulDataError as exc:
        return [str(exc)]
    lines = [f"adresse        : {redact(resolved)}"]
    if is_sqlite(resolved):
        path = sqlite_file(resolved)
        size = f"{path.stat().st_size / 1e6:.1f} Mo" if path.exists() else "absent"
        lines.append(f"fichier        : {path} ({size})")
        if not path.exists():
            return lines
    db = Database(resolved)
    try:
        db.check_reachable()
        state = schema_state(db)
        lines.append(
            f"schéma         : {state.current or 'vide'} (cette version attend {state.head})"
        )
        if not is_sqlite(resolved):
            with db.engine.connect() as connection:
                server = connection.execute(text("SHOW server_version")).scalar_one()
                tls = connection.execute(
                    text(
                        "SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
                    )
                ).one_or_none()
            lines.append(f"serveur        : PostgreSQL {server}")
            mode = resolved.query.get("sslmode") or "prefer, par défaut"
            lines.append(
                f"chiffrement    : TLS ({tls.version}, {tls.cipher}) ; sslmode {mode}"
                if tls is not None and tls.ssl
                else f"chiffrement    : aucun, connexion en clair ; sslmode {mode}"
            )
    except RegulDataError as exc:
        lines.append(f"état           : {exc}")
    finally:
        db.dispose()
    return lines
