"""Allowed IP address ranges: canonical CIDRs, atomic bulk changes, the lock-out guard, and
enforcement on every request of the organization."""

import pytest
from fastapi.testclient import TestClient

from astroplane.app import create_app
import ipaddress

from astroplane.ip_ranges.address import canonical_network, client_address, enclosing_networks
from conftest import assert_error, assert_no_nulls

PATH = "/allowed-ip-address-ranges"


def _ranges(api):
    return sorted(r["ipAddressRange"] for r in api.ok("GET", PATH)["allowedIpAddressRanges"])


def _client_from(server, address: str, **settings) -> TestClient:
    app = server.client.app if not settings else create_app(server.settings.model_copy(update=settings),
                                                            server.database)
    return TestClient(app, raise_server_exceptions=False, client=(address, 40000))


def test_create_canonicalises_and_lists(api):
    created = api.ok("POST", PATH, json={"ipAddressRange": "127.1.2.3/8"})
    assert created["ipAddressRange"] == "127.0.0.0/8"
    assert created["organizationId"] == api.org.id
    assert created["createdBy"]["subjectType"] == "SERVICEKEY"
    assert_no_nulls(created)
    v6 = api.ok("POST", PATH, json={"ipAddressRange": "2001:DB8:0:0:1::5/64"})
    assert v6["ipAddressRange"] == "2001:db8::/64"
    page = api.ok("GET", PATH + "?sorts=ipAddress:asc")
    assert page["totalCount"] == 2
    assert [r["ipAddressRange"] for r in page["allowedIpAddressRanges"]] == ["127.0.0.0/8", "2001:db8::/64"]
    assert api.ok("GET", "")["hasAllowedIpAddressRanges"] is True


@pytest.mark.parametrize("value", ["10.0.0.0/33", "not-a-cidr", "", "300.1.1.1", "2001:db8::/129"])
def test_malformed_cidr_is_400_naming_the_field(api, value):
    body = assert_error(api.post(PATH, json={"ipAddressRange": value}), 400, "ipAddressRange")
    assert body["fieldErrors"][0]["field"] == "ipAddressRange"
    assert api.ok("GET", "")["hasAllowedIpAddressRanges"] is False


def test_first_range_must_cover_the_caller(api):
    assert_error(api.post(PATH, json={"ipAddressRange": "10.0.0.0/8"}), 400, "127.0.0.1")
    assert_error(api.post(PATH + "/bulk-create", json={"allowedIpAddressRanges": ["10.0.0.0/8", "192.168.0.0/16"]}),
                 400, "include")
    assert _ranges(api) == []
    # once the caller is covered, later ranges need not cover it
    api.ok("POST", PATH, json={"ipAddressRange": "127.0.0.1/32"})
    api.ok("POST", PATH, json={"ipAddressRange": "10.0.0.0/8"})
    assert _ranges(api) == ["10.0.0.0/8", "127.0.0.1/32"]


def test_bulk_create_is_atomic(api):
    created = api.ok("POST", PATH + "/bulk-create", json={"allowedIpAddressRanges": ["127.0.0.0/8", "10.1.1.1/16"]})
    assert sorted(r["ipAddressRange"] for r in created["allowedIpAddressRanges"]) == ["10.1.0.0/16", "127.0.0.0/8"]
    # one invalid item: 400, nothing written
    assert_error(api.post(PATH + "/bulk-create", json={"allowedIpAddressRanges": ["172.16.0.0/12", "bad"]}),
                 400, "allowedIpAddressRanges[1]")
    # one existing item (after canonicalisation): 409, nothing written
    assert_error(api.post(PATH + "/bulk-create", json={"allowedIpAddressRanges": ["172.16.0.0/12", "10.1.9.9/16"]}),
                 409, "10.1.0.0/16")
    assert_error(api.post(PATH, json={"ipAddressRange": "127.0.0.0/8"}), 400, "already allowed")
    assert _ranges(api) == ["10.1.0.0/16", "127.0.0.0/8"]


