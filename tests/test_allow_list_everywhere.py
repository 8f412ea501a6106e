"""The IP allow-list on every route that carries an organization's data or acts for one.

Every operation of every API document the server serves (v1, Platform v1beta1, IAM v1beta1, Labs
v1: read from the server, so a new operation cannot escape) and every other route under an
organization (the Airflow proxy), called by an organization's token from outside its list, is
refused with 403 in the Astro error body; from inside, reads are served (hot reads included). The
routes outside an organization (GetSelfUser, ListOrganizations, ListPermissionGroups) see the
caller only from the organizations that admit it, and refuse a caller none admits. Clients reach
the server through a trusted proxy that names them in X-Forwarded-For. Both databases."""

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from astroplane import resources
from astroplane.app import create_app
from conftest import Api, assert_error, make_workspace, new_org
from factories import insert_deployment
from identity_helpers import user_token

PROXY, PROXIES = "10.0.0.2", ["10.0.0.0/24"]
INSIDE, OUTSIDE = "198.51.100.7", "192.0.2.10"
ALLOWED = ["127.0.0.0/8", "198.51.100.0/24"]
REFUSAL = "allowed IP address ranges"
METHODS = ("get", "post", "put", "patch", "delete")
UNKNOWN_ID = "c" + "0" * 24


@pytest.fixture
def proxied(server) -> TestClient:
    """The server's database behind a trusted proxy: requests say who they come from in X-Forwarded-For."""
    app = create_app(server.settings.model_copy(update={"trusted_proxies": PROXIES}), server.database)
    return TestClient(app, raise_server_exceptions=False, client=(PROXY, 40000))


def _served_operations(client: TestClient) -> list[tuple[str, str, str]]:
    """(method, path template, operationId) of every operation in every API document the server serves."""
    found = []
    for prefix, _ in client.app.state.api_mounts:
        document = client.get(f"{prefix}/openapi.json")
        assert document.status_code == 200, prefix
        for path, item in document.json()["paths"].items():
            found += [(method.upper(), path, operation["operationId"]) for method, operation in item.items()
                      if method in METHODS]
    return found


def _internal_organization_routes() -> list[tuple[str, str, str]]:
    """The routes outside the API documents (resources.INTERNAL_ROUTERS) that sit under an
    organization, one per method: the Airflow proxy, and whatever joins it later."""
    found = []
    for route in [route for router in resources.INTERNAL_ROUTERS for route in router.routes]:  # mounted as they are
        path = getattr(route, "path", "")
        if "{organizationId}" in path:
            found += [(method, path, f"{method} {path}") for method in sorted(route.methods) if method != "HEAD"]
    return found


def _url(template: str, values: dict[str, str]) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1).split(":", 1)[0]
        if name in values:
            return values[name]
        return UNKNOWN_ID if name.endswith("Id") else "api/v2/dags"  # a well-formed id: 404 would come after 403

    return re.sub(r"\{([^}]+)\}", fill, template)


def _call(client: TestClient, method: str, url: str, token: str, address: str):
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": address}
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return client.request(method, url, headers=headers, **body)


def _refused_by_the_list(response) -> bool:
    return response.status_code == 403 and REFUSAL.lower() in response.json().get("message", "").lower()


def _hot_reads_served(client: TestClient) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in client.get("/metrics").text.splitlines()
               if line.startswith("astroplane_hot_reads_total{") and 'outcome="served"' in line)


