"""Importing one file: read, map columns, check every row, locate places, save in one transaction.

Every row ends up imported, rejected (with the column and a French reason) or skipped (another
day, an exact duplicate); none is lost. Nothing is written unless the whole file's accepted rows
are written together, so a crash or a conflict leaves the database as it was; a server lost
before the commit (a restart) is waited for a few seconds and the whole save made again.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from importers.columns import (
    FIELDS,
    ColumnMapping,
    TableKind,
    apply_explicit,
    detect,
    header_score,
    load_mapping_file,
    missing_required,
)
from importers.directory import load_directory
from importers.errors import UnusableFileError
from importers.flags import with_flags
from importers.folding import fold, fold_compact
from importers.geocoding import Address, Geocoder, Located, Precision, Resolution, Unresolved
from importers.readers import RawRow, RawTable, read_table
from importers.reference_rows import VehicleRow, parse_establishment_row, parse_vehicle_row
from importers.request_rows import ParsedRow, RequestContext, RequestDraft, parse_request_row
from importers.rowcells import Problem, RowCells
from models.records import (
    CarrierRecord,
    EstablishmentRecord,
    PlaceRecord,
    VehicleRecord,
)
from models.repositories import reference
from models.repositories.audit import record_action
from models.repositories.common import Outcome
from models.repositories.mappings import remember_mapping, remembered_mapping
from models.repositories.requests import save_requests
from models.session import Database
from planning.attention import describe
from planning.rules import rules_on


class Fate(StrEnum):
    IMPORTED = "importée"
    REJECTED = "rejetée"
    SKIPPED = "ignorée"


@dataclass(frozen=True)
class RowResult:
    row: RawRow
    fate: Fate
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # flags raised on imported rows, or why a row was skipped
    outcomes: tuple[Outcome, ...] = ()
    keys: tuple[str, ...] = ()  # external ids (requests) or natural keys of what was saved


@dataclass
class ImportResult:
    kind: TableKind
    path: Path
    table: RawTable
    mapping: ColumnMapping
    rows: list[RowResult] = field(default_factory=list)
    mapping_remembered: bool = False

    def count(self, fate: Fate) -> int:
        return sum(1 for row in self.rows if row.fate is fate)

    def outcome_count(self, outcome: Outcome) -> int:
        return sum(row.outcomes.count(outcome) for row in self.rows)

    @property
    def flagged(self) -> list[RowResult]:
        return [row for row in self.rows if row.fate is Fate.IMPORTED and row.notes]


@dataclass(frozen=True)
class ImportOptions:
    only_date: date | None = None
    mapping_file: Path | None = None
    mapping: Mapping[str, str] | None = None  # field → header, chosen in the import wizard
    dry_run: bool = False  # check every row as for real, store nothing (the wizard's preview)
    progress: Callable[[int, int], None] | None = None  # rows read so far, rows in all


def import_file(
    db: Database,
    kind: TableKind,
    path: Path,
    geocoder: Geocoder,
    actor: str,
    options: ImportOptions | None = None,
) -> ImportResult:
    options = options or ImportOptions()
    if options.dry_run:
        db = db.rehearsal()
    table, mapping, explicit = read_for_import(db, kind, path, options)
    _check_columns(path, kind, mapping, options)
    result = ImportResult(kind, path, table, mapping)
    steps: dict[TableKind, Callable[[], None]] = {
        TableKind.REQUESTS: lambda: _import_requests(db, result, geocoder, actor, options),
        TableKind.ESTABLISHMENTS: lambda: _import_establishments(
            db, result, geocoder, actor, options
        ),
        TableKind.VEHICLES: lambda: _import_vehicles(db, result, geocoder, actor, options),
    }
    steps[kind]()
    if explicit is not None and not options.dry_run:
        with db.transaction(actor) as session:
            outcome = remember_mapping(
                session, kind.value, header_signature(table.headers), path.name, explicit
            )
        result.mapping_remembered = outcome is not Outcome.UNCHANGED
    return result


def header_signature(headers: Sequence[str]) -> str:
    """Identifies an export format: the same hospital system writes the same headers."""
    folded = "|".join(fold_compact(h) for h in headers)
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def read_for_import(
    db: Database, kind: TableKind, path: Path, options: ImportOptions | None = None
) -> tuple[RawTable, ColumnMapping, dict[str, str] | None]:
    """The file's table and how its columns map to fields: as given (a mapping file, or the
    wizard's choice, then remembered for that export format), else as remembered, else as
    detected from the headers."""
    options = options or ImportOptions()
    table = read_table(path, lambda headers: header_score(headers, kind))
    explicit = dict(options.mapping) if options.mapping is not None else None
    if explicit is None and options.mapping_file is not None:
        explicit = load_mapping_file(options.mapping_file)
    mapping, explicit = _mapping(db, kind, table, explicit)
    return table, mapping, explicit


def _mapping(
    db: Database, kind: TableKind, table: RawTable, explicit: dict[str, str] | None
) -> tuple[ColumnMapping, dict[str, str] | None]:
    detected = detect(table.headers, kind)
    if explicit is not None:
        return apply_explicit(table.headers, kind, explicit, detected), explicit
    with db.reader() as session:
        remembered = remembered_mapping(session, kind.value, header_signature(table.headers))
    if remembered is None:
        return detected, None
    return apply_explicit(table.headers, kind, remembered, detected), None


def _check_columns(
    path: Path, kind: TableKind, mapping: ColumnMapping, options: ImportOptions
) -> None:
    labels = {spec.name: spec.label for spec in FIELDS[kind]}
    missing = [spec.label for spec in missing_required(mapping, kind)]
    if kind is TableKind.REQUESTS:
        if mapping.get("date") is None and options.only_date is None:
            missing.append(f"{labels['date']} (ou l'option --date)")
        if mapping.get("appointment") is None and mapping.get("ready") is None:
            missing.append(f"{labels['appointment']} ou {labels['ready']}")
    if missing:
        raise UnusableFileError(
            f"{path} : colonnes introuvables : {', '.join(missing)} (renommez l'en-tête ou "
            "donnez une correspondance avec --mapping)"
        )


def _cells(result: ImportResult, options: ImportOptions) -> Iterable[RowCells]:
    rows = result.table.rows
    for done, row in enumerate(rows, start=1):
        yield RowCells(result.table.headers, result.mapping, row)
        if options.progress is not None:
            options.progress(done, len(rows))


# --- requests ---------------------------------------------------------------------------------


def _import_requests(
    db: Database, result: ImportResult, geocoder: Geocoder, actor: str, options: ImportOptions
) -> None:
    with db.reader() as session:
        directory = load_directory(session)
        carriers: dict[str, str] = {}
        for carrier in reference.list_carriers(session):
            carriers[carrier.siret] = carrier.siret
            carriers.setdefault(fold(carrier.name), carrier.siret)
    context = RequestContext(directory, carriers, options.only_date)
    parsed = [parse_request_row(cells, context) for cells in _cells(result, options)]
    parsed = _without_duplicates(parsed, result)
    parsed = _locate(parsed, result, geocoder)
    accepted = [_flagged(p) for p in parsed if p.drafts]
    result.rows.extend(
        RowResult(row.row, Fate.REJECTED, row.problems) for row in parsed if not row.drafts
    )

    def save(session: Session) -> None:
        saved = iter(save_requests(session, [d.record for row, _ in accepted for d in row.drafts]))
        for row, notes in accepted:
            result.rows.append(
                RowResult(
                    row.row,
                    Fate.IMPORTED,
                    notes=notes,
                    outcomes=tuple(next(saved) for _ in row.drafts),
                    keys=tuple(d.record.external_id for d in row.drafts),
                )
            )
        _log(session, result)

    _save_whole(db, actor, result, save)
    result.rows.sort(key=lambda r: r.row.number)


def _without_duplicates(parsed: list[ParsedRow], result: ImportResult) -> list[ParsedRow]:
    """A request twice in the file: the copy is skipped if identical, rejected if it differs."""
    first_seen: dict[tuple[str, date], RequestDraft] = {}
    kept: list[ParsedRow] = []
    for row in parsed:
        if row.skipped:
            result.rows.append(RowResult(row.row, Fate.SKIPPED, notes=(row.skipped,)))
            continue
        earlier = [first_seen.get(_key(d)) for d in row.drafts]
        if row.drafts and all(
            e is not None and e.record == d.record for e, d in zip(earlier, row.drafts, strict=True)
        ):
            number = earlier[0].row_number if earlier[0] else 0
            result.rows.append(
                RowResult(row.row, Fate.SKIPPED, notes=(f"doublon de la ligne {number}",))
            )
            continue
        clash = next((e for e in earlier if e is not None), None)
        if clash is not None:
            problem = Problem(
                None,
                f"même demande ({clash.record.external_id}) que la ligne {clash.row_number}, "
                "avec des valeurs différentes : gardez une seule des deux lignes",
            )
            kept.append(replace(row, drafts=(), problems=(*row.problems, problem)))
            continue
        for draft in row.drafts:
            first_seen[_key(draft)] = draft
        kept.append(row)
    return kept


def _key(draft: RequestDraft) -> tuple[str, date]:
    return draft.record.external_id, draft.record.service_date


def _locate(parsed: list[ParsedRow], result: ImportResult, geocoder: Geocoder) -> list[ParsedRow]:
    wanted = {
        _address(place)
        for row in parsed
        for draft in row.drafts
        for place in (draft.record.pickup, draft.record.dropoff)
        if place.position is None
    }
    found = geocoder.locate(sorted(wanted, key=Address.key)) if wanted else {}
    located: list[ParsedRow] = []
    for row in parsed:
        drafts: list[RequestDraft] = []
        problems: list[Problem] = list(row.problems)
        for draft in row.drafts:
            pickup = _placed(draft.record.pickup, found, result, draft.pickup_field, problems)
            dropoff = _placed(draft.record.dropoff, found, result, draft.dropoff_field, problems)
            drafts.append(
                replace(draft, record=replace(draft.record, pickup=pickup, dropoff=dropoff))
            )
        if len(problems) > len(row.problems):
            located.append(replace(row, drafts=(), problems=tuple(dict.fromkeys(problems))))
        else:
            located.append(replace(row, drafts=tuple(drafts)))
    return located


def _placed(
    place: PlaceRecord,
    found: Mapping[Address, Resolution],
    result: ImportResult,
    field_name: str,
    problems: list[Problem],
) -> PlaceRecord:
    if place.position is not None:
        return place
    answer = found.get(_address(place))
    if isinstance(answer, Located):
        return replace(place, position=answer.position)
    column = result.mapping.get(field_name)
    header = result.table.headers[column] if column is not None else None
    problems.append(_not_found(place, answer, header))
    return place


def _not_found(place: PlaceRecord, answer: Resolution | None, header: str | None) -> Problem:
    reason = answer.reason if isinstance(answer, Unresolved) else "adresse introuvable"
    return Problem(header, f"lieu introuvable « {_address(place).describe()} » : {reason}")


def _address(place: PlaceRecord) -> Address:
    return Address(place.address, place.postcode, place.commune)


def _flagged(row: ParsedRow) -> tuple[ParsedRow, tuple[str, ...]]:
    drafts = tuple(replace(d, record=with_flags(d.record)) for d in row.drafts)
    notes = (
        describe(flag, rules_on(d.record.service_date)) for d in drafts for flag in d.record.flags
    )
    return replace(row, drafts=drafts), tuple(dict.fromkeys(notes))


# --- establishments and vehicles --------------------------------------------------------------


def _import_establishments(
    db: Database, result: ImportResult, geocoder: Geocoder, actor: str, options: ImportOptions
) -> None:
    parsed: list[tuple[RawRow, EstablishmentRecord | tuple[Problem, ...]]] = [
        (cells.row, parse_establishment_row(cells)) for cells in _cells(result, options)
    ]
    places = {
        row.number: PlaceRecord(r.address, r.postcode, r.commune, r.position)
        for row, r in parsed
        if isinstance(r, EstablishmentRecord)
    }
    positions = _locate_places(places, result, geocoder, ("commune", "postcode", "address"))

    def save(session: Session) -> None:
        seen: dict[str, int] = {}
        for row, record in parsed:
            key = record.finess if isinstance(record, EstablishmentRecord) else ""
            position = _admitted(result, row, record, positions, key, seen)
            if position is None or not isinstance(record, EstablishmentRecord):
                continue
            _, outcome = reference.save_establishment(
                session, replace(record, position=position.position)
            )
            result.rows.append(
                RowResult(row, Fate.IMPORTED, outcomes=(outcome,), keys=(record.finess,))
            )
        _log(session, result)

    _save_whole(db, actor, result, save)


def _import_vehicles(
    db: Database, result: ImportResult, geocoder: Geocoder, actor: str, options: ImportOptions
) -> None:
    parsed: list[tuple[RawRow, VehicleRow | tuple[Problem, ...]]] = [
        (cells.row, parse_vehicle_row(cells)) for cells in _cells(result, options)
    ]
    places = {row.number: r.base for row, r in parsed if isinstance(r, VehicleRow)}
    positions = _locate_places(
        places, result, geocoder, ("base_commune", "base_postcode", "base_address")
    )

    def save(session: Session) -> None:
        carriers: dict[str, tuple[int, CarrierRecord]] = {}
        plates: dict[str, int] = {}
        for row, vehicle in parsed:
            key = vehicle.plate if isinstance(vehicle, VehicleRow) else ""
            position = _admitted(result, row, vehicle, positions, key, plates)
            if position is None or not isinstance(vehicle, VehicleRow):
                continue
            outcomes: list[Outcome] = []
            if vehicle.carrier_siret not in carriers:
                carrier = CarrierRecord(
                    siret=vehicle.carrier_siret,
                    name=vehicle.carrier_name,
                    base=replace(vehicle.base, position=position.position),
                    phone=vehicle.phone,
                )
                carriers[vehicle.carrier_siret] = (row.number, carrier)
                outcomes.append(reference.save_carrier(session, carrier)[1])
                session.flush()
            notes = tuple(vehicle.notes)
            first_row, carrier = carriers[vehicle.carrier_siret]
            if fold(carrier.name) != fold(vehicle.carrier_name):
                notes += (
                    f"SIRET déjà vu ligne {first_row} sous le nom « {carrier.name} » : "
                    "ce nom est gardé",
                )
            outcomes.append(
                reference.save_vehicle(
                    session,
                    VehicleRecord(
                        carrier_siret=vehicle.carrier_siret,
                        plate=vehicle.plate,
                        kind=vehicle.kind,
                        seated_places=vehicle.seated,
                        lying_places=vehicle.lying,
                        wheelchair_places=vehicle.wheelchair,
                        shift_start=vehicle.shift[0],
                        shift_end=vehicle.shift[1],
                    ),
                )[1]
            )
            result.rows.append(
                RowResult(
                    row, Fate.IMPORTED, notes=notes, outcomes=tuple(outcomes), keys=(vehicle.plate,)
                )
            )
        _log(session, result)

    _save_whole(db, actor, result, save)


def _save_whole(
    db: Database, actor: str, result: ImportResult, save: Callable[[Session], None]
) -> None:
    """``save`` in one transaction, made again whole if the server is lost before the commit:
    the rows an attempt cut off had judged are judged again, not reported twice."""
    judged = len(result.rows)

    def attempt(session: Session) -> None:
        del result.rows[judged:]
        save(session)

    db.retrying(actor, attempt)


def _admitted(
    result: ImportResult,
    row: RawRow,
    parsed: object,
    positions: Mapping[int, Located | Problem],
    key: str,
    seen: dict[str, int],
) -> Located | None:
    """The row's position if it goes in; else its rejection or duplicate is recorded."""
    if isinstance(parsed, tuple):
        result.rows.append(RowResult(row, Fate.REJECTED, parsed))
        return None
    position = positions[row.number]
    if isinstance(position, Problem):
        result.rows.append(RowResult(row, Fate.REJECTED, (position,)))
        return None
    if key in seen:
        note = f"{key} déjà présent ligne {seen[key]} : doublon"
        result.rows.append(RowResult(row, Fate.SKIPPED, notes=(note,)))
        return None
    seen[key] = row.number
    return position


def _locate_places(
    places: Mapping[int, PlaceRecord],
    result: ImportResult,
    geocoder: Geocoder,
    blame: Sequence[str],
) -> dict[int, Located | Problem]:
    """Position of each row's place: from the file, or geocoded; a Problem when not found."""
    wanted = sorted({_address(p) for p in places.values() if p.position is None}, key=Address.key)
    found = geocoder.locate(wanted) if wanted else {}
    column = next((result.mapping.get(f) for f in blame if result.mapping.get(f) is not None), None)
    header = result.table.headers[column] if column is not None else None
    positions: dict[int, Located | Problem] = {}
    for number, place in places.items():
        if place.position is not None:
            positions[number] = Located(place.position, Precision.FILE, "fichier")
            continue
        answer = found.get(_address(place))
        positions[number] = (
            answer if isinstance(answer, Located) else _not_found(place, answer, header)
        )
    return positions


def _log(session: Session, result: ImportResult) -> None:
    imported = result.count(Fate.IMPORTED)
    record_action(
        session,
        "import",
        result.kind.value,
        None,
        f"{result.path.name} : {imported} lignes importées, {result.count(Fate.REJECTED)} "
        f"rejetées, {result.count(Fate.SKIPPED)} ignorées",
    )
