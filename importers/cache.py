"""The geocoding cache of :mod:`importers.geocoding`, kept in the database."""

from collections.abc import Iterable, Mapping

from importers.geocoding import Located, Precision
from models.repositories.geocache import CachedPosition, cached_positions, store_positions
from models.session import Database


class DatabaseGeoCache:
    """Reads in their own session and writes in their own transaction, so an answer paid for
    with a network call is kept even when the import that asked for it is rejected."""

    def __init__(self, db: Database, actor: str) -> None:
        self._db = db
        self._actor = actor

    def lookup(self, provider: str, keys: Iterable[str]) -> dict[str, Located]:
        with self._db.reader() as session:
            found = cached_positions(session, provider, keys)
        return {
            key: Located(hit.position, Precision(hit.precision), hit.source)
            for key, hit in found.items()
        }

    def store(self, provider: str, entries: Mapping[str, Located]) -> None:
        if not entries:
            return
        with self._db.transaction(self._actor) as session:
            store_positions(
                session,
                provider,
                {
                    key: CachedPosition(found.position, found.precision.value, found.source)
                    for key, found in entries.items()
                },
            )
