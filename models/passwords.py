"""Password hashes for a local database: scrypt, with a random salt per user.

The stored string carries its own parameters (``scrypt$n$r$p$salt$hash``, salt and hash in
base64), so the cost can be raised later without making older hashes unreadable. On a shared
PostgreSQL server Régul stores no hash at all: the server keeps each role's password itself.
"""

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
# RFC 7914's interactive-login figures raised to n = 2^15: about 32 MiB and a tenth of a second.
COST = 2**15
BLOCK_SIZE = 8
PARALLELISM = 1
_SALT_BYTES = 16
_HASH_BYTES = 32
# Refuse a stored cost that would make checking it exhaust the desk's memory.
_MAX_MEMORY = 256 * 1024 * 1024


def hash_password(password: str) -> str:
    """A new hash of ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, COST, BLOCK_SIZE, PARALLELISM)
    return "$".join(
        (SCHEME, str(COST), str(BLOCK_SIZE), str(PARALLELISM), _b64(salt), _b64(digest))
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``; a malformed hash matches nothing."""
    try:
        scheme, cost, block_size, parallelism, salt, digest = stored.split("$")
        n, r, p = int(cost), int(block_size), int(parallelism)
        expected = base64.b64decode(digest, validate=True)
        salt_bytes = base64.b64decode(salt, validate=True)
    except ValueError:
        return False
    if scheme != SCHEME or not _sane(n, r, p) or not expected:
        return False
    actual = _scrypt(password, salt_bytes, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected)


def _sane(n: int, r: int, p: int) -> bool:
    power_of_two = n > 1 and n & (n - 1) == 0
    memory = 128 * r * (n + p)  # scrypt's working set, in bytes
    return power_of_two and 1 <= r <= 32 and 1 <= p <= 16 and memory < _MAX_MEMORY // 2


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = _HASH_BYTES) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=length
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
