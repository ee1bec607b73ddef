"""``regul setup`` and ``regul diagnostics``: what the first-run wizard and the Aide menu do,
for a desk set up by script or a support call taken in a terminal."""

import argparse

from models.db import redact, resolve_url
from planning.departements import departement
from regul.cli_common import (
    EXIT_ERROR,
    EXIT_USAGE,
    Parser,
    current_actor,
    fail,
    parse_date,
)
from regul.config import configured_url, load_config
from regul.diagnostics import diagnostics
from regul.setup import DeskSetup, apply_setup, probe


def add_setup_commands(commands: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    setup = commands.add_parser(
        "setup",
        help="configurer ce poste : sa base (fichier local ou serveur partagé), le département "
        "du centre, une journée de démonstration",
    )
    where = setup.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", action="store_true", help="le fichier local de l'utilisateur")
    where.add_argument("--db", metavar="URL", help="une base partagée (postgresql://…)")
    setup.add_argument(
        "--departement", required=True, metavar="CODE", help="département du centre (59, 2A…)"
    )
    setup.add_argument("--demo", action="store_true", help="charger la journée de démonstration")
    setup.add_argument("--date", type=parse_date, help="jour de la démonstration (AAAA-MM-JJ)")
    setup.set_defaults(handler=_setup)

    report = commands.add_parser(
        "diagnostics",
        parents=[database],
        help="versions, dossiers, état de la base et fin du journal, à envoyer au support",
    )
    report.set_defaults(handler=_diagnostics)


def _setup(args: argparse.Namespace) -> int:
    chosen = departement(args.departement)
    if chosen is None:
        return fail(f"département inconnu : {args.departement!r} (59, 2A, 974…)", EXIT_USAGE)
    url = None if args.local else resolve_url(args.db)
    if url is not None:
        found = probe(url, current_actor())
        print(f"{redact(url)} : {found.message}")
        if not found.usable:
            return EXIT_ERROR
    report = apply_setup(
        DeskSetup(url, chosen, current_actor(), demo=args.demo, demo_date=args.date),
        progress=print,
    )
    migrated = report.migrated
    if migrated.changed:
        print(f"schéma {migrated.previous or 'vide'} → {migrated.current}")
    if migrated.backup:
        print(f"copie de sauvegarde : {migrated.backup}")
    if args.demo:
        print(
            f"démonstration : {report.demo_served} demandes planifiées sur {report.demo_requests}"
        )
    print(f"Poste configuré : base {redact(report.url)}, département {chosen}")
    print(f"Réglages : {report.config_file}")
    return 0


def _diagnostics(args: argparse.Namespace) -> int:
    print(diagnostics(configured_url(args.db, load_config())), end="")
    return 0
