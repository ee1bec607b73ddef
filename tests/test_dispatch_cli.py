"""``regul push``, ``regul missions`` and ``regul cancel`` on SQLite and PostgreSQL."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import URL, select

from models import Carrier, User
from models.enums import Role
from models.session import Database
from planning.optimiser import SolveParams
from regul.cli import main
from regul.demo import build_demo_day, load_demo_day
from regul.planning_run import plan_day

DAY = date(2026, 11, 24)


@pytest.fixture
def url(db: Database, db_url: URL, tmp_path: Path) -> str:
    """A planned demo day of 90 requests, with a regulator and one carrier's dispatcher."""
    load_demo_day(db, build_demo_day(DAY, 90, 1), tmp_path / "demo", actor="test")
    plan_day(db, DAY, SolveParams(time_limit_s=20, seed=1, iterations=300), "test")
    with db.transaction("test") as session:
        carrier = session.scalars(select(Carrier).order_by(Carrier.name)).first()
        assert carrier is not None
        session.add(User(login="regulation", display_name="Régulation", role=Role.REGULATOR))
        session.add(
            User(
                login="dispatch",
                display_name="Répartiteur",
                role=Role.CARRIER_DISPATCHER,
                carrier=carrier,
            )
        )
    return db_url.render_as_string(hide_password=False)


def _missions(url: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["missions", "list", "--db", url, "--date", "2026-11-24", "--json"]) == 0
    missions: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return missions


# On PostgreSQL a user is the role connected, not $REGUL_USER: tests/test_row_security.py.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_push_then_a_carrier_accepts_its_inbox(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The regulator pushes; the dispatcher sees and accepts only its carrier's missions."""
    monkeypatch.setenv("REGUL_USER", "regulation")
    assert main(["push", "--db", url, "--date", "2026-11-24"]) == 0
    assert "trajets proposés" in capsys.readouterr().out
    everything = _missions(url, capsys)
    monkeypatch.setenv("REGUL_USER", "dispatch")
    own = _missions(url, capsys)
    assert 0 < len(own) < len(everything)
    assert len({m["carrier"] for m in own}) == 1
    assert main(["missions", "accept", "--db", url, "--date", "2026-11-24", "--all"]) == 0
    assert f"{len(own)} acceptées" in capsys.readouterr().out
    monkeypatch.setenv("REGUL_USER", "regulation")
    statuses = {m["request"]: m["status"] for m in _missions(url, capsys)}
    accepted = {m["request"] for m in own}
    assert all((statuses[r] == "ACCEPTED") == (r in accepted) for r in statuses)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_dispatcher_may_not_push(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pushing is a regulator's act: one line, exit 1."""
    monkeypatch.setenv("REGUL_USER", "dispatch")
    assert main(["push", "--db", url, "--date", "2026-11-24"]) == 1
    assert "non autorisé" in capsys.readouterr().err


def test_cancel_and_delay(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pushed trip cancelled for a no-show tells its carrier; the delay is a shared setting."""
    monkeypatch.setenv("REGUL_USER", "regulation")
    assert main(["push", "--db", url, "--date", "2026-11-24"]) == 0
    capsys.readouterr()
    first = _missions(url, capsys)[0]
    args = ["cancel", str(first["request"]), "--db", url, "--date", "2026-11-24"]
    assert main([*args, "--reason", "absent"]) == 0
    assert f"transporteur prévenu : {first['carrier']}" in capsys.readouterr().out
    statuses = {m["request"]: m["status"] for m in _missions(url, capsys)}
    assert statuses[first["request"]] == "CANCELLED"
    assert main(["missions", "settings", "--delay", "20", "--retime", "5", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "réponse des transporteurs : 20 min" in out and "décalé de 5 min" in out
    assert main(["missions", "settings", "--delay", "0", "--db", url]) == 2
    assert main(["missions", "settings", "--retime", "500", "--db", url]) == 1
