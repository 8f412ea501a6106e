"""Resource ids in Astro's shape: 'c' + 24 characters of [0-9a-z] (CUID v1 layout).

Eight characters of millisecond timestamp come first, so ids sort roughly by creation time and
work as a stable tie-break; the remaining sixteen are random.
"""

import re
import secrets
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]  # two digits per division
ID_PATTERN = re.compile(r"^c[0-9a-z]{24}$")
_HALF = 36 ** 8
# 12 random bytes per id: 2**96 spread over 36**16 values leaves a bias below 1e-4, and one read
# of the system's randomness serves a whole batch (a bulk create of 1,000 rows)
_RANDOM_BYTES = 12


def _base36_8(number: int) -> str:
    """`number` (< 36**8) as eight base-36 digits."""
    number, d4 = divmod(number, 1296)
    number, d3 = divmod(number, 1296)
    d1, d2 = divmod(number, 1296)
    return _PAIRS[d1] + _PAIRS[d2] + _PAIRS[d3] + _PAIRS[d4]


def new_ids(count: int) -> list[str]:
    prefix = "c" + _base36_8(int(time.time() * 1000) % _HALF)
    randomness = secrets.token_bytes(_RANDOM_BYTES * count)
    ids = []
    for start in range(0, len(randomness), _RANDOM_BYTES):
        high, low = divmod(int.from_bytes(randomness[start:start + _RANDOM_BYTES]) % (_HALF * _HALF), _HALF)
        ids.append(prefix + _base36_8(high) + _base36_8(low))
    return ids


def new_id() -> str:
    return new_ids(1)[0]


def is_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))
