"""Offline commune gazetteer: a French postcode + commune name gives the commune centre.

Built from GeoNames postal data (CC BY 4.0) by scripts/build_gazetteer.py, plus a few
localities hospitals name that the list lacks (data/localities_extra.csv), and shipped in the
package, so geocoding works on a desk with no network. A commune centre is good to about a
kilometre in a town and a few in the countryside: enough to plan a day, not to find a door.
"""

import csv
import gzip
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from importers.folding import fold
from models.records import Position
from planning.geometry import great_circle_km

SOURCE = "GeoNames (CC BY 4.0), centres de communes"
SAME_TOWN_KM = 10.0


@dataclass(frozen=True)
class Place:
    postcode: str
    commune: str
    position: Position


class Gazetteer:
    """Lookup by postcode and folded commune name, tolerant of 'St'/'Saint' and hyphens."""

    def __init__(self, places: list[Place]) -> None:
        self._by_postcode: dict[str, list[Place]] = defaultdict(list)
        self._by_name: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self._by_postcode[place.postcode].append(place)
            self._by_name[commune_key(place.commune)].append(place)

    def __len__(self) -> int:
        return sum(len(places) for places in self._by_postcode.values())

    def find(self, postcode: str | None, commune: str | None) -> Place | str:
        """The place, or the reason (French) it cannot be told apart."""
        key = commune_key(commune) if commune else None
        in_postcode = self._by_postcode.get(postcode, []) if postcode else []
        if key:
            exact = [p for p in in_postcode if commune_key(p.commune) == key]
            if exact:
                return exact[0]
            named = _distinct(self._by_name.get(key, []))
            if postcode:
                # A postcode typo keeps the département; a commune name is more often right.
                same_department = [
                    p for p in named if department(p.postcode) == department(postcode)
                ]
                if len(same_department) == 1:
                    return same_department[0]
                if not named:
                    # A locality the list does not name (commune déléguée, lieu-dit) under a
                    # postcode that serves one commune only: the postcode says where it is.
                    communes = _distinct(in_postcode)
                    if len(communes) == 1:
                        return communes[0]
                    return f"commune « {commune} » inconnue au code postal {postcode}"
            if len(named) == 1:
                return named[0]
            if len({department(p.postcode) for p in named}) == 1 and _close(named):
                # One town under several postcodes (Dunkerque 59140, 59240…): its middle.
                return _middle(named)
            if named:
                return (
                    f"commune « {commune} » ambiguë ({len(named)} communes de ce nom) : "
                    "précisez le code postal"
                )
            return f"commune « {commune} » inconnue"
        if postcode:
            communes = _distinct(in_postcode)
            if len(communes) == 1:
                return communes[0]
            if communes:
                return (
                    f"code postal {postcode} partagé par {len(communes)} communes : "
                    "précisez la commune"
                )
            return f"code postal {postcode} inconnu"
        return "ni commune ni code postal"


def commune_key(name: str) -> str:
    """'St-Amand les Eaux' and 'Saint-Amand-les-Eaux' give the same key."""
    words = fold(name).split()
    expanded = {"st": "saint", "ste": "sainte", "s": "sur"}
    return " ".join(expanded.get(word, word) for word in words)


def department(postcode: str) -> str:
    return postcode[:3] if postcode.startswith("97") else postcode[:2]


def _close(places: list[Place]) -> bool:
    """All within a town's size of each other: the same commune, not two namesakes."""
    return all(
        great_circle_km(a.position.lat, a.position.lon, b.position.lat, b.position.lon)
        <= SAME_TOWN_KM
        for a in places
        for b in places
    )


def _middle(places: list[Place]) -> Place:
    lat = sum(p.position.lat for p in places) / len(places)
    lon = sum(p.position.lon for p in places) / len(places)
    return Place(places[0].postcode, places[0].commune, Position(round(lat, 4), round(lon, 4)))


def _distinct(places: list[Place]) -> list[Place]:
    """One place per (commune, position): a town with several postcodes is still one town."""
    seen: dict[tuple[str, Position], Place] = {}
    for place in places:
        seen.setdefault((commune_key(place.commune), place.position), place)
    return list(seen.values())


@cache
def shipped_gazetteer() -> Gazetteer:
    data = resources.files("importers").joinpath("data")
    geonames = gzip.decompress(data.joinpath("gazetteer_fr.csv.gz").read_bytes()).decode("utf-8")
    extra = data.joinpath("localities_extra.csv").read_text("utf-8")
    return Gazetteer(_places(geonames) + _places(extra))


def _places(text: str) -> list[Place]:
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    return [
        Place(row["postcode"], row["commune"], Position(float(row["lat"]), float(row["lon"])))
        for row in csv.DictReader(lines, delimiter=";")
    ]
