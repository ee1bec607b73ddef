"""Who may do what: the user's role, enforced by the application on every backend.

On a shared PostgreSQL server the database enforces the same boundaries with its own roles and
row-level security; on a single-desk SQLite file these checks are the only ones.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from models.enums import Role
from models.errors import AccessDeniedError
from models.fleet import Carrier
from models.session import Database
from models.users import User

_ROLE_NAMES = {
    Role.ADMIN: "administrateur",
    Role.REGULATOR: "régulateur",
    Role.CARRIER_DISPATCHER: "répartiteur de transporteur",
}


@dataclass(frozen=True)
class Principal:
    """The user acting, as the application knows them."""

    login: str
    role: Role
    carrier_siret: str | None = None  # a carrier dispatcher's own carrier

    @property
    def is_carrier(self) -> bool:
        return self.role is Role.CARRIER_DISPATCHER


def principal_for(db: Database, login: str) -> Principal:
    """The active user ``login``. A database without any user yet is a desk being set up:
    whoever opens it acts as administrator until the first user is added."""
    with db.reader() as session:
        if not session.scalar(select(func.count()).select_from(User)):
            return Principal(login, Role.ADMIN)
        row = session.execute(
            select(User.role, User.active, Carrier.siret)
            .outerjoin(Carrier, User.carrier_id == Carrier.id)
            .where(User.login == login)
        ).one_or_none()
    if row is None:
        raise AccessDeniedError(f"utilisateur « {login} » inconnu de cette base")
    role, active, siret = row
    if not active:
        raise AccessDeniedError(f"compte « {login} » désactivé")
    return Principal(login, role, siret)


def require(principal: Principal, *roles: Role, action: str) -> None:
    """Refuse ``action`` (in French, for the message) to a role not among ``roles``."""
    if principal.role not in roles:
        raise AccessDeniedError(
            f"{action} : non autorisé pour un {_ROLE_NAMES[principal.role]} ({principal.login})"
        )


def require_carrier(principal: Principal, carrier_siret: str, action: str) -> None:
    """A carrier dispatcher acts on its own carrier's missions only; regulators on all."""
    if principal.is_carrier and principal.carrier_siret != carrier_siret:
        raise AccessDeniedError(
            f"{action} : mission d'un autre transporteur ({principal.login} ne répond que pour "
            f"le SIRET {principal.carrier_siret})"
        )
