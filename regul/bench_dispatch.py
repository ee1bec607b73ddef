"""``regul bench dispatch``: a day's dispatch timed, step by step, as JSON.

A synthetic day is imported and planned, then pushed to its carriers; every carrier answers
(one trip in twenty refused), the sweep hands the refusals back, a re-plan gives them to other
vehicles and a second push proposes them, which are then left to expire and re-offered. On
PostgreSQL, the delay between a commit and another desk hearing of it is measured too.
"""

import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from models.db import resolve_url
from models.enums import MissionStatus, Role
from models.migrate import upgrade
from models.repositories.missions import missions_of_day
from models.session import Database
from models.timezone import now
from planning.optimiser import SolveParams
from regul.access import Principal
from regul.bench import _peak_rss_mb
from regul.changes import ChangeListener
from regul.demo import build_demo_day, load_demo_day
from regul.dispatch import (
    Answer,
    answer_missions,
    expiry_minutes,
    mark_done,
    push,
    set_expiry_minutes,
    sweep,
)
from regul.planning_run import plan_day

_DAY = date(2026, 11, 24)
_REGULATOR = Principal("system:bench", Role.ADMIN)
_REFUSE_EVERY = 20
_NOTIFY_ROUNDS = 10
T = TypeVar("T")


@dataclass(frozen=True)
class DispatchBench:
    benchmark: str
    database: str
    requests: int
    carriers: int
    plan_time_limit_s: float
    push_s: float
    proposed: int
    push_again_s: float  # nothing changed: nothing sent
    answers_s: float  # every carrier's answers, one transaction per carrier
    accepted: int
    refused: int
    sweep_refusals_s: float  # refused trips off their vehicle, back to the pool
    returned: int
    replan_s: float
    push_after_replan_s: float
    proposed_after_replan: int
    retimed_after_replan: int  # held trips the re-plan moved a little: answer kept
    sweep_expiry_s: float  # the new proposals unanswered: expired and offered on
    expired: int
    reoffered: int
    notify_latency_ms: float | None  # PostgreSQL: commit → heard by another desk (median)
    peak_rss_mb: float | None


def bench_dispatch(requests: int, plan_time_s: float, database_url: str | None) -> DispatchBench:
    with tempfile.TemporaryDirectory(prefix="regul-bench-") as scratch:
        folder = Path(scratch)
        db = Database(resolve_url(database_url or f"sqlite:///{folder / 'bench.sqlite'}"))
        try:
            upgrade(db)
            return _run(db, folder, requests, plan_time_s)
        finally:
            db.dispose()


def _run(db: Database, folder: Path, requests: int, plan_time_s: float) -> DispatchBench:
    day = build_demo_day(_DAY, requests, 1)
    load_demo_day(db, day, folder / "demo", actor="system:bench")
    params = SolveParams(time_limit_s=plan_time_s, seed=1)
    plan_day(db, _DAY, params, "system:bench")

    pushed, push_s = _timed(lambda: push(db, _REGULATOR, _DAY))
    again, push_again_s = _timed(lambda: push(db, _REGULATOR, _DAY))
    assert not again.proposed

    with db.reader() as session:
        proposed = missions_of_day(session, _DAY, statuses=(MissionStatus.PROPOSED,))
    by_carrier: dict[str, list[Answer]] = defaultdict(list)
    for k, mission in enumerate(proposed):
        refuse = k % _REFUSE_EVERY == 0
        by_carrier[mission.carrier_siret].append(
            Answer(mission.id, mission.version, not refuse, "pas de véhicule" if refuse else None)
        )
    started = time.perf_counter()
    accepted = refused = 0
    for siret, answers in by_carrier.items():
        carrier = Principal(f"bench-{siret}", Role.CARRIER_DISPATCHER, siret)
        report = answer_missions(db, carrier, answers)
        accepted += len(report.accepted)
        refused += len(report.refused)
    answers_s = time.perf_counter() - started

    back, sweep_refusals_s = _timed(lambda: sweep(db, _REGULATOR, days={_DAY}))
    _, replan_s = _timed(lambda: plan_day(db, _DAY, params, "system:bench"))
    repushed, push_after_replan_s = _timed(lambda: push(db, _REGULATOR, _DAY))
    set_expiry_minutes(db, _REGULATOR, 15)
    later = now() + timedelta(minutes=expiry_minutes(db) + 1)
    expiry, sweep_expiry_s = _timed(lambda: sweep(db, _REGULATOR, moment=later))
    return DispatchBench(
        benchmark="dispatch",
        database=db.url.get_backend_name(),
        requests=requests,
        carriers=len(day.carriers),
        plan_time_limit_s=plan_time_s,
        push_s=push_s,
        proposed=len(pushed.proposed),
        push_again_s=push_again_s,
        answers_s=round(answers_s, 2),
        accepted=accepted,
        refused=refused,
        sweep_refusals_s=sweep_refusals_s,
        returned=len(back.returned),
        replan_s=replan_s,
        push_after_replan_s=push_after_replan_s,
        proposed_after_replan=len(repushed.proposed),
        retimed_after_replan=len(repushed.retimed),
        sweep_expiry_s=sweep_expiry_s,
        expired=len(expiry.expired),
        reoffered=len(expiry.reoffered),
        notify_latency_ms=_notify_latency_ms(db, accepted_missions(db)),
        peak_rss_mb=_peak_rss_mb(),
    )


def _timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, round(time.perf_counter() - started, 2)


def accepted_missions(db: Database) -> list[int]:
    with db.reader() as session:
        accepted = missions_of_day(session, _DAY, statuses=(MissionStatus.ACCEPTED,))
    return [m.id for m in accepted[:_NOTIFY_ROUNDS]]


def _notify_latency_ms(db: Database, missions: list[int]) -> float | None:
    """Median delay from a trip marked done (committed) to another connection hearing it."""
    if db.url.get_backend_name() != "postgresql":
        return None
    listener = ChangeListener(db)
    delays = []
    try:
        listener.wait(0.1, time.sleep)  # listening from now on
        for mission_id in missions:
            mark_done(db, _REGULATOR, [mission_id])
            committed = time.perf_counter()
            if listener.wait(5.0, time.sleep):
                delays.append((time.perf_counter() - committed) * 1000)
    finally:
        listener.close()
    return round(statistics.median(delays), 1) if delays else None
