"""The served OpenAPI document against the reference contract (../shared/tools/contract-diff)."""

import json
import pathlib
import subprocess
import sys

from shared_files import shared_file


def _served_document(server, tmp_path) -> pathlib.Path:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(server.client.get("/v1/openapi.json").json()))
    return path


def test_every_served_operation_matches_the_contract(server, tmp_path):
    document = _served_document(server, tmp_path)
    served = sorted({op["operationId"] for item in json.loads(document.read_text())["paths"].values()
                     for op in item.values()})
    only = "^(" + "|".join(served) + ")$"
    result = subprocess.run([sys.executable, str(shared_file("tools", "contract-diff")), str(document), "--only", only],
                            capture_output=True, text=True)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout
    assert summary.startswith(f"contract: operations {len(served)}/{len(served)}") and "problems 0" in summary


def test_served_operation_ids_are_contract_operation_ids(server, tmp_path):
    reference = json.loads(shared_file("reference", "astro-v1.openapi.json").read_text())
    known = {op["operationId"] for item in reference["paths"].values() for op in item.values()}
    document = json.loads(_served_document(server, tmp_path).read_text())
    served = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert served <= known


def test_the_whole_contract_is_served(server, tmp_path):
    """Issue 7's gate: every operation of the reference, every field, no problem."""
    result = subprocess.run([sys.executable, str(shared_file("tools", "contract-diff")), str(_served_document(server, tmp_path))],
                            capture_output=True, text=True)
    summary = result.stdout.strip().splitlines()[-1]
    print(summary)
    assert result.returncode == 0, result.stdout
    assert summary.startswith("contract: operations 75/75, fields 2801/2801 (100.0%), problems 0"), summary
