"""The organization's IP allow-list: canonical CIDRs, atomic bulk changes, per-request enforcement."""

from types import SimpleNamespace

from fastapi import Request
from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.ip_ranges import schemas
from astroplane.ip_ranges.address import (Address, canonical_network, covers, enclosing_networks, request_client,
                                         scope_client)
from astroplane.ip_ranges.models import AllowedIpRange
from astroplane.ip_ranges.repository import AllowedIpRangeRepository
from astroplane.kit.cache import cached
from astroplane.kit.errors import BadRequest, Conflict, Forbidden, NotFound
from astroplane.kit.ids import is_id, new_ids
from astroplane.kit.pagination import ListParams
from astroplane.kit.time import utcnow
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.principal import Principal

MAX_BULK = 1000


def to_public(row: AllowedIpRange | SimpleNamespace, profiles: SubjectProfiles) -> schemas.AllowedIpAddressRange:
    return schemas.AllowedIpAddressRange(
        id=row.id, organizationId=row.organization_id, ipAddressRange=row.ip_address_range,
        createdAt=row.created_at, updatedAt=row.updated_at,
        createdBy=profiles.created_by(row), updatedBy=profiles.updated_by(row))


def list_ranges(session: Session, auth: AuthContext, params: ListParams) -> schemas.AllowedIpAddressRangesPaginated:
    rows, total = AllowedIpRangeRepository(session).page(auth.organization_id, params)
    profiles = SubjectProfiles(session).prefetch(rows)
    return schemas.AllowedIpAddressRangesPaginated(
        allowedIpAddressRanges=[to_public(row, profiles) for row in rows],
        limit=params.limit, offset=params.offset, totalCount=total)


def _create(session: Session, request: Request, auth: AuthContext, values: list[str], field: str
            ) -> list[SimpleNamespace]:
    networks = []
    for index, value in enumerate(values):
        name = field if field == "ipAddressRange" else f"{field}[{index}]"
        try:
            networks.append(canonical_network(value))
        except ValueError:
            raise BadRequest(f"{name}: {str(value)[:64]!r} is not a valid IPv4 or IPv6 CIDR range", field=name)
    canonical = [str(net) for net in networks]
    if len(set(canonical)) != len(canonical):
        raise BadRequest(f"{field} lists the same range twice", field=field)
    repository = AllowedIpRangeRepository(session)
    if not repository.exists(auth.organization_id) and not covers(networks, request_client(request)):
        raise BadRequest(f"{field}: the first allowed ranges must include the address this request comes "
                         f"from ({request_client(request) or 'unknown'}), or every later request would be "
                         "refused", field=field)
    # complete rows, so the INSERT needs nothing back (a 1,000-row INSERT ... RETURNING costs
    # ~150 ms of parsing in psycopg) and the response renders from these values
    kind, subject_id = auth.principal.subject
    now = utcnow()
    rows = [dict(id=range_id, organization_id=auth.organization_id, ip_address_range=value, created_at=now,
                 updated_at=now, created_by_type=kind, created_by_id=subject_id, updated_by_type=kind,
                 updated_by_id=subject_id) for range_id, value in zip(new_ids(len(canonical)), canonical)]
    # the unique index finds ranges already allowed (concurrent creates included); only then are
    # they looked up, to name one
    if not repository.insert_unless_present(rows):
        existing = repository.among(auth.organization_id, canonical)
        duplicate = next((value for value in canonical if value in existing), None)
        message = (f"{field}: the range {duplicate} is already allowed; nothing was created" if duplicate
                   else f"{field}: the allow-list changed while these ranges were added; nothing was created")
        if field == "ipAddressRange":  # the single create declares no 409; a duplicate is bad input
            raise BadRequest(message, field=field)
        raise Conflict(message)
    return [SimpleNamespace(**row) for row in rows]


def create_range(session: Session, request: Request, auth: AuthContext,
                 body: schemas.CreateAllowedIpAddressRangeRequest) -> schemas.AllowedIpAddressRange:
    row = _create(session, request, auth, [body.ipAddressRange], "ipAddressRange")[0]
    return to_public(row, SubjectProfiles(session))


def bulk_create(session: Session, request: Request, auth: AuthContext,
                body: schemas.BulkCreateAllowedIpAddressRangesRequest) -> schemas.AllowedIpAddressRangesList:
    values = body.allowedIpAddressRanges
    if not 1 <= len(values) <= MAX_BULK:
        raise BadRequest(f"allowedIpAddressRanges must hold 1 to {MAX_BULK} ranges", field="allowedIpAddressRanges")
    rows = _create(session, request, auth, values, "allowedIpAddressRanges")
    profiles = SubjectProfiles(session)
    return schemas.AllowedIpAddressRangesList(allowedIpAddressRanges=[to_public(row, profiles) for row in rows])


def delete_range(session: Session, auth: AuthContext, range_id: str) -> None:
    repository = AllowedIpRangeRepository(session)
    if repository.get(auth.organization_id, range_id) is None:
        raise NotFound("Allowed IP address range not found")
    repository.delete(auth.organization_id, {range_id})


def bulk_delete(session: Session, auth: AuthContext, body: schemas.BulkDeleteAllowedIpAddressRangesRequest) -> None:
    ids = body.allowedIpAddressRangeIds
    if not 1 <= len(ids) <= MAX_BULK:
        raise BadRequest(f"allowedIpAddressRangeIds must hold 1 to {MAX_BULK} ids", field="allowedIpAddressRangeIds")
    # unknown, foreign and malformed ids are ignored, as the real service does
    AllowedIpRangeRepository(session).delete(auth.organization_id, {i for i in ids if isinstance(i, str) and is_id(i)})


def enforce(request: Request, session: Session, principal: Principal, organization_id: str) -> None:
    """Organization guard: once the list is non-empty, only clients inside it are served."""
    address = request_client(request)
    if not cached(session, "ip_allowed", (organization_id, address), lambda: _allows(session, organization_id, address)):
        raise Forbidden(f"Requests from {address or 'this address'} are not allowed: the organization "
                        "restricts API access to its allowed IP address ranges")


def known_to_pass(scope, organization_id: str, epoch: int) -> bool:
    """enforce for hot reads (kit.hot): True when this process found the client allowed at `epoch`."""
    return scope["app"].state.epoch_cache.known("ip_allowed", (organization_id, scope_client(scope)), epoch) is True


def _allows(session: Session, organization_id: str, address: Address | None) -> bool:
    repository = AllowedIpRangeRepository(session)
    if not repository.exists(organization_id):
        return True
    return address is not None and bool(repository.among(organization_id, enclosing_networks(address)))
