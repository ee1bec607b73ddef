"""``regul audit``: who did what and when, as a table on screen or a spreadsheet."""

import argparse
import shutil
from collections.abc import Sequence
from pathlib import Path

from importers.table_export import TABLE_SUFFIXES
from models.repositories.audit import MAX_PAGE, AuditFilter, AuditRecord
from regul.audit_view import day_bounds, describe_changes, export_audit, read_audit, time_text
from regul.cli_common import (
    EXIT_ERROR,
    EXIT_USAGE,
    Parser,
    current_actor,
    fail,
    open_database,
    parse_date,
    positive_int,
)

SHOWN_BY_DEFAULT = 50
_SCREEN_HEADERS = (
    "Date et heure",
    "Utilisateur",
    "Action",
    "Table",
    "Id",
    "Modifications / détail",
)
_NARROW_COLUMN = 24  # at most, for actor, action, table and id
_MIN_LAST_COLUMN = 30


def add_audit_commands(commands: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    audit = commands.add_parser(
        "audit",
        parents=[database],
        help="journal d'audit : qui a fait quoi et quand (administrateurs et régulateurs)",
    )
    audit.add_argument("--since", type=parse_date, metavar="AAAA-MM-JJ", help="à partir de ce jour")
    audit.add_argument(
        "--until", type=parse_date, metavar="AAAA-MM-JJ", help="jusqu'à ce jour inclus"
    )
    audit.add_argument("--actor", metavar="LOGIN", help="utilisateur (login)")
    audit.add_argument(
        "--action",
        action="append",
        default=[],
        help="create, update, delete, import, plan, push, accept, refuse… (répétable)",
    )
    audit.add_argument("--entity", metavar="TABLE", help="table : transport_requests, missions…")
    audit.add_argument("--entity-id", metavar="ID", help="identifiant de la ligne dans sa table")
    audit.add_argument(
        "--text",
        metavar="TEXTE",
        help="texte cherché dans le détail, sans tenir compte de la casse",
    )
    audit.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help=f"nombre d'entrées au plus, les plus récentes (écran : {SHOWN_BY_DEFAULT} ; "
        "fichier : toutes)",
    )
    audit.add_argument(
        "--out", type=Path, metavar="FICHIER", help="écrire un classeur .xlsx ou un .csv"
    )
    audit.set_defaults(handler=_audit)


def _audit(args: argparse.Namespace) -> int:
    if args.since and args.until and args.until < args.since:
        return fail("--until avant --since", EXIT_USAGE)
    if args.out is not None and args.out.suffix.lower() not in TABLE_SUFFIXES:
        return fail(f"{args.out} : format attendu .xlsx ou .csv", EXIT_USAGE)
    if args.out is None and args.limit is not None and args.limit > MAX_PAGE:
        return fail(f"--limit : au plus {MAX_PAGE} entrées à l'écran (--out pour tout)", EXIT_USAGE)
    since, until = day_bounds(args.since, args.until)
    wanted = AuditFilter(
        since=since,
        until=until,
        actor=args.actor,
        actions=tuple(args.action),
        entity=args.entity,
        entity_id=args.entity_id,
        text=args.text,
        limit=min(args.limit or SHOWN_BY_DEFAULT, MAX_PAGE),  # a page: --out reads them all
    )
    db = open_database(args.db)
    try:
        if args.out is not None:
            try:
                written = export_audit(db, current_actor(), wanted, args.out, limit=args.limit)
            except OSError as exc:
                return fail(f"{args.out} : écriture impossible ({exc.strerror or exc})", EXIT_ERROR)
            entries = "entrée écrite" if written <= 1 else "entrées écrites"
            print(f"{written} {entries} dans {args.out}")
            return 0
        records = read_audit(db, current_actor(), wanted)
    finally:
        db.dispose()
    if not records:
        print("Aucune entrée.")
        return 0
    for line in table_lines(records, shutil.get_terminal_size((160, 24)).columns):
        print(line)
    if len(records) == wanted.limit:
        print(
            f"({len(records)} entrées les plus récentes ; --limit pour en voir davantage, "
            "--out pour tout exporter)"
        )
    return 0


def table_lines(records: Sequence[AuditRecord], width: int) -> list[str]:
    """The entries as aligned columns, the last one cut to fit ``width`` characters."""
    rows = [
        (
            time_text(record.at),
            record.actor,
            record.action,
            record.entity,
            record.entity_id or "",
            " — ".join(part for part in (describe_changes(record), record.detail) if part),
        )
        for record in records
    ]
    widths = [
        min(max(len(row[column]) for row in (_SCREEN_HEADERS, *rows)), _NARROW_COLUMN)
        for column in range(len(_SCREEN_HEADERS) - 1)
    ]
    last = max(width - sum(widths) - 2 * len(widths), _MIN_LAST_COLUMN)
    return [
        "  ".join(
            [
                *(_fit(cell, size).ljust(size) for cell, size in zip(row, widths, strict=False)),
                _fit(row[-1], last),
            ]
        ).rstrip()
        for row in (_SCREEN_HEADERS, *rows)
    ]


def _fit(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
