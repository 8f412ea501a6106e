"""Lifecycle pacing and capacity: how long a simulated step takes (ASTROPLANE_STEP_DELAY_SECONDS;
0 in tests), and how many deployments this server may run when each is a real Airflow."""

import datetime as dt
import os
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from astroplane.kit.time import utcnow


@dataclass(frozen=True, slots=True)
class Steps:
    delay_seconds: float
    capacity: int | None = None  # None: no limit (the simulated runtime runs nothing)

    def due(self, now: dt.datetime | None = None) -> dt.datetime:
        """When a step started now completes."""
        return (now or utcnow()) + dt.timedelta(seconds=self.delay_seconds)


def local_capacity(configured: int) -> int:
    """ASTROPLANE_LOCAL_MAX_DEPLOYMENTS, or one deployment per 1.5 GiB of the machine's memory."""
    if configured:
        return configured
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return max(1, int(memory // (1.5 * 2**30)))


def steps_for(settings) -> Steps:
    capacity = local_capacity(settings.local_max_deployments) if settings.runtime_backend == "local" else None
    return Steps(settings.step_delay_seconds, capacity)


async def get_steps(request: Request) -> Steps:
    return steps_for(request.app.state.settings)


StepsDep = Annotated[Steps, Depends(get_steps)]
