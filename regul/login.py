"""Signing in: who the user is, checked by the database that will enforce what they may do.

On a local SQLite file the password is checked against the user's scrypt hash. On a shared
PostgreSQL server the server checks it: signing in is connecting as the user's own role, and
the principal is that role's user. The account that owns Régul's tables (it ran the
migrations) and has no user row acts as an administrator, since the database lets it do
everything anyway; it is how the first users of a shared server are created.
"""

from functools import cache

from sqlalchemy import URL, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from models.db import is_sqlite, redact
from models.enums import Role
from models.errors import AccessDeniedError, DatabaseUnavailableError
from models.passwords import hash_password, verify_password
from models.repositories.users import (
    InvalidUserError,
    has_user,
    list_users,
    local_password_hash,
    validate_login,
)
from models.session import Database
from regul.access import Principal, principal_for

WRONG_CREDENTIALS = "identifiant ou mot de passe incorrect"
_INSUFFICIENT_PRIVILEGE = "42501"


def authenticate(db: Database, login: str, password: str) -> Principal:
    """The user ``login`` if ``password`` is theirs and the account is active.

    A wrong login and a wrong password get the same message, so that trying logins tells
    nothing about which exist.
    """
    login = login.strip()
    if is_sqlite(db.url):
        return _authenticate_locally(db, login, password)
    try:
        validate_login(login)
    except InvalidUserError as exc:
        raise AccessDeniedError(WRONG_CREDENTIALS) from exc
    as_user = Database(user_url(db.url, login, password))
    try:
        try:
            with as_user.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise _refusal(as_user.url, login, exc) from exc
        return acting_principal(as_user, login)
    finally:
        as_user.dispose()


def user_url(url: URL, login: str, password: str) -> URL:
    """Where a signed-in user's work goes: on PostgreSQL, ``url`` connecting as their own
    role; a local file is the same file for everyone."""
    if is_sqlite(url):
        return url
    return url.set(username=login, password=password)


def needs_sign_in(db: Database) -> bool:
    """Whether a window must ask who is there: on a local file once it has users (before the
    first user is added, whoever opens it sets it up as administrator). On a shared server the
    server already knew the role it let in."""
    if not is_sqlite(db.url):
        return False
    with db.reader() as session:
        return bool(list_users(session))


def acting_principal(db: Database, claimed_login: str) -> Principal:
    """Who acts on ``db``: on SQLite the login claimed (the desk's own account or
    $REGUL_USER: a local file is only as private as its folder); on PostgreSQL the role the
    connection logged in as, whatever is claimed."""
    if is_sqlite(db.url):
        return principal_for(db, claimed_login)
    with db.reader() as session:
        role, owner = session.execute(
            text(
                "SELECT session_user, pg_has_role(session_user, c.relowner, 'USAGE') "
                "FROM pg_class c WHERE c.oid = 'users'::regclass"
            )
        ).one()
        try:
            known = has_user(session, role)
        except ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
                raise
            raise AccessDeniedError(
                f"le rôle PostgreSQL « {role} » n'est pas un utilisateur de Régul sur cette base"
            ) from exc
    if owner and not known:
        return Principal(role, Role.ADMIN)
    return principal_for(db, role)


def _authenticate_locally(db: Database, login: str, password: str) -> Principal:
    with db.reader() as session:
        stored = local_password_hash(session, login)
    # An unknown login costs the same time as a known one.
    if not verify_password(password, stored or _decoy_hash()) or stored is None:
        raise AccessDeniedError(WRONG_CREDENTIALS)
    return principal_for(db, login)  # refuses a disabled account, now that it is its owner


@cache
def _decoy_hash() -> str:
    return hash_password("pas un mot de passe")


def _refusal(url: URL, login: str, exc: OperationalError) -> Exception:
    """What the server's refusal to connect means for the user.

    libpq reports no error code for a failed connection, only the server's message, in the
    server's language: a refusal that names the login is about the login or its password.
    """
    reason = str(exc.orig).strip() if exc.orig else str(exc)
    named = f'"{login}"' in reason or f"« {login} »" in reason
    if "FATAL" in reason and named and "pg_hba" not in reason:
        if "permitted to log in" in reason or "autorisé à se connecter" in reason:
            return AccessDeniedError(_disabled(login))
        return AccessDeniedError(WRONG_CREDENTIALS)
    first_line = reason.splitlines()[0] if reason else type(exc).__name__
    return DatabaseUnavailableError(f"base de données injoignable : {redact(url)} ({first_line})")


def _disabled(login: str) -> str:
    return f"compte « {login} » désactivé : adressez-vous à un administrateur"
