"""The long form of the fault tests, run by hand: ``python -m tests.faults --rounds N``.

Each round, on SQLite and on a throwaway PostgreSQL cluster: import, plan save and push each
killed once inside its write transaction and once at a random moment, the database checked
and the command run again; the server restarted under committed and in-flight writes, under a
running import and under a watching console (fast and immediate stops in turn); every local
file fault once. Figures at the end; exit code 1 if anything was found wrong.
"""

import argparse
import contextlib
import io
import json
import logging
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import URL, make_url

from models.enums import Role
from models.session import Database
from regul.access import Principal
from tests.faults.cluster import Cluster
from tests.faults.local_files import MountUnavailable
from tests.faults.scenarios import (
    ACTOR,
    COMMANDS,
    DAY,
    FILE_FAULTS,
    Day,
    Kill,
    Recovery,
    file_fault,
    kill_and_rerun,
    median,
    prepare_day,
    restart_under_command,
    restart_under_import,
    restart_under_writes,
)

_T = TypeVar("_T")


def console_recovery(cluster: Cluster, url: URL, mode: str) -> Recovery:
    """A console's watcher on a server stopped a second then started: from the server
    accepting connections to « Connexion rétablie » (the first successful read)."""
    from console.live_updates import LiveUpdates

    db = Database(url)
    live = LiveUpdates(db, Principal(ACTOR, Role.REGULATOR), DAY)
    troubled, recovered = threading.Event(), threading.Event()
    moments: list[float] = []
    live.trouble.connect(lambda _text: troubled.set())

    def back_again() -> None:
        moments.append(time.monotonic())
        recovered.set()

    live.recovered.connect(back_again)
    live.start()
    try:
        _wait_events(lambda: False, 1.5)
        cluster.stop(mode)
        if not _wait_events(troubled.is_set, 30):
            raise AssertionError("la console n'a pas dit que le serveur était perdu")
        back = cluster.resume()
        if not _wait_events(recovered.is_set, 30):
            raise AssertionError("la console n'a pas dit que la connexion était rétablie")
    finally:
        live.stop()
        db.dispose()
    return Recovery("console", mode, moments[0] - back)


def _wait_events(condition: Callable[[], bool], seconds: float) -> bool:
    """Deliver the watcher's signals (sent from its thread) until ``condition`` holds."""
    from PySide6.QtCore import QCoreApplication

    application = QCoreApplication.instance() or QCoreApplication([])
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        application.processEvents()
        if condition():
            return True
        time.sleep(0.005)
    return condition()


