"""French registry numbers: SIRET (14 digits) and FINESS (9 characters) end with a Luhn key."""


def luhn_valid(number: str) -> bool:
    """True when the digit string passes the Luhn check (its last digit is the key)."""
    if not number.isdigit():
        return False
    return _luhn_sum(number) % 10 == 0


def with_luhn_key(prefix: str) -> str:
    """Complete a digit string with the Luhn key that makes it valid."""
    if not prefix.isdigit():
        raise ValueError(f"{prefix!r} is not a digit string")
    key = (10 - _luhn_sum(prefix + "0") % 10) % 10
    return prefix + str(key)


def _luhn_sum(number: str) -> int:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total
