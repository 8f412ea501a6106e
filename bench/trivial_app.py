"""The ceiling for our stack: a FastAPI route returning a small pydantic model, nothing else."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    id: str
    name: str
    status: str
    replicas: int


ITEM = Item(id="cbench0000000000000000000", name="trivial", status="HEALTHY", replicas=1)


@app.get("/item", response_model=Item)
async def item() -> Item:
    return ITEM
