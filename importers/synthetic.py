"""A realistic synthetic day for the Nord département: establishments, carriers, fleet, requests.

Used by ``regul demo`` and by tests. The communes and their positions are real (INSEE names and
postcodes, positions of the town centres); people, addresses, identifiers and establishments are
invented, with valid FINESS and SIRET keys. Same seed, same day.
"""

import csv
import math
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from importlib import resources

from importers.identifiers import with_luhn_key
from models.enums import CareType, Coverage, Direction, Mobility, Payer, TransportMode
from models.records import (
    CarrierRecord,
    EstablishmentRecord,
    PatientRecord,
    PlaceRecord,
    Position,
    RequestRecord,
    VehicleRecord,
)
from models.timezone import PARIS
from planning.geometry import great_circle_km

DEMO_PREFIX = "DEMO"
REQUESTS_PER_VEHICLE = 6  # a département day runs about 2,000 trips on 330 vehicles


@dataclass(frozen=True)
class Commune:
    name: str
    postcode: str
    position: Position
    population: int


@dataclass(frozen=True)
class SyntheticDay:
    service_date: date
    establishments: tuple[EstablishmentRecord, ...]
    carriers: tuple[CarrierRecord, ...]
    vehicles: tuple[VehicleRecord, ...]
    requests: tuple[RequestRecord, ...]


def load_communes() -> tuple[Commune, ...]:
    text = resources.files("importers").joinpath("data/communes_nord.csv").read_text("utf-8")
    return tuple(
        Commune(
            name=row["commune"],
            postcode=row["postcode"],
            position=Position(float(row["lat"]), float(row["lon"])),
            population=int(row["population"]),
        )
        for row in csv.DictReader(text.splitlines(), delimiter=";")
    )


_ESTABLISHMENTS: tuple[tuple[str, str, str, tuple[CareType, ...]], ...] = (
    (
        "Centre hospitalier universitaire de Lille",
        "Lille",
        "2 avenue Oscar Lambret",
        (
            CareType.CONSULTATION,
            CareType.CHEMOTHERAPY,
            CareType.RADIOTHERAPY,
            CareType.DIALYSIS,
            CareType.HOSPITALISATION,
            CareType.DAY_HOSPITAL,
            CareType.DISCHARGE,
        ),
    ),
    (
        "Centre régional de cancérologie Nord",
        "Lille",
        "3 rue Frédéric Combemale",
        (CareType.CHEMOTHERAPY, CareType.RADIOTHERAPY, CareType.DAY_HOSPITAL),
    ),
    (
        "Centre hospitalier de Roubaix",
        "Roubaix",
        "11 boulevard Lacordaire",
        (
            CareType.CONSULTATION,
            CareType.HOSPITALISATION,
            CareType.DISCHARGE,
            CareType.DIALYSIS,
            CareType.DAY_HOSPITAL,
        ),
    ),
    (
        "Centre hospitalier de Valenciennes",
        "Valenciennes",
        "114 avenue Desandrouin",
        (
            CareType.CONSULTATION,
            CareType.CHEMOTHERAPY,
            CareType.RADIOTHERAPY,
            CareType.HOSPITALISATION,
            CareType.DISCHARGE,
            CareType.DAY_HOSPITAL,
        ),
    ),
    (
        "Centre hospitalier de Dunkerque",
        "Dunkerque",
        "130 avenue Louis Herbeaux",
        (
            CareType.CONSULTATION,
            CareType.HOSPITALISATION,
            CareType.DISCHARGE,
            CareType.DIALYSIS,
            CareType.CHEMOTHERAPY,
        ),
    ),
    ("Centre de dialyse du Douaisis", "Douai", "8 rue de la Fonderie", (CareType.DIALYSIS,)),
    (
        "Centre de dialyse de Tourcoing",
        "Tourcoing",
        "40 rue du Président Coty",
        (CareType.DIALYSIS,),
    ),
    (
        "Centre de réadaptation de Villeneuve-d'Ascq",
        "Villeneuve-d'Ascq",
        "1 rue du Recueil",
        (CareType.REHABILITATION, CareType.DAY_HOSPITAL),
    ),
    (
        "Centre hospitalier de Cambrai",
        "Cambrai",
        "516 avenue de Paris",
        (
            CareType.CONSULTATION,
            CareType.HOSPITALISATION,
            CareType.DISCHARGE,
            CareType.DIALYSIS,
            CareType.DAY_HOSPITAL,
        ),
    ),
    (
        "Centre hospitalier Sambre-Avesnois",
        "Maubeuge",
        "13 boulevard Pasteur",
        (
            CareType.CONSULTATION,
            CareType.HOSPITALISATION,
            CareType.DISCHARGE,
            CareType.CHEMOTHERAPY,
            CareType.DIALYSIS,
            CareType.REHABILITATION,
        ),
    ),
)

