"""Sample files as hospitals and carriers really send them, written from a synthetic day.

``tidy`` files are what a well-kept system exports (one row per trip, request ids, coordinates).
``messy`` files are what a ward secretary's spreadsheet looks like: a title banner above the
headers, headers spelled any way, dates and times in every format, Oui/O/X, round trips on one
row, blank lines, an exact duplicate, and a handful of rows that must be rejected, whose
numbers and expected reasons are returned so tests can check the importer finds each one.
"""

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from importers.synthetic import SyntheticDay
from models.enums import CareType, Coverage, Direction, Mobility, TransportMode
from models.records import EstablishmentRecord, PlaceRecord, RequestRecord

_MODE_WORDS = {
    TransportMode.TAXI: ("Taxi", "TAXI", "taxi conventionné"),
    TransportMode.VSL: ("VSL", "vsl", "V.S.L."),
    TransportMode.AMBULANCE: ("Ambulance", "AMBULANCE", "Amb"),
}
_MOBILITY_WORDS = {
    Mobility.SEATED: ("Assis", "ASSIS", "assise"),
    Mobility.LYING: ("Allongé", "ALLONGE", "couché"),
    Mobility.WHEELCHAIR: ("Fauteuil roulant", "UFR", "fauteuil"),
}
_CARE_WORDS = {
    CareType.DIALYSIS: ("Dialyse", "Hémodialyse", "HD"),
    CareType.CHEMOTHERAPY: ("Chimiothérapie", "Chimio"),
    CareType.RADIOTHERAPY: ("Radiothérapie", "RTH"),
    CareType.REHABILITATION: ("SMR", "Rééducation"),
    CareType.DAY_HOSPITAL: ("Hôpital de jour", "HDJ"),
    CareType.CONSULTATION: ("Consultation", "Consult"),
    CareType.HOSPITALISATION: ("Hospitalisation", "Entrée"),
    CareType.DISCHARGE: ("Sortie", "Sortie d'hospitalisation"),
    CareType.TRANSFER: ("Transfert", "Mutation"),
    CareType.OTHER: ("Autre",),
}
_COVERAGE_WORDS = {
    Coverage.STANDARD: "Droit commun",
    Coverage.ALD: "ALD",
    Coverage.WORK_ACCIDENT: "AT/MP",
    Coverage.MATERNITY: "Maternité",
    Coverage.NEWBORN: "Nouveau-né",
    Coverage.C2S: "C2S",
    Coverage.AME: "AME",
    Coverage.ALSACE_MOSELLE: "Alsace-Moselle",
    Coverage.INTER_ESTABLISHMENT: "Transfert inter-établissement",
}
_YES = ("Oui", "O", "X", "oui", "OUI")
_NO = ("Non", "N", "", "non")


@dataclass
class SampleFile:
    path: Path
    data_rows: int  # rows holding data (blank lines and banners not counted)
    expected_requests: int  # requests the file should give once imported
    rejected: dict[int, str] = field(default_factory=dict)  # row number → words of the reason
    skipped: dict[int, str] = field(default_factory=dict)


def write_establishments(day: SyntheticDay, path: Path) -> SampleFile:
    headers = (
        "N° FINESS",
        "Raison sociale",
        "Adresse",
        "Code postal",
        "Ville",
        "Latitude",
        "Longitude",
        "Activités",
    )
    rows = [
        (
            e.finess,
            e.name,
            e.address,
            e.postcode,
            e.commune,
            e.position.lat if e.position else None,
            e.position.lon if e.position else None,
            ", ".join(_CARE_WORDS[a][0] for a in e.activities),
        )
        for e in day.establishments
    ]
    _write(path, headers, rows, banner=("Établissements de santé du territoire",))
    return SampleFile(path, len(rows), 0)


