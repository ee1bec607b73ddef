"""What a ride costs the Assurance Maladie, from the tariffs in force (domain.md, section 3).

Plain values in, plain values out: one :class:`BilledTrip` is one patient's invoice for one trip.
Amounts are exact decimals rounded to the cent (half up) once, at the end; each price line shows
the change of the rounded running total, so the lines always add up to the amount.

Taxi (convention-cadre 2025), in this order: pickup fee, big-city supplement, km past the included
ones (raised for a return empty after care), × time surcharge, × (1 − shared discount), then the
wheelchair (TPMR) and overseas supplements and the patient's share of the tolls.
VSL and ambulance (convention 2002, avenant 11): flat fee, km past the included ones, short-trip
top-up, × (1 − non-certified discount), × time surcharge, × (1 − shared discount), then tolls.
One time surcharge per ride: the highest of night, Saturday afternoon, Sunday or holiday.
"""

import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Generic, TypeVar

from planning.tariffs import (
    MODES,
    Hours,
    MedicalTariff,
    Sharing,
    Source,
    TariffSet,
    TaxiTariff,
    TimeSurcharges,
    load_tariff_sets,
)

CarrierId = TypeVar("CarrierId", bound=Hashable)

_CENT = Decimal("0.01")
_SUNDAY, _SATURDAY = 6, 5


class CostError(ValueError):
    """A trip that cannot be priced: impossible values or sharing the tariff does not allow."""


@dataclass(frozen=True)
class BilledTrip:
    """One patient's trip as the carrier bills it.

    ``km`` is the patient's billed distance (on board, approach km are not paid);
    ``departement`` the code whose taxi km rate applies ("59", "2A"), and with
    ``dropoff_departement`` (None: the same) it decides the big-city supplement of 92–94;
    communes are INSEE names ("Lille", "Marseille 8e Arrondissement"); ``start`` is the pickup
    time, read on its own clock: naive local time, or aware in the local zone (Europe/Paris, or
    the overseas zone), never UTC; ``tolls`` the ride's total, split between the patients
    sharing it.
    """

    mode: str  # "TAXI", "VSL" or "AMBULANCE"
    km: float
    departement: str
    pickup_commune: str
    dropoff_commune: str
    start: datetime
    public_holiday: bool = False
    wheelchair: bool = False
    return_empty_after_care: bool = False
    patients_sharing: int = 1
    sefi_geolocated: bool = False
    certified: bool = True
    overseas: bool = False
    tolls: float = 0.0
    dropoff_departement: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise CostError(f"mode de transport inconnu {self.mode!r} ({', '.join(MODES)})")
        if not 0 <= self.km < float("inf"):
            raise CostError(f"distance facturée invalide : {self.km} km")
        if not 0 <= self.tolls < float("inf"):
            raise CostError(f"péages invalides : {self.tolls} €")
        if self.patients_sharing < 1:
            raise CostError(f"patients_sharing vaut au moins 1 (lu {self.patients_sharing})")


@dataclass(frozen=True)
class PriceLine:
    """One component of a price, in French, with what it adds (negative for a discount)."""

    label: str
    amount: Decimal
    unverified: bool  # built from a tariff value domain.md doubts


@dataclass(frozen=True)
class Price:
    amount: Decimal  # euros, rounded to the cent; the sum of the lines
    lines: tuple[PriceLine, ...]

    @property
    def unverified(self) -> bool:
        return any(line.unverified for line in self.lines)


@dataclass(frozen=True)
class Reimbursement:
    """Who pays a billed amount: ``share`` is the Assurance Maladie's part of the tariff,
    ``franchise`` what it withholds from that share, ``insurer_pays`` = share − franchise and
    ``patient_pays`` = billed − insurer_pays (the rest of the tariff plus the franchise)."""

    billed: Decimal
    rate: Decimal
    share: Decimal
    franchise: Decimal
    insurer_pays: Decimal
    patient_pays: Decimal


