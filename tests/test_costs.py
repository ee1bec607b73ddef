"""Ride costs: domain.md's worked examples to the cent, each surcharge and discount, who pays."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.enums import Coverage, TransportMode
from models.timezone import PARIS
from planning.costs import BilledTrip, CostError, plan_cost, reimbursement, trip_price
from planning.tariffs import COVERAGES, MODES, TariffError, load_tariff_sets, tariffs_on

SHIPPED_NAME = "2025-11-01.toml"
SHIPPED = resources.files("planning").joinpath(f"data/tariffs/{SHIPPED_NAME}").read_text("utf-8")
TARIFFS = tariffs_on(date(2026, 1, 5))


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A pickup time, in local (Paris) time as the console gives it."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


MONDAY = at(2026, 1, 5, 10, 0)  # a working day, in daytime

# Taxi in the Ain (1.13 €/km), alone, by day: the first worked example.
AIN = BilledTrip(
    mode="TAXI",
    km=6,
    departement="01",
    pickup_commune="Bourg-en-Bresse",
    dropoff_commune="Bourg-en-Bresse",
    start=MONDAY,
)
VSL = replace(AIN, mode="VSL", km=20)  # past the short-trip range: 15.75 + 17 × 1.10 = 34.45
AMBULANCE = replace(AIN, mode="AMBULANCE", km=20)  # 57.39 + 17 × 2.44 = 98.87


def price(trip: BilledTrip) -> Decimal:
    return trip_price(trip, TARIFFS).amount


def test_taxi_alone_in_the_ain_is_the_worked_example() -> None:
    """13.00 + 2 × 1.13 = 15.26 €, and the lines add up to the amount."""
    result = trip_price(AIN, TARIFFS)
    assert result.amount == Decimal("15.26")
    assert [line.amount for line in result.lines] == [Decimal("13.00"), Decimal("2.26")]


def test_shared_taxi_in_marseille_is_the_worked_example() -> None:
    """(13 + 1 × 1.10 × 1.25) × 0.77 = 11.07 € per patient, 22.14 € the ride, no big-city fee."""
    patient = replace(
        AIN,
        km=5,
        departement="13",
        pickup_commune="Marseille 5e Arrondissement",
        dropoff_commune="Marseille",
        return_empty_after_care=True,
        patients_sharing=2,
    )
    result = trip_price(patient, TARIFFS)
    assert result.amount == Decimal("11.07")
    assert sum(line.amount for line in result.lines) == result.amount
    assert not any("grande ville" in line.label for line in result.lines)
    ride = plan_cost([("taxi-1", patient, "ALD", 60), ("taxi-1", patient, "ALD", 70)], TARIFFS)
    assert ride.billed == Decimal("22.14") and ride.revenue == {"taxi-1": Decimal("22.14")}


def test_vsl_of_50_euros_is_the_worked_example() -> None:
    """Standard: 55 % = 27.50 € minus the 4 € franchise; ALD: 100 %, franchise still due."""
    standard = reimbursement(50, "STANDARD", 45, 0, tariffs=TARIFFS)
    assert (standard.share, standard.franchise) == (Decimal("27.50"), Decimal("4.00"))
    assert standard.insurer_pays == Decimal("23.50")
    assert standard.patient_pays == Decimal("26.50")  # 22.50 of tariff + the franchise
    ald = reimbursement(50, "ALD", 45, 0, tariffs=TARIFFS)
    assert (ald.share, ald.franchise, ald.insurer_pays) == (
        Decimal("50.00"),
        Decimal("4.00"),
        Decimal("46.00"),
    )


@pytest.mark.parametrize(
    ("start", "holiday", "expected"),
    [
        (at(2026, 1, 5, 8, 0), False, "15.26"),  # night ends at 08:00
        (at(2026, 1, 5, 19, 59), False, "15.26"),
        (at(2026, 1, 5, 20, 0), False, "22.89"),  # 15.26 × 1.5
        (at(2026, 1, 6, 7, 59), False, "22.89"),
        (at(2026, 1, 10, 11, 59), False, "15.26"),  # Saturday morning
        (at(2026, 1, 10, 12, 0), False, "22.89"),  # Saturday from noon
        (at(2026, 1, 11, 10, 0), False, "22.89"),  # Sunday
        (at(2026, 1, 11, 22, 0), False, "22.89"),  # Sunday night: one surcharge only
        (at(2026, 5, 1, 10, 0), True, "22.89"),  # 1 May, a Friday
    ],
)
def test_taxi_night_weekend_and_holiday_take_half_more(
    start: datetime, holiday: bool, expected: str
) -> None:
    """Night 20:00–08:00, Saturday from noon, Sunday, holiday: +50 % on the base, never twice."""
    assert price(replace(AIN, start=start, public_holiday=holiday)) == Decimal(expected)


@pytest.mark.parametrize(
    ("trip", "start", "expected"),
    [
        (VSL, MONDAY, "34.45"),
        (VSL, at(2026, 1, 5, 21, 0), "51.68"),  # night +50 %
        (VSL, at(2026, 1, 11, 10, 0), "43.06"),  # Sunday +25 %
        (VSL, at(2026, 1, 11, 21, 0), "51.68"),  # Sunday night: the higher one
        (VSL, at(2026, 1, 10, 15, 0), "34.45"),  # no Saturday rate for a VSL
        (AMBULANCE, MONDAY, "98.87"),
        (AMBULANCE, at(2026, 1, 5, 6, 0), "173.02"),  # night +75 %
        (AMBULANCE, at(2026, 1, 11, 10, 0), "148.31"),  # Sunday +50 %
    ],
)
def test_vsl_and_ambulance_night_and_sunday_rates(
    trip: BilledTrip, start: datetime, expected: str
) -> None:
    """VSL night +50 %, Sunday +25 %; ambulance night +75 %, Sunday +50 % (rounded half up)."""
    assert price(replace(trip, start=start)) == Decimal(expected)


@pytest.mark.parametrize(
    ("km", "expected"),
    [
        (5, "26.49"),  # 15.75 + 2 × 1.10 + 8.54
        (7, "28.69"),  # 8.54 up to 7 km
        (12, "30.72"),  # 15.75 + 9.90 + (8.54 − 5 × 7.63 / 11)
        (18, "33.16"),  # 0.91 at 18 km
        (19, "33.35"),  # none past 18 km: 15.75 + 16 × 1.10
    ],
)
def test_vsl_short_trip_top_up_decreases_to_18_km(km: float, expected: str) -> None:
    """The top-up runs from 8.54 € (≤ 7 km) to 0.91 € (18 km) in equal steps, then stops."""
    assert price(replace(VSL, km=km)) == Decimal(expected)


def test_big_city_supplement_for_lille_and_the_inner_paris_departements() -> None:
    """+15 € when either end is in a listed city or in 92–94; none for a ride inside one city."""
    roubaix_lille = replace(
        AIN, km=10, departement="59", pickup_commune="Roubaix", dropoff_commune="Lille"
    )
    assert price(roubaix_lille) == Decimal("35.20")  # 13 + 15 + 6 × 1.20
    assert price(replace(roubaix_lille, dropoff_commune="LILLE CEDEX")) == Decimal("35.20")
    assert price(replace(roubaix_lille, dropoff_commune="Tourcoing")) == Decimal("20.20")
    assert price(replace(roubaix_lille, pickup_commune="Lille")) == Decimal("20.20")
    in_paris = replace(roubaix_lille, departement="75", pickup_commune="Paris 15e Arrondissement")
    assert price(replace(in_paris, dropoff_commune="Boulogne-Billancourt")) == Decimal("35.32")
    nanterre = replace(in_paris, departement="92", pickup_commune="Nanterre")
    within_92 = trip_price(replace(nanterre, dropoff_commune="Rueil-Malmaison"), TARIFFS)
    assert within_92.amount == Decimal("35.02")
    assert within_92.lines[1].label == "Supplément grande ville (département 92)"
    assert price(
        replace(nanterre, departement="95", dropoff_departement="93", dropoff_commune="Bobigny")
    ) == Decimal("35.02")


def test_wheelchair_supplement_is_added_after_the_discount_and_the_night_rate() -> None:
    """TPMR +30 € is neither discounted nor raised: 15.26 × 0.77 + 30, 15.26 × 1.5 + 30."""
    shared = replace(AIN, wheelchair=True, patients_sharing=2)
    assert price(shared) == Decimal("41.75")
    night = replace(AIN, wheelchair=True, start=at(2026, 1, 5, 22, 0))
    assert price(night) == Decimal("52.89")
    assert price(replace(AIN, overseas=True)) == Decimal("18.26")


def test_tolls_are_split_between_the_patients_after_the_discount() -> None:
    """Each shared patient's invoice carries half the tolls, undiscounted."""
    assert price(replace(AIN, tolls=7.0)) == Decimal("22.26")
    assert price(replace(AIN, tolls=7.0, patients_sharing=2)) == Decimal("15.25")


