"""Finding positions for places, behind one interface, from the cheapest reliable source up.

Order: coordinates written in the file; a known establishment; the cache of earlier online
answers; the online Base Adresse Nationale when configured (street level); the shipped
gazetteer (commune centre). A place none of them resolves is reported, never guessed.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from importers.folding import fold
from importers.gazetteer import SOURCE as GAZETTEER_SOURCE
from importers.gazetteer import Gazetteer, shipped_gazetteer
from models.records import Position


class Precision(StrEnum):
    """How close the position is to the door, best first."""

    FILE = "file"
    ESTABLISHMENT = "establishment"
    ADDRESS = "address"
    STREET = "street"
    COMMUNE = "commune"


@dataclass(frozen=True)
class Address:
    address: str | None
    postcode: str | None
    commune: str | None

    def key(self) -> str:
        """Folded form, so 'rue Pasteur, LILLE' and 'Rue  Pasteur, Lille' share a cache entry."""
        return "|".join(fold(part or "") for part in (self.address, self.postcode, self.commune))

    def describe(self) -> str:
        return ", ".join(part for part in (self.address, self.postcode, self.commune) if part)


@dataclass(frozen=True)
class Located:
    position: Position
    precision: Precision
    source: str


@dataclass(frozen=True)
class Unresolved:
    reason: str  # French, shown in the import report


Resolution = Located | Unresolved


class Geocoder(Protocol):
    """Anything that turns a batch of addresses into positions (one call per batch)."""

    name: str

    def locate(self, addresses: Sequence[Address]) -> Mapping[Address, Resolution]: ...


class GeocodingUnavailable(Exception):
    """The online provider cannot be reached; the message says so plainly (French)."""


class GeoCache(Protocol):
    """Where online answers are kept so the same address is never asked twice."""

    def lookup(self, provider: str, keys: Iterable[str]) -> Mapping[str, Located]: ...

    def store(self, provider: str, entries: Mapping[str, Located]) -> None: ...


class GazetteerGeocoder:
    name = "communes"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer or shipped_gazetteer()

    def locate(self, addresses: Sequence[Address]) -> dict[Address, Resolution]:
        results: dict[Address, Resolution] = {}
        for address in addresses:
            found = self._gazetteer.find(address.postcode, address.commune)
            results[address] = (
                Unresolved(found)
                if isinstance(found, str)
                else Located(found.position, Precision.COMMUNE, GAZETTEER_SOURCE)
            )
        return results


class CachedGeocoder:
    """An online provider behind the cache table; only answers it found are kept."""

    def __init__(self, inner: Geocoder, cache: GeoCache) -> None:
        self.name = inner.name
        self._inner = inner
        self._cache = cache

    def locate(self, addresses: Sequence[Address]) -> dict[Address, Resolution]:
        by_key = {address.key(): address for address in addresses}
        cached = self._cache.lookup(self.name, by_key)
        results: dict[Address, Resolution] = {by_key[k]: hit for k, hit in cached.items()}
        missing = [address for key, address in by_key.items() if key not in cached]
        if missing:
            fresh = self._inner.locate(missing)
            self._cache.store(
                self.name,
                {a.key(): found for a, found in fresh.items() if isinstance(found, Located)},
            )
            results.update(fresh)
        return {address: results[by_key[address.key()]] for address in addresses}


class ChainGeocoder:
    """Ask each geocoder in turn for what the previous ones left unresolved."""

    def __init__(self, geocoders: Sequence[Geocoder]) -> None:
        self.name = "+".join(g.name for g in geocoders)
        self._geocoders = geocoders

    def locate(self, addresses: Sequence[Address]) -> dict[Address, Resolution]:
        results: dict[Address, Resolution] = {}
        pending = list(dict.fromkeys(addresses))
        for geocoder in self._geocoders:
            if not pending:
                break
            answers = geocoder.locate(pending)
            for address in pending:
                # The last geocoder asked is the coarsest: its reason is the most telling.
                results[address] = answers.get(address) or Unresolved("adresse introuvable")
            pending = [a for a in pending if isinstance(results[a], Unresolved)]
        return results


def default_geocoder(online: Geocoder | None = None, cache: GeoCache | None = None) -> Geocoder:
    """The chain an import uses: the online provider (cached) if any, then the gazetteer."""
    offline = GazetteerGeocoder()
    if online is None:
        return offline
    return ChainGeocoder([CachedGeocoder(online, cache) if cache else online, offline])
