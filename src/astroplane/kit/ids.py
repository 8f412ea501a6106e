"""Resource ids in Astro's shape: 'c' + 24 characters of [0-9a-z] (CUID v1 layout).

Eight characters of millisecond timestamp come first, so ids sort roughly by creation time and
work as a stable tie-break; the remaining sixteen are random.
"""

import re
import secrets
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
ID_PATTERN = re.compile(r"^c[0-9a-z]{24}$")
_RANDOM_SPACE = 36 ** 16  # one draw per id: a bulk create of 1,000 rows spends no time here


def _base36(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 36)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def new_id() -> str:
    stamp = _base36(int(time.time() * 1000), 8)
    return f"c{stamp}{_base36(secrets.randbelow(_RANDOM_SPACE), 16)}"


def is_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))
