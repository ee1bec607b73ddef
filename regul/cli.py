"""``regul``: every batch job of the console, runnable headless.

Errors a user can act on are printed as one line (``regul: …``) with a non-zero exit code; an
unexpected failure is written to a crash file (its frames, without the messages that could quote
patients' data) and summarised in one line.
"""

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from models.backup import backup_database, restore_database
from models.db import ENV_VAR, is_sqlite, redact, sqlite_file
from models.errors import RegulDataError
from models.migrate import ensure_current, schema_state, upgrade
from models.repositories.common import Outcome
from models.repositories.summary import DaySummary, row_counts
from models.timezone import now
from planning.benchmarks.errors import InstanceError
from planning.optimiser import SolveParams
from regul import __version__
from regul.audit_cli import add_audit_commands
from regul.bench import as_json_dict, bench_import, bench_plan
from regul.bench_dispatch import bench_dispatch
from regul.bench_published import bench_published
from regul.cli_common import (
    EXIT_ERROR,
    EXIT_USAGE,
    Parser,
    UsageError,
    audit_actor,
    fail,
    non_negative_float,
    open_database,
    parse_date,
    positive_float,
    positive_int,
)
from regul.demo import build_demo_day, demo_folder, load_demo_day
from regul.dispatch_cli import add_dispatch_commands
from regul.export_cli import add_export_commands
from regul.import_cli import add_import_commands
from regul.logs import write_crash_report
from regul.plan_cli import add_plan_commands
from regul.planning_run import DayPlanning, plan_day
from regul.purge_cli import add_purge_commands
from regul.series_cli import add_series_commands
from regul.setup_cli import add_setup_commands
from regul.users_cli import add_users_commands

