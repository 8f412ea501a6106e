"""Deploys through the HTTP API, replaying what the Astro CLI and CI do."""

import urllib.parse

import sqlalchemy as sa

from archive_helpers import tarball
from conftest import assert_error, assert_no_nulls, make_token, make_workspace
from factories import insert_deployment


def _deployment(server, api, **columns) -> str:
    return insert_deployment(server, api.org.id, make_workspace(api)["id"], **columns)


def put_archive(server, url: str, body: bytes):
    """PUT like the CLI's blob client: the URL as returned, no API token."""
    parts = urllib.parse.urlsplit(url)
    return server.client.put(f"{parts.path}?{parts.query}", content=body,
                             headers={"x-ms-blob-type": "BlockBlob", "content-type": "application/octet-stream"})


def _deployment_row(server, deployment_id: str) -> dict:
    with server.database.engine.connect() as connection:
        return dict(connection.execute(sa.text("SELECT image_tag, dag_tarball_version, desired_dag_tarball_version, "
                                               "status, is_dag_deploy_enabled FROM deployments WHERE id = :id"),
                                       {"id": deployment_id}).mappings().one())


def test_astro_cli_deploy_sequence_then_rollback(server, api):
    deployment_id = _deployment(server, api)
    base = f"/deployments/{deployment_id}/deploys"
    git = {"provider": "GITHUB", "account": "acme", "repo": "dags", "commitSha": "a" * 40, "branch": "main",
           "commitUrl": "https://github.com/acme/dags/commit/" + "a" * 40}
    # 1. create
    first = api.ok("POST", base, json={"type": "IMAGE_AND_DAG", "description": "first", "git": git})
    assert first["status"] == "INITIALIZED" and first["type"] == "IMAGE_AND_DAG" and first["isDagDeployEnabled"]
    assert first["imageTag"].startswith("deploy-") and first["imageRepository"]
    assert first["git"] == git and first["deploymentId"] == deployment_id
    assert first["dagsUploadUrl"].startswith(server.settings.base_url + "/uploads/")
    assert "bundleUploadUrl" not in first and "rollbackFromId" not in first
    assert first["createdBySubject"]["subjectType"] == "SERVICEKEY"
    assert_no_nulls(first)
    # 2. PUT the tarball to the returned URL, 3. read x-ms-version-id
    uploaded = put_archive(server, first["dagsUploadUrl"], tarball({"dags/a.py": b"a = 1\n"}))
    assert uploaded.status_code == 201, uploaded.text
    version = uploaded.headers["x-ms-version-id"]
    assert version.endswith("Z") and "T" in version
    # 4. finalize
    done = api.ok("POST", f"{base}/{first['id']}/finalize", json={"dagTarballVersion": version})
    assert done["status"] == "DEPLOYED" and done["dagTarballVersion"] == version and "dagsUploadUrl" not in done
    row = _deployment_row(server, deployment_id)
    assert row["image_tag"] == first["imageTag"] and row["dag_tarball_version"] == version
    assert row["desired_dag_tarball_version"] == version and row["status"] == "DEPLOYING"
    # a second deploy changes DAGs only
    second = api.ok("POST", base, json={"type": "DAG_ONLY"})
    assert second["imageTag"] == first["imageTag"]
    version2 = put_archive(server, second["dagsUploadUrl"], tarball({"dags/b.py": b"b = 2\n"})).headers["x-ms-version-id"]
    api.ok("POST", f"{base}/{second['id']}/finalize", json={"dagTarballVersion": version2})
    assert _deployment_row(server, deployment_id)["dag_tarball_version"] == version2
    # 5. rollback to the first: a new deploy restoring its image tag and DAG version
    rolled = api.ok("POST", f"{base}/{first['id']}/rollback", json={"description": "back"})
    assert rolled["id"] not in (first["id"], second["id"]) and rolled["rollbackFromId"] == first["id"]
    assert rolled["status"] == "DEPLOYED" and rolled["imageTag"] == first["imageTag"]
    assert rolled["dagTarballVersion"] == version and rolled["description"] == "back"
    row = _deployment_row(server, deployment_id)
    assert row["dag_tarball_version"] == version and row["image_tag"] == first["imageTag"]
    # history, newest first
    listed = api.ok("GET", base)
    assert [d["id"] for d in listed["deploys"]] == [rolled["id"], second["id"], first["id"]]
    assert listed["totalCount"] == 3 and listed["limit"] == 20 and listed["offset"] == 0
    assert api.ok("GET", base, params={"limit": 1, "offset": 1})["deploys"][0]["id"] == second["id"]
    assert api.ok("GET", f"{base}/{first['id']}")["status"] == "DEPLOYED"
    # the deploy flow wrote real log lines
    logs = api.ok("GET", f"/deployments/{deployment_id}/logs", params={"sources": ["scheduler", "dag-processor"]})
    texts = " ".join(entry["raw"] for entry in logs["results"])
    assert first["imageTag"] in texts and version2 in texts and rolled["id"] in texts


