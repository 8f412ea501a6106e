"""`/console/`: the console's files, served from this package as they are (no build step), and
the one fact the browser cannot learn from the API: the address the server sees it calling from
(the IP allow-list page uses it to warn before a change would lock the caller out). Outside the
Astro API, so not in the OpenAPI document; the console itself talks only to /v1 with the
signed-in person's token."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse

from astroplane.ip_ranges.address import request_client
from astroplane.kit.errors import NotFound

STATIC = Path(__file__).parent / "static"
CONSOLE = "/console/"
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
# the files are known when the package is installed: a request names one of them or gets 404
ASSETS = {path.relative_to(STATIC).as_posix(): path for path in STATIC.rglob("*")
          if path.is_file() and path.suffix in MEDIA_TYPES}
# the page and its modules change with the installed version, so browsers revalidate every time
# (a 304 costs a round trip, not a download)
HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"}

router = APIRouter(include_in_schema=False)


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse(CONSOLE, status_code=307)


@router.get("/console")
def console_without_slash() -> RedirectResponse:
    return RedirectResponse(CONSOLE, status_code=307)


@router.get("/console/client-address")
def client_address(request: Request) -> dict:
    address = request_client(request)
    return {"address": str(address) if address is not None else None}


@router.get("/console/{asset:path}")
def asset(asset: str) -> FileResponse:
    path = ASSETS.get(asset or "index.html")
    if path is None:
        raise NotFound("No such console file")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=HEADERS)
