"""Audit log: every mutating request on an organization, success or refusal, as gzipped NDJSON."""

import datetime as dt
import gzip
import json

from conftest import assert_error, make_token


def _entries(api, query: str = "") -> list[dict]:
    response = api.get(f"/audit-logs{query}", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200, response.text
    assert response.headers["content-encoding"] == "gzip"
    # the test client already undid the gzip layer when it honoured Content-Encoding; accept both
    raw = response.content
    text = gzip.decompress(raw).decode() if raw[:2] == b"\x1f\x8b" else raw.decode()
    return [json.loads(line) for line in text.splitlines() if line]


def test_mutations_are_recorded_with_their_context(api):
    created = api.post("/workspaces", json={"name": "audited"}, headers={"User-Agent": "audit-test/1.0"})
    assert created.status_code == 200
    api.get("/workspaces")  # reads are not recorded
    entries = _entries(api)
    entry = next(e for e in entries if e["path"].endswith("/workspaces") and e["method"] == "POST")
    assert entry["status"] == 200 and entry["organizationId"] == api.org.id
    assert entry["subjectType"] == "SERVICEKEY" and entry["subjectId"]
    assert entry["userAgent"] == "audit-test/1.0" and entry["sourceIp"] == "127.0.0.1"
    assert entry["requestId"] and entry["timestamp"].endswith("Z")
    assert not any(e["method"] == "GET" for e in entries)
    # recorded once, in the request's own transaction
    assert [e["requestId"] for e in entries].count(entry["requestId"]) == 1


def test_refusals_are_recorded_too(api):
    refused = api.post("/workspaces", json={"name": ""})
    assert refused.status_code == 400
    token, _ = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    forbidden = api.as_token(token).post("/workspaces", json={"name": "nope"})
    assert forbidden.status_code == 403
    entries = _entries(api)
    by_request = {e["requestId"]: e for e in entries}
    assert by_request[refused.json()["requestId"]]["status"] == 400
    denied = by_request[forbidden.json()["requestId"]]
    assert denied["status"] == 403 and denied["subjectType"] == "SERVICEKEY"
    # nothing the refused requests tried was written
    assert all(w["name"] != "nope" for w in api.ok("GET", "/workspaces")["workspaces"])


def test_date_window_and_owner_only(api):
    api.ok("POST", "/workspaces", json={"name": "w1"})
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert _entries(api, f"?startDate={future}") == []
    assert _entries(api, f"?startDate={past}&endDate={future}")
    assert_error(api.get(f"/audit-logs?startDate={future}&endDate={past}"), 400, "startDate")
    token, _ = make_token(api, "ORGANIZATION", "ORGANIZATION_BILLING_ADMIN")
    assert_error(api.as_token(token).get("/audit-logs"), 403, "auditLogs")


def test_other_organizations_entries_never_appear(api, server):
    from conftest import Api, new_org
    other = new_org(server)
    Api(server, other, other.token).ok("POST", "/workspaces", json={"name": "elsewhere"})
    assert all(e["organizationId"] == api.org.id for e in _entries(api))
