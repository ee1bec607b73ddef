"""Road distances and times from a user-run OSRM server (its ``table`` service).

Used when the centre configures a server (``--osrm URL``, or ``REGUL_OSRM_URL``): real road
km and times instead of the straight line × road factor. Every pair fetched is kept, so the
checker and the KPIs read the very figures the optimiser planned with. A server that cannot
be reached is an error said plainly, not a silent fallback: a plan on guessed distances must
be a choice.
"""

import json
import os
import urllib.error
import urllib.request
from collections.abc import Sequence

import numpy as np

from planning.model import Point
from planning.travel import FloatMatrix

URL_VARIABLE = "REGUL_OSRM_URL"


class OsrmUnavailable(Exception):
    """The OSRM server did not answer usefully; the message says so in French."""


class OsrmTravel:
    def __init__(self, url: str, chunk: int = 100, timeout_s: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.chunk = chunk  # locations per request: osrm-routed's --max-table-size
        self.timeout_s = timeout_s
        self._km: dict[tuple[Point, Point], float] = {}
        self._seconds: dict[tuple[Point, Point], float] = {}

    def km(self, a: Point, b: Point) -> float:
        if (a, b) not in self._km:
            self.matrices([a, b])
        return self._km[(a, b)]

    def seconds(self, a: Point, b: Point) -> int:
        if (a, b) not in self._seconds:
            self.matrices([a, b])
        return round(self._seconds[(a, b)])

    def matrices(self, points: Sequence[Point]) -> tuple[FloatMatrix, FloatMatrix]:
        unique = list(dict.fromkeys(points))
        missing = [
            (i, j)
            for i in range(0, len(unique), self.chunk)
            for j in range(0, len(unique), self.chunk)
            if any(
                (a, b) not in self._km
                for a in unique[i : i + self.chunk]
                for b in unique[j : j + self.chunk]
            )
        ]
        for i, j in missing:
            self._fetch(unique[i : i + self.chunk], unique[j : j + self.chunk])
        km = np.array([[self._km[(a, b)] for b in points] for a in points], dtype=np.float64)
        seconds = np.array(
            [[self._seconds[(a, b)] for b in points] for a in points], dtype=np.float64
        )
        return km, np.rint(seconds)

    def _fetch(self, sources: list[Point], destinations: list[Point]) -> None:
        places = list(dict.fromkeys([*sources, *destinations]))
        index = {p: k for k, p in enumerate(places)}
        coordinates = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in places)
        query = (
            f"sources={';'.join(str(index[p]) for p in sources)}"
            f"&destinations={';'.join(str(index[p]) for p in destinations)}"
            "&annotations=distance,duration"
        )
        answer = self._get(f"{self.url}/table/v1/driving/{coordinates}?{query}")
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
        for a, row_m, row_s in zip(sources, distances, durations, strict=True):
            for b, metres, seconds in zip(destinations, row_m, row_s, strict=True):
                if metres is None or seconds is None:
                    raise OsrmUnavailable(
                        f"serveur OSRM : aucun itinéraire entre ({a.lat}, {a.lon}) et "
                        f"({b.lat}, {b.lon}) — point hors de la carte chargée ?"
                    )
                self._km[(a, b)] = metres / 1000
                self._seconds[(a, b)] = seconds

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