# Share of patients by care type, and how each one's day is shaped.
_CARE_MIX: tuple[tuple[CareType, float], ...] = (
    (CareType.DIALYSIS, 0.22),
    (CareType.RADIOTHERAPY, 0.14),
    (CareType.CHEMOTHERAPY, 0.12),
    (CareType.REHABILITATION, 0.09),
    (CareType.DAY_HOSPITAL, 0.09),
    (CareType.CONSULTATION, 0.17),
    (CareType.DISCHARGE, 0.14),
    (CareType.TRANSFER, 0.03),
)
_SHARING_COMPATIBLE_SHARE = {
    CareType.DIALYSIS: 0.8,
    CareType.RADIOTHERAPY: 0.75,
    CareType.CHEMOTHERAPY: 0.7,
    CareType.REHABILITATION: 0.7,
    CareType.DAY_HOSPITAL: 0.6,
    CareType.CONSULTATION: 0.4,
    CareType.DISCHARGE: 0.3,
    CareType.TRANSFER: 0.0,
}
_LONG_TERM_CARE = {CareType.DIALYSIS, CareType.RADIOTHERAPY, CareType.CHEMOTHERAPY}

_LAST_NAMES = [
    "Martin",
    "Dubois",
    "Lefebvre",
    "Leroy",
    "Lemaire",
    "Dupont",
    "Vandenbussche",
    "Declercq",
    "Deschamps",
    "Delattre",
    "Fontaine",
    "Lambert",
    "Mercier",
    "Carpentier",
    "Dhainaut",
    "Bernard",
    "Petit",
    "Durand",
    "Moreau",
    "Duhamel",
    "Vasseur",
    "Lecomte",
    "Vandamme",
    "Caron",
    "Lemoine",
    "Bonnet",
    "Leclercq",
    "Dumont",
    "Hennebelle",
    "Delannoy",
    "Lecocq",
    "Poulain",
    "Roussel",
    "Boulanger",
    "Dewitte",
    "Maes",
    "Verhaeghe",
    "Wallet",
    "Debruyne",
    "Benali",
    "Haddad",
    "Kowalski",
    "Nowak",
    "Da Silva",
    "Ferreira",
    "Garcia",
    "Lopez",
    "Bouchard",
    "Delcroix",
]
_FIRST_NAMES = [
    "Marie",
    "Jean",
    "Michel",
    "Monique",
    "Bernard",
    "Françoise",
    "Alain",
    "Nicole",
    "Daniel",
    "Jacqueline",
    "Gérard",
    "Sylvie",
    "Philippe",
    "Isabelle",
    "Patrick",
    "Catherine",
    "Christian",
    "Martine",
    "Pierre",
    "Nathalie",
    "Jacques",
    "Christine",
    "Karim",
    "Fatima",
    "Mohamed",
    "Yasmina",
    "Thomas",
    "Julie",
    "Nicolas",
    "Sandrine",
    "Léa",
    "Hugo",
    "Chantal",
    "René",
    "Paulette",
    "Zofia",
    "Stanislas",
    "Manuel",
    "Ana",
]
_STREETS = (
    "rue Jean Jaurès",
    "rue Victor Hugo",
    "avenue de la République",
    "rue de Paris",
    "rue Pasteur",
    "rue du Général de Gaulle",
    "place de la Mairie",
    "rue des Écoles",
    "rue Gambetta",
    "boulevard de la Liberté",
    "rue Nationale",
    "rue de la Gare",
    "rue Roger Salengro",
    "rue Jules Ferry",
    "rue du Moulin",
    "résidence les Tilleuls, rue Faidherbe",
    "rue Jean-Baptiste Lebas",
    "chemin des Prés",
)
_CARRIER_KINDS = ("Taxis", "Ambulances", "Transports sanitaires", "Taxi", "Ambulances et taxis")


