"""French public holidays: the law's list, Easter's moving days, Alsace-Moselle, and the price."""

from datetime import date

import pytest

from planning.holidays import easter_sunday, is_public_holiday, public_holidays
from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle
from planning.plan import Plan, Route, Stop, StopKind
from planning.plan_costs import plan_costs
from planning.rules import rules_on
from planning.travel import CrowFliesTravel

H = 3600


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, date(1818, 3, 22)),  # the earliest possible
        (1943, date(1943, 4, 25)),  # the latest possible
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday_by_the_anonymous_algorithm(year: int, easter: date) -> None:
    """Known Easter Sundays, including the two extremes of its range."""
    assert easter_sunday(year) == easter


def test_the_eleven_holidays_of_2026() -> None:
    """Code du travail L3133-1, with Easter Monday, Ascension and Whit Monday of 2026."""
    assert sorted(public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),  # lundi de Pâques
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # lundi de Pentecôte
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_adds_good_friday_and_saint_etienne(departement: str) -> None:
    """Good Friday 2026 (3 April) and 26 December, in 57, 67 and 68 only."""
    extras = public_holidays(2026, departement) - public_holidays(2026)
    assert extras == {date(2026, 4, 3), date(2026, 12, 26)}
    assert is_public_holiday(date(2026, 4, 3), departement)


@pytest.mark.parametrize("departement", ["75", "59", "2A", "971", "", None])
def test_elsewhere_good_friday_is_a_working_day(departement: str | None) -> None:
    """Paris, Nord, Corsica, overseas or unknown: only the national list."""
    assert not is_public_holiday(date(2026, 4, 3), departement)
    assert not is_public_holiday(date(2026, 12, 26), departement)
    assert public_holidays(2026, departement) == public_holidays(2026)


def _one_taxi_ride(day: date) -> tuple[Problem, Plan]:
    """A patient taken by taxi in the Nord at 10:00 (daytime), alone."""
    clinic, home, base = Point(50.633, 3.058), Point(50.70, 3.16), Point(50.69, 3.18)
    request = Request(
        "R1",
        "P1",
        Direction.OUTBOUND,
        home,
        clinic,
        Kind.TAXI,
        Load(seated=1),
        "DIALYSIS",
        True,
        appointment=11 * H,
        departement="59",
        pickup_commune="Roubaix",
        dropoff_commune="Lille",
        coverage="ALD",
    )
    taxi = Vehicle("AA-001-AA", "Taxis du Nord", Kind.TAXI, Load(4, 0, 1), base, 6 * H, 18 * H)
    route = Route(
        taxi.id,
        (
            Stop(StopKind.START, 9 * H + 1800),
            Stop(StopKind.PICKUP, 10 * H, "R1"),
            Stop(StopKind.DROPOFF, 10 * H + 1800, "R1"),
            Stop(StopKind.END, 11 * H),
        ),
    )
    return Problem(day, (request,), (taxi,), rules_on(day)), Plan((route,))


def test_a_plan_on_14_july_takes_the_holiday_surcharge() -> None:
    """Bastille Day (a Tuesday in 2026) costs half more than the Wednesday after it."""
    holiday, weekday = date(2026, 7, 14), date(2026, 7, 15)
    assert holiday.weekday() == 1 and weekday.weekday() == 2
    costs = {}
    for day in (holiday, weekday):
        problem, plan = _one_taxi_ride(day)
        costs[day] = plan_costs(problem, plan, CrowFliesTravel(problem.rules.roads))
    assert costs[holiday].billed_eur == pytest.approx(1.5 * costs[weekday].billed_eur, abs=0.01)
    assert costs[holiday].solo_billed_eur == pytest.approx(
        1.5 * costs[weekday].solo_billed_eur, abs=0.01
    )
    assert costs[weekday].billed_eur > 0
