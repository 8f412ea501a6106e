"""Environment objects through the HTTP API: the four types, their typed blocks, lists, updates,
bad input (400 naming the field, nothing written), duplicates (409) and permissions."""

import pytest

from conftest import assert_error, assert_no_nulls, make_token, make_workspace
from envobjects_helpers import PATH, connection, create, deployments, listing, metrics, variable


def test_each_type_round_trips_with_its_typed_block(api):
    ws = make_workspace(api)["id"]
    conn = create(api, connection(ws, extra={"sslmode": "require", "aws_secret": "x"}))
    assert conn["connection"] == {"type": "postgres", "host": "db.internal", "login": "airflow",
                                  "schema": "public", "port": 5432, "extra": {"sslmode": "require", "aws_secret": "x"}}
    assert conn["setFields"] == ["extra.aws_secret", "extra.sslmode", "host", "login", "password", "port",
                                 "schema", "type"]
    var = create(api, variable(ws, "hello", description="a variable"))
    assert var["airflowVariable"] == {"value": "hello", "isSecret": False}
    assert var["description"] == "a variable" and var["setFields"] == ["value"]
    env = create(api, variable(ws, "1", object_type="ENVIRONMENT_VARIABLE", object_key="MY_FLAG"))
    assert env["environmentVariable"] == {"value": "1", "isSecret": False}
    prom = create(api, metrics(ws))
    assert prom["metricsExport"] == {"endpoint": "https://prometheus.example.com/api/v1/write",
                                     "exporterType": "PROMETHEUS", "authType": "BASIC", "username": "metrics",
                                     "headers": {"X-Scope-OrgID": "team-a"}, "labels": {"env": "prod"}}
    assert "headers.X-Scope-OrgID" in prom["setFields"] and "password" in prom["setFields"]
    for obj in (conn, var, env, prom):
        assert_no_nulls(obj)
        assert obj["scope"] == "WORKSPACE" and obj["scopeEntityId"] == ws
        assert obj["createdBy"]["subjectType"] and obj["createdAt"].endswith("Z")
        assert not {"autoLinkDeployments", "links", "excludeLinks"} & set(obj)
        for other in {"connection", "airflowVariable", "environmentVariable", "metricsExport"}:
            if obj["objectType"] != {"connection": "CONNECTION", "airflowVariable": "AIRFLOW_VARIABLE",
                                     "environmentVariable": "ENVIRONMENT_VARIABLE",
                                     "metricsExport": "METRICS_EXPORT"}[other]:
                assert other not in obj


def test_list_filters_sorts_and_pages(api):
    ws = make_workspace(api)["id"]
    other_ws = make_workspace(api)["id"]
    keys = ["b_key", "a_key", "c_key"]
    for k in keys:
        create(api, variable(ws, object_key=k))
    create(api, variable(ws, object_key="a_key", object_type="ENVIRONMENT_VARIABLE"))
    create(api, variable(other_ws, object_key="a_key"))
    page = listing(api, workspaceId=ws)
    assert page["totalCount"] == 4 and {o["scopeEntityId"] for o in page["environmentObjects"]} == {ws}
    only_vars = listing(api, workspaceId=ws, objectType="AIRFLOW_VARIABLE", sorts="objectKey:desc")
    assert [o["objectKey"] for o in only_vars["environmentObjects"]] == ["c_key", "b_key", "a_key"]
    by_key = listing(api, workspaceId=ws, objectKey="a_key")
    assert {o["objectType"] for o in by_key["environmentObjects"]} == {"AIRFLOW_VARIABLE", "ENVIRONMENT_VARIABLE"}
    first = api.ok("GET", PATH, params={"workspaceId": ws, "limit": 2, "offset": 0, "sorts": "objectKey:asc"})
    second = api.ok("GET", PATH, params={"workspaceId": ws, "limit": 2, "offset": 2, "sorts": "objectKey:asc"})
    ids = [o["id"] for o in first["environmentObjects"] + second["environmentObjects"]]
    assert len(set(ids)) == 4 and first["limit"] == 2 and second["offset"] == 2
    everything = listing(api)
    assert everything["totalCount"] >= 5
    assert_error(api.get(PATH, params={"workspaceId": ws, "sorts": "name:asc"}), 400, "sorts")
    assert_error(api.get(PATH, params={"workspaceId": "c" + "0" * 24}), 404)


