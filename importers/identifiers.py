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


# La Poste's establishments are numbered outside the Luhn rule: their digits sum to a multiple of 5.
_LA_POSTE_SIREN = "356000000"
_LA_POSTE_HEAD_OFFICE = "35600000000048"  # the one La Poste SIRET that keeps the Luhn key (INSEE)


def siret_valid(siret: str) -> bool:
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(_LA_POSTE_SIREN) and siret != _LA_POSTE_HEAD_OFFICE:
        return sum(int(d) for d in siret) % 5 == 0
    return luhn_valid(siret)


def finess_valid(finess: str) -> bool:
    """Nine characters; Corsica's 2A/2B numbers carry no checkable key, others end with Luhn."""
    if len(finess) != 9:
        return False
    if finess[:2] in ("2A", "2B"):
        return finess[2:].isdigit()
    return luhn_valid(finess)