class _Run:
    """What the rounds found: kills, recoveries, file faults, and anything wrong."""

    def __init__(self, root: Path, cluster: Cluster, requests: int, seed: int) -> None:
        self.root, self.cluster, self.requests = root, cluster, requests
        self.rng = random.Random(seed)
        self.kills: list[Kill] = []
        self.recoveries: list[Recovery] = []
        self.faults: Counter[str] = Counter()
        self.failures: list[str] = []
        self.restarted_commands = 0

    def attempt(self, what: str, step: Callable[[], _T]) -> _T | None:
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # the commands' output is theirs
                return step()
        except MountUnavailable as exc:
            self.failures.append(f"{what} : impossible à simuler ({exc})")
        except Exception:
            self.failures.append(f"{what} :\n{traceback.format_exc()}")
        return None

    def round(self, number: int) -> None:
        mode = ("fast", "immediate")[number % 2]
        for backend in ("sqlite", "postgresql"):
            for moment in ("transaction", "random"):
                day = self.day(backend)
                for command in COMMANDS:
                    kill = self.attempt(
                        f"tour {number}, {backend}, {command} tué ({moment})",
                        partial(kill_and_rerun, day, command, moment, self.rng),
                    )
                    if kill is not None:
                        self.kills.append(kill)
        for scenario in (self.restart_writes, self.restart_console):
            recovery = self.attempt(f"tour {number}, redémarrage {mode}", partial(scenario, mode))
            if recovery is not None:
                self.recoveries.append(recovery)
        day = self.day("postgresql")
        for command in COMMANDS:
            what = f"tour {number}, {command} sous redémarrage {mode}"
            if command == "import":
                recovery = self.attempt(
                    what, partial(restart_under_import, day, self.cluster, mode)
                )
                if recovery is not None:
                    self.recoveries.append(recovery)
                    self.restarted_commands += 1
            elif self.attempt(what, partial(self.restart_command, day, command, mode)):
                self.restarted_commands += 1
        for fault in FILE_FAULTS:
            day = self.day("sqlite")
            if self.attempt(f"tour {number}, {fault}", partial(file_fault, day, fault)):
                self.faults[fault] += 1

    def day(self, backend: str) -> Day:
        folder = self.root / uuid.uuid4().hex
        if backend == "sqlite":
            url = make_url(f"sqlite+pysqlite:///{folder}/regul.sqlite")
        else:
            url = self.cluster.new_database(f"faults_{uuid.uuid4().hex[:12]}")
        return prepare_day(url, folder / "in", self.requests)

    def restart_writes(self, mode: str) -> Recovery:
        return restart_under_writes(self.day("postgresql").url, self.cluster, mode)

    def restart_command(self, day: Day, command: str, mode: str) -> bool:
        restart_under_command(day, self.cluster, command, mode)
        return True

    def restart_console(self, mode: str) -> Recovery:
        return console_recovery(self.cluster, self.day("postgresql").url, mode)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.faults", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=40, help="requests of the day (40)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report", type=Path, help="the figures as JSON in this file too")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="regul-faults-"))
    for variable in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ[variable] = str(root / variable)  # the user's own Régul stays out of it
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.getLogger().addHandler(logging.NullHandler())  # refusals are in the messages
    started = time.monotonic()
    cluster = Cluster.start()
    try:
        run = _Run(root, cluster, args.requests, args.seed)
        for number in range(1, args.rounds + 1):
            run.round(number)
            print(f"tour {number} fini ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    finally:
        cluster.remove()
        shutil.rmtree(root, ignore_errors=True)
    figures = _figures(args.rounds, run, time.monotonic() - started)
    _report(figures)
    if args.report is not None:
        args.report.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 1 if run.failures else 0


def _figures(rounds: int, run: _Run, seconds: float) -> dict[str, Any]:
    """What the run found, as the report prints it and as JSON (``--report``)."""
    kills = run.kills
    by_case = []
    for key in sorted({(k.backend, k.command, k.moment) for k in kills}):
        chosen = [k for k in kills if (k.backend, k.command, k.moment) == key]
        by_case.append(
            {
                "backend": key[0],
                "command": key[1],
                "moment": key[2],
                "started": len(chosen),
                "killed": sum(k.killed for k in chosen),
                "all_saved": sum(k.saved for k in chosen),
                "nothing_saved": len(chosen) - sum(k.saved for k in chosen),
            }
        )
    recoveries = {}
    for what in sorted({r.what for r in run.recoveries}):
        times = [r.seconds for r in run.recoveries if r.what == what]
        recoveries[what] = {
            "times": len(times),
            "median_s": round(median(times), 3),
            "max_s": round(max(times), 3),
        }
    return {
        "command": "python -m tests.faults " + " ".join(sys.argv[1:]),
        "rounds": rounds,
        "seconds": round(seconds, 1),
        "started": len(kills),
        "killed": sum(k.killed for k in kills),
        "kills": by_case,
        "consistent_and_rerun": sum(k.rerun_ok for k in kills),
        "commands_under_restart": run.restarted_commands,
        "recovery": recoveries,
        "file_faults": dict(sorted(run.faults.items())),
        "failures": list(run.failures),
    }


def _report(figures: dict[str, Any]) -> None:
    print(f"Tours : {figures['rounds']} en {figures['seconds']:.0f} s")
    print(f"Processus lancés puis tués : {figures['killed']} sur {figures['started']}")
    for case in figures["kills"]:
        print(
            f"  {case['backend']:<10} {case['command']:<6} {case['moment']:<11} : "
            f"{case['started']} lancés, {case['killed']} tués ; ensuite {case['all_saved']} "
            f"avaient tout enregistré, {case['nothing_saved']} rien"
        )
    print(
        f"Base cohérente et relance terminée : {figures['consistent_and_rerun']} sur "
        f"{figures['started']}"
    )
    print(
        f"Commandes sous redémarrage (import repris seul ; plan, push : « rien n'a été "
        f"enregistré », puis relancés) : {figures['commands_under_restart']} réussies"
    )
    for what, times in figures["recovery"].items():
        print(
            f"Reprise après redémarrage ({what}) : {times['times']} fois, médiane "
            f"{times['median_s']:.2f} s, max {times['max_s']:.2f} s"
        )
    print(
        "Fautes du fichier local : "
        + ", ".join(f"{k} {v}" for k, v in figures["file_faults"].items())
    )
    print(f"Incohérences ou échecs : {len(figures['failures'])}")
    for failure in figures["failures"]:
        print(f"  {failure}")


if __name__ == "__main__":
    sys.exit(main())
