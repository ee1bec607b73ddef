"""Copies of the local database: taken whole through SQLite's backup API (a live WAL
included), checked, readable by the user only, and put back with the replaced base kept."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import URL, make_url, text

from models.backup import backup_database, restore_database
from models.errors import BackupError
from models.migrate import upgrade
from models.session import Database
from regul.cli import main


@pytest.fixture
def local(tmp_path: Path) -> URL:
    url = make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite")
    db = Database(url)
    try:
        upgrade(db)
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO settings (key, value, version) VALUES ('k', '\"avant\"', 1)")
            )
    finally:
        db.dispose()
    return url


def _value(url: URL) -> str:
    db = Database(url)
    try:
        with db.engine.connect() as connection:
            return str(connection.execute(text("SELECT value FROM settings")).scalar_one())
    finally:
        db.dispose()


def test_a_copy_taken_while_another_connection_writes_holds_every_committed_row(
    local: URL, tmp_path: Path
) -> None:
    """The last write sits in the WAL, not yet in the file: a file copy would miss it."""
    writer = sqlite3.connect(str(local.database))
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE settings SET value = '\"dans le journal\"'")
    writer.commit()
    db = Database(local)
    try:
        copy = backup_database(db, tmp_path / "copies" / "lundi.sqlite")
    finally:
        db.dispose()
        writer.close()
    assert _value(make_url(f"sqlite+pysqlite:///{copy}")) == '"dans le journal"'
    if os.name == "posix":
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_restore_puts_the_copy_back_and_keeps_the_replaced_base(local: URL) -> None:
    db = Database(local)
    copy = backup_database(db)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE settings SET value = '\"après\"'"))
    aside = restore_database(db, copy)
    assert _value(local) == '"avant"'
    assert aside is not None and _value(make_url(f"sqlite+pysqlite:///{aside}")) == '"après"'


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"pas une base", "pas une base Régul"), (b"SQLite format 3\x00" + b"\x00" * 84, "illisible")],
)
def test_a_file_that_is_no_regul_copy_is_refused_and_nothing_changes(
    local: URL, tmp_path: Path, content: bytes, why: str
) -> None:
    bogus = tmp_path / "copie.sqlite"
    bogus.write_bytes(content)
    with pytest.raises(BackupError, match=why):
        restore_database(Database(local), bogus)
    assert _value(local) == '"avant"'


def test_a_copy_from_a_newer_regul_is_refused(local: URL, tmp_path: Path) -> None:
    db = Database(local)
    copy = backup_database(db, tmp_path / "futur.sqlite")
    future = sqlite3.connect(copy)
    future.execute("UPDATE alembic_version SET version_num = 'f00d_future'")
    future.commit()
    future.close()
    with pytest.raises(BackupError, match="plus récente"):
        restore_database(db, copy)
    assert _value(local) == '"avant"'


def test_backup_and_restore_from_the_command_line(
    local: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = local.render_as_string(hide_password=False)
    target = tmp_path / "copie.sqlite"
    assert main(["db", "backup", "--db", url, "--out", str(target)]) == 0
    assert "copie vérifiée" in capsys.readouterr().out
    assert main(["db", "restore", str(target), "--db", url]) == 0
    assert "gardée dans" in capsys.readouterr().out
    assert main(["db", "restore", str(tmp_path / "absente.sqlite"), "--db", url]) == 1
    assert "introuvable" in capsys.readouterr().err


def test_a_shared_server_is_backed_up_on_the_server(pg_schema_url: URL) -> None:
    with pytest.raises(BackupError, match="pg_dump"):
        backup_database(Database(pg_schema_url))
