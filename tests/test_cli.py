"""The regul command: versions, database jobs and the demo day, on both databases."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import URL

from models.migrate import head_revision
from regul import __version__
from regul.cli import main


def _url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def test_version_from_the_installed_console_script() -> None:
    """`regul --version` works as a real process and prints the package version."""
    regul = Path(sys.executable).with_name("regul")
    result = subprocess.run([str(regul), "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"regul {__version__}"
    assert __version__ != "0+unknown"


def test_db_upgrade_then_info(db_url: URL, capsys: pytest.CaptureFixture[str]) -> None:
    """`db upgrade` migrates an empty database; `db info --json` then reports it current."""
    assert main(["db", "upgrade", "--db", _url(db_url)]) == 0
    assert f"vide → {head_revision()}" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", _url(db_url)]) == 0
    assert "déjà à jour" in capsys.readouterr().out
    assert main(["db", "info", "--json", "--db", _url(db_url)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema"] == head_revision() and info["up_to_date"]
    assert info["rows"]["transport_requests"] == 0


def test_demo_headless_fills_a_realistic_day(
    db_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    """`demo --headless` loads the day, plans it and prints both summaries; running it again
    imports nothing new."""
    assert main(["db", "upgrade", "--db", _url(db_url)]) == 0
    capsys.readouterr()
    args = ["demo", "--headless", "--date", "2026-11-24", "--requests", "120", "--db", _url(db_url)]
    args += ["--time-limit", "2"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Journée de démonstration du 24/11/2026" in out
    assert "demandes       : 120" in out
    assert "demandes servies sur 120" in out and "0 infraction aux règles" in out
    assert main(args) == 0
    assert " 0 créés, 0 mis à jour" in capsys.readouterr().out
    assert main(["db", "info", "--json", "--db", _url(db_url)]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows["transport_requests"] == 120
    assert rows["vehicles"] == 20
    assert rows["audit_log"] > 120


def test_demo_on_a_fresh_local_file_migrates_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default local database needs no prior set-up."""
    demo = ["demo", "--headless", "--requests", "10", "--time-limit", "1"]
    assert main([*demo, "--db", f"sqlite:///{tmp_path}/d.sqlite"]) == 0
    assert "demandes       : 10" in capsys.readouterr().out


def test_demo_refuses_an_unmigrated_shared_server(
    pg_schema_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    """On PostgreSQL the demo asks for an explicit upgrade instead of migrating."""
    assert main(["demo", "--headless", "--db", _url(pg_schema_url)]) == 1
    err = capsys.readouterr().err
    assert "regul db upgrade" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
        ([], 2, "une commande est attendue"),
        (["db"], 2, "action attendue"),
        (["demo", "--date", "24/11/2026"], 2, "date invalide"),
        (["demo", "--requests", "0"], 2, "nombre positif attendu"),
        (["db", "info", "--db", "mysql://root@localhost/x"], 1, "type de base non pris en charge"),
        (["db", "info", "--db", "::::"], 1, "adresse de base de données invalide"),
        (["db", "upgrade", "--db", "postgresql://postgres@127.0.0.1:9/x"], 1, "injoignable"),
    ],
)
def test_bad_invocations_give_one_line_and_non_zero_exit(
    argv: list[str], code: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown commands, bad arguments and bad URLs: one clear line on stderr, no traceback."""
    assert main(argv) == code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("regul: ")
    assert fragment in lines[0]
    assert "Traceback" not in captured.err + captured.out


def test_unknown_command_as_a_process_prints_no_traceback() -> None:
    """The same holds for the real executable."""
    regul = Path(sys.executable).with_name("regul")
    result = subprocess.run([str(regul), "--db", "x", "oops"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unexpected_failure_is_one_line_and_a_crash_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug shows one line pointing to a crash report that holds the traceback."""

    def broken(_args: object) -> int:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("regul.cli._db_info", broken)
    assert main(["db", "info"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("regul: erreur inattendue (ZeroDivisionError) ; détails dans ")
    crash = Path(err.rsplit(" ", 1)[-1])
    assert "ZeroDivisionError: bug" in crash.read_text(encoding="utf-8")


def test_the_console_without_a_screen_says_so_instead_of_aborting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for variable in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["gui"]) == 2
    assert "aucun écran" in capsys.readouterr().err