def write_vehicles(day: SyntheticDay, path: Path) -> SampleFile:
    """The roster as carriers' federations send it: one vehicle per row, carrier repeated."""
    headers = (
        "Transporteur",
        "SIRET",
        "Adresse",
        "CP",
        "Commune",
        "Latitude",
        "Longitude",
        "Téléphone",
        "Type de véhicule",
        "Immatriculation",
        "Places assises",
        "Places allongées",
        "Places fauteuil",
        "Début de service",
        "Fin de service",
    )
    carriers = {c.siret: c for c in day.carriers}
    rows = []
    for vehicle in day.vehicles:
        carrier = carriers[vehicle.carrier_siret]
        base = carrier.base
        rows.append(
            (
                carrier.name,
                carrier.siret,
                base.address,
                base.postcode,
                base.commune,
                base.position.lat if base.position else None,
                base.position.lon if base.position else None,
                carrier.phone,
                _MODE_WORDS[vehicle.kind][0],
                vehicle.plate,
                vehicle.seated_places,
                vehicle.lying_places,
                vehicle.wheelchair_places,
                vehicle.shift_start.strftime("%H:%M"),
                vehicle.shift_end.strftime("%H:%M"),
            )
        )
    _write(path, headers, rows)
    return SampleFile(path, len(rows), 0)


def write_tidy_requests(day: SyntheticDay, path: Path) -> SampleFile:
    """One row per trip with the hospital's request id, both ends spelled out and located."""
    headers = (
        "N° demande",
        "N° dossier",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Téléphone",
        "Établissement",
        "Service",
        "Date",
        "Sens",
        "Heure RDV",
        "Heure de sortie",
        "Adresse départ",
        "CP départ",
        "Commune départ",
        "Latitude départ",
        "Longitude départ",
        "Adresse arrivée",
        "CP arrivée",
        "Commune arrivée",
        "Latitude arrivée",
        "Longitude arrivée",
        "Mode prescrit",
        "Position",
        "Partage possible",
        "Motif",
        "Couverture",
        "Accompagnant",
        "Oxygène",
    )
    directions = {
        Direction.OUTBOUND: "Aller",
        Direction.RETURN: "Retour",
        Direction.TRANSFER: "Transfert",
    }
    rows = []
    for r in day.requests:
        site = r.dropoff if r.direction is Direction.OUTBOUND else r.pickup
        rows.append(
            (
                r.external_id,
                r.patient.file_number,
                r.patient.last_name,
                r.patient.first_name,
                r.patient.birth_date,
                r.patient.phone,
                site.establishment_finess,
                r.care_unit,
                r.service_date,
                directions[r.direction],
                _clock(r.appointment_at),
                _clock(r.ready_at),
                *_place(r.pickup),
                *_place(r.dropoff),
                _MODE_WORDS[r.prescribed_mode][0],
                _MOBILITY_WORDS[r.mobility][0],
                "Oui" if r.sharing_compatible else "Non",
                _CARE_WORDS[r.care_type][0],
                _COVERAGE_WORDS[r.coverage],
                "Oui" if r.companion else "Non",
                "Oui" if r.oxygen else "Non",
            )
        )
    _write(path, headers, rows)
    return SampleFile(path, len(rows), len(rows))


def write_messy_requests(day: SyntheticDay, path: Path, seed: int = 1) -> SampleFile:
    """The ward's own spreadsheet: see the module docstring."""
    rng = random.Random(seed)
    headers = [rng.choice(options) for options in _MESSY_HEADERS]
    establishments = {e.finess: e for e in day.establishments}
    lines: list[_Line] = []
    pending = list(day.requests)
    while pending:
        record = pending.pop(0)
        partner = pending[0] if pending and _is_return_of(pending[0], record) else None
        if partner is not None:
            pending.pop(0)
        lines.append(_Line(_messy_row(rng, record, partner, establishments), 2 if partner else 1))
    if len(lines) >= 12:
        _spoil(rng, lines)
    for index in sorted(rng.sample(range(1, len(lines)), k=min(3, len(lines) - 1)), reverse=True):
        lines.insert(index, _Line(None, 0))  # rows deleted by hand leave blank lines
    title = f"TRANSPORTS SANITAIRES DU {day.service_date:%d/%m/%Y}"
    numbers = _write(path, headers, [line.cells for line in lines], banner=(title,), spacer=True)
    sample = SampleFile(path, 0, 0)
    for line, number in zip(lines, numbers, strict=True):
        if line.cells is None:
            continue
        sample.data_rows += 1
        if line.rejected:
            sample.rejected[number] = line.rejected
        elif line.skipped:
            sample.skipped[number] = line.skipped
        else:
            sample.expected_requests += line.requests
    return sample


@dataclass
class _Line:
    cells: list[Any] | None
    requests: int
    rejected: str | None = None  # words the rejection reason must contain
    skipped: str | None = None


