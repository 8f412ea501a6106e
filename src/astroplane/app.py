"""The FastAPI application: the contract under /v1, the older APIs beside it (platform v1beta1,
IAM v1beta1, Labs v1), plus /healthz and /metrics."""

import gc
import logging
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from astroplane import resources
from astroplane.auth.codec import TokenCodec
from astroplane.deployments import render
from astroplane.deploys.upload_endpoints import UPLOAD_PREFIX
from astroplane.kit import crypto
from astroplane.kit.cache import EpochCache
from astroplane.kit.db import Database
from astroplane.kit.egress import EgressPolicy
from astroplane.kit.errors import error_response, install_error_handlers
from astroplane.kit.hot import HotReadMiddleware
from astroplane.kit.middleware import BodyLimitMiddleware, MetricsMiddleware, UnhandledErrorMiddleware
from astroplane.kit import versions
from astroplane.kit.openapi import api_document, build_openapi, mounted_routes, served_under
from astroplane.rbac.hot_lists import KeptPages, hot_list
from astroplane.runtime import build_runtime
from astroplane.settings import Settings, get_settings

API_PREFIX = "/v1"
log = logging.getLogger("astroplane")


def create_server_app() -> FastAPI:
    """The app `astroplane serve` runs: once started, everything loaded so far (some 170,000 objects:
    the framework, the models, the contract's schemas) is moved out of the garbage collector's
    sight, where each full collection cost ~80 ms of stalled requests."""
    return create_app(freeze_after_start=True)


def create_app(settings: Settings | None = None, database: Database | None = None, *,
               freeze_after_start: bool = False) -> FastAPI:
    settings = settings or get_settings()
    database = database or Database(settings.resolved_database_url)
    resources.wire()
    crypto.configure(settings.secret_keys)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        background = [start(app) for start in resources.BACKGROUND] if settings.run_reconciler else []
        if freeze_after_start:
            gc.freeze()
        try:
            yield
        finally:
            for stop in background:
                await stop()

    app = FastAPI(
        title="astroplane — Astro API v1",
        version="1.0",
        description="A self-hostable server for the Astro API v1 control plane.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
        telemetry={"tracing": settings.opentelemetry, "metrics": settings.opentelemetry,
                   "logs": settings.opentelemetry},
    )
    app.state.settings = settings
    app.state.database = database
    app.state.token_codec = TokenCodec(settings)
    app.state.epoch_cache = EpochCache()
    app.state.kept_pages = KeptPages()  # the hot path of lists (rbac.hot_lists)
    app.state.runtime = build_runtime(settings)
    app.state.egress = EgressPolicy.from_settings(settings)
    if settings.runtime_backend == "local":
        database.session_info[render.LOCAL_AIRFLOW_BASE] = settings.base_url.rstrip("/")
    install_error_handlers(app)
    # Routes are matched in order, and FastAPI builds the state of an included router's routes (their
    # dependencies, response fields: ~5 MB for the four APIs) when a request is first matched
    # against them: the server's own routes come first, so health checks and scrapes build none.
    @app.get("/healthz", include_in_schema=False)
    def healthz(request: Request):
        try:
            with database.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except Exception:
            log.exception("health check: database unreachable")
            return error_response(request, 503, "Database unreachable")
        return {"status": "ok"}

    @app.get("/spec/v1.0", include_in_schema=False)
    def spec():
        """The v1 document where Astro serves it, as `astro api cloud` loads it (without a token)."""
        return served_under(app.openapi(), API_PREFIX, f"{settings.base_url}{API_PREFIX}")

    @app.get("/metrics", include_in_schema=False)
    def metrics():
        return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in resources.ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    for router in resources.INTERNAL_ROUTERS:
        app.include_router(router)
    # the contract's routes as declared (FastAPI wraps included routers); tests and 405s read them
    app.state.api_prefix = API_PREFIX
    app.state.api_routers = resources.ROUTERS
    app.state.api_routes = [route for router in resources.ROUTERS for route in router.routes
                            if isinstance(route, APIRoute)]
    operations = {route.operation_id: route for route in app.state.api_routes}
    hot_routes = [(API_PREFIX, operations[hot.operation_id], hot, operations[hot.operation_id].path)
                  for hot in resources.HOT_ROUTES]
    app.state.api_mounts = [(API_PREFIX, app.state.api_routes)]
    hot_routes += _mount_versions(app, operations)
    # every list, in every API, whose endpoint the hot path can call (rbac.hot_lists)
    hot_routes += [(prefix, route, hot, route.path if prefix == API_PREFIX else prefix + route.path)
                   for prefix, routes in app.state.api_mounts
                   for route in routes if (hot := hot_list(route)) is not None]
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]

    app.add_middleware(HotReadMiddleware, routes=hot_routes)
    # archive uploads stream to disk under their own limit (settings.max_upload_bytes)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, exempt_prefixes=(UPLOAD_PREFIX,))
    for middleware in resources.MIDDLEWARE:
        app.add_middleware(middleware)
    resources.install_controls(app, settings, database)
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(UnhandledErrorMiddleware)
    return app


def _mount_versions(app: FastAPI, operations: dict[str, APIRoute]) -> list:
    """Serve each older API from the v1 routes (kit.versions) plus its own routers; returns the hot
    reads its adapted routes take part in."""
    app.state.api_versions = {}
    app.state.version_documents = {}
    hot_routes = []
    for version in resources.VERSIONS:
        mounted = versions.build(version, operations, resources.VERSION_ROUTERS.get(version.name, []))
        app.include_router(mounted.router, prefix=version.prefix)
        app.state.api_mounts.append((version.prefix, mounted.routes))
        app.state.api_versions[version.name] = mounted
        by_operation = {route.operation_id: route for route in mounted.routes}
        hot_routes += [(version.prefix, by_operation[hot.operation_id],
                        mounted.operations[hot.operation_id].hot_route(hot),
                        version.prefix + by_operation[hot.operation_id].path)
                       for hot in resources.HOT_ROUTES if hot.operation_id in mounted.operations]
        _publish_document(app, mounted)
    return hot_routes


def version_document(app: FastAPI, name: str) -> dict:
    """The OpenAPI document of one older API (`name` as in resources.VERSIONS), built once."""
    mounted = app.state.api_versions[name]
    documents = app.state.version_documents
    if name not in documents:
        version = mounted.version
        documents[name] = api_document(f"astroplane — {version.label}", version.name.rsplit("-", 1)[-1],
                                       f"A self-hostable server for the {version.label}, beside the Astro API v1.",
                                       mounted_routes([mounted.router], version.prefix))
    return documents[name]


def _publish_document(app: FastAPI, mounted: versions.MountedVersion) -> None:
    name = mounted.version.name

    @app.get(f"{mounted.version.prefix}/openapi.json", include_in_schema=False)
    def document():
        return version_document(app, name)
