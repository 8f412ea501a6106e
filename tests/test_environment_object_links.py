"""Workspace objects reaching deployments: links with overrides, setFields/unsetFields,
autoLinkDeployments with exclusions, exclude-linking, resolveLinked, and cleanup when a
workspace or deployment goes."""

import sqlalchemy as sa

from lifecycle_helpers import reconcile
from conftest import assert_error, assert_no_nulls, make_workspace
from envobjects_helpers import PATH, connection, create, deployments, listing, variable


def _link(deployment_id: str, **overrides) -> dict:
    entry = {"scope": "DEPLOYMENT", "scopeEntityId": deployment_id}
    if overrides:
        entry["overrides"] = overrides
    return entry


def _seen_by(api, deployment_id: str, **params) -> dict[str, dict]:
    page = listing(api, deploymentId=deployment_id, resolveLinked="true", **params)
    assert page["totalCount"] == len(page["environmentObjects"])
    return {o["objectKey"]: o for o in page["environmentObjects"]}


def test_links_carry_typed_overrides_and_set_fields(server, api):
    ws = make_workspace(api)["id"]
    d1, d2 = deployments(server, api, ws, 2)
    conn = create(api, {**connection(ws), "links": [
        _link(d1, connection={"host": "replica.internal", "extra": {"sslmode": "disable"}}), _link(d2)]})
    assert_no_nulls(conn)
    first, second = sorted(conn["links"], key=lambda link: link["scopeEntityId"] != d1)
    assert first["scopeEntityId"] == d1 and first["setFields"] == ["extra.sslmode", "host"]
    assert first["connectionOverrides"] == {"host": "replica.internal", "extra": {"sslmode": "disable"}}
    assert second == {"scope": "DEPLOYMENT", "scopeEntityId": d2, "setFields": []}
    # what each deployment effectively sees
    seen1 = _seen_by(api, d1)[conn["objectKey"]]
    assert "id" not in seen1
    assert (seen1["scope"], seen1["scopeEntityId"]) == ("DEPLOYMENT", d1)
    assert (seen1["sourceScope"], seen1["sourceScopeEntityId"]) == ("WORKSPACE", ws)
    assert seen1["connection"]["host"] == "replica.internal" and seen1["connection"]["port"] == 5432
    assert seen1["connection"]["extra"] == {"sslmode": "disable"}
    assert "links" not in seen1 and "password" not in seen1["connection"]
    assert _seen_by(api, d2)[conn["objectKey"]]["connection"]["host"] == "db.internal"


def test_unset_fields_go_back_to_inheriting_and_omitted_fields_are_kept(server, api):
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    conn = create(api, {**connection(ws), "links": [_link(dep, connection={"host": "h1", "login": "l1"})]})
    # a field left out inside a link entry is kept; a new one is added
    updated = api.ok("POST", f"{PATH}/{conn['id']}", json={"links": [_link(dep, connection={"port": 6543})]})
    assert updated["links"][0]["setFields"] == ["host", "login", "port"]
    # unsetFields removes overrides so the object's value applies again
    updated = api.ok("POST", f"{PATH}/{conn['id']}", json={
        "links": [_link(dep, connection={"schema": "s2"}, unsetFields=["host", "port"])]})
    assert updated["links"][0]["setFields"] == ["login", "schema"]
    assert _seen_by(api, dep)[conn["objectKey"]]["connection"]["host"] == "db.internal"
    # a field cannot be both set and unset
    body = assert_error(api.post(f"{PATH}/{conn['id']}", json={
        "links": [_link(dep, connection={"login": "x"}, unsetFields=["login"])]}), 400, "both set and unset")
    assert body["fieldErrors"][0]["field"] == "links[0].overrides.unsetFields"
    body = assert_error(api.post(f"{PATH}/{conn['id']}", json={
        "links": [_link(dep, unsetFields=["no_such_field"])]}), 400, "no_such_field")
    assert body["fieldErrors"][0]["field"] == "links[0].overrides.unsetFields"
    assert api.ok("GET", f"{PATH}/{conn['id']}")["links"] == updated["links"]


