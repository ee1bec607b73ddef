"""The demo day: a synthetic Nord day written as spreadsheets, then imported like real files.

Going through the import path means the demo exercises what a regulator does every morning,
and leaves the files on disk to open, edit and import again. A messy export for the next day
is written too, to try the import report on.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import platformdirs

from importers.columns import TableKind
from importers.geocoding import default_geocoder
from importers.run import ImportResult, import_file
from importers.samples import (
    write_establishments,
    write_messy_requests,
    write_tidy_requests,
    write_vehicles,
)
from importers.synthetic import SyntheticDay, generate_day
from models.db import APP_NAME
from models.repositories.common import Outcome
from models.repositories.summary import DaySummary, day_summary
from models.session import Database
from models.timezone import now


@dataclass(frozen=True)
class DemoLoad:
    imports: tuple[ImportResult, ...]
    summary: DaySummary
    messy_sample: Path

    def count(self, outcome: Outcome) -> int:
        return sum(result.outcome_count(outcome) for result in self.imports)


def demo_folder() -> Path:
    """Where the demo day's spreadsheets are written, to open and import again."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_NAME)) / "demo"


def default_demo_date() -> date:
    """Today, or the next Monday on a weekend: a weekend day has few scheduled treatments."""
    today = now().date()
    return today + timedelta(days=(7 - today.weekday()) % 7 if today.weekday() >= 5 else 0)


def build_demo_day(service_date: date | None, requests_count: int, seed: int) -> SyntheticDay:
    return generate_day(service_date or default_demo_date(), requests=requests_count, seed=seed)


def load_demo_day(db: Database, day: SyntheticDay, folder: Path, actor: str) -> DemoLoad:
    """Write the day's files into ``folder`` and import them; loading again changes nothing."""
    stamp = f"{day.service_date:%Y-%m-%d}"
    files = (
        (TableKind.ESTABLISHMENTS, write_establishments(day, folder / "etablissements.xlsx")),
        (TableKind.VEHICLES, write_vehicles(day, folder / "parc-transporteurs.csv")),
        (TableKind.REQUESTS, write_tidy_requests(day, folder / f"demandes-{stamp}.xlsx")),
    )
    geocoder = default_geocoder()
    imports = tuple(import_file(db, kind, sample.path, geocoder, actor) for kind, sample in files)
    tomorrow = generate_day(
        day.service_date + timedelta(days=1), requests=len(day.requests), seed=len(day.requests)
    )
    messy = write_messy_requests(
        tomorrow, folder / f"export-service-{tomorrow.service_date:%Y-%m-%d}.xlsx"
    )
    with db.reader() as session:
        summary = day_summary(session, day.service_date)
    return DemoLoad(imports=imports, summary=summary, messy_sample=messy.path)
