"""The FastAPI application: the contract under /v1, plus /healthz and /metrics."""

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
from astroplane.kit.errors import error_response, install_error_handlers
from astroplane.kit.hot import HotReadMiddleware
from astroplane.kit.middleware import BodyLimitMiddleware, MetricsMiddleware
from astroplane.kit.openapi import build_openapi
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
    app.state.runtime = build_runtime(settings)
    if settings.runtime_backend == "local":
        database.session_info[render.LOCAL_AIRFLOW_BASE] = settings.base_url.rstrip("/")
    install_error_handlers(app)
    for router in resources.ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    for router in resources.INTERNAL_ROUTERS:
        app.include_router(router)
    # the contract's routes as declared (FastAPI wraps included routers); tests and 405s read them
    app.state.api_prefix = API_PREFIX
    app.state.api_routes = [route for router in resources.ROUTERS for route in router.routes
                            if isinstance(route, APIRoute)]
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False)
    def healthz(request: Request):
        try:
            with database.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except Exception:
            log.exception("health check: database unreachable")
            return error_response(request, 503, "Database unreachable")
        return {"status": "ok"}

    @app.get("/metrics", include_in_schema=False)
    def metrics():
        return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    operations = {route.operation_id: route for route in app.state.api_routes}
    app.add_middleware(HotReadMiddleware, prefix=API_PREFIX,
                       routes=[(operations[hot.operation_id], hot) for hot in resources.HOT_ROUTES])
    # archive uploads stream to disk under their own limit (settings.max_upload_bytes)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, exempt_prefixes=(UPLOAD_PREFIX,))
    for middleware in resources.MIDDLEWARE:
        app.add_middleware(middleware)
    resources.install_controls(app, settings, database)
    app.add_middleware(MetricsMiddleware)
    return app
