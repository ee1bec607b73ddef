"""``regul bench …``: measured figures for the targets the issues set, as JSON.

Timings are wall-clock on this machine, in a scratch SQLite database unless ``--db`` names one.
Each run generates its input, so the figure does not depend on files lying around.
"""

import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importers.columns import TableKind
from importers.geocoding import default_geocoder
from importers.run import Fate, import_file
from importers.samples import (
    write_establishments,
    write_messy_requests,
    write_tidy_requests,
    write_vehicles,
)
from importers.synthetic import generate_day
from models.db import resolve_url
from models.migrate import upgrade
from models.repositories.common import Outcome
from models.session import Database
from planning.checker import check
from planning.decompose import areas
from planning.kpis import plan_kpis, solo_baseline
from planning.optimiser import SolveParams, solve
from planning.plan_costs import plan_costs
from planning.travel import CrowFliesTravel
from regul.planning_input import problem_from_records

if TYPE_CHECKING:
    from regul.bench_console import ConsoleBench

IMPORT_TARGET_S_PER_10K_ROWS = 15.0  # issue 3: 10,000 request rows in under 15 s
_MESSY_ROWS_PER_REQUEST = 0.545  # round trips share a row: ~0.55 row per request


@dataclass(frozen=True)
class ImportBench:
    benchmark: str
    file_format: str
    rows: int
    requests_imported: int
    rows_rejected: int
    write_file_s: float
    import_s: float
    reimport_unchanged_s: float
    rows_per_s: float
    target_s: float
    within_target: bool
    peak_rss_mb: float | None  # None where the system does not tell (Windows)
    database: str
    python: str
    machine: str


def bench_import(rows: int, file_format: str, database_url: str | None) -> ImportBench:
    requests = rows if file_format == "tidy" else round(rows / _MESSY_ROWS_PER_REQUEST)
    with tempfile.TemporaryDirectory(prefix="regul-bench-") as scratch:
        folder = Path(scratch)
        db = Database(resolve_url(database_url or f"sqlite:///{folder / 'bench.sqlite'}"))
        try:
            upgrade(db)
            day = generate_day(date(2026, 11, 24), requests=requests, seed=11)
            geocoder = default_geocoder()
            for kind, sample in (
                (TableKind.ESTABLISHMENTS, write_establishments(day, folder / "e.xlsx")),
                (TableKind.VEHICLES, write_vehicles(day, folder / "v.csv")),
            ):
                import_file(db, kind, sample.path, geocoder, "bench")
            started = time.perf_counter()
            writer = write_tidy_requests if file_format == "tidy" else write_messy_requests
            sample = writer(day, folder / "demandes.xlsx")
            written = time.perf_counter() - started
            started = time.perf_counter()
            result = import_file(db, TableKind.REQUESTS, sample.path, geocoder, "bench")
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            again = import_file(db, TableKind.REQUESTS, sample.path, geocoder, "bench")
            reimport = time.perf_counter() - started
            assert again.outcome_count(Outcome.CREATED) == 0
        finally:
            db.dispose()
    target = IMPORT_TARGET_S_PER_10K_ROWS * len(result.table.rows) / 10_000
    return ImportBench(
        benchmark="import",
        file_format=file_format,
        rows=len(result.table.rows),
        requests_imported=result.outcome_count(Outcome.CREATED),
        rows_rejected=result.count(Fate.REJECTED),
        write_file_s=round(written, 2),
        import_s=round(elapsed, 2),
        reimport_unchanged_s=round(reimport, 2),
        rows_per_s=round(len(result.table.rows) / elapsed),
        target_s=round(target, 2),
        within_target=elapsed < target,
        peak_rss_mb=_peak_rss_mb(),
        database=db.url.get_backend_name(),
        python=platform.python_version(),
        machine=platform.machine(),
    )


def as_json_dict(bench: "ImportBench | PlanBench | ConsoleBench") -> dict[str, Any]:
    return asdict(bench)


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024, 1)


@dataclass(frozen=True)
class PlanBench:
    benchmark: str
    requests: int
    vehicles: int
    areas: int
    time_limit_s: float
    seconds: float
    served_share: float
    km_vs_solo: float
    empty_km_share: float
    shared_patient_share: float
    vehicles_used: int
    violations: int
    insurer_weight_km_per_eur: float
    insurer_pays_eur: float
    solo_insurer_pays_eur: float
    peak_rss_mb: float | None
    python: str
    machine: str


def bench_plan(
    requests: int,
    time_limit_s: float,
    seed: int,
    insurer_km_per_eur: float = SolveParams.insurer_km_per_eur,
) -> PlanBench:
    """Plan a synthetic Nord day of ``requests`` (fleet sized as the demo) and check it."""
    day = generate_day(date(2026, 11, 24), requests=requests, seed=seed)
    problem = problem_from_records(day.service_date, day.requests, day.vehicles, day.carriers)
    travel = CrowFliesTravel(problem.problem.rules.roads)
    started = time.perf_counter()
    params = SolveParams(
        time_limit_s=time_limit_s, seed=seed, insurer_km_per_eur=insurer_km_per_eur
    )
    result = solve(problem.problem, travel, params)
    elapsed = time.perf_counter() - started
    kpis = plan_kpis(problem.problem, result.plan, travel)
    baseline = solo_baseline(problem.problem, travel)
    costs = plan_costs(problem.problem, result.plan, travel)
    return PlanBench(
        benchmark="plan",
        requests=requests,
        vehicles=len(problem.problem.vehicles),
        areas=len(areas(problem.problem)),
        time_limit_s=time_limit_s,
        seconds=round(elapsed, 1),
        served_share=kpis.served_share,
        km_vs_solo=round(kpis.total_km / baseline.total_km, 3) if baseline.total_km else 0.0,
        empty_km_share=kpis.empty_km_share,
        shared_patient_share=kpis.shared_patient_share,
        vehicles_used=kpis.vehicles_used,
        violations=len(check(problem.problem, result.plan, travel)),
        insurer_weight_km_per_eur=insurer_km_per_eur,
        insurer_pays_eur=costs.insurer_pays_eur,
        solo_insurer_pays_eur=costs.solo_insurer_pays_eur,
        peak_rss_mb=_peak_rss_mb(),
        python=platform.python_version(),
        machine=platform.machine(),
    )
