"""The soak run: one PostgreSQL day, N desk processes on it for S seconds, then the audit.

    .venv/bin/python -m tests.soak --desks 10 --seconds 120 \
        --db postgresql+psycopg://postgres@127.0.0.1:5432/test --report out.json

The URL is the owner's (who migrates). Without a ``search_path`` in its options the run makes
a fresh schema there and drops it afterwards. Each desk connects as its own PostgreSQL login
role, a member of Régul's group roles, so row-level security is in force for the carriers'
dispatchers as in production. Exit status 0 only when the audit passed.
"""

import argparse
import json
import math
import multiprocessing
import os
import platform
import shlex
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, create_engine, make_url, text

from models.enums import Role
from models.migrate import upgrade
from models.repositories.users import add_user
from models.session import Database
from planning.optimiser import SolveParams
from regul.access import Principal
from regul.dispatch import push, sweep
from regul.planning_run import plan_day
from tests.dispatch_day import DAY, store_day
from tests.soak.audit import AuditResult, audit, read_final_state
from tests.soak.desks import (
    CANCEL_SHARE,
    START_TIMEOUT_S,
    DeskSpec,
    Journal,
    assignments,
    put_back_done,
    run_desk,
)

PASSWORD = "soak: un mot de passe assez long"
GRACE_S = 30.0  # after the deadline, for a desk's last action to finish
STUCK_S = 10.0  # a lock waited on, or a transaction left idle, this long is reported
APPLICATION = "regul-soak"
ROLE_PREFIX_VARIABLE = "REGUL_PG_ROLE_PREFIX"


@dataclass
class Run:
    desks: int
    seconds: float
    url: URL  # the owner's, on the run's schema
    requests: int = 60
    seed: int = 1
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="regul-soak-")))
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def prefix(self) -> str:
        return f"soak{self.run_id}"

    def login(self, name: str) -> str:
        return f"{name}.{self.run_id}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--desks", type=int, required=True, help="processus (2 au moins)")
    parser.add_argument("--seconds", type=float, required=True, help="durée des écritures")
    parser.add_argument("--db", required=True, help="URL PostgreSQL du propriétaire du schéma")
    parser.add_argument("--requests", type=int, default=60, help="demandes de la journée (60)")
    parser.add_argument("--report", type=Path, help="rapport JSON")
    parser.add_argument("--keep-schema", action="store_true", help="garder le schéma créé")
    args = parser.parse_args(argv)
    if args.desks < 2:
        parser.error("--desks : 2 au moins (un régulateur et un transporteur)")
    url = make_url(args.db)
    with _schema(url, args.keep_schema) as schema_url:
        report = soak(Run(args.desks, args.seconds, schema_url, args.requests))
    shown = [*(argv if argv is not None else sys.argv[1:])]
    report["command"] = shlex.join([".venv/bin/python", "-m", "tests.soak", *shown])
    report["machine"] = f"{platform.platform()}, {os.cpu_count()} processeurs"
    print(render(report))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0 if report["audit"]["passed"] else 1


@contextmanager
def _schema(url: URL, keep: bool) -> Iterator[URL]:
    """The URL as given when it names a schema; else a fresh one, dropped afterwards."""
    if "search_path" in str(url.query.get("options", "")):
        yield url
        return
    schema = f"regul_soak_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"})
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def soak(run: Run) -> dict[str, Any]:
    """Set the day up, run the desks, audit; roles made for the run are dropped afterwards."""
    if run.url.get_backend_name() != "postgresql":
        raise SystemExit("le soak se fait sur PostgreSQL")
    previous_prefix = os.environ.get(ROLE_PREFIX_VARIABLE)
    os.environ[ROLE_PREFIX_VARIABLE] = run.prefix
    logins: list[str] = []
    try:
        return _soak(run, logins)
    finally:
        _drop_roles(run, logins)
        if previous_prefix is None:
            os.environ.pop(ROLE_PREFIX_VARIABLE, None)
        else:
            os.environ[ROLE_PREFIX_VARIABLE] = previous_prefix


