"""An open database and its units of work: explicit transactions that name who acts."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import URL, Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from models import auditing
from models.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, redact
from models.errors import (
    ConflictError,
    DatabaseBusyError,
    DatabaseUnavailableError,
    MissingActorError,
)

_CONFLICT = (
    "ces données ont été modifiées par un autre poste depuis leur lecture : "
    "rechargez puis refaites la modification"
)
_SQLITE_BUSY_SNAPSHOT = 517
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


class Database:
    """One database (SQLite file or PostgreSQL server) and the sessions opened on it."""

    def __init__(self, url: URL, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        auditing.install(self._sessions)

    def __repr__(self) -> str:
        return f"Database({redact(self.url)})"

    def check_reachable(self) -> None:
        """Fail with one clear message if the server or file cannot be opened."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailableError(
                f"base de données injoignable : {redact(self.url)} ({reason})"
            ) from exc

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Session]:
        """A session whose work commits at the end of the block, all or nothing.

        ``actor`` (a login, or ``system:<job>``) is written to the audit log with every change.
        A row changed by another desk since it was read raises :class:`ConflictError`.
        """
        if not actor:
            raise MissingActorError("toute écriture doit être attribuée à un utilisateur")
        with self._sessions() as session:
            session.info[auditing.ACTOR_KEY] = actor
            try:
                with session.begin():
                    yield session
            except StaleDataError as exc:
                raise ConflictError(_CONFLICT) from exc
            except OperationalError as exc:
                code = getattr(exc.orig, "sqlite_errorcode", None)
                if code == _SQLITE_BUSY_SNAPSHOT:
                    # SQLite's form of the same conflict: this desk read a snapshot that another
                    # desk has since written over, so its write cannot be applied.
                    raise ConflictError(_CONFLICT) from exc
                if code in _SQLITE_BUSY:
                    raise DatabaseBusyError(
                        "la base est occupée par un autre poste depuis plus de "
                        f"{SQLITE_BUSY_TIMEOUT_MS // 1000} s : réessayez"
                    ) from exc
                raise

    def rehearsal(self) -> "Database":
        """This database for a dry run: reads as usual, and every transaction's writes are
        checked by the database (constraints, versions) then rolled back."""
        return _Rehearsal(self.url, self.engine)

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading; any attempt to write through it fails for want of an actor."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


class _Rehearsal(Database):
    @contextmanager
    def transaction(self, actor: str) -> Iterator[Session]:
        with super().transaction(actor) as session:
            yield session
            session.flush()  # let the database refuse what it would refuse for real
            session.rollback()
