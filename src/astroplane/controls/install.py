"""Mounting the test-double controls on an app (create_app, through resources.install_controls)."""

import logging

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse

from astroplane.controls.clock import SharedState
from astroplane.controls.endpoints import PREFIX, Controls, router
from astroplane.controls.middleware import ControlsMiddleware, FaultInjector, FaultTargets
from astroplane.controls.repository import take_id_block
from astroplane.kit.db import Database
from astroplane.kit.ids import SeededIds
from astroplane.kit.openapi import api_document
from astroplane.rbac.epoch import register_authz_tables
from astroplane.settings import Settings

log = logging.getLogger("astroplane.controls")
TITLE = "astroplane — test controls"
DESCRIPTION = ("Controls of an astroplane test server (ASTROPLANE_TEST_CONTROLS=true): its clock, injected "
               "faults, forced failures and an organization's reset. Organization owners only.")

# a clock change bumps the authz epoch, which every authenticated request reads: each process then
# drops its copy of the clock (SharedState) at once
register_authz_tables("controls_state")


def install(app: FastAPI, settings: Settings, database: Database) -> None:
    """The middleware that binds the clock and seeded ids, and with the controls on, the control
    API, its own OpenAPI document (PREFIX/openapi.json, PREFIX/docs) and fault injection."""
    ids = SeededIds(settings.id_seed, take_id_block(database.engine)) if settings.id_seed is not None else None
    app.state.seeded_ids = ids
    shared, faults = None, None
    if settings.test_controls:
        log.warning("test controls are on (%s): any organization owner can move this server's clock", PREFIX)
        shared = SharedState(database)
        app.state.epoch_cache.on_change.append(shared.invalidate)
        targets = FaultTargets(app.state.api_mounts)
        faults = FaultInjector(database, shared, targets)
        app.state.controls = Controls(shared, targets.operations)
        app.include_router(router)
        _serve_document(app)
    app.add_middleware(ControlsMiddleware, shared=shared, ids=ids, faults=faults)


def _serve_document(app: FastAPI) -> None:
    document: dict = {}

    @app.get(PREFIX + "/openapi.json", include_in_schema=False)
    def controls_openapi():
        if not document:
            document.update(api_document(TITLE, "1.0", DESCRIPTION, router.routes))
        return JSONResponse(document)

    @app.get(PREFIX + "/docs", include_in_schema=False)
    def controls_docs():
        return get_swagger_ui_html(openapi_url=PREFIX + "/openapi.json", title=TITLE)