def test_image_only_and_disabled_dag_deploys(server, api):
    deployment_id = _deployment(server, api, is_dag_deploy_enabled=False)
    base = f"/deployments/{deployment_id}/deploys"
    assert_error(api.post(base, json={"type": "DAG_ONLY"}), 400, "dag deploy is not enabled for deployment")
    assert_error(api.post(base, json={"type": "BUNDLE", "bundleMountPath": "/b", "bundleType": "dbt"}), 400,
                 "dag deploy is not enabled")
    created = api.ok("POST", base, json={"type": "IMAGE_AND_DAG"})
    assert "dagsUploadUrl" not in created and created["isDagDeployEnabled"] is False
    assert_error(api.post(f"{base}/{created['id']}/finalize", json={"dagTarballVersion": "x"}), 400,
                 "dagTarballVersion")
    done = api.ok("POST", f"{base}/{created['id']}/finalize", json={})  # the CLI sends an empty body here
    assert done["status"] == "DEPLOYED" and "dagTarballVersion" not in done
    assert_error(api.post(f"{base}/{created['id']}/finalize", json={}), 400, "already DEPLOYED")


def test_finalize_needs_a_version_uploaded_for_this_deploy(server, api):
    deployment_id = _deployment(server, api)
    base = f"/deployments/{deployment_id}/deploys"
    one = api.ok("POST", base, json={"type": "DAG_ONLY"})
    two = api.ok("POST", base, json={"type": "DAG_ONLY"})
    assert_error(api.post(f"{base}/{one['id']}/finalize", json={}), 400, "dagTarballVersion")
    assert_error(api.post(f"{base}/{one['id']}/finalize", json={"dagTarballVersion": "2024-01-12T18:32:20.5898930Z"}),
                 400, "dagTarballVersion")
    version_of_two = put_archive(server, two["dagsUploadUrl"], tarball()).headers["x-ms-version-id"]
    assert_error(api.post(f"{base}/{one['id']}/finalize", json={"dagTarballVersion": version_of_two}), 400,
                 "not an archive uploaded for this deploy")
    assert api.ok("GET", f"{base}/{one['id']}")["status"] == "INITIALIZED"
    # an upload URL is bound to its deploy and kind, and uploads stop after finalize
    api.ok("POST", f"{base}/{two['id']}/finalize", json={"dagTarballVersion": version_of_two})
    assert put_archive(server, two["dagsUploadUrl"], tarball()).status_code == 400
    forged = one["dagsUploadUrl"].replace(one["id"], two["id"])
    assert put_archive(server, forged, tarball()).status_code == 403
    assert put_archive(server, one["dagsUploadUrl"].split("?")[0] + "?sig=nope", tarball()).status_code == 403


