"""``regul purge``: past days' patient data goes, their anonymous statistics stay; atomic."""

import json
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, make_url, select

from models import (
    AuditEntry,
    Base,
    DayStatistics,
    Establishment,
    Mission,
    Patient,
    Vehicle,
)
from models.enums import Role
from models.errors import AccessDeniedError
from models.migrate import upgrade
from models.repositories.missions import missions_of_day
from models.repositories.purge import kept_statistics
from models.repositories.requests import save_requests
from models.repositories.summary import day_summary
from models.repositories.users import add_user
from models.session import Database
from models.timezone import now
from regul.access import Principal, principal_for
from regul.cli import main
from regul.day_view import load_day_view
from regul.dispatch import Answer, answer_missions
from regul.login import acting_principal
from regul.purge import PurgeDateError, purge
from tests.dispatch_day import ACTOR, DAY, plan_and_push, store_day
from tests.test_row_security import PASSWORD, Server

# the fixture of test_row_security: its own group roles and logins, all dropped afterwards
from tests.test_row_security import server as server

NAMES = (("Zébulon", "Hortense"), ("Quenouille", "Anatole"))
LATER = DAY + timedelta(days=7)
REFUSAL = "Mme Quenouille absente au dernier appel"
ADMIN = Principal(ACTOR, Role.ADMIN)


def _counts(db: Database) -> dict[str, int]:
    with db.reader() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def planned(db: Database) -> dict[str, Any]:
    """A synthetic day planned and pushed, one proposal accepted and one refused, and one of
    its patients riding again a week later; what the console showed of it before any purge."""
    day = store_day(db, requests=30, names=NAMES)
    plan_and_push(db)
    with db.reader() as session:
        proposed = missions_of_day(session, DAY)
    answer_missions(
        db,
        principal_for(db, ACTOR),
        [
            Answer(proposed[0].id, proposed[0].version, accept=True),
            Answer(proposed[1].id, proposed[1].version, accept=False, reason=REFUSAL),
        ],
    )
    again = day.requests[0]
    with db.transaction(ACTOR) as session:
        save_requests(session, [replace(again, external_id="LATER-1", service_date=LATER)])
    view = load_day_view(db, DAY)
    with db.reader() as session:
        summary = day_summary(session, DAY)
        missions = Counter(
            status.value
            for status in session.scalars(select(Mission.status).where(Mission.service_date == DAY))
        )
    return {
        "day": day,
        "kpis": dict(view.kpis),
        "summary": summary,
        "missions": dict(missions),
        "kept_patient": again.patient.file_number,
    }


def test_purge_removes_the_days_patients_and_keeps_their_statistics(
    db: Database, planned: dict[str, Any]
) -> None:
    """Every row of the purged day goes, the patient riding later stays, reference data and
    the audit log stay, and the statistics kept are the figures the console showed."""
    before = _counts(db)
    counts = purge(db, ADMIN, DAY + timedelta(days=1))
    after = _counts(db)

    assert [d.service_date for d in counts.days] == [DAY]
    assert after["transport_requests"] == 1  # the later ride
    for table in ("missions", "day_plans", "routes", "stops", "assignments", "unserved_requests"):
        assert before[table] > 0 or table == "unserved_requests"
        assert after[table] == 0, table
    assert counts.removed["transport_requests"] == before["transport_requests"] - 1
    assert counts.removed["missions"] == before["missions"]
    assert counts.removed["patients"] == before["patients"] - 1
    assert counts.patients_kept == 1
    for table in ("establishments", "carriers", "vehicles", "users", "settings"):
        assert after[table] == before[table], table
    assert after["audit_log"] == before["audit_log"] + 1 + 1  # the statistics row, the purge
    assert after["day_statistics"] == 1

    with db.reader() as session:
        (patient,) = session.scalars(select(Patient))
        assert patient.file_number == planned["kept_patient"]
        assert (patient.last_name, patient.first_name) == NAMES[0]  # the other one is gone
        (kept,) = kept_statistics(session)
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert session.scalar(select(func.count()).select_from(Establishment))
        assert session.scalar(select(func.count()).select_from(Vehicle))
    summary = planned["summary"]
    assert kept.service_date == DAY
    assert kept.requests == summary.requests
    assert kept.by_direction == summary.by_direction
    assert kept.by_mode == summary.by_mode
    assert kept.by_care_type == summary.by_care_type
    assert kept.by_mobility == summary.by_mobility
    assert kept.sharing_compatible == summary.sharing_compatible
    assert kept.missions_by_status == planned["missions"]
    assert {"ACCEPTED", "REFUSED"} <= set(kept.missions_by_status)
    assert kept.plan_kpis == planned["kpis"]
    assert kept.plan_kpis["served"] > 0
    assert kept.routes > 0 and kept.distance_m > kept.empty_distance_m > 0
    assert (last.action, last.actor) == ("purge", ACTOR)
    assert "statistiques gardées" in (last.detail or "")


def test_the_audit_log_kept_after_a_purge_holds_no_patient_data(
    db: Database, planned: dict[str, Any]
) -> None:
    """Names, phones, birth dates, addresses, positions and a refusal naming the patient were
    all audited along the day: none of them is in the log that outlives the purge."""
    purge(db, ADMIN, DAY + timedelta(days=1))
    with db.reader() as session:
        log = json.dumps(
            [[e.changes, e.detail] for e in session.scalars(select(AuditEntry))],
            ensure_ascii=False,
        )
    requests = planned["day"].requests
    personal = {REFUSAL, *(name for pair in NAMES for name in pair)}
    for request in requests:
        patient = request.patient
        personal |= {
            patient.last_name,
            patient.first_name,
            patient.phone or "",
            request.notes or "",
        }
        if patient.birth_date:
            personal.add(patient.birth_date.isoformat())
        for place in (request.pickup, request.dropoff):
            if place.establishment_finess is None:  # a home, not a care site
                personal.add(place.address or "")
                assert place.position is not None
                personal |= {json.dumps(place.position.lat), json.dumps(place.position.lon)}
    leaked = sorted(value for value in personal - {""} if value in log)
    assert not leaked
    assert '"MASK"' not in log and "•••" in log  # masked, not missing


