"""Property-based fuzzing with schemathesis against a live server: every served API (v1, Platform
v1beta1, IAM v1beta1, Labs v1), each from its served document and from its reference, on both
databases.

Checks: no 5xx, responses conform to their schema, status codes and content types are documented.
The served document gets every phase of schemathesis (coverage: boundaries, enums, missing and
wrong-typed members of each operation; then random examples; then stateful sequences). The
reference gets the random and stateful phases only: its operations are the served ones
(test_api_versions and test_contract hold them equal), so its coverage cases would repeat the
served run's, and that phase is two thirds of the time.

Bounded by ASTROPLANE_FUZZ_EXAMPLES (default 8 random examples per operation and run: all four
APIs then cost about what v1 alone did at 12 with the reference's coverage phase; raise it to
explore). CI runs a fixed seed so that main stays reproducible; ASTROPLANE_FUZZ_SEED=random
explores new inputs, and any printed seed replays.
"""

import json
import os
import random
import subprocess
import sys
import urllib.request
import uuid

import pytest

from astroplane import resources
from shared_files import shared_file

from live import LiveServer

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES = os.environ.get("ASTROPLANE_FUZZ_EXAMPLES", "8")
PHASES = {"served": "examples,coverage,fuzzing,stateful", "reference": "examples,fuzzing,stateful"}
_SEED_SETTING = os.environ.get("ASTROPLANE_FUZZ_SEED", "1674560986")
SEED = random.randrange(1, 2**31) if _SEED_SETTING == "random" else int(_SEED_SETTING)
SCHEMATHESIS = [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"]

pytestmark = pytest.mark.slow
# (prefix, reference name) of every API the server publishes: operations added to any of them are fuzzed too
APIS = [("/v1", "astro-v1"), *((version.prefix, version.name) for version in resources.VERSIONS)]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, databases, tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("fuzz"), databases.url(request.param))
    server.cli("init", "--organization", "fuzz", "--owner-email", "fuzz@example.com")  # migrates
    server.start()
    yield server
    server.stop()


@pytest.fixture
def token(live):
    """A user token of the owner of an organization of this test's own: what one run does (demote its
    owner, fill the IP allow-list, rotate tokens) never shuts out the next. A user token, as the fuzzer
    may rotate or delete every API token it finds, but not this."""
    name = f"fuzz-{uuid.uuid4().hex[:8]}"
    live.cli("init", "--organization", name, "--owner-email", f"{name}@example.com")
    return live.cli("user-token", "--email", f"{name}@example.com")["token"]


def _served_operation_ids(live, prefix: str) -> list[str]:
    document = json.load(urllib.request.urlopen(f"{live.base}{prefix}/openapi.json"))
    return sorted(op["operationId"] for item in document["paths"].values() for op in item.values())


# The reference declares no 400 on the environment-object operations, yet bad input there is a 400
# (issue 5; BEHAVIOR.md §1: showSecrets in an organization that forbids it fails). From the reference
# they are fuzzed with every check except the status-code one; the served document declares the 400.
# GetOrganizationAuditLogs declares only its 200 there (no error codes at all), so any refusal would be
# "undocumented"; it is in the same relaxed run.
REFERENCE_WITHOUT_400 = {"ListEnvironmentObjects", "CreateEnvironmentObject", "GetEnvironmentObject",
                         "UpdateEnvironmentObject", "DeleteEnvironmentObject", "ExcludeLinkingEnvironmentObject",
                         "GetOrganizationAuditLogs"}


def _schemathesis(token: str, schema: list[str], phases: str, operation_ids: list[str], checks: str, tmp_path):
    only = "^(" + "|".join(operation_ids) + ")$"
    command = [*SCHEMATHESIS, "run", *schema, "--header", f"Authorization: Bearer {token}", "--phases", phases,
               "--checks", checks, "--max-examples", EXAMPLES, "--seed", str(SEED),
               "--include-operation-id-regex", only, "--max-failures", "20",
               # Hypothesis's "generation too slow" check measures the machine, not the server
               "--suppress-health-check", "too_slow",
               "--report", "junit", "--report-dir", str(tmp_path)]
    # a guard against a hung run only: on a busy laptop one document takes many minutes
    return subprocess.run(command, capture_output=True, text=True, timeout=3600)


@pytest.mark.parametrize("source", ["served", "reference"])
@pytest.mark.parametrize(("prefix", "reference"), APIS, ids=[name for _, name in APIS])
def test_fuzz(live, token, prefix, reference, source, tmp_path):
    served = _served_operation_ids(live, prefix)
    if source == "served":
        schema = [f"{live.base}{prefix}/openapi.json"]
    else:
        schema = [str(shared_file("reference", f"{reference}.openapi.json")), "--url", f"{live.base}{prefix}"]
    runs = [(served, CHECKS)]
    if source == "reference":
        relaxed = [op for op in served if op in REFERENCE_WITHOUT_400]
        runs = [([op for op in served if op not in REFERENCE_WITHOUT_400], CHECKS)]
        if relaxed:
            runs.append((relaxed, CHECKS.replace("status_code_conformance,", "")))
    for operation_ids, checks in runs:
        result = _schemathesis(token, schema, PHASES[source], operation_ids, checks, tmp_path)
        with open(tmp_path / "schemathesis.txt", "a") as record:  # the whole run's output, for its figures
            record.write(result.stdout)
        summary = "\n".join(line for line in result.stdout.splitlines()[-12:] if line.strip())
        print(f"schemathesis {reference} {source}: {len(operation_ids)} operations, phases {PHASES[source]}, seed={SEED} examples={EXAMPLES}:\n{summary}")
        assert result.returncode == 0, f"replay with ASTROPLANE_FUZZ_SEED={SEED}\n{result.stdout[-6000:]}"
    assert "Internal server error" not in live.logs() or "Traceback" not in live.logs()