@dataclass(frozen=True)
class PlanCost(Generic[CarrierId]):
    """A plan's invoices: what the Assurance Maladie pays, what each carrier bills.

    The franchise is counted per trip, each as if it were the patient's first of the day (the
    trips carry no patient identity): exact while no patient has more trips than the daily cap
    allows (two at 4 € within 8 €), an upper bound otherwise.
    """

    billed: Decimal
    insurer_share: Decimal  # before the franchise
    franchise: Decimal
    insurer_pays: Decimal
    revenue: Mapping[CarrierId, Decimal]  # what each carrier bills, whoever pays it
    trips: Mapping[CarrierId, int]
    unverified: bool


def trip_price(trip: BilledTrip, tariffs: TariffSet) -> Price:
    """One patient's invoice for ``trip``; :class:`CostError` when the tariff cannot price it."""
    if trip.mode == "TAXI":
        return _taxi_price(trip, tariffs.taxi, tariffs.hours)
    tariff = tariffs.vsl if trip.mode == "VSL" else tariffs.ambulance
    return _medical_price(trip, tariff, tariffs.hours)


def reimbursement(
    price_amount: Decimal | float,
    coverage: str,
    age: int,
    trips_already_today: int,
    emergency: bool = False,
    *,
    tariffs: TariffSet | None = None,
) -> Reimbursement:
    """Split a billed amount between the Assurance Maladie and the patient.

    First the share: the coverage's rate (55 % standard, 100 % otherwise) of the amount,
    rounded to the cent. Then the franchise, withheld from that share: the per-trip amount,
    within what the daily cap leaves after ``trips_already_today`` earlier trips of the patient
    that bore it (each counted at the full per-trip amount), and never more than the share;
    none for exempt coverages, minors and emergencies. The yearly cap is not applied: it needs
    the patient's whole year. ``tariffs`` defaults to the newest shipped set.
    """
    rules = (tariffs or load_tariff_sets()[-1]).reimbursement
    if coverage not in rules.rates:
        raise CostError(f"couverture inconnue {coverage!r} ({', '.join(sorted(rules.rates))})")
    if age < 0 or trips_already_today < 0:
        raise CostError(f"âge ({age}) et trajets du jour ({trips_already_today}) sont positifs")
    billed = _cents(Decimal(str(price_amount)))
    share = _cents(billed * rules.rates[coverage])
    exempt = (
        emergency
        or coverage in rules.franchise_exempt_coverages
        or age < rules.franchise_exempt_under_age
    )
    franchise = Decimal(0)
    if not exempt:
        withheld = min(trips_already_today * rules.franchise_per_trip, rules.franchise_daily_cap)
        franchise = max(
            Decimal(0), min(rules.franchise_per_trip, rules.franchise_daily_cap - withheld, share)
        )
    insurer_pays = share - franchise
    return Reimbursement(
        billed=billed,
        rate=rules.rates[coverage],
        share=share,
        franchise=franchise,
        insurer_pays=insurer_pays,
        patient_pays=billed - insurer_pays,
    )


def plan_cost(
    trips: Iterable[tuple[CarrierId, BilledTrip, str, int]], tariffs: TariffSet
) -> PlanCost[CarrierId]:
    """Price every (carrier, trip, coverage, patient's age) of a plan and add them up."""
    billed = share = franchise = Decimal(0)
    revenue: dict[CarrierId, Decimal] = {}
    counts: dict[CarrierId, int] = {}
    unverified = False
    for carrier, trip, coverage, age in trips:
        price = trip_price(trip, tariffs)
        paid = reimbursement(price.amount, coverage, age, 0, tariffs=tariffs)
        billed += price.amount
        share += paid.share
        franchise += paid.franchise
        revenue[carrier] = revenue.get(carrier, Decimal(0)) + price.amount
        counts[carrier] = counts.get(carrier, 0) + 1
        unverified = unverified or price.unverified
    return PlanCost(
        billed=billed,
        insurer_share=share,
        franchise=franchise,
        insurer_pays=share - franchise,
        revenue=revenue,
        trips=counts,
        unverified=unverified,
    )


