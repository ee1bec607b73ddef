"""What every ``regul`` command shares: argument parsing that fails in one line, the database,
and who is acting."""

import argparse
import getpass
import os
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import platformdirs

from models.db import APP_NAME, is_sqlite, resolve_url
from models.migrate import ensure_current
from models.session import Database
from regul.access import Principal
from regul.config import configured_url, load_config
from regul.login import acting_principal

EXIT_ERROR = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (voir « {self.prog} --help »)")


def road_cache() -> Path:
    """Where the OSRM server's figures are kept between runs: the user's cache folder."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_NAME))


def open_database(explicit_url: str | None) -> Database:
    """``--db``, else $REGUL_DB, else the database this desk was set up with, else the local
    file."""
    db = Database(resolve_url(configured_url(explicit_url, load_config())))
    db.on_retry = lambda message: print(f"regul: {message}", file=sys.stderr)
    db.check_reachable()
    return db


def current_actor() -> str:
    """Who the command acts as, for the audit log: $REGUL_USER, else the system login."""
    return os.environ.get("REGUL_USER") or getpass.getuser()


def open_signed_in(url: str | None) -> tuple[Database, Principal]:
    """The database at its current schema, and who this command acts as there (see
    :func:`regul.login.acting_principal`); the database is closed again if either fails."""
    db = open_database(url)
    try:
        ensure_current(db)
        return db, acting_principal(db, current_actor())
    except BaseException:
        db.dispose()
        raise


def audit_actor(db: Database) -> str:
    """The name a command's writes are audited under: on PostgreSQL the role the connection
    signed in as, as :func:`regul.login.acting_principal` finds it (the server takes history
    only in that name); on a local file :func:`current_actor`, whether or not an account."""
    if is_sqlite(db.url):
        return current_actor()
    return acting_principal(db, current_actor()).login


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"date invalide {text!r} (attendu AAAA-MM-JJ)") from exc


def positive_int(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"nombre positif attendu, pas {value}")
    return value


def non_negative_int(text: str) -> int:
    value = _integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"nombre positif ou nul attendu, pas {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas {text!r}") from exc


def positive_float(text: str) -> float:
    value = _number(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"nombre positif attendu, pas {text}")
    return value


def non_negative_float(text: str) -> float:
    value = _number(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"nombre positif ou nul attendu, pas {text}")
    return value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"nombre attendu, pas {text!r}") from exc


def fail(message: str, code: int) -> int:
    print(f"regul: {message}", file=sys.stderr)
    return code
