"""Accounts on a local file: signing in, who may manage users, and the `regul users` commands."""

import io
import sys
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, make_url, select

from models import AuditEntry, Carrier, User
from models.auditing import MASK
from models.enums import Role
from models.errors import AccessDeniedError
from models.migrate import upgrade
from models.repositories.users import (
    InvalidUserError,
    add_user,
    change_role,
    set_active,
    validate_login,
)
from models.session import Database
from regul.access import require
from regul.cli import main
from regul.login import WRONG_CREDENTIALS, authenticate

SIRET = "73282932000074"
OTHER_SIRET = "55210055400013"
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def local_url(tmp_path: pytest.TempPathFactory) -> URL:
    return make_url(f"sqlite+pysqlite:///{tmp_path}/regul.sqlite")


@pytest.fixture
def local_db(local_url: URL) -> Iterator[Database]:
    """A migrated local file with two carriers and no user yet."""
    db = Database(local_url)
    upgrade(db)
    with db.transaction("test-setup") as session:
        session.add_all(
            [
                Carrier(name="Taxis de Test", siret=SIRET),
                Carrier(name="Ambulances Autres", siret=OTHER_SIRET),
            ]
        )
    yield db
    db.dispose()


@pytest.fixture
def staffed_db(local_db: Database) -> Database:
    """The same file with an administrator, a regulator and a dispatcher of the first carrier."""
    with local_db.transaction("test-setup") as session:
        add_user(session, "chef", Role.ADMIN, PASSWORD, "Chef de salle")
        add_user(session, "regul", Role.REGULATOR, PASSWORD)
        add_user(session, "taxis", Role.CARRIER_DISPATCHER, PASSWORD, carrier_siret=SIRET)
    return local_db


def _run(monkeypatch: pytest.MonkeyPatch, url: URL, actor: str, *args: str, stdin: str = "") -> int:
    monkeypatch.setenv("REGUL_USER", actor)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["users", *args, "--db", url.render_as_string(hide_password=False)])


def test_the_first_user_must_be_an_administrator(local_db: Database) -> None:
    """On an empty users table a regulator is refused and an administrator accepted."""
    with (
        pytest.raises(InvalidUserError, match="premier utilisateur"),
        local_db.transaction("test-setup") as session,
    ):
        add_user(session, "regul", Role.REGULATOR, PASSWORD)
    with local_db.transaction("test-setup") as session:
        add_user(session, "chef", Role.ADMIN, PASSWORD)
        add_user(session, "regul", Role.REGULATOR, PASSWORD)


def test_signing_in_returns_the_principal_with_its_carrier(staffed_db: Database) -> None:
    """The right password gives the user's role, and a dispatcher's carrier SIRET."""
    dispatcher = authenticate(staffed_db, "taxis", PASSWORD)
    assert (dispatcher.login, dispatcher.role) == ("taxis", Role.CARRIER_DISPATCHER)
    assert dispatcher.carrier_siret == SIRET
    assert authenticate(staffed_db, " chef ", PASSWORD).role is Role.ADMIN


def test_a_wrong_password_and_an_unknown_login_get_the_same_message(
    staffed_db: Database,
) -> None:
    """Nothing in the refusal tells whether the login exists."""
    with pytest.raises(AccessDeniedError) as wrong_password:
        authenticate(staffed_db, "taxis", PASSWORD + "!")
    with pytest.raises(AccessDeniedError) as unknown_login:
        authenticate(staffed_db, "personne", PASSWORD)
    assert str(wrong_password.value) == str(unknown_login.value) == WRONG_CREDENTIALS


def test_a_disabled_account_is_refused_and_says_so_only_to_its_owner(
    staffed_db: Database,
) -> None:
    """With its password a disabled account hears it is disabled; without, the usual refusal."""
    with staffed_db.transaction("chef") as session:
        set_active(session, "taxis", False)
    with pytest.raises(AccessDeniedError, match="désactivé"):
        authenticate(staffed_db, "taxis", PASSWORD)
    with pytest.raises(AccessDeniedError, match=WRONG_CREDENTIALS):
        authenticate(staffed_db, "taxis", "pas le bon mot de passe")


def test_roles_from_signing_in_are_enforced(staffed_db: Database) -> None:
    """A dispatcher signed in is refused a regulator's action; a regulator is allowed it."""
    dispatcher = authenticate(staffed_db, "taxis", PASSWORD)
    with pytest.raises(AccessDeniedError, match="non autorisé"):
        require(dispatcher, Role.ADMIN, Role.REGULATOR, action="planifier la journée")
    require(authenticate(staffed_db, "regul", PASSWORD), Role.REGULATOR, action="planifier")


def test_the_password_is_stored_as_a_scrypt_hash_and_masked_in_the_audit_log(
    staffed_db: Database,
) -> None:
    """The row holds a salted scrypt hash; the audit entry of its creation holds a mask."""
    with staffed_db.reader() as session:
        stored = session.scalar(select(User.password_hash).where(User.login == "taxis"))
        created = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "users", AuditEntry.action == "create")
        ).all()
    assert stored is not None and stored.startswith("scrypt$") and PASSWORD not in stored
    assert len(created) == 3
    assert all(entry.changes["password_hash"] == [None, MASK] for entry in created)


@pytest.mark.parametrize(
    "login",
    ['x"; DROP ROLE postgres; --', "Chef", "1chef", "pg_monitor", "public", "a b", "é", "a" * 64],
)
def test_logins_unfit_for_a_database_role_are_refused(login: str) -> None:
    """Quotes, upper case, spaces, reserved and over-long names never reach the database."""
    with pytest.raises(InvalidUserError, match="identifiant invalide"):
        validate_login(login)


