"""Street-level positions from the Base Adresse Nationale's batch CSV endpoint.

Used only when the regulator configures it (``--geocoder ban``): patient addresses leave the
desk, so this is a decision for the centre, not a default. One HTTP call per 5,000 addresses;
answers below the score threshold are left to the gazetteer rather than trusted.
"""

import csv
import io
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping, Sequence

from importers.geocoding import (
    Address,
    GeocodingUnavailable,
    Located,
    Precision,
    Resolution,
    Unresolved,
)
from models.records import Position

DEFAULT_URL = "https://api-adresse.data.gouv.fr/search/csv/"
URL_VARIABLE = "REGUL_BAN_URL"
SOURCE = "Base Adresse Nationale"
BATCH = 5_000
MIN_SCORE = 0.5
_PRECISIONS = {
    "housenumber": Precision.ADDRESS,
    "street": Precision.STREET,
    "locality": Precision.STREET,
    "municipality": Precision.COMMUNE,
}


class BanGeocoder:
    name = "ban"

    def __init__(self, url: str | None = None, timeout_s: float = 30.0) -> None:
        self.url = url or os.environ.get(URL_VARIABLE) or DEFAULT_URL
        self.timeout_s = timeout_s

    def locate(self, addresses: Sequence[Address]) -> dict[Address, Resolution]:
        results: dict[Address, Resolution] = {}
        for start in range(0, len(addresses), BATCH):
            batch = addresses[start : start + BATCH]
            rows = self._post(_as_csv(batch))
            for address, row in zip(batch, rows, strict=False):
                results[address] = _resolution(row)
        return results

    def _post(self, payload: bytes) -> list[dict[str, str]]:
        boundary = uuid.uuid4().hex
        body = _multipart(boundary, payload)
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                text = response.read().decode("utf-8-sig")
        except urllib.error.HTTPError as exc:
            raise GeocodingUnavailable(
                f"géocodage en ligne ({self.url}) refusé : HTTP {exc.code} {exc.reason}"
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GeocodingUnavailable(
                f"géocodage en ligne injoignable ({self.url} : {reason}) ; relancez sans "
                "--geocoder ban pour localiser par commune, hors ligne"
            ) from exc
        return list(csv.DictReader(io.StringIO(text)))


def _as_csv(addresses: Sequence[Address]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("adresse", "postcode", "city"))
    writer.writerows((a.address or "", a.postcode or "", a.commune or "") for a in addresses)
    return buffer.getvalue().encode("utf-8")


def _multipart(boundary: str, payload: bytes) -> bytes:
    def field(name: str, value: str) -> bytes:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        return f"{head}{value}\r\n".encode()

    data_head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"; filename="adresses.csv"'
        "\r\nContent-Type: text/csv\r\n\r\n"
    )
    return b"".join(
        [
            field("columns", "adresse"),
            field("columns", "city"),
            field("postcode", "postcode"),
            data_head.encode() + payload + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
    )


def _resolution(row: Mapping[str, str]) -> Resolution:
    try:
        score = float(row.get("result_score") or 0)
        lat, lon = float(row["latitude"]), float(row["longitude"])
    except (KeyError, ValueError):
        return Unresolved("adresse non trouvée par la Base Adresse Nationale")
    precision = _PRECISIONS.get(row.get("result_type", ""))
    if score < MIN_SCORE or precision is None:
        return Unresolved(f"adresse incertaine pour la Base Adresse Nationale (score {score:.2f})")
    return Located(Position(lat, lon), precision, SOURCE)
