"""Lists as hot reads (kit.hot): the route's own endpoint, called without the framework around it.

Profiled, a page of 20 deployments spent ~0.1 ms in SQL and most of the rest in FastAPI: routing
over several hundred routes, solving the dependency tree, validating the query. For a caller this
process already resolved at the current authz epoch, the hot path takes the arguments those
dependencies would give (the read session, the AuthContext as `Permission` decides it, the
ListParams, the query's string filters) and awaits the same endpoint, so the service still does all
visibility filtering, paging and rendering: nothing is decided twice or differently.

A request goes the ordinary way whenever the hot path is not sure: a caller or guard not known at
this epoch, a permission that does not pass (the full route answers 403/404), a query value FastAPI
would have to convert or refuse (anything but plain strings and in-range numbers), or an error the
service raises (its transaction is rolled back and the full route answers it again).
"""

import datetime as dt
import inspect
import typing
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import params as fastapi_params
from fastapi.routing import APIRoute
from starlette.types import Scope

from astroplane.auth.dependencies import bearer_token, known_principal
from astroplane.kit import data_versions
from astroplane.kit.data_versions import DataVersion
from astroplane.kit.cache import attach
from astroplane.kit.db import Database, get_session
from astroplane.kit.errors import AstroError
from astroplane.kit.hot import HotRoute, header
from astroplane.kit.pagination import MAX_LIMIT, MAX_OFFSET, ListParams
from astroplane.kit.time import utcnow
from astroplane.rbac.authorize import Authenticated, Permission, known_authorized, known_to_pass_organization
from astroplane.rbac.epoch import current as epoch_now
from astroplane.rbac.permissions import ScopeType

_NONE = type(None)


@dataclass(frozen=True, slots=True)
class _ListArguments:
    """How the endpoint's ListParams dependency reads the query (kit.pagination.list_params)."""

    sorts: frozenset[str] | None  # allowed `sorts` values; None: the list takes no sorts


def _query_arguments(query_string: bytes, strings: dict[str, bool], absent_only: frozenset[str],
                     list_arguments: _ListArguments | None) -> tuple[dict[str, Any], ListParams | None] | None:
    """The endpoint's query arguments, or None when FastAPI would have to convert or validate one."""
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        values.setdefault(name, []).append(value)
    # an absent parameter is given its default (None), as FastAPI does: some endpoints (the older
    # APIs' adapters, kit.versions) take every query parameter by name
    arguments: dict[str, Any] = dict.fromkeys(absent_only)
    for name, repeated in strings.items():
        found = values.get(name)
        arguments[name] = None
        if found is not None:
            if not repeated and len(found) > 1:
                return None
            arguments[name] = found if repeated else found[0]
    if any(name in values for name in absent_only):
        return None
    if list_arguments is None:
        return arguments, None
    numbers = {"offset": 0, "limit": 20}
    for name, upper in (("offset", MAX_OFFSET), ("limit", MAX_LIMIT)):
        found = values.get(name)
        if found is not None:
            if len(found) > 1 or not (found[0].isascii() and found[0].isdigit()) or int(found[0]) > upper:
                return None
            numbers[name] = int(found[0])
    sorts = values.get("sorts")
    if sorts is not None and (list_arguments.sorts is None or not list_arguments.sorts.issuperset(sorts)):
        return None
    parsed = tuple((value.split(":")[0], value.endswith(":desc")) for value in sorts or ())
    return arguments, ListParams(offset=numbers["offset"], limit=numbers["limit"], sorts=parsed)


def hot_list(route: APIRoute) -> HotRoute | None:
    """A hot read for a GET list route whose endpoint takes only what the hot path can give (see the
    module's docstring); None for any other route."""
    if "GET" not in route.methods or route.operation_id is None:
        return None
    endpoint = route.endpoint
    try:
        hints = typing.get_type_hints(endpoint, include_extras=True)
    except Exception:
        return None
    path_names = set(route.param_convertors)
    session_name = auth_name = principal_name = params_name = None
    permission: Permission | None = None
    list_arguments: _ListArguments | None = None
    strings: dict[str, bool] = {}  # query parameter -> repeated (list[str])
    absent_only: set[str] = set()  # query parameters of other types: hot only when not sent
    path_arguments: list[str] = []
    state_arguments: dict[str, Callable[[Any], Any]] = {}  # kit.hot.reads_app_state dependencies
    for name, parameter in inspect.signature(endpoint).parameters.items():
        hint = hints.get(name, parameter.annotation)
        base, metadata = (typing.get_args(hint)[0], typing.get_args(hint)[1:]) \
            if typing.get_origin(hint) is typing.Annotated else (hint, ())
        dependency = next((m.dependency for m in metadata if isinstance(m, fastapi_params.Depends)), None)
        query = next((m for m in metadata if isinstance(m, fastapi_params.Query)), None)
        if dependency is get_session:
            session_name = name
        elif isinstance(dependency, Permission):
            auth_name, permission = name, dependency
        elif isinstance(dependency, Authenticated):
            principal_name = name
        elif dependency is not None and hasattr(dependency, "list_sort_values"):
            params_name = name
            sort_values = dependency.list_sort_values
            list_arguments = _ListArguments(frozenset(sort_values) if sort_values else None)
        elif dependency is not None and hasattr(dependency, "hot_value"):
            state_arguments[name] = dependency.hot_value
        elif dependency is not None:
            return None
        elif query is not None:
            if parameter.default is not None or query.alias not in (None, name) or query.metadata:
                return None  # a default, an alias or a constraint FastAPI checks: not ours to skip
            if base in (str | None, typing.Optional[str]):
                strings[name] = False
            elif base in (list[str] | None, typing.Optional[list[str]]):
                strings[name] = True
            else:
                absent_only.add(name)
        elif name in path_names and base is str:
            path_arguments.append(name)
        else:
            return None
    if session_name is None or params_name is None or (auth_name is None) == (principal_name is None):
        return None
    return HotRoute(route.operation_id, _serve(
        endpoint, getattr(endpoint, "pages_follow", None), session_name, auth_name, principal_name, permission,
        params_name, list_arguments,
        strings, frozenset(absent_only), path_arguments, state_arguments))


