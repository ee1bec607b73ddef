"""``regul plan``, ``regul check`` and ``regul export plan``: the planner, headless."""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from importers.private_files import write_private_text
from models.migrate import ensure_current
from models.repositories.plans import day_plan
from planning.model import clock
from planning.optimiser import SolveParams
from planning.osrm import OsrmUnavailable, configured_url
from regul.cli_common import (
    EXIT_USAGE,
    Parser,
    audit_actor,
    fail,
    non_negative_float,
    open_database,
    parse_date,
    positive_int,
    road_cache,
)
from regul.planning_run import check_day, load_problem, plan_day, stored_plan

EXIT_VIOLATIONS = 3
PROGRESS_EVERY_S = 2.0


def add_plan_commands(
    commands: "argparse._SubParsersAction[Parser]", database: Parser
) -> "argparse._SubParsersAction[Parser]":
    """``plan``, ``check`` and the ``export`` group, returned for other exports to join."""
    plan = commands.add_parser(
        "plan", parents=[database], help="planifier un jour et afficher ses indicateurs (JSON)"
    )
    plan.add_argument("--date", type=parse_date, required=True)
    plan.add_argument("--time-limit", type=positive_int, default=60, help="secondes de calcul (60)")
    plan.add_argument("--seed", type=int, default=0, help="graine de la recherche (0)")
    plan.add_argument(
        "--rotation",
        type=non_negative_float,
        default=0.0,
        metavar="KM",
        help="rotation équitable entre transporteurs : km acceptés en plus pour confier une "
        "course à un transporteur en dessous de sa part (0 : les km seuls)",
    )
    plan.add_argument(
        "--insurer-weight",
        type=non_negative_float,
        default=SolveParams.insurer_km_per_eur,
        metavar="KM",
        help="poids de ce que paie l'Assurance Maladie : km acceptés en plus pour lui "
        "économiser un euro (%(default)s ; 0 : les km seuls)",
    )
    plan.add_argument(
        "--iterations",
        type=positive_int,
        help="nombre d'itérations : avec la même graine, le même plan à chaque fois",
    )
    plan.add_argument(
        "--osrm",
        metavar="URL",
        default=configured_url(),
        help="serveur OSRM pour les distances routières réelles (défaut : $REGUL_OSRM_URL)",
    )
    plan.set_defaults(handler=_plan)

    checking = commands.add_parser(
        "check", parents=[database], help="contrôler le plan d'un jour (code 3 si infractions)"
    )
    checking.add_argument("--date", type=parse_date, required=True)
    checking.set_defaults(handler=_check)

    export = commands.add_parser("export", help="exporter")
    export.set_defaults(
        handler=lambda _args: fail("export attendu : plan, manifests ou invoices", EXIT_USAGE)
    )
    exports = export.add_subparsers(title="exports", metavar="QUOI")
    export_plan = exports.add_parser("plan", parents=[database], help="le plan d'un jour en JSON")
    export_plan.add_argument("--date", type=parse_date, required=True)
    export_plan.add_argument("--out", type=Path, required=True)
    export_plan.set_defaults(handler=_export_plan)
    return exports


def _plan(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        ensure_current(db)

        best = [float("inf"), 0.0]  # best cost shown, when

        def progress(best_cost: int, served: int) -> None:
            moment = time.monotonic()
            if best_cost < best[0] and moment - best[1] >= PROGRESS_EVERY_S:
                best[:] = [best_cost, moment]
                print(f"  … {served} demandes servies (coût {best_cost})", file=sys.stderr)

        done = plan_day(
            db,
            args.date,
            SolveParams(
                time_limit_s=args.time_limit,
                seed=args.seed,
                iterations=args.iterations,
                rotation_km_per_trip=args.rotation,
                insurer_km_per_eur=args.insurer_weight,
            ),
            audit_actor(db),
            progress,
            args.osrm,
            road_cache(),
        )
    except OsrmUnavailable as exc:
        return fail(str(exc), 1)
    finally:
        db.dispose()
    print(json.dumps(done.kpis, ensure_ascii=False, indent=2))
    for violation in done.violations:
        print(f"infraction : {violation}", file=sys.stderr)
    return EXIT_VIOLATIONS if done.violations else 0


def _check(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        checked = check_day(db, args.date, road_cache())
    except OsrmUnavailable as exc:
        return fail(str(exc), 1)
    finally:
        db.dispose()
    if checked is None:
        return fail(f"aucun plan pour le {args.date:%d/%m/%Y} : lancez « regul plan »", 1)
    _, plan, violations = checked
    served = sum(len(route.requests) for route in plan.routes)
    print(
        f"Plan du {args.date:%d/%m/%Y} : {len(plan.routes)} tournées, {served} demandes "
        f"servies, {len(plan.unassigned)} non servies, {len(violations)} infraction(s)"
    )
    for violation in violations:
        print(f"  {violation}")
    return EXIT_VIOLATIONS if violations else 0


def _export_plan(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        planning_input = load_problem(db, args.date)
        with db.reader() as session:
            stored = day_plan(session, args.date)
    finally:
        db.dispose()
    if stored is None:
        return fail(f"aucun plan pour le {args.date:%d/%m/%Y} : lancez « regul plan »", 1)
    problem = planning_input.problem
    plan = stored_plan(stored)
    vehicles = {v.id: v for v in problem.vehicles}
    roads = problem.rules.roads
    document: dict[str, Any] = {
        "date": args.date.isoformat(),
        "model": {
            "road_factor": roads.road_factor,
            "speed_kmh": {"urban": roads.urban_speed_kmh, "open_road": roads.open_road_speed_kmh},
            "urban_km": roads.urban_km,
            "overhead_minutes": roads.overhead_minutes,
            "rules": problem.rules.version,
        },
        "routes": [
            {
                "vehicle": route.vehicle_plate,
                "carrier": vehicles[route.vehicle_plate].carrier
                if route.vehicle_plate in vehicles
                else None,
                "kind": vehicles[route.vehicle_plate].kind.value
                if route.vehicle_plate in vehicles
                else None,
                "stops": [
                    {
                        "type": stop.kind.value.lower(),
                        **(
                            {"request": stop.request_external_id}
                            if stop.request_external_id
                            else {}
                        ),
                        "lat": stop.position.lat,
                        "lon": stop.position.lon,
                        "time": clock(planned.time),
                    }
                    for stop, planned in zip(route.stops, plan_route.stops, strict=True)
                ],
            }
            for route, plan_route in zip(stored.routes, plan.routes, strict=True)
        ],
        "unassigned": [
            {"request": request, "reason": reason} for request, reason in plan.unassigned.items()
        ],
        "kpis": dict(stored.kpis),
    }
    # pickup positions are patients' homes: the file is the user's alone, like every export
    write_private_text(args.out, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    print(f"Plan du {args.date:%d/%m/%Y} écrit dans {args.out}")
    return 0
