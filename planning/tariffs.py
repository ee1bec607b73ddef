"""The tariffs in force on a date, read from versioned data files (planning/data/tariffs/).

Amounts and rates that a convention or the law can change live in those files with their source,
never in code; a regulator's centre can add a newer file without touching Régul. Each section
says whether its values are unverified (flagged ⚠ or third-party in domain.md), and a price
built from them carries that flag to the console. Amounts are read as exact decimals.
"""

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

# Names of models.enums.TransportMode and models.enums.Coverage (planning never imports models).
MODES = ("TAXI", "VSL", "AMBULANCE")
COVERAGES = frozenset(
    {
        "STANDARD",
        "ALD",
        "WORK_ACCIDENT",
        "MATERNITY",
        "NEWBORN",
        "C2S",
        "AME",
        "ALSACE_MOSELLE",
        "INTER_ESTABLISHMENT",
    }
)
_DEPARTEMENT = re.compile(r"\d{2}|2[AB]|97\d")


class TariffError(ValueError):
    """A tariff file is unreadable, misses a value, holds a wrong one or an unknown key."""


@dataclass(frozen=True)
class Source:
    """Where a section's values come from; ``unverified`` when domain.md doubts them."""

    text: str
    unverified: bool


@dataclass(frozen=True)
class Hours:
    """When the night, Saturday-afternoon and Sunday rates start, by pickup time."""

    night_from: time
    night_until: time
    saturday_from: time
    source: Source


@dataclass(frozen=True)
class TimeSurcharges:
    """Rates added to the base for a ride at night, on Saturday afternoon, Sunday or holiday."""

    night: Decimal
    saturday_afternoon: Decimal
    sunday_holiday: Decimal


@dataclass(frozen=True)
class Sharing:
    """Discount on each patient's invoice by number of patients carried together (none: the
    mode is never shared); ``sefi_discounts`` for companies geolocated and billing via SEFi."""

    discounts: Mapping[int, Decimal]
    sefi_discounts: Mapping[int, Decimal]
    source: Source


@dataclass(frozen=True)
class ShortTrip:
    """Top-up for short trips as (km, euros) points, increasing km (see :meth:`top_up`)."""

    points: tuple[tuple[int, Decimal], ...]
    source: Source

    def top_up(self, km: Decimal) -> Decimal:
        """The first amount up to the first point, none past the last one, and in between the
        linear value at the started kilometre (7.2 km counts as 8)."""
        whole = math.ceil(km)
        if whole <= self.points[0][0]:
            return self.points[0][1]
        for (low_km, low), (high_km, high) in pairwise(self.points):
            if whole <= high_km:
                return low + (high - low) * (whole - low_km) / (high_km - low_km)
        return Decimal(0)


@dataclass(frozen=True)
class BigCity:
    """The taxi supplement for rides starting or ending in a big city."""

    supplement: Decimal
    communes: frozenset[str]  # INSEE names, as written in the file
    departements: frozenset[str]
    same_commune_exempt: bool
    source: Source


@dataclass(frozen=True)
class ReturnEmpty:
    """Taxi km part raised when the taxi comes back empty after hospital care."""

    threshold_km: Decimal
    short_rate: Decimal
    long_rate: Decimal
    source: Source

    def rate(self, km: Decimal) -> Decimal:
        return self.short_rate if km < self.threshold_km else self.long_rate


@dataclass(frozen=True)
class TaxiTariff:
    pickup_fee: Decimal
    included_km: Decimal
    wheelchair_supplement: Decimal
    overseas_supplement: Decimal
    surcharges: TimeSurcharges
    km_rates: Mapping[str, Decimal]  # by département code
    default_km_rate: Decimal
    km_rates_source: Source
    big_city: BigCity
    return_empty: ReturnEmpty
    sharing: Sharing
    source: Source

    def km_rate(self, departement: str) -> tuple[Decimal, bool]:
        """The département's rate per km, and whether it was listed (else the default)."""
        code = departement.strip().upper()
        if code.isdigit() and len(code) == 1:
            code = code.zfill(2)
        if code in self.km_rates:
            return self.km_rates[code], True
        return self.default_km_rate, False


@dataclass(frozen=True)
class MedicalTariff:
    """A VSL or ambulance tariff (convention 2002): flat fee, km, short-trip top-up."""

    flat_fee: Decimal
    included_km: Decimal
    km_rate: Decimal
    surcharges: TimeSurcharges
    non_certified_discount: Decimal
    non_certified_from: date
    short_trip: ShortTrip
    sharing: Sharing
    source: Source


