"""Rows of an establishments list and of a carriers' vehicle roster → records, or reasons."""

import re
from dataclasses import dataclass
from datetime import time
from functools import partial

from importers import cells as parse
from importers.folding import fold
from importers.identifiers import finess_valid, siret_valid
from importers.rowcells import Problem, RowCells, coordinates
from importers.vocabulary import CARE_TYPES, MODES
from models.enums import CareType, TransportMode
from models.records import EstablishmentRecord, PlaceRecord

# When a roster gives no shift, a vehicle is taken as working a usual day.
DEFAULT_SHIFT = (time(7, 0), time(19, 0))
_DEFAULT_PLACES = {
    TransportMode.TAXI: (4, 0, 0),
    TransportMode.VSL: (3, 0, 0),
    TransportMode.AMBULANCE: (1, 1, 0),
}
_SIV_PLATE = re.compile(r"^([A-Z]{2})-?(\d{3})-?([A-Z]{2})$")
_FNI_PLATE = re.compile(r"^(\d{1,4}) ?([A-Z]{1,3}) ?(\d{2}|2A|2B|97\d)$")


@dataclass(frozen=True)
class VehicleRow:
    """A roster row: the carrier it belongs to and the vehicle (positions geocoded later)."""

    carrier_siret: str
    carrier_name: str
    base: PlaceRecord
    phone: str | None
    plate: str
    kind: TransportMode
    seated: int
    lying: int
    wheelchair: int
    shift: tuple[time, time]
    notes: tuple[str, ...]


def parse_establishment_row(cells: RowCells) -> EstablishmentRecord | tuple[Problem, ...]:
    cells.check_lengths({"name": 255, "address": 255, "commune": 120})
    finess = (cells.text("finess") or "").replace(" ", "").upper()
    if not finess:
        cells.problem("finess", "numéro FINESS manquant")
    elif not finess_valid(finess):
        cells.problem("finess", f"numéro FINESS invalide « {finess} » (9 caractères, clé fausse)")
    name = cells.text("name")
    if name is None:
        cells.problem("name", "nom de l'établissement manquant")
    postcode = cells.parse("postcode", parse.parse_postcode)
    position = coordinates(cells, "lat", "lon")
    activities = _activities(cells)
    if cells.problems or name is None:
        return tuple(cells.problems)
    return EstablishmentRecord(
        finess=finess,
        name=name,
        address=cells.text("address"),
        postcode=postcode,
        commune=cells.text("commune"),
        position=position,
        activities=activities,
    )


def parse_vehicle_row(cells: RowCells) -> VehicleRow | tuple[Problem, ...]:
    cells.check_lengths({"carrier": 255, "base_address": 255, "base_commune": 120})
    siret = re.sub(r"\s", "", cells.text("siret") or "")
    if not siret:
        cells.problem("siret", "SIRET du transporteur manquant")
    elif not siret_valid(siret):
        cells.problem("siret", f"SIRET invalide « {siret} » (14 chiffres, clé fausse)")
    name = cells.text("carrier")
    if name is None:
        cells.problem("carrier", "nom du transporteur manquant")
    plate = _plate(cells)
    kind = cells.parse("kind", lambda v: parse.parse_choice(v, MODES, "type de véhicule"))
    if kind is None and cells.blank("kind"):
        cells.problem("kind", "type de véhicule manquant (Taxi, VSL ou Ambulance)")
    counts: dict[str, int | None] = {}
    for field, label in (
        ("seated", "places assises"),
        ("lying", "places allongées"),
        ("wheelchair", "places fauteuil"),
    ):
        counts[field] = cells.parse(field, partial(parse.parse_int, label=label))
    shift, notes = _shift(cells)
    postcode = cells.parse("base_postcode", parse.parse_postcode)
    position = coordinates(cells, "base_lat", "base_lon")
    if kind is not None:
        defaults = _DEFAULT_PLACES[kind]
        if all(value is None for value in counts.values()) and not cells.problems:
            notes += (f"places non précisées : valeurs usuelles d'un {kind.value} retenues",)
        seated = counts["seated"] if counts["seated"] is not None else defaults[0]
        lying = counts["lying"] if counts["lying"] is not None else defaults[1]
        wheelchair = counts["wheelchair"] if counts["wheelchair"] is not None else defaults[2]
        if lying and kind is not TransportMode.AMBULANCE:
            cells.problem("lying", f"un {kind.value} n'a pas de place allongée")
        if seated + lying + wheelchair == 0:
            cells.problem("seated", "aucune place pour un patient")
    if cells.problems or name is None or plate is None or kind is None or shift is None:
        return tuple(cells.problems)
    return VehicleRow(
        carrier_siret=siret,
        carrier_name=name,
        base=PlaceRecord(
            cells.text("base_address"), postcode, cells.text("base_commune"), position
        ),
        phone=cells.parse("phone", parse.parse_phone),
        plate=plate,
        kind=kind,
        seated=seated,
        lying=lying,
        wheelchair=wheelchair,
        shift=shift,
        notes=notes,
    )


def _activities(cells: RowCells) -> tuple[CareType, ...]:
    written = cells.text("activities")
    if written is None:
        return ()
    found: list[CareType] = []
    for part in re.split(r"[,;/+\n]| et ", written):
        if not part.strip():
            continue
        care = CARE_TYPES.get(fold(part))
        if care is None:
            cells.problem("activities", f"activité inconnue « {part.strip()} »")
        elif care not in found:
            found.append(care)
    return tuple(found)


def _plate(cells: RowCells) -> str | None:
    written = cells.text("plate")
    if written is None:
        cells.problem("plate", "immatriculation manquante")
        return None
    compact = re.sub(r"[\s.]", "", written.upper())
    if match := _SIV_PLATE.match(compact.replace("-", "") if "-" not in compact else compact):
        return "-".join(match.groups())
    spaced = " ".join(written.upper().replace("-", " ").split())
    if match := _FNI_PLATE.match(spaced):
        return " ".join(match.groups())
    cells.problem("plate", f"immatriculation invalide « {written} » (attendu AB-123-CD)")
    return None


def _shift(cells: RowCells) -> tuple[tuple[time, time] | None, tuple[str, ...]]:
    start = cells.parse("shift_start", parse.parse_time)
    end = cells.parse("shift_end", parse.parse_time)
    if cells.blank("shift_start") and cells.blank("shift_end"):
        note = f"horaires non précisés : {DEFAULT_SHIFT[0]:%H:%M}–{DEFAULT_SHIFT[1]:%H:%M} retenus"
        return DEFAULT_SHIFT, (note,)
    if start is None or end is None:
        for field, value in (("shift_start", start), ("shift_end", end)):
            if value is None and cells.blank(field):
                cells.problem(field, "heure de début et de fin de service vont ensemble")
        return None, ()
    if end <= start:
        cells.problem("shift_end", f"fin de service ({end:%H:%M}) avant le début ({start:%H:%M})")
        return None, ()
    return (start, end), ()
