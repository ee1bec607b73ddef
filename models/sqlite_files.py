"""Copying a SQLite file safely: through SQLite's own backup API (copying the file beside a
live write-ahead log can give a copy SQLite then calls malformed), readable by its user only,
and checked whole before it is trusted."""

import os
import sqlite3
from pathlib import Path

from models.errors import BackupError
from models.timezone import now


def copy_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of the SQLite file ``source`` (its WAL included) at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    origin = sqlite3.connect(source)
    try:
        copy = sqlite3.connect(target)
        try:
            origin.backup(copy)
        finally:
            copy.close()
    finally:
        origin.close()
    return target


def check_sqlite(path: Path) -> None:
    """Raise BackupError unless ``path`` is a whole, readable SQLite database."""
    if not path.is_file():
        raise BackupError(f"{path} : fichier introuvable")
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} : ce n'est pas une base Régul (fichier SQLite attendu)")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} : base illisible ({exc})") from exc
    finally:
        connection.close()
    if verdict != "ok":
        raise BackupError(f"{path} : base endommagée ({verdict})")


def stamped(path: Path, label: str) -> Path:
    """``regul.sqlite`` → ``regul.<label>-<timestamp>.sqlite`` beside it."""
    return path.with_name(f"{path.stem}.{label}-{now():%Y%m%d-%H%M%S}{path.suffix}")
