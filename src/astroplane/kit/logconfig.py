"""How `astroplane serve` logs: uvicorn's own loggers as uvicorn sets them up, plus astroplane's
(errors with their tracebacks, the reconciler, the runtime) on standard error with time and name."""

import copy
from typing import Any

from uvicorn.config import LOGGING_CONFIG


def server_logging(level: str) -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["astroplane"] = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    config["handlers"]["astroplane"] = {"class": "logging.StreamHandler", "formatter": "astroplane",
                                        "stream": "ext://sys.stderr"}
    config["loggers"]["astroplane"] = {"handlers": ["astroplane"], "level": level.upper(), "propagate": False}
    return config