def test_return_empty_raises_the_km_part_by_half_from_50_km() -> None:
    """+25 % of the km part under 50 km, +50 % from 50 km; the pickup fee is not raised."""
    rhone = replace(AIN, departement="69", return_empty_after_care=True)
    assert price(replace(rhone, km=49)) == Decimal("73.19")  # 13 + 45 × 1.07 × 1.25
    assert price(replace(rhone, km=60)) == Decimal("102.88")  # 13 + 56 × 1.07 × 1.5


def test_an_unlisted_departement_is_billed_at_the_default_rate_and_flagged() -> None:
    """A département missing from the table uses the default rate, and the price says so."""
    result = trip_price(replace(AIN, departement="22"), TARIFFS)
    assert result.amount == Decimal("15.34")  # 13 + 2 × 1.17
    assert "tarif par défaut" in result.lines[1].label and result.unverified
    assert not trip_price(replace(AIN, km=3), TARIFFS).unverified


@pytest.mark.parametrize(
    ("patients", "sefi", "expected"),
    [
        (2, False, "25.84"),  # 34.45 × 0.75
        (3, False, "20.67"),  # × 0.60
        (2, True, "29.28"),  # × 0.85
        (3, True, "23.08"),  # × 0.67
    ],
)
def test_shared_vsl_discounts_with_and_without_sefi(
    patients: int, sefi: bool, expected: str
) -> None:
    """Shared VSL: −25 % / −40 %, or −15 % / −33 % for SEFi-geolocated companies."""
    trip = replace(VSL, patients_sharing=patients, sefi_geolocated=sefi)
    assert price(trip) == Decimal(expected)


