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

    # --- astro deployment airflow-variable | connection | pool (cmd/cloud/deployment.go,
    # cloud/deployment/deployment_airflow.go, airflow-client/airflow-client.go, airflow-client/types.go) ----

    def airflow_url(self, deployment_id: str) -> str:
        """resolveDeploymentAirflowURL / getAirflowURL: the deployment read by id, its
        `metadata.airflow_api_url` (webServerAirflowApiUrl) up to any "?"."""
        got = self.v1("GET", f"/organizations/{self.organization}/deployments/{deployment_id}")
        assert got.status_code == 200, got.text
        return got.json()["webServerAirflowApiUrl"].split("?")[0]

    def _airflow(self, method: str, url: str, body: dict | None = None) -> dict:
        """DoAirflowClient: `authorization` is the context's token, JSON bodies; any non-2xx fails
        the command; a 2xx body is decoded as JSON."""
        headers = {"authorization": self.authorization}
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.http.request(method, url, headers=headers,
                                     content=None if body is None else json.dumps(body))
        assert 200 <= response.status_code < 300, (method, url, response.status_code, response.text)
        return response.json()

    def _list(self, airflow_url: str, resource: str) -> list[dict]:
        """fetchAllPages: pages of 100 until a short page or total_entries."""
        found, offset = [], 0
        while True:
            page = self._airflow("GET", f"https://{airflow_url}/{resource}?limit=100&offset={offset}")
            items = page.get(resource) or []
            found += items
            offset += len(items)
            if len(items) < 100 or (page.get("total_entries", 0) > 0 and offset >= page["total_entries"]):
                return found

    def airflow_variable(self, action: str, deployment_id: str, key: str = "", value: str = "",
                         description: str = ""):
        """`astro deployment airflow-variable list|create|update --deployment-id … [--key --value --description]`."""
        url = self.airflow_url(deployment_id)
        body = {"description": description, "key": key, "value": value}
        if action == "list":
            return self._list(url, "variables")
        if action == "create":
            return self._airflow("POST", f"https://{url}/variables", body)
        return self._airflow("PATCH", f"https://{url}/variables/{key}", body)

    def airflow_connection(self, action: str, deployment_id: str, conn_id: str = "", conn_type: str = "",
                           host: str = "", login: str = "", password: str = "", schema: str = "",
                           extra: str = "", port: int = 0, description: str = ""):
        """`astro deployment connection list|create|update --deployment-id … --conn-id --conn-type …`."""
        url = self.airflow_url(deployment_id)
        body = {"connection_id": conn_id, "conn_type": conn_type, "description": description, "host": host,
                "schema": schema, "login": login, "password": password, "port": port, "extra": extra}
        if action == "list":
            return self._list(url, "connections")
        if action == "create":
            return self._airflow("POST", f"https://{url}/connections", body)
        return self._airflow("PATCH", f"https://{url}/connections/{conn_id}", body)

    def airflow_pool(self, action: str, deployment_id: str, name: str = "", slots: int = 0,
                     description: str = "", include_deferred: bool = False):
        """`astro deployment pool list|create|update --deployment-id … --name --slots …`; the default
        pool is patched with an update mask (it takes no other field)."""
        url = self.airflow_url(deployment_id)
        body = {"description": description, "name": name, "slots": slots, "include_deferred": include_deferred}
        if action == "list":
            return self._list(url, "pools")
        if action == "create":
            return self._airflow("POST", f"https://{url}/pools", body)
        target = f"https://{url}/pools/{name}"
        if name == "default_pool":
            target += "?update_mask=slots&update_mask=include_deferred"
        return self._airflow("PATCH", target, body)

    # --- login, workspaces, deployments (cmd/cloud/setup.go checkAPIToken, cloud/workspace/workspace.go,
    # cloud/deployment/deployment.go List and Create) ---------------------------------------------------

    def login(self) -> dict:
        """checkAPIToken, before every cloud command: the token's `permissions` claim names its
        organization (and a workspace, for a workspace token); GET /organizations, whose first
        organization must carry `product` (the CLI dereferences it)."""
        import base64
        payload = self.token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert claims.get("permissions"), "the CLI refuses a token without permissions"
        named = dict(p.split(":", 1) for p in claims["permissions"] if ":" in p)
        self.organization = named.get("organizationId", self.organization)
        self.workspace = named.get("workspaceId", self.workspace)
        listed = self.v1("GET", "/organizations")
        assert listed.status_code == 200, listed.text
        assert listed.json()["organizations"][0]["product"]
        return claims

    def workspace_list(self) -> list[dict]:
        """`astro workspace list`: the organization's workspaces."""
        listed = self.v1("GET", f"/organizations/{self.organization}/workspaces")
        assert listed.status_code == 200, listed.text
        return listed.json()["workspaces"]

    def workspace_switch(self, workspace_id: str) -> None:
        """`astro workspace switch <id>`: the id must be one of the listed workspaces; it is then the
        context's workspace."""
        assert workspace_id in {w["id"] for w in self.workspace_list()}, f"no workspace {workspace_id}"
        self.workspace = workspace_id

    def deployment_list(self) -> list[dict]:
        """`astro deployment list`: needs the context's workspace (coalesceWorkspace), then the
        deployments in it."""
        assert self.workspace, "failed to find a valid workspace: no workspace in the context"
        listed = self.v1("GET", f"/organizations/{self.organization}/deployments",
                         params={"workspaceIds": self.workspace})
        assert listed.status_code == 200, listed.text
        return listed.json()["deployments"]

    def deployment_create(self, *, name: str, workspace_id: str, runtime_version: str, cloud_provider: str,
                          region: str, scheduler_size: str = "", dag_deploy: str = "", executor: str = "CeleryExecutor",
                          description: str = "", high_availability: str = "", development_mode: str = "",
                          cicd_enforcement: str = "") -> dict:
        """`astro deployment create` for a STANDARD deployment (Create): deployment options for the
        type and provider (the pod and quota defaults come from them), the workspaces (the id must be
        one), then the create with every member the CLI sets."""
        assert runtime_version, "without --runtime-version the CLI downloads the runtime list first"
        assert cloud_provider and region, "without --cloud-provider and --region the CLI prompts"
        options = self.v1("GET", f"/organizations/{self.organization}/deployment-options",
                          params={"deploymentType": "STANDARD", "cloudProvider": cloud_provider.upper()})
        assert options.status_code == 200, options.text
        quotas = options.json()["resourceQuotas"]
        assert workspace_id in {w["id"] for w in self.workspace_list()}, "no such workspace"
        executors = {"celeryexecutor": "CELERY", "celery": "CELERY", "kubernetesexecutor": "KUBERNETES",
                     "kubernetes": "KUBERNETES", "astroexecutor": "ASTRO", "astro": "ASTRO"}
        body = {"astroRuntimeVersion": runtime_version, "cloudProvider": cloud_provider.upper(),
                "description": description, "name": name, "executor": executors[executor.lower()],
                "isCicdEnforced": cicd_enforcement == "enable", "region": region,
                "isDagDeployEnabled": dag_deploy == "enable", "isHighAvailability": high_availability == "enable",
                "isDevelopmentMode": development_mode == "enable", "workspaceId": workspace_id, "type": "STANDARD",
                "defaultTaskPodCpu": quotas["defaultPodSize"]["cpu"]["default"],
                "defaultTaskPodMemory": quotas["defaultPodSize"]["memory"]["default"],
                "resourceQuotaCpu": quotas["resourceQuota"]["cpu"]["default"],
                "resourceQuotaMemory": quotas["resourceQuota"]["memory"]["default"]}
        if scheduler_size:
            body["schedulerSize"] = scheduler_size.upper()
        created = self.v1("POST", f"/organizations/{self.organization}/deployments", body)
        assert created.status_code == 200, created.text
        return created.json()
