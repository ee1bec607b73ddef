"""The départements a centre can belong to (INSEE's Code officiel géographique: 96 in
metropolitan France with Corsica's 2A and 2B, and the five overseas). A centre's own
département prices the trips whose address has no postcode and names its public holidays."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FILE = Path(__file__).parent / "data" / "departements.csv"


@dataclass(frozen=True)
class Departement:
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


@cache
def departements() -> tuple[Departement, ...]:
    with _FILE.open(encoding="utf-8", newline="") as file:
        return tuple(
            Departement(row["code"], row["nom"]) for row in csv.DictReader(file, delimiter=";")
        )


def departement(code: str) -> Departement | None:
    wanted = code.strip().upper()
    return next((d for d in departements() if d.code == wanted), None)