def test_deployment_scoped_objects(server, api):
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    obj = create(api, variable(dep, "x", scope="DEPLOYMENT", object_key="DEP_VAR"))
    assert obj["scope"] == "DEPLOYMENT" and obj["scopeEntityId"] == dep
    assert "links" not in obj and "excludeLinks" not in obj
    assert [o["id"] for o in listing(api, deploymentId=dep)["environmentObjects"]] == [obj["id"]]
    assert listing(api, workspaceId=ws)["totalCount"] == 0  # the workspace's own objects only
    assert_error(api.get(PATH, params={"workspaceId": ws, "deploymentId": dep}), 400, "not both")


@pytest.mark.parametrize("body_change, field", [
    (lambda b: b.update(objectType="CONNECTION"), "airflowVariable"),
    (lambda b: b.update(connection={"type": "http"}), "connection"),
    (lambda b: b.pop("airflowVariable"), "airflowVariable"),
    (lambda b: b.update(objectKey=""), "objectKey"),
    (lambda b: b.update(objectKey="has space"), "objectKey"),
    (lambda b: b.update(objectType="ENVIRONMENT_VARIABLE", objectKey="1BAD", environmentVariable={"value": "v"},
                        airflowVariable=None), "objectKey"),
    (lambda b: b.update(scopeEntityId="c" + "1" * 24), "scopeEntityId"),
    (lambda b: b.update(description="d" * 1001), "description"),
])
def test_bad_create_input_is_400_naming_the_field_and_writes_nothing(api, body_change, field):
    ws = make_workspace(api)["id"]
    body = variable(ws, "v")
    body_change(body)
    response = api.post(PATH, json=body)
    error = assert_error(response, 400)
    assert field in error["message"], error
    assert listing(api, workspaceId=ws)["totalCount"] == 0


@pytest.mark.parametrize("fields, field", [
    ({"port": 0}, "connection.port"),
    ({"port": 70000}, "connection.port"),
    ({"type": ""}, "connection.type"),
])
def test_bad_connection_values(api, fields, field):
    ws = make_workspace(api)["id"]
    body = assert_error(api.post(PATH, json=connection(ws, **fields)), 400)
    assert body["fieldErrors"][0]["field"] == field, body
    assert listing(api, workspaceId=ws)["totalCount"] == 0


@pytest.mark.parametrize("fields, field", [
    ({"authType": "SIGV4", "sigV4AssumeArn": "arn:aws:iam::123:role/x", "sigV4StsRegion": "us-east-1"},
     "metricsExport.sigV4AssumeArn"),
    ({"authType": "SIGV4", "sigV4AssumeArn": "arn:aws:s3:::bucket", "sigV4StsRegion": "us-east-1"},
     "metricsExport.sigV4AssumeArn"),
    ({"authType": "SIGV4", "sigV4AssumeArn": "arn:aws:iam::123456789012:role/prom", "sigV4StsRegion": "moon-1"},
     "metricsExport.sigV4StsRegion"),
    ({"authType": "SIGV4", "sigV4AssumeArn": "arn:aws:iam::123456789012:role/prom"}, "metricsExport.sigV4StsRegion"),
    ({"authType": "BASIC", "password": None}, "metricsExport.password"),
    ({"authType": "AUTH_TOKEN"}, "metricsExport.basicToken"),
    ({"endpoint": "ftp://x"}, "metricsExport.endpoint"),
    ({"endpoint": "not a url"}, "metricsExport.endpoint"),
])
def test_bad_metrics_export_values(api, fields, field):
    ws = make_workspace(api)["id"]
    body = assert_error(api.post(PATH, json=metrics(ws, **fields)), 400)
    assert body["fieldErrors"][0]["field"] == field, body
    assert listing(api, workspaceId=ws)["totalCount"] == 0


