"""The web console in a real browser (Debian's chromium through Playwright), against a real
astroplane server per database (uvicorn in a thread, reconciler on): sign in, workspaces and
deployments (live status), tokens shown once, masked secrets, log search, a refusal with the API's
message, sign out; and every other view once.

Screenshots of each main view go to <pytest basetemp>/console-screenshots-<backend>/ (printed).
"""

import json
import os
import re
import time
import uuid

import httpx
import pytest
from playwright import sync_api as playwright_api

from astroplane import bootstrap
from astroplane.app import create_app
from astroplane.auth.codec import TokenCodec
from astroplane.kit.db import Database
from astroplane.kit.migrate import upgrade
from browser import CHROMIUM, MISSING, launch
from conftest import make_settings
import fake_airflow
from live import ThreadedServer, free_port

pytestmark = pytest.mark.slow
expect = playwright_api.expect
# each lifecycle step (CREATING -> HEALTHY, ...) takes this long: short for the suite's sake, long
# enough that the page shows the step before it ends, even on a busy machine
STEP_DELAY = 2.0
# every status badge the page ever showed, in order (a full reload would start the list afresh)
WATCH_BADGES = """
window.__badges = [];
new MutationObserver(() => {
  const badge = document.querySelector('#deployment-status .badge');
  if (badge && window.__badges.at(-1) !== badge.textContent) window.__badges.push(badge.textContent);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


class Console:
    """One live server, its owner token, and helpers to drive it through the API."""

    def __init__(self, server: ThreadedServer, token: str, organization_id: str, organization_name: str, shots):
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

    def gone(self, path: str) -> None:
        deadline = time.monotonic() + 30
        while self.http.get(path).status_code != 404:
            assert time.monotonic() < deadline, f"{path} is still there"
            time.sleep(0.1)

    def shot(self, page, name: str) -> None:
        page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def console(request, databases, tmp_path_factory):
    url = databases.url(request.param)
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path_factory.mktemp(f"console-{request.param}"), url, run_reconciler=True,
                             step_delay_seconds=STEP_DELAY, reconcile_interval_seconds=0.1)
    name = f"console-{request.param}"
    session = database.session()
    try:
        init = bootstrap.init_organization(session, TokenCodec(settings), name, "owner@console.test")
        session.commit()
    finally:
        session.close()
    server = ThreadedServer(create_app(settings, database)).start()
    shots = tmp_path_factory.getbasetemp() / f"console-screenshots-{request.param}"
    shots.mkdir(exist_ok=True)
    print(f"\nconsole screenshots: {shots}")
    try:
        yield Console(server, init.token, init.organization_id, name, shots)
    finally:
        server.stop()
        database.dispose()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(MISSING, pytrace=False)
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


def signed_in(page, console: Console, at: str = "console/") -> None:
    """Open `at` as the owner, signed in the way the form does it (the sign-in itself is tested
    on its own): the token in this tab's session storage."""
    token, organization = json.dumps(console.token), json.dumps(console.organization_id)
    page.add_init_script(f"sessionStorage.setItem('astroplane.console.token', {token});"
                         f"sessionStorage.setItem('astroplane.console.organizationId', {organization});")
    page.goto(f"{console.base}/{at}")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in(page, console: Console, token: str | None = None, at: str = "") -> None:
    page.goto(f"{console.base}/{at}")
    page.get_by_label("Token").fill(token or console.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_sign_in_overview_and_sign_out(page, console):
    page.goto(f"{console.base}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Request ID")
    # by keyboard: the token field has the focus, Enter submits
    page.get_by_label("Token").fill("")
    page.keyboard.type(console.token)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(console.organization_name)
    expect(page.get_by_role("heading", name="Deployments by status")).to_be_visible()
    expect(page.get_by_role("heading", name="Clusters")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('astroplane.console.token')") == console.token
    assert page.evaluate("document.cookie") == "" and page.evaluate("localStorage.length") == 0
    console.shot(page, "overview")
    # every section is reachable with Tab; Enter follows the link and focus moves to the new page
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Deployments":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deployments")
    expect(page.locator("main")).to_be_focused()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0
    page.goto(f"{console.base}/console/#/deployments")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_create_a_workspace_and_a_deployment_and_watch_it_become_healthy(page, console):
    sign_in(page, console)
    page.get_by_role("link", name="Workspaces").click()
    page.get_by_role("button", name="New workspace").click()
    name = f"ui-ws-{uuid.uuid4().hex[:6]}"
    form = page.get_by_role("form", name="Create workspace")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Default cloud provider").select_option("AWS")
    form.get_by_label("Default region").fill("us-east-1")
    form.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("link", name="Workspaces").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()
    console.shot(page, "workspaces")

    page.get_by_role("link", name="Deployments", exact=True).click()
    page.get_by_role("link", name="Create deployment").click()
    deployment_name = f"ui-dep-{uuid.uuid4().hex[:6]}"
    page.get_by_label("Name").fill(deployment_name)
    page.get_by_label("Workspace").select_option(label=name)
    page.evaluate(WATCH_BADGES)
    page.get_by_role("button", name="Create deployment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(deployment_name)
    status = page.locator("#deployment-status .badge")
    # the page polls: without a reload, the badge goes from CREATING to HEALTHY on its own
    expect(status).to_have_text("HEALTHY", timeout=20_000)
    assert page.evaluate("window.__badges") == ["CREATING", "HEALTHY"]
    deployment_id = page.url.rsplit("/", 1)[1]
    created = console.ok("GET", f"/deployments/{deployment_id}")
    assert created["name"] == deployment_name and created["status"] == "HEALTHY"
    expect(page.get_by_text(created["runtimeVersion"], exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="Worker queues")).to_be_visible()
    console.shot(page, "deployment")

    page.get_by_role("link", name="Deployments", exact=True).click()
    page.get_by_label("Workspace").select_option(label=name)
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#deployment-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".badge")).to_have_text("HEALTHY")
    console.shot(page, "deployments")

    # update: a variable and a secret, then the page polls through DEPLOYING back to HEALTHY
    page.goto(f"{console.base}/console/#/deployments/{deployment_id}/edit")
    page.get_by_role("button", name="Add variable").click()
    page.get_by_label("Key").last.fill("PLAIN_SETTING")
    page.get_by_label("Value").last.fill("visible-value")
    page.get_by_role("button", name="Add variable").click()
    page.get_by_label("Key").last.fill("API_PASSWORD")
    page.get_by_label("Value").last.fill("s3cr3t-do-not-show")
    page.get_by_label("Secret", exact=True).last.check()
    page.evaluate(WATCH_BADGES)
    page.get_by_role("button", name="Save and redeploy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(deployment_name)
    expect(status).to_have_text("HEALTHY", timeout=20_000)
    assert page.evaluate("window.__badges") == ["DEPLOYING", "HEALTHY"]
    variables = page.get_by_role("region", name="Environment variables")
    expect(variables).to_contain_text("visible-value")
    expect(variables.locator("tr", has_text="API_PASSWORD").locator(".masked")).to_be_visible()
    assert "s3cr3t-do-not-show" not in page.content()


def test_hibernate_wake_and_delete(page, console):
    workspace = console.workspace()
    deployment = console.deployment(workspace["id"], isDevelopmentMode=True)
    signed_in(page, console, at=f"console/#/deployments/{deployment['id']}")
    status = page.locator("#deployment-status .badge")
    expect(status).to_have_text("HEALTHY", timeout=20_000)
    page.get_by_role("button", name="Hibernate").click()
    expect(status).to_have_text("HIBERNATING", timeout=20_000)
    page.get_by_role("button", name="Wake up").click()
    expect(status).to_have_text("HEALTHY", timeout=20_000)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deployments")
    console.gone(f"/deployments/{deployment['id']}")  # teardown takes reconciler steps


def test_a_token_value_is_shown_once(page, console):
    workspace = console.workspace()
    signed_in(page, console)
    page.get_by_role("link", name="API tokens").click()
    form = page.get_by_role("form", name="Create API token")
    name = f"ci-{uuid.uuid4().hex[:6]}"
    form.get_by_label("Name").fill(name)
    form.get_by_label("Scope").select_option("WORKSPACE")
    form.get_by_label("Role").select_option("WORKSPACE_MEMBER")
    form.get_by_label("Workspace").select_option(workspace["id"])
    form.get_by_role("button", name="Create token").click()
    value = page.locator("#token-value-once .token-value").inner_text()
    assert len(value) > 40
    console.shot(page, "tokens")
    # the value works as a token of that workspace
    listed = httpx.get(f"{console.base}/v1/organizations/{console.organization_id}/workspaces/{workspace['id']}",
                       headers={"Authorization": f"Bearer {value}"})
    assert listed.status_code == 200, listed.text
    row = page.locator("tbody tr", has_text=name)
    expect(row).to_be_visible()
    # shown once: the list only has the short form, and a reload has no trace of the value
    page.reload()
    expect(page.locator("tbody tr", has_text=name)).to_be_visible()
    assert value not in page.content()
    # rotate shows the new value once, and the old one stops working
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Rotate {name}").click()
    rotated = page.locator("#token-value-once .token-value").inner_text()
    assert rotated != value
    old = httpx.get(f"{console.base}/v1/organizations/{console.organization_id}/workspaces/{workspace['id']}",
                    headers={"Authorization": f"Bearer {value}"})
    assert old.status_code == 401
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Delete {name}").click()
    expect(page.locator("tbody tr", has_text=name)).to_have_count(0)


def test_an_environment_object_secret_is_masked(page, console):
    workspace = console.workspace()
    deployment = console.deployment(workspace["id"])
    signed_in(page, console, at=f"console/#/environment-objects/new?workspaceId={workspace['id']}")
    page.get_by_label("Type").select_option("AIRFLOW_VARIABLE")
    page.get_by_label("Key").fill("warehouse_password")
    page.get_by_label("Value").fill("hunter2-secret-value")
    page.get_by_label("Secret").check()
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("warehouse_password")
    expect(page.get_by_role("region", name="Value").locator(".masked")).to_be_visible()
    # link it to the deployment with an override; the link shows, the secret never does
    page.get_by_label("Deployment", exact=True).select_option(deployment["id"])
    page.get_by_label("Override value (optional)").fill("override-secret-value")
    page.get_by_role("button", name="Link").click()
    links = page.get_by_role("region", name="Links")
    expect(links.get_by_role("link", name=deployment["id"])).to_be_visible()
    expect(links.locator(".masked")).to_be_visible()  # the override is as secret as the value
    stored = console.ok("GET", "/environment-objects", params={"deploymentId": deployment["id"],
                                                               "resolveLinked": "true"})["environmentObjects"]
    assert [o["objectKey"] for o in stored] == ["warehouse_password"]
    content = page.content()
    assert "hunter2-secret-value" not in content and "override-secret-value" not in content
    console.shot(page, "environment-object")
    page.get_by_role("link", name="Environment objects").click()
    page.get_by_label("Workspace").select_option(workspace["id"])
    row = page.locator("tbody tr", has_text="warehouse_password")
    expect(row.locator(".masked")).to_be_visible()
    assert "hunter2-secret-value" not in page.content()


def _ingest(console: Console, deployment_id: str, lines: list[dict]) -> None:
    agent = console.ok("POST", f"/deployments/{deployment_id}/agent-tokens", json={"name": "runtime"})["token"]
    response = httpx.post(f"{console.base}/internal/deployments/{deployment_id}/logs", json={"lines": lines},
                          headers={"Authorization": f"Bearer {agent}"})
    assert response.status_code == 200, response.text


def test_search_logs_and_load_more(page, console):
    workspace = console.workspace()
    deployment = console.deployment(workspace["id"])
    now = time.time()
    lines = [{"source": "scheduler", "raw": f"heartbeat {n}", "timestamp": now - 600 + n} for n in range(130)]
    lines += [{"source": "worker", "raw": "Task etl.load FAILED: disk full", "timestamp": now - 30},
              {"source": "webserver", "raw": "GET /health 200", "timestamp": now - 20}]
    _ingest(console, deployment["id"], lines)
    console.healthy(deployment["id"])  # its own lifecycle lines are written by then
    every = console.ok("GET", f"/deployments/{deployment['id']}/logs", params={
        "sources": ["scheduler", "worker", "webserver", "triggerer", "dag-processor", "apiserver"], "limit": 5000})
    total = every["resultCount"]
    assert 132 < total < 200
    signed_in(page, console, at=f"console/#/deployments/{deployment['id']}/logs")
    results = page.locator("#log-results")
    expect(results.locator(".log-count")).to_have_text("100 lines")
    # lines arriving after the search began stay out of its later pages (the searchId pins them)
    _ingest(console, deployment["id"], [{"source": "scheduler", "raw": "late line", "timestamp": now}])
    page.get_by_role("button", name="Load more").click()
    expect(results.locator(".log-count")).to_have_text(f"{total} lines")
    expect(page.get_by_role("button", name="Load more")).to_have_count(0)
    assert "late line" not in results.inner_text()
    # newest first, as the API orders them
    shown = results.locator(".log-line .raw").all_inner_texts()
    assert shown == [entry["raw"] for entry in every["results"]]
    page.get_by_label("Text").fill("disk FULL")
    page.get_by_role("button", name="Search").click()
    expect(results.locator(".log-count")).to_have_text("1 line")
    expect(results.locator(".log-line")).to_contain_text("Task etl.load FAILED: disk full")
    console.shot(page, "logs")
    page.get_by_label("worker").uncheck()
    page.get_by_role("button", name="Search").click()
    expect(results.locator(".log-count")).to_have_text("0 lines")


def test_a_workspace_token_is_refused_on_an_organization_page(page, console):
    workspace = console.workspace()
    token = console.ok("POST", "/tokens", json={"name": "ws-only", "scope": "WORKSPACE", "role": "WORKSPACE_OWNER",
                                                 "entityId": workspace["id"]})["token"]
    refused = httpx.get(f"{console.base}/v1/organizations/{console.organization_id}/allowed-ip-address-ranges",
                        headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    sign_in(page, console, token=token, at="console/#/ip-ranges")
    expect(page.get_by_role("heading", level=1)).to_have_text("IP allow-list")
    alert = page.get_by_role("alert")
    expect(alert.locator(".error-message")).to_have_text(refused.json()["message"])
    expect(alert).to_contain_text("HTTP 403")
    request_id = alert.locator(".request-id").inner_text()
    assert re.fullmatch(r"[0-9a-f-]{36}", request_id) and request_id != refused.json()["requestId"]
    console.shot(page, "refused")
    # what the token may see still works
    page.goto(f"{console.base}/console/#/workspaces/{workspace['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(workspace["name"])


VIEWS = {"overview": "#/", "workspaces": "#/workspaces", "deployments": "#/deployments",
         "environment-objects": "#/environment-objects", "tokens": "#/tokens", "users": "#/users",
         "invites": "#/invites", "teams": "#/teams", "roles": "#/roles", "ip-ranges": "#/ip-ranges",
         "audit-log": "#/audit-log"}


def test_every_view_renders_for_the_owner(page, console):
    workspace = console.workspace()
    console.deployment(workspace["id"])
    signed_in(page, console)
    for name, route in VIEWS.items():
        page.goto(f"{console.base}/console/{route}")
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("main .loading")).to_have_count(0)
        assert page.locator("main [role=alert]").count() == 0, (name, page.locator("main").inner_text())
        # every control has a name a screen reader can say
        unnamed = page.evaluate("""[...document.querySelectorAll('main input, main select, main textarea, main button')]
            .filter((el) => !el.labels?.length && !el.getAttribute('aria-label') && !el.textContent.trim())
            .map((el) => el.outerHTML)""")
        assert not unnamed, (name, unnamed)
        console.shot(page, f"view-{name}")


def test_people_teams_and_invites(page, console):
    signed_in(page, console, at="console/#/invites")
    email = f"new-{uuid.uuid4().hex[:6]}@console.test"
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send invite").click()
    expect(page.get_by_text(f"Invited {email}")).to_be_visible()
    page.goto(f"{console.base}/console/#/teams")
    team = f"team-{uuid.uuid4().hex[:6]}"
    page.get_by_label("Name", exact=True).fill(team)
    page.get_by_label("Members").select_option(label="owner@console.test")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(team)
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_role("cell", name="owner@console.test", exact=True)).to_be_visible()
    page.get_by_label("Add member").select_option(label=email)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(members.get_by_role("cell", name=email, exact=True)).to_be_visible()
    page.get_by_role("button", name=f"Remove {email}").click()
    expect(members.get_by_role("cell", name=email, exact=True)).to_have_count(0)
    console.shot(page, "team")


def test_the_allow_list_guards_against_locking_yourself_out(page, console):
    asked, answer = [], {"accept": True}

    def on_dialog(dialog):
        asked.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    def wait_for_questions(count: int) -> None:
        for _ in range(100):
            if len(asked) >= count:
                break
            page.wait_for_timeout(20)
        assert len(asked) == count, asked

    page.on("dialog", on_dialog)
    signed_in(page, console, at="console/#/ip-ranges")
    expect(page.locator("main")).to_contain_text("Your address, as the server sees it: 127.0.0.1")
    ranges = page.get_by_label("Ranges (CIDR, one per line or comma-separated)")
    rows = page.get_by_role("region", name="Allowed ranges").locator("tbody tr")
    try:
        # a first list that leaves this browser out: the console asks; told to go on, the server refuses
        ranges.fill("10.0.0.0/8")
        page.get_by_role("button", name="Add").click()
        expect(page.get_by_role("alert")).to_contain_text("127.0.0.1")
        wait_for_questions(1)
        assert "127.0.0.1" in asked[0]
        # a list that covers this browser: no question
        ranges.fill("127.0.0.1/32, 10.0.0.0/8")
        page.get_by_role("button", name="Add").click()
        expect(rows).to_have_count(2)
        assert len(asked) == 1
        console.shot(page, "ip-ranges")
        # removing the range that lets this browser in: asked, and "no" keeps it
        answer["accept"] = False
        page.get_by_role("button", name="Remove 127.0.0.1/32").click()
        wait_for_questions(2)
        expect(rows).to_have_count(2)
        # removing one that does not matter to this browser: no question
        answer["accept"] = True
        page.get_by_role("button", name="Remove 10.0.0.0/8").click()
        expect(rows).to_have_count(1)
        assert len(asked) == 2
        page.get_by_role("button", name="Remove all (opens the API to every address)").click()
        expect(page.get_by_role("region", name="Allowed ranges")).to_contain_text("No ranges")
    finally:  # from 127.0.0.1, which the list still allows
        left = console.ok("GET", "/allowed-ip-address-ranges")["allowedIpAddressRanges"]
        if left:
            console.ok("POST", "/allowed-ip-address-ranges/bulk-delete",
                       json={"allowedIpAddressRangeIds": [r["id"] for r in left]})


def test_the_audit_log_downloads(page, console):
    console.workspace(name=f"audited-{uuid.uuid4().hex[:6]}")
    signed_in(page, console, at="console/#/audit-log")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download audit log").click()
    path = download.value.path()
    entries = [json.loads(line) for line in open(path).read().splitlines() if line]
    assert entries and download.value.suggested_filename.endswith(".ndjson")
    expect(page.get_by_role("status")).to_contain_text(f"Downloaded {len(entries)} entries")


def test_deploy_history_shows_git_metadata_and_rolls_back(page, console):
    workspace = console.workspace()
    deployment = console.deployment(workspace["id"])
    base = f"/deployments/{deployment['id']}/deploys"
    shas = []
    for n in range(2):
        sha = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        git = {"provider": "GITHUB", "account": "acme", "repo": "dags", "branch": "main", "commitSha": sha,
               "commitUrl": f"https://github.com/acme/dags/commit/{sha}", "authorName": f"Dev {n}"}
        deploy = console.ok("POST", base, json={"type": "IMAGE_ONLY", "description": f"release {n}", "git": git})
        console.ok("POST", f"{base}/{deploy['id']}/finalize", json={})
        shas.append((deploy["id"], sha))
    console.healthy(deployment["id"])
    signed_in(page, console, at=f"console/#/deployments/{deployment['id']}")
    history = page.get_by_role("region", name="Deploy history")
    for _, sha in shas:
        expect(history.get_by_role("link", name=sha[:10])).to_have_attribute(
            "href", f"https://github.com/acme/dags/commit/{sha}")
    expect(history).to_contain_text("acme/dags @ main")
    # the newest deploy is what runs: only the older one can be rolled back to
    expect(history.get_by_role("button", name=re.compile("Roll back"))).to_have_count(1)
    expect(history).to_contain_text("by Dev 1")
    console.shot(page, "deploy-history")
    first_id = shas[0][0]
    page.once("dialog", lambda dialog: dialog.accept())
    history.get_by_role("button", name=f"Roll back to deploy {first_id}").click()
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(history).to_contain_text(f"rollback of {first_id}")
    deploys = console.ok("GET", base)["deploys"]
    assert [d.get("rollbackFromId") for d in deploys].count(first_id) == 1


def test_a_local_runtime_deployment_links_to_its_airflow_through_the_proxy(browser, databases, tmp_path):
    """On the local runtime (here with the stand-in `airflow` of tests/fake_airflow.py) a deployment's
    page links to its Airflow through astroplane's proxy, and calls it with the signed-in token."""
    port = free_port()
    url = databases.url("sqlite")
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path, url, run_reconciler=True, reconcile_interval_seconds=0.1,
                             runtime_backend="local", airflow_dir=fake_airflow.install(tmp_path / "airflow"),
                             runtime_dir=tmp_path / "runtime", public_url=f"http://127.0.0.1:{port}")
    session = database.session()
    init = bootstrap.init_organization(session, TokenCodec(settings), "local", "ops@console.test")
    session.commit()
    session.close()
    app = create_app(settings, database)
    server = ThreadedServer(app, port=port).start()
    context = browser.new_context()
    try:
        console = Console(server, init.token, init.organization_id, "local", tmp_path)
        deployment = console.deployment(console.workspace()["id"])
        console.healthy(deployment["id"])
        page = context.new_page()
        signed_in(page, console, at=f"console/#/deployments/{deployment['id']}")
        airflow = page.get_by_role("region", name="Airflow")
        expect(airflow.get_by_role("link", name="Open the Airflow UI")).to_have_attribute(
            "href", f"/v1/organizations/{init.organization_id}/deployments/{deployment['id']}/airflow")
        airflow.get_by_role("button", name="Check the Airflow API").click()
        # the stand-in serves only health checks, so the proxy answers with its own error, shown as such
        expected = httpx.get(f"{deployment['apiUrl']}/version",
                             headers={"Authorization": f"Bearer {init.token}"})
        assert expected.status_code == 502
        expect(airflow.get_by_role("alert").locator(".error-message")).to_have_text(expected.json()["message"])
    finally:
        context.close()
        server.stop()
        app.state.runtime.shutdown()
        database.dispose()


def test_a_simulated_deployment_has_no_airflow_link(page, console):
    deployment = console.deployment(console.workspace()["id"])
    signed_in(page, console, at=f"console/#/deployments/{deployment['id']}")
    expect(page.get_by_role("region", name="Worker queues")).to_be_visible()
    expect(page.get_by_role("region", name="Airflow")).to_have_count(0)


def test_edit_and_delete_a_workspace(page, console):
    workspace = console.workspace()
    busy = console.workspace()
    console.deployment(busy["id"])
    signed_in(page, console, at=f"console/#/workspaces/{workspace['id']}")
    edit = page.get_by_role("form", name="Save")
    renamed = f"renamed-{uuid.uuid4().hex[:6]}"
    edit.get_by_label("Name").fill(renamed)
    edit.get_by_label("Description").fill("nightly batch jobs")
    edit.get_by_role("button", name="Save").click()
    expect(edit.get_by_text("Saved.")).to_be_visible()
    stored = console.ok("GET", f"/workspaces/{workspace['id']}")
    assert stored["name"] == renamed and stored["description"] == "nightly batch jobs"
    assert stored["defaultRegion"] == "us-east-1"  # what the form did not change stays
    # a workspace with deployments is refused with the API's reason
    page.goto(f"{console.base}/console/#/workspaces/{busy['id']}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete workspace").click()
    refused = console.http.delete(f"/workspaces/{busy['id']}").json()["message"]
    expect(page.get_by_role("alert").locator(".error-message")).to_have_text(refused)
    page.goto(f"{console.base}/console/#/workspaces/{workspace['id']}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workspaces")
    assert console.http.get(f"/workspaces/{workspace['id']}").status_code == 404


ADMITS = """async (cases) => {
  const { admits } = await import('/console/views/ipranges.js');
  return cases.map(([ranges, address]) => admits(ranges, address));
}"""


def test_the_lock_out_guard_knows_which_ranges_admit_an_address(page, console):
    """The arithmetic behind the allow-list page's question, IPv4 and IPv6, in the browser's own engine."""
    page.goto(f"{console.base}/console/")
    cases = [
        ([], "203.0.113.9", True),  # an empty list admits everyone
        (["203.0.113.0/24"], "203.0.113.9", True),
        (["203.0.113.0/25"], "203.0.113.200", False),
        (["10.0.0.0/8", "0.0.0.0/0"], "192.0.2.1", True),
        (["192.0.2.1"], "192.0.2.1", True),  # a bare address is one host
        (["2001:db8::/32"], "2001:db8:ffff::1", True),
        (["2001:db8::/32"], "2001:db9::1", False),
        (["::1/128"], "::1", True),
        (["203.0.113.0/24"], "::ffff:203.0.113.7", True),  # IPv4-mapped IPv6
        (["2001:db8::/32"], "203.0.113.7", False),
        (["203.0.113.0/24"], None, False),  # unknown address: not admitted
    ]
    assert page.evaluate(ADMITS, [[ranges, address] for ranges, address, _ in cases]) == [want for *_, want in cases]
