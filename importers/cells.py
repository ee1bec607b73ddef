"""Parsing one spreadsheet cell into a typed value, forgiving where the meaning is clear.

Each parser takes what openpyxl or the CSV reader gives (str, int, float, datetime, date, time,
None) and returns a value or None for an empty cell; anything it cannot read raises
:class:`CellError` with a message for the regulator.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, TypeVar

from importers.errors import CellError
from importers.folding import fold
from models.timezone import now

EnumT = TypeVar("EnumT", bound=Enum)

_EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - a calendar origin, not an instant
_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d.*)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_WORDED_DATE = re.compile(r"^(?:[a-z]+ )?(\d{1,2}) ([a-z]+) (\d{4})$")
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:hH]\s*(\d{2})?)(?:\s*:\s*(\d{2}))?\s*(?:min)?$")
_COMPACT_TIME = re.compile(r"^(\d{2})(\d{2})$")
PHONE_MAX = 30
_TRUE = {"oui", "o", "x", "yes", "y", "1", "vrai", "true", "v"}
_FALSE = {"non", "n", "no", "0", "faux", "false", "f"}


def text(value: Any) -> str | None:
    """Trimmed text, None when blank; numbers keep no spurious '.0'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    cleaned = " ".join(str(value).split())
    return cleaned or None


def is_blank(value: Any) -> bool:
    return text(value) is None


def parse_date(value: Any) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 < value < 80_000:  # an Excel serial date that lost its format
            return (_EXCEL_EPOCH + timedelta(days=int(value))).date()
        raise CellError(f"date illisible « {text(value)} » (attendu JJ/MM/AAAA)")
    raw = text(value) or ""
    folded = fold(raw)
    try:
        if match := _NUMERIC_DATE.match(raw):
            day, month, year = (int(part) for part in match.groups())
            return date(_full_year(year) if year < 100 else year, month, day)
        if match := _ISO_DATE.match(raw):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
        if (match := _WORDED_DATE.match(folded)) and match.group(2) in _MONTHS:
            return date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
    except ValueError as exc:
        raise CellError(f"date impossible « {raw} »") from exc
    raise CellError(f"date illisible « {raw} » (attendu JJ/MM/AAAA)")


def _full_year(two_digits: int) -> int:
    """'26' is 2026 but '56' (a birth year) is 1956: no date here lies years ahead."""
    return 2000 + two_digits if 2000 + two_digits <= now().year + 1 else 1900 + two_digits


def parse_time(value: Any) -> time | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, timedelta):
        value = value.total_seconds() / 86_400
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 < value < 80_000:  # an Excel date-time that lost its format: keep the time
            value = value % 1
        if 0 <= value < 1:  # Excel stores a time as a fraction of a day
            minutes = round(value * 24 * 60)
            return time(minutes // 60 % 24, minutes % 60)
        raise CellError(f"heure illisible « {text(value)} » (attendu HH:MM ou 8h30)")
    raw = text(value) or ""
    match = _TIME.match(raw) or _COMPACT_TIME.match(raw)
    if match is None:
        raise CellError(f"heure illisible « {raw} » (attendu HH:MM ou 8h30)")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise CellError(f"heure impossible « {raw} »")
    return time(hour, minute)


def parse_bool(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    folded = fold(text(value) or "")
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(f"« {text(value)} » n'est ni oui ni non")


def parse_float(value: Any, label: str) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raw = (text(value) or "").replace(",", ".").replace(" ", "")
    try:
        return float(raw)
    except ValueError as exc:
        raise CellError(f"{label} illisible « {text(value)} » (attendu un nombre)") from exc


def parse_int(value: Any, label: str) -> int | None:
    number = parse_float(value, label)
    if number is None:
        return None
    if not number.is_integer() or number < 0:
        raise CellError(f"{label} : « {text(value)} » n'est pas un nombre entier positif")
    return int(number)


def parse_postcode(value: Any) -> str | None:
    """Five digits; Excel drops the leading zero of 01000–09999, so four digits are padded."""
    raw = text(value)
    if raw is None:
        return None
    digits = raw.replace(" ", "")
    if digits.isdigit() and len(digits) == 4:
        digits = "0" + digits
    if not (digits.isdigit() and len(digits) == 5):
        raise CellError(f"code postal invalide « {raw} » (5 chiffres attendus)")
    return digits


def parse_phone(value: Any) -> str | None:
    """French numbers as '06 12 34 56 78'; other forms are kept as written."""
    raw = text(value)
    if raw is None:
        return None
    digits = re.sub(r"\D", "", raw.replace("(0)", ""))
    if digits.startswith("0033"):
        digits = digits[2:]
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 9 and not digits.startswith("0"):  # Excel dropped the leading zero
        digits = "0" + digits
    if len(digits) == 10 and digits.startswith("0"):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if len(raw) > PHONE_MAX:
        raise CellError(f"numéro de téléphone illisible « {raw[:40]}… »")
    return raw


def parse_choice(value: Any, synonyms: Mapping[str, EnumT], label: str) -> EnumT | None:
    """A closed vocabulary given by folded synonyms ('Allongé', 'ALLONGE', 'allongé ' → LYING)."""
    raw = text(value)
    if raw is None:
        return None
    folded = fold(raw)
    if folded in synonyms:
        return synonyms[folded]
    # The first synonym listed for each choice is its usual French name.
    names: dict[EnumT, str] = {}
    for synonym, choice in synonyms.items():
        names.setdefault(choice, synonym)
    raise CellError(f"{label} inconnu « {raw} » (attendu : {', '.join(names.values())})")
