"""Older API versions served as thin adapters of shapes over the v1 routes.

A version (platform v1beta1, IAM v1beta1, Labs v1) lists its operations; each names the v1
operation that does the work. Its route is the v1 route's own endpoint, re-registered under the
version's prefix with the version's generated request and response models: the body is parsed as
the version's model and converted to the v1 one, the v1 result converted to the version's model.
Everything else — the permission dependencies (and through them the IP allow-list), the session
that owns the transaction, paging and sorts, errors, the audit log — is the v1 route's, unchanged,
because it is the v1 route's endpoint and dependencies that run. What truly differs between the
versions lives in small per-operation hooks (`Adaptation`), declared next to the version.

Conversions go through plain data: `model_dump(by_alias=True)` of one side validated as the other.
Fields only the source knows are dropped (models ignore unknown fields); a field only the target
knows must be supplied by a hook, or validation says what is missing.
"""

import functools
import inspect
import json
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter
from starlette.types import Scope

from astroplane.kit.cache import ResponseCache
from astroplane.kit.hot import HotRoute
from astroplane.kit.router import JSON, AstroRouter
from astroplane.kit.unions import parse_variant

Data = dict[str, Any]
# (v1 response data, the version-only query values) -> the version's response data
ResponseHook = Callable[[Data, Data], Data]


@dataclass(frozen=True)
class Adaptation:
    """How one version operation differs from the v1 operation that serves it."""

    v1_operation: str | None = None  # the v1 operationId, when it is not the same
    method: str | None = None  # the version's method and path, when not the v1 route's
    path: str | None = None
    response_model: str | None = None  # the version's response model, when not named as v1's
    request: Callable[[Data, Any], Data] | None = None  # (version body, current object or None) -> v1 body
    # the v1 operation reading the object a replacing update is about to overwrite: its view is
    # passed to `request`, which carries over what only v1 knows (a v1beta1 client cannot send it)
    current: str | None = None
    response: ResponseHook | None = None  # v1 response -> version response
    query: dict[str, Any] = field(default_factory=dict)  # version-only query parameters: name -> type
    v1_query: Callable[[Data, Data], None] | None = None  # (version-only values, v1 arguments): map them
    hidden_query: frozenset[str] = frozenset()  # v1 query parameters this version does not have


@dataclass
class ApiVersion:
    """One older API: where it is mounted, its generated models, its operations."""

    name: str  # as `astroplane openapi --api NAME` knows it, e.g. "platform-v1beta1"
    prefix: str  # e.g. "/platform/v1beta1"
    label: str  # e.g. "Astro Platform API v1beta1"
    models: ModuleType  # the version's generated contract models
    operations: list[str]  # operationIds this version serves from v1 routes
    adaptations: dict[str, Adaptation] = field(default_factory=dict)

    def adaptation(self, operation_id: str) -> Adaptation:
        return self.adaptations.get(operation_id, Adaptation())


def each(key: str, hook: Callable[[Data], Data]) -> ResponseHook:
    """A response hook applying `hook` to every item of a list response's `key`."""
    def apply(data: Data, _extras: Data) -> Data:
        return {**data, key: [hook(item) for item in data.get(key) or []]}
    return apply


def one(hook: Callable[[Data], Data]) -> ResponseHook:
    """A response hook applying `hook` to a single-object response."""
    return lambda data, _extras: hook(data)


