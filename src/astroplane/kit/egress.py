"""The egress policy: where the server may connect when it acts for a user (alert deliveries to
Slack-style webhooks, PagerDuty, Opsgenie and the SMTP server; anything later goes through here).

By default only public unicast addresses are reachable. Refused: loopback, link-local (the cloud
metadata service answers at 169.254.169.254), private (RFC 1918, fc00::/7), every other
special-purpose range (shared 100.64.0.0/10, documentation, benchmarking, ...), multicast,
unspecified, reserved, the IPv6 forms that carry one of those inside (IPv4-mapped, IPv4-compatible,
6to4, NAT64, Teredo), and the server's own addresses. `ASTROPLANE_EGRESS_ALLOW` lists CIDRs and
host names (`*.example.com` for every name below one) that are reachable anyway.

Two checks. `url_refusal` when a user gives a destination: the URL's host as written, without DNS
(a literal address in any form the resolver accepts, or a `localhost` name). `connectable` just
before connecting: the name resolved, every address checked, and the caller connects to one of the
addresses it returns, never resolving the name again, so an answer that changes between the check
and the connection (DNS rebinding) cannot send it elsewhere. `post` does that for HTTP: the
request goes to the checked address with the original name in the Host header, TLS SNI and
certificate verification; no proxy from the environment, no redirects followed.
"""

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from astroplane.kit.http import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[Address]]]

PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
NAT64 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# a host name: labels of letters, digits and hyphens; `*.` in front allows every name below it
HOST_NAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
# hosts written as numbers that resolvers read as IPv4 (127.1, 2130706433, 0x7f.0.0.1, 0177.0.0.1)
NUMERIC_HOST = re.compile(r"^[0-9a-fA-FxX.]+$")
LOCALHOST_NAMES = ("localhost", "localhost.localdomain")


class EgressRefused(Exception):
    """The policy refuses the destination; the message says which address and why (never a URL,
    which may carry a secret)."""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries inside, with the name of the form."""
    found = []
    if address.ipv4_mapped is not None:
        found.append(("IPv4-mapped", address.ipv4_mapped))
    if address.sixtofour is not None:
        found.append(("6to4", address.sixtofour))
    if address.teredo is not None:
        found += [("Teredo", embedded) for embedded in address.teredo]
    if any(address in net for net in NAT64):
        found.append(("NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)))
    if address in IPV4_COMPATIBLE and int(address) > 1:
        found.append(("IPv4-compatible", ipaddress.IPv4Address(int(address))))
    return found


def classify(address: Address) -> str | None:
    """Why the policy refuses `address` by default, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        for form, embedded in _embedded_ipv4(address):
            reason = classify(embedded)
            if reason:
                return f"the {form} form of {embedded}, {reason}"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if address.is_multicast:
        return "a multicast address"
    if any(address in net for net in PRIVATE if net.version == address.version):
        return "a private address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a special-purpose address, not a public one"
    return None


def literal_address(host: str) -> Address | None:
    """The address a host is written as (`[::1]`, `127.0.0.1`, or a numeric form such as
    `2130706433` that resolvers read as IPv4), or None for a name."""
    host = host.strip("[]")
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        if not NUMERIC_HOST.match(host):
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return _unmapped(address)


