"""Road distances and times from a user-run OSRM server (its ``table`` service).

Used when the centre configures a server (``--osrm URL``, or ``REGUL_OSRM_URL``): real road
km and times instead of the straight line × road factor. Every pair fetched is kept, so the
checker and the KPIs read the very figures the optimiser planned with, and with an
:class:`OsrmCache` they are kept on disk for the next runs. A server that cannot be reached is
an error said plainly, not a silent fallback: a plan on guessed distances must be a choice.
"""

import json
import os
import urllib.error
import urllib.request
from collections.abc import Sequence

import numpy as np

from planning.model import Point
from planning.osrm_cache import Figures, OsrmCache, Pair
from planning.travel import FloatMatrix, Precision

URL_VARIABLE = "REGUL_OSRM_URL"
PROFILE = "driving"


class OsrmUnavailable(Exception):
    """The OSRM server did not answer usefully; the message says so in French."""


class OsrmTravel:
    def __init__(
        self,
        url: str,
        chunk: int = 100,
        timeout_s: float = 60.0,
        cache: OsrmCache | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.endpoint = f"{self.url}/table/v1/{PROFILE}"
        self.chunk = chunk  # locations per request: osrm-routed's --max-table-size
        self.timeout_s = timeout_s
        self.cache = cache
        self._km: dict[Pair, float] = {}
        self._seconds: dict[Pair, float] = {}

    def km(self, a: Point, b: Point) -> float:
        if (a, b) not in self._km:
            self.matrices([a, b])
        return self._km[(a, b)]

    def seconds(self, a: Point, b: Point) -> int:
        if (a, b) not in self._seconds:
            self.matrices([a, b])
        return round(self._seconds[(a, b)])

    def matrices(
        self, points: Sequence[Point], precision: Precision = np.float64
    ) -> tuple[FloatMatrix, FloatMatrix]:
        unique = list(dict.fromkeys(points))
        missing = self._missing_blocks(unique)
        if missing and self.cache is not None:
            self._remember(self.cache.figures(self.endpoint, unique))
            missing = self._missing_blocks(unique)
        for sources, destinations in missing:
            self._fetch(sources, destinations)
        km: FloatMatrix = np.empty((len(points), len(points)), dtype=precision)
        seconds: FloatMatrix = np.empty_like(km)
        for row, a in enumerate(points):
            km[row] = [self._km[(a, b)] for b in points]
            seconds[row] = [self._seconds[(a, b)] for b in points]
        return km, np.rint(seconds, out=seconds)

    def _missing_blocks(self, unique: list[Point]) -> list[tuple[list[Point], list[Point]]]:
        """The (sources, destinations) chunks with a pair not known yet."""
        blocks = [unique[i : i + self.chunk] for i in range(0, len(unique), self.chunk)]
        return [
            (sources, destinations)
            for sources in blocks
            for destinations in blocks
            if any((a, b) not in self._km for a in sources for b in destinations)
        ]

    def _remember(self, figures: dict[Pair, Figures]) -> None:
        for pair, (metres, seconds) in figures.items():
            self._km[pair] = metres / 1000
            self._seconds[pair] = seconds

    def _fetch(self, sources: list[Point], destinations: list[Point]) -> None:
        places = list(dict.fromkeys([*sources, *destinations]))
        index = {p: k for k, p in enumerate(places)}
        coordinates = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in places)
        query = (
            f"sources={';'.join(str(index[p]) for p in sources)}"
            f"&destinations={';'.join(str(index[p]) for p in destinations)}"
            "&annotations=distance,duration"
        )
        answer = self._get(f"{self.endpoint}/{coordinates}?{query}")
        distances, durations = answer.get("distances"), answer.get("durations")
        if (
            answer.get("code") != "Ok"
            or not isinstance(distances, list)
            or not isinstance(durations, list)
        ):
            raise OsrmUnavailable(
                f"serveur OSRM ({self.url}) : réponse inattendue "
                f"({answer.get('code')}: {answer.get('message', '')})"
            )
        fetched: dict[Pair, Figures] = {}
        for a, row_m, row_s in zip(sources, distances, durations, strict=True):
            for b, metres, seconds in zip(destinations, row_m, row_s, strict=True):
                if metres is None or seconds is None:
                    raise OsrmUnavailable(
                        f"serveur OSRM : aucun itinéraire entre ({a.lat}, {a.lon}) et "
                        f"({b.lat}, {b.lon}) — point hors de la carte chargée ?"
                    )
                fetched[(a, b)] = (metres, seconds)
        self._remember(fetched)
        if self.cache is not None:
            self.cache.keep(self.endpoint, fetched)

    def _get(self, address: str) -> dict[str, object]:
        try:
            with urllib.request.urlopen(address, timeout=self.timeout_s) as response:
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise OsrmUnavailable(
                f"serveur OSRM ({self.url}) : HTTP {exc.code} {exc.reason}"
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise OsrmUnavailable(
                f"serveur OSRM injoignable ({self.url} : {reason}) ; relancez sans --osrm pour "
                "planifier sur les distances estimées"
            ) from exc
        except json.JSONDecodeError as exc:
            raise OsrmUnavailable(f"serveur OSRM ({self.url}) : réponse illisible") from exc
        if not isinstance(data, dict):
            raise OsrmUnavailable(f"serveur OSRM ({self.url}) : réponse illisible")
        return data


def configured_url() -> str | None:
    return os.environ.get(URL_VARIABLE) or None