def test_shared_taxi_discounts_up_to_four_patients() -> None:
    """Taxi: −23 %, −35 %, −37 %; a fifth patient has no scale and is refused."""
    prices = [price(replace(AIN, patients_sharing=n)) for n in (2, 3, 4)]
    assert prices == [Decimal("11.75"), Decimal("9.92"), Decimal("9.61")]
    with pytest.raises(CostError, match="5 patients"):
        price(replace(AIN, patients_sharing=5))
    with pytest.raises(CostError, match="4 patients"):
        price(replace(VSL, patients_sharing=4))


def test_non_certified_companies_lose_13_percent_from_october_2025() -> None:
    """VSL of a non-certified company: −13 % on the base, from 1 Oct 2025; taxis unaffected."""
    assert price(replace(VSL, certified=False)) == Decimal("29.97")  # 34.45 × 0.87
    before = replace(VSL, certified=False, start=at(2025, 9, 30, 10, 0))
    assert price(before) == Decimal("34.45")
    assert price(replace(AMBULANCE, certified=False)) == Decimal("86.02")  # 98.87 × 0.87
    assert price(replace(AIN, certified=False)) == Decimal("15.26")


def test_an_ambulance_is_never_shared() -> None:
    """Pricing a shared ambulance ride is refused with the reason, SEFi or not."""
    for sefi in (False, True):
        with pytest.raises(CostError, match="AMBULANCE : ce mode n'est jamais partagé"):
            price(replace(AMBULANCE, patients_sharing=2, sefi_geolocated=sefi))