EXIT_INTERRUPTED = 130
_log = logging.getLogger("regul")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        return fail("une commande est attendue (voir « regul --help »)", EXIT_USAGE)
    try:
        return handler(args)
    except RegulDataError as exc:
        # the message may quote a spreadsheet's cells: only what kind of refusal goes to the log
        _log.warning("commande refusée : %s", type(exc).__name__)
        return fail(str(exc), EXIT_ERROR)
    except KeyboardInterrupt:
        return fail("interrompu", EXIT_INTERRUPTED)
    except Exception as exc:
        crash = write_crash_report(exc)
        _log.error("erreur inattendue (%s) ; rapport %s", type(exc).__name__, crash)
        return fail(f"erreur inattendue ({type(exc).__name__}) ; détails dans {crash}", EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="regul",
        description="Régul : régulation du transport sanitaire non urgent.",
    )
    parser.add_argument("--version", action="version", version=f"regul {__version__}")
    database = Parser(add_help=False)
    database.add_argument(
        "--db",
        metavar="URL",
        help=f"base à utiliser (sqlite:///fichier ou postgresql://…) ; défaut : ${ENV_VAR}, "
        "sinon le fichier local de l'utilisateur",
    )
    commands = parser.add_subparsers(title="commandes", metavar="COMMANDE")

    db = commands.add_parser("db", help="gérer la base de données")
    db_commands = db.add_subparsers(title="actions", metavar="ACTION")
    db.set_defaults(
        handler=lambda _args: fail("action attendue : upgrade, info, backup ou restore", EXIT_USAGE)
    )
    db_upgrade = db_commands.add_parser(
        "upgrade", parents=[database], help="mettre le schéma à jour (copie préalable si SQLite)"
    )
    db_upgrade.set_defaults(handler=_db_upgrade)
    db_info = db_commands.add_parser(
        "info", parents=[database], help="où est la base, que contient-elle"
    )
    db_info.add_argument("--json", action="store_true", help="sortie JSON")
    db_info.set_defaults(handler=_db_info)
    db_backup = db_commands.add_parser(
        "backup", parents=[database], help="copier la base locale (vérifiée, lisible par vous seul)"
    )
    db_backup.add_argument(
        "--out",
        type=Path,
        metavar="FICHIER",
        help="où écrire la copie (défaut : à côté de la base)",
    )
    db_backup.set_defaults(handler=_db_backup)
    db_restore = db_commands.add_parser(
        "restore",
        parents=[database],
        help="remettre une copie à la place de la base locale (l'actuelle est copiée avant)",
    )
    db_restore.add_argument("copy", type=Path, metavar="COPIE")
    db_restore.set_defaults(handler=_db_restore)

    demo = commands.add_parser(
        "demo",
        parents=[database],
        help="charger une journée de démonstration (département du Nord)",
    )
    demo.add_argument("--headless", action="store_true", help="afficher un résumé, sans fenêtre")
    demo.add_argument(
        "--date", type=parse_date, help="jour à générer (AAAA-MM-JJ) ; défaut : aujourd'hui"
    )
    demo.add_argument("--requests", type=positive_int, default=300, help="nombre de demandes (300)")
    demo.add_argument("--seed", type=int, default=1, help="graine du générateur (1)")
    demo.add_argument(
        "--time-limit",
        type=positive_int,
        default=20,
        help="secondes de planification de la journée importée (20)",
    )
    demo.add_argument("--no-plan", action="store_true", help="importer sans planifier")
    demo.add_argument(
        "--folder",
        type=Path,
        help="où écrire les fichiers de la journée (défaut : dossier de données de Régul)",
    )
    demo.set_defaults(handler=_demo)
    add_import_commands(commands, database)
    add_series_commands(commands, database)
    exports = add_plan_commands(commands, database)
    add_export_commands(exports, database)
    add_dispatch_commands(commands, database)
    add_audit_commands(commands, database)
    add_users_commands(commands, database)
    add_setup_commands(commands, database)
    add_purge_commands(commands, database)

    gui = commands.add_parser("gui", parents=[database], help="ouvrir la console de régulation")
    gui.add_argument(
        "--date", type=parse_date, help="jour à ouvrir (AAAA-MM-JJ) ; défaut : aujourd'hui"
    )
    gui.add_argument(
        "--screenshot",
        type=Path,
        metavar="IMAGE.png",
        help="charger le jour, attendre la carte, enregistrer une image de la fenêtre et quitter",
    )
    gui.add_argument(
        "--time-limit", type=positive_int, default=60, help="secondes d'optimisation (60)"
    )
    gui.add_argument(
        "--as-carrier",
        metavar="SIRET",
        help="la fenêtre d'un transporteur : ses missions, sa carte, ses réponses (un répartiteur "
        "a toujours celle de son transporteur)",
    )
    gui.set_defaults(handler=_gui)

    bench = commands.add_parser("bench", help="mesurer les performances (résultat JSON)")
    bench.set_defaults(
        handler=lambda _args: fail(
            "mesure attendue : import, plan, console, dispatch, darp ou pdptw", EXIT_USAGE
        )
    )
    benches = bench.add_subparsers(title="mesures", metavar="MESURE")
    bench_import_cmd = benches.add_parser(
        "import", parents=[database], help="importer un export de N lignes (cible : 10 000 en 15 s)"
    )
    bench_import_cmd.add_argument("--rows", type=positive_int, default=10_000)
    bench_import_cmd.add_argument("--format", choices=("messy", "tidy"), default="messy")
    bench_import_cmd.add_argument("--out", type=Path, help="écrire le JSON dans ce fichier")
    bench_import_cmd.set_defaults(handler=_bench_import)
    bench_plan_cmd = benches.add_parser(
        "plan", help="planifier une journée synthétique de N demandes (cible : 2 000 en 180 s)"
    )
    bench_plan_cmd.add_argument("--requests", type=positive_int, default=2_000)
    bench_plan_cmd.add_argument("--time-limit", type=positive_int, default=170)
    bench_plan_cmd.add_argument("--seed", type=int, default=1)
    bench_plan_cmd.add_argument(
        "--insurer-weight",
        type=non_negative_float,
        default=SolveParams.insurer_km_per_eur,
        metavar="KM",
        help="km acceptés en plus pour économiser un euro à l'Assurance Maladie (%(default)s)",
    )
    bench_plan_cmd.add_argument("--out", type=Path, help="écrire le JSON dans ce fichier")
    bench_plan_cmd.set_defaults(handler=_bench_plan)
    bench_console_cmd = benches.add_parser(
        "console",
        help="ouvrir une journée de N demandes dans la console et dessiner sa carte "
        "(cible : 2 000 en moins de 5 s)",
    )
    bench_console_cmd.add_argument("--requests", type=positive_int, default=2_000)
    bench_console_cmd.add_argument(
        "--plan-time", type=positive_int, default=30, help="secondes de planification (30)"
    )
    bench_console_cmd.add_argument("--seed", type=int, default=1)
    bench_console_cmd.add_argument("--out", type=Path, help="écrire le JSON dans ce fichier")
    bench_console_cmd.set_defaults(handler=_bench_console)
    bench_dispatch_cmd = benches.add_parser(
        "dispatch",
        parents=[database],
        help="transmettre une journée de N demandes, réponses, refus, expirations (temps)",
    )
    bench_dispatch_cmd.add_argument("--requests", type=positive_int, default=2_000)
    bench_dispatch_cmd.add_argument(
        "--plan-time", type=positive_int, default=60, help="secondes de planification (60)"
    )
    bench_dispatch_cmd.add_argument("--out", type=Path, help="écrire le JSON dans ce fichier")
    bench_dispatch_cmd.set_defaults(handler=_bench_dispatch)
    for family, about in (
        ("darp", "instances de Cordeau (transport à la demande, temps de trajet limité)"),
        ("pdptw", "instances de Li & Lim (enlèvement-livraison), comparées à VROOM"),
    ):
        published = benches.add_parser(family, help=f"résoudre des {about}")
        published.add_argument("files", nargs="+", type=Path, metavar="FICHIER")
        published.add_argument("--time-limit", type=positive_float, default=60.0)
        published.add_argument("--out", type=Path, required=True, help="dossier des résultats")
        published.add_argument("--seed", type=int, default=1)
        published.add_argument(
            "--workers", type=positive_int, help="recherches en parallèle (défaut : 2 cœurs)"
        )
        published.set_defaults(handler=_bench_published, family=family)
    return parser


