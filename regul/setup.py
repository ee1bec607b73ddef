"""Setting a desk up: which database, who works there, the centre's département, a demo day.

The first-run wizard and ``regul setup`` both call this. ``probe`` looks at a database without
changing it (reachable? schema empty, behind, current or newer than this Régul? who does the
connection act as, may it migrate?); ``apply_setup`` does the chosen steps in order and writes
the desk's settings last, so that a desk whose set-up failed half way is asked again.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from sqlalchemy import URL, func, select, text

from models.db import is_sqlite, local_url, redact
from models.enums import Role
from models.errors import SchemaTooNewError
from models.migrate import UpgradeReport, schema_state, upgrade
from models.repositories.users import add_user, list_users
from models.requests import TransportRequest
from models.session import Database
from planning.departements import Departement
from planning.optimiser import SolveParams
from regul.access import Principal
from regul.centre import centre_departement, set_centre_departement
from regul.config import DeskConfig, save_config
from regul.demo import build_demo_day, demo_folder, load_demo_day
from regul.login import acting_principal
from regul.planning_run import plan_day

_log = logging.getLogger(__name__)
DEMO_REQUESTS = 300
DEMO_PLAN_SECONDS = 20


class SchemaStatus(Enum):
    EMPTY = "empty"
    OUTDATED = "outdated"
    CURRENT = "current"
    TOO_NEW = "too_new"


@dataclass(frozen=True)
class Probe:
    url: URL
    status: SchemaStatus
    schema: str | None
    message: str  # one French sentence on what was found
    principal: Principal | None  # on a server: who the connection acts as (None: schema empty)
    may_migrate: bool
    has_users: bool
    requests: int
    departement: str = ""  # the centre's, when another desk already chose it

    @property
    def usable(self) -> bool:
        """Whether a desk can work on it, after migrating if need be."""
        if self.status is SchemaStatus.TOO_NEW:
            return False
        return self.status is SchemaStatus.CURRENT or self.may_migrate


def probe(url: URL, claimed_login: str) -> Probe:
    """Look at the database at ``url``; raises DatabaseUnavailableError when it cannot be opened."""
    db = Database(url)
    try:
        db.check_reachable()
        try:
            state = schema_state(db)
        except SchemaTooNewError as exc:
            return Probe(url, SchemaStatus.TOO_NEW, None, str(exc), None, False, False, 0)
        local = is_sqlite(url)
        may_migrate = local or _may_migrate(db)
        if state.current is None:
            status = SchemaStatus.EMPTY
            message = "base vide : Régul y créera ses tables"
            if not may_migrate:
                message = (
                    "base vide, et ce compte ne peut pas y créer les tables de Régul : un "
                    "administrateur du serveur doit le faire (« regul db upgrade »)"
                )
            return Probe(url, status, None, message, None, may_migrate, False, 0)
        principal = None if local else acting_principal(db, claimed_login)
        carrier = principal is not None and principal.is_carrier  # sees its own rows only
        with db.reader() as session:
            has_users = bool(list_users(session)) if state.up_to_date else False
            requests = (
                0
                if carrier
                else session.scalar(select(func.count()).select_from(TransportRequest)) or 0
            )
            departement = centre_departement(session) if state.up_to_date and not carrier else ""
        if state.up_to_date:
            status, message = SchemaStatus.CURRENT, f"base à jour, {requests} demandes de transport"
        else:
            status = SchemaStatus.OUTDATED
            message = f"base au schéma {state.current}, à mettre à jour vers {state.head}" + (
                " (une copie de sauvegarde sera faite avant)"
                if local
                else ""
                if may_migrate
                else " : un administrateur doit lancer « regul db upgrade »"
            )
        return Probe(
            url,
            status,
            state.current,
            message,
            principal,
            may_migrate,
            has_users,
            requests,
            departement,
        )
    finally:
        db.dispose()


def _may_migrate(db: Database) -> bool:
    """On a server: may this role create Régul's tables and group roles, or change them?"""
    with db.engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT r.rolsuper OR (r.rolcreaterole "
                    "AND has_schema_privilege(current_user, "
                    "coalesce(current_schema(), 'public'), 'CREATE') "
                    "AND (to_regclass('users') IS NULL OR pg_has_role(current_user, "
                    "(SELECT relowner FROM pg_class WHERE oid = to_regclass('users')), 'USAGE'))) "
                    "FROM pg_roles r WHERE r.rolname = current_user"
                )
            ).scalar()
        )


@dataclass(frozen=True)
class FirstAccount:
    """The administrator account created on a local file that has none yet."""

    login: str
    password: str
    display_name: str = ""


@dataclass(frozen=True)
class DeskSetup:
    url: URL | None  # None: the local file in the user's data folder
    departement: Departement
    actor: str  # who does the set-up, for the audit log
    account: FirstAccount | None = None
    demo: bool = False
    demo_date: date | None = None
    login: str | None = None  # who will sign in, when no account is created
    demo_requests: int = DEMO_REQUESTS
    demo_plan_seconds: int = DEMO_PLAN_SECONDS


@dataclass(frozen=True)
class SetupReport:
    url: URL
    migrated: UpgradeReport
    account: str | None
    demo_requests: int
    demo_served: int
    config_file: Path


Progress = Callable[[str], None]


def apply_setup(setup: DeskSetup, progress: Progress = lambda _step: None) -> SetupReport:
    url = setup.url or local_url()
    db = Database(url)
    try:
        db.check_reachable()
        progress("Mise à jour du schéma de la base…")
        migrated = upgrade(db)
        actor = setup.account.login if setup.account else setup.actor
        if setup.account is not None:
            progress("Création du compte administrateur…")
            with db.transaction(actor) as session:
                add_user(
                    session,
                    setup.account.login,
                    Role.ADMIN,
                    setup.account.password,
                    setup.account.display_name or None,
                )
        if is_sqlite(url) or not acting_principal(db, actor).is_carrier:
            with db.transaction(actor) as session:  # a carrier's desk keeps its own choice
                set_centre_departement(session, setup.departement.code)
        demo_requests = demo_served = 0
        if setup.demo:
            progress("Chargement de la journée de démonstration…")
            day = build_demo_day(setup.demo_date, setup.demo_requests, seed=1)
            load = load_demo_day(db, day, demo_folder(), actor)
            demo_requests = load.summary.requests
            progress("Planification de la journée de démonstration…")
            planned = plan_day(
                db,
                day.service_date,
                SolveParams(time_limit_s=setup.demo_plan_seconds, seed=1),
                actor,
            )
            demo_served = sum(len(route.requests) for route in planned.plan.routes)
    finally:
        db.dispose()
    stored = None if setup.url is None else _without_password(setup.url)
    config = DeskConfig(
        database_url=stored.render_as_string(hide_password=False) if stored else None,
        departement=setup.departement.code,
        login=setup.account.login if setup.account else setup.login or _login_of(url, setup.actor),
    )
    path = save_config(config)
    _log.info(
        "poste configuré : base %s, schéma %s, département %s, démo %s",
        redact(url),
        migrated.current,
        setup.departement.code,
        "oui" if setup.demo else "non",
    )
    account = setup.account.login if setup.account else None
    return SetupReport(url, migrated, account, demo_requests, demo_served, path)


def _without_password(url: URL) -> URL:
    # URL.set(password=None) would keep the password: None there means "unchanged"
    return URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    )


def _login_of(url: URL, actor: str) -> str:
    return url.username if not is_sqlite(url) and url.username else actor