def test_a_dry_run_changes_nothing_and_says_what_would_go(
    db: Database, planned: dict[str, Any]
) -> None:
    """The dry run reports the very counts the real run then removes, and leaves every row."""
    before = _counts(db)
    rehearsed = purge(db, ADMIN, DAY + timedelta(days=1), dry_run=True)
    assert _counts(db) == before
    done = purge(db, ADMIN, DAY + timedelta(days=1))
    assert rehearsed.removed == done.removed
    assert rehearsed.days == done.days
    assert rehearsed.removed["transport_requests"] > 0


def test_a_failure_leaves_everything_as_it_was(
    db: Database, planned: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A purge that fails after its deletes rolls them back with the statistics."""

    def broken(*_args: object) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr("regul.purge.record_action", broken)
    before = _counts(db)
    with pytest.raises(RuntimeError, match="panne simulée"):
        purge(db, ADMIN, DAY + timedelta(days=1))
    assert _counts(db) == before


def test_a_purged_day_imported_again_adds_to_its_statistics(
    db: Database, planned: dict[str, Any]
) -> None:
    """Purging a day twice (its file imported again in between) counts both, once each."""
    purge(db, ADMIN, DAY + timedelta(days=1))
    with db.transaction(ACTOR) as session:
        save_requests(session, planned["day"].requests[:5])
    purge(db, ADMIN, DAY + timedelta(days=1))
    with db.reader() as session:
        (kept,) = kept_statistics(session)
        assert session.scalar(select(func.count()).select_from(DayStatistics)) == 1
    assert kept.requests == planned["summary"].requests + 5
    assert kept.plan_kpis == planned["kpis"]


def test_only_an_administrator_purges_and_only_past_days(db: Database) -> None:
    """A regulator or a carrier is refused; a date after today is refused whoever asks."""
    for role in (Role.REGULATOR, Role.CARRIER_DISPATCHER):
        with pytest.raises(AccessDeniedError, match="non autorisé"):
            purge(db, Principal("quelqu-un", role), DAY)
    with pytest.raises(PurgeDateError, match="dans le futur"):
        purge(db, ADMIN, now().date() + timedelta(days=2))


def test_the_command_line_purges_and_lists_the_statistics(
    db: Database, planned: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """``regul purge --dry-run``, ``regul purge``, then ``regul stats``; a regulator is refused."""
    url = db.url.render_as_string(hide_password=False)
    cutoff = (DAY + timedelta(days=1)).isoformat()
    assert main(["purge", "--db", url, "--before", cutoff, "--dry-run"]) == 0
    rehearsed = capsys.readouterr().out
    assert "Essai à blanc" in rehearsed and "Lignes qui seraient supprimées" in rehearsed
    assert _counts(db)["day_statistics"] == 0

    assert main(["purge", "--db", url, "--before", cutoff]) == 0
    out = capsys.readouterr().out
    assert "Jours avant le 25/11/2026 : 1, du 24/11/2026 au 24/11/2026" in out
    assert "Patients gardés (demande plus tardive ou série en cours) : 1" in out

    assert main(["stats", "--db", url, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["service_date"] == DAY.isoformat()
    assert listed["plan_kpis"] == planned["kpis"]
    assert main(["stats", "--db", url]) == 0
    assert "24/11/2026" in capsys.readouterr().out
    assert main(["db", "info", "--db", url, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert (
        rows["day_statistics"] == 1
        and rows["transport_requests"] == _counts(db)["transport_requests"]
    )


def test_a_regulator_cannot_purge_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command refuses a regulator (on a local file, $REGUL_USER) in one line."""
    db = Database(make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite"))
    upgrade(db)
    with db.transaction(ACTOR) as session:
        add_user(session, ACTOR, Role.ADMIN, "un mot de passe assez long")
        add_user(session, "regulateur", Role.REGULATOR, "un mot de passe assez long")
    monkeypatch.setenv("REGUL_USER", "regulateur")
    url = db.url.render_as_string(hide_password=False)
    assert main(["purge", "--db", url, "--before", DAY.isoformat()]) == 1
    assert "non autorisé pour un régulateur" in capsys.readouterr().err
    db.dispose()


def test_an_administrator_purges_through_their_own_server_role(server: Server) -> None:
    """On PostgreSQL the purge runs as the administrator's login role, under row-level
    security and the group roles' privileges (the statistics table included)."""
    owner = Database(server.url)
    admin = server.login("chef")
    try:
        with owner.transaction(ACTOR) as session:
            add_user(session, admin, Role.ADMIN, PASSWORD)
        store_day(owner, requests=10)
    finally:
        owner.dispose()
    own = Database(server.url_as(admin))
    try:
        counts = purge(own, acting_principal(own, "quelqu-un"), DAY + timedelta(days=1))
        assert counts.removed["transport_requests"] == 10
        assert _counts(own)["patients"] == 0
        with own.reader() as session:
            assert [day.requests for day in kept_statistics(session)] == [10]
    finally:
        own.dispose()
