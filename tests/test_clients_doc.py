"""docs/clients.md, followed line by line against a live server: its curl lines run in bash, its
Python recipe runs as written, and each Astro CLI line is replayed as the calls that command makes
(tests/astro_cli.py). The only change to the text is the server's address (the doc's
127.0.0.1:8080 becomes the test server's). The Terraform section is exercised by the Terraform
tests, and the CLI's TLS block (airflow-variable|connection|pool) by test_astro_cli_airflow.py."""

import os
import pathlib
import re
import shlex
import subprocess
import sys

import httpx
import pytest

from astro_cli import AstroCli
from conftest import BACKENDS
from live import LiveServer

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "clients.md"
DOC_BASE = "http://127.0.0.1:8080"


def _sections() -> dict[str, list[tuple[str, str]]]:
    """Heading -> [(language, code)] of each fenced block under it."""
    sections: dict[str, list[tuple[str, str]]] = {}
    heading = ""
    for part in re.split(r"^(## .*)$", DOC.read_text(), flags=re.M):
        if part.startswith("## "):
            heading = part[3:].strip()
            continue
        sections.setdefault(heading, []).extend(re.findall(r"```(\w+)\n(.*?)```", part, flags=re.S))
    return sections


def _commands(code: str) -> list[str]:
    """Shell lines, continuations joined, comments and blank lines dropped."""
    joined = code.replace("\\\n", " ")
    lines = []
    for line in joined.splitlines():
        line = line.split(" # ")[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            lines.append(line)
    return lines


@pytest.fixture(params=BACKENDS)
def live(request, databases, tmp_path):
    server = LiveServer(tmp_path, databases.url(request.param))
    created = server.cli("init", "--organization", "docs", "--owner-email", "docs@example.com")
    server.start()
    try:
        yield server, created
    finally:
        server.stop()


def _curl_recipe(server, created) -> None:
    [(language, code)] = _sections()["curl"]
    assert language == "sh"
    env = {**os.environ, "ASTRO_API_TOKEN": created["token"], "ORG": created["organizationId"]}
    outputs = []
    for command in _commands(code):
        assert command.startswith("curl "), command
        result = subprocess.run(["bash", "-c", command.replace(DOC_BASE, server.base)], env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "statusCode" not in result.stdout, (command, result.stdout, result.stderr)
        outputs.append(result.stdout)
    assert '"workspaces"' in outputs[0] and '"name":"analytics"' in outputs[1].replace(" ", "")


def _python_recipe(server, created, tmp_path) -> None:
    [(language, code)] = [block for block in _sections()["The PyPI client (`astro-platform-api`)"]
                          if block[0] == "python"]
    script = tmp_path / "recipe.py"
    script.write_text(code.replace(DOC_BASE, server.base) + "\nprint(names)\n")
    env = {**os.environ, "ASTRO_API_TOKEN": created["token"], "ORG": created["organizationId"]}
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "analytics" in result.stdout


def _flags(words: list[str]) -> dict[str, str]:
    flags, index = {}, 0
    while index < len(words):
        assert words[index].startswith("--"), words[index]
        flags[words[index][2:].replace("-", "_")] = words[index + 1]
        index += 2
    return flags


def _astro_cli_recipe(server, created) -> None:
    """Each line of the CLI block, replayed as the CLI makes its calls."""
    blocks = [code for language, code in _sections()["The Astro CLI (1.43 and later)"] if language == "sh"]
    env = {"ASTRO_API_TOKEN": created["token"]}
    with httpx.Client(timeout=30) as http:
        cli = AstroCli(http, "", created["token"], "")
        made = None
        for line in _commands(blocks[0]):
            words = shlex.split(re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), m.group(0)), line))
            match words:
                case ["astro", "config", "set", "-g", "local.core", url]:
                    cli.core = url.replace(DOC_BASE, server.base)  # the global config: no project needed
                case ["astro", "config", "set", *_]:
                    pytest.fail(f"outside a project the CLI sets only the global config (-g): {line}")
                case ["export", "ASTRO_DOMAIN=localhost"]:
                    pass  # the "localhost" domain is what sends the CLI to local.core
                case ["export", "ASTRO_API_TOKEN"]:
                    assert env["ASTRO_API_TOKEN"]
                case ["astro", "workspace", "list"]:
                    cli.login()
                    listed = cli.workspace_list()
                    assert not cli.workspace  # an organization token names none
                case ["export", assignment] if assignment.startswith("WORKSPACE="):
                    env["WORKSPACE"] = listed[0]["id"]  # "one of those ids"
                case ["astro", "workspace", "switch", workspace_id]:
                    cli.login()
                    cli.workspace_switch(workspace_id)
                case ["astro", "deployment", "create", *options]:
                    cli.login()
                    made = cli.deployment_create(**_flags(options))
                case ["astro", "deployment", "list"]:
                    cli.login()
                    assert [d["id"] for d in cli.deployment_list()] == [made["id"]]
                case ["astro", "api", "cloud", "ls"]:
                    assert ("GET", "/organizations/{organizationId}/deployments", "ListDeployments") in cli.endpoints()
                case ["astro", "api", "cloud", operation]:
                    cli.login()
                    answered = cli.api_cloud(operation)
                    assert answered.status_code == 200 and answered.json()["deployments"][0]["id"] == made["id"]
                case _:
                    pytest.fail(f"the doc runs a command this test does not replay: {line}")
    assert made is not None and made["runtimeVersion"] == "13.2.0" and made["region"] == "us-east-1"


def test_clients_md_line_by_line(live, tmp_path):
    """The recipes in the doc's order, on one server, as a reader runs them: the workspaces the
    curl and Python lines make are the ones `astro workspace list` then shows."""
    server, created = live
    _curl_recipe(server, created)
    _python_recipe(server, created, tmp_path)
    _astro_cli_recipe(server, created)
