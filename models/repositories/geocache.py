"""The geocoding cache: read many keys at once, add the new answers."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.geocache import GeocodeCacheEntry
from models.records import Position
from models.timezone import now

_CHUNK = 500  # stays under every backend's bound-parameter limit


@dataclass(frozen=True)
class CachedPosition:
    position: Position
    precision: str
    source: str


def cached_positions(
    session: Session, provider: str, keys: Iterable[str]
) -> dict[str, CachedPosition]:
    wanted = list(dict.fromkeys(keys))
    found: dict[str, CachedPosition] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.scalars(
            select(GeocodeCacheEntry).where(
                GeocodeCacheEntry.provider == provider,
                GeocodeCacheEntry.query_key.in_(wanted[start : start + _CHUNK]),
            )
        )
        for row in rows:
            found[row.query_key] = CachedPosition(
                Position(row.lat, row.lon), row.precision, row.source
            )
    return found


def store_positions(session: Session, provider: str, entries: Mapping[str, CachedPosition]) -> int:
    """Add answers not cached yet; returns how many were added."""
    known = cached_positions(session, provider, entries)
    stamp = now()
    added = 0
    for key, entry in entries.items():
        if key in known:
            continue
        session.add(
            GeocodeCacheEntry(
                provider=provider,
                query_key=key,
                lat=entry.position.lat,
                lon=entry.position.lon,
                precision=entry.precision,
                source=entry.source,
                created_at=stamp,
            )
        )
        added += 1
    return added