def test_update_without_links_keeps_them_and_empty_arrays_clear_them(server, api):
    ws = make_workspace(api)["id"]
    d1, d2 = deployments(server, api, ws, 2)
    var = create(api, variable(ws, "v", autoLinkDeployments=True, links=[_link(d1)],
                               excludeLinks=[{"scope": "DEPLOYMENT", "scopeEntityId": d2}]))
    assert var["autoLinkDeployments"] is True
    kept = api.ok("POST", f"{PATH}/{var['id']}", json={"description": "only this", "airflowVariable": {"value": "w"}})
    assert kept["autoLinkDeployments"] is True
    assert [link["scopeEntityId"] for link in kept["links"]] == [d1]
    assert kept["excludeLinks"] == [{"scope": "DEPLOYMENT", "scopeEntityId": d2}]
    cleared = api.ok("POST", f"{PATH}/{var['id']}", json={"autoLinkDeployments": False, "links": [],
                                                          "excludeLinks": []})
    assert not {"autoLinkDeployments", "links", "excludeLinks"} & set(cleared)  # empty lists are left out
    assert var["objectKey"] not in _seen_by(api, d1)


def test_auto_link_reaches_every_deployment_but_the_excluded(server, api):
    ws = make_workspace(api)["id"]
    d1, d2, d3 = deployments(server, api, ws, 3)
    var = create(api, variable(ws, "default", object_key="AUTO", autoLinkDeployments=True,
                               links=[_link(d1, airflowVariable={"value": "for-d1"})],
                               excludeLinks=[{"scope": "DEPLOYMENT", "scopeEntityId": d3}]))
    assert _seen_by(api, d1)["AUTO"]["airflowVariable"]["value"] == "for-d1"
    assert _seen_by(api, d2)["AUTO"]["airflowVariable"]["value"] == "default"
    assert "AUTO" not in _seen_by(api, d3)
    d4, = deployments(server, api, ws, 1)  # deployments created later are reached too
    assert _seen_by(api, d4)["AUTO"]["airflowVariable"]["value"] == "default"
    # exclude-linking: idempotent, and it replaces an explicit link
    for _ in range(2):
        api.ok("POST", f"{PATH}/{var['id']}/exclude-linking", status=204,
               json={"scope": "DEPLOYMENT", "scopeEntityId": d1})
    after = api.ok("GET", f"{PATH}/{var['id']}")
    assert "links" not in after
    assert {e["scopeEntityId"] for e in after["excludeLinks"]} == {d1, d3}
    assert "AUTO" not in _seen_by(api, d1)


def test_without_auto_link_only_linked_deployments_see_the_object(server, api):
    ws = make_workspace(api)["id"]
    d1, d2 = deployments(server, api, ws, 2)
    create(api, variable(ws, "v", object_key="LINKED_ONLY", links=[_link(d1)]))
    assert "LINKED_ONLY" in _seen_by(api, d1) and "LINKED_ONLY" not in _seen_by(api, d2)


def test_a_deployment_object_shadows_the_workspace_object_with_its_key(server, api):
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    create(api, variable(ws, "from-workspace", object_key="SAME", autoLinkDeployments=True))
    own = create(api, variable(dep, "from-deployment", object_key="SAME", scope="DEPLOYMENT"))
    seen = _seen_by(api, dep)["SAME"]
    assert seen["id"] == own["id"] and seen["airflowVariable"]["value"] == "from-deployment"
    assert "sourceScope" not in seen
    assert len(_seen_by(api, dep, objectKey="SAME")) == 1


def test_bad_links_are_400_and_write_nothing(server, api):
    ws = make_workspace(api)["id"]
    other_ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    foreign, = deployments(server, api, other_ws, 1)
    exclude = {"scope": "DEPLOYMENT", "scopeEntityId": dep}
    cases = [
        ({"links": [_link(dep)], "excludeLinks": [exclude]}, "excludeLinks[0].scopeEntityId"),
        ({"links": [_link(foreign)]}, "links[0].scopeEntityId"),
        ({"links": [_link("c" + "2" * 24)]}, "links[0].scopeEntityId"),
        ({"links": [_link(dep), _link(dep)]}, "links[1].scopeEntityId"),
        ({"excludeLinks": [{"scope": "DEPLOYMENT", "scopeEntityId": foreign}]}, "excludeLinks[0].scopeEntityId"),
        ({"links": [_link(dep, connection={"host": "x"})]}, "links[0].overrides.connection"),
    ]
    for extra, field in cases:
        body = assert_error(api.post(PATH, json=variable(ws, "v", **extra)), 400)
        assert body["fieldErrors"][0]["field"] == field, (extra, body)
    body = assert_error(api.post(PATH, json={**connection(ws), "links": [_link(dep, connection={"port": -1})]}), 400)
    assert body["fieldErrors"][0]["field"] == "links[0].overrides.connection.port"
    assert listing(api, workspaceId=ws)["totalCount"] == 0
    # on update too, nothing changes
    var = create(api, variable(ws, "v", links=[_link(dep)]))
    assert_error(api.post(f"{PATH}/{var['id']}", json={"description": "changed", "excludeLinks": [exclude]}),
                 400, "both linked and excluded")
    assert_error(api.post(f"{PATH}/{var['id']}/exclude-linking",
                          json={"scope": "DEPLOYMENT", "scopeEntityId": foreign}), 400, "workspace")
    assert api.ok("GET", f"{PATH}/{var['id']}") == var


