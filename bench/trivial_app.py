"""The ceiling for our stack: a FastAPI route returning a small pydantic model, nothing else."""

import gc
from contextlib import asynccontextmanager

from fastapi import FastAPI
from pydantic import BaseModel


@asynccontextmanager
async def lifespan(_app: FastAPI):
    gc.freeze()  # as `astroplane serve` does once started (astroplane.app.create_server_app)
    yield


# FastAPI's OpenTelemetry check off, as astroplane has it by default (ASTROPLANE_OPENTELEMETRY)
app = FastAPI(lifespan=lifespan, telemetry={"tracing": False, "metrics": False, "logs": False})


class Item(BaseModel):
    id: str
    name: str
    status: str
    replicas: int


ITEM = Item(id="cbench0000000000000000000", name="trivial", status="HEALTHY", replicas=1)


@app.get("/item", response_model=Item)
async def item() -> Item:
    return ITEM