def generate_day(service_date: date, requests: int = 300, seed: int = 1) -> SyntheticDay:
    """A day with ``requests`` transport requests and a fleet sized to carry them."""
    if requests < 1:
        raise ValueError("a demo day needs at least one request")
    rng = random.Random(f"{seed}-{service_date.isoformat()}")
    communes = load_communes()
    establishments = _establishments(rng, communes)
    vehicle_count = max(8, round(requests / REQUESTS_PER_VEHICLE))
    carriers, vehicles = _fleet(rng, communes, vehicle_count)
    return SyntheticDay(
        service_date=service_date,
        establishments=establishments,
        carriers=carriers,
        vehicles=vehicles,
        requests=_requests(rng, communes, establishments, service_date, requests),
    )


def _establishments(
    rng: random.Random, communes: tuple[Commune, ...]
) -> tuple[EstablishmentRecord, ...]:
    by_name = {c.name: c for c in communes}
    records = []
    for index, (name, commune_name, address, activities) in enumerate(_ESTABLISHMENTS):
        commune = by_name[commune_name]
        records.append(
            EstablishmentRecord(
                finess=with_luhn_key(f"5900{index:02d}{rng.randrange(100):02d}"),
                name=name,
                address=address,
                postcode=commune.postcode,
                commune=commune.name,
                position=_near(rng, commune.position, 0.006),
                activities=activities,
            )
        )
    return tuple(records)


def _fleet(
    rng: random.Random, communes: tuple[Commune, ...], vehicle_count: int
) -> tuple[tuple[CarrierRecord, ...], tuple[VehicleRecord, ...]]:
    carriers: list[CarrierRecord] = []
    vehicles: list[VehicleRecord] = []
    plates: set[str] = set()
    names: set[str] = set()
    while len(vehicles) < vehicle_count:
        commune = _by_population(rng, communes)
        name = f"{rng.choice(_CARRIER_KINDS)} {_of(commune.name)}"
        if name in names:
            name = f"{name} {rng.choice(_LAST_NAMES)}"
        if name in names:
            continue
        names.add(name)
        siret = with_luhn_key(f"{rng.randrange(10**12, 10**13)}")
        carriers.append(
            CarrierRecord(
                siret=siret,
                name=name,
                base=PlaceRecord(
                    address=f"{rng.randint(1, 180)} {rng.choice(_STREETS)}",
                    postcode=commune.postcode,
                    commune=commune.name,
                    position=_near(rng, commune.position, 0.01),
                ),
                phone=_phone(rng, landline=True),
                email=f"contact@{_slug(name)}.fr",
                certified=rng.random() < 0.9,
                sefi_geolocated=rng.random() < 0.6,
            )
        )
        for _ in range(min(rng.randint(2, 8), vehicle_count - len(vehicles))):
            vehicles.append(_vehicle(rng, siret, plates))
    return tuple(carriers), tuple(vehicles)


def _vehicle(rng: random.Random, siret: str, plates: set[str]) -> VehicleRecord:
    kind = rng.choices(
        (TransportMode.TAXI, TransportMode.VSL, TransportMode.AMBULANCE), (0.55, 0.2, 0.25)
    )[0]
    wheelchair = 0
    lying = 0
    if kind is TransportMode.TAXI:
        wheelchair = 1 if rng.random() < 0.2 else 0
        seated = 4 - wheelchair
    elif kind is TransportMode.VSL:
        wheelchair = 1 if rng.random() < 0.25 else 0
        seated = 3 - wheelchair
    else:
        lying, seated = 1, 1
    # Most crews start early for the dialysis and radiotherapy mornings; a quarter work a late
    # shift so the evening returns (dialysis ends near 18:00) are covered too.
    if rng.random() < 0.25:
        start, hours = time(rng.choice((9, 10, 11)), rng.choice((0, 30))), rng.choice((9, 10))
    else:
        start = time(rng.choice((5, 6, 6, 7)), rng.choice((0, 30)))
        hours = rng.choice((10, 11, 12))
    end = (datetime.combine(date.min, start) + timedelta(hours=hours)).time()
    return VehicleRecord(
        carrier_siret=siret,
        plate=_plate(rng, plates),
        kind=kind,
        seated_places=seated,
        lying_places=lying,
        wheelchair_places=wheelchair,
        shift_start=start,
        shift_end=end,
    )


