"""``regul push``, ``regul missions …`` and ``regul cancel``: dispatch to carriers, headless."""

import argparse
import json
from collections import Counter
from typing import Any

from models.enums import CancellationReason, MissionStatus
from models.repositories.missions import MissionView, missions_of_day
from regul.cli_common import (
    EXIT_USAGE,
    Parser,
    fail,
    non_negative_int,
    open_signed_in,
    parse_date,
    positive_int,
)
from regul.dispatch import (
    CANCELLATION_LABELS,
    Answer,
    AnswerReport,
    answer_all,
    answer_missions,
    cancel_request,
    expiry_minutes,
    mark_done,
    push,
    record_sharing_refusal,
    retime_minutes,
    set_expiry_minutes,
    set_retime_minutes,
    status_words,
    sweep,
)

_REASONS = {
    "patient": CancellationReason.PATIENT_CANCELLED,
    "absent": CancellationReason.NO_SHOW,
    "retard-etablissement": CancellationReason.HOSPITAL_DELAY,
    "tardive": CancellationReason.LATE_CANCELLATION,
}


def add_dispatch_commands(commands: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    push_cmd = commands.add_parser(
        "push", parents=[database], help="transmettre le plan du jour aux transporteurs"
    )
    push_cmd.add_argument("--date", type=parse_date, required=True)
    push_cmd.add_argument("--carrier", metavar="SIRET", help="un seul transporteur")
    push_cmd.set_defaults(handler=_push)

    missions = commands.add_parser(
        "missions", help="propositions aux transporteurs : lister, répondre, relancer"
    )
    missions.set_defaults(
        handler=lambda _args: fail(
            "action attendue : list, accept, refuse, done, sweep ou settings", EXIT_USAGE
        )
    )
    actions = missions.add_subparsers(title="actions", metavar="ACTION")
    listing = actions.add_parser("list", parents=[database], help="les missions d'un jour")
    listing.add_argument("--date", type=parse_date, required=True)
    listing.add_argument("--carrier", metavar="SIRET")
    listing.add_argument(
        "--status", choices=[s.value.lower() for s in MissionStatus], help="un seul statut"
    )
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=_list)
    for name, about in (
        ("accept", "accepter des propositions"),
        ("refuse", "refuser des propositions (motif obligatoire)"),
    ):
        answer = actions.add_parser(name, parents=[database], help=about)
        answer.add_argument("--date", type=parse_date, required=True)
        which = answer.add_mutually_exclusive_group(required=True)
        which.add_argument("--mission", type=positive_int, nargs="+", metavar="N")
        which.add_argument("--vehicle", metavar="PLAQUE", help="toute la tournée d'un véhicule")
        which.add_argument("--all", action="store_true", help="toutes les propositions ouvertes")
        answer.add_argument("--carrier", metavar="SIRET", help="pour un régulateur : lequel")
        if name == "refuse":
            answer.add_argument("--reason", required=True, help="motif du refus")
        answer.set_defaults(handler=_answer, accept=name == "accept")
    done = actions.add_parser("done", parents=[database], help="trajets effectués")
    done.add_argument("mission", type=positive_int, nargs="+", metavar="N")
    done.set_defaults(handler=_done)
    sweep_cmd = actions.add_parser(
        "sweep",
        parents=[database],
        help="expirer les propositions sans réponse (au transporteur suivant) et remettre les "
        "refus à planifier",
    )
    sweep_cmd.add_argument("--date", type=parse_date, help="aussi les refus de ce jour")
    sweep_cmd.set_defaults(handler=_sweep)
    settings = actions.add_parser(
        "settings", parents=[database], help="délai de réponse et tolérance d'horaire du centre"
    )
    settings.add_argument(
        "--delay", type=positive_int, metavar="MIN", help="minutes pour répondre à une proposition"
    )
    settings.add_argument(
        "--retime",
        type=non_negative_int,
        metavar="MIN",
        help="décalage d'horaire qui garde la réponse du transporteur (au-delà : nouvelle "
        "proposition)",
    )
    settings.set_defaults(handler=_settings)

    cancel = commands.add_parser("cancel", parents=[database], help="annuler un transport")
    cancel.add_argument("request", metavar="DEMANDE", help="identifiant de la demande")
    cancel.add_argument("--date", type=parse_date, required=True)
    cancel.add_argument(
        "--reason",
        choices=sorted(_REASONS),
        required=True,
        help="patient (annulée par le patient), absent, retard-etablissement, tardive",
    )
    cancel.set_defaults(handler=_cancel)

    sharing = commands.add_parser(
        "refuse-sharing",
        parents=[database],
        help="noter que le patient refuse le transport partagé (il voyagera seul)",
    )
    sharing.add_argument("request", metavar="DEMANDE")
    sharing.add_argument("--date", type=parse_date, required=True)
    sharing.add_argument("--undo", action="store_true", help="annuler cette mention")
    sharing.set_defaults(handler=_refuse_sharing)