def _soak(run: Run, logins: list[str]) -> dict[str, Any]:
    owner = Database(run.url)
    setup_journal = Journal(run.folder / "setup.jsonl", "setup", run.login("chef"))
    try:
        specs = _set_up(run, owner, setup_journal, logins)
        deadlocks_before = _server_deadlocks(owner)
        elapsed, watch = _run_desks(run, specs)
        withheld = _close(run, owner, setup_journal)
        setup_journal.close()
        journal = _read_journals(run.folder)
        state = read_final_state(owner, DAY)
        result = audit(journal, state, withheld)
        left = _left_behind(owner)
        result.deadlocks.extend(left)
        result.deadlocks.extend(watch["stuck"])
        result.failures.extend(watch["hung"])
        result.failures.extend(
            f"{spec.name}: no summary (did not finish)"
            for spec in specs
            if not any(e["kind"] == "summary" and e["desk"] == spec.name for e in journal)
        )
        return _report(
            run, specs, journal, result, elapsed, _server_deadlocks(owner) - deadlocks_before
        )
    finally:
        owner.dispose()


def _set_up(run: Run, owner: Database, journal: Journal, logins: list[str]) -> list[DeskSpec]:
    """The migrated schema, the synthetic day planned and pushed, a login role per desk."""
    upgrade(owner)
    day = store_day(owner, requests=run.requests, seed=run.seed)
    carriers = [c.siret for c in day.carriers]
    regulators = math.ceil(run.desks / 2)
    chief = run.login("chef")
    with owner.transaction("soak-setup") as session:
        logins.append(chief)
        add_user(session, chief, Role.ADMIN, PASSWORD)
        people: list[tuple[str, str, Role, str | None]] = []
        for k in range(run.desks):
            if k < regulators:
                name, role, siret = f"regul{k + 1}", Role.REGULATOR, None
            else:
                index = k - regulators
                name, role, siret = (
                    f"transp{index + 1}",
                    Role.CARRIER_DISPATCHER,
                    carriers[index % len(carriers)],
                )
            login = run.login(name)
            logins.append(login)
            add_user(session, login, role, PASSWORD, None, siret)
            people.append((name, login, role, siret))
    done = plan_day(owner, DAY, SolveParams(time_limit_s=5, seed=3, iterations=100), chief)
    journal.write(
        "plan", operation="setup", action="plan", token=None, assignments=assignments(done.plan)
    )
    report = push(owner, Principal(chief, Role.ADMIN), DAY)
    journal.write(
        "push", operation="setup", proposed=list(report.proposed), superseded=[], retimed=[]
    )
    budget = max(1, round(run.requests * CANCEL_SHARE / regulators))
    return [
        DeskSpec(
            name=name,
            login=login,
            role=role,
            carrier_siret=siret,
            url=run.url.set(username=login, password=PASSWORD)
            .update_query_dict({"application_name": f"{APPLICATION}-{name}"})
            .render_as_string(hide_password=False),
            day=DAY,
            seconds=run.seconds,
            journal=run.folder / f"{name}.jsonl",
            seed=run.seed * 1000 + k,
            cancel_budget=budget,
        )
        for k, (name, login, role, siret) in enumerate(people)
    ]


def _run_desks(run: Run, specs: list[DeskSpec]) -> tuple[float, dict[str, list[str]]]:
    """Start every desk, let them go together, watch the server while they work, wait for
    each to end. Returns the seconds from the start to the last desk's end, and what went
    wrong."""
    context = multiprocessing.get_context("spawn")
    ready, go = context.Barrier(len(specs) + 1), context.Barrier(len(specs) + 1)
    processes = [
        context.Process(target=run_desk, args=(spec, ready, go), name=spec.name) for spec in specs
    ]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=START_TIMEOUT_S)
    except threading.BrokenBarrierError:
        for process in processes:
            process.kill()
        raise SystemExit("un poste n'a pas démarré : voir son erreur ci-dessus") from None
    go.wait()
    started = time.time()
    deadline = started + run.seconds + GRACE_S
    stuck: set[str] = set()
    probe = create_engine(run.url)
    try:
        while any(p.is_alive() for p in processes) and time.time() < deadline:
            stuck |= _stuck_now(probe)
            time.sleep(1.0)
    finally:
        probe.dispose()
    hung = []
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.time()))
        if process.is_alive():
            hung.append(f"{process.name}: still running {GRACE_S:.0f} s after the end, killed")
            process.kill()
            process.join()
        elif process.exitcode != 0:
            hung.append(f"{process.name}: exited with status {process.exitcode}")
    ended = time.time() if hung else max(_ends(run.folder, specs), default=time.time())
    return ended - started, {"hung": hung, "stuck": sorted(stuck)}


