"""A stand-in `airflow` executable for fast tests of the local runtime's supervision.

It behaves like the few commands the runtime runs: `db migrate` exits 0, `scheduler` and
`dag-processor` print a line and then heartbeat (a file in AIRFLOW_HOME), and `api-server` answers
the health check on AIRFLOW__API__PORT (with FAKE_AIRFLOW_API=1 also the login, Airflow's
variables, connections and pools under /api/v2 (kept in memory), and other writes, 200;
FAKE_AIRFLOW_COMMIT_TO=<sqlite file> commits to it first), healthy for a component whose heartbeat is fresh, as
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

    # with FAKE_AIRFLOW_API: variables, connections and pools as Airflow's REST API v2 keeps them
    # (list with limit/offset and total_entries, create, patch), in memory
    KEYS = {{"variables": "key", "connections": "connection_id", "pools": "name"}}
    store = {{"variables": {{}}, "connections": {{}},
             "pools": {{"default_pool": {{"name": "default_pool", "slots": 128, "description": "Default pool",
                                         "include_deferred": False}}}}}}

    def resource(path):
        """(resource, item key or None, query) of /api/v2/<resource>[/<key>][?query], else None."""
        import urllib.parse
        parts = urllib.parse.urlsplit(path)
        segments = parts.path.strip("/").split("/")
        if segments[:2] != ["api", "v2"] or len(segments) not in (3, 4) or segments[2] not in KEYS:
            return None
        key = urllib.parse.unquote(segments[3]) if len(segments) == 4 else None
        return segments[2], key, urllib.parse.parse_qs(parts.query)

    class Health(http.server.BaseHTTPRequestHandler):
        def _json(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def do_GET(self):
            found = resource(self.path) if os.environ.get("FAKE_AIRFLOW_API") else None
            if found is not None:
                name, key, query = found
                items = sorted(store[name].values(), key=lambda item: item[KEYS[name]])
                if key is not None:
                    return self._json(200, store[name][key]) if key in store[name] else self._json(404, {{}})
                offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["50"])[0])
                return self._json(200, {{name: items[offset:offset + limit], "total_entries": len(items)}})
            status = {{"metadatabase": True, "scheduler": fresh("scheduler"), "dag_processor": fresh("dag-processor")}}
            self._json(200, {{name: {{"status": "healthy" if up else "unhealthy"}} for name, up in status.items()}})

        def _proxied_write(self):
            # the control plane's login, and any other write: answered 200 after, if asked, a commit
            # to astroplane's SQLite database meanwhile (as the reconciler makes while Airflow works)
            sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not os.environ.get("FAKE_AIRFLOW_API"):
                self.send_error(404)
                return
            found = resource(self.path)
            if found is not None:
                name, key, _ = found
                item = json.loads(sent or b"{{}}")
                if self.command == "POST" and key is None:
                    if item.get(KEYS[name]) in store[name]:
                        return self._json(409, {{"detail": "already exists"}})
                    store[name][item[KEYS[name]]] = item
                    return self._json(201, item)
                if self.command == "PATCH" and key in store[name]:
                    store[name][key] = {{**store[name][key], **item}}
                    return self._json(200, store[name][key])
                return self._json(404, {{"detail": "not found"}})
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
