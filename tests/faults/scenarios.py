"""The fault scenarios, shared by the CI tests and the long form run by hand.

A command is run as its own process (``python -m regul.cli …``) and killed with SIGKILL, at a
random moment or while its write transaction is open. How the open transaction is found, with
no hook in Régul: on PostgreSQL this side holds a lock on the audit log, which every write
transaction appends to, and waits until the command's backend (known by its application name)
is blocked on it, its first rows written; on SQLite it probes the write lock, which the command
holds from its first write until its commit. Afterwards the database must be whole and the
command, run again, must finish the job.
"""

import contextlib
import hashlib
import io
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import URL, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from importers.columns import TableKind
from importers.geocoding import default_geocoder
from importers.run import import_file
from importers.samples import write_establishments, write_tidy_requests, write_vehicles
from importers.synthetic import generate_day
from models import TransportRequest
from models import db as db_settings
from models.audit import AuditEntry
from models.db import is_sqlite, sqlite_file
from models.enums import MissionStatus
from models.errors import ConnectionLostError, DatabaseUnavailableError
from models.migrate import head_revision, upgrade
from models.repositories.audit import record_action
from models.repositories.missions import missions_of_day
from models.repositories.plans import day_plan
from models.session import Database
from regul.access import principal_for
from regul.cli import main
from regul.dispatch import push
from regul.planning_run import check_day
from tests.faults.cluster import Cluster
from tests.faults.local_files import fill, make_too_new, read_only, small_disk, write_lock_held

DAY = date(2026, 11, 24)
ACTOR = "fault-runner"
COMMANDS = ("import", "plan", "push")
LIVE = (MissionStatus.PROPOSED, MissionStatus.ACCEPTED, MissionStatus.DONE)
WAIT_S = 90.0  # a command that neither reaches its transaction nor ends: something is stuck


class ScenarioError(AssertionError):
    """The database was found inconsistent, or a rerun did not finish the job."""


@dataclass(frozen=True)
class Day:
    """A day ready for the commands: reference data imported, the requests file written."""

    url: URL
    requests_file: Path
    expected_requests: int

    def arguments(self, command: str) -> list[str]:
        where = ["--db", self.url.render_as_string(hide_password=False), "--date", f"{DAY}"]
        if command == "import":
            return ["import", "requests", str(self.requests_file), *where]
        if command == "plan":
            return ["plan", *where, "--time-limit", "10", "--iterations", "40", "--seed", "1"]
        return ["push", *where]


@dataclass(frozen=True)
class Kill:
    command: str
    backend: str
    moment: str  # "transaction" or "random"
    killed: bool  # False: the command had already ended
    saved: bool  # the command's writes were found in the database after the kill
    rerun_ok: bool


@dataclass(frozen=True)
class Recovery:
    what: str
    mode: str  # how the server was stopped: fast (connections cut) or immediate (a crash)
    seconds: float  # from the server accepting connections again to the first success


@dataclass(frozen=True)
class FileFault:
    fault: str
    code: int  # the command's exit code under the fault
    message: str  # what it printed on stderr


FILE_FAULTS = {  # the fault, and words its message must hold
    "verrouillée": "occupée",
    "fichier en lecture seule": "lecture seule",
    "dossier en lecture seule": "lecture seule",
    "disque plein": "disque plein",
    "base plus récente": "plus récent",
}


def prepare_day(url: URL, folder: Path, requests: int = 40) -> Day:
    """Migrate, import the establishments and the fleet, write the day's requests file."""
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    try:
        upgrade(db)
        day = generate_day(DAY, requests=requests, seed=1)
        geocoder = default_geocoder()
        import_file(db, TableKind.ESTABLISHMENTS, write_establishments(day, folder / "e.xlsx").path,
                    geocoder, ACTOR)  # fmt: skip
        import_file(db, TableKind.VEHICLES, write_vehicles(day, folder / "v.csv").path,
                    geocoder, ACTOR)  # fmt: skip
        sample = write_tidy_requests(day, folder / "demandes.xlsx")
    finally:
        db.dispose()
    return Day(url, sample.path, sample.expected_requests)


