"""One error family, rendered by one set of handlers into the Astro error body.

Body: {"message", "statusCode", "requestId"} plus "fieldErrors" on request-validation 400s.
"""

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("astroplane.errors")


class AstroError(Exception):
    status_code = 500
    default_message = "Internal server error"

    def __init__(self, message: str | None = None, *, field_errors: list[dict[str, str]] | None = None):
        self.message = message or self.default_message
        self.field_errors = field_errors
        super().__init__(self.message)


class BadRequest(AstroError):
    status_code = 400
    default_message = "Bad request"

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        errors = [{"field": field, "code": code, "message": message}] if field else None
        super().__init__(message, field_errors=errors)


class Unauthorized(AstroError):
    status_code = 401
    default_message = "Authentication required: send a valid API token as 'Authorization: Bearer <token>'"


class Forbidden(AstroError):
    status_code = 403
    default_message = "The token does not have permission to perform this action"


class NotFound(AstroError):
    status_code = 404
    default_message = "Resource not found"


class Conflict(AstroError):
    status_code = 409
    default_message = "The resource is being changed by another operation; try again later"


class PayloadTooLarge(AstroError):
    status_code = 413
    default_message = "Request body is too large"


class BadGateway(AstroError):
    """Something astroplane forwards to (a local deployment's Airflow) did not answer."""

    status_code = 502
    default_message = "The upstream service did not answer"


def request_id(request: Request) -> str:
    """The request's id, created on first use (errors and audit records share it)."""
    state = request.scope.setdefault("state", {})
    rid = state.get("request_id")
    if rid is None:
        rid = state["request_id"] = str(uuid.uuid4())
    return rid


def error_response(request: Request, status: int, message: str,
                   field_errors: list[dict[str, str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"message": message, "statusCode": status, "requestId": request_id(request)}
    if field_errors:
        body["fieldErrors"] = field_errors
    return JSONResponse(body, status_code=status)


def _field_path(location: tuple[Any, ...]) -> str:
    # drop the "body"/"query" prefix and pydantic's union-tag segments: model names, validator
    # names, and discriminator values such as "GCP" or "DEDICATED" (field names are camelCase)
    parts = [str(p) for p in location[1:] if not (isinstance(p, str) and (
        "[" in p or p.startswith("function-") or (len(p) > 1 and p.replace("_", "").isupper())))]
    return ".".join(parts) or str(location[0] if location else "")


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors():
        location = tuple(error.get("loc", ()))
        field = _field_path(location)
        message = error.get("msg", "invalid value")
        if error.get("type") == "missing":
            message = "is required"
        elif error.get("type") == "json_invalid":
            field, message = "body", "is not valid JSON"
        errors.append({"field": field, "code": error.get("type", "invalid"), "message": message})
    return errors


def allowed_methods(request: Request) -> list[str]:
    """Every method some API route serves on this path (one path's methods are separate routes)."""
    methods: set[str] = set()
    for prefix, routes in getattr(request.app.state, "api_mounts", ()):
        path = request.url.path
        if not path.startswith(prefix + "/"):
            continue
        path = path[len(prefix):]
        for route in routes:
            if route.path_regex.match(path):
                methods |= route.methods
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AstroError)
    async def astro_error(request: Request, exc: AstroError):
        return error_response(request, exc.status_code, exc.message, exc.field_errors)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = _validation_errors(exc)
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return error_response(request, 400, f"Invalid request: {summary}", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "No such route", 405: "Method not allowed on this route"}
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else None
        response = error_response(request, exc.status_code, message or messages.get(exc.status_code, "Error"))
        if exc.headers:
            response.headers.update(exc.headers)
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError):
        # A uniqueness race lost to a concurrent request: the validation passed, the insert did not.
        log.info("integrity conflict requestId=%s %s", request_id(request), type(exc.orig).__name__)
        return error_response(request, 409, "The request conflicts with a concurrent change to the same "
                                            "resource; read it again and retry")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception):
        log.exception("unhandled error requestId=%s %s %s", request_id(request), request.method,
                      request.url.path)
        return error_response(request, 500, "Internal server error")
