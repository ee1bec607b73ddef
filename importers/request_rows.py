"""One row of a hospital export → one or two transport requests, or the reasons it cannot be.

How places are read (the rule the import wizard shows too):

* ``Adresse``, ``Code postal``, ``Commune`` describe the patient's home; ``Établissement`` is the
  care site, matched against the known establishments.
* An outbound trip goes from home to the site, a return from the site to home, a transfer from
  the site to the destination columns.
* Columns named for departure (``Adresse départ``…) or arrival (``Adresse destination``…) are the
  trip's own pickup and drop-off and win over the home or site, field by field.
* A row with both an appointment and a ready time and no direction is a round trip: it gives an
  outbound and a return request.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from importers import cells as parse
from importers.directory import EstablishmentDirectory, KnownEstablishment
from importers.folding import fold
from importers.readers import RawRow
from importers.rowcells import Problem, RowCells, coordinates
from importers.vocabulary import CARE_TYPES, COVERAGES, DIRECTIONS, MOBILITIES, MODES, ROUND_TRIP
from models.enums import CareType, Coverage, Direction, Mobility, Payer, TransportMode
from models.records import PatientRecord, PlaceRecord, RequestRecord
from models.timezone import PARIS, now

_LIMITS = {
    "request_id": 40,
    "file_number": 40,
    "last_name": 120,
    "first_name": 120,
    "care_unit": 120,
    "notes": 1000,
    **{f"{side}_address": 255 for side in ("home", "pickup", "dropoff")},
    **{f"{side}_commune": 120 for side in ("home", "pickup", "dropoff")},
}
_SUFFIX = {Direction.OUTBOUND: "A", Direction.RETURN: "R", Direction.TRANSFER: "T"}


@dataclass(frozen=True)
class RequestDraft:
    """A request read from the file; places may still lack a position (geocoded afterwards)."""

    row_number: int
    record: RequestRecord
    pickup_field: str  # the field whose column is named if the pickup cannot be located
    dropoff_field: str


@dataclass(frozen=True)
class ParsedRow:
    row: RawRow
    drafts: tuple[RequestDraft, ...] = ()
    problems: tuple[Problem, ...] = ()
    skipped: str | None = None  # why a readable row is left out (another day)


@dataclass(frozen=True)
class RequestContext:
    directory: EstablishmentDirectory
    carriers: Mapping[str, str]  # folded name or SIRET → SIRET
    only_date: date | None = None


def parse_request_row(cells: RowCells, context: RequestContext) -> ParsedRow:
    cells.check_lengths(_LIMITS)

    service_date = _service_date(cells, context.only_date)
    if service_date is not None and context.only_date and service_date != context.only_date:
        return ParsedRow(cells.row, skipped=f"autre jour ({service_date:%d/%m/%Y})")

    site = _site(cells, context.directory)
    patient = _patient(cells, site)
    mode = cells.parse("mode", lambda v: parse.parse_choice(v, MODES, "mode prescrit"))
    if mode is None and cells.blank("mode"):
        cells.problem("mode", "mode prescrit manquant (Taxi, VSL ou Ambulance)")
    mobility = cells.parse("mobility", lambda v: parse.parse_choice(v, MOBILITIES, "position"))
    if mode is not None and mobility is None and cells.blank("mobility"):
        mobility = Mobility.LYING if mode is TransportMode.AMBULANCE else Mobility.SEATED
    if mobility is Mobility.LYING and mode in (TransportMode.TAXI, TransportMode.VSL):
        cells.problem(
            "mobility",
            f"patient allongé avec un {mode.value} prescrit : un patient allongé ne voyage "
            "qu'en ambulance (vérifiez la prescription)",
        )
    care_type = _care_type(cells, site)
    coverage = _coverage(cells)
    flags = {
        name: cells.parse(name, parse.parse_bool)
        for name in ("sharing", "companion", "oxygen", "prior_approval")
    }
    chosen = _chosen_carrier(cells, context.carriers)
    trips = _trips(cells, service_date, care_type)
    places = _places(cells, site, trips)
    if cells.problems or patient is None or mode is None or mobility is None:
        return ParsedRow(cells.row, problems=tuple(cells.problems))
    assert service_date is not None and care_type is not None and places is not None

    base = RequestRecord(
        external_id="",
        service_date=service_date,
        patient=patient,
        direction=Direction.OUTBOUND,
        pickup=places.home_side,
        dropoff=places.site_side,
        prescribed_mode=mode,
        mobility=mobility,
        care_type=care_type,
        care_unit=cells.text("care_unit"),
        oxygen=bool(flags["oxygen"]),
        companion=bool(flags["companion"]),
        sharing_compatible=bool(flags["sharing"]),
        coverage=coverage,
        payer=Payer.ESTABLISHMENT
        if coverage is Coverage.INTER_ESTABLISHMENT
        else Payer.ASSURANCE_MALADIE,
        prior_approval=bool(flags["prior_approval"]),
        chosen_carrier_siret=chosen,
        notes=cells.text("notes"),
    )
    request_id = cells.text("request_id")
    identity = request_id or (f"{patient.issuer}-" if patient.issuer else "") + patient.file_number
    drafts = []
    for direction, binding in trips:
        outbound = direction is Direction.OUTBOUND
        record = replace(
            base,
            external_id=identity
            if request_id and len(trips) == 1
            else f"{identity}-{_SUFFIX[direction]}",
            direction=direction,
            pickup=places.home_side if outbound else places.site_side,
            dropoff=places.site_side if outbound else places.home_side,
            appointment_at=binding if outbound else None,
            ready_at=None if outbound else binding,
        )
        if len(record.external_id) > _LIMITS["request_id"]:
            return ParsedRow(
                cells.row,
                problems=(
                    Problem(cells.header("file_number"), "identifiant de demande trop long"),
                ),
            )
        drafts.append(
            RequestDraft(
                row_number=cells.row.number,
                record=record,
                pickup_field=places.home_field if outbound else places.site_field,
                dropoff_field=places.site_field if outbound else places.home_field,
            )
        )
    return ParsedRow(cells.row, drafts=tuple(drafts))


@dataclass(frozen=True)
class _Places:
    """The two ends of the patient's trip: home (or its stand-in) and the care side."""

    home_side: PlaceRecord
    site_side: PlaceRecord
    home_field: str
    site_field: str


