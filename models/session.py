"""An open database and its units of work: explicit transactions that name who acts.

Whatever the driver says when the database cannot be reached or written (a server restarted,
a file locked, read-only or on a full disk) comes out of here as one of the typed errors of
:mod:`models.errors`, with a message a user can act on.
"""

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import URL, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from models import auditing
from models.db import SQLITE_BUSY_TIMEOUT_MS, is_sqlite, make_engine, redact, sqlite_file
from models.errors import (
    ConflictError,
    ConnectionLostError,
    DatabaseBusyError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DiskFullError,
    MissingActorError,
    RegulDataError,
)

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

_CONFLICT = (
    "ces données ont été modifiées par un autre poste depuis leur lecture : "
    "rechargez puis refaites la modification"
)
_CROSSED = (
    "cette modification s'est croisée avec celle d'un autre poste et n'a pas été enregistrée : "
    "rechargez puis refaites-la"
)
_SQLITE_BUSY_SNAPSHOT = 517
# PostgreSQL: deadlock detected, serialization failure
_PG_CROSSED = ("40P01", "40001")
# primary result codes (SQLite reports extended ones, whose low byte is the primary)
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_READONLY = 8
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
# PostgreSQL: connection exceptions (class 08), and the server shutting down, crashed, or not
# yet accepting connections (57P01-03). libpq gives a refused connection no SQLSTATE at all.
_PG_GONE = ("08", "57P01", "57P02", "57P03")
# Waits between the attempts of a retried transaction: long enough to span a server's restart,
# short enough that a user at a terminal is not left wondering (about 15 s in all).
RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0, 8.0)