def test_franchise_is_capped_at_8_euros_a_day() -> None:
    """4 € per trip until 8 € are withheld that day; never more than the share itself."""
    withheld = [reimbursement(30, "STANDARD", 50, n, tariffs=TARIFFS).franchise for n in range(4)]
    assert withheld == [Decimal("4.00"), Decimal("4.00"), Decimal(0), Decimal(0)]
    small = reimbursement(5, "STANDARD", 50, 0, tariffs=TARIFFS)
    assert (small.share, small.franchise, small.insurer_pays) == (
        Decimal("2.75"),
        Decimal("2.75"),
        Decimal(0),
    )


@pytest.mark.parametrize(
    ("coverage", "age", "emergency"),
    [
        ("C2S", 40, False),
        ("AME", 40, False),
        ("MATERNITY", 30, False),
        ("NEWBORN", 0, False),
        ("STANDARD", 17, False),
        ("STANDARD", 40, True),
    ],
)
def test_franchise_exemptions(coverage: str, age: int, emergency: bool) -> None:
    """No franchise for C2S, AME, maternity, newborns, minors and emergencies."""
    paid = reimbursement(50, coverage, age, 0, emergency, tariffs=TARIFFS)
    assert paid.franchise == 0 and paid.insurer_pays == paid.share
    assert reimbursement(50, "STANDARD", 18, 0, tariffs=TARIFFS).franchise == Decimal("4.00")


def test_every_coverage_but_standard_is_paid_in_full() -> None:
    """55 % for the standard case, 100 % for every other coverage of models.enums."""
    assert {coverage.value for coverage in Coverage} == COVERAGES
    assert {mode.value for mode in TransportMode} == set(MODES)
    rates = {c: reimbursement(40, c, 40, 2, tariffs=TARIFFS).share for c in COVERAGES}
    assert rates.pop("STANDARD") == Decimal("22.00")
    assert set(rates.values()) == {Decimal("40.00")}


def test_plan_cost_adds_up_the_insurer_and_each_carrier() -> None:
    """Insurer share, franchise and net over a plan; revenue and trip count per carrier."""
    plan = [
        ("A", AIN, "STANDARD", 50),  # 15.26: share 8.39, franchise 4
        ("B", VSL, "ALD", 70),  # 34.45: share 34.45, franchise 4
        ("A", VSL, "C2S", 10),  # 34.45: share 34.45, exempt
    ]
    cost = plan_cost(plan, TARIFFS)
    assert cost.billed == Decimal("84.16")
    assert (cost.insurer_share, cost.franchise) == (Decimal("77.29"), Decimal("8.00"))
    assert cost.insurer_pays == Decimal("69.29")
    assert cost.revenue == {"A": Decimal("49.71"), "B": Decimal("34.45")}
    assert cost.trips == {"A": 2, "B": 1}
    assert cost.unverified  # km rates and VSL amounts are third-party figures


def test_impossible_trips_and_coverages_are_refused() -> None:
    """Negative km, no patient, an unknown mode or coverage: a clear error, not a price."""
    for changes, words in [
        ({"km": -1.0}, "distance"),
        ({"patients_sharing": 0}, "patients_sharing"),
        ({"mode": "BUS"}, "mode de transport inconnu"),
        ({"tolls": float("nan")}, "péages"),
    ]:
        with pytest.raises(CostError, match=words):
            replace(AIN, **changes)
    with pytest.raises(CostError, match="couverture inconnue"):
        reimbursement(50, "CMU", 40, 0, tariffs=TARIFFS)


@settings(max_examples=200, deadline=None)
@given(
    mode=st.sampled_from(["TAXI", "VSL"]),
    km=st.floats(min_value=0, max_value=300, allow_nan=False),
    hour=st.integers(0, 23),
    day=st.integers(5, 11),
    patients=st.integers(1, 3),
    flags=st.lists(st.booleans(), min_size=5, max_size=5),
    tolls=st.floats(min_value=0, max_value=50, allow_nan=False),
)
def test_price_lines_always_add_up_to_the_amount(
    mode: str, km: float, hour: int, day: int, patients: int, flags: list[bool], tolls: float
) -> None:
    """Whatever the trip, the invoice lines sum to the rounded amount, which is positive."""
    trip = replace(
        AIN,
        mode=mode,
        km=km,
        start=at(2026, 1, day, hour, 0),
        patients_sharing=patients,
        wheelchair=flags[0],
        return_empty_after_care=flags[1],
        sefi_geolocated=flags[2],
        certified=flags[3],
        public_holiday=flags[4],
        tolls=tolls,
    )
    result = trip_price(trip, TARIFFS)
    assert sum(line.amount for line in result.lines) == result.amount > 0
    assert result.amount == result.amount.quantize(Decimal("0.01"))