def _service_date(cells: RowCells, only_date: date | None) -> date | None:
    found = cells.parse("date", parse.parse_date)
    if found is not None or not cells.blank("date"):
        return found
    for field in ("appointment", "ready"):
        raw = cells.raw(field)
        if isinstance(raw, datetime) and raw.year > 1900:  # a full timestamp, not a bare time
            return raw.date()
    if only_date is None:
        cells.problem("date", "date du transport manquante")
    return only_date


def _site(cells: RowCells, directory: EstablishmentDirectory) -> KnownEstablishment | None:
    written = cells.text("establishment")
    if written is None:
        return None
    found = directory.find(written)
    if isinstance(found, str):
        cells.problem("establishment", found)
        return None
    return found


def _patient(cells: RowCells, site: KnownEstablishment | None) -> PatientRecord | None:
    file_number = cells.text("file_number")
    last_name = cells.text("last_name")
    if file_number is None:
        cells.problem("file_number", "numéro de dossier du patient manquant")
    if last_name is None:
        cells.problem("last_name", "nom du patient manquant")
    birth_date = cells.parse("birth_date", parse.parse_date)
    if birth_date is not None and birth_date > now().date():
        cells.problem("birth_date", f"date de naissance dans le futur ({birth_date:%d/%m/%Y})")
    if file_number is None or last_name is None:
        return None
    return PatientRecord(
        file_number=file_number,
        last_name=last_name.upper(),
        first_name=cells.text("first_name") or "",
        issuer=site.finess if site else "",
        birth_date=birth_date,
        phone=cells.parse("phone", parse.parse_phone),
    )


def _care_type(cells: RowCells, site: KnownEstablishment | None) -> CareType | None:
    care = cells.parse("care_type", lambda v: parse.parse_choice(v, CARE_TYPES, "motif"))
    if care is not None or not cells.blank("care_type"):
        return care
    # A single-activity site (a dialysis centre) says what the care is.
    if site is not None and len(site.activities) == 1:
        return site.activities[0]
    return CareType.OTHER


def _coverage(cells: RowCells) -> Coverage:
    coverage = cells.parse("coverage", lambda v: parse.parse_choice(v, COVERAGES, "couverture"))
    ald = cells.parse("ald", parse.parse_bool)
    if coverage is None and ald:
        return Coverage.ALD
    return coverage or Coverage.STANDARD


def _chosen_carrier(cells: RowCells, carriers: Mapping[str, str]) -> str | None:
    written = cells.text("chosen_carrier")
    if written is None:
        return None
    compact = written.replace(" ", "")
    found = carriers.get(compact) or carriers.get(fold(written))
    if found is None:
        cells.problem(
            "chosen_carrier",
            f"transporteur choisi inconnu « {written} » : importez d'abord son parc "
            "ou écrivez son SIRET",
        )
    return found


