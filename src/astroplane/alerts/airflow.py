"""Reading a deployment's Airflow for the alert loop: its REST API v2, straight to the deployment's
own API server (not through astroplane's proxy), with the control plane's Airflow user.

Why the REST API rather than the metadata database: it is Airflow's public, versioned interface
(the schema of `airflow.db` is private and changes between releases), it works whatever database a
deployment uses, and it never contends with the scheduler for SQLite's write lock.
"""

import asyncio
import datetime as dt
from typing import Any

from astroplane.kit.http import httpx

from astroplane.alerts.rules import DagRun, Observed, TaskTry

PAGE = 100
MAX_PAGES = 20  # per query and pass: 2,000 runs or tries; the next pass reads on from there


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _run(item: dict[str, Any]) -> DagRun:
    return DagRun(item["dag_id"], item["dag_run_id"], item.get("state") or "", _time(item.get("start_date")),
                  _time(item.get("end_date")))


def _task(item: dict[str, Any]) -> TaskTry:
    return TaskTry(item["dag_id"], item["dag_run_id"], item["task_id"], item.get("map_index", -1),
                   item.get("try_number") or 0, item.get("state") or "", _time(item.get("start_date")),
                   _time(item.get("end_date")))


class AirflowReader:
    def __init__(self, runtime):
        self.runtime = runtime

    async def client(self, deployment_id: str) -> "httpx.AsyncClient | None":
        """A client of the deployment's running Airflow, or None when none runs here."""
        endpoint = self.runtime.endpoint(deployment_id)
        if endpoint is None:
            return None
        token = await asyncio.to_thread(self.runtime.api_token, deployment_id)
        return httpx().AsyncClient(base_url=f"{endpoint}/api/v2", timeout=15,
                                 headers={"Authorization": f"Bearer {token}"})

    @staticmethod
    async def _pages(client: "httpx.AsyncClient", path: str, key: str, params: dict[str, Any]) -> list[dict]:
        found: list[dict] = []
        for page in range(MAX_PAGES):
            response = await client.get(path, params={**params, "limit": PAGE, "offset": page * PAGE})
            response.raise_for_status()
            items = response.json()[key]
            found.extend(items)
            if len(items) < PAGE:
                break
        return found

    async def observe(self, client: "httpx.AsyncClient", *, changed_since: dt.datetime, needs_running: bool,
                      needs_dags: bool, successes_since: dt.datetime | None) -> Observed:
        """Runs and task tries changed since `changed_since` (plus running ones, for durations), and for
        deadlines every DAG id and the successful runs that ended since `successes_since`."""
        runs_path, tasks_path = "/dags/~/dagRuns", "/dags/~/dagRuns/~/taskInstances"
        changed = {"updated_at_gte": _iso(changed_since)}
        # task instances cannot be ordered by updated_at (Airflow refuses it): both lists keep its default order
        run_queries = [(runs_path, changed)]
        task_queries = [(tasks_path, changed)]
        if needs_running:
            run_queries.append((runs_path, {"state": "running"}))
            task_queries.append((tasks_path, {"state": "running"}))
        if successes_since is not None:
            run_queries.append((runs_path, {"state": "success", "end_date_gte": _iso(successes_since)}))
        dag_query = [self._pages(client, "/dags", "dags", {})] if needs_dags else []
        results = await asyncio.gather(*(self._pages(client, path, "dag_runs", params) for path, params in run_queries),
                                       *(self._pages(client, path, "task_instances", params)
                                         for path, params in task_queries), *dag_query)
        run_items = [item for result in results[:len(run_queries)] for item in result]
        task_items = [item for result in results[len(run_queries):len(run_queries) + len(task_queries)]
                      for item in result]
        dag_ids = tuple(item["dag_id"] for item in results[-1]) if needs_dags else ()
        # the same run or try may come from two queries: one each
        runs = {(item["dag_id"], item["dag_run_id"]): _run(item) for item in run_items}
        tasks = {(item["dag_id"], item["dag_run_id"], item["task_id"], item.get("map_index", -1)): _task(item)
                 for item in task_items}
        return Observed(tuple(runs.values()), tuple(tasks.values()), dag_ids)

    async def trigger(self, deployment_id: str, dag_id: str, body: dict[str, Any]) -> int | None:
        """Start a run of `dag_id`; Airflow's status code, or None when the deployment runs no Airflow here."""
        client = await self.client(deployment_id)
        if client is None:
            return None
        async with client:
            response = await client.post(f"/dags/{dag_id}/dagRuns", json=body)
        return response.status_code
