"""Patients' data stays where it belongs: never in the log nor a crash report, in a local file
readable by its user only, over TLS to a server that asks for it."""

import argparse
import logging
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, insert, make_url, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from models import Patient, TransportRequest
from models.db import resolve_url
from models.errors import DatabaseUnavailableError, DatabaseUrlError, RegulDataError
from models.session import Database
from models.timezone import PARIS
from regul import cli
from regul.diagnostics import diagnostics
from regul.logs import crash_report, log_folder, start_logging
from tests.conftest import PG_URL, require_postgres

NAME, FIRST = "Quenouille-Dubreuil", "Anastasie"
ADDRESS = "17 impasse des Glycines"
PHONE = "06 71 82 93 04"
PERSONAL = (NAME, FIRST, ADDRESS, PHONE, "0671829304")


def _write_patient_and_a_broken_request(db: Database) -> None:
    """A patient, then a request with no time at all: the database refuses the row, and
    PostgreSQL's error detail would quote all of it ("Failing row contains …")."""
    with db.transaction("test-runner") as session:
        patient = Patient(file_number="IPP-1", last_name=NAME, first_name=FIRST, phone=PHONE)
        session.add(patient)
        session.flush()
        session.execute(
            insert(TransportRequest).values(
                external_id="R-1",
                service_date=datetime(2026, 12, 3, tzinfo=PARIS).date(),
                patient_id=patient.id,
                direction="OUTBOUND",
                pickup_address=ADDRESS,
                notes=f"appeler {NAME} au {PHONE}",
                prescribed_mode="TAXI",
                mobility="SEATED",
                care_type="DIALYSIS",
                status="OPEN",
                flags=[],
                version=1,
            )
        )


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The desk's log started as the programs start it; the root logger given back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    path = start_logging()
    yield path
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


def _only_crash_file() -> Path:
    (crash,) = log_folder().glob("crash-*.log")
    return crash


