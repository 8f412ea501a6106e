"""Waiting for a state, never for a time: poll until it holds, and give up only after a deadline
generous enough for a laptop that is busy with other things (the suite must hold under load).

ASTROPLANE_TEST_PATIENCE (seconds, default 120) moves every deadline at once.
"""

import os
import time
from collections.abc import Callable
from typing import TypeVar

PATIENCE = float(os.environ.get("ASTROPLANE_TEST_PATIENCE", "120"))
PATIENCE_MS = int(PATIENCE * 1000)  # Playwright counts in milliseconds

T = TypeVar("T")


def wait_until(what: str, check: Callable[[], T], timeout: float = PATIENCE, every: float = 0.1) -> T:
    """The first truthy result of `check`, polled every `every` seconds; AssertionError naming
    `what` once `timeout` seconds have passed without one."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(every)
