"""Cell parsers of the import: dates, times, yes/no, postcodes, phones and closed vocabularies."""

from datetime import date, datetime, time
from enum import Enum
from typing import Any

import pytest

from importers.cells import (
    parse_bool,
    parse_choice,
    parse_date,
    parse_phone,
    parse_postcode,
    parse_time,
)
from importers.errors import CellError
from importers.folding import fold, fold_compact
from importers.vocabulary import CARE_TYPES, MOBILITIES, MODES
from models.enums import CareType, Mobility, TransportMode

# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 11, 24, 8, 30), date(2026, 11, 24)),  # noqa: DTZ001 - what openpyxl gives
        (date(2026, 11, 24), date(2026, 11, 24)),
        (46350, date(2026, 11, 24)),
        (46350.0, date(2026, 11, 24)),
        ("24/11/2026", date(2026, 11, 24)),
        ("24.11.26", date(2026, 11, 24)),
        ("24-11-2026", date(2026, 11, 24)),
        ("2026-11-24", date(2026, 11, 24)),
        ("2026-11-24T08:30:00", date(2026, 11, 24)),
        ("  24/11/2026 ", date(2026, 11, 24)),
        ("4/3/2026", date(2026, 3, 4)),
        ("24 novembre 2026", date(2026, 11, 24)),
        ("lundi 24 novembre 2026", date(2026, 11, 24)),
        ("Mardi 1 Février 2026", date(2026, 2, 1)),
        ("15 août 2026", date(2026, 8, 15)),
    ],
)
def test_parse_date_accepts_the_forms_hospitals_write(value: Any, expected: date) -> None:
    """Every common spelling of a transport date reads as the same calendar day."""
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24/11/26", date(2026, 11, 24)),
        ("01/01/27", date(2027, 1, 1)),
        ("06/12/56", date(1956, 12, 6)),
        ("15/03/99", date(1999, 3, 15)),
    ],
)
def test_two_digit_years_pick_the_century_that_is_not_in_the_future(
    value: str, expected: date
) -> None:
    """'26' is this transport year but '56' is a birth year: no date lies decades ahead."""
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_blank_is_none(value: Any) -> None:
    """A blank cell is a missing value, not an error."""
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["31/02/2026", "29/02/2027", "2026-13-01", "32 mars 2026"])
def test_impossible_date_is_reported_as_impossible(value: str) -> None:
    """A well-formed but non-existent day is told apart from an unreadable cell."""
    with pytest.raises(CellError, match="date impossible") as caught:
        parse_date(value)
    assert value in str(caught.value)


@pytest.mark.parametrize("value", ["demain", "24/11", "24 brumaire 2026", "2026/11", 12, True])
def test_garbage_date_is_reported_as_unreadable(value: Any) -> None:
    """Text that is no date at all (or a number that is no Excel serial) is refused."""
    with pytest.raises(CellError, match="date illisible"):
        parse_date(value)


@pytest.mark.parametrize("value", ["24/11/2026 08:30", "24/11/2026 08:30:00"])
def test_parse_date_french_date_followed_by_a_time(value: str) -> None:
    """CSV exports of a date-time cell write '24/11/2026 08:30'; the day is plain to read."""
    assert parse_date(value) == date(2026, 11, 24)


# --- times -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("08:30", time(8, 30)),
        ("8:30", time(8, 30)),
        ("8h30", time(8, 30)),
        ("8h", time(8, 0)),
        ("8H30", time(8, 30)),
        ("8 h 30", time(8, 30)),
        ("14h05", time(14, 5)),
        ("0830", time(8, 30)),
        ("08:30:00", time(8, 30)),
        ("23:59", time(23, 59)),
        (time(8, 30, 45), time(8, 30)),
        (0.354166, time(8, 30)),
        (0.5, time(12, 0)),
        (0.0, time(0, 0)),
        (datetime(2026, 11, 24, 8, 30, 12), time(8, 30)),  # noqa: DTZ001 - what openpyxl gives
    ],
)
def test_parse_time_accepts_the_forms_hospitals_write(value: Any, expected: time) -> None:
    """Appointment times arrive as text, Excel fractions or datetimes; all read alike."""
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_time_blank_is_none(value: Any) -> None:
    """A blank time cell is missing, not an error."""
    assert parse_time(value) is None


@pytest.mark.parametrize("value", ["25h70", "24:00", "08:60", "9h75"])
def test_impossible_time_is_reported_as_impossible(value: str) -> None:
    """A readable but out-of-range clock reading is named impossible, not unreadable."""
    with pytest.raises(CellError, match="heure impossible"):
        parse_time(value)


@pytest.mark.parametrize("value", ["midi", "le matin", "8.30.15.1", 1.5, -0.2])
def test_garbage_time_is_reported_as_unreadable(value: Any) -> None:
    """Words and numbers that are no time of day are refused with the expected form."""
    with pytest.raises(CellError, match="heure illisible") as caught:
        parse_time(value)
    assert "HH:MM" in str(caught.value)


# --- yes / no ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Oui", True),
        ("oui ", True),
        ("OUI", True),
        ("O", True),
        ("X", True),
        ("x", True),
        ("TRUE", True),
        ("vrai", True),
        ("1", True),
        (1, True),
        (1.0, True),
        (True, True),
        ("Non", False),
        ("N", False),
        ("0", False),
        (0, False),
        ("faux", False),
        ("FALSE", False),
        (False, False),
    ],
)
def test_parse_bool_reads_french_and_spreadsheet_yes_no(value: Any, expected: bool) -> None:
    """Check-box columns use Oui/Non, O/N, X, 1/0 or TRUE/FALSE and must all be understood."""
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_bool_blank_is_none(value: Any) -> None:
    """A blank check-box cell is unknown, neither yes nor no."""
    assert parse_bool(value) is None


