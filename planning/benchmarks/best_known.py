"""Best-known values of the published instances (``bks.csv`` beside the instance files)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_LEVELS_UP = 3  # bks.csv sits in the family folder, instances up to two folders below


@dataclass(frozen=True)
class BestKnown:
    cost: float  # distance
    vehicles: int | None  # ranked first when given (Li & Lim)


def find_table(instance_file: Path) -> Path | None:
    """The nearest ``bks.csv`` in the instance's folder or above it."""
    folder = instance_file.resolve().parent
    for _ in range(_LEVELS_UP):
        table = folder / "bks.csv"
        if table.is_file():
            return table
        folder = folder.parent
    return None


@cache  # a run reads one table for every instance beside it
def read_table(path: Path) -> dict[str, BestKnown]:
    """Instances with a value; a row with an empty value (none published) is left out."""
    known: dict[str, BestKnown] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cost = row.get("bks_cost") or row.get("distance")
            if not cost:
                continue
            vehicles = row.get("vehicles")
            known[row["instance"].lower()] = BestKnown(
                float(cost), int(vehicles) if vehicles else None
            )
    return known
