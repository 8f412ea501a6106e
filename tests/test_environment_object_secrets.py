"""Secrets of environment objects: written, never read back (responses, database rows, logs) unless
showSecrets=true in an organization that allows secret fetching."""

import json
import logging
import subprocess
import sys

import pytest
import sqlalchemy as sa

from astroplane.envobjects.service import set_secrets_fetching
from conftest import assert_error, make_workspace
from envobjects_helpers import PATH, connection, create, deployments, listing, metrics, variable

SECRETS = {name: f"{name}-{i}-plaintext-must-not-leak" for i, name in enumerate([
    "conn_password", "basic_password", "bearer_token", "airflow_secret", "env_secret", "override_conn_password",
    "override_var_value", "override_metrics_password", "updated_var_value", "updated_conn_password",
    "override_bearer_token"])}


def _link(deployment_id: str, **overrides) -> dict:
    return {"scope": "DEPLOYMENT", "scopeEntityId": deployment_id, "overrides": overrides}


def _write_every_secret(server, api) -> dict:
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    s = SECRETS
    objects = {
        "conn": create(api, {**connection(ws, password=s["conn_password"], host="db.private.example"),
                             "links": [_link(dep, connection={"password": s["override_conn_password"]})]}),
        "basic": create(api, {**metrics(ws, password=s["basic_password"]),
                              "links": [_link(dep, metricsExport={"password": s["override_metrics_password"]})]}),
        "bearer": create(api, {**metrics(ws, authType="AUTH_TOKEN", basicToken=s["bearer_token"], username=None,
                                         password=None),
                               "links": [_link(dep, metricsExport={"basicToken": s["override_bearer_token"]})]}),
        "var": create(api, variable(ws, s["airflow_secret"], secret=True, object_key="SECRET_VAR",
                                    links=[_link(dep, airflowVariable={"value": s["override_var_value"]})])),
        "env": create(api, variable(ws, s["env_secret"], secret=True, object_type="ENVIRONMENT_VARIABLE",
                                    object_key="SECRET_ENV", autoLinkDeployments=True)),
    }
    api.ok("POST", f"{PATH}/{objects['env']['id']}", json={"environmentVariable": {"value": s["updated_var_value"]}})
    api.ok("POST", f"{PATH}/{objects['conn']['id']}", json={
        "connection": {"type": "postgres", "password": s["updated_conn_password"]}})
    return {"workspaceId": ws, "deploymentId": dep, "objects": objects}


def _assert_hidden(text: str, where: str) -> None:
    for name, value in SECRETS.items():
        assert value not in text, f"{name} appears in {where}"


def test_secrets_never_appear_in_responses_rows_or_logs(server, api, caplog):
    caplog.set_level(logging.DEBUG)
    made = _write_every_secret(server, api)
    ws, dep, objects = made["workspaceId"], made["deploymentId"], made["objects"]
    responses = [api.get(f"{PATH}/{obj['id']}").text for obj in objects.values()]
    responses.append(api.get(PATH, params={"workspaceId": ws}).text)
    responses.append(api.get(PATH, params={"deploymentId": dep, "resolveLinked": "true"}).text)
    responses.append(api.get(PATH).text)
    for index, text in enumerate(responses):
        _assert_hidden(text, f"response {index}")
    # hidden secrets keep their place: variables show "", other fields are left out but listed as set
    var = api.ok("GET", f"{PATH}/{objects['var']['id']}")
    assert var["airflowVariable"] == {"value": "", "isSecret": True} and var["setFields"] == ["value"]
    assert var["links"][0]["setFields"] == ["value"] and "airflowVariableOverrides" not in var["links"][0]
    conn = api.ok("GET", f"{PATH}/{objects['conn']['id']}")
    assert "password" not in conn["connection"] and "password" in conn["setFields"]
    assert conn["links"][0]["setFields"] == ["password"]
    bearer = api.ok("GET", f"{PATH}/{objects['bearer']['id']}")
    assert "basicToken" not in bearer["metricsExport"] and "basicToken" in bearer["setFields"]
    # the raw rows: nothing readable, not even the non-secret fields of the typed block
    with server.database.engine.connect() as connection_:
        rows = [tuple(row) for table in ("environment_objects", "environment_object_links")
                for row in connection_.execute(sa.text(f"SELECT * FROM {table}"))]
    raw = repr(rows)
    assert rows and objects["var"]["id"] in raw
    _assert_hidden(raw, "the database")
    assert "db.private.example" not in raw
    _assert_hidden(caplog.text, "the logs")
    assert caplog.records  # the capture worked: requests were logged at some level


