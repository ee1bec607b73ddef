"""``regul users …``: accounts, their roles and passwords; an administrator's job.

A database without any user is being set up: whoever runs the command acts as administrator,
and the first account created must be an administrator's. From then on only an administrator
manages accounts (each user may still change their own password). On a local file the acting
user is $REGUL_USER, else the system login; on PostgreSQL it is the role the command connects as.
"""

import argparse
import getpass
import sys
from collections.abc import Callable

from models.db import is_sqlite
from models.enums import Role
from models.repositories.users import (
    InvalidUserError,
    UserRecord,
    add_user,
    change_role,
    list_users,
    set_active,
    set_password,
    validate_login,
)
from regul.access import require
from regul.cli_common import EXIT_USAGE, Parser, fail, open_signed_in

ROLES = {"admin": Role.ADMIN, "regulator": Role.REGULATOR, "carrier": Role.CARRIER_DISPATCHER}
_ROLE_OPTIONS = {role: option for option, role in ROLES.items()}
_MANAGE = "gérer les comptes des utilisateurs"


def add_users_commands(commands: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    group = commands.add_parser("users", help="comptes des utilisateurs et leurs rôles")
    group.set_defaults(
        handler=lambda _args: fail(
            "action attendue : add, list, grant, passwd, disable ou enable", EXIT_USAGE
        )
    )
    actions = group.add_subparsers(title="actions", metavar="ACTION")

    add = actions.add_parser("add", parents=[database], help="créer un compte")
    add.add_argument("login", metavar="IDENTIFIANT")
    _role_arguments(add)
    add.add_argument("--name", help="nom affiché (défaut : l'identifiant)")
    _password_argument(add)
    add.set_defaults(handler=_usage_errors(_add))

    listing = actions.add_parser("list", parents=[database], help="lister les comptes")
    listing.set_defaults(handler=_usage_errors(_list))

    grant = actions.add_parser("grant", parents=[database], help="changer le rôle d'un compte")
    grant.add_argument("login", metavar="IDENTIFIANT")
    _role_arguments(grant)
    grant.set_defaults(handler=_usage_errors(_grant))

    passwd = actions.add_parser("passwd", parents=[database], help="changer un mot de passe")
    passwd.add_argument("login", metavar="IDENTIFIANT")
    _password_argument(passwd)
    passwd.set_defaults(handler=_usage_errors(_passwd))

    for action, about, active in (
        ("disable", "désactiver un compte (il ne peut plus se connecter)", False),
        ("enable", "réactiver un compte", True),
    ):
        toggle = actions.add_parser(action, parents=[database], help=about)
        toggle.add_argument("login", metavar="IDENTIFIANT")
        toggle.set_defaults(handler=_usage_errors(_toggle), active=active)


def _role_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--role",
        required=True,
        choices=tuple(ROLES),
        help="admin (administrateur), regulator (régulateur) ou carrier (répartiteur d'un "
        "transporteur)",
    )
    parser.add_argument("--carrier", metavar="SIRET", help="le transporteur d'un répartiteur")


def _password_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="lire le mot de passe sur l'entrée standard (une ligne) au lieu de le demander",
    )


def _usage_errors(
    handler: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except InvalidUserError as exc:
            return fail(str(exc), EXIT_USAGE)

    return run


def _add(args: argparse.Namespace) -> int:
    validate_login(args.login)
    role = ROLES[args.role]
    db, principal = open_signed_in(args.db)
    try:
        require(principal, Role.ADMIN, action=_MANAGE)
        password = _new_password(args.password_stdin)
        with db.transaction(principal.login) as session:
            first = not list_users(session)
            user = add_user(session, args.login, role, password, args.name, args.carrier)
    finally:
        db.dispose()
    print(f"Compte « {user.login} » créé : {_describe(user)}")
    if first:
        how = (
            f"REGUL_USER={user.login}"
            if is_sqlite(db.url)
            else f"une connexion en tant que « {user.login} »"
        )
        print(f"Premier compte de la base : les comptes se gèrent désormais avec {how}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        require(principal, Role.ADMIN, action=_MANAGE)
        with db.reader() as session:
            users = list_users(session)
    finally:
        db.dispose()
    if not users:
        print("Aucun compte : la base est ouverte à tous jusqu'au premier (regul users add).")
    for user in users:
        state = "actif" if user.active else "désactivé"
        print(f"{user.login:<24} {state:<10} {_describe(user)}")
    return 0


def _grant(args: argparse.Namespace) -> int:
    role = ROLES[args.role]
    db, principal = open_signed_in(args.db)
    try:
        require(principal, Role.ADMIN, action=_MANAGE)
        with db.transaction(principal.login) as session:
            user = change_role(session, args.login, role, args.carrier)
    finally:
        db.dispose()
    print(f"Compte « {user.login} » : {_describe(user)}")
    return 0


def _passwd(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        if principal.login != args.login:
            require(principal, Role.ADMIN, action=_MANAGE)
        password = _new_password(args.password_stdin)
        with db.transaction(principal.login) as session:
            set_password(session, args.login, password)
    finally:
        db.dispose()
    print(f"Mot de passe de « {args.login} » changé.")
    return 0


def _toggle(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        require(principal, Role.ADMIN, action=_MANAGE)
        with db.transaction(principal.login) as session:
            set_active(session, args.login, args.active)
    finally:
        db.dispose()
    print(f"Compte « {args.login} » {'réactivé' if args.active else 'désactivé'}.")
    return 0


def _describe(user: UserRecord) -> str:
    role = _ROLE_OPTIONS[user.role]
    carrier = f" de {user.carrier_name} (SIRET {user.carrier_siret})" if user.carrier_siret else ""
    return f"{role}{carrier}, « {user.display_name} »"


def _new_password(from_stdin: bool) -> str:
    """The new password, from one line of standard input or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidUserError(
            "mot de passe attendu : lancez la commande dans un terminal, ou donnez --password-stdin"
        )
    password = getpass.getpass("Nouveau mot de passe : ")
    if getpass.getpass("Le même, pour confirmer : ") != password:
        raise InvalidUserError("les deux saisies du mot de passe diffèrent")
    return password
