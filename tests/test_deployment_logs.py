"""GetDeploymentLogs: filters, validation, the search index, and searchId-pinned paging while
lines keep arriving; plus the runtime ingestion path authorized by agent tokens."""

import datetime as dt
import time

import sqlalchemy as sa

from conftest import assert_error, assert_no_nulls, make_token, make_workspace
from factories import insert_deployment

INGEST = "/internal/deployments/{}/logs"


def _setup(server, api):
    workspace = make_workspace(api)
    deployment_id = insert_deployment(server, api.org.id, workspace["id"])
    agent = api.ok("POST", f"/deployments/{deployment_id}/agent-tokens", json={"name": "runtime"})["token"]
    return deployment_id, agent, workspace


def ingest(server, deployment_id, token, lines):
    response = server.client.post(INGEST.format(deployment_id), json={"lines": lines},
                                  headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": len(lines)}


def logs(api, deployment_id, **params):
    return api.ok("GET", f"/deployments/{deployment_id}/logs", params=params)


def test_filters_by_source_time_and_text_newest_first(server, api):
    deployment_id, agent, _ = _setup(server, api)
    now = time.time()
    ingest(server, deployment_id, agent, [
        {"source": "scheduler", "raw": "Scheduler heartbeat OK", "timestamp": now - 30},
        {"source": "worker", "raw": "Task example.run succeeded", "timestamp": now - 20},
        {"source": "scheduler", "raw": "DAG example PARSED in 0.2s", "timestamp": now - 10},
        {"source": "webserver", "raw": "GET /health 200", "timestamp": now - 5},
        {"source": "triggerer", "raw": "very old line", "timestamp": now - 3 * 86400},
        {"source": "scheduler", "raw": "100% done_ok", "timestamp": now - 1},
    ])
    page = logs(api, deployment_id, sources=["scheduler", "worker"])
    assert [e["raw"] for e in page["results"]] == ["100% done_ok", "DAG example PARSED in 0.2s",
                                                    "Task example.run succeeded", "Scheduler heartbeat OK"]
    assert page["resultCount"] == 4 and page["offset"] == 0 and page["limit"] == 500 and page["searchId"]
    assert page["maxNumResults"] == 10000
    assert_no_nulls(page)
    entry = page["results"][-1]
    assert entry["source"] == "scheduler" and abs(entry["timestamp"] - (now - 30)) < 1e-3
    # substring, case-insensitive, through the index (3+ characters) and without it (shorter)
    assert [e["raw"] for e in logs(api, deployment_id, sources=["scheduler", "worker"], searchText="exAMple")[
        "results"]] == ["DAG example PARSED in 0.2s", "Task example.run succeeded"]
    assert [e["raw"] for e in logs(api, deployment_id, sources=["scheduler"], searchText="rse")["results"]] == [
        "DAG example PARSED in 0.2s"]
    assert [e["raw"] for e in logs(api, deployment_id, sources=["scheduler"], searchText="0%")["results"]] == [
        "100% done_ok"]  # LIKE wildcards are literal
    assert logs(api, deployment_id, sources=["scheduler"], searchText="_")["resultCount"] == 1
    assert logs(api, deployment_id, sources=["scheduler"], searchText='"quoted"')["resultCount"] == 0
    # time: range (seconds back) and startDate/endDate
    assert [e["raw"] for e in logs(api, deployment_id, sources=["scheduler", "worker", "webserver"], range=15)[
        "results"]] == ["100% done_ok", "GET /health 200", "DAG example PARSED in 0.2s"]
    start = dt.datetime.fromtimestamp(now - 4 * 86400, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = dt.datetime.fromtimestamp(now - 2 * 86400, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [e["raw"] for e in logs(api, deployment_id, sources=["triggerer"], startDate=start, endDate=end)[
        "results"]] == ["very old line"]
    assert logs(api, deployment_id, sources=["triggerer"])["resultCount"] == 0  # default range: one day


def test_validation(server, api):
    deployment_id, _, _ = _setup(server, api)
    path = f"/deployments/{deployment_id}/logs"
    assert_error(api.get(path), 400, "sources")
    assert_error(api.get(path, params={"sources": "kitchen"}), 400, "sources")
    assert_error(api.get(path, params={"sources": "worker", "startDate": "2026-01-01T00:00:00Z"}), 400,
                 "startDate and endDate")
    assert_error(api.get(path, params={"sources": "worker", "endDate": "2026-01-01T00:00:00Z"}), 400, "startDate")
    assert_error(api.get(path, params={"sources": "worker", "startDate": "2026-01-02T00:00:00Z",
                                       "endDate": "2026-01-01T00:00:00Z"}), 400, "startDate")
    assert_error(api.get(path, params={"sources": "worker", "range": 0}), 400, "range")
    assert_error(api.get(path, params={"sources": "worker", "limit": 5001}), 400, "limit")
    assert_error(api.get(path, params={"sources": "worker", "offset": -1}), 400, "offset")
    assert_error(api.get(path, params={"sources": "worker", "maxNumResults": 0}), 400, "maxNumResults")
    assert_error(api.get(path, params={"sources": "worker", "searchId": "forged"}), 400, "searchId")
    other, _, _ = _setup(server, api)
    foreign = logs(api, other, sources=["worker"])["searchId"]
    assert_error(api.get(path, params={"sources": "worker", "searchId": foreign}), 400, "another deployment")
    member_ws = make_workspace(api)
    token, _ = make_token(api, "WORKSPACE", "WORKSPACE_ACCESSOR", member_ws["id"])
    assert_error(api.as_token(token).get(path, params={"sources": "worker"}), 403, "deployment.logs.get")


def test_search_goes_through_the_index(server):
    """searchText is answered by the FTS5 trigram table (SQLite) or the pg_trgm GIN index (PostgreSQL)."""
    from astroplane.logs.search import search_clause
    with server.database.engine.connect() as connection:
        if server.backend == "sqlite":
            statement = sa.select(sa.literal(1)).where(search_clause("sqlite", "needle"))
            sql = str(statement.compile(compile_kwargs={"literal_binds": True}))
            plan = connection.execute(sa.text("EXPLAIN QUERY PLAN " + sql)).fetchall()
            assert any("deployment_log_lines_fts" in str(row) and "VIRTUAL TABLE INDEX" in str(row)
                       for row in plan), plan
        else:
            index = connection.execute(sa.text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'deployment_log_lines_fts_trgm'")).scalar()
            assert "gin" in index and "gin_trgm_ops" in index
            connection.execute(sa.text("SET enable_seqscan = off"))  # tiny tables: make the planner show its option
            statement = sa.select(sa.literal(1)).where(search_clause("postgresql", "needle"))
            sql = str(statement.compile(dialect=server.database.engine.dialect, compile_kwargs={"literal_binds": True}))
            plan = connection.execute(sa.text("EXPLAIN " + sql)).fetchall()
            assert any("deployment_log_lines_fts_trgm" in str(row) for row in plan), plan
            # a prepared search keeps being planned with its text: a generic plan cannot use the index
            assert connection.execute(sa.text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"


def test_paging_10000_lines_with_a_search_while_lines_keep_arriving(server, api):
    deployment_id, agent, _ = _setup(server, api)
    now = time.time()
    # 10,000 matching lines among others, several per timestamp so ties need the arrival order
    batch = []
    for n in range(10_000):
        batch.append({"source": ("scheduler", "worker")[n % 2], "raw": f"task NEEDLE-{n:05d} done",
                      "timestamp": now - 3000 + (n // 4) * 0.1})
        if n % 5 == 0:
            batch.append({"source": "worker", "raw": f"noise {n}", "timestamp": now - 3000 + n * 0.1})
        if len(batch) >= 5000:
            ingest(server, deployment_id, agent, batch)
            batch = []
    ingest(server, deployment_id, agent, batch)
    expected = {f"task NEEDLE-{n:05d} done" for n in range(10_000)}
    params = {"sources": ["scheduler", "worker"], "searchText": "needle", "limit": 750, "range": 3600}
    first = logs(api, deployment_id, **params)
    search_id, seen, offset, pages, arrived = first["searchId"], [], 0, 0, 0
    page = first
    while True:
        assert page["offset"] == offset and page["searchId"] == search_id
        seen += [entry["raw"] for entry in page["results"]]
        pages += 1
        if page["resultCount"] < params["limit"]:
            break
        # more lines arrive between pages: newer, older and tied timestamps, matching the search
        ingest(server, deployment_id, agent, [
            {"source": "scheduler", "raw": f"task NEEDLE-late-{arrived + k} done",
             "timestamp": now - 3000 + ((arrived + k) % 3) * 1000.0} for k in range(50)])
        arrived += 50
        offset += page["resultCount"]
        page = logs(api, deployment_id, **params, searchId=search_id, offset=offset)
    assert len(seen) == len(set(seen)), "a line appeared twice"
    assert set(seen) == expected, (len(expected - set(seen)), sorted(set(seen) - expected)[:5])
    assert pages == 14 and arrived == 650
    # newest first: timestamps never increase down the pages
    fresh = logs(api, deployment_id, **params)
    assert fresh["searchId"] != search_id
    timestamps = [e["timestamp"] for e in fresh["results"]]
    assert timestamps == sorted(timestamps, reverse=True)
    # a new search sees what arrived
    total_fresh = logs(api, deployment_id, sources=["scheduler"], searchText="NEEDLE-late", limit=5000)
    assert total_fresh["resultCount"] == arrived


def test_max_num_results_caps_the_pinned_set(server, api):
    deployment_id, agent, _ = _setup(server, api)
    ingest(server, deployment_id, agent, [{"source": "worker", "raw": f"line {n}"} for n in range(30)])
    first = logs(api, deployment_id, sources=["worker"], limit=10, maxNumResults=25)
    assert first["resultCount"] == 10 and first["maxNumResults"] == 25
    third = logs(api, deployment_id, sources=["worker"], limit=10, offset=20, searchId=first["searchId"])
    assert third["resultCount"] == 5 and third["maxNumResults"] == 25
    beyond = logs(api, deployment_id, sources=["worker"], limit=10, offset=30, searchId=first["searchId"])
    assert beyond["resultCount"] == 0 and beyond["results"] == []


def test_ingestion_needs_this_deployments_agent_token(server, api):
    deployment_id, agent, workspace = _setup(server, api)
    other = insert_deployment(server, api.org.id, workspace["id"])
    line = [{"source": "worker", "raw": "x"}]
    url = INGEST.format(deployment_id)
    assert server.client.post(url, json={"lines": line}).status_code == 401
    assert server.client.post(url, json={"lines": line}, headers={"Authorization": f"Bearer {api.token}"}
                              ).status_code == 403  # an API token, even the owner's, is not an agent token
    assert server.client.post(INGEST.format(other), json={"lines": line},
                              headers={"Authorization": f"Bearer {agent}"}).status_code == 403
    bad = server.client.post(url, json={"lines": [{"source": "kitchen", "raw": "x"}]},
                             headers={"Authorization": f"Bearer {agent}"})
    assert bad.status_code == 400
    assert "internal" not in str(api.ok("GET", "/v1/openapi.json")["paths"])
