"""Setting a desk up without the window: its settings file, the database probe, the set-up
itself, the log, the diagnostic, and the programs the installer ships."""

import json
import logging
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import URL, make_url, select, text

from importers.synthetic import generate_day
from models.db import default_sqlite_path, local_url, resolve_url
from models.enums import Role
from models.migrate import alembic_config, head_revision, schema_state, upgrade
from models.repositories.settings import get_setting
from models.session import Database
from models.users import User
from planning.departements import departement, departements
from regul import launcher
from regul.centre import DEPARTEMENT_SETTING
from regul.cli import main
from regul.config import (
    ConfigError,
    DeskConfig,
    config_path,
    configured_url,
    load_config,
    needs_first_run,
    save_config,
)
from regul.diagnostics import diagnostics
from regul.logs import recent_lines, start_logging
from regul.planning_input import problem_from_records
from regul.setup import DeskSetup, FirstAccount, SchemaStatus, apply_setup, probe

NORD = departement("59")
assert NORD is not None


# -- the desk's settings ------------------------------------------------------------------------


def test_settings_round_trip_and_are_readable_by_the_user_only() -> None:
    config = DeskConfig("postgresql+psycopg://dupont@serveur/regul", "2A", "dupont")
    path = save_config(config)
    assert path == config_path() and load_config() == config
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob("*.tmp"))  # written whole, then renamed


def test_a_password_is_never_saved_in_the_settings() -> None:
    with pytest.raises(ConfigError, match="mot de passe"):
        save_config(DeskConfig("postgresql+psycopg://dupont:secret@serveur/regul"))
    assert load_config() is None


@pytest.mark.parametrize(
    ("content", "why"),
    [("{not json", "illisibles"), ('{"version": 99}', "autre version"), ("[]", "autre version")],
)
def test_a_damaged_settings_file_is_named_in_the_error(content: str, why: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=why) as refused:
        load_config()
    assert str(path) in str(refused.value)


def test_the_database_comes_from_the_command_line_then_the_environment_then_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = DeskConfig("postgresql+psycopg://serveur/regul")
    assert configured_url(None, None) is None and needs_first_run(None, None)
    assert configured_url(None, config) == "postgresql+psycopg://serveur/regul"
    assert not needs_first_run(None, config)
    assert not needs_first_run("sqlite:///x.sqlite", None)
    monkeypatch.setenv("REGUL_DB", "sqlite:///env.sqlite")
    assert configured_url(None, config) == "sqlite:///env.sqlite"
    assert configured_url("sqlite:///arg.sqlite", config) == "sqlite:///arg.sqlite"
    assert not needs_first_run(None, None)


def test_every_command_works_on_the_database_the_desk_was_set_up_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "centre.sqlite"
    save_config(DeskConfig(f"sqlite:///{elsewhere}", "59"))
    assert main(["db", "upgrade"]) == 0
    assert str(elsewhere) in capsys.readouterr().out
    assert elsewhere.exists() and not default_sqlite_path().exists()


# -- looking at a database before using it ----------------------------------------------------


def test_probe_tells_an_empty_a_current_an_outdated_and_a_newer_database(db_url: URL) -> None:
    found = probe(db_url, "test-runner")
    assert found.status is SchemaStatus.EMPTY and found.usable and found.may_migrate
    db = Database(db_url)
    try:
        upgrade(db)
        found = probe(db_url, "test-runner")
        assert found.status is SchemaStatus.CURRENT and found.usable and not found.has_users
        with db.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
        found = probe(db_url, "test-runner")
        assert found.status is SchemaStatus.OUTDATED and found.schema == "0004" and found.usable
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f00d_future'"))
        found = probe(db_url, "test-runner")
        assert found.status is SchemaStatus.TOO_NEW and not found.usable
        assert "plus récent" in found.message
    finally:
        db.dispose()


def test_probe_on_a_server_says_who_the_connection_acts_as(pg_schema_url: URL) -> None:
    db = Database(pg_schema_url)
    try:
        upgrade(db)
    finally:
        db.dispose()
    found = probe(pg_schema_url, "quelquun")
    assert found.principal is not None and found.principal.role is Role.ADMIN
    assert found.principal.login == "postgres"  # the server's word, not the claimed login


def test_probe_of_an_unreachable_server_is_one_clear_error() -> None:
    from models.errors import DatabaseUnavailableError

    url = resolve_url("postgresql://personne@127.0.0.1:1/regul?connect_timeout=2")
    with pytest.raises(DatabaseUnavailableError, match="injoignable"):
        probe(url, "test-runner")


# -- setting the desk up ------------------------------------------------------------------------


def test_a_local_desk_is_set_up_with_its_administrator_and_departement() -> None:
    assert NORD is not None
    account = FirstAccount("dupont", "un mot de passe solide", "Marie Dupont")
    report = apply_setup(DeskSetup(None, NORD, "test-runner", account))
    assert report.url == local_url()
    assert (report.migrated.previous, report.migrated.current) == (None, head_revision())
    db = Database(report.url)
    try:
        assert schema_state(db).up_to_date
        with db.reader() as session:
            admin = session.scalars(select(User)).one()
            assert (admin.login, admin.role, admin.display_name) == (
                "dupont",
                Role.ADMIN,
                "Marie Dupont",
            )
            assert get_setting(session, DEPARTEMENT_SETTING) == "59"
    finally:
        db.dispose()
    assert load_config() == DeskConfig(None, "59", "dupont")