def test_missing_blob_fails_the_deploy(server, api):
    import pathlib
    import shutil
    deployment_id = _deployment(server, api)
    base = f"/deployments/{deployment_id}/deploys"
    created = api.ok("POST", base, json={"type": "DAG_ONLY"})
    unique = tarball({"dags/unique.py": created["id"].encode()})
    version = put_archive(server, created["dagsUploadUrl"], unique).headers["x-ms-version-id"]
    import hashlib
    digest = hashlib.sha256(unique).hexdigest()
    blob = pathlib.Path(server.settings.data_dir) / "blobs" / "sha256" / digest[:2] / digest
    assert blob.is_file()
    shutil.move(str(blob), str(blob) + ".gone")
    try:
        failed = api.ok("POST", f"{base}/{created['id']}/finalize", json={"dagTarballVersion": version})
    finally:
        shutil.move(str(blob) + ".gone", str(blob))
    assert failed["status"] == "FAILED"
    assert_error(api.post(f"{base}/{created['id']}/rollback", json={}), 400, "FAILED")


def test_bundle_deploys(server, api):
    deployment_id = _deployment(server, api)
    base = f"/deployments/{deployment_id}/deploys"
    assert_error(api.post(base, json={"type": "BUNDLE", "bundleType": "dbt"}), 400, "bundleMountPath")
    assert_error(api.post(base, json={"type": "BUNDLE", "bundleMountPath": "/usr/local/airflow/dbt"}), 400,
                 "bundleType")
    assert_error(api.post(base, json={"type": "BUNDLE", "bundleType": "dbt", "bundleMountPath": "rel/../x"}), 400,
                 "bundleMountPath")
    assert_error(api.post(base, json={"type": "DAG_ONLY", "bundleType": "dbt"}), 400, "bundleType")
    created = api.ok("POST", base, json={"type": "BUNDLE", "bundleType": "dbt",
                                         "bundleMountPath": "/usr/local/airflow/dbt"})
    assert created["type"] == "DAG_ONLY" and created["bundleMountPath"] == "/usr/local/airflow/dbt"
    assert "dagsUploadUrl" not in created and created["bundleUploadUrl"]
    assert created["bundles"] == [{"bundleType": "dbt", "deployId": created["id"], "mountPath": "/usr/local/airflow/dbt"}]
    assert put_archive(server, created["bundleUploadUrl"].replace("/bundle?", "/dags?"), tarball()).status_code == 403
    version = put_archive(server, created["bundleUploadUrl"], tarball({"models/m.sql": b"select 1"})).headers[
        "x-ms-version-id"]
    assert_error(api.post(f"{base}/{created['id']}/finalize", json={}), 400, "bundleTarballVersion")
    done = api.ok("POST", f"{base}/{created['id']}/finalize", json={"bundleTarballVersion": version})
    assert done["bundles"][0]["currentVersion"] == version and done["status"] == "DEPLOYED"
    rolled = api.ok("POST", f"{base}/{created['id']}/rollback", json={})
    assert rolled["bundles"][0]["currentVersion"] == version and rolled["rollbackFromId"] == created["id"]


def test_git_metadata_rules(server, api):
    base = f"/deployments/{_deployment(server, api)}/deploys"
    sha = "b" * 40
    cases = [
        ({"provider": "GITHUB", "repo": "r", "commitSha": sha}, "git.account"),
        ({"provider": "GITHUB", "account": "a", "commitSha": sha}, "git.repo"),
        ({"provider": "GITHUB", "account": "a", "repo": "r", "commitSha": sha, "remoteUrl": "https://x"}, "git.remoteUrl"),
        ({"provider": "GENERIC", "commitSha": sha}, "git.remoteUrl"),
        ({"provider": "GENERIC", "remoteUrl": "https://git.example/x.git", "account": "a", "commitSha": sha}, "git.account"),
        ({"provider": "GENERIC", "remoteUrl": "https://git.example/x.git", "repo": "r", "commitSha": sha}, "git.repo"),
        ({"provider": "GITHUB", "account": "a", "repo": "r"}, "commitSha"),
        ({"provider": "GITLAB", "commitSha": sha, "remoteUrl": "https://x"}, "provider"),
        ({"provider": "GENERIC", "remoteUrl": "https://x", "commitSha": "  "}, "git.commitSha"),
    ]
    for git, field in cases:
        assert_error(api.post(base, json={"type": "IMAGE_ONLY", "git": git}), 400, field)
    generic = {"provider": "GENERIC", "remoteUrl": "https://git.example/x.git", "commitSha": sha}
    assert api.ok("POST", base, json={"type": "IMAGE_ONLY", "git": generic})["git"] == generic
    assert_error(api.post(base, json={"type": "IMAGE_ONLY", "description": "d" * 501}), 400, "description")
    assert_error(api.post(base, json={"type": "EVERYTHING"}), 400, "type")
    assert_error(api.post(base, json={}), 400, "type")
    assert api.ok("GET", base)["totalCount"] == 1  # nothing half-written