def _requests(
    rng: random.Random,
    communes: tuple[Commune, ...],
    establishments: tuple[EstablishmentRecord, ...],
    service_date: date,
    count: int,
) -> tuple[RequestRecord, ...]:
    records: list[RequestRecord] = []
    while len(records) < count:
        care = rng.choices([c for c, _ in _CARE_MIX], [w for _, w in _CARE_MIX])[0]
        records.extend(
            _patient_trips(rng, communes, establishments, service_date, care, len(records))
        )
    return tuple(records[:count])


def _patient_trips(
    rng: random.Random,
    communes: tuple[Commune, ...],
    establishments: tuple[EstablishmentRecord, ...],
    service_date: date,
    care: CareType,
    numbered_so_far: int,
) -> list[RequestRecord]:
    activity = CareType.HOSPITALISATION if care is CareType.TRANSFER else care
    site = rng.choice([e for e in establishments if activity in e.activities])
    assert site.position is not None
    home_commune = _near_by_population(rng, communes, site.position)
    home = PlaceRecord(
        address=f"{rng.randint(1, 250)} {rng.choice(_STREETS)}",
        postcode=home_commune.postcode,
        commune=home_commune.name,
        position=_near(rng, home_commune.position, 0.012),
    )
    at_site = _place_of(site)
    mobility = _mobility(rng, care)
    mode = _mode(rng, mobility)
    old = care in _LONG_TERM_CARE or care is CareType.DIALYSIS
    patient = PatientRecord(
        issuer=site.finess,
        # Eight digits like an IPP, unique within the day by construction.
        file_number=f"{rng.randrange(100, 1000)}{numbered_so_far + 1:05d}",
        last_name=rng.choice(_LAST_NAMES).upper(),
        first_name=rng.choice(_FIRST_NAMES),
        birth_date=service_date - timedelta(days=365 * rng.randint(45 if old else 20, 94)),
        phone=_phone(rng, landline=False),
    )
    outbound = RequestRecord(
        external_id=f"{DEMO_PREFIX}-{service_date:%Y%m%d}-{numbered_so_far + 1:05d}",
        service_date=service_date,
        patient=patient,
        direction=Direction.OUTBOUND,
        pickup=home,
        dropoff=at_site,
        prescribed_mode=mode,
        mobility=mobility,
        care_type=care,
        care_unit=_unit(care),
        oxygen=mobility is Mobility.LYING and rng.random() < 0.3,
        companion=rng.random() < 0.08,
        sharing_compatible=(
            mobility is not Mobility.LYING and rng.random() < _SHARING_COMPATIBLE_SHARE[care]
        ),
        coverage=_coverage(rng, care),
    )
    return_id = f"{DEMO_PREFIX}-{service_date:%Y%m%d}-{numbered_so_far + 2:05d}"
    midnight = datetime.combine(service_date, time(0), tzinfo=PARIS)

    if care is CareType.DISCHARGE:
        ready = midnight + timedelta(hours=rng.choice(range(20, 35)) / 2)
        return [
            replace(
                outbound, direction=Direction.RETURN, pickup=at_site, dropoff=home, ready_at=ready
            )
        ]
    if care is CareType.TRANSFER:
        other = rng.choice([e for e in establishments if e is not site])
        return [
            replace(
                outbound,
                direction=Direction.TRANSFER,
                pickup=at_site,
                dropoff=_place_of(other),
                ready_at=midnight + timedelta(hours=rng.choice(range(18, 33)) / 2),
                coverage=Coverage.INTER_ESTABLISHMENT,
                payer=Payer.ESTABLISHMENT,
            )
        ]
    appointment, care_hours = _schedule(rng, care)
    appointment_at = midnight + timedelta(hours=appointment)
    ready_at = appointment_at + timedelta(hours=care_hours, minutes=rng.choice((0, 5, 10, 15)))
    return [
        replace(outbound, appointment_at=appointment_at),
        replace(
            outbound,
            external_id=return_id,
            direction=Direction.RETURN,
            pickup=at_site,
            dropoff=home,
            ready_at=ready_at,
        ),
    ]


def _place_of(establishment: EstablishmentRecord) -> PlaceRecord:
    return PlaceRecord(
        address=establishment.address,
        postcode=establishment.postcode,
        commune=establishment.commune,
        position=establishment.position,
        establishment_finess=establishment.finess,
    )