def test_metrics_export_auth_types(api):
    ws = make_workspace(api)["id"]
    token = create(api, metrics(ws, authType="AUTH_TOKEN", basicToken="bearer-1", username=None, password=None))
    assert token["metricsExport"]["authType"] == "AUTH_TOKEN"
    assert "basicToken" not in token["metricsExport"] and "basicToken" in token["setFields"]
    sigv4 = create(api, metrics(ws, authType="SIGV4", username=None, password=None,
                                sigV4AssumeArn="arn:aws:iam::123456789012:role/prometheus-writer",
                                sigV4StsRegion="eu-west-1"))
    assert sigv4["metricsExport"]["sigV4AssumeArn"] == "arn:aws:iam::123456789012:role/prometheus-writer"
    assert sigv4["metricsExport"]["sigV4StsRegion"] == "eu-west-1"
    # switching auth type drops the old type's credentials
    switched = api.ok("POST", f"{PATH}/{token['id']}", json={"metricsExport": {
        "authType": "BASIC", "username": "u", "password": "p"}})
    assert switched["metricsExport"]["authType"] == "BASIC" and "basicToken" not in switched["setFields"]
    assert {"username", "password"} <= set(switched["setFields"])
    no_auth = create(api, metrics(ws, authType=None, username=None, password=None))
    assert "authType" not in no_auth["metricsExport"]


def test_duplicate_key_in_the_same_scope_is_409(server, api):
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    body = variable(ws, object_key="SHARED")
    create(api, body)
    assert_error(api.post(PATH, json=body), 409, "SHARED")
    # the same key is fine for another type, another workspace, or a deployment
    create(api, variable(ws, object_key="SHARED", object_type="ENVIRONMENT_VARIABLE"))
    create(api, variable(make_workspace(api)["id"], object_key="SHARED"))
    create(api, variable(dep, object_key="SHARED", scope="DEPLOYMENT"))
    assert listing(api, workspaceId=ws, objectKey="SHARED")["totalCount"] == 2


def test_the_database_refuses_a_duplicate_key_so_races_end_in_409(server, api):
    import sqlalchemy as sa
    from astroplane.envobjects.models import EnvironmentObject
    ws = make_workspace(api)["id"]
    obj = create(api, variable(ws, object_key="RACED"))
    session = server.database.session()
    try:
        original = session.get(EnvironmentObject, obj["id"])
        twin = EnvironmentObject(organization_id=api.org.id, workspace_id=ws, scope="WORKSPACE",
                                 scope_entity_id=ws, object_type="AIRFLOW_VARIABLE", object_key="RACED",
                                 payload=original.payload)
        session.add(twin)
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
    finally:
        session.rollback()
        session.close()


def test_update_changes_only_what_is_sent(api):
    ws = make_workspace(api)["id"]
    conn = create(api, connection(ws, description=None))
    updated = api.ok("POST", f"{PATH}/{conn['id']}", json={
        "description": "primary db", "connection": {"type": "postgres", "host": "db2.internal", "port": None}})
    assert updated["description"] == "primary db"
    assert updated["connection"]["host"] == "db2.internal"
    assert "port" not in updated["connection"] and "port" not in updated["setFields"]  # null clears
    assert updated["connection"]["login"] == "airflow" and "password" in updated["setFields"]  # left out: kept
    assert updated["updatedAt"] >= conn["updatedAt"]
    assert api.ok("GET", f"{PATH}/{conn['id']}") == updated
    # a block of another type is refused, and nothing changes
    assert_error(api.post(f"{PATH}/{conn['id']}", json={"airflowVariable": {"value": "x"}}), 400, "airflowVariable")
    assert_error(api.post(f"{PATH}/{conn['id']}", json={"connection": {"type": "postgres", "port": 99999}}),
                 400, "connection.port")
    assert api.ok("GET", f"{PATH}/{conn['id']}") == updated


def test_is_secret_cannot_change_on_update(api):
    ws = make_workspace(api)["id"]
    var = create(api, variable(ws, "s3cr3t-value", secret=True))
    body = assert_error(api.post(f"{PATH}/{var['id']}", json={"airflowVariable": {"value": "x", "isSecret": False}}),
                        400, "isSecret")
    assert body["fieldErrors"][0]["field"] == "airflowVariable.isSecret"
    same = api.ok("POST", f"{PATH}/{var['id']}", json={"airflowVariable": {"value": "new", "isSecret": True}})
    assert same["airflowVariable"] == {"value": "", "isSecret": True}