def bring_to(day: Day, command: str) -> None:
    """Run, in this process, the commands that come before ``command``."""
    for earlier in COMMANDS[: COMMANDS.index(command)]:
        rerun(day, earlier)


def rerun(day: Day, command: str) -> None:
    """The command run again, as a user would, to the end."""
    code = main(day.arguments(command))
    if code != 0:
        raise ScenarioError(f"« regul {command} » relancée : code {code}")


def spawn(day: Day, command: str, tag: str) -> "subprocess.Popen[str]":
    environment = dict(os.environ, PGAPPNAME=tag, REGUL_USER=ACTOR)
    return subprocess.Popen(
        [sys.executable, "-m", "regul.cli", *day.arguments(command)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_and_rerun(
    day: Day, command: str, moment: str, rng: random.Random, typical_s: float = 4.0
) -> Kill:
    """Kill ``command`` at ``moment``, check the database, run the command again, check."""
    tag = f"regul-fault-{uuid.uuid4().hex[:8]}"
    before = _snapshot(day, command)
    if moment == "transaction":
        with _in_transaction(day, command, tag) as process:
            process.send_signal(signal.SIGKILL)
        killed = True
    else:
        process = spawn(day, command, tag)
        try:
            process.wait(timeout=rng.uniform(0.0, typical_s))
            killed = False
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            killed = True
    process.communicate(timeout=WAIT_S)
    _settled(day, tag)
    after = _snapshot(day, command)
    check_consistent(day, command)
    rerun(day, command)
    check_consistent(day, command)
    check_done(day, command)
    final = _snapshot(day, command)
    if after not in (before, final):
        raise ScenarioError(f"« regul {command} » tuée : travail à moitié enregistré")
    return Kill(command, _backend(day), moment, killed, after != before, rerun_ok=True)


def restart_under_import(day: Day, cluster: Cluster, mode: str) -> Recovery:
    """The server restarted while ``regul import`` has its first rows written: the import
    waits for the server, saves the whole file again by itself, and says so."""
    if _snapshot(day, "import") != (0,):
        raise ValueError("a day whose requests are not imported yet is needed")
    tag = f"regul-fault-{uuid.uuid4().hex[:8]}"
    with _in_transaction(day, "import", tag) as process:
        back = cluster.restart(mode)
        saved = _wait_for(lambda: _snapshot(day, "import") == (day.expected_requests,))
        _, err = process.communicate(timeout=WAIT_S)
    if process.returncode != 0 or "nouvel essai" not in err:
        raise ScenarioError(f"import sous redémarrage : code {process.returncode} ; {err[-2000:]}")
    check_consistent(day, "import")
    return Recovery("import", mode, saved - back)


def restart_under_command(day: Day, cluster: Cluster, command: str, mode: str) -> None:
    """The server restarted while ``regul plan`` or ``regul push`` has its first rows written:
    one line says the connection was lost and nothing saved, which is so; run again, the
    command finishes the job."""
    tag = f"regul-fault-{uuid.uuid4().hex[:8]}"
    before = _snapshot(day, command)
    with _in_transaction(day, command, tag) as process:
        cluster.restart(mode)
        _, err = process.communicate(timeout=WAIT_S)
    said = [line for line in err.splitlines() if line.startswith("regul: ")]
    told = len(said) == 1 and "perdue" in said[0] and "rien n'a été enregistré" in said[0]
    if process.returncode != 1 or not told:
        raise ScenarioError(f"{command} sous redémarrage : code {process.returncode} ; {err}")
    if _retry_snapshot(day, command) != before:
        raise ScenarioError(f"{command} sous redémarrage : annoncé non enregistré, mais changé")
    check_consistent(day, command)
    rerun(day, command)
    check_done(day, command)


def _retry_snapshot(day: Day, command: str) -> tuple[object, ...]:
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            return _snapshot(day, command)
        except DatabaseUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def restart_under_writes(url: URL, cluster: Cluster, mode: str) -> Recovery:
    """A write confirmed before the restart is there after it; the one cut off by it is
    reported, and is not there unless reported as possibly saved; the same Database works
    again by itself (its pool tests connections before use)."""
    marker = uuid.uuid4().hex
    db = Database(url)
    try:
        with db.transaction(ACTOR) as session:
            record_action(session, "essai", "panne", None, f"confirmé {marker}")
        try:
            with db.transaction(ACTOR) as session:
                record_action(session, "essai", "panne", None, f"en vol {marker}")
                session.flush()
                back = cluster.restart(mode)
        except ConnectionLostError as exc:
            reported = exc
        else:
            raise ScenarioError("une écriture coupée par le redémarrage annoncée comme faite")

        def details() -> set[str]:
            with db.reader() as session:
                return set(
                    session.scalars(
                        select(AuditEntry.detail).where(AuditEntry.detail.contains(marker))
                    )
                )

        found = _retry_read(details)
        recovered = time.monotonic()
    finally:
        db.dispose()
    if f"confirmé {marker}" not in found:
        raise ScenarioError("une écriture confirmée a disparu au redémarrage")
    if f"en vol {marker}" in found and not reported.in_doubt:
        raise ScenarioError("une écriture annoncée « rien n'a été enregistré » est là")
    return Recovery("écriture", mode, recovered - back)


def _retry_read(read: Callable[[], set[str]]) -> set[str]:
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            return read()
        except DatabaseUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _wait_for(condition: Callable[[], bool]) -> float:
    """When ``condition`` first held (monotonic time), looked at every 10 ms."""
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            if condition():
                return time.monotonic()
        except DatabaseUnavailableError:
            pass
        if time.monotonic() > deadline:
            raise ScenarioError(f"rien en {WAIT_S:.0f} s")
        time.sleep(0.01)


def file_fault(day: Day, fault: str, busy_timeout_ms: int = 500) -> FileFault:
    """``regul import`` under ``fault`` on the day's SQLite file: one French line, exit code
    1, the file whole and untouched by the import; once the fault is gone the import runs."""
    path = sqlite_file(day.url)
    if fault == "disque plein":
        return _on_a_full_disk(day, path)
    before = _digest(path)
    with contextlib.ExitStack() as stack:
        if fault == "verrouillée":
            # the wait is shortened: what is tested is what comes after it
            stack.enter_context(_busy_timeout(busy_timeout_ms))
            stack.enter_context(write_lock_held(path))
        elif fault == "fichier en lecture seule":
            stack.enter_context(read_only(path))
        elif fault == "dossier en lecture seule":
            stack.enter_context(read_only(path.parent))
        elif fault == "base plus récente":
            make_too_new(path)
            before = _digest(path)
        else:
            raise ValueError(fault)
        code, message = run_main(day.arguments("import"))
    if _digest(path) != before or list(path.parent.glob("*avant-migration*")):
        raise ScenarioError(f"{fault} : le fichier a changé")
    if fault == "base plus récente":
        make_too_new(path, head_revision())
    return _judged(day, fault, code, message)


def _on_a_full_disk(day: Day, path: Path) -> FileFault:
    size_kb = path.stat().st_size // 1024 + 1024
    with small_disk(size_kb) as disk:
        moved = disk / path.name
        shutil.copyfile(path, moved)
        on_disk = Day(day.url.set(database=str(moved)), day.requests_file, day.expected_requests)
        filler = fill(disk, leave_kb=64)
        code, message = run_main(on_disk.arguments("import"))
        filler.unlink()
        return _judged(on_disk, "disque plein", code, message)


def _judged(day: Day, fault: str, code: int, message: str) -> FileFault:
    lines = message.strip().splitlines()
    words = FILE_FAULTS[fault]
    if code != 1 or len(lines) != 1 or not lines[0].startswith("regul: ") or words not in message:
        raise ScenarioError(f"{fault} : code {code}, message {message!r}")
    check_consistent(day, "import")
    if _snapshot(day, "import") != (0,):
        raise ScenarioError(f"{fault} : l'import a laissé des demandes")
    rerun(day, "import")
    check_consistent(day, "import")
    check_done(day, "import")
    return FileFault(fault, code, lines[0])


def run_main(arguments: Sequence[str]) -> tuple[int, str]:
    """``regul …`` in this process: its exit code and what it wrote on stderr."""
    err = io.StringIO()
    quiet = logging.NullHandler()  # as the launcher's log file would, keeps records off stderr
    logging.getLogger().addHandler(quiet)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(list(arguments))
    finally:
        logging.getLogger().removeHandler(quiet)
    return code, err.getvalue()


@contextlib.contextmanager
def _busy_timeout(milliseconds: int) -> Iterator[None]:
    kept = db_settings.SQLITE_BUSY_TIMEOUT_MS
    db_settings.SQLITE_BUSY_TIMEOUT_MS = milliseconds
    try:
        yield
    finally:
        db_settings.SQLITE_BUSY_TIMEOUT_MS = kept


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backend(day: Day) -> str:
    return "sqlite" if is_sqlite(day.url) else "postgresql"


@contextmanager
def _in_transaction(day: Day, command: str, tag: str) -> Iterator["subprocess.Popen[str]"]:
    """The command's process, held (PostgreSQL) or caught (SQLite) inside its write
    transaction."""
    if is_sqlite(day.url):
        process = spawn(day, command, tag)
        try:
            _wait_for_sqlite_writer(sqlite_file(day.url), process, command)
            yield process
        finally:
            _reap(process)
        return
    holder = create_engine(day.url)
    watcher = create_engine(day.url, isolation_level="AUTOCOMMIT")
    try:
        with holder.connect() as hold, watcher.connect() as watch:
            hold.execute(text("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"))
            process = spawn(day, command, tag)
            try:
                _wait(
                    lambda: watch.scalar(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = :tag "
                            "AND wait_event_type = 'Lock'"
                        ),
                        {"tag": tag},
                    ),
                    process,
                    f"« regul {command} » bloquée dans sa transaction",
                )
                yield process
            finally:
                _reap(process)
                try:
                    hold.rollback()
                except DBAPIError:  # the server was restarted meanwhile
                    hold.invalidate()
    finally:
        holder.dispose()
        watcher.dispose()


def _wait_for_sqlite_writer(path: Path, process: "subprocess.Popen[str]", command: str) -> None:
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:

        def writer_active() -> bool:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
                    return True
                raise
            probe.execute("ROLLBACK")
            return False

        _wait(writer_active, process, f"« regul {command} » en train d'écrire", pause_s=0.003)
    finally:
        probe.close()


def _wait(
    condition: object, process: "subprocess.Popen[str]", what: str, pause_s: float = 0.02
) -> None:
    assert callable(condition)
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if process.poll() is not None:
            _, err = process.communicate()
            raise ScenarioError(f"{what} : jamais vue, code {process.returncode} ; {err[-2000:]}")
        if time.monotonic() > deadline:
            raise ScenarioError(f"{what} : jamais vue en {WAIT_S:.0f} s")
        time.sleep(pause_s)


def _reap(process: "subprocess.Popen[str]") -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=WAIT_S)


