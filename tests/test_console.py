"""The web console in a real browser (Debian's chromium through Playwright), against a real
astroplane process per database: sign in, workspaces and deployments (live status), tokens shown
once, masked secrets, log search, a refusal with the API's message, sign out.

Screenshots of each main view go to <pytest basetemp>/console-screenshots-<backend>/ (printed).
"""

import re
import time
import uuid

import httpx
import pytest

from browser import launch
from live import LiveServer

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
# CREATING -> HEALTHY takes a few reconciler steps; short enough to watch, long enough to see CREATING
STEP_DELAY = "0.4"


class Console:
    """One live server, its owner token, and helpers to drive it through the API."""

    def __init__(self, server: LiveServer, token: str, organization_id: str, organization_name: str, shots):
        self.server, self.token, self.shots = server, token, shots
        self.organization_id, self.organization_name = organization_id, organization_name
        self.base = server.base
        self.http = httpx.Client(base_url=f"{server.base}/v1/organizations/{organization_id}",
                                 headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def ok(self, method: str, path: str, **kwargs):
        response = self.http.request(method, path, **kwargs)
        assert response.is_success, (response.status_code, response.text)
        return response.json() if response.content else None

    def workspace(self, **extra) -> dict:
        return self.ok("POST", "/workspaces", json={"name": f"ws-{uuid.uuid4().hex[:6]}", "defaultCloudProvider": "AWS",
                                                    "defaultRegion": "us-east-1", **extra})

    def deployment(self, workspace_id: str, **extra) -> dict:
        return self.ok("POST", "/deployments", json={"name": f"dep-{uuid.uuid4().hex[:6]}",
                                                     "workspaceId": workspace_id, **extra})

    def healthy(self, deployment_id: str) -> dict:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            deployment = self.ok("GET", f"/deployments/{deployment_id}")
            if deployment["status"] == "HEALTHY":
                return deployment
            time.sleep(0.1)
        raise AssertionError(f"deployment {deployment_id} did not become HEALTHY")

    def shot(self, page, name: str) -> None:
        page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def console(request, databases, tmp_path_factory):
    data = tmp_path_factory.mktemp(f"console-{request.param}")
    server = LiveServer(data, databases.url(request.param), run_reconciler="true", step_delay_seconds=STEP_DELAY,
                        reconcile_interval_seconds="0.1").start()
    try:
        name = f"console-{request.param}"
        init = server.cli("init", "--organization", name, "--owner-email", "owner@console.test")
        shots = tmp_path_factory.getbasetemp() / f"console-screenshots-{request.param}"
        shots.mkdir(exist_ok=True)
        print(f"\nconsole screenshots: {shots}")
        yield Console(server, init["token"], init["organizationId"], name, shots)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, console):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems  # no uncaught script errors on any page


def sign_in(page, console: Console, token: str | None = None, at: str = "") -> None:
    page.goto(f"{console.base}/{at}")
    page.get_by_label("Token").fill(token or console.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_root_redirects_to_the_console_and_files_are_served(console):
    response = httpx.get(f"{console.base}/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/console/"
    page = httpx.get(f"{console.base}/console/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    module = httpx.get(f"{console.base}/console/views/deployments.js")
    assert module.headers["content-type"].startswith("text/javascript")
    missing = httpx.get(f"{console.base}/console/../pyproject.toml")
    assert missing.status_code == 404
    assert "/console/" not in httpx.get(f"{console.base}/v1/openapi.json").text


def test_sign_in_overview_and_sign_out(page, console):
    page.goto(f"{console.base}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Request ID")
    sign_in(page, console)
    expect(page.get_by_role("heading", level=1)).to_have_text(console.organization_name)
    expect(page.get_by_role("heading", name="Deployments by status")).to_be_visible()
    expect(page.get_by_role("heading", name="Clusters")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('astroplane.console.token')") == console.token
    assert page.evaluate("document.cookie") == "" and page.evaluate("localStorage.length") == 0
    console.shot(page, "overview")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0
    page.goto(f"{console.base}/console/#/deployments")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