@dataclass(frozen=True)
class Reimbursement:
    """What the Assurance Maladie pays of a tariff, and the franchise it withholds."""

    rates: Mapping[str, Decimal]  # by coverage
    source: Source
    franchise_per_trip: Decimal
    franchise_daily_cap: Decimal
    franchise_yearly_cap: Decimal  # needs the patient's year: not applied to a day
    franchise_exempt_coverages: frozenset[str]
    franchise_exempt_under_age: int
    franchise_source: Source


@dataclass(frozen=True)
class SharingRefusal:
    """What refusing the shared ride offered costs a patient (décret 2025-202): no tiers
    payant, and a reimbursement based on the price of the shared ride, priced with the
    discount for ``base_patients_sharing`` patients; ``exempt_coverages`` keep their rights."""

    loses_tiers_payant: bool
    base_patients_sharing: int
    exempt_coverages: frozenset[str]
    source: Source


@dataclass(frozen=True)
class TariffSet:
    version: str
    valid_from: date
    source: Source
    hours: Hours
    taxi: TaxiTariff
    vsl: MedicalTariff
    ambulance: MedicalTariff
    reimbursement: Reimbursement
    sharing_refusal: SharingRefusal


@cache
def load_tariff_sets(folder: Path | None = None) -> tuple[TariffSet, ...]:
    """Every shipped (or given) tariff set, oldest first (read once per process: they are
    versioned files, a new one takes effect at the next start)."""
    if folder is None:
        entries = resources.files("planning").joinpath("data/tariffs").iterdir()
        texts = [(e.name, e.read_text("utf-8")) for e in entries if e.name.endswith(".toml")]
    else:
        texts = [(path.name, path.read_text("utf-8")) for path in folder.glob("*.toml")]
    if not texts:
        raise TariffError(f"aucun fichier de tarifs dans {folder or 'planning/data/tariffs'}")
    sets: dict[date, tuple[str, TariffSet]] = {}
    for name, text in sorted(texts):
        tariff_set = _parse(name, text)
        if tariff_set.valid_from in sets:
            other = sets[tariff_set.valid_from][0]
            raise TariffError(
                f"tarifs {name} : même date d'effet ({tariff_set.valid_from}) que {other}"
            )
        sets[tariff_set.valid_from] = (name, tariff_set)
    return tuple(sets[day][1] for day in sorted(sets))


def tariffs_on(day: date, tariff_sets: tuple[TariffSet, ...] | None = None) -> TariffSet:
    """The tariff set in force on ``day`` (the earliest one for days before any version, so a
    cost is always estimated; compare ``valid_from`` to know it)."""
    candidates = tariff_sets or load_tariff_sets()
    in_force = [tariff_set for tariff_set in candidates if tariff_set.valid_from <= day]
    return in_force[-1] if in_force else candidates[0]


_SECTIONS = (
    "meta",
    "hours",
    "taxi",
    "taxi_km_rates",
    "taxi_big_city",
    "taxi_return_empty",
    "taxi_sharing",
    "vsl",
    "vsl_short_trip",
    "vsl_sharing",
    "ambulance",
    "ambulance_short_trip",
    "ambulance_sharing",
    "reimbursement",
    "franchise",
    "sharing_refusal",
)


def _parse(name: str, text: str) -> TariffSet:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise TariffError(f"tarifs {name} : TOML illisible ({exc})") from exc
    if unknown := set(data) - set(_SECTIONS):
        raise TariffError(f"tarifs {name} : section inconnue {', '.join(sorted(unknown))}")
    tables = {section: _Table(name, section, data.get(section)) for section in _SECTIONS}
    meta = tables["meta"]
    tariff_set = TariffSet(
        version=meta.text("version"),
        valid_from=meta.day("valid_from"),
        source=meta.source(),
        hours=_hours(tables["hours"]),
        taxi=_taxi(tables),
        vsl=_medical(tables, "vsl"),
        ambulance=_medical(tables, "ambulance"),
        reimbursement=_reimbursement(tables["reimbursement"], tables["franchise"]),
        sharing_refusal=_sharing_refusal(tables["sharing_refusal"]),
    )
    for table in tables.values():
        table.finish()
    return tariff_set


