"""The client's address: the socket peer, or what trusted proxies say in X-Forwarded-For."""

import functools
import ipaddress
from collections.abc import Iterable

from astroplane.kit.hot import header

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(value: str | None) -> Address | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # an IPv4 client seen through an IPv6 socket is still that IPv4 client
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


# socket peers repeat (one per client host, not per request) and are not client-supplied text
_peer_address = functools.lru_cache(maxsize=4096)(parse_address)


def _trusted(address: Address, proxies: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> Address | None:
    """Walk X-Forwarded-For from the right while each hop is a trusted proxy; the first hop that is
    not one is the client. Without a trusted peer, the header is ignored (anyone can send it)."""
    address = _peer_address(peer)
    if address is None or not forwarded_for:
        return address
    proxies = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]
    if not _trusted(address, proxies):
        return address
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        hop_address = parse_address(hop)
        if hop_address is None:
            return address  # a garbled hop: trust nothing beyond the last good one
        address = hop_address
        if not _trusted(address, proxies):
            return address
    return address


def request_client(request) -> Address | None:
    """client_address for a Starlette request, with the app's settings."""
    return scope_client(request.scope)


def scope_client(scope) -> Address | None:
    """client_address for an ASGI scope, with its app's settings."""
    settings = scope["app"].state.settings
    client = scope.get("client")
    return client_address(client[0] if client else None, header(scope, b"x-forwarded-for"), settings.trusted_proxies)


def canonical_network(value: str) -> Network:
    """`10.1.2.3/8` -> 10.0.0.0/8; a bare address is a single-host range. ValueError if malformed."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise ValueError("not a CIDR")
    return ipaddress.ip_network(value.strip(), strict=False)


def enclosing_networks(address: Address) -> list[str]:
    """Every canonical range that contains `address`, from /0 to the single host (33 for IPv4, 129
    for IPv6). A stored list covers the address exactly when it holds one of these, so enforcement is
    an indexed lookup of these strings, whatever the list's size."""
    return [str(ipaddress.ip_network((address, prefix), strict=False)) for prefix in range(address.max_prefixlen + 1)]


def covers(networks: Iterable[Network], address: Address | None) -> bool:
    if address is None:
        return False
    return any(address.version == net.version and address in net for net in networks)
