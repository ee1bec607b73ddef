"""regul plan, check and export plan on a stored day, on SQLite and PostgreSQL."""

import json
import os
import socket
import stat
from pathlib import Path

import pytest
from sqlalchemy import URL, select, update

from models import Assignment, Route, TransportRequest, Vehicle
from models.session import Database
from regul.cli import main


@pytest.fixture
def planned(db: Database, db_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A demo day of 40 requests, planned with a short time limit."""
    url = db_url.render_as_string(hide_password=False)
    demo = [
        "demo",
        "--headless",
        "--date",
        "2026-11-24",
        "--requests",
        "40",
        "--no-plan",
        "--db",
        url,
    ]
    assert main([*demo, "--folder", str(tmp_path / "demo")]) == 0
    capsys.readouterr()
    assert main(["plan", "--db", url, "--date", "2026-11-24", "--time-limit", "4"]) == 0
    return url


def test_plan_prints_kpis_and_stores_a_legal_plan(
    planned: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The KPIs come as JSON with the solo baseline; the stored plan passes the check."""
    kpis = json.loads(capsys.readouterr().out)
    assert kpis["requests"] == 40 and kpis["served"] > 0
    assert kpis["km_vs_solo"] < 1 and kpis["solo_baseline"]["total_km"] > kpis["total_km"]
    assert main(["check", "--db", planned, "--date", "2026-11-24"]) == 0
    assert "0 infraction(s)" in capsys.readouterr().out


def test_export_lists_every_request_exactly_once(planned: str, tmp_path: Path) -> None:
    """Each imported request is in a route (pickup and drop-off) or unassigned with a reason;
    the file, which places patients' homes, is readable by the user only."""
    out = tmp_path / "plan.json"
    assert main(["export", "plan", "--db", planned, "--date", "2026-11-24", "--out", str(out)]) == 0
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text("utf-8"))
    assert set(document) == {"date", "model", "routes", "unassigned", "kpis"}
    assert document["model"]["road_factor"] == 1.3
    seen: list[str] = []
    for route in document["routes"]:
        assert route["stops"][0]["type"] == "start" and route["stops"][-1]["type"] == "end"
        assert route["kind"] in {"TAXI", "VSL", "AMBULANCE"} and route["carrier"]
        for stop in route["stops"]:
            assert set(stop) >= {"type", "lat", "lon", "time"}
            if stop["type"] == "pickup":
                seen.append(stop["request"])
    seen += [u["request"] for u in document["unassigned"]]
    assert all(u["reason"] for u in document["unassigned"])
    assert len(seen) == len(set(seen)) == 40


def test_check_reports_a_request_cancelled_after_planning(
    planned: str, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand change the plan does not reflect shows as a violation, exit 3."""
    capsys.readouterr()
    with db.transaction("regulator") as session:
        served = session.scalars(select(Assignment.request_id)).first()
        session.execute(
            update(TransportRequest)
            .where(TransportRequest.id == served)
            .values(status="CANCELLED", cancellation_reason="PATIENT_CANCELLED")
        )
    assert main(["check", "--db", planned, "--date", "2026-11-24"]) == 3
    assert "demande inconnue" in capsys.readouterr().out


def test_checking_a_day_without_plan(
    db: Database, db_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    """No plan yet: one clear line."""
    url = db_url.render_as_string(hide_password=False)
    assert main(["check", "--db", url, "--date", "2026-11-30"]) == 1
    assert "aucun plan" in capsys.readouterr().err


def test_bench_plan_writes_its_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The planning benchmark plans a small synthetic day and reports legal, measured KPIs."""
    out = tmp_path / "plan.json"
    args = ["bench", "plan", "--requests", "30", "--time-limit", "2", "--out", str(out)]
    assert main(args) == 0
    figures = json.loads(out.read_text("utf-8"))
    assert figures["requests"] == 30 and figures["violations"] == 0
    assert 0 < figures["km_vs_solo"] < 1 and figures["seconds"] <= 10
    assert json.loads(capsys.readouterr().out) == figures


def test_replanning_keeps_locked_routes_and_assignments(planned: str, db: Database) -> None:
    """The regulator's locks survive a re-plan: a locked route stop for stop, a locked trip
    on its vehicle."""
    with db.transaction("regulator") as session:
        routes = session.scalars(select(Route).order_by(Route.id)).all()
        assert len(routes) >= 2
        kept, other = routes[0], routes[1]
        kept.locked = True
        kept_stops = [(s.kind, s.request_id, s.planned_at) for s in kept.stops]
        kept_plate = kept.vehicle.plate
        pinned = next(a for a in other.plan.assignments if a.route_id == other.id)
        pinned.locked = True
        pinned_request, pinned_plate = pinned.request_id, other.vehicle.plate
    assert main(["plan", "--db", planned, "--date", "2026-11-24", "--time-limit", "2"]) == 0
    with db.reader() as session:
        again = session.scalars(
            select(Route).join(Route.vehicle).where(Vehicle.plate == kept_plate)
        ).one()
        assert again.locked
        assert [(s.kind, s.request_id, s.planned_at) for s in again.stops] == kept_stops
        assignment = session.scalars(
            select(Assignment).where(Assignment.request_id == pinned_request)
        ).one()
        assert assignment.locked and assignment.route.vehicle.plate == pinned_plate
    assert main(["check", "--db", planned, "--date", "2026-11-24"]) == 0


def test_an_unreachable_osrm_server_stops_planning_in_one_line(
    planned: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--osrm pointing nowhere: exit 1, one line, and the stored plan is left as it was."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    capsys.readouterr()
    args = ["plan", "--db", planned, "--date", "2026-11-24", "--osrm", f"http://127.0.0.1:{port}"]
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "injoignable" in err[0]
    assert main(["check", "--db", planned, "--date", "2026-11-24"]) == 0


def test_a_seed_and_an_iteration_count_give_the_same_plan_every_time(
    planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two runs with --seed and --iterations store the very same routes."""
    day = ["--db", planned, "--date", "2026-11-24"]
    exports = []
    for run in range(2):
        assert main(["plan", *day, "--seed", "5", "--iterations", "150"]) == 0
        out = tmp_path / f"plan-{run}.json"
        assert main(["export", "plan", *day, "--out", str(out)]) == 0
        exports.append(json.loads(out.read_text("utf-8")))
    capsys.readouterr()
    assert exports[0]["routes"] == exports[1]["routes"]
    assert exports[0]["unassigned"] == exports[1]["unassigned"]
    assert exports[0]["routes"]
