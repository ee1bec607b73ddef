"""``regul purge`` and ``regul stats``: removing past days' patient data, and the anonymous
figures kept of those days."""

import argparse
import json
from dataclasses import asdict
from typing import Any

from models.enums import Role
from models.repositories.purge import DayFigures, kept_statistics
from regul.access import require
from regul.cli_common import Parser, open_signed_in, parse_date
from regul.purge import purge

_TABLE_WORDS = {
    "transport_requests": "demandes de transport",
    "missions": "missions des transporteurs",
    "day_plans": "plans de journée",
    "routes": "tournées",
    "stops": "arrêts",
    "assignments": "affectations",
    "unserved_requests": "demandes non servies",
    "request_series": "séries terminées",
    "patients": "patients",
    "geocode_cache": "adresses géocodées en cache",
}


def add_purge_commands(commands: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    command = commands.add_parser(
        "purge",
        parents=[database],
        help="supprimer les données des patients des jours passés, en gardant des statistiques "
        "anonymes (administrateurs)",
    )
    command.add_argument(
        "--before",
        type=parse_date,
        required=True,
        metavar="AAAA-MM-JJ",
        help="premier jour gardé : tout ce qui concerne les jours d'avant est supprimé "
        "(la durée de conservation est celle que fixe votre centre)",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="dire ce qui serait supprimé, sans rien supprimer"
    )
    command.set_defaults(handler=_purge)

    stats = commands.add_parser(
        "stats", parents=[database], help="statistiques gardées des jours purgés"
    )
    stats.add_argument("--since", type=parse_date, metavar="AAAA-MM-JJ", help="à partir de ce jour")
    stats.add_argument(
        "--until", type=parse_date, metavar="AAAA-MM-JJ", help="avant ce jour (exclu)"
    )
    stats.add_argument("--json", action="store_true", help="sortie JSON")
    stats.set_defaults(handler=_stats)


def _purge(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        counts = purge(db, principal, args.before, args.dry_run)
    finally:
        db.dispose()
    days = counts.days
    removed = "Lignes qui seraient supprimées" if args.dry_run else "Lignes supprimées"
    if args.dry_run:
        print("Essai à blanc : rien n'a été supprimé.")
    if not days and not any(counts.removed.values()):
        print(f"Aucune donnée de patient avant le {args.before:%d/%m/%Y}.")
        return 0
    if days:
        print(
            f"Jours avant le {args.before:%d/%m/%Y} : {len(days)}, du "
            f"{days[0].service_date:%d/%m/%Y} au {days[-1].service_date:%d/%m/%Y} "
            f"({sum(d.requests for d in days)} demandes)"
        )
    print(f"{removed} :")
    for table, count in counts.removed.items():
        print(f"  {_TABLE_WORDS[table]:<30} {count}")
    print(f"Patients gardés (demande plus tardive ou série en cours) : {counts.patients_kept}")
    kept = "seraient gardées" if args.dry_run else "gardées"
    print(f"Statistiques anonymes {kept} pour {len(days)} jours (« regul stats » pour les lire).")
    return 0


def _stats(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        require(principal, Role.ADMIN, Role.REGULATOR, action="lire les statistiques")
        with db.reader() as session:
            days = kept_statistics(session, args.since, args.until)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([_as_json(day) for day in days], ensure_ascii=False, indent=2))
        return 0
    if not days:
        print("Aucune statistique : aucun jour n'a encore été purgé.")
        return 0
    print(
        f"{'Jour':<10}  {'demandes':>8}  {'annulées':>8}  {'servies':>7}  {'partagés':>8}  "
        f"{'km':>8}  {'km à vide':>9}  {'acceptées':>9}  {'refusées':>8}"
    )
    for day in days:
        kpis, missions = day.plan_kpis, day.missions_by_status
        accepted = missions.get("ACCEPTED", 0) + missions.get("DONE", 0)
        print(
            f"{day.service_date:%d/%m/%Y}  {day.requests:>8}  {day.cancelled:>8}  "
            f"{kpis.get('served', '–'):>7}  {kpis.get('shared_patients', '–'):>8}  "
            f"{day.distance_m / 1000:>8.1f}  {day.empty_distance_m / 1000:>9.1f}  "
            f"{accepted:>9}  {missions.get('REFUSED', 0):>8}"
        )
    return 0


def _as_json(day: DayFigures) -> dict[str, Any]:
    values = asdict(day)
    values["service_date"] = day.service_date.isoformat()
    return values
