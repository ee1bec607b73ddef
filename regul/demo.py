"""The demo day: a synthetic Nord day written to the database through the repositories."""

from dataclasses import dataclass
from datetime import date, timedelta

from importers.synthetic import SyntheticDay, generate_day
from models.repositories import reference, requests
from models.repositories.audit import record_action
from models.repositories.common import Outcome
from models.repositories.summary import DaySummary, day_summary
from models.session import Database
from models.timezone import now


@dataclass(frozen=True)
class DemoLoad:
    created: int
    updated: int
    unchanged: int
    summary: DaySummary


def default_demo_date() -> date:
    """Today, or the next Monday on a weekend: a weekend day has few scheduled treatments."""
    today = now().date()
    return today + timedelta(days=(7 - today.weekday()) % 7 if today.weekday() >= 5 else 0)


def load_demo_day(db: Database, day: SyntheticDay, actor: str) -> DemoLoad:
    """Write the day in one transaction; loading it again leaves the database as it is."""
    outcomes: list[Outcome] = []
    with db.transaction(actor) as session:
        outcomes += [reference.save_establishment(session, e)[1] for e in day.establishments]
        outcomes += [reference.save_carrier(session, c)[1] for c in day.carriers]
        session.flush()
        outcomes += [reference.save_vehicle(session, v)[1] for v in day.vehicles]
        outcomes += [requests.save_request(session, r)[1] for r in day.requests]
        created = outcomes.count(Outcome.CREATED)
        updated = outcomes.count(Outcome.UPDATED)
        if created or updated:
            record_action(
                session,
                "demo",
                "transport_requests",
                None,
                f"journée de démonstration du {day.service_date.isoformat()} : "
                f"{created} créations, {updated} mises à jour",
            )
    with db.reader() as session:
        summary = day_summary(session, day.service_date)
    return DemoLoad(
        created=created,
        updated=updated,
        unchanged=outcomes.count(Outcome.UNCHANGED),
        summary=summary,
    )


def build_demo_day(service_date: date | None, requests_count: int, seed: int) -> SyntheticDay:
    return generate_day(service_date or default_demo_date(), requests=requests_count, seed=seed)