def _settled(day: Day, tag: str) -> None:
    """On PostgreSQL, until the server has ended the killed client's backend (rolled back)."""
    if is_sqlite(day.url):
        return
    watcher = create_engine(day.url, isolation_level="AUTOCOMMIT")
    try:
        with watcher.connect() as watch:
            deadline = time.monotonic() + WAIT_S
            query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :tag")
            while watch.scalar(query, {"tag": tag}):
                if time.monotonic() > deadline:
                    raise ScenarioError(f"la session {tag} du processus tué ne finit pas")
                time.sleep(0.02)
    finally:
        watcher.dispose()


def _snapshot(day: Day, command: str) -> tuple[object, ...]:
    """What the command changes: the day's requests, its plan's routes, its live missions."""
    db = Database(day.url)
    try:
        with db.reader() as session:
            if command == "import":
                return (
                    session.scalar(
                        select(func.count())
                        .select_from(TransportRequest)
                        .where(TransportRequest.service_date == DAY)
                    ),
                )
            if command == "plan":
                stored = day_plan(session, DAY)
                routes = stored.routes if stored else ()
                return tuple(
                    (r.vehicle_plate, tuple(s.request_external_id for s in r.stops)) for r in routes
                )
            live = missions_of_day(session, DAY, statuses=LIVE)
            return tuple(sorted((m.request_id, m.vehicle_plate) for m in live))
    finally:
        db.dispose()