def _schedule(rng: random.Random, care: CareType) -> tuple[float, float]:
    """Appointment (hours after midnight) and how long the care keeps the patient (hours)."""
    if care is CareType.DIALYSIS:
        return rng.choice((7.0, 7.5, 13.0, 13.5)), 4.25
    if care is CareType.RADIOTHERAPY:
        return rng.choice(range(32, 70)) / 4, rng.choice((0.5, 0.75))
    if care is CareType.CHEMOTHERAPY:
        return rng.choice(range(16, 29)) / 2, rng.choice((2.0, 3.0, 4.0, 5.0))
    if care in (CareType.REHABILITATION, CareType.DAY_HOSPITAL):
        return rng.choice((8.0, 8.5, 9.0, 9.5)), rng.choice((6.5, 7.0, 7.5))
    return rng.choice(range(17, 33)) / 2, rng.choice((1.0, 1.5, 2.0))


def _mobility(rng: random.Random, care: CareType) -> Mobility:
    lying = 0.6 if care is CareType.TRANSFER else 0.1
    return rng.choices(
        (Mobility.LYING, Mobility.WHEELCHAIR, Mobility.SEATED), (lying, 0.06, 1 - lying - 0.06)
    )[0]


def _mode(rng: random.Random, mobility: Mobility) -> TransportMode:
    if mobility is Mobility.LYING:
        return TransportMode.AMBULANCE
    if mobility is Mobility.WHEELCHAIR:
        return rng.choice((TransportMode.TAXI, TransportMode.VSL))
    return TransportMode.TAXI if rng.random() < 0.75 else TransportMode.VSL


def _coverage(rng: random.Random, care: CareType) -> Coverage:
    if care in _LONG_TERM_CARE and rng.random() < 0.9:
        return Coverage.ALD
    return rng.choices(
        (Coverage.STANDARD, Coverage.ALD, Coverage.WORK_ACCIDENT, Coverage.C2S, Coverage.MATERNITY),
        (0.55, 0.3, 0.05, 0.07, 0.03),
    )[0]


def _unit(care: CareType) -> str | None:
    return {
        CareType.DIALYSIS: "Hémodialyse",
        CareType.RADIOTHERAPY: "Radiothérapie",
        CareType.CHEMOTHERAPY: "Hôpital de jour oncologie",
        CareType.REHABILITATION: "SMR",
        CareType.DAY_HOSPITAL: "Hôpital de jour",
        CareType.CONSULTATION: "Consultations externes",
        CareType.DISCHARGE: "Médecine polyvalente",
        CareType.TRANSFER: "Réanimation",
    }.get(care)


def _by_population(rng: random.Random, communes: tuple[Commune, ...]) -> Commune:
    return rng.choices(communes, [c.population for c in communes])[0]


def _near_by_population(
    rng: random.Random, communes: tuple[Commune, ...], site: Position
) -> Commune:
    """Patients mostly live within a few tens of kilometres of where they are treated."""
    weights = [
        c.population
        * math.exp(-great_circle_km(site.lat, site.lon, c.position.lat, c.position.lon) / 12)
        for c in communes
    ]
    return rng.choices(communes, weights)[0]


def _near(rng: random.Random, centre: Position, spread_degrees: float) -> Position:
    return Position(
        round(centre.lat + rng.gauss(0, spread_degrees), 6),
        round(centre.lon + rng.gauss(0, spread_degrees * 1.5), 6),
    )


def _phone(rng: random.Random, landline: bool) -> str:
    first = "03" if landline else rng.choice(("06", "07"))
    return " ".join([first, *(f"{rng.randrange(100):02d}" for _ in range(4))])


def _plate(rng: random.Random, taken: set[str]) -> str:
    letters = "ABCDEFGHJKLMNPQRSTVWXYZ"
    while True:
        plate = (
            f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randrange(1, 1000):03d}-"
            f"{rng.choice(letters)}{rng.choice(letters)}"
        )
        if plate not in taken:
            taken.add(plate)
            return plate


def _of(commune: str) -> str:
    """French 'de'/'d'' before a town name."""
    return f"d'{commune}" if commune[0] in "AEIOUYÉÈÂ" else f"de {commune}"


def _slug(text: str) -> str:
    kept = "".join(ch.lower() if ch.isalnum() and ch.isascii() else "-" for ch in text)
    return "-".join(part for part in kept.split("-") if part)
