"""Resource ids in Astro's shape: 'c' + 24 characters of [0-9a-z] (CUID v1 layout).

Eight characters of millisecond timestamp come first, so ids sort roughly by creation time and
work as a stable tie-break; the remaining sixteen are random. A test server started with
ASTROPLANE_ID_SEED binds a SeededIds source instead (through a context variable, like kit.time's
clock): the same sequence of calls then yields the same ids.
"""

import random
import re
import secrets
import threading
from contextlib import contextmanager
from contextvars import ContextVar

from astroplane.kit.time import epoch_seconds

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


def _from_randomness(prefixes, randomness: bytes) -> list[str]:
    ids = []
    for prefix, start in zip(prefixes, range(0, len(randomness), _RANDOM_BYTES), strict=True):
        high, low = divmod(int.from_bytes(randomness[start:start + _RANDOM_BYTES]) % (_HALF * _HALF), _HALF)
        ids.append(prefix + _base36_8(high) + _base36_8(low))
    return ids


class SeededIds:
    """Reproducible ids: a counter takes the timestamp's place (so ids still sort by creation) and a
    generator seeded with (seed, block) gives the rest. Each process that creates ids takes a block
    of its own from the database first (astroplane.controls), so processes never collide and a run
    that starts its processes in the same order gets the same ids."""

    BLOCK_SIZE = 10 ** 9

    def __init__(self, seed: int, block: int):
        self._random = random.Random(f"{seed}:{block}")
        self._next = block * self.BLOCK_SIZE
        self._lock = threading.Lock()

    def new_ids(self, count: int) -> list[str]:
        with self._lock:
            prefixes = ["c" + _base36_8((self._next + index) % _HALF) for index in range(count)]
            self._next += count
            return _from_randomness(prefixes, self._random.randbytes(_RANDOM_BYTES * count))


_SOURCE: ContextVar[SeededIds | None] = ContextVar("astroplane_ids", default=None)


def bind_ids(source: SeededIds | None):
    return _SOURCE.set(source)


def unbind_ids(token) -> None:
    _SOURCE.reset(token)


@contextmanager
def using_ids(source: SeededIds | None):
    token = bind_ids(source)
    try:
        yield
    finally:
        unbind_ids(token)


def new_ids(count: int) -> list[str]:
    source = _SOURCE.get()
    if source is not None:
        return source.new_ids(count)
    prefix = "c" + _base36_8(int(epoch_seconds() * 1000) % _HALF)
    return _from_randomness([prefix] * count, secrets.token_bytes(_RANDOM_BYTES * count))


def new_id() -> str:
    return new_ids(1)[0]


def is_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))