def check_consistent(day: Day, command: str) -> None:
    """The file is whole; the command's work is all there or not at all."""
    if is_sqlite(day.url):
        check_sqlite_file(sqlite_file(day.url))
    db = Database(day.url)
    try:
        if command == "import":
            (count,) = _snapshot(day, "import")
            if count not in (0, day.expected_requests):
                raise ScenarioError(f"import à moitié : {count} demandes sur "
                                    f"{day.expected_requests}")  # fmt: skip
        elif command == "plan":
            checked = check_day(db, DAY)
            if checked is not None and checked[2]:
                raise ScenarioError(f"plan enregistré avec infractions : {checked[2][:3]}")
            if checked is not None:
                served = [r for route in checked[1].routes for r in route.requests]
                if len(served) != len(set(served)):
                    raise ScenarioError("plan : une demande sur deux tournées")
        else:
            _check_missions(db)
    finally:
        db.dispose()


def check_done(day: Day, command: str) -> None:
    """After the rerun: the job is finished."""
    db = Database(day.url)
    try:
        if command == "import":
            (count,) = _snapshot(day, "import")
            if count != day.expected_requests:
                raise ScenarioError(f"import relancé : {count} demandes, "
                                    f"{day.expected_requests} attendues")  # fmt: skip
        elif command == "plan":
            if check_day(db, DAY) is None:
                raise ScenarioError("plan relancé : aucun plan enregistré")
        else:
            _check_missions(db)
            again = push(db, principal_for(db, ACTOR), DAY)
            if again.proposed or again.retimed or again.superseded:
                raise ScenarioError(f"push relancé : les missions ne suivent pas le plan {again}")
    finally:
        db.dispose()


def _check_missions(db: Database) -> None:
    """At most one live mission per request, on the vehicle the stored plan gives it."""
    with db.reader() as session:
        live = missions_of_day(session, DAY, statuses=LIVE)
        stored = day_plan(session, DAY)
    doubled = [request for request, n in Counter(m.request_id for m in live).items() if n > 1]
    if doubled:
        raise ScenarioError(f"missions en double : {doubled[:5]}")
    if stored is None:
        if live:
            raise ScenarioError("des missions sans plan")
        return
    planned = {
        stop.request_external_id: route.vehicle_plate
        for route in stored.routes
        for stop in route.stops
        if stop.request_external_id
    }
    wrong = [m.request_id for m in live if planned.get(m.request_id) != m.vehicle_plate]
    if wrong:
        raise ScenarioError(f"missions hors du plan : {wrong[:5]}")


def check_sqlite_file(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
    connection.close()
    if integrity != [("ok",)]:
        raise ScenarioError(f"{path} : intégrité {integrity[:3]}")
    if foreign:
        raise ScenarioError(f"{path} : clés étrangères {foreign[:3]}")


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
