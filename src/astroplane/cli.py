"""The `astroplane` command: serve, bootstrap organizations, mint user tokens, print the API document."""

import contextlib
import json
import os
import subprocess
import sys
from typing import Annotated

import typer

from astroplane.auth.codec import TokenCodec
from astroplane.kit import crypto
from astroplane.kit.db import Database
from astroplane.kit.errors import AstroError
from astroplane.settings import get_settings

app = typer.Typer(help="astroplane: a self-hostable Astro API v1 server.", no_args_is_help=True,
                  pretty_exceptions_enable=False)

DEFAULT_ORGANIZATION = "astroplane"
DEFAULT_OWNER = "owner@astroplane.local"


def _database() -> Database:
    from astroplane.kit.migrate import upgrade  # Alembic stays out of the server's memory (serve)

    crypto.configure(get_settings().secret_keys)
    database = Database(get_settings().resolved_database_url)
    upgrade(database.engine)
    return database


def _run(action):
    """Run `action(session, codec)` in one transaction; report domain errors without a traceback."""
    database = _database()
    codec = TokenCodec(get_settings())
    try:
        with _test_double(database), database.transaction() as session:
            return action(session, codec)
    except AstroError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(2) from None
    finally:
        database.dispose()


@contextlib.contextmanager
def _test_double(database: Database):
    """On a test server, CLI actions keep its time (ASTROPLANE_TEST_CONTROLS) and seeded ids too."""
    settings = get_settings()
    with contextlib.ExitStack() as stack:
        if settings.test_controls:
            from astroplane.controls.clock import SharedState
            from astroplane.kit.time import using_clock

            stack.enter_context(using_clock(SharedState(database)))
        if settings.id_seed is not None:
            from astroplane.controls.repository import take_id_block
            from astroplane.kit.ids import SeededIds, using_ids

            stack.enter_context(using_ids(SeededIds(settings.id_seed, take_id_block(database.engine))))
        yield


def _prepare_for_serving() -> None:
    """Migrate, and on the very first start create the default organization and its owner; prints
    the new organization as JSON (or null). `serve` runs this in a child process."""
    from astroplane import bootstrap
    from astroplane.organizations.repository import OrganizationRepository

    def first_start(session, codec):
        if OrganizationRepository(session).any_exists():
            return None
        return bootstrap.init_organization(session, codec, DEFAULT_ORGANIZATION, DEFAULT_OWNER)

    created = _run(first_start)
    print(json.dumps(None if created is None else {"organizationId": created.organization_id,
                                                   "token": created.token}))


@app.command()
def serve(host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
          port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
          workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
          tls: Annotated[bool, typer.Option("--tls", help="Serve HTTPS with a certificate made once into "
                                                         "the data directory")] = False,
          tls_names: Annotated[list[str] | None, typer.Option("--tls-name", help="Another name the certificate "
                                                                                "covers (repeatable)")] = None) -> None:
    """Apply migrations, bootstrap an organization on the very first start, then serve."""
    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    tls_files = _tls_files(settings, tuple(tls_names or ()), port) if tls else None
    # the app reads its own settings (in every worker): it must know where it listens, for the
    # URLs it hands out (deploy uploads, a local deployment's Airflow)
    os.environ["ASTROPLANE_HOST"], os.environ["ASTROPLANE_PORT"] = host, str(port)
    get_settings.cache_clear()
    if settings.runtime_backend == "local" and workers != 1:
        raise typer.BadParameter("the local runtime supervises Airflow processes from one server process; "
                                 "run it with --workers 1", param_hint="--workers")

    # migrations and the first-start bootstrap run in a child process: Alembic and the migration
    # scripts would otherwise stay resident in the server (~10 MB)
    prepared = subprocess.run([sys.executable, "-c", "from astroplane.cli import _prepare_for_serving as p; p()"],
                              stdout=subprocess.PIPE, text=True)
    if prepared.returncode != 0:
        raise typer.Exit(prepared.returncode)
    created = json.loads(prepared.stdout)
    if created is not None:
        typer.echo(f"Created organization '{DEFAULT_ORGANIZATION}' ({created['organizationId']}) "
                   f"owned by {DEFAULT_OWNER}.")
        typer.echo("Organization owner API token (shown once; keep it):\n")
        typer.echo(f"  export TOKEN={created['token']}\n")
        base = get_settings().base_url if tls else f"http://{host}:{port}"
        typer.echo(f'Try:  curl -H "Authorization: Bearer $TOKEN" {base}/v1/organizations\n')
    ssl_options = {"ssl_certfile": str(tls_files.certificate), "ssl_keyfile": str(tls_files.key)} if tls_files else {}
    options = {"host": host, "port": port, "workers": workers, "log_level": settings.log_level, **ssl_options}
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "astroplane.serving", json.dumps(options)])


