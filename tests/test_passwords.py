"""Password hashes: scrypt with a salt per hash, parameters read back from the stored string."""

import base64
import hashlib
import time

import pytest

from models.passwords import BLOCK_SIZE, COST, PARALLELISM, hash_password, verify_password

PASSWORD = "cheval correct agrafe"


def test_the_right_password_verifies_and_a_wrong_one_does_not() -> None:
    """A hash accepts its own password only, down to one character and its case."""
    stored = hash_password(PASSWORD)
    assert verify_password(PASSWORD, stored)
    for wrong in ("cheval correct agrafE", "cheval correct agraf", "", PASSWORD + " "):
        assert not verify_password(wrong, stored)


def test_the_hash_names_its_scheme_and_parameters_and_never_holds_the_password() -> None:
    """The stored string reads scrypt$n$r$p$salt$hash, with a 16-byte salt and 32-byte hash."""
    stored = hash_password(PASSWORD)
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", COST, BLOCK_SIZE, PARALLELISM)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert PASSWORD not in stored and PASSWORD.encode().hex() not in stored


def test_each_hash_has_its_own_salt() -> None:
    """Two hashes of the same password differ, and each verifies it."""
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)


def test_older_parameters_in_the_stored_string_are_honoured() -> None:
    """A hash made with other scrypt parameters verifies with those, not today's."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**10, r=4, p=2, dklen=24)
    stored = "$".join(
        [
            "scrypt",
            "1024",
            "4",
            "2",
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD, stored.replace("$1024$", "$2048$"))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain text",
        "bcrypt$12$8$1$AAAA$AAAA",
        "scrypt$not-a-number$8$1$AAAA$AAAA",
        "scrypt$32768$8$1$%%%%$AAAA",
        "scrypt$32768$8$1$AAAA$",
        "scrypt$1000$8$1$AAAA$AAAA",  # cost not a power of two
        "scrypt$1073741824$32$16$AAAA$AAAA",  # would need terabytes to check
        "scrypt$placeholder-hash-for-test",
    ],
)
def test_a_malformed_or_hostile_hash_matches_nothing(stored: str) -> None:
    """Unreadable hashes, foreign schemes and absurd costs are refused at once, not raised."""
    started = time.perf_counter()
    assert not verify_password(PASSWORD, stored)
    assert time.perf_counter() - started < 1.0