# Each field's header, spelled one of the ways real exports do; order matches _messy_row.
_MESSY_HEADERS: tuple[tuple[str, ...], ...] = (
    ("N° Dossier", "IPP", "n dossier", "NDA"),
    ("NOM", "Nom patient", "Nom"),
    ("Prénom", "PRENOM", "prénom"),
    ("Date de naissance", "DDN", "Né le"),
    ("Adresse", "Adresse domicile", "ADRESSE"),
    ("Code postal", "CP", "C.P."),
    ("Commune", "Ville", "VILLE"),
    ("Établissement", "ETABLISSEMENT", "Etablissement de soins"),
    ("Médecin prescripteur",),  # a column no field claims: left alone
    ("Date", "Date du transport", "DATE"),
    ("Sens", "A/R", "Type de trajet"),
    ("Heure RDV", "Heure de rendez-vous", "heure rdv"),
    ("Heure de sortie", "Heure de disponibilité", "Heure dispo"),
    ("Adresse destination", "Adresse arrivée"),
    ("Commune destination", "Ville arrivée"),
    ("Mode prescrit", "Mode de transport", "MODE"),
    ("Position", "Position du patient", "Mobilité"),
    ("Transport partagé", "Partage possible", "Partageable"),
    ("Motif", "Motif du transport", "Type de soins"),
    ("ALD", "Exonération ALD"),
    ("Accompagnant", "Accompagné"),
    ("Téléphone", "Tél", "Portable"),
)
_POSTCODE, _COMMUNE, _SITE, _DATE, _SENSE, _APPOINTMENT, _READY, _MODE, _MOBILITY = (
    5,
    6,
    7,
    9,
    10,
    11,
    12,
    15,
    16,
)


def _is_return_of(candidate: RequestRecord, outbound: RequestRecord) -> bool:
    return (
        outbound.direction is Direction.OUTBOUND
        and candidate.direction is Direction.RETURN
        and candidate.patient == outbound.patient
    )


def _messy_row(
    rng: random.Random,
    record: RequestRecord,
    partner: RequestRecord | None,
    establishments: dict[str, EstablishmentRecord],
) -> list[Any]:
    outbound = record.direction is Direction.OUTBOUND
    home = record.pickup if outbound else record.dropoff
    site_place = record.dropoff if outbound else record.pickup
    transfer = record.direction is Direction.TRANSFER
    if transfer:
        home = PlaceRecord(None, None, None)
    site = establishments[site_place.establishment_finess or ""]
    destination = record.dropoff if transfer else None
    if partner is not None:
        sense = rng.choice(("", "", "A/R", "Aller-retour"))
    else:
        sense = {
            Direction.OUTBOUND: "Aller",
            Direction.RETURN: rng.choice(("Retour", "Sortie")),
            Direction.TRANSFER: "Transfert",
        }[record.direction]
    appointment = record.appointment_at
    ready = partner.ready_at if partner else record.ready_at
    patient = record.patient
    return [
        _maybe_number(rng, patient.file_number),
        patient.last_name if rng.random() < 0.7 else patient.last_name.title(),
        patient.first_name,
        _messy_date(rng, patient.birth_date),
        home.address,
        _messy_postcode(rng, home.postcode),
        home.commune if rng.random() < 0.8 else (home.commune or "").upper() or None,
        _site_name(rng, site),
        rng.choice(("Dr Martin", "Dr Benali", "", "Pr Lefebvre")),
        _messy_date(rng, record.service_date),
        sense,
        _messy_time(rng, appointment),
        _messy_time(rng, ready),
        destination.address if destination else None,
        destination.commune if destination else None,
        rng.choice(_MODE_WORDS[record.prescribed_mode]),
        rng.choice(_MOBILITY_WORDS[record.mobility]),
        rng.choice(_YES) if record.sharing_compatible else rng.choice(_NO),
        rng.choice(_CARE_WORDS[record.care_type]),
        rng.choice(_YES) if record.coverage is Coverage.ALD else rng.choice(_NO),
        rng.choice(_YES) if record.companion else rng.choice(_NO),
        _messy_phone(rng, patient.phone),
    ]


