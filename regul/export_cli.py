"""``regul export manifests``, ``regul export invoices`` and ``regul import answers``: the
carriers' documents, headless."""

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from importers.errors import UnusableFileError
from models.migrate import ensure_current
from regul.cli_common import (
    EXIT_USAGE,
    Parser,
    current_actor,
    fail,
    open_database,
    parse_date,
    road_cache,
)
from regul.dispatch_documents import (
    MANIFEST_FORMATS,
    export_invoices,
    export_manifests,
    import_answers,
    report_lines,
)
from regul.login import acting_principal

EXIT_SHEET_ERRORS = 3
EXIT_UNUSABLE_FILE = EXIT_USAGE


def add_export_commands(exports: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    """``export manifests`` and ``export invoices``, beside ``export plan``."""
    manifests = exports.add_parser(
        "manifests",
        parents=[database],
        help="manifestes des transporteurs (XLSX, feuille de réponses comprise, et PDF)",
    )
    manifests.add_argument("--date", type=parse_date, required=True)
    manifests.add_argument("--out", type=Path, required=True, metavar="DOSSIER")
    manifests.add_argument("--carrier", metavar="SIRET", help="un seul transporteur")
    manifests.add_argument(
        "--format",
        type=_formats,
        default=MANIFEST_FORMATS,
        metavar="xlsx,pdf",
        help="formats à écrire (défaut : xlsx,pdf)",
    )
    manifests.set_defaults(handler=_export_manifests)
    invoices = exports.add_parser(
        "invoices", parents=[database], help="aperçu des factures du jour (XLSX)"
    )
    invoices.add_argument("--date", type=parse_date, required=True)
    invoices.add_argument("--out", type=Path, required=True, metavar="FICHIER.xlsx")
    invoices.set_defaults(handler=_export_invoices)


def add_answers_command(kinds: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    """``regul import answers``, beside the other imports."""
    answers = kinds.add_parser(
        "answers",
        parents=[database],
        help="réponses d'un transporteur sur son classeur de missions renvoyé",
    )
    answers.add_argument("file", metavar="FICHIER", type=Path, help="classeur .xlsx rempli")
    answers.set_defaults(handler=_import_answers)


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [part for part in chosen if part not in MANIFEST_FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"format inconnu {', '.join(unknown) or text!r} (attendu : xlsx, pdf ou xlsx,pdf)"
        )
    return chosen


def _export_manifests(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        ensure_current(db)
        principal = acting_principal(db, current_actor())
        written = export_manifests(db, principal, args.date, args.out, args.carrier, args.format)
    finally:
        db.dispose()
    print(f"Manifestes du {args.date:%d/%m/%Y} écrits dans {args.out} :")
    for path in written:
        print(f"  {path.name}")
    return 0


def _export_invoices(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        ensure_current(db)
        principal = acting_principal(db, current_actor())
        preview = export_invoices(db, principal, args.date, args.out, road_cache())
    finally:
        db.dispose()
    total = preview.grand_total
    print(
        f"Aperçu des factures du {args.date:%d/%m/%Y} écrit dans {args.out} : "
        f"{total.trips} trajets, {len(preview.totals)} transporteurs, "
        f"{_euros(total.billed)} facturés dont {_euros(total.insurer_pays)} payés par "
        "l'Assurance Maladie" + (" (tarifs en partie non vérifiés)" if preview.unverified else "")
    )
    return 0


def _import_answers(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        ensure_current(db)
        principal = acting_principal(db, current_actor())
        done = import_answers(db, principal, args.file)
    except UnusableFileError as exc:
        return fail(str(exc), EXIT_UNUSABLE_FILE)
    finally:
        db.dispose()
    problems = done.checked.problems
    if problems:
        for problem in problems:
            print(f"regul: {problem}", file=sys.stderr)
        fail(
            f"{args.file.name} : {len(problems)} erreur(s), aucune réponse enregistrée ; "
            "corrigez le classeur puis importez-le à nouveau",
            EXIT_SHEET_ERRORS,
        )
        return EXIT_SHEET_ERRORS
    for line in report_lines(done):
        print(line)
    return 0


def _euros(amount: Decimal) -> str:
    return f"{amount:,.2f} €".replace(",", " ").replace(".", ",")
