"""``regul bench console``: how long the console takes to open a day and draw its map.

A synthetic day of N requests is imported into a scratch SQLite database and planned briefly
(the plan's quality does not matter here, its size does); then, timed separately: reading the
day as the console shows it (``load_day_view``, checker included), building the map page, and
the whole window opening on the day until the map reports it has drawn (offscreen).
"""

import platform
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from maps.route_map import render_map
from models.db import resolve_url
from models.migrate import upgrade
from models.session import Database
from planning.optimiser import SolveParams
from planning.plan import Plan
from regul.day_view import load_day_view
from regul.demo import build_demo_day, load_demo_day
from regul.planning_run import plan_day

OPEN_TARGET_S = 5.0  # issue 5: opening a 2,000-request day, and rendering its map, each < 5 s
_DAY = date(2026, 11, 24)


@dataclass(frozen=True)
class ConsoleBench:
    benchmark: str
    requests: int
    routes: int
    load_day_s: float
    render_map_s: float
    map_html_kb: int
    window_open_s: float  # window built, day shown, map drawn in WebEngine
    target_s: float
    within_target: bool
    python: str
    machine: str


def bench_console(requests: int, plan_s: float, seed: int = 1) -> ConsoleBench:
    with tempfile.TemporaryDirectory(prefix="regul-bench-") as folder:
        url = resolve_url(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        db = Database(url)
        upgrade(db)
        try:
            day = build_demo_day(_DAY, requests, seed)
            load_demo_day(db, day, Path(folder) / "files", actor="system:bench")
            plan_day(db, _DAY, SolveParams(time_limit_s=plan_s, seed=seed), "system:bench")
            started = time.perf_counter()
            view = load_day_view(db, _DAY)
            load_s = time.perf_counter() - started
            started = time.perf_counter()
            page = render_map(view.problem, view.plan or Plan(()), view.labels)
            render_s = time.perf_counter() - started
            window_s = _window_open_s(db)
        finally:
            db.dispose()
    routes = sum(1 for r in (view.plan.routes if view.plan else ()) if r.requests)
    return ConsoleBench(
        benchmark="console",
        requests=len(view.rows),
        routes=routes,
        load_day_s=round(load_s, 2),
        render_map_s=round(render_s, 2),
        map_html_kb=len(page.encode("utf-8")) // 1024,
        window_open_s=round(window_s, 2),
        target_s=OPEN_TARGET_S,
        within_target=max(load_s, render_s) < OPEN_TARGET_S,
        python=platform.python_version(),
        machine=platform.machine(),
    )


def _window_open_s(db: Database) -> float:
    from PySide6.QtCore import QEvent  # Qt only for this figure

    from console.app import application

    app = application()
    from console.main_window import MainWindow

    drawn: list[float] = []
    started = time.perf_counter()
    window = MainWindow(db, _DAY, "system:bench", tiles=False)
    window.map_view.loaded.connect(lambda _ok: drawn.append(time.perf_counter()))
    window.show()
    deadline = time.perf_counter() + 120
    while not drawn and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.close()
    window.deleteLater()  # its web page must go before WebEngine's profile does, at exit
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return (drawn[0] if drawn else float("inf")) - started
