"""How long a simulated lifecycle step takes (ASTROPLANE_STEP_DELAY_SECONDS; 0 in tests)."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from astroplane.kit.time import utcnow


@dataclass(frozen=True, slots=True)
class Steps:
    delay_seconds: float

    def due(self, now: dt.datetime | None = None) -> dt.datetime:
        """When a step started now completes."""
        return (now or utcnow()) + dt.timedelta(seconds=self.delay_seconds)


async def get_steps(request: Request) -> Steps:
    return Steps(request.app.state.settings.step_delay_seconds)


StepsDep = Annotated[Steps, Depends(get_steps)]
