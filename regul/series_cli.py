"""``regul series …``: record a patient's recurring trips once, generate each day's requests."""

import argparse
from datetime import timedelta

from importers import cells
from importers.directory import load_directory
from importers.errors import CellError
from importers.geocoding import Address, Located, default_geocoder
from importers.series import DAY_NAMES, describe_weekdays, generate_requests, parse_weekdays
from importers.vocabulary import CARE_TYPES, COVERAGES, MOBILITIES, MODES
from models.enums import Coverage, Mobility, TransportMode
from models.records import PatientRecord, PlaceRecord, Position, SeriesRecord
from models.repositories.common import Outcome, get
from models.repositories.series import end_series, list_series, save_series
from models.series import RequestSeries
from regul.cli_common import (
    EXIT_USAGE,
    Parser,
    audit_actor,
    fail,
    open_database,
    parse_date,
)

MAX_GENERATION_DAYS = 366


def add_series_commands(commands: "argparse._SubParsersAction[Parser]", database: Parser) -> None:
    group = commands.add_parser("series", help="trajets récurrents (dialyse, radiothérapie…)")
    group.set_defaults(
        handler=lambda _args: fail("action attendue : add, list, generate ou end", EXIT_USAGE)
    )
    actions = group.add_subparsers(title="actions", metavar="ACTION")

    add = actions.add_parser("add", parents=[database], help="enregistrer une série")
    patient = add.add_argument_group("patient")
    patient.add_argument("--file-number", required=True, help="N° de dossier / IPP")
    patient.add_argument("--last-name", required=True)
    patient.add_argument("--first-name", default="")
    patient.add_argument("--birth-date", type=parse_date)
    patient.add_argument("--phone")
    trip = add.add_argument_group("trajets")
    trip.add_argument("--establishment", required=True, help="nom, abréviation ou FINESS")
    trip.add_argument("--unit", help="service de soins")
    trip.add_argument("--days", required=True, help="« lun, mer, ven » ou « lundi au vendredi »")
    trip.add_argument("--outbound", help="heure de rendez-vous (aller), ex. 7h30")
    trip.add_argument("--return", dest="return_time", help="heure de sortie (retour), ex. 12h")
    trip.add_argument("--from", dest="valid_from", type=parse_date, required=True)
    trip.add_argument("--until", dest="valid_until", type=parse_date, required=True)
    home = add.add_argument_group("domicile")
    home.add_argument("--address")
    home.add_argument("--postcode")
    home.add_argument("--commune", required=True)
    home.add_argument("--lat", type=float)
    home.add_argument("--lon", type=float)
    prescription = add.add_argument_group("prescription")
    prescription.add_argument("--mode", required=True, help="Taxi, VSL ou Ambulance")
    prescription.add_argument("--mobility", default="assis", help="assis, allongé, fauteuil")
    prescription.add_argument("--care-type", required=True, help="dialyse, radiothérapie…")
    prescription.add_argument("--coverage", default="droit commun", help="ALD, C2S…")
    prescription.add_argument("--sharing", action="store_true", help="partage possible")
    prescription.add_argument("--companion", action="store_true")
    prescription.add_argument("--oxygen", action="store_true")
    prescription.add_argument("--notes")
    add.set_defaults(handler=_add)

    listing = actions.add_parser("list", parents=[database], help="lister les séries")
    listing.add_argument("--date", type=parse_date, help="seulement celles en cours ce jour")
    listing.set_defaults(handler=_list)

    generate = actions.add_parser(
        "generate", parents=[database], help="créer les demandes d'un jour (ou d'une période)"
    )
    generate.add_argument("--date", type=parse_date, required=True)
    generate.add_argument("--until", type=parse_date, help="dernier jour de la période")
    generate.set_defaults(handler=_generate)

    end = actions.add_parser("end", parents=[database], help="arrêter une série")
    end.add_argument("series_id", type=int, metavar="N")
    end.add_argument("--last-day", type=parse_date, required=True)
    end.set_defaults(handler=_end)


