"""``regul import …``: bring a hospital export or a roster into the database, with a report."""

import argparse
import os
from pathlib import Path

import platformdirs

from importers.ban import BanGeocoder
from importers.cache import DatabaseGeoCache
from importers.columns import TableKind
from importers.errors import UnusableFileError
from importers.geocoding import Geocoder, GeocodingUnavailable, default_geocoder
from importers.report import summary_lines, write_report
from importers.run import Fate, ImportOptions, ImportResult, import_file
from models.db import APP_NAME
from models.migrate import ensure_current
from models.session import Database
from regul.cli_common import (
    EXIT_ERROR,
    EXIT_USAGE,
    Parser,
    audit_actor,
    fail,
    open_database,
    parse_date,
)
from regul.export_cli import add_answers_command

EXIT_REJECTED_ROWS = 3
EXIT_UNUSABLE_FILE = EXIT_USAGE  # the file, like a bad argument, cannot be used at all
SHOWN_REJECTIONS = 10
_KINDS = {
    "requests": (TableKind.REQUESTS, "demandes de transport du jour (export hospitalier)"),
    "establishments": (TableKind.ESTABLISHMENTS, "établissements de soins (FINESS)"),
    "vehicles": (TableKind.VEHICLES, "parc des transporteurs (un véhicule par ligne)"),
}


def add_import_commands(
    commands: "argparse._SubParsersAction[Parser]",
    database: Parser,
) -> None:
    group = commands.add_parser("import", help="importer un fichier XLSX ou CSV")
    group.set_defaults(
        handler=lambda _args: fail(
            "type attendu : requests, establishments, vehicles ou answers", EXIT_USAGE
        )
    )
    kinds = group.add_subparsers(title="fichiers", metavar="TYPE")
    for name, (kind, help_text) in _KINDS.items():
        command = kinds.add_parser(name, parents=[database], help=help_text)
        command.add_argument("file", metavar="FICHIER", type=Path, help="fichier .xlsx ou .csv")
        if kind is TableKind.REQUESTS:
            command.add_argument(
                "--date",
                type=parse_date,
                help="ne garder que ce jour (AAAA-MM-JJ) ; sert de date si le fichier n'en a pas",
            )
        command.add_argument(
            "--mapping",
            type=Path,
            metavar="FICHIER",
            help='correspondance champ = "En-tête" (TOML ou JSON), mémorisée pour ce format',
        )
        command.add_argument(
            "--report",
            type=Path,
            metavar="RAPPORT.xlsx",
            help="où écrire le rapport (défaut : à côté du fichier s'il y a des rejets)",
        )
        command.add_argument(
            "--geocoder",
            choices=("communes", "ban"),
            default=None,
            help="communes : hors ligne, centre de la commune (défaut, ou $REGUL_GEOCODER) ; "
            "ban : adresse exacte par la Base Adresse Nationale (en ligne)",
        )
        command.set_defaults(handler=_run, kind=kind)
    add_answers_command(kinds, database)


def _run(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        ensure_current(db)
        actor = audit_actor(db)
        result = import_file(
            db,
            args.kind,
            args.file,
            geocoder_named(args.geocoder, db, actor),
            actor,
            ImportOptions(only_date=getattr(args, "date", None), mapping_file=args.mapping),
        )
    except UnusableFileError as exc:
        return fail(str(exc), EXIT_UNUSABLE_FILE)
    except GeocodingUnavailable as exc:
        return fail(str(exc), EXIT_ERROR)
    finally:
        db.dispose()
    _print_summary(result)
    report = args.report or (_default_report(args.file) if _worth_a_report(result) else None)
    if report is not None:
        print(f"Rapport : {write_report(result, report)}")
    return EXIT_REJECTED_ROWS if result.count(Fate.REJECTED) else 0


def geocoder_named(name: str | None, db: Database, actor: str) -> Geocoder:
    """« communes » (offline, the commune's centre) or « ban » (exact addresses, online);
    by default as $REGUL_GEOCODER says, else « communes »."""
    name = name or os.environ.get("REGUL_GEOCODER", "communes")
    if name == "ban":
        return default_geocoder(BanGeocoder(), DatabaseGeoCache(db, actor))
    return default_geocoder()


def _print_summary(result: ImportResult) -> None:
    for label, value in summary_lines(result):
        print(f"{label:<17}: {value}")
    if result.mapping_remembered:
        print("Correspondance de colonnes mémorisée pour les prochains fichiers de ce format.")
    rejected = [row for row in result.rows if row.fate is Fate.REJECTED]
    for row in rejected[:SHOWN_REJECTIONS]:
        print(f"  ligne {row.row.number} : {'; '.join(str(p) for p in row.problems)}")
    if len(rejected) > SHOWN_REJECTIONS:
        print(f"  … et {len(rejected) - SHOWN_REJECTIONS} autres lignes rejetées (voir le rapport)")


def _worth_a_report(result: ImportResult) -> bool:
    return bool(result.count(Fate.REJECTED) or result.flagged or result.count(Fate.SKIPPED))


def _default_report(source: Path) -> Path:
    """Beside the file the regulator just chose, else in Régul's own folder."""
    beside = source.with_name(f"{source.stem}-rapport.xlsx")
    if os.access(source.parent, os.W_OK):
        return beside
    return Path(platformdirs.user_data_dir(APP_NAME, APP_NAME)) / "rapports" / beside.name
