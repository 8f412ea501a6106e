"""The served OpenAPI document: the contract's error responses instead of FastAPI's 422."""

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.routing import BaseRoute

from astroplane.contract.models import Error

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_STATUSES = {"400": "Bad Request", "401": "Unauthorized", "403": "Forbidden", "404": "Not Found",
                  "500": "Internal Server Error"}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The v1 document (the older APIs publish their own)."""
    if not app.openapi_schema:
        routes = mounted_routes(app.state.api_routers, app.state.api_prefix)
        app.openapi_schema = api_document(app.title, app.version, app.description, routes)
    return app.openapi_schema


def mounted_routes(routers: list[APIRouter], prefix: str) -> list[BaseRoute]:
    """`routers`' routes as an app including them under `prefix` serves them."""
    mount = APIRouter()
    for router in routers:
        mount.include_router(router, prefix=prefix)
    return mount.routes


def api_document(title: str, version: str, description: str, routes: list[BaseRoute],
                 servers: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """One API's document from its routes, with the contract's error responses."""
    document = get_openapi(title=title, version=version, description=description, routes=routes, servers=servers)
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    error_schema = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in error_schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas["Error"] = error_schema
    components["securitySchemes"] = {"JWT": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    document["security"] = [{"JWT": []}]
    for item in document.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(status, {"description": description,
                                              "content": {"application/json": {"schema": ERROR_REF}}})
    return document


def served_under(document: dict[str, Any], prefix: str, server_url: str) -> dict[str, Any]:
    """`document` as Astro publishes it at /spec/v1.0: its paths relative to `prefix`, which its
    `servers` names (the Astro CLI joins each path to <core URL>/v1)."""
    paths = {path.removeprefix(prefix): item for path, item in document["paths"].items()}
    return {**document, "servers": [{"url": server_url}], "paths": paths}