def test_deployment_objects_refuse_linking_fields(server, api):
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    for extra, field in [({"links": [{"scope": "DEPLOYMENT", "scopeEntityId": dep}]}, "links"),
                         ({"excludeLinks": [{"scope": "DEPLOYMENT", "scopeEntityId": dep}]}, "excludeLinks"),
                         ({"autoLinkDeployments": True}, "autoLinkDeployments")]:
        body = assert_error(api.post(PATH, json=variable(dep, scope="DEPLOYMENT", **extra)), 400, field)
        assert body["fieldErrors"][0]["field"] == field
    assert listing(api, deploymentId=dep)["totalCount"] == 0
    obj = create(api, variable(dep, scope="DEPLOYMENT"))
    assert_error(api.post(f"{PATH}/{obj['id']}", json={"autoLinkDeployments": True}), 400, "autoLinkDeployments")
    assert_error(api.post(f"{PATH}/{obj['id']}/exclude-linking", json={"scope": "DEPLOYMENT", "scopeEntityId": dep}),
                 400, "WORKSPACE")


def test_delete(api):
    ws = make_workspace(api)["id"]
    obj = create(api, variable(ws))
    api.ok("DELETE", f"{PATH}/{obj['id']}", status=204)
    assert_error(api.get(f"{PATH}/{obj['id']}"), 404)
    assert_error(api.delete(f"{PATH}/{obj['id']}"), 404)
    assert_error(api.get(f"{PATH}/not-an-id"), 404)
    create(api, variable(ws, object_key=obj["objectKey"]))  # the key is free again


def test_permissions_follow_the_objects_scope(server, api):
    ws = make_workspace(api)["id"]
    other_ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    ws_obj = create(api, variable(ws, "w"))
    other_obj = create(api, variable(other_ws, "o"))
    dep_obj = create(api, variable(dep, "d", scope="DEPLOYMENT"))
    member = api.as_token(make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", ws)[0])
    assert member.ok("GET", f"{PATH}/{ws_obj['id']}")["id"] == ws_obj["id"]
    assert member.ok("GET", f"{PATH}/{dep_obj['id']}")["id"] == dep_obj["id"]
    assert_error(member.get(f"{PATH}/{other_obj['id']}"), 403)
    assert_error(member.post(PATH, json=variable(ws)), 403)
    assert_error(member.post(f"{PATH}/{ws_obj['id']}", json={"description": "x"}), 403)
    assert_error(member.delete(f"{PATH}/{ws_obj['id']}"), 403)
    assert_error(member.get(PATH, params={"workspaceId": other_ws}), 403)
    seen = {o["id"] for o in listing(member)["environmentObjects"]}
    assert seen == {ws_obj["id"], dep_obj["id"]}
    admin = api.as_token(make_token(api, "DEPLOYMENT", "DEPLOYMENT_ADMIN", dep)[0])
    created = admin.ok("POST", PATH, json=variable(dep, scope="DEPLOYMENT"))
    assert {o["id"] for o in listing(admin)["environmentObjects"]} == {dep_obj["id"], created["id"]}
    assert_error(admin.post(PATH, json=variable(ws)), 403)
    assert_error(admin.get(f"{PATH}/{ws_obj['id']}"), 403)
    assert_error(admin.get(PATH, params={"workspaceId": ws}), 403)
    operator = api.as_token(make_token(api, "WORKSPACE", "WORKSPACE_OPERATOR", ws)[0])
    made = operator.ok("POST", PATH, json=variable(ws))
    operator.ok("POST", f"{PATH}/{made['id']}", json={"description": "ok"})
    operator.ok("DELETE", f"{PATH}/{made['id']}", status=204)


def test_keys_are_case_sensitive(api):
    ws = make_workspace(api)["id"]
    create(api, variable(ws, object_key="Case"))
    create(api, variable(ws, object_key="case"))
    assert listing(api, workspaceId=ws, objectKey="Case")["totalCount"] == 1
