"""APIRouter that applies the house conventions to every route it registers."""

import functools
import inspect
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel

JSON = "application/json"


def to_json(model: BaseModel) -> bytes:
    """The contract's JSON for a response model: by alias, optional fields without value left out."""
    return model.__pydantic_serializer__.to_json(model, exclude_none=True, by_alias=True)


class PreRendered(Response):
    """A response body rendered earlier (see kit.cache.ResponseCache)."""

    media_type = JSON


def _serialize_directly(endpoint: Any, status_code: int) -> Any:
    """Wrap an async endpoint so that a pydantic model it returns is written as JSON at once.

    FastAPI would dump the model to a dict, validate that dict against the response model again and
    serialize it: three passes over a value our services built from the response model already
    (and pydantic validated on construction). Writing it once, without None fields, is the same
    JSON at a third of the cost; anything else the endpoint returns still goes through FastAPI.
    """

    @functools.wraps(endpoint)
    async def write_model(*args: Any, **kwargs: Any) -> Any:
        result = await endpoint(*args, **kwargs)
        if isinstance(result, BaseModel):
            return Response(to_json(result), status_code=status_code, media_type=JSON)
        return result

    return write_model


class AstroRouter(APIRouter):
    def add_api_route(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        # Optional fields without a value are left out: generated clients fail on null.
        kwargs["response_model_exclude_none"] = True
        kwargs.setdefault("response_model_by_alias", True)
        if kwargs.get("response_model") is not None and inspect.iscoroutinefunction(endpoint):
            endpoint = _serialize_directly(endpoint, kwargs.get("status_code") or 200)
        super().add_api_route(path, endpoint, **kwargs)
