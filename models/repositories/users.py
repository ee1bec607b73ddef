"""Users: logins, roles and passwords, and on PostgreSQL the database role behind each login.

On a local SQLite file the ``users`` row holds a scrypt hash of the password. On a shared
PostgreSQL server each user is also a LOGIN role of the same name, member of the group role of
its Régul role (``regul_group_role``, set by migration 0005); the server keeps the password
(SCRAM) and the row holds none. The row and the role change in the same transaction.

Who may call these is decided by the caller (``regul.access``); the invariants that keep a
database usable are kept here: the first user is an administrator, and the last active
administrator can be neither demoted nor disabled.
"""

import re
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models.enums import Role
from models.errors import NotFoundError, RegulDataError
from models.fleet import Carrier
from models.passwords import hash_password
from models.repositories.audit import record_action
from models.repositories.common import update
from models.users import User

MIN_PASSWORD_LENGTH = 12
# One spelling for the login and its PostgreSQL role: lower case, so that an unquoted name in
# psql means the same role, and at most 63 characters, PostgreSQL's limit for a name.
LOGIN_PATTERN = re.compile(r"[a-z][a-z0-9._-]{0,62}")
_RESERVED_LOGINS = frozenset({"public", "none", "current_user", "session_user", "current_role"})
_SCRAM_VERIFIER = re.compile(r"SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+")


class InvalidUserError(RegulDataError):
    """A login, password or role that cannot be given to a user."""


@dataclass(frozen=True)
class UserRecord:
    login: str
    display_name: str
    role: Role
    carrier_siret: str | None
    carrier_name: str | None
    active: bool


def validate_login(login: str) -> str:
    """``login`` if it can name a user and a PostgreSQL role, else :class:`InvalidUserError`."""
    if not LOGIN_PATTERN.fullmatch(login) or login in _RESERVED_LOGINS or login.startswith("pg_"):
        raise InvalidUserError(
            f"identifiant invalide : {login!r} (une minuscule puis minuscules, chiffres, « . », "
            "« _ » ou « - », 63 caractères au plus, sans « pg_ » au début)"
        )
    return login


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUserError(
            f"mot de passe trop court : {MIN_PASSWORD_LENGTH} caractères au moins"
        )


def list_users(session: Session) -> list[UserRecord]:
    rows = session.execute(
        select(User.login, User.display_name, User.role, Carrier.siret, Carrier.name, User.active)
        .outerjoin(Carrier, User.carrier_id == Carrier.id)
        .order_by(User.login)
    )
    return [UserRecord(*row) for row in rows]


def has_user(session: Session, login: str) -> bool:
    return session.scalar(select(User.id).where(User.login == login)) is not None


def local_password_hash(session: Session, login: str) -> str | None:
    """The password hash stored for ``login``; None for an unknown login or one without."""
    return session.scalar(select(User.password_hash).where(User.login == login))