def test_deployment_delete_cleanup_drops_its_objects_links_and_exclusions(server, api):
    ws = make_workspace(api)["id"]
    gone, stays = deployments(server, api, ws, 2)
    linked = create(api, variable(ws, "v", links=[_link(gone), _link(stays)]))
    excluded = create(api, variable(ws, "v", autoLinkDeployments=True,
                                    excludeLinks=[{"scope": "DEPLOYMENT", "scopeEntityId": gone}]))
    own = create(api, variable(gone, "v", scope="DEPLOYMENT"))
    # through the API: the delete is accepted, and the reconciler's removal runs the cleanups
    api.ok("DELETE", f"/deployments/{gone}", status=204)
    reconcile(server)
    assert_error(api.get(f"/deployments/{gone}"), 404)
    assert [link["scopeEntityId"] for link in api.ok("GET", f"{PATH}/{linked['id']}")["links"]] == [stays]
    assert "excludeLinks" not in api.ok("GET", f"{PATH}/{excluded['id']}")
    assert_error(api.get(f"{PATH}/{own['id']}"), 404)


def test_deleting_a_workspace_removes_its_objects_in_the_same_transaction(server, api):
    ws = make_workspace(api)["id"]
    objects = [create(api, variable(ws, "v")), create(api, connection(ws))]
    api.ok("DELETE", f"/workspaces/{ws}", status=204)
    for obj in objects:
        assert_error(api.get(f"{PATH}/{obj['id']}"), 404)
    with server.database.engine.connect() as connection_:
        left = connection_.execute(sa.text("SELECT count(*) FROM environment_objects WHERE workspace_id = :w"),
                                   {"w": ws}).scalar()
    assert left == 0


def test_workspace_cleanup_takes_deployment_objects_and_links_too(server, api):
    from astroplane.workspaces import service as workspaces_service
    from astroplane.workspaces.models import Workspace
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    create(api, variable(ws, "v", links=[_link(dep)]))
    create(api, variable(dep, "v", scope="DEPLOYMENT"))
    session = server.database.session()
    try:
        workspace = session.get(Workspace, ws)
        for cleanup in workspaces_service.DELETE_CLEANUPS:
            cleanup(session, workspace)
        count = session.execute(sa.text("SELECT count(*) FROM environment_objects WHERE workspace_id = :w"),
                                {"w": ws}).scalar()
        links = session.execute(sa.text("SELECT count(*) FROM environment_object_links WHERE deployment_id = :d"),
                                {"d": dep}).scalar()
        assert (count, links) == (0, 0)
    finally:
        session.rollback()
        session.close()


def test_overrides_must_leave_a_complete_object_for_the_deployment(server, api):
    from envobjects_helpers import metrics
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    body = assert_error(api.post(PATH, json={**metrics(ws), "links": [
        _link(dep, metricsExport={"authType": "SIGV4", "sigV4StsRegion": "us-east-1"})]}), 400, "sigV4AssumeArn")
    assert body["fieldErrors"][0]["field"] == "links[0].overrides.metricsExport.sigV4AssumeArn"
    made = create(api, {**metrics(ws), "links": [_link(dep, metricsExport={
        "authType": "SIGV4", "sigV4StsRegion": "us-east-1", "sigV4AssumeArn": "arn:aws:iam::123456789012:role/w"})]})
    seen = _seen_by(api, dep)[made["objectKey"]]["metricsExport"]
    assert seen["authType"] == "SIGV4" and "username" not in seen
    assert listing(api, workspaceId=ws)["totalCount"] == 1
