"""The server process loads only what its requests need (issue 21: idle memory): what only the
command line, `init`/`migrate`, a runtime backend not selected, a test double's controls or an
outbound call needs is imported on first use, not when the app is built. bench/idle_memory.py
measures what this keeps out."""

import json
import os
import subprocess
import sys

# module -> what loads it when it is needed
LOADED_ON_USE = {
    "typer": "the command line (`serve` execs astroplane.serving)",
    "rich": "the command line",
    "alembic": "init / migrate",
    "httpx": "an outbound call (kit.http)",
    "kubernetes": "the kubernetes runtime",
    "astroplane.runtime.local": "the local runtime",
    "astroplane.runtime.kubernetes": "the kubernetes runtime",
    "astroplane.controls.install": "a test double (ASTROPLANE_TEST_CONTROLS, ASTROPLANE_ID_SEED)",
    "astroplane.controls.endpoints": "a test double",
    "sqlalchemy.dialects.postgresql": "a PostgreSQL database (this app is on SQLite)",
    "smtplib": "an e-mail alert delivery",
    "tarfile": "a deploy archive's check",
    "xml.etree.ElementTree": "a block-list upload",
}

PROBE = """
import json, sys
from astroplane.app import create_server_app
app = create_server_app()
modules = sorted(sys.modules)
from fastapi.testclient import TestClient
with TestClient(app) as client:
    controls = client.get("/astroplane/v1/openapi.json").status_code
print(json.dumps({"modules": modules, "controls_document": controls}))
"""


def _server_app_modules(tmp_path, **env) -> dict:
    environment = {**os.environ, "ASTROPLANE_DATA_DIR": str(tmp_path),
                   "ASTROPLANE_DATABASE_URL": f"sqlite:///{tmp_path}/astroplane.db", **env}
    subprocess.run([sys.executable, "-m", "astroplane.cli", "init", "--organization", "imports",
                    "--owner-email", "imports@example.com", "--json"], capture_output=True, env=environment,
                   timeout=300, check=True)
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=environment,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_server_app_leaves_what_no_request_needs_unimported(tmp_path):
    probe = _server_app_modules(tmp_path)
    assert probe["controls_document"] == 404
    loaded = set(probe["modules"])
    unexpected = {name: why for name, why in LOADED_ON_USE.items() if name in loaded}
    assert not unexpected, f"imported when the app is built, but only needed by: {unexpected}"


def test_a_test_double_still_gets_its_controls(tmp_path):
    probe = _server_app_modules(tmp_path, ASTROPLANE_TEST_CONTROLS="true")
    assert "astroplane.controls.install" in probe["modules"]
    assert probe["controls_document"] == 200, "the controls are mounted on a test double"
