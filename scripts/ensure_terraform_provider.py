"""Build the Terraform provider astronomer/astro once, from its public release, into a local mirror.

    python scripts/ensure_terraform_provider.py    # prints the CLI config file to use as TF_CLI_CONFIG_FILE

The Terraform registry is not reachable here, so the provider comes from the Go module proxy, by its
exact version (the proxy refuses to list versions), and is laid out as a `filesystem_mirror`:

    .astroplane/terraform/mirror/registry.terraform.io/astronomer/astro/1.5.2/linux_amd64/
        terraform-provider-astro_v1.5.2
    .astroplane/terraform/terraformrc     provider_installation: that mirror only; a plugin cache

`go install github.com/astronomer/terraform-provider-astro@v1.5.2` itself cannot be used: before
building, `go install module@version` looks the module up for deprecation notices, which reads the
version list, and the proxy answers that 403. So the script downloads that exact version (`go mod
download`, checked against the checksum database) and runs `go install` inside it, with the
module's own go.sum pinning every dependency: the same binary, the same GOBIN result.

A second run finds the binary and does nothing. Without `go` (needed only to build) or `terraform`
it stops with one line saying what is missing.
"""

import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tempfile
import time

MODULE = "github.com/astronomer/terraform-provider-astro"
VERSION = "1.5.2"
SOURCE = "registry.terraform.io/astronomer/astro"
ROOT = pathlib.Path(__file__).resolve().parents[1]
HOME = ROOT / ".astroplane" / "terraform"
MIRROR = HOME / "mirror"
CLI_CONFIG = HOME / "terraformrc"
PLUGIN_CACHE = HOME / "plugin-cache"


def target() -> str:
    """Terraform's platform name, e.g. linux_amd64."""
    machine = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower(),
                                                                           platform.machine().lower())
    return f"{platform.system().lower()}_{machine}"


def binary() -> pathlib.Path:
    return MIRROR / SOURCE / VERSION / target() / f"terraform-provider-astro_v{VERSION}"


def cli_config_text() -> str:
    return (
        "# Written by scripts/ensure_terraform_provider.py: the provider from the local mirror only\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{MIRROR}"\n'
        f'    include = ["{SOURCE}"]\n'
        "  }\n"
        "}\n"
        f'plugin_cache_dir = "{PLUGIN_CACHE}"\n'
    )


def fail(message: str) -> None:
    sys.exit(f"ensure-terraform-provider: {message}")


def build(go: str) -> float:
    """Download the named version and `go install` it; returns the seconds it took."""
    started = time.monotonic()
    env = {**os.environ, "GOFLAGS": "-buildvcs=false"}
    download = subprocess.run([go, "mod", "download", "-json", f"{MODULE}@v{VERSION}"],
                              capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    if download.returncode != 0:
        fail(f"go mod download {MODULE}@v{VERSION} failed: {download.stdout.strip() or download.stderr.strip()}")
    source = json.loads(download.stdout)["Dir"]
    staging = pathlib.Path(tempfile.mkdtemp(prefix="build-", dir=HOME))
    try:
        installed = subprocess.run([go, "install", "."], cwd=source, env={**env, "GOBIN": str(staging)},
                                   capture_output=True, text=True)
        if installed.returncode != 0:
            fail(f"go install of {MODULE}@v{VERSION} failed: {installed.stderr.strip().splitlines()[-1:]}")
        destination = binary()
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / "terraform-provider-astro", destination)  # whole or absent, never half
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return time.monotonic() - started


def main() -> None:
    if shutil.which("terraform") is None:
        fail("`terraform` is not on PATH; the provider tests drive it (install Terraform >= 1.5)")
    HOME.mkdir(parents=True, exist_ok=True)
    PLUGIN_CACHE.mkdir(exist_ok=True)
    if not binary().exists():
        go = shutil.which("go")
        if go is None:
            fail(f"`go` is not on PATH; it builds the provider {MODULE}@v{VERSION} once (install Go >= 1.22)")
        print(f"ensure-terraform-provider: building {MODULE}@v{VERSION} (minutes, once)", file=sys.stderr)
        seconds = build(go)
        print(f"ensure-terraform-provider: built in {seconds:.0f} s: {binary()}", file=sys.stderr)
    if not CLI_CONFIG.exists() or CLI_CONFIG.read_text() != cli_config_text():
        CLI_CONFIG.write_text(cli_config_text())
    print(CLI_CONFIG)


if __name__ == "__main__":
    main()
