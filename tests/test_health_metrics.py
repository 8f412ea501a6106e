def test_healthz_checks_the_database(api):
    assert api.ok("GET", "/healthz", token="") == {"status": "ok"}


def test_metrics_are_prometheus_text(api):
    api.get("/workspaces")
    response = api.get("/metrics", token="")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'astroplane_http_requests_total{method="GET",route="/organizations/{organizationId}/workspaces"' \
        in response.text


def test_docs_and_openapi_are_served(api):
    assert api.get("/v1/docs", token="").status_code == 200
    document = api.ok("GET", "/v1/openapi.json", token="")
    operation_ids = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert {"ListOrganizations", "CreateWorkspace", "RotateApiToken", "GetSelfUser"} <= operation_ids