class Database:
    """One database (SQLite file or PostgreSQL server) and the sessions opened on it."""

    def __init__(self, url: URL, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        auditing.install(self._sessions)
        # told, in French, each time :meth:`retrying` waits for a lost server (a terminal prints it)
        self.on_retry: Callable[[str], None] | None = None

    def __repr__(self) -> str:
        return f"Database({redact(self.url)})"

    def check_reachable(self) -> None:
        """Fail with one clear message if the server or file cannot be opened."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            typed = data_error(exc, self.url)
            if typed is not None and not isinstance(typed, ConnectionLostError):
                raise typed from exc
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailableError(
                f"base de données injoignable : {redact(self.url)} ({reason})"
            ) from exc

    def check_writable(self) -> None:
        """Fail with one clear message if a local file, or its folder, cannot be written: a
        desk would otherwise open and only learn it at its first save."""
        if not is_sqlite(self.url):
            return
        path = sqlite_file(self.url)
        if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise _read_only(path)

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """Driver errors of work done on :attr:`engine` directly (migrations) as typed ones."""
        try:
            yield
        except DBAPIError as exc:
            typed = data_error(exc, self.url)
            if typed is None:
                raise
            raise typed from exc

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Session]:
        """A session whose work commits at the end of the block, all or nothing.

        ``actor`` (a login, or ``system:<job>``) is written to the audit log with every change.
        A row changed by another desk since it was read raises :class:`ConflictError`; a server
        lost on the way raises :class:`ConnectionLostError`, ``in_doubt`` only when the link
        broke while the commit itself was on its way.
        """
        if not actor:
            raise MissingActorError("toute écriture doit être attribuée à un utilisateur")
        committing = False
        with self._sessions() as session:
            session.info[auditing.ACTOR_KEY] = actor
            try:
                with session.begin():
                    yield session
                    session.flush()  # what fails here was certainly not saved
                    committing = True
            except StaleDataError as exc:
                raise ConflictError(_CONFLICT) from exc
            except DBAPIError as exc:
                code = getattr(exc.orig, "sqlite_errorcode", None)
                if code == _SQLITE_BUSY_SNAPSHOT:
                    # SQLite's form of the same conflict: this desk read a snapshot that another
                    # desk has since written over, so its write cannot be applied.
                    raise ConflictError(_CONFLICT) from exc
                if getattr(exc.orig, "sqlstate", None) in _PG_CROSSED:
                    # The server undid this transaction because it crossed another desk's:
                    # nothing of it is saved, and redoing it on fresh data is what resolves it.
                    raise ConflictError(_CROSSED) from exc
                typed = data_error(exc, self.url, committing)
                if typed is None:
                    raise
                raise typed from exc

    def retrying(self, actor: str, work: Callable[[Session], _T]) -> _T:
        """``work`` in a transaction, run again from the start in a new one when the server
        was lost before anything was committed (a restart takes a few seconds); on SQLite,
        once.

        ``work`` must begin by resetting whatever it builds besides the database, since an
        attempt may be cut off half way. A commit left in doubt is not retried: it is reported,
        so that nothing is done twice behind the user's back.
        """
        for delay in (*RETRY_DELAYS_S, None):
            try:
                with self.transaction(actor) as session:
                    return work(session)
            except DatabaseUnavailableError as exc:
                in_doubt = isinstance(exc, ConnectionLostError) and exc.in_doubt
                # a local file that cannot be opened will not come back by itself
                if in_doubt or delay is None or is_sqlite(self.url):
                    raise
                _log.warning("%s : nouvel essai dans %s s", type(exc).__name__, delay)
                if self.on_retry is not None:
                    self.on_retry(
                        f"connexion à la base perdue, rien n'est enregistré : nouvel essai dans "
                        f"{delay:g} s"
                    )
            time.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def rehearsal(self) -> "Database":
        """This database for a dry run: reads as usual, and every transaction's writes are
        checked by the database (constraints, versions) then rolled back."""
        rehearsal = _Rehearsal(self.url, self.engine)
        rehearsal.on_retry = self.on_retry
        return rehearsal

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading; any attempt to write through it fails for want of an actor."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            typed = data_error(exc, self.url)
            if typed is None:
                raise
            raise typed from exc

    def dispose(self) -> None:
        self.engine.dispose()


class _Rehearsal(Database):
    @contextmanager
    def transaction(self, actor: str) -> Iterator[Session]:
        with super().transaction(actor) as session:
            yield session
            session.flush()  # let the database refuse what it would refuse for real
            session.rollback()


def data_error(exc: DBAPIError, url: URL, committing: bool = False) -> RegulDataError | None:
    """What a driver's error means for the user, when it is about reaching or writing the
    database at all (None for anything else, such as a broken constraint: a bug to report)."""
    if is_sqlite(url):
        return _sqlite_error(exc, url)
    sqlstate = getattr(exc.orig, "sqlstate", None)
    gone = exc.connection_invalidated or sqlstate is None or sqlstate.startswith(_PG_GONE)
    if not isinstance(exc, OperationalError) or not gone:
        return None
    if committing:
        return ConnectionLostError(
            f"la connexion au serveur {redact(url)} a été perdue pendant l'enregistrement : "
            "il n'est peut-être pas fait ; vérifiez, puis refaites l'opération si besoin",
            in_doubt=True,
        )
    return ConnectionLostError(
        f"la connexion au serveur {redact(url)} a été perdue : rien n'a été enregistré ; "
        "refaites l'opération une fois le serveur revenu"
    )


def _sqlite_error(exc: DBAPIError, url: URL) -> RegulDataError | None:
    code = getattr(exc.orig, "sqlite_errorcode", None)
    if code is None:
        return None
    where = sqlite_file(url)
    primary = code & 0xFF
    if primary in _SQLITE_BUSY:
        return DatabaseBusyError(
            f"la base {where} est occupée par un autre poste ou programme depuis plus de "
            f"{SQLITE_BUSY_TIMEOUT_MS // 1000} s : rien n'a été enregistré ; réessayez"
        )
    if primary == _SQLITE_READONLY:
        return _read_only(where)
    if primary == _SQLITE_FULL:
        return DiskFullError(
            f"disque plein : la base {where} ne peut plus grandir ; rien n'a été enregistré, "
            "libérez de la place puis refaites l'opération"
        )
    if primary == _SQLITE_CANTOPEN:
        if where.exists() and not os.access(where.parent, os.W_OK):
            return _read_only(where)  # SQLite cannot create its journal beside the file
        return DatabaseUnavailableError(
            f"impossible d'ouvrir la base {where} : le fichier et son dossier doivent exister "
            "et vous être accessibles en écriture"
        )
    return None


def _read_only(path: Path) -> DatabaseReadOnlyError:
    return DatabaseReadOnlyError(
        f"la base {path} est en lecture seule (droits du fichier ou de son dossier, ou disque "
        "protégé) : rien n'y est enregistré ; demandez l'accès en écriture ou ouvrez une copie"
    )