@pytest.mark.parametrize("count", [0, 1001])
def test_bulk_sizes(api, count):
    ranges = [f"10.{i // 256}.{i % 256}.0/24" for i in range(count)]
    assert_error(api.post(PATH + "/bulk-create", json={"allowedIpAddressRanges": ranges}), 400, "1000")
    ids = ["c" + "0" * 24] * count
    assert_error(api.post(PATH + "/bulk-delete", json={"allowedIpAddressRangeIds": ids}), 400, "1000")


def test_bulk_create_accepts_a_thousand(api):
    ranges = ["127.0.0.0/8"] + [f"10.{i // 256}.{i % 256}.0/24" for i in range(999)]
    created = api.ok("POST", PATH + "/bulk-create", json={"allowedIpAddressRanges": ranges})
    assert len(created["allowedIpAddressRanges"]) == 1000


def test_bulk_delete_ignores_unknown_and_duplicate_ids(api, server):
    from conftest import Api, new_org
    other = Api(server, (o := new_org(server)), o.token)
    foreign = other.ok("POST", PATH, json={"ipAddressRange": "127.0.0.0/8"})["id"]
    ids = [r["id"] for r in api.ok("POST", PATH + "/bulk-create",
                                    json={"allowedIpAddressRanges": ["127.0.0.0/8", "10.0.0.0/8", "11.0.0.0/8"]}
                                    )["allowedIpAddressRanges"]]
    api.ok("POST", PATH + "/bulk-delete", status=204,
           json={"allowedIpAddressRangeIds": [ids[1], ids[1], ids[2], "c" + "0" * 24, foreign, "junk"]})
    assert _ranges(api) == ["127.0.0.0/8"]
    assert _ranges(other) == ["127.0.0.0/8"]  # another organization's id is not touched


def test_delete_single_and_flag(api):
    created = api.ok("POST", PATH, json={"ipAddressRange": "127.0.0.0/8"})
    assert_error(api.delete(f"{PATH}/c{'1' * 24}"), 404)
    api.ok("DELETE", f"{PATH}/{created['id']}", status=204)
    assert api.ok("GET", "")["hasAllowedIpAddressRanges"] is False


def test_requests_from_outside_the_list_are_refused(api, server):
    outsider = _client_from(server, "192.0.2.10")
    headers = {"Authorization": f"Bearer {api.token}"}
    assert outsider.get(f"/v1/organizations/{api.org.id}/workspaces", headers=headers).status_code == 200
    api.ok("POST", PATH + "/bulk-create", json={"allowedIpAddressRanges": ["127.0.0.0/8", "198.51.100.0/24"]})
    response = outsider.get(f"/v1/organizations/{api.org.id}/workspaces", headers=headers)
    assert_error(response, 403, "192.0.2.10", "allowed ip")
    # every route of the organization, reads and writes alike
    refused = outsider.post(f"/v1/organizations/{api.org.id}/workspaces", headers=headers, json={"name": "x"})
    assert_error(refused, 403)
    # the refusal is in the audit log, with the address it came from
    import gzip, json
    raw = api.get("/audit-logs").content
    lines = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode().splitlines()
    entry = next(json.loads(line) for line in lines if json.loads(line)["requestId"] == refused.json()["requestId"])
    assert entry["status"] == 403 and entry["sourceIp"] == "192.0.2.10"
    assert_error(outsider.get(f"/v1/organizations/{api.org.id}", headers=headers), 403)
    # inside the list: served
    inside = _client_from(server, "198.51.100.7")
    assert inside.get(f"/v1/organizations/{api.org.id}/workspaces", headers=headers).status_code == 200
    # removing the ranges lifts the restriction at once
    ids = [r["id"] for r in api.ok("GET", PATH)["allowedIpAddressRanges"]]
    api.ok("POST", PATH + "/bulk-delete", status=204, json={"allowedIpAddressRangeIds": ids})
    assert outsider.get(f"/v1/organizations/{api.org.id}/workspaces", headers=headers).status_code == 200