class _Bill:
    """A running exact total that records each component as a line."""

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.lines: list[PriceLine] = []

    def add(self, label: str, amount: Decimal, *sources: Source) -> None:
        before = _cents(self.total)
        self.total += amount
        unverified = any(source.unverified for source in sources)
        self.lines.append(PriceLine(label, _cents(self.total) - before, unverified))

    def scale(self, label: str, rate: Decimal, *sources: Source) -> None:
        """Add ``rate`` (negative for a discount) times the running total."""
        self.add(label, self.total * rate, *sources)

    def price(self) -> Price:
        return Price(_cents(self.total), tuple(self.lines))


def _taxi_price(trip: BilledTrip, taxi: TaxiTariff, hours: Hours) -> Price:
    discount = _shared_discount(trip, taxi.sharing, "TAXI")
    km = Decimal(str(trip.km))
    bill = _Bill()
    bill.add(f"Prise en charge ({_km(taxi.included_km)} km inclus)", taxi.pickup_fee, taxi.source)
    if city := _big_city(trip, taxi):
        bill.add(
            f"Supplément grande ville ({city})", taxi.big_city.supplement, taxi.big_city.source
        )
    paid_km = max(Decimal(0), km - taxi.included_km)
    if paid_km:
        rate, listed = taxi.km_rate(trip.departement)
        where = f"tarif du {trip.departement}" if listed else "tarif par défaut"
        label = f"{_km(paid_km)} km × {_euros(rate)} ({where})"
        bill.add(label, paid_km * rate, taxi.km_rates_source)
        if trip.return_empty_after_care:
            empty = taxi.return_empty
            raise_rate = empty.rate(km)
            label = f"Retour à vide après soins : +{_percent(raise_rate)} sur les km"
            bill.add(label, paid_km * rate * raise_rate, empty.source, taxi.km_rates_source)
    _time_surcharge(bill, trip, hours, taxi.surcharges, taxi.source)
    if discount is not None:
        bill.scale(*discount)
    if trip.wheelchair:
        bill.add("Supplément TPMR (fauteuil roulant)", taxi.wheelchair_supplement, taxi.source)
    if trip.overseas:
        bill.add("Supplément outre-mer", taxi.overseas_supplement, taxi.source)
    _tolls(bill, trip)
    return bill.price()


def _medical_price(trip: BilledTrip, tariff: MedicalTariff, hours: Hours) -> Price:
    discount = _shared_discount(trip, tariff.sharing, trip.mode)
    km = Decimal(str(trip.km))
    name = "VSL" if trip.mode == "VSL" else "ambulance"
    bill = _Bill()
    bill.add(
        f"Forfait {name} ({_km(tariff.included_km)} km inclus)", tariff.flat_fee, tariff.source
    )
    paid_km = max(Decimal(0), km - tariff.included_km)
    if paid_km:
        bill.add(
            f"{_km(paid_km)} km × {_euros(tariff.km_rate)}", paid_km * tariff.km_rate, tariff.source
        )
    if top_up := tariff.short_trip.top_up(km):
        bill.add("Supplément trajet court", top_up, tariff.short_trip.source)
    if not trip.certified and trip.start.date() >= tariff.non_certified_from:
        rate = tariff.non_certified_discount
        bill.scale(f"Entreprise non certifiée : −{_percent(rate)}", -rate, tariff.source)
    _time_surcharge(bill, trip, hours, tariff.surcharges, tariff.source)
    if discount is not None:
        bill.scale(*discount)
    _tolls(bill, trip)
    return bill.price()