def _trips(
    cells: RowCells, service_date: date | None, care_type: CareType | None
) -> list[tuple[Direction, datetime]]:
    """(direction, binding time) of each request the row stands for."""
    appointment = cells.parse("appointment", parse.parse_time)
    ready = cells.parse("ready", parse.parse_time)
    written = cells.text("direction")
    direction: Direction | None = None
    round_trip = False
    if written is not None:
        if fold(written) in ROUND_TRIP:
            round_trip = True
        else:
            direction = cells.parse(
                "direction", lambda v: parse.parse_choice(v, DIRECTIONS, "sens du trajet")
            )
            if direction is None:
                return []
    elif appointment is not None and ready is not None:
        round_trip = True
    elif appointment is not None:
        direction = Direction.OUTBOUND
    elif ready is not None:
        direction = Direction.TRANSFER if care_type is CareType.TRANSFER else Direction.RETURN
    elif cells.blank("appointment") and cells.blank("ready"):
        cells.problem(
            "appointment", "ni heure de rendez-vous ni heure de sortie : le trajet n'a pas d'heure"
        )
        return []
    else:
        return []  # a time was unreadable, already reported

    wanted: list[tuple[Direction, time | None, str, str]] = []
    if round_trip:
        wanted = [
            (
                Direction.OUTBOUND,
                appointment,
                "appointment",
                "heure de rendez-vous manquante pour l'aller",
            ),
            (Direction.RETURN, ready, "ready", "heure de sortie manquante pour le retour"),
        ]
    elif direction is Direction.OUTBOUND:
        wanted = [
            (direction, appointment, "appointment", "heure de rendez-vous manquante pour un aller")
        ]
    elif direction is Direction.RETURN:
        wanted = [(direction, ready, "ready", "heure de sortie manquante pour un retour")]
    elif direction is Direction.TRANSFER:
        wanted = [
            (
                direction,
                ready or appointment,
                "ready",
                "heure de départ manquante pour un transfert",
            )
        ]
    trips: list[tuple[Direction, datetime]] = []
    for trip_direction, moment, field, missing in wanted:
        if moment is None:
            if cells.blank(field):
                cells.problem(field, missing)
            continue
        if service_date is not None:
            trips.append((trip_direction, datetime.combine(service_date, moment, tzinfo=PARIS)))
    if round_trip and appointment and ready and ready <= appointment:
        cells.problem(
            "ready",
            f"heure de sortie ({ready:%H:%M}) avant l'heure de rendez-vous ({appointment:%H:%M})",
        )
    return trips if len(trips) == len(wanted) else []


def _places(
    cells: RowCells, site: KnownEstablishment | None, trips: list[tuple[Direction, datetime]]
) -> _Places | None:
    """Pickup and drop-off of the (first) trip; a round trip's return mirrors them."""
    if not trips:
        return None
    outbound = trips[0][0] is Direction.OUTBOUND
    transfer = trips[0][0] is Direction.TRANSFER
    home = _literal(cells, "home")
    site_place = _site_place(site)
    # Field names for the home side and the site side of this trip.
    home_prefix, site_prefix = ("pickup", "dropoff") if outbound else ("dropoff", "pickup")
    if transfer:
        home = None  # a transfer goes between sites: the destination columns say where
    home_side = _merged(cells, home_prefix, home)
    site_side = _merged(cells, site_prefix, site_place)
    if home_side is None:
        cells.problem(
            f"{home_prefix}_commune"
            if cells.has_column(f"{home_prefix}_commune")
            else "home_commune",
            "adresse du patient manquante (adresse, code postal ou commune)"
            if not transfer
            else "destination du transfert manquante",
        )
    if site_side is None:
        cells.problem(
            "establishment", "établissement de soins (ou adresse de destination) manquant"
        )
    if home_side is None or site_side is None:
        return None
    return _Places(
        home_side=home_side,
        site_side=site_side,
        home_field=_blame(cells, home_prefix, "home"),
        site_field=_blame(cells, site_prefix, "establishment"),
    )


def _literal(cells: RowCells, prefix: str) -> PlaceRecord | None:
    address = cells.text(f"{prefix}_address")
    postcode = cells.parse(f"{prefix}_postcode", parse.parse_postcode)
    commune = cells.text(f"{prefix}_commune")
    position = None if prefix == "home" else coordinates(cells, f"{prefix}_lat", f"{prefix}_lon")
    if address is None and postcode is None and commune is None and position is None:
        return None
    return PlaceRecord(address, postcode, commune, position)


def _merged(cells: RowCells, prefix: str, fallback: PlaceRecord | None) -> PlaceRecord | None:
    own = _literal(cells, prefix)
    if own is None or fallback is None:
        return own or fallback
    return PlaceRecord(
        address=own.address or fallback.address,
        postcode=own.postcode or fallback.postcode,
        commune=own.commune or fallback.commune,
        position=own.position or (fallback.position if own.commune is None else None),
        establishment_finess=fallback.establishment_finess,
    )


def _site_place(site: KnownEstablishment | None) -> PlaceRecord | None:
    if site is None:
        return None
    return PlaceRecord(site.address, site.postcode, site.commune, site.position, site.finess)


def _blame(cells: RowCells, prefix: str, fallback: str) -> str:
    for field in (f"{prefix}_commune", f"{prefix}_postcode", f"{prefix}_address"):
        if cells.has_column(field) and not cells.blank(field):
            return field
    if fallback == "home":
        for field in ("home_commune", "home_postcode", "home_address"):
            if cells.has_column(field):
                return field
    return fallback
