"""The served OpenAPI document: the contract's error responses instead of FastAPI's 422."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from astroplane.contract.models import Error

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_STATUSES = {"400": "Bad Request", "401": "Unauthorized", "403": "Forbidden", "404": "Not Found",
                  "500": "Internal Server Error"}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The Astro API's document: every route of the app but those another document describes
    (`app.state.separate_routes`: the test controls)."""
    if app.openapi_schema:
        return app.openapi_schema
    separate = getattr(app.state, "separate_routes", ())
    app.openapi_schema = build_document(app.title, app.version, app.description,
                                        [route for route in app.routes if route not in separate])
    return app.openapi_schema


def build_document(title: str, version: str, description: str, routes: list) -> dict[str, Any]:
    document = get_openapi(title=title, version=version, description=description, routes=routes)
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