def test_update_description_and_rollback_rules(server, api):
    deployment_id = _deployment(server, api)
    base = f"/deployments/{deployment_id}/deploys"
    created = api.ok("POST", base, json={"type": "IMAGE_ONLY", "description": "old"})
    updated = api.ok("POST", f"{base}/{created['id']}", json={"description": "new"})
    assert updated["description"] == "new" and updated["updatedAt"]
    assert_error(api.post(f"{base}/{created['id']}", json={"description": "x" * 501}), 400, "description")
    assert_error(api.post(f"{base}/{created['id']}/rollback", json={}), 400, "INITIALIZED")
    api.ok("POST", f"{base}/{created['id']}/finalize", json={})
    assert_error(api.post(f"{base}/{created['id']}/rollback", json={"description": "x" * 501}), 400, "description")
    with server.database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE deploys SET finalized_at = '2020-01-01 00:00:00' WHERE id = :id"),
                           {"id": created["id"]})
    assert_error(api.post(f"{base}/{created['id']}/rollback", json={}), 400, "90 days")


def test_unknown_and_foreign_deploys_are_404(server, api):
    one, other = _deployment(server, api), _deployment(server, api)
    created = api.ok("POST", f"/deployments/{one}/deploys", json={"type": "IMAGE_ONLY"})
    assert_error(api.get(f"/deployments/{other}/deploys/{created['id']}"), 404)
    assert_error(api.get(f"/deployments/{one}/deploys/c{'0' * 24}"), 404)
    assert_error(api.get(f"/deployments/{one}/deploys/not-an-id"), 404)
    assert_error(api.get(f"/deployments/c{'0' * 24}/deploys"), 404)
    # the contract declares no 404 for FinalizeDeploy and GetDeploymentLogs: unreachable is 403
    assert_error(api.post(f"/deployments/{other}/deploys/{created['id']}/finalize", json={}), 403, "reachable")
    assert_error(api.post(f"/deployments/{one}/deploys/not-an-id/finalize", json={}), 403)
    assert_error(api.post(f"/deployments/c{'0' * 24}/deploys/{created['id']}/finalize", json={}), 403)
    assert_error(api.get(f"/deployments/c{'0' * 24}/logs", params={"sources": "worker"}), 403, "reachable")
    assert_error(api.get("/deployments/0/logs", params={"sources": "worker"}), 403)


def test_deploy_permissions(server, api):
    workspace = make_workspace(api)
    deployment_id = insert_deployment(server, api.org.id, workspace["id"])
    base = f"/deployments/{deployment_id}/deploys"
    member, _ = make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", workspace["id"])
    author, _ = make_token(api, "WORKSPACE", "WORKSPACE_AUTHOR", workspace["id"])
    assert_error(api.as_token(member).post(base, json={"type": "IMAGE_ONLY"}), 403, "deployment.deploys.create")
    created = api.as_token(author).ok("POST", base, json={"type": "IMAGE_ONLY"})
    assert api.as_token(member).ok("GET", base)["totalCount"] == 1
    assert_error(api.as_token(member).post(f"{base}/{created['id']}/finalize", json={}), 403)
    api.as_token(author).ok("POST", f"{base}/{created['id']}/finalize", json={})
