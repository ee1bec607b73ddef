"""Luhn keys of SIRET and FINESS numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.identifiers import luhn_valid, with_luhn_key


@pytest.mark.parametrize("number", ["73282932000074", "79927398713"])
def test_known_valid_numbers(number: str) -> None:
    """Published example numbers pass."""
    assert luhn_valid(number)


@pytest.mark.parametrize("number", ["73282932000075", "79927398710", "", "7328293200007A"])
def test_wrong_key_or_not_digits_fails(number: str) -> None:
    """A changed key digit or a non-digit fails."""
    assert not luhn_valid(number)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_completed_numbers_are_valid_and_any_single_digit_change_breaks_them(prefix: str) -> None:
    """with_luhn_key makes a valid number; changing one digit invalidates it."""
    number = with_luhn_key(prefix)
    assert luhn_valid(number)
    first = int(number[0])
    altered = str((first + 1) % 10) + number[1:]
    assert not luhn_valid(altered)