def _add(args: argparse.Namespace) -> int:
    try:
        weekdays = parse_weekdays(args.days)
        outbound = cells.parse_time(args.outbound)
        back = cells.parse_time(args.return_time)
        mode = cells.parse_choice(args.mode, MODES, "mode prescrit")
        mobility = cells.parse_choice(args.mobility, MOBILITIES, "position") or Mobility.SEATED
        care = cells.parse_choice(args.care_type, CARE_TYPES, "motif")
        coverage = cells.parse_choice(args.coverage, COVERAGES, "couverture") or Coverage.STANDARD
        postcode = cells.parse_postcode(args.postcode)
    except CellError as exc:
        return fail(str(exc), EXIT_USAGE)
    if mode is None or care is None:
        return fail("--mode et --care-type ne peuvent être vides", EXIT_USAGE)
    if outbound is None and back is None:
        return fail("donnez --outbound, --return ou les deux", EXIT_USAGE)
    if mobility is Mobility.LYING and mode is not TransportMode.AMBULANCE:
        return fail("un patient allongé ne voyage qu'en ambulance", EXIT_USAGE)
    db = open_database(args.db)
    try:
        with db.reader() as session:
            site = load_directory(session).find(args.establishment)
        if isinstance(site, str):
            return fail(site, EXIT_USAGE)
        home = _home(args.address, postcode, args.commune, args.lat, args.lon)
        if isinstance(home, str):
            return fail(home, EXIT_USAGE)
        record = SeriesRecord(
            patient=PatientRecord(
                file_number=args.file_number,
                last_name=args.last_name.upper(),
                first_name=args.first_name,
                issuer=site.finess,
                birth_date=args.birth_date,
                phone=cells.parse_phone(args.phone),
            ),
            establishment_finess=site.finess,
            weekdays=weekdays,
            valid_from=args.valid_from,
            valid_until=args.valid_until,
            appointment_time=outbound,
            return_time=back,
            home=home,
            prescribed_mode=mode,
            mobility=mobility,
            care_type=care,
            coverage=coverage,
            sharing_compatible=args.sharing,
            companion=args.companion,
            oxygen=args.oxygen,
            care_unit=args.unit,
            notes=args.notes,
        )
        with db.transaction(audit_actor(db)) as session:
            row = save_series(session, record)
            series_id = row.id
    finally:
        db.dispose()
    print(
        f"Série n°{series_id} : {record.patient.last_name} vers {site.name}, "
        f"{describe_weekdays(weekdays)}, du {args.valid_from:%d/%m/%Y} au "
        f"{args.valid_until:%d/%m/%Y}"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        with db.reader() as session:
            rows = list_series(session, running_on=args.date)
    finally:
        db.dispose()
    if not rows:
        print("Aucune série.")
    for stored in rows:
        spec = stored.record
        times = " / ".join(
            f"{label} {moment:%H:%M}"
            for label, moment in (("aller", spec.appointment_time), ("retour", spec.return_time))
            if moment is not None
        )
        print(
            f"n°{stored.id:<4} {spec.patient.last_name} {spec.patient.first_name} — "
            f"{describe_weekdays(spec.weekdays)} — {times} — {spec.home.commune} → "
            f"{stored.establishment_place.commune} ({spec.care_type.value}, "
            f"{spec.prescribed_mode.value}) — du {spec.valid_from:%d/%m/%Y} au "
            f"{spec.valid_until:%d/%m/%Y}"
        )
    return 0


def _generate(args: argparse.Namespace) -> int:
    last = args.until or args.date
    if last < args.date:
        return fail("--until avant --date", EXIT_USAGE)
    if (last - args.date).days >= MAX_GENERATION_DAYS:
        return fail(f"période de plus de {MAX_GENERATION_DAYS} jours", EXIT_USAGE)
    db = open_database(args.db)
    try:
        with db.transaction(audit_actor(db)) as session:
            day = args.date
            while day <= last:
                done = generate_requests(session, day)
                print(
                    f"{DAY_NAMES[day.isoweekday() - 1]} {day:%d/%m/%Y} : "
                    f"{done.outcomes.count(Outcome.CREATED)} créées, "
                    f"{done.outcomes.count(Outcome.UPDATED)} mises à jour, "
                    f"{done.outcomes.count(Outcome.UNCHANGED)} inchangées"
                    + (f", {len(done.skipped)} déjà reçues de l'hôpital" if done.skipped else "")
                )
                for reason in done.skipped:
                    print(f"  {reason}")
                day += timedelta(days=1)
    finally:
        db.dispose()
    return 0


def _end(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        with db.transaction(audit_actor(db)) as session:
            current = get(session, RequestSeries, args.series_id)
            end_series(session, current.id, current.version, args.last_day)
    finally:
        db.dispose()
    print(f"Série n°{args.series_id} arrêtée après le {args.last_day:%d/%m/%Y}")
    return 0


def _home(
    address: str | None, postcode: str | None, commune: str, lat: float | None, lon: float | None
) -> PlaceRecord | str:
    if lat is not None and lon is not None:
        return PlaceRecord(address, postcode, commune, Position(lat, lon))
    found = default_geocoder().locate([Address(address, postcode, commune)])
    answer = next(iter(found.values()))
    if isinstance(answer, Located):
        return PlaceRecord(address, postcode, commune, answer.position)
    return f"domicile introuvable : {answer.reason}"
