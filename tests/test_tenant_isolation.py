"""Organization A's token on organization B's ids: 404 (or 403 on B's organization paths), never a
byte of B's data; A's lists never show B's rows."""

import json
import re

import pytest

from shared_files import shared_file

import scenario

PARAM = re.compile(r"{(\w+)}")


def _not_found_status(reference: dict, method: str, path: str) -> int:
    """404, or 403 where the contract declares no 404 for the operation (as for organizations)."""
    operation = reference["paths"].get(path.removeprefix("/v1"), {}).get(method.lower(), {})
    return 404 if "404" in operation.get("responses", {"404": None}) else 403


@pytest.fixture
def two_orgs(server):
    return scenario.build(server), scenario.build(server)


def _fill(path: str, ids: dict[str, str]) -> str:
    return PARAM.sub(lambda m: ids[m.group(1)], path)


def _assert_no_leak(response, victim: scenario.Shape, probe: str) -> None:
    text = response.text
    for marker in victim.markers:
        if marker == victim.ids["organizationId"] and "/organizations/" in probe:
            continue  # the caller sent this id in the path; echoing it reveals nothing
        assert marker not in text, (probe, marker, text[:300])


def test_every_path_parameter_has_a_scenario(server, two_orgs):
    document = server.client.get("/v1/openapi.json").json()
    params = {p for _, path, _ in scenario.operations(document) for p in PARAM.findall(path)}
    assert params <= set(two_orgs[0].ids), f"no scenario builder for {sorted(params - set(two_orgs[0].ids))}"


def test_cross_organization_probes(server, two_orgs):
    attacker, victim = two_orgs
    document = server.client.get("/v1/openapi.json").json()
    reference = json.loads(shared_file("reference", "astro-v1.openapi.json").read_text())
    probes = 0
    for method, path, operation in scenario.operations(document):
        params = PARAM.findall(path)
        if "organizationId" not in params:
            continue
        body = scenario.request_body(document, operation)
        # 1. the victim's organization in the path: refused as not a member
        victim_path = _fill(path, victim.ids)
        response = attacker.api.request(method, victim_path, json=body)
        assert response.status_code == 403, (method, victim_path, response.status_code, response.text[:200])
        _assert_no_leak(response, victim, victim_path)
        probes += 1
        # 2. the attacker's organization with the victim's entity ids: not found
        if len(params) > 1:
            mixed = _fill(path, {**victim.ids, "organizationId": attacker.ids["organizationId"]})
            response = attacker.api.request(method, mixed, json=body)
            expected = _not_found_status(reference, method, path)
            assert response.status_code == expected, (method, mixed, response.status_code, response.text[:200])
            _assert_no_leak(response, victim, mixed)
            probes += 1
        # 3. lists in the attacker's own organization never include the victim's rows
        if method == "GET" and len(params) == 1:
            own = _fill(path, attacker.ids)
            response = attacker.api.request("GET", own, params={"limit": 1000})
            assert response.status_code in (200, 400), (own, response.status_code)
            _assert_no_leak(response, victim, own)
            probes += 1
    print(f"tenant isolation: {probes} probes")
    assert probes >= 20
