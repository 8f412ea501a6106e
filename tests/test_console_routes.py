"""The console's files and routes, without a browser: where they live, what they are served as,
and that they stay out of the Astro API's document."""

from conftest import CLIENT_ADDRESS, assert_error


def test_root_redirects_to_the_console(server):
    response = server.client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/console/"
    assert server.client.get("/console", follow_redirects=False).headers["location"] == "/console/"


def test_the_page_and_its_modules_are_served_as_they_are(server):
    page = server.client.get("/console/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="app.js">' in page.text
    for module in ("app.js", "api.js", "ui.js", "views/deployments.js", "views/ipranges.js"):
        response = server.client.get(f"/console/{module}")
        assert response.status_code == 200, module
        assert response.headers["content-type"].startswith("text/javascript")
        assert response.headers["cache-control"] == "no-cache"
    assert server.client.get("/console/console.css").headers["content-type"].startswith("text/css")
    # nothing from elsewhere: the page allows only its own origin
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_only_the_console_files_are_served(server):
    for path in ("/console/nope.js", "/console/%2e%2e/endpoints.py", "/console/..%2fendpoints.py",
                 "/console/__init__.py", "/console/static/app.js"):
        assert_error(server.client.get(path), 404)


def test_the_client_address_is_the_one_the_allow_list_sees(server):
    assert server.client.get("/console/client-address").json() == {"address": CLIENT_ADDRESS[0]}


def test_the_console_is_not_in_the_api_document(server):
    paths = server.client.get("/v1/openapi.json").json()["paths"]
    assert not [path for path in paths if "console" in path]


def test_files_revalidate_with_their_etag(server):
    first = server.client.get("/console/app.js")
    again = server.client.get("/console/app.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert server.client.get("/console/app.js", headers={"If-None-Match": '"other"'}).status_code == 200
