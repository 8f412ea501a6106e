"""The process `astroplane serve` becomes: uvicorn and the app, without the command line's own
imports (typer, rich, the CLI's commands: ~10 MB) that no request needs. `serve` prepares the data
directory, then execs this module with uvicorn's options as one JSON argument."""

import json
import sys

import uvicorn

from astroplane.kit.logconfig import server_logging
from astroplane.kit.protocol import AstroHttpToolsProtocol


def main() -> None:
    options = json.loads(sys.argv[1])
    log_level = options.pop("log_level")
    uvicorn.run("astroplane.app:create_server_app", factory=True, log_level=log_level,
                log_config=server_logging(log_level), access_log=False, ws="none",
                http=AstroHttpToolsProtocol, **options)


if __name__ == "__main__":
    main()
