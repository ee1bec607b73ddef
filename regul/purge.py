"""Retention: removing past service days' patient data, keeping their anonymous statistics.

An administrator's job. No retention period is built in: the centre's own rule (its data
protection officer's) says how long transports are kept, and the date is given each time.
A dry run does the whole purge inside a transaction that is then rolled back, so that what it
reports is exactly what a real run would remove.
"""

import logging
from datetime import date

from models.enums import Role
from models.errors import RegulDataError
from models.repositories.audit import record_action
from models.repositories.purge import PURGED, PurgeCounts, purge_before
from models.session import Database
from models.timezone import now
from regul.access import Principal, require

_log = logging.getLogger(__name__)
ACTION = "purger les données des patients"


class PurgeDateError(RegulDataError):
    pass


def purge(db: Database, principal: Principal, before: date, dry_run: bool = False) -> PurgeCounts:
    """Remove the patient data of every service day before ``before`` in one transaction (a
    failure leaves everything as it was), after keeping each day's statistics."""
    require(principal, Role.ADMIN, action=ACTION)
    today = now().date()
    if before > today:
        raise PurgeDateError(
            f"--before {before:%d/%m/%Y} est dans le futur : seuls des jours passés se purgent "
            f"(au plus tard le {today:%d/%m/%Y}, qui purge jusqu'à hier)"
        )
    target = db.rehearsal() if dry_run else db
    with target.transaction(principal.login) as session:
        counts = purge_before(session, before, principal.login)
        record_action(session, "purge", "transport_requests", None, describe(before, counts))
    if not dry_run:
        # counts only: which days and how many rows, never whose
        _log.info("purge avant le %s : %s", before.isoformat(), removed_text(counts))
    return counts


def describe(before: date, counts: PurgeCounts) -> str:
    days = counts.days
    span = (
        f"{len(days)} jours du {days[0].service_date:%d/%m/%Y} au {days[-1].service_date:%d/%m/%Y}"
        if days
        else "aucun jour"
    )
    return (
        f"données des patients avant le {before:%d/%m/%Y} ({span}, statistiques gardées) : "
        + removed_text(counts)
    )


def removed_text(counts: PurgeCounts) -> str:
    return ", ".join(
        f"{table} {counts.removed[table]}" for table in (e.__tablename__ for e in PURGED)
    )