def test_every_operation_of_every_document_is_refused_from_outside_the_list(server, api, proxied):
    workspace = make_workspace(api)["id"]
    deployment = insert_deployment(server, api.org.id, workspace)
    values = {"organizationId": api.org.id, "workspaceId": workspace, "deploymentId": deployment}
    operations = _served_operations(proxied) + _internal_organization_routes()
    names = {name for _, _, name in operations}
    # what the issue names, in every API that serves it (guards against a walk that found nothing)
    assert {"GetSelfUser", "ListOrganizations", "ListPermissionGroups", "GetDeployment", "CreateNotificationChannel",
            "LabsCreateAlerts"} <= names, names
    assert any("/airflow/" in path for _, path, _ in operations)
    assert len(operations) >= 150
    api.ok("POST", "/allowed-ip-address-ranges/bulk-create", json={"allowedIpAddressRanges": ALLOWED})

    # inside the list: reads are served (GetDeployment twice, so the second is a hot read)
    hot_before = _hot_reads_served(proxied)
    for method, path, name in [op for op in operations if op[0] == "GET"] + [("GET", "/v1/organizations/"
                                                                             "{organizationId}/deployments/"
                                                                             "{deploymentId}", "again")]:
        response = _call(proxied, method, _url(path, values), api.token, INSIDE)
        assert not _refused_by_the_list(response) and response.status_code < 500, (name, response.text)
    assert _hot_reads_served(proxied) > hot_before, "the hot read of GetDeployment never answered"
    assert _call(proxied, "GET", f"/v1/organizations/{api.org.id}/workspaces/{workspace}", api.token,
                 INSIDE).status_code == 200

    # outside it: every operation refused, reads and writes, before anything is looked up or changed
    for method, path, name in operations:
        response = _call(proxied, method, _url(path, values), api.token, OUTSIDE)
        assert _refused_by_the_list(response), (name, method, path, response.status_code, response.text)
        assert_error(response, 403, OUTSIDE)
    assert api.ok("GET", f"/workspaces/{workspace}")["id"] == workspace  # nothing was deleted from outside


def test_routes_outside_an_organization_see_only_the_organizations_that_admit_the_caller(server, proxied):
    email = f"person-{uuid.uuid4().hex[:8]}@example.com"
    restricted, open_ = new_org(server, email=email), new_org(server, email=email)
    Api(server, restricted, restricted.token).ok("POST", "/allowed-ip-address-ranges/bulk-create",
                                                 json={"allowedIpAddressRanges": ALLOWED})
    # the restricted organization invites a person who is a member of the open one only
    invited_email = f"guest-{uuid.uuid4().hex[:8]}@example.com"
    guest = new_org(server, email=invited_email)
    Api(server, restricted, restricted.token).ok("POST", "/invites",
                                                 json={"inviteeEmail": invited_email, "role": "ORGANIZATION_MEMBER"})
    _, token = user_token(server, email)
    _, guest_token = user_token(server, invited_email)

    def listed(address: str, bearer: str = token) -> set[str]:
        response = _call(proxied, "GET", "/v1/organizations", bearer, address)
        assert response.status_code == 200, response.text
        return {org["id"] for org in response.json()["organizations"]}

    def self_user(address: str, bearer: str = token) -> dict:
        response = _call(proxied, "GET", "/v1/users/self", bearer, address)
        assert response.status_code == 200, response.text
        return response.json()

    assert listed(INSIDE) == {restricted.id, open_.id}
    assert listed(OUTSIDE) == {open_.id}
    for prefix in ("/platform/v1beta1",):  # the older API that serves ListOrganizations too
        response = _call(proxied, "GET", f"{prefix}/organizations", token, OUTSIDE)
        assert {org["id"] for org in response.json()["organizations"]} == {open_.id}
    inside, outside = self_user(INSIDE), self_user(OUTSIDE)
    assert {role["scope"]["entityId"] for role in inside["roles"]} == {restricted.id, open_.id}
    assert {role["scope"]["entityId"] for role in outside["roles"]} == {open_.id}
    assert outside["organizationId"] == open_.id
    assert _call(proxied, "GET", "/v1/authorization/permission-groups", token, OUTSIDE).status_code == 200
    assert_error(_call(proxied, "GET", f"/v1/organizations/{restricted.id}", token, OUTSIDE), 403, REFUSAL)
    assert _call(proxied, "GET", f"/v1/organizations/{open_.id}", token, OUTSIDE).status_code == 200
    # an invite from an organization that does not admit the caller is not shown either
    assert [i["organizationId"] for i in self_user(INSIDE, guest_token)["invites"]] == [restricted.id]
    assert self_user(OUTSIDE, guest_token)["invites"] == []
    assert listed(OUTSIDE, guest_token) == {guest.id}

    # a person whose only organization refuses the address is refused outright
    only_email = f"only-{uuid.uuid4().hex[:8]}@example.com"
    only = new_org(server, email=only_email)
    Api(server, only, only.token).ok("POST", "/allowed-ip-address-ranges", json={"ipAddressRange": "127.0.0.0/8"})
    _, only_token = user_token(server, only_email)
    for path in ("/v1/users/self", "/v1/organizations", "/v1/authorization/permission-groups"):
        assert_error(_call(proxied, "GET", path, only_token, OUTSIDE), 403, OUTSIDE, REFUSAL)