def _ends(folder: Path, specs: list[DeskSpec]) -> list[float]:
    """When each desk wrote its summary, its last line."""
    ends = []
    for spec in specs:
        lines = (folder / f"{spec.name}.jsonl").read_text("utf-8").splitlines()
        if lines:
            ends.append(float(json.loads(lines[-1])["t"]))
    return ends


def _stuck_now(engine: Any) -> set[str]:
    """The soak's sessions waiting on a lock, or idle inside a transaction, for too long."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT application_name, state, wait_event_type, "
                "EXTRACT(EPOCH FROM now() - state_change) FROM pg_stat_activity "
                "WHERE application_name LIKE :soak AND pid <> pg_backend_pid()"
            ),
            {"soak": f"{APPLICATION}-%"},
        ).all()
    found = set()
    for name, state, wait, seconds in rows:
        if state == "idle in transaction" and seconds > STUCK_S:
            found.add(f"{name}: idle in a transaction for more than {STUCK_S:.0f} s")
        if wait == "Lock" and seconds > STUCK_S:
            found.add(f"{name}: waited on a lock for more than {STUCK_S:.0f} s")
    return found


def _left_behind(owner: Database) -> list[str]:
    """Once the desks are gone: no lock still waited on, no transaction left open."""
    with owner.engine.connect() as connection:
        waiting = connection.scalar(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND a.application_name LIKE :soak"
            ),
            {"soak": f"{APPLICATION}-%"},
        )
        idle = connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE :soak "
                "AND state LIKE 'idle in transaction%'"
            ),
            {"soak": f"{APPLICATION}-%"},
        )
    left = []
    if waiting:
        left.append(f"{waiting} lock(s) still waited on after the run")
    if idle:
        left.append(f"{idle} session(s) idle in a transaction after the run")
    return left


def _server_deadlocks(owner: Database) -> int:
    """Deadlocks PostgreSQL broke in this database (every schema: other work may add some)."""
    with owner.engine.connect() as connection:
        count = connection.scalar(
            text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        )
    return int(count or 0)


def _close(run: Run, owner: Database, journal: Journal) -> list[str]:
    """The end of the shift: refused trips back to the pool, the plan sent as it stands.
    Returns the trips the push held back."""
    chief = Principal(run.login("chef"), Role.ADMIN)
    report = sweep(owner, chief, days={DAY})
    if report.returned or report.reoffered:
        journal.write("plan", operation="closing-sweep", action="edit", token=None)
    put_back_done(owner, journal, chief.login, DAY, "soak closing put-back")
    pushed = push(owner, chief, DAY)
    journal.write(
        "push",
        operation="closing",
        proposed=list(pushed.proposed),
        superseded=list(pushed.superseded),
        retimed=list(pushed.retimed),
    )
    return list(pushed.withheld)


def _read_journals(folder: Path) -> list[dict[str, Any]]:
    entries = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                entries.append(json.loads(line))
    return entries


def _report(
    run: Run,
    specs: list[DeskSpec],
    journal: list[dict[str, Any]],
    result: AuditResult,
    elapsed: float,
    server_deadlocks: int,
) -> dict[str, Any]:
    desk_names = {spec.name for spec in specs}
    at_desks = [e for e in journal if e["desk"] in desk_names]
    writes: Counter[str] = Counter()
    for entry in at_desks:
        if entry["kind"] in ("plan", "mission", "push"):
            writes[entry["operation"]] += 1
    conflicts = Counter(e["operation"] for e in at_desks if e["kind"] == "conflict")
    refused = Counter(e["operation"] for e in at_desks if e["kind"] == "refused")
    summaries = [e for e in at_desks if e["kind"] == "summary"]
    actions: Counter[str] = Counter()
    deadlocks: Counter[str] = Counter()
    absorbed = 0
    for summary in summaries:
        actions.update(summary["actions"])
        deadlocks.update(summary["deadlocks"])
        absorbed += summary["conflicts_raised"].get("sweep", 0) - summary["conflicts_recorded"].get(
            "sweep", 0
        )
    total = sum(writes.values())
    by_desk = {
        spec.name: {
            "writes": sum(
                1
                for e in at_desks
                if e["desk"] == spec.name and e["kind"] in ("plan", "mission", "push")
            ),
            "conflicts": sum(
                1 for e in at_desks if e["desk"] == spec.name and e["kind"] == "conflict"
            ),
        }
        for spec in specs
    }
    return {
        "desks": run.desks,
        "regulators": sum(1 for s in specs if s.role is Role.REGULATOR),
        "dispatchers": sum(1 for s in specs if s.role is Role.CARRIER_DISPATCHER),
        "dispatchers_connect_as": "their own PostgreSQL login roles (row-level security)",
        "requests": run.requests,
        "seconds": run.seconds,
        "elapsed_s": round(elapsed, 1),
        "actions": dict(sorted(actions.items())),
        "writes": total,
        "writes_by_kind": dict(sorted(writes.items())),
        "throughput_writes_per_s": round(total / elapsed, 2) if elapsed else 0.0,
        "conflicts": sum(conflicts.values()),
        "conflicts_by_kind": dict(sorted(conflicts.items())),
        "refused_by_state": dict(sorted(refused.items())),
        "conflicts_absorbed_by_sweep": absorbed,
        "by_desk": by_desk,
        "lost": len(result.lost),
        "deadlocks_at_desks": dict(deadlocks),
        "deadlocks_on_server": server_deadlocks,
        "failures": len(result.failures),
        "audit": result.as_dict(),
        "journals": str(run.folder),
    }


def render(report: dict[str, Any]) -> str:
    audit_result = report["audit"]
    deadlocks = sum(report["deadlocks_at_desks"].values())
    lines = [
        f"Soak : {report['desks']} postes ({report['regulators']} régulation, "
        f"{report['dispatchers']} transporteurs) pendant {report['seconds']:.0f} s "
        f"({report['elapsed_s']} s écoulées), {report['requests']} demandes",
        f"  écritures : {report['writes']} ({report['throughput_writes_per_s']}/s) "
        + ", ".join(f"{k} {v}" for k, v in report["writes_by_kind"].items()),
        f"  conflits : {report['conflicts']} "
        + ", ".join(f"{k} {v}" for k, v in report["conflicts_by_kind"].items()),
        "  refus (déjà traité ailleurs) : "
        + (", ".join(f"{k} {v}" for k, v in report["refused_by_state"].items()) or "0"),
        f"  perdues : {report['lost']} ; interblocages : {deadlocks} aux postes, "
        f"{report['deadlocks_on_server']} sur le serveur ; échecs : {report['failures']}",
        f"  audit : {'réussi' if audit_result['passed'] else 'ÉCHEC'}",
    ]
    for key in ("lost", "unconfirmed", "conflicts", "failures", "deadlocks", "plan"):
        for problem in audit_result[key][:20]:
            lines.append(f"    [{key}] {problem}")
    return "\n".join(lines)


def _drop_roles(run: Run, logins: list[str]) -> None:
    """The run's login roles and group roles: they belong to the whole server."""
    groups = [f"{run.prefix}_{suffix}" for suffix in ("admin", "regulator", "carrier")]
    engine = create_engine(run.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for name in [*logins, *groups]:
                if connection.scalar(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}
                ):
                    quoted = '"' + name.replace('"', '""') + '"'
                    connection.execute(text(f"DROP OWNED BY {quoted}"))
                    connection.execute(text(f"DROP ROLE {quoted}"))
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