def _push(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        report = push(db, principal, args.date, args.carrier)
    finally:
        db.dispose()
    print(
        f"{len(report.proposed)} trajets proposés, {len(report.unchanged)} déjà transmis tels "
        f"quels, {len(report.retimed)} horaires mis à jour, {len(report.superseded)} "
        "propositions retirées"
    )
    for name, count in sorted(report.by_carrier.items()):
        print(f"  {name} : {count}")
    for request_id, why in sorted(report.withheld.items()):
        print(f"  retenu {request_id} : {why}")
    return 0


def _list(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    siret = principal.carrier_siret if principal.is_carrier else args.carrier
    statuses = (MissionStatus(args.status.upper()),) if args.status else None
    try:
        with db.reader() as session:
            missions = missions_of_day(session, args.date, siret, statuses)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([_as_json(m) for m in missions], ensure_ascii=False, indent=2))
        return 0
    for m in missions:
        print(
            f"{m.id:>6}  {m.vehicle_plate:<10} {m.pickup_at:%H:%M}→{m.dropoff_at:%H:%M}  "
            f"{m.request_id:<22} {m.patient:<28} {status_words(m.status)}"
            + (f" ({m.refusal_reason})" if m.refusal_reason else "")
        )
    counts = Counter(status_words(m.status) for m in missions)
    print(", ".join(f"{count} {word}" for word, count in counts.most_common()) or "aucune mission")
    return 0


def _as_json(mission: MissionView) -> dict[str, Any]:
    return {
        "mission": mission.id,
        "version": mission.version,
        "request": mission.request_id,
        "carrier": mission.carrier_name,
        "vehicle": mission.vehicle_plate,
        "status": mission.status.value,
        "pickup_at": mission.pickup_at.isoformat(),
        "dropoff_at": mission.dropoff_at.isoformat(),
        "patient": mission.patient,
        "phone": mission.patient_phone,
        "from": mission.pickup.address or mission.pickup.commune,
        "to": mission.dropoff.address or mission.dropoff.commune,
        "mobility": mission.mobility.value,
        "companion": mission.companion,
        "shared_with": list(mission.shared_with),
        "expires_at": mission.expires_at.isoformat() if mission.expires_at else None,
        "refusal_reason": mission.refusal_reason,
    }


def _answer(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    reason = getattr(args, "reason", None)
    try:
        if args.mission:
            with db.reader() as session:
                known = {m.id: m for m in missions_of_day(session, args.date)}
            missing = [n for n in args.mission if n not in known]
            if missing:
                return fail(f"mission n°{missing[0]} absente du {args.date:%d/%m/%Y}", EXIT_USAGE)
            answers = [Answer(n, known[n].version, args.accept, reason) for n in args.mission]
            report = answer_missions(db, principal, answers)
        else:
            report = answer_all(
                db, principal, args.date, args.accept, reason, args.vehicle, args.carrier
            )
    finally:
        db.dispose()
    _print_answers(report)
    return 0


def _print_answers(report: AnswerReport) -> None:
    print(f"{len(report.accepted)} acceptées, {len(report.refused)} refusées")


def _done(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        done = mark_done(db, principal, args.mission)
    finally:
        db.dispose()
    print(f"{len(done)} trajets effectués : {', '.join(done)}")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        report = sweep(db, principal, days={args.date} if args.date else None)
    finally:
        db.dispose()
    print(
        f"{len(report.expired)} propositions expirées, {len(report.reoffered)} proposées au "
        f"transporteur suivant, {len(report.returned)} remises à planifier"
    )
    for request_id, name in sorted(report.reoffered.items()):
        print(f"  {request_id} → {name}")
    for request_id, why in sorted(report.returned.items()):
        print(f"  {request_id} : {why}")
    return 0


def _settings(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        if args.delay is not None:
            set_expiry_minutes(db, principal, args.delay)
        if args.retime is not None:
            set_retime_minutes(db, principal, args.retime)
        delay, retime = expiry_minutes(db), retime_minutes(db)
    finally:
        db.dispose()
    print(f"délai de réponse des transporteurs : {delay} min")
    print(f"horaire décalé de {retime} min au plus : la réponse du transporteur tient")
    return 0


def _cancel(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    reason = _REASONS[args.reason]
    try:
        told = cancel_request(db, principal, args.date, args.request, reason)
    finally:
        db.dispose()
    print(f"{args.request} annulée ({CANCELLATION_LABELS[reason]})")
    if told:
        print(f"  transporteur prévenu : {', '.join(told)}")
    return 0


def _refuse_sharing(args: argparse.Namespace) -> int:
    db, principal = open_signed_in(args.db)
    try:
        record_sharing_refusal(db, principal, args.date, args.request, not args.undo)
    finally:
        db.dispose()
    print(
        f"{args.request} : refus du transport partagé "
        + ("retiré" if args.undo else "noté ; la prochaine optimisation le fera voyager seul")
    )
    return 0