def _unmapped(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def server_addresses() -> set[Address]:
    """Every address of this machine's network interfaces."""
    import psutil  # only when the policy first asks for this server's own addresses

    found: set[Address] = set()
    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            if entry.family in (socket.AF_INET, socket.AF_INET6):
                try:
                    found.add(_unmapped(ipaddress.ip_address(entry.address.split("%", 1)[0])))
                except ValueError:
                    pass
    return found


async def system_resolve(host: str, port: int) -> list[Address]:
    """The addresses the system resolver gives for `host`, in its order, each once."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[Address] = []
    for info in infos:
        address = _unmapped(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
        if address not in found:
            found.append(address)
    return found


def parse_allow(entries: Iterable[str]) -> tuple[tuple[Network, ...], frozenset[str]]:
    """ASTROPLANE_EGRESS_ALLOW's entries as networks and host names; ValueError names a bad entry."""
    networks: list[Network] = []
    names: set[str] = set()
    for entry in entries:
        value = _normal_host(str(entry))
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
            continue
        except ValueError:
            pass
        if not HOST_NAME.match(value):
            raise ValueError(f"ASTROPLANE_EGRESS_ALLOW: {str(entry)[:80]!r} is neither a CIDR nor a host name")
        names.add(value)
    return tuple(networks), frozenset(names)


@dataclass(frozen=True)
class EgressPolicy:
    allowed_networks: tuple[Network, ...] = ()
    allowed_names: frozenset[str] = frozenset()
    own_addresses: Callable[[], set[Address]] = server_addresses
    resolver: Resolver = field(default=system_resolve)

    @classmethod
    def from_settings(cls, settings, **overrides: Any) -> "EgressPolicy":
        networks, names = parse_allow(settings.egress_allow)
        return cls(networks, names, **overrides)

    def name_allowed(self, host: str) -> bool:
        host = _normal_host(host)
        return host in self.allowed_names or any(
            allowed.startswith("*.") and host.endswith(allowed[1:]) for allowed in self.allowed_names)

    def refusal(self, address: Address) -> str | None:
        """Why `address` may not be reached, or None when it may."""
        address = _unmapped(address)
        if any(address.version == net.version and address in net for net in self.allowed_networks):
            return None
        reason = classify(address)
        if reason is None and address in self.own_addresses():
            reason = "one of this server's own addresses"
        return f"{address}, {reason}" if reason else None

    def url_refusal(self, url: str) -> str | None:
        """Why a user-given http(s) URL is refused as written (no DNS: names are checked when
        connecting), or None."""
        try:
            parsed = httpx().URL(url)
        except (httpx().InvalidURL, ValueError):
            return "it is not a valid URL"
        if parsed.scheme not in ("http", "https") or not parsed.raw_host:
            return "it is not an http(s) URL with a host"
        return self.host_refusal(parsed.raw_host.decode("ascii"))

    def host_refusal(self, host: str) -> str | None:
        """Why `host` is refused as written: a literal address, or a `localhost` name (no DNS)."""
        host = _normal_host(host)
        if self.name_allowed(host):
            return None
        address = literal_address(host)
        if address is not None:
            return _described("its host is", self.refusal(address))
        if host in LOCALHOST_NAMES or host.endswith(".localhost"):
            return _described("its host, localhost, means", self.refusal(ipaddress.IPv4Address("127.0.0.1")))
        return None

    async def connectable(self, host: str, port: int) -> list[Address]:
        """The addresses to connect to for `host`, resolved now and every one allowed (connect to
        these, never to the name). EgressRefused when one is refused; OSError when it does not resolve."""
        host = _normal_host(host)
        literal = literal_address(host)
        addresses = [literal] if literal is not None else await self.resolver(host, port)
        if not addresses:
            raise OSError("the host has no address")
        if self.name_allowed(host):
            return addresses
        for address in addresses:
            reason = _described("the destination is" if literal is not None else "the destination's host resolves to",
                                self.refusal(address))
            if reason:
                raise EgressRefused(reason)
        return addresses


def _described(lead: str, refusal: str | None) -> str | None:
    if refusal is None:
        return None
    return (f"{lead} {refusal}; astroplane does not send to such addresses unless ASTROPLANE_EGRESS_ALLOW "
            "allows them (docs/egress.md)")


async def post(policy: EgressPolicy, url: str, *, json: Any, headers: dict[str, str] | None = None,
               timeout: float = 10, verify: Any = True) -> "httpx.Response":
    """POST `json` to `url` under the policy: resolved and checked now, sent to a checked address
    with the URL's name as Host and TLS server name. Redirects are answered, never followed.
    EgressRefused (the policy), httpx.HTTPError or OSError (the network)."""
    parsed = httpx().URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise EgressRefused("the destination is not an http(s) URL with a host")
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = await policy.connectable(host, port)
    named = literal_address(host) is None
    extensions = {"sni_hostname": _normal_host(host)} if parsed.scheme == "https" and named else {}
    sent_headers = {**(headers or {}), "Host": parsed.netloc.decode("ascii")}
    if verify is True:  # certifi's authorities, or SSL_CERT_FILE / SSL_CERT_DIR (trust_env is off: no proxies)
        verify = httpx().create_ssl_context(trust_env=True)
    async with httpx().AsyncClient(timeout=timeout, verify=verify, trust_env=False, follow_redirects=False) as client:
        for index, address in enumerate(addresses):
            try:
                return await client.post(parsed.copy_with(host=str(address)), json=json, headers=sent_headers,
                                         extensions=extensions)
            except httpx().ConnectError:
                if index == len(addresses) - 1:
                    raise
    raise AssertionError("unreachable: connectable() returns at least one address")


def request_policy(request: Request) -> EgressPolicy:
    """Dependency: the app's policy (built from its settings)."""
    return request.app.state.egress


EgressDep = Annotated[EgressPolicy, Depends(request_policy)]