def _spoil(rng: random.Random, lines: list[_Line]) -> None:
    """Spoil a few rows the way real files get spoiled, noting the reason each must get."""
    targets = iter(rng.sample(range(len(lines)), k=7))

    def spoiled(reason: str) -> list[Any]:
        line = lines[next(targets)]
        line.rejected = reason
        assert line.cells is not None
        return line.cells

    row = spoiled("heure de rendez-vous manquante")
    row[_SENSE], row[_APPOINTMENT], row[_READY] = "Aller", None, None
    row = spoiled("allongé")
    row[_MODE], row[_MOBILITY] = "Taxi", "Allongé"
    row = spoiled("établissement inconnu")
    row[_SITE] = "Clinique du Bois Joli"
    row = spoiled("heure impossible")
    row[_SENSE], row[_APPOINTMENT], row[_READY] = "Aller", "25h70", None
    row = spoiled("lieu introuvable")
    row[_SENSE], row[_APPOINTMENT], row[_READY] = "Aller", "09:00", None
    row[_POSTCODE], row[_COMMUNE] = None, "Zzyzx-sur-Lys"
    row = spoiled("date impossible")
    row[_DATE] = "31/02/2026"
    # The same row pasted twice: the copy is skipped, not imported again.
    index = next(targets)
    original = lines[index]
    if original.rejected is None and original.cells is not None:
        lines.insert(index + 1, _Line(list(original.cells), 0, skipped="doublon"))


def _site_name(rng: random.Random, site: EstablishmentRecord) -> str:
    """FINESS, full name or the usual abbreviation, as each ward writes it."""
    choice = rng.random()
    if choice < 0.2:
        return site.finess
    if choice < 0.6:
        return site.name
    short = site.name.replace("Centre hospitalier universitaire", "CHU")
    return short.replace("Centre hospitalier", "CH").replace(" de ", " ")


def _maybe_number(rng: random.Random, file_number: str) -> Any:
    return int(file_number) if file_number.isdigit() and rng.random() < 0.5 else file_number


def _messy_date(rng: random.Random, day: date | None) -> Any:
    if day is None:
        return None
    return rng.choice((day, day.strftime("%d/%m/%Y"), day.strftime("%d/%m/%y"), day.isoformat()))


def _messy_time(rng: random.Random, moment: datetime | None) -> Any:
    if moment is None:
        return None
    clock = moment.time()
    return rng.choice(
        (
            clock,
            clock.strftime("%H:%M"),
            f"{clock.hour}h{clock.minute:02d}" if clock.minute else f"{clock.hour}h",
            clock.strftime("%Hh%M"),
        )
    )


def _messy_postcode(rng: random.Random, postcode: str | None) -> Any:
    return int(postcode) if postcode and rng.random() < 0.5 else postcode


def _messy_phone(rng: random.Random, phone: str | None) -> Any:
    if phone is None:
        return None
    digits = phone.replace(" ", "")
    return rng.choice((phone, digits, int(digits), "+33 " + digits[1:]))


def _clock(moment: datetime | None) -> time | None:
    return moment.time() if moment else None


def _place(place: PlaceRecord) -> tuple[Any, ...]:
    position = place.position
    return (
        place.address,
        place.postcode,
        place.commune,
        position.lat if position else None,
        position.lon if position else None,
    )


def _write(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any] | None],
    banner: Sequence[str] = (),
    spacer: bool = False,
) -> list[int]:
    """Write the sheet (.xlsx) or a Windows-style CSV; returns each row's 1-based row number."""
    lines: list[Sequence[Any] | None] = [[text] for text in banner]
    if spacer:
        lines.append(None)
    lines.append(list(headers))
    first = len(lines) + 1
    lines.extend(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        # What Excel writes on a French Windows desk: semicolons, Windows-1252.
        with path.open("w", encoding="cp1252", errors="replace", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            for line in lines:
                writer.writerow([_as_text(v) for v in line] if line is not None else [])
    else:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Transports"
        for line in lines:
            sheet.append(list(line) if line is not None else [])
        for number in range(1, len(banner) + 1):
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=6)
            sheet.cell(number, 1).font = Font(bold=True, size=14)
        for line_number, line in enumerate(lines, start=1):
            for column, value in enumerate(line or (), start=1):
                if isinstance(value, datetime | date):
                    sheet.cell(line_number, column).number_format = "DD/MM/YYYY"
                elif isinstance(value, time):
                    sheet.cell(line_number, column).number_format = "HH:MM"
        workbook.save(path)
    return list(range(first, first + len(rows)))


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").replace(".", ",")
    return str(value)
