"""APIRouter that applies the house conventions to every route it registers."""

from typing import Any

from fastapi import APIRouter


class AstroRouter(APIRouter):
    def add_api_route(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        # Optional fields without a value are left out: generated clients fail on null.
        kwargs["response_model_exclude_none"] = True
        kwargs.setdefault("response_model_by_alias", True)
        super().add_api_route(path, endpoint, **kwargs)
