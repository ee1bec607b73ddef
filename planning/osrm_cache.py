"""Road figures already fetched from OSRM servers, kept on disk between runs.

Re-planning a day, or planning the next one with mostly the same addresses, should not wait on
the centre's server again for pairs it has already answered. Figures are keyed by the server's
table endpoint (base URL and profile: another server gives fresh figures) and by both ends'
coordinates at the precision sent to the server, and are fetched again once older than
``max_age`` so that map updates reach the plans. A small SQLite file of the standard library
holds them: a cache beside the application, not its database. Being only a cache, an unreadable
file is started afresh and an unwritable one is done without, each time with a warning.
"""

import logging
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from planning.model import Point

FILE_NAME = "osrm.sqlite"
_SCHEMA_VERSION = 1
_PER_DEGREE = 1_000_000  # the 6 decimals of the coordinates sent to the server
_BROKEN = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

Pair = tuple[Point, Point]
Figures = tuple[float, float]  # metres, seconds, as the server answered
_Key = tuple[int, int]
_Row = tuple[int, int, int, int, float, float]
_T = TypeVar("_T")

_log = logging.getLogger(__name__)


class OsrmCache:
    """The cache file ``FILE_NAME`` in ``folder``, created on the first figures kept."""

    def __init__(
        self,
        folder: Path,
        max_age: timedelta = timedelta(days=30),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = folder / FILE_NAME
        self.max_age = max_age
        self._clock = clock
        self._usable = True
        self._pruned = False

    def figures(self, endpoint: str, points: Sequence[Point]) -> dict[Pair, Figures]:
        """The figures kept for pairs of ``points`` and not yet too old."""
        if not self.path.exists():
            return {}
        by_key: defaultdict[_Key, list[Point]] = defaultdict(list)
        for point in points:
            by_key[_key(point)].append(point)
        cutoff = self._clock() - self.max_age.total_seconds()
        rows: list[_Row] = self._guarded(lambda db: _select(db, endpoint, by_key, cutoff), [])
        return {
            (a, b): (metres, seconds)
            for from_lat, from_lon, to_lat, to_lon, metres, seconds in rows
            for a in by_key[(from_lat, from_lon)]
            for b in by_key[(to_lat, to_lon)]
        }

    def keep(self, endpoint: str, figures: Mapping[Pair, Figures]) -> None:
        now = self._clock()
        rows = [
            (endpoint, *_key(a), *_key(b), metres, seconds, now)
            for (a, b), (metres, seconds) in figures.items()
        ]
        self._guarded(lambda db: self._insert(db, rows, now), None)

    def _insert(
        self, db: sqlite3.Connection, rows: Iterable[tuple[object, ...]], now: float
    ) -> None:
        if not self._pruned:  # once per run keeps the file to about max_age of figures
            db.execute(
                "DELETE FROM road WHERE fetched_at < ?", (now - self.max_age.total_seconds(),)
            )
            self._pruned = True
        db.executemany("INSERT OR REPLACE INTO road VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _guarded(self, operation: Callable[[sqlite3.Connection], _T], fallback: _T) -> _T:
        """Run ``operation``; a broken file is reset once, any other failure turns the cache off."""
        if not self._usable:
            return fallback
        try:
            return self._run(operation)
        except sqlite3.DatabaseError as exc:
            # Errors raised by the sqlite3 module itself carry no SQLite code.
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _BROKEN:
                return self._give_up(exc, fallback)
            _log.warning(
                "cache des distances OSRM illisible (%s : %s) : il est remis à zéro", self.path, exc
            )
        except (sqlite3.Error, OSError) as exc:
            return self._give_up(exc, fallback)
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            return self._run(operation)
        except (sqlite3.Error, OSError) as exc:
            return self._give_up(exc, fallback)

    def _run(self, operation: Callable[[sqlite3.Connection], _T]) -> _T:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per operation: nothing stays open between the plan's few calls.
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            _ensure_schema(db)
            return operation(db)

    def _give_up(self, exc: Exception, fallback: _T) -> _T:
        _log.warning(
            "cache des distances OSRM inutilisable (%s : %s) : les distances seront demandées "
            "au serveur sans être gardées",
            self.path,
            exc,
        )
        self._usable = False
        return fallback


def _key(point: Point) -> _Key:
    return round(point.lat * _PER_DEGREE), round(point.lon * _PER_DEGREE)


def _ensure_schema(db: sqlite3.Connection) -> None:
    if db.execute("PRAGMA user_version").fetchone()[0] == _SCHEMA_VERSION:
        return
    db.execute("DROP TABLE IF EXISTS road")  # another layout: its figures are not worth keeping
    db.execute(
        "CREATE TABLE road (endpoint TEXT NOT NULL, from_lat INTEGER NOT NULL, "
        "from_lon INTEGER NOT NULL, to_lat INTEGER NOT NULL, to_lon INTEGER NOT NULL, "
        "metres REAL NOT NULL, seconds REAL NOT NULL, fetched_at REAL NOT NULL, "
        "PRIMARY KEY (endpoint, from_lat, from_lon, to_lat, to_lon)) WITHOUT ROWID"
    )
    db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")


def _select(
    db: sqlite3.Connection, endpoint: str, keys: Iterable[_Key], cutoff: float
) -> list[_Row]:
    db.execute(
        "CREATE TEMP TABLE wanted (lat INTEGER NOT NULL, lon INTEGER NOT NULL, "
        "PRIMARY KEY (lat, lon)) WITHOUT ROWID"
    )
    db.executemany("INSERT INTO wanted VALUES (?, ?)", keys)
    return db.execute(
        "SELECT r.from_lat, r.from_lon, r.to_lat, r.to_lon, r.metres, r.seconds "
        "FROM wanted AS a CROSS JOIN wanted AS b JOIN road AS r ON r.endpoint = ? "
        "AND r.from_lat = a.lat AND r.from_lon = a.lon AND r.to_lat = b.lat AND r.to_lon = b.lon "
        "WHERE r.fetched_at >= ?",
        (endpoint, cutoff),
    ).fetchall()
