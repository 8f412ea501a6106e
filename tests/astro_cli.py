"""Replays of the Astro CLI (astronomer/astro-cli, v1.45.0): the HTTP calls its commands make, as
its public source makes them. The CLI's module cannot be built with `go install` (its go.mod has
replace directives), so its calls are replayed here; each method cites the file it follows."""

import json
import re
import urllib.parse
from dataclasses import dataclass, field

PLACEHOLDER = re.compile(r"\{([a-zA-Z][a-zA-Z0-9_]*)\}")


@dataclass
class AstroCli:
    """One CLI context: `astro config set -g local.core <core>` with ASTRO_DOMAIN=localhost and
    ASTRO_API_TOKEN, after `astro organization switch` / `astro workspace switch`."""

    http: object  # an httpx-like client (TestClient, or httpx.Client for a live server)
    core: str  # local.core, e.g. http://testserver
    token: str
    organization: str
    workspace: str | None = None
    spec: dict | None = field(default=None, repr=False)

    @property
    def authorization(self) -> str:
        # config/context: an API token from ASTRO_API_TOKEN is kept as "Bearer <token>" and sent as it is
        return f"Bearer {self.token}"

    def v1(self, method: str, path: str, body: dict | None = None, params: dict | None = None):
        """A call of the generated v1 client (pkg/astro-client-v1): <core>/v1<path>."""
        response = self.http.request(method, f"{self.core}/v1{path}", params=params,
                                     headers={"Authorization": self.authorization, "Content-Type": "application/json"},
                                     content=None if body is None else json.dumps(body))
        return response

    # --- astro api cloud (cmd/api/cloud.go, pkg/openapi/cache.go) ----------------------------------

    def load_spec(self) -> dict:
        """initCloudSpecCache + Cache.fetchSpec: GET <core>/spec/v1.0 (GetPublicRESTAPIURL("spec/v1.0")),
        without a token, accepting JSON or YAML; libopenapi then builds a v3 model from it."""
        response = self.http.get(f"{self.core}/spec/v1.0",
                                 headers={"Accept": "application/json, application/yaml, text/yaml, */*"})
        assert response.status_code == 200, (response.status_code, response.text[:200])
        self.spec = response.json()
        return self.spec

    def endpoints(self) -> list[tuple[str, str, str]]:
        """`astro api cloud ls`: (method, path, operationId) of every operation (pkg/openapi/endpoints.go)."""
        spec = self.spec or self.load_spec()
        return [(method.upper(), path, operation.get("operationId", ""))
                for path, item in spec["paths"].items() for method, operation in item.items()
                if method in ("get", "post", "put", "patch", "delete")]

    def api_cloud(self, target: str, *, path_params: dict | None = None, fields: dict | None = None,
                  method: str | None = None):
        """`astro api cloud <operationId | path> [-p k=v] [-F k=v] [-X M]` (runCloud): an operation id
        (no "/") is looked up in the spec; placeholders {organizationId}/{workspaceId} come from the
        context; the URL is GetPublicRESTAPIURL("v1") + path; GET puts fields in the query, other
        methods send them as a JSON body."""
        chosen = method or "GET"
        path = target
        if "/" not in target:
            matches = [(m, p) for m, p, operation in self.endpoints() if operation == target]
            assert matches, f"'{target}' not found as operation ID or path"
            spec_method, path = matches[0]
            chosen = method or spec_method
        for name, value in (path_params or {}).items():
            path = path.replace("{" + name + "}", value)
        context = {"organizationid": self.organization, "workspaceid": self.workspace}
        path = PLACEHOLDER.sub(lambda m: context.get(m.group(1).lower()) or m.group(0), path)
        missing = PLACEHOLDER.findall(path)
        assert not missing, f"missing path parameter(s): {missing}"
        if fields and method is None and "/" in target:
            chosen = "POST"
        url = self.core.rstrip("/") + "/v1" + (path if path.startswith("/") else "/" + path)
        headers = {"Authorization": self.authorization, "Accept": "application/json"}
        if chosen == "GET":
            if fields:
                url += "?" + urllib.parse.urlencode(fields, doseq=True)
            return self.http.request(chosen, url, headers=headers)
        if fields:
            headers["Content-Type"] = "application/json"
        return self.http.request(chosen, url, headers=headers,
                                 content=json.dumps(fields) if fields else None)

    # --- astro dbt deploy / delete (cmd/cloud/dbt.go, cloud/deploy/bundle.go, pkg/azure/azure.go) ----

    DBT_MOUNT_PREFIX = "/usr/local/airflow/dbt/"  # dbtDefaultMountPathPrefix; bundle type "dbt"

    def _create_bundle_deploy(self, deployment_id: str, mount_path: str, description: str) -> dict:
        """createBundleDeploy: description, type BUNDLE, bundleMountPath and bundleType are always
        sent (pointers to the values, "" included); git only from a clean checkout (none here)."""
        created = self.v1("POST", f"/organizations/{self.organization}/deployments/{deployment_id}/deploys",
                          {"description": description, "type": "BUNDLE", "bundleMountPath": mount_path,
                           "bundleType": "dbt"})
        assert created.status_code == 200, created.text
        return created.json()

    def _finalize_bundle(self, deployment_id: str, deploy_id: str, version: str):
        """finalizeBundleDeploy: {bundleTarballVersion: &tarballVersion}, "" for a delete."""
        path = f"/organizations/{self.organization}/deployments/{deployment_id}/deploys/{deploy_id}/finalize"
        return self.v1("POST", path, {"bundleTarballVersion": version})

    def upload(self, url: str, archive: bytes) -> str:
        """azureUploader: PUT the archive to the SAS URL as a block blob; the version id comes back."""
        parts = urllib.parse.urlsplit(url)
        target = url if parts.netloc == urllib.parse.urlsplit(self.core).netloc else f"{parts.path}?{parts.query}"
        response = self.http.put(target, content=archive, headers={"x-ms-blob-type": "BlockBlob"})
        assert response.status_code in (200, 201), response.text
        return response.headers["x-ms-version-id"]

    def dbt_deploy(self, deployment_id: str, project_name: str, archive: bytes, description: str = "") -> dict:
        """`astro dbt deploy <id>` in a dbt project named `project_name` (DeployBundle): read the
        deployment (DAG deploys must be on), create the BUNDLE deploy, upload the tarred project
        (.git/ left out), finalize with the upload's version."""
        got = self.v1("GET", f"/organizations/{self.organization}/deployments/{deployment_id}")
        assert got.status_code == 200 and got.json()["isDagDeployEnabled"], got.text
        deploy = self._create_bundle_deploy(deployment_id, self.DBT_MOUNT_PREFIX + project_name, description)
        assert deploy.get("bundleUploadUrl"), "no bundle upload URL received from Astro"
        version = self.upload(deploy["bundleUploadUrl"], archive)
        finalized = self._finalize_bundle(deployment_id, deploy["id"], version)
        assert finalized.status_code == 200, finalized.text
        return finalized.json()

    def dbt_delete(self, deployment_id: str, project_name: str, description: str = ""):
        """`astro dbt delete <id>` (DeleteBundle): create the BUNDLE deploy, then finalize it at once
        with an empty version, "which will delete the bundle from the deployment"."""
        deploy = self._create_bundle_deploy(deployment_id, self.DBT_MOUNT_PREFIX + project_name, description)
        return self._finalize_bundle(deployment_id, deploy["id"], "")