def test_show_secrets_needs_the_organization_switch(server, api):
    made = _write_every_secret(server, api)
    ws, dep, objects = made["workspaceId"], made["deploymentId"], made["objects"]
    body = assert_error(api.get(PATH, params={"workspaceId": ws, "showSecrets": "true"}), 400,
                        "showsecrets", "organization", "not allowed")
    assert body["fieldErrors"][0]["field"] == "showSecrets"
    session = server.database.session()
    try:
        assert set_secrets_fetching(session, api.org.id, True)[2] is True
        session.commit()
    finally:
        session.close()
    shown = {o["objectKey"]: o for o in listing(api, workspaceId=ws, showSecrets="true")["environmentObjects"]}
    s = SECRETS
    by_id = {o["id"]: o for o in shown.values()}
    conn = by_id[objects["conn"]["id"]]
    assert conn["connection"]["password"] == s["updated_conn_password"]
    assert conn["links"][0]["connectionOverrides"]["password"] == s["override_conn_password"]
    assert by_id[objects["basic"]["id"]]["metricsExport"]["password"] == s["basic_password"]
    bearer = by_id[objects["bearer"]["id"]]
    assert bearer["metricsExport"]["basicToken"] == s["bearer_token"]
    assert bearer["links"][0]["metricsExportOverrides"]["basicToken"] == s["override_bearer_token"]
    var = shown["SECRET_VAR"]
    assert var["airflowVariable"] == {"value": s["airflow_secret"], "isSecret": True}
    assert var["links"][0]["airflowVariableOverrides"] == {"value": s["override_var_value"]}
    assert shown["SECRET_ENV"]["environmentVariable"]["value"] == s["updated_var_value"]
    # what the deployment sees, revealed: the link's override wins
    seen = {o["objectKey"]: o for o in listing(api, deploymentId=dep, resolveLinked="true",
                                               showSecrets="true")["environmentObjects"]}
    assert seen["SECRET_VAR"]["airflowVariable"]["value"] == s["override_var_value"]
    assert seen["SECRET_ENV"]["environmentVariable"]["value"] == s["updated_var_value"]
    # without showSecrets, still hidden; GET never reveals
    _assert_hidden(api.get(PATH, params={"workspaceId": ws}).text, "a list without showSecrets")
    _assert_hidden(api.get(f"{PATH}/{objects['var']['id']}").text, "GET")


def test_an_empty_secret_on_update_means_no_change(server, api):
    ws = make_workspace(api)["id"]
    var = create(api, variable(ws, "keep-me", secret=True))
    conn = create(api, connection(ws, password="pw-keep"))
    api.ok("POST", f"{PATH}/{var['id']}", json={"airflowVariable": {"value": ""}})
    api.ok("POST", f"{PATH}/{conn['id']}", json={"connection": {"type": "postgres", "password": ""}})
    session = server.database.session()
    try:
        set_secrets_fetching(session, api.org.id, True)
        session.commit()
    finally:
        session.close()
    shown = {o["id"]: o for o in listing(api, workspaceId=ws, showSecrets="true")["environmentObjects"]}
    assert shown[var["id"]]["airflowVariable"]["value"] == "keep-me"
    assert shown[conn["id"]]["connection"]["password"] == "pw-keep"


@pytest.fixture
def cli_env(tmp_path, databases, request):
    import os
    url = databases.url(request.param)
    return {**os.environ, "ASTROPLANE_DATA_DIR": str(tmp_path), "ASTROPLANE_DATABASE_URL": url}


def _cli(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "astroplane.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def _cli_json(env, *args) -> dict:
    done = _cli(env, *args, "--json")
    assert done.returncode == 0, f"astroplane {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}"
    return json.loads(done.stdout)


@pytest.mark.parametrize("cli_env", ["sqlite", "postgresql"], indirect=True)
def test_org_settings_cli_turns_secret_fetching_on_and_off(cli_env):
    created = _cli_json(cli_env, "init", "--organization", "acme", "--owner-email", "o@acme.test")
    on = _cli_json(cli_env, "org-settings", "--organization", created["organizationId"], "--allow-secrets-fetching")
    assert on == {"organizationId": created["organizationId"], "name": "acme", "allowSecretsFetching": True}
    assert _cli_json(cli_env, "org-settings", "--organization", "acme")["allowSecretsFetching"] is True
    off = _cli_json(cli_env, "org-settings", "--organization", "acme", "--deny-secrets-fetching")
    assert off["allowSecretsFetching"] is False
    missing = _cli(cli_env, "org-settings", "--organization", "nope")
    assert missing.returncode == 2 and "nope" in missing.stderr


def _rotate(server, keys: list[str]) -> int:
    """Re-encrypt the environment-object columns under keys[0] (the CLI's rotate-encryption, scoped)."""
    from astroplane.kit import crypto
    tables = sa.MetaData()
    sa.Table("environment_objects", tables, sa.Column("id", sa.String, primary_key=True),
             sa.Column("payload", crypto.EncryptedText))
    sa.Table("environment_object_links", tables, sa.Column("object_id", sa.String, primary_key=True),
             sa.Column("deployment_id", sa.String, primary_key=True), sa.Column("overrides", crypto.EncryptedText))
    crypto.configure(keys)
    session = server.database.session()
    try:
        count = crypto.rotate_all(session, tables)
        session.commit()
        return count
    finally:
        session.close()


def test_key_rotation_keeps_objects_readable(server, api):
    from astroplane.kit import crypto
    from conftest import TEST_ENCRYPTION_KEY
    ws = make_workspace(api)["id"]
    dep, = deployments(server, api, ws, 1)
    obj = create(api, {**connection(ws), "links": [_link(dep, connection={"host": "rotated.example"})]})

    def stored() -> tuple:
        with server.database.engine.connect() as connection_:
            return connection_.execute(sa.text(
                "SELECT o.payload, l.overrides FROM environment_objects o JOIN environment_object_links l "
                "ON l.object_id = o.id WHERE o.id = :id"), {"id": obj["id"]}).one()

    before = stored()
    new_key = crypto.generate_key()
    try:
        crypto.configure([new_key, TEST_ENCRYPTION_KEY])  # new key first, old one still accepted
        assert api.ok("GET", f"{PATH}/{obj['id']}") == obj
        assert _rotate(server, [new_key, TEST_ENCRYPTION_KEY]) >= 2
        after = stored()
        assert after[0] != before[0] and after[1] != before[1]
        crypto.configure([new_key])  # old key retired: still readable
        assert api.ok("GET", f"{PATH}/{obj['id']}") == obj
    finally:
        _rotate(server, [TEST_ENCRYPTION_KEY, new_key])
        crypto.configure([TEST_ENCRYPTION_KEY])
    assert api.ok("GET", f"{PATH}/{obj['id']}") == obj
