"""Shared builders for the environment-object tests."""

import uuid

from factories import insert_deployment

PATH = "/environment-objects"


def key(prefix: str = "KEY") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def variable(workspace_id: str, value: str = "plain", *, secret: bool = False, object_key: str | None = None,
             object_type: str = "AIRFLOW_VARIABLE", scope: str = "WORKSPACE", **extra) -> dict:
    block = "airflowVariable" if object_type == "AIRFLOW_VARIABLE" else "environmentVariable"
    return {"objectKey": object_key or key(), "objectType": object_type, "scope": scope,
            "scopeEntityId": workspace_id, block: {"value": value, "isSecret": secret}, **extra}


def connection(workspace_id: str, **fields) -> dict:
    block = {"type": "postgres", "host": "db.internal", "login": "airflow", "password": "pg-secret-1",
             "schema": "public", "port": 5432, "extra": {"sslmode": "require"}}
    block.update(fields)
    return {"objectKey": key("conn"), "objectType": "CONNECTION", "scope": "WORKSPACE",
            "scopeEntityId": workspace_id, "connection": {k: v for k, v in block.items() if v is not None}}


def metrics(workspace_id: str, **fields) -> dict:
    block = {"endpoint": "https://prometheus.example.com/api/v1/write", "exporterType": "PROMETHEUS",
             "authType": "BASIC", "username": "metrics", "password": "prom-secret-1",
             "headers": {"X-Scope-OrgID": "team-a"}, "labels": {"env": "prod"}}
    block.update(fields)
    return {"objectKey": key("metrics"), "objectType": "METRICS_EXPORT", "scope": "WORKSPACE",
            "scopeEntityId": workspace_id, "metricsExport": {k: v for k, v in block.items() if v is not None}}


def create(api, body: dict) -> dict:
    created = api.ok("POST", PATH, json=body)
    assert set(created) == {"id"}
    return api.ok("GET", f"{PATH}/{created['id']}")


def listing(api, **params) -> dict:
    return api.ok("GET", PATH, params={"limit": 1000, **params})


def deployments(server, api, workspace_id: str, count: int) -> list[str]:
    return [insert_deployment(server, api.org.id, workspace_id) for _ in range(count)]