def test_a_shared_desk_saves_the_server_without_the_password(pg_schema_url: URL) -> None:
    corse = departement("2a")
    assert corse is not None
    with_password = pg_schema_url.set(password="secret")
    report = apply_setup(DeskSetup(with_password, corse, "test-runner"))
    config = load_config()
    assert config is not None and config.database_url is not None
    saved = make_url(config.database_url)
    assert saved.password is None and saved.host == "127.0.0.1"
    assert saved.query["options"] == pg_schema_url.query["options"]  # its schema, kept
    assert (config.departement, config.login) == ("2A", "postgres")
    assert report.url.password == "secret"  # for this session only


def test_the_demo_day_is_loaded_and_planned_when_asked(tmp_path: Path) -> None:
    assert NORD is not None
    url = make_url(f"sqlite+pysqlite:///{tmp_path}/demo.sqlite")
    setup = DeskSetup(url, NORD, "test-runner", demo=True, demo_requests=12, demo_plan_seconds=1)
    steps: list[str] = []
    report = apply_setup(setup, steps.append)
    assert report.demo_requests == 12 and 0 < report.demo_served <= 12
    assert any("démonstration" in step for step in steps)


def test_a_failed_set_up_saves_no_settings(tmp_path: Path) -> None:
    """The settings come last: a desk whose set-up failed is asked again at the next start."""
    from models.repositories.users import InvalidUserError

    assert NORD is not None
    url = make_url(f"sqlite+pysqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(InvalidUserError):
        apply_setup(DeskSetup(url, NORD, "test-runner", FirstAccount("dupont", "court")))
    assert load_config() is None


def test_the_centres_departement_prices_trips_without_a_postcode() -> None:
    day = generate_day(date(2026, 12, 7), requests=1, seed=1)
    placed = day.requests[0]
    bare = replace(
        placed,
        pickup=replace(placed.pickup, postcode=None),
        dropoff=replace(placed.dropoff, postcode=None),
    )
    for record, expected in ((bare, "62"), (placed, "59")):
        planning_input = problem_from_records(
            day.service_date, [record], [], [], home_departement="62"
        )
        assert planning_input.problem.requests[0].departement == expected


def test_the_departements_are_the_101_of_the_official_code() -> None:
    codes = [d.code for d in departements()]
    assert len(codes) == len(set(codes)) == 101
    assert {"2A", "2B", "971", "976", "75"} <= set(codes) and "20" not in codes
    assert departement(" 2b ") is not None and departement("20") is None


def test_regul_setup_from_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["setup", "--local", "--departement", "974"]) == 0
    out = capsys.readouterr().out
    assert "974 – La Réunion" in out and str(config_path()) in out
    assert load_config() == DeskConfig(None, "974", "test-runner")
    assert main(["setup", "--local", "--departement", "20"]) == 2
    assert "département inconnu" in capsys.readouterr().err


# -- the log and the diagnostic -----------------------------------------------------------------


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger as it was before the test: its handlers (closed) and level restored."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    alembic_level = logging.getLogger("alembic").level
    yield root
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(alembic_level)


def test_the_log_rotates_is_private_and_its_end_can_be_read(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    folder = tmp_path / "logs"
    path = start_logging(folder)
    assert start_logging(folder) == path  # once per process
    handlers = [h for h in root_logger.handlers if getattr(h, "baseFilename", "")]
    assert [h.baseFilename for h in handlers].count(str(path)) == 1  # type: ignore[attr-defined]
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    log = logging.getLogger("regul.test")
    for n in range(12_000):
        log.info("ligne %05d %s", n, "x" * 80)
    assert (folder / "regul.log.1").exists() and not (folder / "regul.log.6").exists()
    lines = recent_lines(3, folder)
    assert len(lines) == 3 and lines[-1].endswith("ligne 11999 " + "x" * 80)


def test_the_diagnostic_says_what_support_needs_and_never_the_password(pg_schema_url: URL) -> None:
    with_password = pg_schema_url.set(password="secret-du-centre")
    report = diagnostics(with_password.render_as_string(hide_password=False))
    for section in ("== Régul ==", "== Dossiers ==", "== Poste ==", "== Base de données =="):
        assert section in report
    assert "secret-du-centre" not in report and "***" in report
    assert "PostgreSQL" in report and "schéma" in report
    assert "pas encore configuré" in report


def test_the_diagnostic_of_a_missing_local_file_does_not_create_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diagnostics", "--db", f"sqlite:///{tmp_path}/absent.sqlite"]) == 0
    assert "absent" in capsys.readouterr().out
    assert not (tmp_path / "absent.sqlite").exists()


# -- the installed programs ---------------------------------------------------------------------


@pytest.mark.usefixtures("root_logger")
def test_the_start_menu_program_opens_the_console_and_logs_the_command_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[list[str] | None] = []
    monkeypatch.setattr("regul.cli.main", lambda argv=None: seen.append(argv) or 0)
    monkeypatch.setattr(sys, "argv", ["regul-gui"])
    assert launcher.main_gui() == 0
    monkeypatch.setattr(sys, "argv", ["regul-gui", "import", "requests", "Durand Marie.xlsx"])
    assert launcher.main_gui() == 0
    assert seen == [["gui"], ["import", "requests", "Durand Marie.xlsx"]]
    log = "\n".join(recent_lines(10))
    assert "« regul gui »" in log and "« regul import »" in log and "Durand" not in log


def test_a_frozen_program_gets_a_writable_numba_cache_and_somewhere_to_print(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "stderr", None)
    launcher.prepare_runtime()
    cache = Path(os.environ["NUMBA_CACHE_DIR"])
    assert cache.parts[-3:] == ("Regul", "numba", Path(sys.executable).stem)
    assert sys.stderr is not None
    print("lu par personne", file=sys.stderr)


def test_settings_written_by_hand_keep_unknown_keys_out(tmp_path: Path) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "departement": "59", "futur": 1}), "utf-8")
    assert load_config() == DeskConfig(None, "59", None)