def _shared_discount(
    trip: BilledTrip, sharing: Sharing, mode: str
) -> tuple[str, Decimal, Source] | None:
    """The shared-ride discount line (label, rate, source), None for a patient alone."""
    count = trip.patients_sharing
    if count == 1:
        return None
    table = sharing.sefi_discounts if trip.sefi_geolocated else sharing.discounts
    if not table:
        raise CostError(
            f"{mode} : ce mode n'est jamais partagé (patients_sharing = {count}, 1 attendu)"
        )
    if count not in table:
        allowed = ", ".join(str(n) for n in table)
        raise CostError(f"{mode} : pas de tarif partagé pour {count} patients (prévu : {allowed})")
    rate = table[count]
    sefi = " géolocalisé SEFi" if trip.sefi_geolocated and mode == "VSL" else ""
    return f"Transport partagé{sefi} ({count} patients) : −{_percent(rate)}", -rate, sharing.source


def _big_city(trip: BilledTrip, taxi: TaxiTariff) -> str | None:
    """The big city (or département) that earns the supplement, None when none does."""
    rule = taxi.big_city
    cities = {_commune_key(commune): commune for commune in rule.communes}
    ends = (_commune_key(trip.pickup_commune), _commune_key(trip.dropoff_commune))
    listed = [cities[end] for end in ends if end in cities]
    if rule.same_commune_exempt and len(listed) == 2 and ends[0] == ends[1]:
        return None
    if listed:
        return listed[0]
    departements = {trip.departement.strip(), (trip.dropoff_departement or "").strip()}
    if found := sorted(departements & rule.departements):
        return f"département {found[0]}"
    return None


@lru_cache(maxsize=8192)  # a day prices the same few hundred communes over and over
def _commune_key(name: str) -> str:
    """A commune name compared without case, accents, hyphens, CEDEX or arrondissement, so
    "MARSEILLE 08 CEDEX" and "Marseille 8e Arrondissement" are both Marseille."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    plain = re.sub(r"[-'’]", " ", plain)
    plain = re.sub(r"\s+cedex(\s+\d+)?\s*$", "", plain.strip())
    plain = re.sub(r"\s+\d{1,2}\s*(er|e|eme)?(\s+arrondissement)?$", "", plain)
    return " ".join(plain.split())


def _time_surcharge(
    bill: _Bill, trip: BilledTrip, hours: Hours, rates: TimeSurcharges, source: Source
) -> None:
    clock = trip.start.time()
    candidates: list[tuple[Decimal, str]] = []
    if _is_night(clock, hours):
        night = f"{hours.night_from:%H:%M}–{hours.night_until:%H:%M}"
        candidates.append((rates.night, f"Majoration de nuit ({night})"))
    if trip.public_holiday:
        candidates.append((rates.sunday_holiday, "Majoration jour férié"))
    elif trip.start.weekday() == _SUNDAY:
        candidates.append((rates.sunday_holiday, "Majoration dimanche"))
    if trip.start.weekday() == _SATURDAY and clock >= hours.saturday_from:
        candidates.append((rates.saturday_afternoon, "Majoration samedi après-midi"))
    if not candidates:
        return
    rate, label = max(candidates, key=lambda candidate: candidate[0])
    if rate:
        bill.scale(f"{label} : +{_percent(rate)}", rate, source, hours.source)


def _is_night(clock: time, hours: Hours) -> bool:
    if hours.night_from > hours.night_until:  # the night spans midnight
        return clock >= hours.night_from or clock < hours.night_until
    return hours.night_from <= clock < hours.night_until


def _tolls(bill: _Bill, trip: BilledTrip) -> None:
    if not trip.tolls:
        return
    tolls = Decimal(str(trip.tolls))
    count = trip.patients_sharing
    shared = f" ({_euros(tolls)} ÷ {count} patients)" if count > 1 else ""
    bill.add(f"Péages{shared}", tolls / count)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def _decimal_text(number: Decimal, places: int) -> str:
    text = f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _euros(amount: Decimal) -> str:
    return f"{_cents(amount):f}".replace(".", ",") + " €"


def _km(km: Decimal) -> str:
    return _decimal_text(km, 2)


def _percent(rate: Decimal) -> str:
    return _decimal_text(rate * 100, 1) + " %"