def _tls_files(settings, extra_names: tuple[str, ...], port: int):
    """Make (once) the certificate and say the two lines a client needs to reach us by an Astro name."""
    from astroplane.kit.tls import DEFAULT_NAMES, ensure_certificate

    files = ensure_certificate((settings.data_dir / "tls").resolve(), extra_names)
    name = DEFAULT_NAMES[0]
    suffix = "" if port == 443 else f":{port}"
    if not settings.public_url:  # the upload URLs deploys hand out
        os.environ["ASTROPLANE_PUBLIC_URL"] = f"https://{name}{suffix}"
        get_settings.cache_clear()
    typer.echo(f"HTTPS for {', '.join(files.names)}. To reach astroplane as https://{name}{suffix}:")
    typer.echo(f"  echo '127.0.0.1 {name}' >> /etc/hosts")
    typer.echo(f"  export SSL_CERT_FILE={files.authority}")
    if port != 443:
        typer.echo("(the Terraform provider's host takes no port: serve with --port 443, as root)")
    return files


@app.command()
def init(organization: Annotated[str, typer.Option(help="Organization name (reused if it exists)")],
         owner_email: Annotated[str, typer.Option(help="Owner's email (reused if the user exists)")],
         as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object only")] = False) -> None:
    """Create (or reuse) an organization and its owner, and mint a new owner API token."""
    from astroplane import bootstrap

    result = _run(lambda session, codec: bootstrap.init_organization(session, codec, organization, owner_email))
    if as_json:
        typer.echo(json.dumps({"organizationId": result.organization_id, "userId": result.user_id,
                               "token": result.token}))
        return
    verb = "Created" if result.created_organization else "Reused"
    typer.echo(f"{verb} organization {result.organization_id}; owner user {result.user_id}.")
    typer.echo(f"Owner API token (shown once):\n{result.token}")


@app.command("user-token")
def user_token(email: Annotated[str, typer.Option(help="The user's email")],
               as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object only")] = False) -> None:
    """Mint a personal token for an existing user, so that person can call the API as themselves."""
    from astroplane import bootstrap

    user, token = _run(lambda session, codec: bootstrap.mint_user_token(session, codec, email))
    if as_json:
        typer.echo(json.dumps({"userId": user.id, "token": token}))
        return
    typer.echo(f"User token for {user.username} ({user.id}):\n{token}")


@app.command("org-settings")
def org_settings(
    organization: Annotated[str, typer.Option(help="Organization name or id")],
    allow_secrets_fetching: Annotated[bool | None, typer.Option(
        "--allow-secrets-fetching/--deny-secrets-fetching",
        help="Whether showSecrets=true may reveal environment-object secrets (off by default)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object only")] = False,
) -> None:
    """Show an organization's server-side settings, or change them."""
    from astroplane.envobjects.service import set_secrets_fetching

    org_id, name, allowed = _run(lambda session, codec: set_secrets_fetching(session, organization,
                                                                             allow_secrets_fetching))
    if as_json:
        typer.echo(json.dumps({"organizationId": org_id, "name": name, "allowSecretsFetching": allowed}))
        return
    typer.echo(f"Organization {name} ({org_id}): secrets fetching {'allowed' if allowed else 'not allowed'}.")


@app.command("rotate-encryption")
def rotate_encryption() -> None:
    """Re-encrypt every stored secret under the newest key in ASTROPLANE_ENCRYPTION_KEYS."""
    from astroplane.models import Base

    count = _run(lambda session, codec: crypto.rotate_all(session, Base.metadata))
    typer.echo(f"Re-encrypted {count} stored secret value(s) under the newest key.")


runtime_app = typer.Typer(help="The local runtime: real Apache Airflow behind each deployment.")
app.add_typer(runtime_app, name="runtime")


@runtime_app.command("install")
def runtime_install(airflow_version: Annotated[str | None, typer.Option(
        help="Airflow version (default: the newest one astroplane ships a lock file for)")] = None) -> None:
    """Create the Airflow environment ahead of time, so the first local deployment starts at once."""
    from astroplane.runtime.installs import Installs, install_version, locked_versions

    settings = get_settings()
    version = install_version(airflow_version) if airflow_version else locked_versions()[-1]
    home = Installs(settings.resolved_airflow_dir).install(version)
    typer.echo(f"Apache Airflow {version} is installed in {home}")


@app.command()
def openapi(api: Annotated[str, typer.Option(
        help="Which API: v1, or an older one (platform-v1beta1, iam-v1beta1, labs-v1)")] = "v1") -> None:
    """Print an API's OpenAPI document without starting a server or touching a database."""
    from astroplane.app import create_app, version_document
    from astroplane.settings import Settings

    settings = Settings(database_url="sqlite://", run_reconciler=False, signing_key="x" * 32, test_controls=False,
                        id_seed=None)
    server = create_app(settings)
    if api != "v1" and api not in server.state.api_versions:
        known = ", ".join(["v1", *server.state.api_versions])
        raise typer.BadParameter(f"unknown API {api!r} (known: {known})", param_hint="--api")
    document = server.openapi() if api == "v1" else version_document(server, api)
    typer.echo(json.dumps(document, indent=2))


if __name__ == "__main__":
    app()
