"""The online geocoder's answers are kept in the database and asked for once."""

from collections.abc import Sequence

from importers.cache import DatabaseGeoCache
from importers.geocoding import (
    Address,
    CachedGeocoder,
    Located,
    Precision,
    Resolution,
    Unresolved,
)
from models.records import Position
from models.repositories.audit import history
from models.session import Database

HOME = Address("3 rue Pasteur", "59100", "Roubaix")
NOWHERE = Address("1 rue Imaginaire", "59999", "Nullepart")


class CountingGeocoder:
    name = "ban"

    def __init__(self) -> None:
        self.asked: list[Address] = []

    def locate(self, addresses: Sequence[Address]) -> dict[Address, Resolution]:
        self.asked.extend(addresses)
        return {
            a: Located(Position(50.69, 3.17), Precision.ADDRESS, "BAN")
            if a == HOME
            else Unresolved("inconnue")
            for a in addresses
        }


def test_answers_survive_across_sessions_and_misses_are_asked_again(db: Database) -> None:
    """A found address is read back from the table next time; an unfound one is retried."""
    online = CountingGeocoder()
    first = CachedGeocoder(online, DatabaseGeoCache(db, "tester")).locate([HOME, NOWHERE])
    assert isinstance(first[HOME], Located) and isinstance(first[NOWHERE], Unresolved)
    again = CachedGeocoder(online, DatabaseGeoCache(db, "tester"))
    second = again.locate([Address("3 RUE PASTEUR", "59100", "roubaix"), NOWHERE])
    assert online.asked == [HOME, NOWHERE, NOWHERE]
    hit = second[Address("3 RUE PASTEUR", "59100", "roubaix")]
    assert isinstance(hit, Located)
    assert (hit.position, hit.precision, hit.source) == (
        Position(50.69, 3.17),
        Precision.ADDRESS,
        "BAN",
    )


def test_cached_addresses_are_masked_in_the_audit_log(db: Database) -> None:
    """The cache key is an address, personal data: the audit log does not copy it."""
    CachedGeocoder(CountingGeocoder(), DatabaseGeoCache(db, "tester")).locate([HOME])
    with db.reader() as session:
        (entry,) = history(session, entity="geocode_cache")
    assert entry.changes["query_key"] == [None, "•••"]
    assert "pasteur" not in str(entry.changes).lower()