def _hours(table: "_Table") -> Hours:
    return Hours(
        night_from=table.clock("night_from"),
        night_until=table.clock("night_until"),
        saturday_from=table.clock("saturday_from"),
        source=table.source(),
    )


def _surcharges(table: "_Table") -> TimeSurcharges:
    return TimeSurcharges(
        night=table.rate("night_surcharge"),
        saturday_afternoon=table.rate("saturday_afternoon_surcharge"),
        sunday_holiday=table.rate("sunday_holiday_surcharge"),
    )


def _taxi(tables: Mapping[str, "_Table"]) -> TaxiTariff:
    taxi, rates, city = tables["taxi"], tables["taxi_km_rates"], tables["taxi_big_city"]
    empty = tables["taxi_return_empty"]
    by_departement = rates.table("by_departement")
    km_rates = {}
    for code in by_departement.names():
        if not _DEPARTEMENT.fullmatch(code):
            raise by_departement.error(code, 'n\'est pas un code de département ("01", "2A")')
        km_rates[code] = by_departement.amount(code)
    by_departement.finish()
    departements = city.strings("departements")
    if bad := sorted(code for code in departements if not _DEPARTEMENT.fullmatch(code)):
        raise city.error("departements", f"contient un code invalide ({', '.join(bad)})")
    return TaxiTariff(
        pickup_fee=taxi.amount("pickup_fee"),
        included_km=taxi.amount("included_km"),
        wheelchair_supplement=taxi.amount("wheelchair_supplement"),
        overseas_supplement=taxi.amount("overseas_supplement"),
        surcharges=_surcharges(taxi),
        km_rates=km_rates,
        default_km_rate=rates.amount("default"),
        km_rates_source=rates.source(),
        big_city=BigCity(
            supplement=city.amount("supplement"),
            communes=city.strings("communes"),
            departements=departements,
            same_commune_exempt=city.flag("same_commune_exempt"),
            source=city.source(),
        ),
        return_empty=ReturnEmpty(
            threshold_km=empty.amount("threshold_km"),
            short_rate=empty.rate("short_rate"),
            long_rate=empty.rate("long_rate"),
            source=empty.source(),
        ),
        sharing=_sharing(tables["taxi_sharing"]),
        source=taxi.source(),
    )


def _medical(tables: Mapping[str, "_Table"], mode: str) -> MedicalTariff:
    table, short = tables[mode], tables[f"{mode}_short_trip"]
    return MedicalTariff(
        flat_fee=table.amount("flat_fee"),
        included_km=table.amount("included_km"),
        km_rate=table.amount("km_rate"),
        surcharges=_surcharges(table),
        non_certified_discount=table.rate("non_certified_discount"),
        non_certified_from=table.day("non_certified_from"),
        short_trip=ShortTrip(points=short.points("points"), source=short.source()),
        sharing=_sharing(tables[f"{mode}_sharing"]),
        source=table.source(),
    )


def _sharing(table: "_Table") -> Sharing:
    return Sharing(
        discounts=table.discounts("discounts"),
        sefi_discounts=table.discounts("sefi_discounts"),
        source=table.source(),
    )


def _reimbursement(table: "_Table", franchise: "_Table") -> Reimbursement:
    rates = table.table("rates")
    if unknown := set(rates.names()) - COVERAGES:
        raise rates.error(", ".join(sorted(unknown)), "n'est pas une couverture connue")
    by_coverage = {coverage: rates.rate(coverage) for coverage in sorted(COVERAGES)}
    rates.finish()
    exempt = franchise.strings("exempt_coverages")
    if strangers := sorted(exempt - COVERAGES):
        raise franchise.error("exempt_coverages", f"couverture inconnue {', '.join(strangers)}")
    return Reimbursement(
        rates=by_coverage,
        source=table.source(),
        franchise_per_trip=franchise.amount("per_trip"),
        franchise_daily_cap=franchise.amount("daily_cap"),
        franchise_yearly_cap=franchise.amount("yearly_cap"),
        franchise_exempt_coverages=exempt,
        franchise_exempt_under_age=franchise.whole("exempt_under_age"),
        franchise_source=franchise.source(),
    )


