"""Copies of a local database: taken before a migration, on demand (``regul db backup``), and
put back (``regul db restore``).

Copies go through ``models.sqlite_files``; a restore first copies aside what it replaces.
"""

import sqlite3
from pathlib import Path

from models.db import is_sqlite, redact, sqlite_file
from models.errors import BackupError
from models.migrate import is_known_revision
from models.session import Database
from models.sqlite_files import check_sqlite, copy_sqlite, stamped


def local_file(db: Database) -> Path:
    if not is_sqlite(db.url):
        raise BackupError(
            f"{redact(db.url)} est un serveur partagé : sa sauvegarde se fait sur le serveur "
            "(pg_dump), pas depuis un poste"
        )
    return sqlite_file(db.url)


def backup_database(db: Database, target: Path | None = None) -> Path:
    """Copy the local database to ``target`` (default: beside it, stamped), then check it."""
    path = local_file(db)
    if not path.exists():
        raise BackupError(f"{path} : la base locale n'existe pas encore")
    copy = copy_sqlite(path, target or stamped(path, "sauvegarde"))
    check_sqlite(copy)
    return copy


def restore_database(db: Database, source: Path) -> Path | None:
    """Put the copy ``source`` in place of the local database; returns where the database as
    it was has been copied first (None: there was none). The copy must be whole, a Régul
    database, and of a schema this Régul knows (an older one is migrated at the next start)."""
    path = local_file(db)
    check_sqlite(source)
    revision = _revision_of(source)
    if revision is None:
        raise BackupError(f"{source} : ce n'est pas une base Régul (pas de schéma)")
    if not is_known_revision(revision):
        raise BackupError(
            f"{source} : sauvegarde d'une version plus récente de Régul (schéma {revision}) : "
            "installez la dernière version de Régul avant de la restaurer"
        )
    db.dispose()  # no connection of ours may hold the file while it is replaced
    aside = copy_sqlite(path, stamped(path, "avant-restauration")) if path.exists() else None
    copy_sqlite(source, path)
    return aside


def _revision_of(path: Path) -> str | None:
    """The schema revision stored in a SQLite file, read without writing to it."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if found is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        connection.close()