def test_shipped_tariffs_carry_their_sources_and_doubts() -> None:
    """Every section has a source; third-party and ⚠ values are marked unverified."""
    shipped = load_tariff_sets()[0]
    assert shipped.valid_from == date(2025, 11, 1) and shipped.source.unverified
    assert shipped.taxi.km_rates_source.unverified
    assert shipped.vsl.source.unverified and shipped.vsl.short_trip.source.unverified
    assert shipped.ambulance.short_trip.source.unverified
    assert not shipped.vsl.sharing.source.unverified  # avenant 11: official
    assert shipped.taxi.big_city.communes >= {"Lille", "Marseille", "Paris"}
    assert shipped.taxi.big_city.departements == {"92", "93", "94"}
    assert shipped.reimbursement.franchise_yearly_cap == Decimal(50)


def _folder(tmp_path: Path, text: str, name: str = "2026-01-01.toml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_tariffs_on_picks_the_version_in_force(tmp_path: Path) -> None:
    """A newer dated file takes over from its date; days before any version get the oldest."""
    newer = SHIPPED.replace("valid_from = 2025-11-01", "valid_from = 2026-06-01")
    newer = newer.replace("pickup_fee = 13.00", "pickup_fee = 14.00")
    folder = _folder(_folder(tmp_path, SHIPPED, SHIPPED_NAME), newer, "2026-06-01.toml")
    sets = load_tariff_sets(folder)
    assert [s.valid_from for s in sets] == [date(2025, 11, 1), date(2026, 6, 1)]
    assert tariffs_on(date(2026, 5, 31), sets).taxi.pickup_fee == Decimal("13.00")
    assert tariffs_on(date(2026, 6, 1), sets).taxi.pickup_fee == Decimal("14.00")
    assert tariffs_on(date(2024, 1, 1), sets).valid_from == date(2025, 11, 1)
    assert trip_price(AIN, tariffs_on(date(2026, 7, 1), sets)).amount == Decimal("16.26")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("pickup_fee = 13.00", 'pickup_fee = "treize"'), "clé taxi.pickup_fee invalide"),
        (("overseas_supplement = 3.00\n", ""), "clé taxi.overseas_supplement manquante"),
        (
            ("night_surcharge = 0.75", "night_surcharge = 0.75\nnigth_surcharge = 0.75"),
            "clé ambulance.nigth_surcharge inconnue",
        ),
        (('"2" = 0.23', '"2" = 23'), "clé taxi_sharing.discounts.2 invalide"),
        (("ALD = 1.0, ", ""), "clé reimbursement.rates.ALD manquante"),
        (('"59" = 1.20', '"Nord" = 1.20'), "clé taxi_km_rates.by_departement.Nord"),
        (("[18, 0.91]]", "[18, 0.91], [9, 0.5]]"), "clé vsl_short_trip.points invalide"),
        (("[franchise]", "[franchize]"), "section inconnue franchize"),
        (("[taxi]", "[taxi"), "TOML illisible"),
    ],
)
def test_a_broken_tariff_file_is_refused_by_name(
    tmp_path: Path, change: tuple[str, str], words: str
) -> None:
    """A typo in a tariff must stop loading with the file and key, not price rides wrongly."""
    assert change[0] in SHIPPED
    folder = _folder(tmp_path, SHIPPED.replace(change[0], change[1], 1))
    with pytest.raises(TariffError, match=words) as caught:
        load_tariff_sets(folder)
    assert "2026-01-01.toml" in str(caught.value)


def test_two_files_with_the_same_date_are_refused(tmp_path: Path) -> None:
    """Two versions in force from the same day would make the price depend on file order."""
    folder = _folder(_folder(tmp_path, SHIPPED, SHIPPED_NAME), SHIPPED, "copy.toml")
    with pytest.raises(TariffError, match="même date d'effet"):
        load_tariff_sets(folder)
