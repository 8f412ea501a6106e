from typing import Annotated

from fastapi import Depends, Request

from astroplane.deploys.blobstore import BlobStore, blob_store
from astroplane.kit.hot import reads_app_state
from astroplane.settings import Settings


@reads_app_state(lambda state: state.settings)
async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_blob_store(request: Request) -> BlobStore:
    return blob_store(request.app.state.settings)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
BlobStoreDep = Annotated[BlobStore, Depends(get_blob_store)]
