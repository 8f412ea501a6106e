"""`/console/`: the console's files, served from this package as they are (no build step), and
the one fact the browser cannot learn from the API: the address the server sees it calling from
(the IP allow-list page uses it to warn before a change would lock the caller out). Outside the
Astro API, so not in the OpenAPI document; the console itself talks only to /v1 with the
signed-in person's token."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from astroplane.ip_ranges.address import request_client
from astroplane.kit.errors import NotFound

STATIC = Path(__file__).parent / "static"
CONSOLE = "/console/"
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
# the page and its modules change with the installed version, so browsers revalidate every time
# (a 304 costs a round trip, not a download)
HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


def _load(path: Path) -> Asset:
    body = path.read_bytes()
    return Asset(body, MEDIA_TYPES[path.suffix], '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


# some 100 KB, read once: a request names one of these files or gets 404, and is answered from
# memory (no file system or thread hop on the way to the first paint)
ASSETS = {path.relative_to(STATIC).as_posix(): _load(path) for path in sorted(STATIC.rglob("*"))
          if path.is_file() and path.suffix in MEDIA_TYPES}

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


@router.get("/console/{name:path}")
async def asset(request: Request, name: str) -> Response:
    found = ASSETS.get(name or "index.html")
    if found is None:
        raise NotFound("No such console file")
    headers = {**HEADERS, "ETag": found.etag}
    if request.headers.get("if-none-match") == found.etag:
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)
