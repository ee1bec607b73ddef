"""From the Start-menu shortcut to the window: set the desk up on its first run, open its
database, bring a local file's schema up to date (a copy kept aside) or refuse a schema newer
than this Régul, ask who is there, then open the regulator's or the carrier's window.

Whatever stops the start is said in a message box (the shortcut has no terminal) and raised
again, so that ``regul gui`` in a terminal prints it and exits with its code.
"""

import logging
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import URL

from console.app import application, run_console
from console.crash import install_crash_handler
from console.i18n import tr
from models.db import is_sqlite, redact, resolve_url
from models.errors import RegulDataError
from models.migrate import UpgradeReport, ensure_current
from models.session import Database
from regul.access import Principal
from regul.cli_common import current_actor
from regul.config import configured_url, load_config, needs_first_run
from regul.login import acting_principal, needs_sign_in

_log = logging.getLogger(__name__)


def start_console(
    explicit_url: str | None,
    day: date,
    screenshot: Path | None = None,
    time_limit_s: float = 60.0,
    carrier_siret: str | None = None,
    set_up: bool = True,
) -> int:
    """``explicit_url``: ``--db``; without it, $REGUL_DB, else this desk's settings, which the
    first-run wizard writes when there are none (unless ``set_up`` is False: ``regul demo``
    chose its database). A screenshot is taken unattended: no wizard, no sign-in (it acts as
    $REGUL_USER)."""
    application()
    install_crash_handler()
    try:
        return _start(explicit_url, day, screenshot, time_limit_s, carrier_siret, set_up)
    except RegulDataError as refused:
        _log.warning("démarrage refusé : %s", type(refused).__name__)
        if screenshot is None:
            QMessageBox.critical(None, tr("Régul ne peut pas démarrer"), str(refused))
        raise


def _start(
    explicit_url: str | None,
    day: date,
    screenshot: Path | None,
    time_limit_s: float,
    carrier_siret: str | None,
    set_up: bool,
) -> int:
    unattended = screenshot is not None
    config = load_config()
    login = config.login if config else None
    created: str | None = None  # the account the wizard just made, its password just typed
    if set_up and not unattended and needs_first_run(explicit_url, config):
        from console.first_run import run_first_run

        first = run_first_run()
        if first is None:
            return 0  # nothing was saved: the wizard comes back at the next start
        # a server's address now carries the password just typed, so no sign-in is asked
        url, login, created = first.url, first.login, first.report.account
    else:
        url = resolve_url(configured_url(explicit_url, config))
        if not unattended and _asks_password(url, explicit_url):
            return _sign_in_to_server(url, login, day, time_limit_s, carrier_siret)
    db = Database(url)
    try:
        db.check_reachable()
        db.check_writable()
        notice = _notice(ensure_current(db))
        if not unattended and created is None and needs_sign_in(db):
            from console.login_dialog import sign_in

            signed = sign_in(db, login=login)
            if signed is None:
                return 0
            principal: Principal = signed[0]
        else:
            principal = acting_principal(db, created or current_actor())
        _log.info("console ouverte sur %s", redact(url))
        return run_console(db, day, principal, screenshot, time_limit_s, carrier_siret, notice)
    finally:
        db.dispose()


def _asks_password(url: URL, explicit_url: str | None) -> bool:
    """A shared server this desk was set up with: its address is saved, never its password."""
    return (
        not is_sqlite(url) and url.password is None and configured_url(explicit_url, None) is None
    )


def _sign_in_to_server(
    url: URL, login: str | None, day: date, time_limit_s: float, carrier_siret: str | None
) -> int:
    """Connect as the user's own role (the server enforces what it may do), then check that
    the server's schema is the one this Régul expects."""
    from console.login_dialog import sign_in

    server = Database(url)
    try:
        signed = sign_in(server, login=login)
    finally:
        server.dispose()
    if signed is None:
        return 0
    principal, own_url = signed
    db = Database(own_url)
    try:
        ensure_current(db)  # a shared server is never migrated behind the administrator's back
        _log.info("console ouverte sur %s", redact(own_url))
        return run_console(db, day, principal, None, time_limit_s, carrier_siret)
    finally:
        db.dispose()


def _notice(migrated: UpgradeReport | None) -> str | None:
    if migrated is None or not migrated.changed:
        return None
    text = tr("Base mise à jour pour cette version de Régul (schéma {0} → {1}).").format(
        migrated.previous or tr("vide"), migrated.current
    )
    if migrated.backup:
        text += " " + tr("Copie de sauvegarde : {0}").format(migrated.backup)
    return text
