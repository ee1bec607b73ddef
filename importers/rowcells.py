"""One spreadsheet row seen through the column mapping, collecting what is wrong with it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from importers.cells import is_blank, parse_float, text
from importers.columns import ColumnMapping
from importers.errors import CellError
from importers.readers import RawRow
from models.records import Position

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """Why a row was not imported: the column as written in the file, and a French reason."""

    column: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.column} : {self.reason}" if self.column else self.reason


class RowCells:
    def __init__(self, headers: tuple[str, ...], mapping: ColumnMapping, row: RawRow) -> None:
        self._headers = headers
        self._mapping = mapping
        self.row = row
        self.problems: list[Problem] = []

    def has_column(self, field: str) -> bool:
        return self._mapping.get(field) is not None

    def raw(self, field: str) -> Any:
        index = self._mapping.get(field)
        return None if index is None else self.row.cells[index]

    def header(self, field: str) -> str | None:
        index = self._mapping.get(field)
        return None if index is None else self._headers[index]

    def text(self, field: str) -> str | None:
        return text(self.raw(field))

    def blank(self, field: str) -> bool:
        return is_blank(self.raw(field))

    def parse(self, field: str, parser: Callable[[Any], T | None]) -> T | None:
        """The parsed cell, or None after recording the problem when it cannot be read."""
        try:
            return parser(self.raw(field))
        except CellError as exc:
            self.problem(field, str(exc))
            return None

    def check_lengths(self, limits: Mapping[str, int]) -> None:
        """Text longer than its column can hold is an error here, not a database failure."""
        for field, limit in limits.items():
            value = self.text(field)
            if value is not None and len(value) > limit:
                self.problem(field, f"texte trop long ({len(value)} caractères, {limit} au plus)")

    def problem(self, field: str | None, reason: str) -> None:
        self.problems.append(Problem(self.header(field) if field else None, reason))


def coordinates(cells: RowCells, lat_field: str, lon_field: str) -> Position | None:
    lat = cells.parse(lat_field, lambda v: parse_float(v, "latitude"))
    lon = cells.parse(lon_field, lambda v: parse_float(v, "longitude"))
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        missing = lat_field if lat is None else lon_field
        if cells.blank(missing):
            cells.problem(missing, "latitude et longitude vont ensemble : l'une manque")
        return None
    if not in_france(lat, lon):
        swapped = in_france(lon, lat)
        cells.problem(
            lat_field,
            f"coordonnées hors de France ({lat}, {lon})"
            + (" : latitude et longitude inversées ?" if swapped else ""),
        )
        return None
    return Position(lat, lon)


def in_france(lat: float, lon: float) -> bool:
    """Metropolitan France and Corsica, with a margin: outside it, a coordinate is a typo."""
    return 41.0 <= lat <= 51.6 and -5.8 <= lon <= 10.0