@pytest.mark.parametrize("value", ["peut-être", "2", "si besoin"])
def test_parse_bool_refuses_anything_else(value: str) -> None:
    """An answer that is neither yes nor no is an error, never a guess."""
    with pytest.raises(CellError, match="ni oui ni non"):
        parse_bool(value)


# --- postcodes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (59000, "59000"),
        (59000.0, "59000"),
        ("59000", "59000"),
        ("59 000", "59000"),
        (1000, "01000"),
        ("1000", "01000"),
        (None, None),
        ("", None),
    ],
)
def test_parse_postcode_normalises_to_five_digits(value: Any, expected: str | None) -> None:
    """Excel turns postcodes into numbers and drops leading zeros; both are repaired."""
    assert parse_postcode(value) == expected


@pytest.mark.parametrize("value", ["ABCDE", "590", "590000", "59-000"])
def test_parse_postcode_refuses_what_is_not_five_digits(value: str) -> None:
    """A postcode that is not five digits cannot locate anyone and must be reported."""
    with pytest.raises(CellError, match="code postal invalide"):
        parse_postcode(value)


# --- phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0612345678", "06 12 34 56 78"),
        (612345678, "06 12 34 56 78"),
        (612345678.0, "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("03-20-44-59-62", "03 20 44 59 62"),
        ("poste 4512", "poste 4512"),
        (None, None),
    ],
)
def test_parse_phone_formats_french_numbers(value: Any, expected: str | None) -> None:
    """Crews dial from the roadmap: French numbers are shown in one readable form."""
    assert parse_phone(value) == expected


@pytest.mark.parametrize("value", ["0033 6 12 34 56 78", "+33 (0)6 12 34 56 78"])
def test_parse_phone_other_international_spellings_of_french_numbers(value: str) -> None:
    """'0033' and '+33 (0)' are the same French mobile; crews need it in one readable form."""
    assert parse_phone(value) == "06 12 34 56 78"


# --- closed vocabularies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "synonyms", "expected"),
    [
        ("Allongé", MOBILITIES, Mobility.LYING),
        ("ALLONGEE", MOBILITIES, Mobility.LYING),
        (" allongé ", MOBILITIES, Mobility.LYING),
        ("Assis", MOBILITIES, Mobility.SEATED),
        ("Fauteuil roulant", MOBILITIES, Mobility.WHEELCHAIR),
        ("UFR", MOBILITIES, Mobility.WHEELCHAIR),
        ("V.S.L.", MODES, TransportMode.VSL),
        ("VSL", MODES, TransportMode.VSL),
        ("taxi conventionné", MODES, TransportMode.TAXI),
        ("Ambulance", MODES, TransportMode.AMBULANCE),
        ("Hémodialyse", CARE_TYPES, CareType.DIALYSIS),
        ("Chimio", CARE_TYPES, CareType.CHEMOTHERAPY),
        ("HDJ", CARE_TYPES, CareType.DAY_HOSPITAL),
        ("SMR", CARE_TYPES, CareType.REHABILITATION),
        ("Radiothérapie", CARE_TYPES, CareType.RADIOTHERAPY),
    ],
)
def test_parse_choice_reads_the_usual_words(
    value: str, synonyms: dict[str, Enum], expected: Enum
) -> None:
    """Modes, positions and care types are written many ways; each maps to one choice."""
    assert parse_choice(value, synonyms, "valeur") == expected


def test_parse_choice_blank_is_none() -> None:
    """A blank vocabulary cell is missing, not an error."""
    assert parse_choice("  ", MODES, "mode") is None


@pytest.mark.parametrize(
    ("synonyms", "label", "expected_words"),
    [
        (MODES, "mode", ["taxi", "vsl", "ambulance"]),
        (MOBILITIES, "position", ["assis", "allonge", "fauteuil roulant"]),
        (CARE_TYPES, "motif", ["dialyse", "chimiotherapie", "consultation"]),
    ],
)
def test_parse_choice_unknown_word_lists_what_is_expected(
    synonyms: dict[str, Enum], label: str, expected_words: list[str]
) -> None:
    """The regulator fixing the cell needs to see which words would have been understood."""
    with pytest.raises(CellError) as caught:
        parse_choice("Hélicoptère", synonyms, label)
    message = str(caught.value)
    assert message.startswith(f"{label} inconnu")
    assert "Hélicoptère" in message
    for word in expected_words:
        assert word in message


# --- folding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  N° de Dossier ", "n de dossier"),
        ("Allongé", "allonge"),
        ("Heure  de   RENDEZ-VOUS", "heure de rendez vous"),
        ("Villeneuve-d'Ascq", "villeneuve d ascq"),
        ("Marcq-en-Barœul", "marcq en baroeul"),
    ],
)
def test_fold_ignores_case_accents_punctuation_and_spacing(raw: str, expected: str) -> None:
    """Headers and words are compared folded, so typing habits never block a match."""
    assert fold(raw) == expected


def test_fold_expands_ligatures() -> None:
    """'Œ' has no combining accent to strip; it must still become 'oe'."""
    assert fold("Œdème").startswith("oedeme")
    assert fold("Cæcum") == "caecum"


def test_fold_compact_removes_spaces_too() -> None:
    """'Code postal' and 'CodePostal' are the same header."""
    assert fold_compact("Code postal") == fold_compact("CodePostal") == "codepostal"


def test_excel_date_time_number_gives_its_time() -> None:
    """A date-time cell that lost its format arrives as 46350.354…: its time is the fraction."""
    assert parse_time(46350.3541667) == time(8, 30)
