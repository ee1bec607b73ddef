"""The first start of a desk and every start after: the wizard, the schema checks with their
messages, who is asked to sign in, and the Aide menu."""

import gc
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, make_url, select, text

from models.db import local_url
from models.enums import Role
from models.errors import SchemaOutdatedError, SchemaTooNewError
from models.migrate import UpgradeReport, alembic_config, head_revision, schema_state, upgrade
from models.repositories.users import add_user
from models.session import Database
from models.users import User
from planning.departements import departement
from regul.access import Principal
from regul.config import DeskConfig, load_config, save_config

pytestmark = pytest.mark.usefixtures("fresh_settings")

DAY = date(2026, 12, 7)
PASSWORD = "un mot de passe solide"
AT_HEAD = UpgradeReport(previous=head_revision(), current=head_revision(), backup=None)


class Opened:
    """What the window would have been opened with (the window itself is tested elsewhere)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self,
        db: Database,
        day: date,
        principal: Principal,
        screenshot: Path | None = None,
        time_limit_s: float = 60.0,
        carrier_siret: str | None = None,
        notice: str | None = None,
    ) -> int:
        self.calls.append({"url": db.url, "principal": principal, "notice": notice})
        return 0


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Opened:
    spy = Opened()
    monkeypatch.setattr("console.startup.run_console", spy)
    return spy


@pytest.fixture
def alerts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        "console.startup.QMessageBox.critical",
        lambda _parent, _title, message: shown.append(message),
    )
    return shown


@pytest.fixture
def file_url(tmp_path: Path) -> URL:
    return make_url(f"sqlite+pysqlite:///{tmp_path}/poste.sqlite")


@pytest.fixture
def staffed_url(file_url: URL) -> URL:
    """A local file with its administrator, « dupont »."""
    db = Database(file_url)
    try:
        upgrade(db)
        with db.transaction("test-runner") as session:
            add_user(session, "dupont", Role.ADMIN, PASSWORD)
    finally:
        db.dispose()
    return file_url


# -- the wizard ---------------------------------------------------------------------------------


def test_the_wizard_sets_a_local_desk_up(qtbot: QtBot) -> None:
    from console.first_run import FirstRunWizard

    wizard = FirstRunWizard()  # not given to qtbot: it must survive being collected, below
    wizard.show()
    assert wizard.database_page.local.isChecked()
    wizard.next()
    account = wizard.account_page
    assert wizard.currentPage() is account and account.creates_account()
    account.login.setText("dupont")
    account.password.setText(PASSWORD)
    account.confirm.setText("autre chose")
    wizard.next()
    assert wizard.currentPage() is account and "diffèrent" in account.error.text()
    account.confirm.setText(PASSWORD)
    wizard.next()
    page = wizard.departement_page
    assert wizard.currentPage() is page and not page.isComplete()
    page.choice.setEditText("Nord")  # typed, without Enter
    assert page.isComplete() and page.chosen() == departement("59")
    page.select("62")
    assert page.isComplete() and "par km" in page.rate.text()
    wizard.next()
    assert wizard.demo_page.demo.isChecked()  # offered on an empty local base
    wizard.demo_page.demo.setChecked(False)
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        wizard.accept()
    assert wizard.outcome is not None and wizard.outcome.login == "dupont"
    assert load_config() == DeskConfig(None, "62", "dupont")
    # the console opens next, in the same event loop: the finished wizard, collected, must
    # leave nothing pending (a deferred deletion of its thread once crashed the process)
    del wizard
    gc.collect()
    qtbot.wait(200)
    db = Database(local_url())
    try:
        with db.reader() as session:
            assert session.scalars(select(User.login)).all() == ["dupont"]
    finally:
        db.dispose()


def test_the_wizard_tests_the_server_before_going_on(qtbot: QtBot) -> None:
    from console.first_run import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.database_page
    page.shared.setChecked(True)
    page.host.setText("127.0.0.1")
    page.port.setValue(1)  # nothing listens there
    page.database.setText("regul")
    page.login.setText("dupont")
    wizard.next()
    assert wizard.currentPage() is page and "injoignable" in page.result.text()
    assert page.probed is None and load_config() is None


def test_the_wizard_reaches_the_shared_server_and_says_who_one_works_as(
    qtbot: QtBot, pg_schema_url: URL
) -> None:
    from console.first_run import FirstRunWizard

    db = Database(pg_schema_url)
    try:
        upgrade(db)
    finally:
        db.dispose()
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    page = wizard.database_page
    page.shared.setChecked(True)
    page.host.setText(str(pg_schema_url.host))
    page.database.setText(str(pg_schema_url.database))
    page.login.setText(str(pg_schema_url.username))
    # the test's own schema, which the wizard has no field for
    page.url = lambda: pg_schema_url  # type: ignore[method-assign]
    assert page.test_connection()
    assert "Connexion réussie" in page.result.text() and "postgres" in page.result.text()
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is wizard.account_page
    assert not wizard.account_page.creates_account()
    assert wizard.account_page.role.text() == "administrateur"


# -- every start --------------------------------------------------------------------------------


def test_a_first_start_runs_the_wizard_then_opens_as_its_new_user(
    monkeypatch: pytest.MonkeyPatch, opened: Opened, staffed_url: URL
) -> None:
    from console.first_run import FirstRun
    from console.startup import start_console
    from regul.setup import SetupReport

    report = SetupReport(staffed_url, AT_HEAD, "dupont", 0, 0, Path())
    done = FirstRun(staffed_url, "dupont", report)
    monkeypatch.setattr("console.first_run.run_first_run", lambda: done)
    assert start_console(None, DAY) == 0
    [call] = opened.calls
    assert call["principal"] == Principal("dupont", Role.ADMIN)


def test_a_wizard_on_a_file_with_accounts_still_asks_the_password(
    monkeypatch: pytest.MonkeyPatch, opened: Opened, staffed_url: URL
) -> None:
    """Typing an existing login in the wizard is no way in: the password is asked next."""
    from console.first_run import FirstRun
    from console.startup import start_console
    from regul.setup import SetupReport

    report = SetupReport(staffed_url, AT_HEAD, None, 0, 0, Path())
    monkeypatch.setattr(
        "console.first_run.run_first_run", lambda: FirstRun(staffed_url, "dupont", report)
    )
    asked: list[str | None] = []

    def refuse(db: Database, parent: Any = None, login: str | None = None) -> None:
        asked.append(login)  # the user gives up at the sign-in

    monkeypatch.setattr("console.login_dialog.sign_in", refuse)
    assert start_console(None, DAY) == 0
    assert asked == ["dupont"] and opened.calls == []


def test_giving_up_the_wizard_opens_nothing_and_asks_again_next_time(
    monkeypatch: pytest.MonkeyPatch, opened: Opened
) -> None:
    from console.startup import start_console

    asked: list[bool] = []
    monkeypatch.setattr("console.first_run.run_first_run", lambda: asked.append(True))
    assert start_console(None, DAY) == 0
    assert start_console(None, DAY) == 0
    assert asked == [True, True] and opened.calls == []


def test_the_demo_opens_its_own_database_without_the_wizard(
    monkeypatch: pytest.MonkeyPatch, opened: Opened
) -> None:
    from console.startup import start_console

    def never() -> None:
        raise AssertionError("no wizard after « regul demo »")

    monkeypatch.setattr("console.first_run.run_first_run", never)
    assert start_console(None, DAY, set_up=False) == 0
    [call] = opened.calls
    assert call["url"] == local_url()
    assert call["principal"] == Principal("test-runner", Role.ADMIN)  # no account yet


def test_an_outdated_local_file_is_migrated_with_a_copy_and_the_user_is_told(
    opened: Opened, file_url: URL
) -> None:
    from console.startup import start_console

    db = Database(file_url)
    try:
        upgrade(db)
        with db.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
    finally:
        db.dispose()
    save_config(DeskConfig(file_url.render_as_string(hide_password=False), "59"))
    assert start_console(None, DAY) == 0
    [call] = opened.calls
    assert "0004 → " in call["notice"] and "Copie de sauvegarde" in call["notice"]
    backups = list(Path(str(file_url.database)).parent.glob("*avant-migration-0004*"))
    assert len(backups) == 1
    db = Database(file_url)
    try:
        assert schema_state(db).up_to_date
    finally:
        db.dispose()


def test_a_newer_database_is_refused_with_one_clear_message(
    alerts: list[str], opened: Opened, db_url: URL
) -> None:
    from console.startup import start_console

    db = Database(db_url)
    try:
        upgrade(db)
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f00d_future'"))
    finally:
        db.dispose()
    with pytest.raises(SchemaTooNewError):
        start_console(db_url.render_as_string(hide_password=False), DAY)
    [message] = alerts
    assert "plus récent" in message and "installez la dernière version" in message
    assert opened.calls == []


def test_a_local_file_with_accounts_asks_who_is_there(
    monkeypatch: pytest.MonkeyPatch, opened: Opened, staffed_url: URL
) -> None:
    from console.startup import start_console

    save_config(DeskConfig(staffed_url.render_as_string(hide_password=False), "59", "dupont"))
    prefilled: list[str | None] = []

    def sign_in(db: Database, parent: Any = None, login: str | None = None) -> Any:
        prefilled.append(login)
        return Principal("dupont", Role.ADMIN), db.url

    monkeypatch.setattr("console.login_dialog.sign_in", sign_in)
    assert start_console(None, DAY) == 0
    assert prefilled == ["dupont"]
    assert opened.calls[0]["principal"] == Principal("dupont", Role.ADMIN)


def test_a_shared_server_asks_for_the_password_it_never_saved(
    monkeypatch: pytest.MonkeyPatch, opened: Opened, alerts: list[str], pg_schema_url: URL
) -> None:
    from console.startup import start_console

    save_config(DeskConfig(pg_schema_url.render_as_string(hide_password=False), "59", "postgres"))
    own = pg_schema_url.set(password="tapé à l'ouverture")
    monkeypatch.setattr(
        "console.login_dialog.sign_in",
        lambda db, parent=None, login=None: (Principal(str(login), Role.ADMIN), own),
    )
    # the server's schema is still empty: a shared server is never migrated at start
    with pytest.raises(SchemaOutdatedError, match="regul db upgrade"):
        start_console(None, DAY)
    assert len(alerts) == 1 and "administrateur" in alerts[0]
    db = Database(pg_schema_url)
    try:
        upgrade(db)
    finally:
        db.dispose()
    assert start_console(None, DAY) == 0
    [call] = opened.calls
    assert call["url"] == own and call["principal"].login == "postgres"


# -- the Aide menu ------------------------------------------------------------------------------


def test_the_diagnostic_reaches_the_clipboard_and_the_about_box_offers_the_licences(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, file_url: URL, tmp_path: Path
) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton

    from console import help_menu

    window = QMainWindow()
    qtbot.addWidget(window)
    db = Database(file_url)
    try:
        upgrade(db)
        menu = help_menu.add_help_menu(window, db)
        assert [a.text() for a in menu.actions() if a.text()] == [
            "Copier le diagnostic pour le support",
            "Ouvrir le dossier des journaux",
            "Configurer ce poste…",
            "À propos de Régul",
        ]
        text = help_menu.copy_diagnostics(window, db)
    finally:
        db.dispose()
    assert QGuiApplication.clipboard().text() == text
    assert str(file_url.database) in text and "== Base de données ==" in text

    licences = tmp_path / "THIRD-PARTY-LICENSES.txt"
    licences.write_text("PySide6 … LGPL-3.0", encoding="utf-8-sig")
    monkeypatch.setattr(help_menu, "licences_file", lambda: licences)
    seen: list[list[str]] = []

    def look(box: QMessageBox) -> int:
        seen.append([b.text() for b in box.findChildren(QPushButton)])
        return 0

    monkeypatch.setattr(QMessageBox, "exec", look)
    help_menu.show_about(window)
    assert any("Licences des composants…" in texts for texts in seen)