def add_user(
    session: Session,
    login: str,
    role: Role,
    password: str,
    display_name: str | None = None,
    carrier_siret: str | None = None,
) -> UserRecord:
    """A new active user (and on PostgreSQL its login role, with ``password``)."""
    validate_login(login)
    validate_password(password)
    if not session.scalar(select(func.count()).select_from(User)) and role is not Role.ADMIN:
        raise InvalidUserError(
            "le premier utilisateur d'une base doit être un administrateur "
            "(sans lui, personne ne pourrait plus gérer les comptes)"
        )
    if has_user(session, login):
        raise InvalidUserError(f"l'utilisateur « {login} » existe déjà")
    carrier = _carrier_for(session, role, carrier_siret)
    on_server = _is_postgresql(session)
    if on_server and session.scalar(
        text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}
    ):
        raise InvalidUserError(
            f"un rôle PostgreSQL « {login} » existe déjà sur ce serveur : choisissez un autre "
            "identifiant"
        )
    user = User(
        login=login,
        display_name=(display_name or "").strip() or login,
        role=role,
        carrier_id=carrier.id if carrier else None,
        password_hash=None if on_server else hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    if on_server:
        group = _quoted(_group_role(session, role))
        session.connection().exec_driver_sql(
            f"CREATE ROLE {_quoted(login)} LOGIN {_role_attributes(role)} "
            f"PASSWORD {_verifier(session, login, password)} IN ROLE {group}"
        )
    return _record(user, carrier)


def change_role(
    session: Session, login: str, role: Role, carrier_siret: str | None = None
) -> UserRecord:
    """Give ``login`` another role (and carrier); its database role changes group with it."""
    user = _user(session, login)
    carrier = _carrier_for(session, role, carrier_siret)
    if user.role is Role.ADMIN and role is not Role.ADMIN:
        _keep_an_admin(session, user, "ne peut perdre son rôle")
    previous = user.role
    update(
        session,
        User,
        user.id,
        user.version,
        {"role": role, "carrier_id": carrier.id if carrier else None},
    )
    if _is_postgresql(session) and previous is not role:
        name = _quoted(login)
        connection = session.connection()
        connection.exec_driver_sql(f"REVOKE {_quoted(_group_role(session, previous))} FROM {name}")
        connection.exec_driver_sql(f"GRANT {_quoted(_group_role(session, role))} TO {name}")
        connection.exec_driver_sql(f"ALTER ROLE {name} {_role_attributes(role)}")
    return _record(user, carrier)


def set_password(session: Session, login: str, password: str) -> None:
    """A new password for ``login``, which on PostgreSQL any user may give its own role."""
    validate_password(password)
    if _is_postgresql(session):
        # Read no more of the row than a dispatcher changing its own password may.
        user_id = session.scalar(select(User.id).where(User.login == login))
        if user_id is None:
            raise NotFoundError(f"utilisateur « {login} » inconnu")
        session.connection().exec_driver_sql(
            f"ALTER ROLE {_quoted(login)} PASSWORD {_verifier(session, login, password)}"
        )
        # The row does not change, so the change is logged as an action.
        record_action(session, "password", User.__tablename__, str(user_id), login)
        return
    user = _user(session, login)
    update(session, User, user.id, user.version, {"password_hash": hash_password(password)})


def set_active(session: Session, login: str, active: bool) -> None:
    """Enable or disable ``login``; a disabled user can no longer sign in, and on PostgreSQL
    its role can no longer connect and its open sessions see no carrier's rows."""
    user = _user(session, login)
    if not active and user.role is Role.ADMIN:
        _keep_an_admin(session, user, "ne peut être désactivé")
    update(session, User, user.id, user.version, {"active": active})
    if _is_postgresql(session):
        session.connection().exec_driver_sql(
            f"ALTER ROLE {_quoted(login)} {'LOGIN' if active else 'NOLOGIN'}"
        )


def _user(session: Session, login: str) -> User:
    user = session.scalars(select(User).where(User.login == login)).one_or_none()
    if user is None:
        raise NotFoundError(f"utilisateur « {login} » inconnu")
    return user


def _carrier_for(session: Session, role: Role, siret: str | None) -> Carrier | None:
    if role is not Role.CARRIER_DISPATCHER:
        if siret is not None:
            raise InvalidUserError("seul un répartiteur de transporteur est lié à un transporteur")
        return None
    if siret is None:
        raise InvalidUserError("un répartiteur de transporteur doit être lié à son transporteur")
    carrier = session.scalars(select(Carrier).where(Carrier.siret == siret)).one_or_none()
    if carrier is None:
        raise NotFoundError(f"aucun transporteur de SIRET {siret}")
    return carrier


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active, User.id != user.id)
    )
    if not others:
        raise InvalidUserError(
            f"« {user.login} » est le dernier administrateur actif et {what} : "
            "nommez d'abord un autre administrateur"
        )


def _record(user: User, carrier: Carrier | None) -> UserRecord:
    return UserRecord(
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        carrier_siret=carrier.siret if carrier else None,
        carrier_name=carrier.name if carrier else None,
        active=user.active,
    )


# -- PostgreSQL roles --------------------------------------------------------------------------


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _group_role(session: Session, role: Role) -> str:
    group = session.scalar(text("SELECT regul_group_role(:role)"), {"role": role.value})
    assert isinstance(group, str), f"no group role for {role}"
    return group


def _role_attributes(role: Role) -> str:
    # An administrator creates and alters the other users' roles.
    return "CREATEROLE" if role is Role.ADMIN else "NOCREATEROLE"


def _verifier(session: Session, login: str, password: str) -> str:
    """The password as a quoted SCRAM verifier, computed here by libpq: the password itself
    never reaches the server, nor its statement log."""
    connection = session.connection().connection.driver_connection
    assert connection is not None
    verifier = connection.pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    ).decode("ascii")
    if not _SCRAM_VERIFIER.fullmatch(verifier):
        raise ValueError("libpq returned an unexpected password verifier")
    return f"'{verifier}'"


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
