"""``regul bench darp|pdptw FILES…``: Régul's search on published instances, next to VROOM.

For each instance, DIR/<instance>.json holds Régul's solution (``{"instance", "cost",
"vehicles", "seconds", "routes"}``, routes from start depot to end depot with start-of-service
times and the file's node numbers); on Li & Lim instances, DIR/vroom/<instance>.json holds
VROOM's on the same budget. DIR/summary.json lists each one's gap to the best-known value and
the averages the issue's targets are stated in. Every solution is checked independently
(``planning.benchmarks.verify``) and its violations, if any, are listed.
"""

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from planning.benchmarks import cordeau, lilim
from planning.benchmarks.best_known import BestKnown, find_table, read_table
from planning.benchmarks.instance import BenchmarkInstance, Family
from planning.benchmarks.runs import Run, VroomMissing, labelled, run_search, run_vroom

_READERS: dict[Family, Callable[[Path], BenchmarkInstance]] = {
    "darp": cordeau.read,
    "pdptw": lilim.read,
}


def bench_published(
    family: Family,
    files: Sequence[Path],
    time_limit_s: float,
    out: Path,
    seed: int = 1,
    workers: int | None = None,
    with_vroom: bool = True,
    report: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Solve each file, write the solutions and the summary, and return the summary."""
    workers = workers or min(2, os.cpu_count() or 1)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in files:
        bench = _READERS[family](path)
        known = _best_known(path, bench.name)
        ours = run_search(bench, time_limit_s, seed, workers)
        _write(out / f"{bench.name}.json", bench, ours)
        row: dict[str, Any] = {"instance": bench.name, "best_known": _known(known)}
        row["regul"] = _figures(ours, known)
        if with_vroom and family == "pdptw":
            try:
                theirs = run_vroom(bench, time_limit_s, threads=workers)
            except VroomMissing as missing:
                report(str(missing))
                with_vroom = False
            else:
                _write(out / "vroom" / f"{bench.name}.json", bench, theirs)
                row["vroom"] = _figures(theirs, known)
        rows.append(row)
        report(_line(row))
    summary = {
        "family": family,
        "time_limit_s": time_limit_s,
        "seed": seed,
        "workers": workers,
        "instances": rows,
        "regul": _averages(rows, "regul"),
    }
    if any("vroom" in row for row in rows):
        summary["vroom"] = _averages(rows, "vroom")
        summary["regul_versus_vroom"] = _versus(rows)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _best_known(path: Path, name: str) -> BestKnown | None:
    table = find_table(path)
    return read_table(table).get(name.lower()) if table else None


def _write(path: Path, bench: BenchmarkInstance, run: Run) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "instance": bench.name,
        "cost": round(run.verdict.cost, 4),
        "vehicles": run.verdict.vehicles,
        "seconds": round(run.seconds, 2),
        "routes": labelled(bench, run.routes),
    }
    path.write_text(json.dumps(document) + "\n", encoding="utf-8")


def _known(known: BestKnown | None) -> dict[str, Any] | None:
    if known is None:
        return None
    return {"cost": known.cost, "vehicles": known.vehicles}


def _figures(run: Run, known: BestKnown | None) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "cost": round(run.verdict.cost, 4),
        "vehicles": run.verdict.vehicles,
        "seconds": round(run.seconds, 2),
        "feasible": run.verdict.feasible,
        "violations": list(run.verdict.violations[:20]),
        "gap_pct": None,
        "vehicles_over_best_known": None,
    }
    if known is not None:
        figures["gap_pct"] = round(100 * (run.verdict.cost - known.cost) / known.cost, 3)
        if known.vehicles is not None:
            figures["vehicles_over_best_known"] = run.verdict.vehicles - known.vehicles
    return figures


def _averages(rows: list[dict[str, Any]], solver: str) -> dict[str, Any]:
    """The figures the targets are stated in, over the instances with a best-known value."""
    runs = [row[solver] for row in rows if solver in row]
    gaps = [r["gap_pct"] for r in runs if r["gap_pct"] is not None]
    with_vehicles = [r for r in runs if r["vehicles_over_best_known"] is not None]
    same_fleet = [r for r in with_vehicles if r["vehicles_over_best_known"] == 0]
    return {
        "instances": len(runs),
        "feasible": sum(1 for r in runs if r["feasible"]),
        "average_gap_pct": round(sum(gaps) / len(gaps), 3) if gaps else None,
        "worst_gap_pct": max(gaps) if gaps else None,
        "vehicles_at_best_known_share": (
            round(len(same_fleet) / len(with_vehicles), 3) if with_vehicles else None
        ),
        "average_gap_pct_at_best_known_vehicles": (
            round(sum(r["gap_pct"] for r in same_fleet) / len(same_fleet), 3)
            if same_fleet
            else None
        ),
        "seconds": round(sum(r["seconds"] for r in runs), 1),
    }


def _versus(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How often Régul's solution ranks better, equal or worse than VROOM's: feasible first,
    then fewer vehicles, then distance (to 0.01)."""
    tally = {"better": 0, "equal": 0, "worse": 0}
    for row in rows:
        if "vroom" not in row:
            continue
        ours, theirs = (
            (not r["feasible"], r["vehicles"], round(r["cost"], 2))
            for r in (row["regul"], row["vroom"])
        )
        tally["better" if ours < theirs else "worse" if ours > theirs else "equal"] += 1
    return tally


def _line(row: dict[str, Any]) -> str:
    def one(solver: str) -> str:
        r = row[solver]
        gap = "" if r["gap_pct"] is None else f" écart {r['gap_pct']:+.2f} %"
        ok = "" if r["feasible"] else f" NON RÉALISABLE ({len(r['violations'])} violations)"
        return f"{solver} {r['cost']:.2f} ({r['vehicles']} véh.){gap}{ok}"

    parts = [one(s) for s in ("regul", "vroom") if s in row]
    return f"{row['instance']}: " + " | ".join(parts)
