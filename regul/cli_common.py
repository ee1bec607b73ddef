"""What every ``regul`` command shares: argument parsing that fails in one line, the database,
and who is acting."""

import argparse
import getpass
import os
import sys
from datetime import date
from typing import NoReturn

from models.db import resolve_url
from models.session import Database

EXIT_ERROR = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (voir « {self.prog} --help »)")


def open_database(explicit_url: str | None) -> Database:
    db = Database(resolve_url(explicit_url))
    db.check_reachable()
    return db


def current_actor() -> str:
    """Who the command acts as, for the audit log: $REGUL_USER, else the system login."""
    return os.environ.get("REGUL_USER") or getpass.getuser()


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"date invalide {text!r} (attendu AAAA-MM-JJ)") from exc


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"nombre positif attendu, pas {value}")
    return value


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