class KeptPages:
    """Each caller's kept list pages (kit.hot.pages_follow), the least recently served leaving first
    once their bodies pass a byte budget: a client walking every page of a large list at limit=1000
    must not grow the process without bound."""

    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes, self.bytes = max_bytes, 0
        # page key -> (epoch, versions, body, holds until)
        self._pages: OrderedDict[tuple, tuple[int, tuple[int, ...], bytes, dt.datetime | None]] = OrderedDict()

    def get(self, key: tuple, epoch: int, versions: tuple[int, ...] | None) -> bytes | None:
        """The page's body while it is current: read at this epoch and these versions, and not past
        the instant its service said it changes by the clock alone (kit.data_versions.holds_until)."""
        kept = self._pages.get(key)
        if kept is None or versions is None or kept[0] != epoch or kept[1] != versions:
            return None
        if kept[3] is not None and utcnow() >= kept[3]:
            return None
        self._pages.move_to_end(key)
        return kept[2]

    def put(self, key: tuple, epoch: int, versions: tuple[int, ...], body: bytes, until: dt.datetime | None) -> None:
        if len(body) > self.max_bytes:
            return
        replaced = self._pages.pop(key, None)
        if replaced is not None:
            self.bytes -= len(replaced[2])
        self._pages[key] = (epoch, versions, body, until)
        self.bytes += len(body)
        while self.bytes > self.max_bytes:
            _, dropped = self._pages.popitem(last=False)
            self.bytes -= len(dropped[2])


def _serve(endpoint: Callable, follows: tuple[str, ...] | None, session_name: str, auth_name: str | None,
           principal_name: str | None, permission: Permission | None, params_name: str, list_arguments: _ListArguments | None,
           strings: dict[str, bool], absent_only: frozenset[str], path_arguments: list[str],
           state_arguments: dict[str, Callable[[Any], Any]]):
    # the lookup a kept page is checked with (kit.data_versions.anchored), by its name for RowsById
    kept_at = (f"list_versions:{','.join(follows)}", data_versions.anchored(follows)) if follows is not None else None

    async def serve(scope: Scope, path: dict[str, str]) -> bytes | None:
        token = bearer_token(header(scope, b"authorization"))
        if token is None:
            return None
        parsed = _query_arguments(scope["query_string"], strings, absent_only, list_arguments)
        if parsed is None:
            return None
        arguments, list_params = parsed
        state = scope["app"].state
        database: Database = state.database
        if kept_at is not None and permission is not None and permission.scope == ScopeType.ORGANIZATION:
            # a kept page needs no session: the epoch and versions come from one lookup of their own
            row = await database.rows_by_id(kept_at[0], kept_at[1], DataVersion.name).get(data_versions.ANCHOR)
            if row is not None and None not in row[2:]:
                epoch, versions = row[1] or 0, tuple(row[2:])
                principal = known_principal(state, token, epoch)
                if principal is not None and known_authorized(scope, None, principal, permission, path, epoch):
                    page_key = (scope["path"], scope["query_string"], principal.kind, principal.id)
                    kept = state.kept_pages.get(page_key, epoch, versions)
                    if kept is not None:
                        return kept
        with database.transaction(write=False) as session:
            if follows:
                epoch, versions = data_versions.with_epoch(session, follows)
            else:
                epoch, versions = epoch_now(session), (() if follows is not None else None)
            principal = known_principal(state, token, epoch)
            if principal is None:
                return None
            if permission is not None:
                auth = known_authorized(scope, session, principal, permission, path, epoch)
                if auth is None:
                    return None
                arguments[auth_name] = auth
            else:
                # rbac.Authenticated sees the caller only from the organizations whose guards admit
                # this request: hot only when every one of them is known to admit it
                if not all(known_to_pass_organization(scope, principal, organization_id, epoch)
                           for organization_id in principal.organization_ids()):
                    return None
                arguments[principal_name] = principal
            if follows is not None:
                # kit.hot.pages_follow: this caller's page for this query, kept at this epoch and
                # these versions of the list's tables
                page_key = (scope["path"], scope["query_string"], principal.kind, principal.id)
                kept = state.kept_pages.get(page_key, epoch, versions)
                if kept is not None:
                    return kept
            attach(session, state.epoch_cache)
            arguments[session_name] = session
            arguments[params_name] = list_params
            for name in path_arguments:
                arguments[name] = path[name]
            for name, read in state_arguments.items():
                arguments[name] = read(state)
            try:
                response = await endpoint(**arguments)
            except AstroError:
                session.rollback()
                return None
            until = data_versions.held_until(session)
        if getattr(response, "status_code", None) != 200:
            return None
        if versions is not None:
            state.kept_pages.put(page_key, epoch, versions, response.body, until)
        return response.body

    return serve
