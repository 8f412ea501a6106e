"""A thin layer over the official Kubernetes Python client: its configuration loading, TLS and
authentication, with server-side apply and raw JSON (no model objects, which cost more to build
than the calls they wrap). Counts its API calls, for the scale figures in docs/kubernetes.md."""

import json
import urllib.parse

FIELD_MANAGER = "astroplane"
# where each kind we apply lives: (API prefix, plural, namespaced)
KINDS: dict[tuple[str, str], tuple[str, str, bool]] = {
    ("v1", "Namespace"): ("/api/v1", "namespaces", False),
    ("v1", "Secret"): ("/api/v1", "secrets", True),
    ("v1", "ConfigMap"): ("/api/v1", "configmaps", True),
    ("v1", "ServiceAccount"): ("/api/v1", "serviceaccounts", True),
    ("v1", "Service"): ("/api/v1", "services", True),
    ("v1", "ResourceQuota"): ("/api/v1", "resourcequotas", True),
    ("v1", "Pod"): ("/api/v1", "pods", True),
    ("apps/v1", "Deployment"): ("/apis/apps/v1", "deployments", True),
    ("autoscaling/v2", "HorizontalPodAutoscaler"): ("/apis/autoscaling/v2", "horizontalpodautoscalers", True),
    ("rbac.authorization.k8s.io/v1", "Role"): ("/apis/rbac.authorization.k8s.io/v1", "roles", True),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): ("/apis/rbac.authorization.k8s.io/v1", "rolebindings", True),
    # applied only by the tests, from deploy/kubernetes/rbac.yaml
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): ("/apis/rbac.authorization.k8s.io/v1", "clusterroles", False),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): ("/apis/rbac.authorization.k8s.io/v1",
                                                             "clusterrolebindings", False),
}


class KubeError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def collection_path(api_version: str, kind: str, namespace: str | None) -> str:
    prefix, plural, namespaced = KINDS[(api_version, kind)]
    if namespaced and namespace:
        return f"{prefix}/namespaces/{namespace}/{plural}"
    return f"{prefix}/{plural}"


def object_path(api_version: str, kind: str, name: str, namespace: str | None = None) -> str:
    return f"{collection_path(api_version, kind, namespace)}/{name}"


class Cluster:
    def __init__(self, *, kubeconfig: str = "", context: str = "", in_cluster: bool = False):
        from kubernetes import client, config  # imported here: servers on other backends never pay for it

        configuration = client.Configuration()
        if in_cluster:
            config.load_incluster_config(client_configuration=configuration)
        else:
            config.load_kube_config(config_file=kubeconfig or None, context=context or None,
                                    client_configuration=configuration)
        self._client = client.ApiClient(configuration)
        self._exception = client.exceptions.ApiException
        import urllib3

        self._unreachable = (OSError, urllib3.exceptions.HTTPError)
        self.calls = 0

    def request(self, method: str, path: str, *, query: dict | None = None, body: dict | None = None,
                content_type: str = "application/json", text: bool = False):
        """One API call; the decoded JSON (or text) answer, None for 404, KubeError otherwise."""
        self.calls += 1
        method, url, headers, payload, _ = self._client.param_serialize(
            method, path, query_params=list((query or {}).items()),
            header_params={"Accept": "application/json", "Content-Type": content_type},
            body=body, auth_settings=["BearerToken"])
        try:
            response = self._client.call_api(method, url, header_params=headers, body=payload, _request_timeout=30)
        except self._exception as error:
            raise KubeError(error.status or 0, _message(error.body) or str(error.reason)) from None
        except self._unreachable as error:
            raise KubeError(0, f"the Kubernetes API does not answer: {error}") from None
        data = response.read().decode("utf-8", errors="replace")
        if response.status == 404:
            return None
        if not 200 <= response.status < 300:
            raise KubeError(response.status, _message(data) or f"{response.status} {response.reason}")
        return data if text else (json.loads(data) if data else None)

    def apply(self, manifest: dict) -> dict:
        """Server-side apply under astroplane's field manager, taking over fields others changed."""
        metadata = manifest["metadata"]
        path = object_path(manifest["apiVersion"], manifest["kind"], metadata["name"], metadata.get("namespace"))
        return self.request("PATCH", path, query={"fieldManager": FIELD_MANAGER, "force": "true"}, body=manifest,
                            content_type="application/apply-patch+yaml")

    def list(self, api_version: str, kind: str, namespace: str | None = None, selector: str = "") -> list[dict]:
        query = {"labelSelector": selector} if selector else {}
        found = self.request("GET", collection_path(api_version, kind, namespace), query=query)
        return found["items"] if found else []

    def delete(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> None:
        self.request("DELETE", object_path(api_version, kind, name, namespace),
                     body={"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"})

    def scale(self, name: str, namespace: str, replicas: int) -> None:
        self.request("PATCH", object_path("apps/v1", "Deployment", name, namespace) + "/scale",
                     query={"fieldManager": FIELD_MANAGER + "-scale"}, body={"spec": {"replicas": replicas}},
                     content_type="application/merge-patch+json")

    def logs(self, namespace: str, pod: str, container: str, since_time: str | None) -> str:
        query = {"container": container, "timestamps": "true"}
        if since_time:
            query["sinceTime"] = since_time
        path = f"/api/v1/namespaces/{namespace}/pods/{urllib.parse.quote(pod)}/log"
        return self.request("GET", path, query=query, text=True) or ""

    def close(self) -> None:
        self._client.close()


def _message(body) -> str:
    try:
        return json.loads(body).get("message", "")
    except (TypeError, ValueError):
        return str(body or "")[:300]