def _is_body_model(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


def _version_model(version: ApiVersion, v1_model: Any) -> Any:
    """The version's model of the same name (the generated modules share the contract's names)."""
    if v1_model is None:
        return None
    if typing.get_origin(v1_model) is list:
        return list[_version_model(version, typing.get_args(v1_model)[0])]  # type: ignore[misc]
    for klass in v1_model.__mro__:  # a v1 wrapper (e.g. with type inference) names its contract base
        if issubclass(klass, BaseModel) and hasattr(version.models, klass.__name__):
            return getattr(version.models, klass.__name__)
    raise LookupError(f"{version.name} has no model {v1_model.__name__}")


@functools.cache
def _adapter(model: Any) -> TypeAdapter:
    return TypeAdapter(model)


def _result_data(result: Any, v1_model: Any) -> Any:
    """What a v1 endpoint returned, as the contract's data (no None members)."""
    if isinstance(result, Response):  # a body the v1 service rendered (or reused) already
        return json.loads(result.body)
    adapter = _adapter(v1_model)
    # as v1 would write it (a version may type a timestamp as a plain string)
    return adapter.dump_python(adapter.validate_python(result), mode="json", by_alias=True, exclude_none=True)


async def _call(endpoint: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    if inspect.iscoroutinefunction(endpoint):
        return await endpoint(**arguments)
    return await run_in_threadpool(endpoint, **arguments)


class VersionedOperation:
    """One version operation: the v1 endpoint with the version's shapes around it."""

    def __init__(self, version: ApiVersion, operation_id: str, route: APIRoute, reader: APIRoute | None = None):
        self.version, self.operation_id, self.route = version, operation_id, route
        self.adaptation = version.adaptation(operation_id)
        self.original = inspect.unwrap(route.endpoint)
        self.reader = inspect.unwrap(reader.endpoint) if reader is not None else None
        self.reader_model = reader.response_model if reader is not None else None
        self.reader_parameters = set(inspect.signature(self.reader).parameters) if self.reader else set()
        named = self.adaptation.response_model
        self.response_model = getattr(version.models, named) if named else _version_model(version, route.response_model)
        self.response_adapter = _adapter(self.response_model) if self.response_model is not None else None
        self.body_name: str | None = None
        self.v1_body: type[BaseModel] | None = None
        self.endpoint = self._endpoint()

    async def _current(self, arguments: dict[str, Any]) -> Any:
        """The v1 view of the object the request names, read with the request's own arguments."""
        if self.reader is None:
            return None
        result = await _call(self.reader, {name: value for name, value in arguments.items()
                                           if name in self.reader_parameters})
        return _result_data(result, self.reader_model)

    async def to_v1_body(self, body: BaseModel, arguments: dict[str, Any]) -> BaseModel:
        data = body.model_dump(by_alias=True, exclude_unset=True)
        if self.adaptation.request is not None:
            data = self.adaptation.request(data, await self._current(arguments))
        return parse_variant(self.v1_body, data)  # type: ignore[arg-type]

    def to_version(self, data: Any, extras: Data) -> bytes:
        """The version's JSON for v1 response data.

        v1 data holds no nulls (optional fields without value are left out), so writing only the
        members the data set keeps them out too, while a member a hook set to None on purpose (a
        required but nullable one) is written as null, as the version's contract asks.
        """
        if self.adaptation.response is not None:
            data = self.adaptation.response(data, extras)
        value = self.response_adapter.validate_python(data)  # type: ignore[union-attr]
        return self.response_adapter.dump_json(value, by_alias=True, exclude_unset=True)  # type: ignore[union-attr]

    def _signature(self) -> inspect.Signature:
        hints = typing.get_type_hints(self.original, include_extras=True)
        parameters = []
        for parameter in inspect.signature(self.original).parameters.values():
            if parameter.name in self.adaptation.hidden_query:
                continue
            annotation = hints.get(parameter.name, parameter.annotation)
            if _is_body_model(annotation):
                self.body_name, self.v1_body = parameter.name, annotation
                annotation = _version_model(self.version, annotation)
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=annotation))
        for name, annotation in self.adaptation.query.items():
            parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                                annotation=Annotated[annotation | None, Query()]))
        return inspect.Signature(parameters)

    def _endpoint(self) -> Callable[..., Any]:
        signature = self._signature()
        original, adaptation = self.original, self.adaptation

        async def endpoint(**arguments: Any) -> Any:
            extras = {name: arguments.pop(name) for name in adaptation.query}
            if adaptation.v1_query is not None:
                adaptation.v1_query(extras, arguments)
            if self.body_name is not None:
                arguments[self.body_name] = await self.to_v1_body(arguments[self.body_name], arguments)
            result = await _call(original, arguments)
            if self.response_model is None or result is None:
                return result
            body = self.to_version(_result_data(result, self.route.response_model), extras)
            return Response(body, status_code=self.route.status_code or 200, media_type=JSON)

        endpoint.__signature__ = signature  # type: ignore[attr-defined]
        endpoint.__name__ = f"{self.version.name.replace('-', '_')}_{original.__name__}"
        endpoint.__doc__ = original.__doc__
        if hasattr(original, "pages_follow") and self.reader is None:
            # the version's page is the v1 page reshaped (with the query, part of the page's key)
            endpoint.pages_follow = original.pages_follow  # type: ignore[attr-defined]
        return endpoint

    def register(self, router: AstroRouter) -> None:
        route = self.route
        method = self.adaptation.method or next(iter(route.methods))
        router.add_api_route(
            self.adaptation.path or route.path, self.endpoint, methods=[method], operation_id=self.operation_id,
            response_model=self.response_model, status_code=route.status_code, tags=route.tags,
            dependencies=route.dependencies, response_class=route.response_class, responses=route.responses,
            include_in_schema=route.include_in_schema)

    def hot_route(self, v1_hot: HotRoute) -> HotRoute:
        """The v1 hot read with this version's shape: each v1 body is converted once per change."""
        converted = ResponseCache()

        async def serve(scope: Scope, path: dict[str, str]) -> bytes | None:
            body = await v1_hot.serve(scope, path)
            if body is None:
                return None
            key = tuple(sorted(path.items()))
            cached = converted.get(key, body)
            if cached is None:
                cached = self.to_version(json.loads(body), {})
                converted.put(key, body, cached)
            return cached

        return HotRoute(self.operation_id, serve)


@dataclass
class MountedVersion:
    version: ApiVersion
    router: AstroRouter
    operations: dict[str, VersionedOperation]  # the adapted ones
    routes: list[APIRoute]  # every route of the version as declared (adapted and its own)


def build(version: ApiVersion, v1_routes: dict[str, APIRoute], own_routers: list[APIRouter]) -> MountedVersion:
    """The version's router: every listed operation adapted from its v1 route, plus the routers of
    operations only this version has."""
    router = AstroRouter()
    operations: dict[str, VersionedOperation] = {}
    for operation_id in version.operations:
        adaptation = version.adaptation(operation_id)
        reader = v1_routes[adaptation.current] if adaptation.current else None
        route = v1_routes[adaptation.v1_operation or operation_id]
        operation = VersionedOperation(version, operation_id, route, reader)
        operation.register(router)
        operations[operation_id] = operation
    routes = [route for route in router.routes if isinstance(route, APIRoute)]
    for own in own_routers:
        router.include_router(own)
        routes += [route for route in own.routes if isinstance(route, APIRoute)]
    return MountedVersion(version, router, operations, routes)
