"""French public holidays (jours fériés), the days a ride takes the holiday surcharge.

The tariffs raise a ride on a "jour férié", which is the law's list, not an employer's days off:
Code du travail, article L3133-1 — 1 January, Easter Monday, 1 May, 8 May, Ascension Thursday,
Whit Monday, 14 July, 15 August, 1 November, 11 November and 25 December. Whit Monday stays on
it even where it is worked as the "journée de solidarité" (article L3133-7). In Moselle,
Bas-Rhin and Haut-Rhin (57, 67, 68), local law adds Good Friday and 26 December (article
L3134-13; Good Friday in communes with a Protestant or mixed church, which Régul takes as the
whole of the three départements). Easter is the Gregorian one, by the anonymous algorithm
(Meeus, *Astronomical Algorithms*, chapter 8). The overseas days commemorating the abolition of
slavery are not in this list.
"""

from datetime import date, timedelta

ALSACE_MOSELLE = frozenset({"57", "67", "68"})

# Code du travail L3133-1: (month, day) of the holidays that do not move with Easter.
_FIXED: tuple[tuple[int, int], ...] = (
    (1, 1),
    (5, 1),
    (5, 8),
    (7, 14),
    (8, 15),
    (11, 1),
    (11, 11),
    (12, 25),
)
# Days after Easter Sunday: Easter Monday, Ascension Thursday, Whit Monday.
_AFTER_EASTER: tuple[int, ...] = (1, 39, 50)
_ALSACE_MOSELLE_FIXED = ((12, 26),)  # Saint-Étienne
_ALSACE_MOSELLE_AFTER_EASTER = (-2,)  # Good Friday


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (anonymous algorithm, valid from 1583)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century - (century + 8) // 25 + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    to_sunday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * to_sunday) // 451
    month, day = divmod(epact + to_sunday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int, departement: str | None = None) -> frozenset[date]:
    """The public holidays of ``year`` in ``departement`` (INSEE code; None: the national ones)."""
    fixed, after_easter = _FIXED, _AFTER_EASTER
    if departement is not None and departement.strip() in ALSACE_MOSELLE:
        fixed += _ALSACE_MOSELLE_FIXED
        after_easter += _ALSACE_MOSELLE_AFTER_EASTER
    easter = easter_sunday(year)
    return frozenset(
        [date(year, month, day) for month, day in fixed]
        + [easter + timedelta(days=offset) for offset in after_easter]
    )


def is_public_holiday(day: date, departement: str | None = None) -> bool:
    return day in public_holidays(day.year, departement)
