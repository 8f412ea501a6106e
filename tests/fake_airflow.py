"""A stand-in `airflow` executable for fast tests of the local runtime's supervision.

It behaves like the few commands the runtime runs: `db migrate` exits 0, `api-server` answers the
health check on AIRFLOW__API__PORT, `scheduler` and `dag-processor` print a line and wait. Each
writes its environment's AIRFLOW_VAR_* / AIRFLOW_CONN_* names to its output, so tests see what it
was started with. FAKE_AIRFLOW_CRASH=<component> makes that component exit at once.
"""

import pathlib
import stat
import sys

SCRIPT = r'''#!{python}
import http.server, json, os, sys, time
command = sys.argv[1] if len(sys.argv) > 1 else ""
if command == "db":
    print("migrated", flush=True)
    sys.exit(int(os.environ.get("FAKE_AIRFLOW_MIGRATE_EXIT", "0")))
names = sorted(n for n in os.environ if n.startswith(("AIRFLOW_VAR_", "AIRFLOW_CONN_")))
print(f"{{command}} started with {{' '.join(names)}} dags={{sorted(os.listdir(os.environ['AIRFLOW__CORE__DAGS_FOLDER']))}}",
      flush=True)
if os.environ.get("FAKE_AIRFLOW_CRASH") == command:
    print(f"{{command}} crashed", flush=True)
    sys.exit(3)
if command == "api-server":
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({{name: {{"status": "healthy"}} for name in ("metadatabase", "scheduler", "dag_processor")}})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass
    http.server.HTTPServer(("127.0.0.1", int(os.environ["AIRFLOW__API__PORT"])), Health).serve_forever()
while True:
    time.sleep(1)
'''


def install(root: pathlib.Path, version: str = "3.3.2") -> pathlib.Path:
    """A finished-looking install of `version` under `root` whose `airflow` is the fake."""
    home = root / f"airflow-{version}"
    (home / "bin").mkdir(parents=True, exist_ok=True)
    executable = home / "bin" / "airflow"
    executable.write_text(SCRIPT.format(python=sys.executable))
    executable.chmod(executable.stat().st_mode | stat.S_IXUSR)
    (home / ".complete").write_text(version)
    return root