def _db_upgrade(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        report = upgrade(db)
    finally:
        db.dispose()
    if not report.changed:
        print(f"{redact(db.url)} : schéma déjà à jour ({report.current})")
        return 0
    print(f"{redact(db.url)} : schéma {report.previous or 'vide'} → {report.current}")
    if report.backup:
        print(f"copie de sauvegarde : {report.backup}")
    return 0


def _db_backup(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        copy = backup_database(db, args.out)
    finally:
        db.dispose()
    print(f"copie vérifiée : {copy} ({copy.stat().st_size / 1e6:.1f} Mo)")
    return 0


def _db_restore(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        aside = restore_database(db, args.copy)
    finally:
        db.dispose()
    print(f"{redact(db.url)} : restaurée depuis {args.copy}")
    if aside:
        print(f"la base remplacée est gardée dans {aside}")
    return 0


def _db_info(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        state = schema_state(db)
        counts: dict[str, int] = {}
        if state.current is not None:
            with db.reader() as session:
                counts = row_counts(session)
    finally:
        db.dispose()
    info: dict[str, Any] = {
        "url": redact(db.url),
        "backend": db.url.get_backend_name(),
        "schema": state.current,
        "schema_expected": state.head,
        "up_to_date": state.up_to_date,
        "rows": counts,
    }
    if is_sqlite(db.url):
        path = sqlite_file(db.url)
        info["file"] = str(path)
        info["file_bytes"] = path.stat().st_size if path.exists() else 0
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    kind = "fichier local SQLite" if is_sqlite(db.url) else "serveur PostgreSQL partagé"
    print(f"Base      : {info['url']} ({kind})")
    if "file" in info:
        print(f"Fichier   : {info['file']} ({info['file_bytes'] / 1e6:.1f} Mo)")
    status = "à jour" if state.up_to_date else f"à mettre à jour vers {state.head}"
    print(f"Schéma    : {state.current or 'vide'} ({status})")
    if counts:
        print("Contenu   : " + ", ".join(f"{table} {count}" for table, count in counts.items()))
    return 0


def _demo(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        migrated = ensure_current(db)
        if migrated and migrated.backup:
            print(f"schéma mis à jour ; copie de sauvegarde : {migrated.backup}")
        day = build_demo_day(args.date, args.requests, args.seed)
        folder = args.folder or demo_folder()
        load = load_demo_day(db, day, folder, actor=audit_actor(db))
        planned = None
        if not args.no_plan:
            params = SolveParams(time_limit_s=args.time_limit, seed=args.seed)
            planned = plan_day(db, day.service_date, params, audit_actor(db))
    finally:
        db.dispose()
    print(f"Base : {redact(db.url)}")
    print(
        f"Journée de démonstration du {day.service_date:%d/%m/%Y} : "
        f"{load.count(Outcome.CREATED)} créés, {load.count(Outcome.UPDATED)} mis à jour, "
        f"{load.count(Outcome.UNCHANGED)} inchangés"
    )
    print(f"  importée depuis : {', '.join(r.path.name for r in load.imports)} ({folder})")
    print(_format_summary(load.summary))
    if planned is not None:
        print(_format_planning(planned))
    print(
        "Pour essayer un export hospitalier désordonné (lendemain) : "
        f'regul import requests "{load.messy_sample}"'
    )
    if args.headless:
        return 0
    # the demo chose its database: no first-run wizard before its window
    return _open_console(args.db, day.service_date, None, args.time_limit, set_up=False)


def _no_screen() -> bool:
    """On Linux without a display server, Qt would abort rather than say why."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _gui(args: argparse.Namespace) -> int:
    day = args.date or now().date()
    return _open_console(args.db, day, args.screenshot, args.time_limit, args.as_carrier)


def _open_console(
    url: str | None,
    day: date,
    screenshot: Path | None,
    time_limit: int,
    carrier_siret: str | None = None,
    set_up: bool = True,
) -> int:
    if _no_screen():
        return fail(
            "aucun écran pour ouvrir la console (ni DISPLAY ni WAYLAND_DISPLAY) : "
            "« regul demo --headless » pour un résumé, QT_QPA_PLATFORM=offscreen avec "
            "--screenshot pour une image",
            EXIT_USAGE,
        )
    from console.startup import start_console  # Qt only when a window is wanted

    return start_console(url, day, screenshot, time_limit, carrier_siret, set_up)


def _format_planning(planned: DayPlanning) -> str:
    kpis = planned.kpis
    cost = kpis["cost"]
    lines = [
        f"Plan : {kpis['served']} demandes servies sur {kpis['requests']} par "
        f"{kpis['vehicles_used']} véhicules, {kpis['shared_patients']} patients en transport "
        f"partagé",
        f"  {kpis['total_km']:.0f} km, soit {kpis['km_vs_solo']:.2f} × les trajets seuls ; "
        f"Assurance Maladie : {cost['insurer_pays_eur']:.0f} € "
        f"(trajets seuls : {cost['solo_insurer_pays_eur']:.0f} €)",
        f"  {len(planned.violations)} infraction aux règles"
        if len(planned.violations) < 2
        else f"  {len(planned.violations)} infractions aux règles",
    ]
    return "\n".join(lines)


def _bench_import(args: argparse.Namespace) -> int:
    return _write_figures(as_json_dict(bench_import(args.rows, args.format, args.db)), args.out)


def _write_figures(figures: dict[str, Any], out: Path | None) -> int:
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    return 0


def _bench_plan(args: argparse.Namespace) -> int:
    figures = as_json_dict(
        bench_plan(args.requests, args.time_limit, args.seed, args.insurer_weight)
    )
    return _write_figures(figures, args.out)


def _bench_console(args: argparse.Namespace) -> int:
    from regul.bench_console import bench_console  # brings Qt in for the window's figure

    figures = as_json_dict(bench_console(args.requests, args.plan_time, args.seed))
    return _write_figures(figures, args.out)


def _bench_dispatch(args: argparse.Namespace) -> int:
    figures = asdict(bench_dispatch(args.requests, args.plan_time, args.db))
    return _write_figures(figures, args.out)


def _bench_published(args: argparse.Namespace) -> int:
    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        return fail(f"fichier introuvable : {', '.join(missing)}", EXIT_USAGE)
    try:
        summary = bench_published(
            args.family, args.files, args.time_limit, args.out, args.seed, args.workers
        )
    except InstanceError as error:
        return fail(str(error), EXIT_USAGE)
    print(json.dumps({k: v for k, v in summary.items() if k != "instances"}, indent=2))
    return 0


def _format_summary(summary: DaySummary) -> str:
    def listing(counts: dict[str, int]) -> str:
        return ", ".join(
            f"{key} {value}" for key, value in sorted(counts.items(), key=lambda kv: -kv[1])
        )

    return "\n".join(
        [
            f"  demandes       : {summary.requests} ({listing(summary.by_direction)})",
            f"  motifs         : {listing(summary.by_care_type)}",
            f"  modes prescrits: {listing(summary.by_mode)}",
            f"  positions      : {listing(summary.by_mobility)}",
            f"  partage possible : {summary.sharing_compatible} demandes",
            f"  établissements : {summary.establishments}",
            f"  transporteurs  : {summary.carriers}, véhicules {listing(summary.vehicles_by_kind)}"
            f", {summary.seats} places assises",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