def test_forwarded_for_counts_only_from_trusted_proxies(api, server):
    api.ok("POST", PATH + "/bulk-create", json={"allowedIpAddressRanges": ["127.0.0.0/8", "203.0.113.0/24"]})
    headers = {"Authorization": f"Bearer {api.token}"}
    url = f"/v1/organizations/{api.org.id}/workspaces"
    # an untrusted peer cannot claim an allowed address
    spoofer = _client_from(server, "192.0.2.10")
    assert spoofer.get(url, headers={**headers, "X-Forwarded-For": "203.0.113.5"}).status_code == 403
    # behind a trusted proxy the forwarded client decides, both ways
    proxied = _client_from(server, "10.0.0.2", trusted_proxies=["10.0.0.0/24"])
    assert proxied.get(url, headers={**headers, "X-Forwarded-For": "203.0.113.5"}).status_code == 200
    assert proxied.get(url, headers={**headers, "X-Forwarded-For": "192.0.2.99"}).status_code == 403
    # the proxy's own address is not an allowed client
    assert proxied.get(url, headers=headers).status_code == 403


def test_client_address_walks_trusted_hops():
    proxies = ["10.0.0.0/8"]
    assert str(client_address("10.0.0.1", "1.2.3.4, 10.0.0.9", proxies)) == "1.2.3.4"
    assert str(client_address("10.0.0.1", "5.5.5.5, 1.2.3.4", proxies)) == "1.2.3.4"  # leftmost is spoofable
    assert str(client_address("8.8.8.8", "1.2.3.4", proxies)) == "8.8.8.8"
    assert str(client_address("::ffff:1.2.3.4", None, proxies)) == "1.2.3.4"
    assert client_address("testclient", None, proxies) is None


@pytest.mark.parametrize("address", ["198.51.100.7", "2001:db8::42"])
def test_enclosing_networks_are_exactly_the_ranges_that_cover_an_address(address):
    ip = ipaddress.ip_address(address)
    enclosing = enclosing_networks(ip)
    assert len(enclosing) == ip.max_prefixlen + 1 and len(set(enclosing)) == len(enclosing)
    for value in enclosing:  # each is a stored (canonical) range that contains the address
        assert str(canonical_network(value)) == value and ip in ipaddress.ip_network(value)
    neighbour = ipaddress.ip_address(int(ip) ^ 1)  # differs in the last bit only
    assert str(ipaddress.ip_network((neighbour, ip.max_prefixlen))) not in enclosing


def test_enforcement_matches_ipv6_and_wide_ranges(api, server):
    api.ok("POST", PATH + "/bulk-create", json={"allowedIpAddressRanges": ["127.0.0.1/32", "2001:db8:0:0:1::/80",
                                                                           "100.64.0.0/10"]})
    headers = {"Authorization": f"Bearer {api.token}"}
    url = f"/v1/organizations/{api.org.id}/workspaces"
    for address, status in [("2001:db8::1:0:2:3", 200), ("2001:db8::2:0:0:1", 403), ("100.127.255.255", 200),
                            ("100.128.0.0", 403), ("::ffff:100.64.0.1", 200)]:
        assert _client_from(server, address).get(url, headers=headers).status_code == status, address


def test_other_organizations_are_not_restricted(api, server):
    from conftest import Api, new_org
    api.ok("POST", PATH, json={"ipAddressRange": "127.0.0.1/32"})
    other = new_org(server)
    outsider = _client_from(server, "192.0.2.10")
    response = outsider.get(f"/v1/organizations/{other.id}/workspaces", headers={"Authorization": f"Bearer {other.token}"})
    assert response.status_code == 200


def test_member_without_permission_cannot_manage_ranges(api):
    from conftest import make_token
    token, _ = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    member = api.as_token(token)
    assert_error(member.post(PATH, json={"ipAddressRange": "127.0.0.0/8"}), 403, "allowedIpAddressRanges")
    assert_error(member.get(PATH), 403)