def _sharing_refusal(table: "_Table") -> SharingRefusal:
    base = table.whole("base_patients_sharing")
    if base < 2:
        raise table.error("base_patients_sharing", f"invalide (au moins 2 patients, lu {base})")
    exempt = table.strings("exempt_coverages")
    if strangers := sorted(exempt - COVERAGES):
        raise table.error("exempt_coverages", f"couverture inconnue {', '.join(strangers)}")
    return SharingRefusal(
        loses_tiers_payant=table.flag("loses_tiers_payant"),
        base_patients_sharing=base,
        exempt_coverages=exempt,
        source=table.source(),
    )


class _Table:
    """One TOML table read key by key, so every error names the file and the key, and a key
    nobody read (a typo) is refused by :meth:`finish`."""

    def __init__(self, file: str, path: str, data: Any) -> None:
        self.file, self.path = file, path
        if data is None:
            raise TariffError(f"tarifs {file} : section [{path}] manquante")
        if not isinstance(data, dict):
            raise TariffError(f"tarifs {file} : [{path}] doit être une table")
        self.data: dict[str, Any] = data
        self.read: set[str] = set()

    def error(self, key: str, why: str) -> TariffError:
        return TariffError(f"tarifs {self.file} : clé {self.path}.{key} {why}")

    def names(self) -> list[str]:
        return list(self.data)

    def finish(self) -> None:
        if unknown := sorted(set(self.data) - self.read):
            raise self.error(", ".join(unknown), "inconnue")

    def _get(self, key: str) -> Any:
        self.read.add(key)
        if key not in self.data:
            raise self.error(key, "manquante")
        return self.data[key]

    def amount(self, key: str) -> Decimal:
        """A finite number ≥ 0, as an exact decimal."""
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.error(key, f"invalide (nombre attendu, lu {value!r})")
        number = Decimal(value)
        if not number.is_finite() or number < 0:
            raise self.error(key, f"invalide (nombre positif attendu, lu {value!r})")
        return number

    def whole(self, key: str) -> int:
        value = self._get(key)
        if type(value) is not int or value < 0:
            raise self.error(key, f"invalide (entier positif attendu, lu {value!r})")
        return value

    def rate(self, key: str) -> Decimal:
        number = self.amount(key)
        if number > 1:
            raise self.error(key, f"invalide (taux entre 0 et 1 attendu, lu {number})")
        return number

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"invalide (texte attendu, lu {value!r})")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self.error(key, f"invalide (true ou false attendu, lu {value!r})")
        return value

    def day(self, key: str) -> date:
        value = self._get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        raise self.error(key, f"invalide (date AAAA-MM-JJ attendue, lu {value!r})")

    def clock(self, key: str) -> time:
        value = self._get(key)
        if isinstance(value, time):
            return value
        try:
            return time.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.error(key, f'invalide (heure "HH:MM" attendue, lu {value!r})') from None

    def strings(self, key: str) -> frozenset[str]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, f"invalide (liste de textes attendue, lu {value!r})")
        return frozenset(value)

    def table(self, key: str) -> "_Table":
        self._get(key)
        return _Table(self.file, f"{self.path}.{key}", self.data[key])

    def source(self) -> Source:
        return Source(text=self.text("source"), unverified=self.flag("unverified"))

    def discounts(self, key: str) -> dict[int, Decimal]:
        """A discount by number of patients ("2" = 0.23): keys from 2 up, rates below 1."""
        table = self.table(key)
        result: dict[int, Decimal] = {}
        for count in table.names():
            if not count.isdigit() or int(count) < 2:
                raise table.error(count, "invalide (nombre de patients ≥ 2 attendu)")
            result[int(count)] = table.rate(count)
        table.finish()
        return dict(sorted(result.items()))

    def points(self, key: str) -> tuple[tuple[int, Decimal], ...]:
        """[km, euros] points with whole, strictly increasing km."""
        value = self._get(key)
        wrong = self.error(key, f"invalide (liste de [km, euros] attendue, lu {value!r})")
        if not isinstance(value, list) or not value:
            raise wrong
        points: list[tuple[int, Decimal]] = []
        for point in value:
            if not (isinstance(point, list) and len(point) == 2 and type(point[0]) is int):
                raise wrong
            amount = point[1]
            if isinstance(amount, bool) or not isinstance(amount, int | Decimal) or amount < 0:
                raise wrong
            points.append((point[0], Decimal(amount)))
        if any(a[0] >= b[0] for a, b in pairwise(points)):
            raise self.error(key, "invalide (km strictement croissants attendus)")
        return tuple(points)