def test_a_database_error_on_a_patient_row_leaves_no_patient_data_behind(
    db: Database,
    logged: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Through ``regul``'s main: the crash report and the log name the error's type, the
    constraint and the frames, and none of the refused row's values."""

    def command(_args: argparse.Namespace) -> int:
        try:
            _write_patient_and_a_broken_request(db)
        except IntegrityError as refused:
            raise RuntimeError(f"import de {NAME} ({PHONE}) impossible") from refused
        return 0

    monkeypatch.setattr(cli, "_db_info", command)
    assert cli.main(["db", "info"]) == 1
    err = capsys.readouterr().err
    crash = _only_crash_file()
    assert str(crash) in err
    report = crash.read_text(encoding="utf-8")
    log = logged.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in report, value
        assert value not in log, value
        assert value not in err, value
    assert "sqlalchemy.exc.IntegrityError" in report
    assert "has_a_binding_time" in report  # the constraint, on both backends
    assert "The above exception was the direct cause of the following exception:" in report
    assert "RuntimeError: (message omis" in report
    assert 'tests/test_data_protection.py", line' in report
    assert "in _write_patient_and_a_broken_request" in report
    assert "session.execute(" in report  # the line of code, for support
    assert stat.S_IMODE(crash.stat().st_mode) == 0o600
    assert "erreur inattendue (RuntimeError)" in log


def test_an_importers_refusal_quoting_a_cell_stays_on_the_screen(
    logged: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refusal the user can act on is shown whole to the user, and logged by its kind only;
    a bug whose message quotes a cell goes to a crash report without the message."""

    def refused(_args: argparse.Namespace) -> int:
        raise RegulDataError(f"demandes.csv, ligne 3, colonne Nom : « {NAME} » inattendu")

    def bug(_args: argparse.Namespace) -> int:
        raise ValueError(f"invalid literal for int() with base 10: '{PHONE}'")

    monkeypatch.setattr(cli, "_db_info", refused)
    assert cli.main(["db", "info"]) == 1
    assert NAME in capsys.readouterr().err
    monkeypatch.setattr(cli, "_db_info", bug)
    assert cli.main(["db", "info"]) == 1
    capsys.readouterr()
    report = _only_crash_file().read_text(encoding="utf-8")
    log = logged.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in report and value not in log, value
    assert "ValueError: (message omis" in report
    assert "commande refusée : RegulDataError" in log


def test_database_errors_never_carry_the_values_sent(db: Database) -> None:
    """Engines hide bound parameters, so even the exception's own text has no value."""
    assert db.engine.hide_parameters
    with pytest.raises(IntegrityError) as caught:
        _write_patient_and_a_broken_request(db)
    assert "parameters hidden" in str(caught.value)
    if db.url.get_backend_name() == "postgresql":  # the server's detail does: kept out of reports
        assert ADDRESS in str(caught.value)
    report = crash_report(caught.value)
    assert not [value for value in PERSONAL if value in report]


def test_a_value_refused_by_its_type_stays_out_of_the_report(pg_schema_url: URL) -> None:
    """A value PostgreSQL cannot read as its type: the server's very first line quotes it
    (« invalid input syntax for type date: … »), so the report keeps only its code."""
    db = Database(pg_schema_url)
    try:
        with pytest.raises(DBAPIError) as caught, db.transaction("test-runner") as session:
            session.execute(text("SELECT CAST(:value AS date)"), {"value": NAME})
    finally:
        db.dispose()
    assert NAME in str(caught.value.orig)  # what the report must leave out
    report = crash_report(caught.value)
    assert NAME not in report
    assert "SQLSTATE 22007" in report


def test_a_message_safe_by_its_kind_is_kept() -> None:
    """A programming error's message says what support needs; an OSError keeps its errno and
    not its file name (a patient's spreadsheet, maybe)."""
    with pytest.raises(AttributeError) as caught:
        None.missing  # type: ignore[attr-defined]  # noqa: B018
    assert "'NoneType' object has no attribute 'missing'" in crash_report(caught.value)
    missing = FileNotFoundError(2, "No such file or directory", f"/home/x/{NAME}.xlsx")
    report = crash_report(missing)
    assert "FileNotFoundError: [Errno 2] No such file or directory" in report
    assert NAME not in report


def test_an_error_in_a_console_slot_writes_the_same_report_and_tells_the_user(
    qapp: Any, logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PySide hands a slot's exception to sys.excepthook: the console's hook writes the
    scrubbed report, logs its kind and shows a French message naming the report."""
    from PySide6.QtCore import QObject, Signal

    from console.crash import install_crash_handler

    shown: list[str] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # given back after the test
    monkeypatch.setattr(
        "console.crash.QMessageBox.critical",
        lambda _parent, title, message: shown.append(f"{title}\n{message}"),
    )
    install_crash_handler()

    class Button(QObject):
        clicked = Signal()

    def on_click() -> None:
        raise KeyError(f"{NAME} {FIRST}, {ADDRESS}, {PHONE}")

    button = Button()
    button.clicked.connect(on_click)
    button.clicked.emit()

    report = _only_crash_file().read_text(encoding="utf-8")
    log = logged.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in report and value not in log and value not in shown[0], value
    assert "KeyError: (message omis" in report
    assert "in on_click" in report
    assert "erreur inattendue dans la console (KeyError)" in log
    (message,) = shown
    assert message.startswith(
        'Erreur inattendue\n<p style="white-space:pre-wrap">'
        "Une erreur inattendue s'est produite (KeyError)"
    ), "the message is not shown as written"
    assert str(_only_crash_file()) in message


def test_the_local_database_and_its_journal_are_readable_by_the_user_only(
    tmp_path: Path,
) -> None:
    """The file SQLite would create with the umask's mode is created 0600, and its -wal and
    -shm files take that mode."""
    if os.name != "posix":
        pytest.skip("file modes are POSIX's")
    previous = os.umask(0o022)
    try:
        db = Database(make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite"))
        try:
            with db.engine.begin() as connection:
                connection.execute(text("CREATE TABLE t (a INTEGER)"))
                connection.execute(text("INSERT INTO t VALUES (1)"))
            modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
        finally:
            db.dispose()
    finally:
        os.umask(previous)
    assert modes == {"regul.sqlite": 0o600, "regul.sqlite-wal": 0o600, "regul.sqlite-shm": 0o600}


def test_tls_settings_pass_through_and_a_wrong_mode_is_refused() -> None:
    """libpq's sslmode, sslrootcert, sslcert and sslkey stay in the URL; a misspelt sslmode is
    one French message listing the valid ones."""
    url = resolve_url(
        "postgresql://regul@serveur/centre?sslmode=verify-full&sslrootcert=/etc/regul/ca.pem"
        "&sslcert=/etc/regul/poste.crt&sslkey=/etc/regul/poste.key"
    )
    assert dict(url.query) == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/regul/ca.pem",
        "sslcert": "/etc/regul/poste.crt",
        "sslkey": "/etc/regul/poste.key",
    }
    with pytest.raises(DatabaseUrlError, match="chiffrement \\(sslmode\\) inconnu : 'requiered'"):
        resolve_url("postgresql://regul@serveur/centre?sslmode=requiered")


@pytest.fixture
def server_ssl(postgres_reachable: str | None) -> str:
    require_postgres(postgres_reachable)
    db = Database(resolve_url(PG_URL.render_as_string(hide_password=False)))
    try:
        with db.engine.connect() as connection:
            return str(connection.execute(text("SHOW ssl")).scalar_one())
    finally:
        db.dispose()


def _with_sslmode(mode: str) -> URL:
    return resolve_url(PG_URL.update_query_dict({"sslmode": mode}).render_as_string(False))


def test_the_local_server_with_and_without_tls(server_ssl: str) -> None:
    """Against the test server: without TLS on the server, sslmode=require fails in one clear
    message and prefer/disable connect in clear; with TLS, require connects encrypted. The
    diagnostic says which."""
    for mode in ("disable", "prefer"):
        db = Database(_with_sslmode(mode))
        try:
            db.check_reachable()
        finally:
            db.dispose()
    required = Database(_with_sslmode("require"))
    try:
        if server_ssl == "on":
            required.check_reachable()
            assert "chiffrement    : TLS (" in diagnostics(
                str(required.url.render_as_string(False))
            )
            return
        with pytest.raises(DatabaseUnavailableError) as refused:
            required.check_reachable()
    finally:
        required.dispose()
    message = str(refused.value)
    assert message.startswith("base de données injoignable")
    assert "SSL" in message
    plain = _with_sslmode("disable").render_as_string(hide_password=False)
    assert "chiffrement    : aucun" in diagnostics(plain)


@dataclass(frozen=True)
class TlsServer:
    url: URL  # no sslmode: each test chooses
    ca: Path  # the certificate the server presents (self-signed: its own authority)
    other_ca: Path  # an authority that did not sign it


_PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    """A throwaway PostgreSQL cluster with ssl=on on a free port, run as the postgres user (the
    system server is shared and is never reconfigured); skipped where it cannot be made."""
    if not (_PG_BIN and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("openssl")):
        pytest.skip("needs root (to run a cluster as postgres), PostgreSQL's binaries and openssl")
    binaries = _PG_BIN[-1]
    folder = Path(tempfile.mkdtemp(prefix="regul-tls-"))  # pytest's own is closed to postgres
    for name, subject in (("server", "/CN=127.0.0.1"), ("other", "/CN=autre-autorite")):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", subject, "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(folder / f"{name}.key"), "-out", str(folder / f"{name}.crt")],
            check=True, capture_output=True,
        )  # fmt: skip
    (folder / "server.key").chmod(0o600)
    shutil.chown(folder, "postgres")
    for name in ("server.key", "server.crt"):
        shutil.chown(folder / name, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def as_postgres(*command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       capture_output=True)  # fmt: skip

    data = folder / "data"
    as_postgres(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c ssl=on "
        f"-c ssl_cert_file={folder}/server.crt -c ssl_key_file={folder}/server.key"
    )
    pg_ctl = str(binaries / "pg_ctl")
    as_postgres(pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start")
    try:
        yield TlsServer(
            make_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"),
            folder / "server.crt",
            folder / "other.crt",
        )
    finally:
        as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder)


def test_a_server_with_tls_is_reached_encrypted_and_its_certificate_checked(
    tls_server: TlsServer,
) -> None:
    """sslmode=require connects over TLS (the diagnostic says so); verify-full connects with
    the server's authority and is refused, in one message saying why, with another one."""

    def address(**query: str) -> str:
        return tls_server.url.update_query_dict(query).render_as_string(hide_password=False)

    for url in (
        address(sslmode="require"),
        address(sslmode="verify-full", sslrootcert=str(tls_server.ca)),
    ):
        db = Database(resolve_url(url))
        try:
            db.check_reachable()
        finally:
            db.dispose()
        assert "chiffrement    : TLS (TLSv1." in diagnostics(url)
    assert "chiffrement    : aucun, connexion en clair ; sslmode disable" in diagnostics(
        address(sslmode="disable")
    )
    wrong = Database(
        resolve_url(address(sslmode="verify-full", sslrootcert=str(tls_server.other_ca)))
    )
    try:
        with pytest.raises(DatabaseUnavailableError) as refused:
            wrong.check_reachable()
    finally:
        wrong.dispose()
    assert str(refused.value).startswith("base de données injoignable")
    assert "certificate verify failed" in str(refused.value)