def test_the_last_active_administrator_is_kept(staffed_db: Database) -> None:
    """Demoting or disabling the only administrator is refused; with a second one it is not."""
    with (
        pytest.raises(InvalidUserError, match="dernier administrateur"),
        staffed_db.transaction("chef") as session,
    ):
        change_role(session, "chef", Role.REGULATOR)
    with (
        pytest.raises(InvalidUserError, match="dernier administrateur"),
        staffed_db.transaction("chef") as session,
    ):
        set_active(session, "chef", False)
    with staffed_db.transaction("chef") as session:
        change_role(session, "regul", Role.ADMIN)
        set_active(session, "chef", False)


def test_users_commands_from_an_empty_base_to_a_managed_one(
    local_db: Database,
    local_url: URL,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Anyone creates the first administrator; then only an administrator manages accounts."""
    line = PASSWORD + "\n"
    assert _run(monkeypatch, local_url, "n-importe-qui", "add", "chef", "--role", "regulator",
                "--password-stdin", stdin=line) == 2  # fmt: skip
    assert "premier utilisateur" in capsys.readouterr().err
    assert _run(monkeypatch, local_url, "n-importe-qui", "add", "chef", "--role", "admin",
                "--name", "Chef de salle", "--password-stdin", stdin=line) == 0  # fmt: skip
    assert "REGUL_USER=chef" in capsys.readouterr().out

    assert _run(monkeypatch, local_url, "n-importe-qui", "list") == 1
    assert "inconnu" in capsys.readouterr().err
    assert _run(monkeypatch, local_url, "chef", "add", "taxis", "--role", "carrier",
                "--password-stdin", stdin=line) == 2  # fmt: skip
    assert "lié à son transporteur" in capsys.readouterr().err
    assert _run(monkeypatch, local_url, "chef", "add", "taxis", "--role", "carrier",
                "--carrier", SIRET, "--password-stdin", stdin=line) == 0  # fmt: skip
    assert _run(monkeypatch, local_url, "chef", "add", "regul", "--role", "regulator",
                "--password-stdin", stdin=line) == 0  # fmt: skip
    capsys.readouterr()

    assert _run(monkeypatch, local_url, "regul", "add", "autre", "--role", "admin",
                "--password-stdin", stdin=line) == 1  # fmt: skip
    assert "non autorisé" in capsys.readouterr().err
    assert _run(monkeypatch, local_url, "taxis", "passwd", "regul", "--password-stdin",
                stdin="un autre mot de passe\n") == 1  # fmt: skip
    assert "non autorisé" in capsys.readouterr().err
    assert _run(monkeypatch, local_url, "taxis", "passwd", "taxis", "--password-stdin",
                stdin="mon nouveau mot de passe\n") == 0  # fmt: skip
    assert authenticate(local_db, "taxis", "mon nouveau mot de passe").carrier_siret == SIRET

    assert _run(monkeypatch, local_url, "chef", "grant", "taxis", "--role", "carrier",
                "--carrier", OTHER_SIRET) == 0  # fmt: skip
    assert _run(monkeypatch, local_url, "chef", "disable", "regul") == 0
    capsys.readouterr()
    assert _run(monkeypatch, local_url, "chef", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert [row.split()[:2] for row in listing] == [
        ["chef", "actif"],
        ["regul", "désactivé"],
        ["taxis", "actif"],
    ]
    assert f"carrier de Ambulances Autres (SIRET {OTHER_SIRET})" in listing[2]
    assert PASSWORD not in "".join(listing)
    with pytest.raises(AccessDeniedError, match="désactivé"):
        authenticate(local_db, "regul", PASSWORD)
    assert _run(monkeypatch, local_url, "chef", "enable", "regul") == 0
    assert authenticate(local_db, "regul", PASSWORD).role is Role.REGULATOR


def test_a_password_is_never_read_from_a_pipe_without_being_asked_to(
    local_db: Database,
    local_url: URL,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without a terminal and without --password-stdin the command stops with a usage error."""
    assert _run(monkeypatch, local_url, "x", "add", "chef", "--role", "admin", stdin=PASSWORD) == 2
    assert "--password-stdin" in capsys.readouterr().err
    with local_db.reader() as session:
        assert session.scalar(select(User.id)) is None


def test_a_short_password_is_refused(
    local_db: Database,
    local_url: URL,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Fewer than twelve characters is a usage error and creates nothing."""
    assert _run(monkeypatch, local_url, "x", "add", "chef", "--role", "admin",
                "--password-stdin", stdin="court\n") == 2  # fmt: skip
    assert "trop court" in capsys.readouterr().err
    with local_db.reader() as session:
        assert session.scalar(select(User.id)) is None


def test_the_login_dialog_stays_open_on_a_refusal_then_returns_the_principal(
    qtbot: QtBot, staffed_db: Database
) -> None:
    """A wrong password shows the refusal and clears the field; the right one signs in."""
    from console.login_dialog import LoginDialog

    dialog = LoginDialog(staffed_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.login.setText("taxis")
    dialog.password.setText("pas le bon")
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == WRONG_CREDENTIALS
    assert dialog.password.text() == "" and dialog.principal is None
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        dialog.accept()
    assert dialog.principal is not None and dialog.principal.carrier_siret == SIRET
    assert dialog.database_url == staffed_db.url
    assert dialog.password.text() == ""
