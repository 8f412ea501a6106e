"""A stand-in `airflow` executable for fast tests of the local runtime's supervision.

It behaves like the few commands the runtime runs: `db migrate` exits 0, `scheduler` and
`dag-processor` print a line and then heartbeat (a file in AIRFLOW_HOME), and `api-server` answers
the health check on AIRFLOW__API__PORT (with FAKE_AIRFLOW_API=1 also the login
and writes, 200; FAKE_AIRFLOW_COMMIT_TO=<sqlite file> commits to it first), healthy for a component whose heartbeat is fresh, as
Airflow's own check is. Each
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
home = os.environ["AIRFLOW_HOME"]
if command == "api-server":
    def fresh(component):
        try:
            return time.time() - os.path.getmtime(os.path.join(home, component + ".heartbeat")) < 2
        except OSError:
            return False

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status = {{"metadatabase": True, "scheduler": fresh("scheduler"), "dag_processor": fresh("dag-processor")}}
            body = json.dumps({{name: {{"status": "healthy" if up else "unhealthy"}} for name, up in status.items()}})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def _proxied_write(self):
            # the control plane's login, and any other write: answered 200 after, if asked, a commit
            # to astroplane's SQLite database meanwhile (as the reconciler makes while Airflow works)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not os.environ.get("FAKE_AIRFLOW_API"):
                self.send_error(404)
                return
            if self.path == "/auth/token":
                body = {{"access_token": "fake-airflow-token"}}
            else:
                touched = os.environ.get("FAKE_AIRFLOW_COMMIT_TO")
                if touched:
                    import sqlite3
                    with sqlite3.connect(touched, timeout=30) as db:
                        db.execute("CREATE TABLE IF NOT EXISTS fake_airflow_touch (at REAL)")
                        db.execute("INSERT INTO fake_airflow_touch VALUES (?)", (time.time(),))
                body = {{"path": self.path, "method": self.command}}
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        do_POST = do_PATCH = _proxied_write

        def log_message(self, *args):
            pass
    http.server.HTTPServer(("127.0.0.1", int(os.environ["AIRFLOW__API__PORT"])), Health).serve_forever()
while True:
    with open(os.path.join(home, command + ".heartbeat"), "w") as beat:
        beat.write(str(time.time()))
    time.sleep(0.2)
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
