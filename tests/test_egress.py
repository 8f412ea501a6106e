"""The egress policy (kit/egress.py): what it refuses by default and why, what ASTROPLANE_EGRESS_ALLOW
allows (CIDRs, host names), the check of webhook URLs at create and update through the API (both
databases), and the check when sending: after DNS, every address checked, the connection made to
the checked address (one resolution: no rebinding) with the original name as Host, TLS server name
and certificate name; redirects answered, never followed."""

import asyncio
import dataclasses
import datetime as dt
import ipaddress
import json
import ssl
from types import SimpleNamespace

import httpx
import pydantic
import pytest

from alert_receivers import Mailbox, Webhook
from alerts_helpers import platform, slack
from astroplane.alerts import delivery
from astroplane.alerts.loop import configured_destination_refusals
from astroplane.kit import egress, tls
from astroplane.kit.egress import EgressPolicy, EgressRefused
from astroplane.notification_channels.models import NotificationChannel
from astroplane.notification_channels.service import definition_of
from astroplane.settings import Settings
from conftest import assert_error

# each refused URL and a word its reason must hold
REFUSED = [
    ("http://169.254.169.254/latest/meta-data/", "link-local"),  # the cloud metadata service
    ("http://127.0.0.1:5432/", "loopback"),  # the database port
    ("http://[::1]:8080/hook", "loopback"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),  # IPv4-mapped IPv6
    ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://localhost:8080/hook", "localhost"),
    ("http://alerts.localhost/hook", "localhost"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one number
    ("http://0x7f.1/", "loopback"),
    ("http://10.1.2.3/", "private"),
    ("http://172.16.0.9/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://[fd12::1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://0.0.0.0:8080/", "unspecified"),
    ("http://240.0.0.1/", "reserved"),
    ("http://100.64.0.1/", "special-purpose"),
    ("http://[64:ff9b::a9fe:a9fe]/", "NAT64 form of 169.254.169.254"),
    ("http://[2002:7f00:1::]/", "6to4 form of 127.0.0.1"),
]
PUBLIC = ["https://hooks.slack.com/services/T0/B0/x", "http://93.184.216.34:8080/hook", "https://[2606:4700::1111]/"]
NOTICE = delivery.Notice(firing_id="f1", alert_id="a1", alert_name="etl broke", alert_type="DAG_FAILURE",
                         severity="CRITICAL", summary="DAG etl failed", organization_id="o1", deployment_id="d1",
                         deployment_name="prod", dag_id="etl", event_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


class FakeDns:
    """A resolver the test controls: name -> addresses (`receiver_test=[...]` is receiver.test);
    records the lookups."""

    def __init__(self, **names: list[str]):
        self.names = {name.replace("_", "."): answers for name, answers in names.items()}
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int):
        self.lookups.append(host)
        if host not in self.names:
            raise OSError("no such host")
        return [ipaddress.ip_address(address) for address in self.names[host]]


def policy(*allow: str, dns: FakeDns | None = None, own: set[str] = frozenset()) -> EgressPolicy:
    return EgressPolicy.from_settings(SimpleNamespace(egress_allow=list(allow)), resolver=dns or FakeDns(),
                                      own_addresses=lambda: {ipaddress.ip_address(a) for a in own})


def run(coroutine):
    return asyncio.run(coroutine)


# ---------------------------------------------------------------- the rules

@pytest.mark.parametrize("url, reason", REFUSED)
def test_default_policy_refuses_non_public_destinations(url, reason):
    refusal = policy().url_refusal(url)
    assert refusal is not None and reason in refusal and "ASTROPLANE_EGRESS_ALLOW" in refusal, (url, refusal)
    assert "/hook" not in refusal and "meta-data" not in refusal  # never the URL: it may carry a secret


@pytest.mark.parametrize("url", PUBLIC)
def test_public_destinations_pass(url):
    assert policy().url_refusal(url) is None


def test_the_servers_own_addresses_are_refused():
    assert "own addresses" in policy(own={"93.184.216.34"}).url_refusal("http://93.184.216.34/hook")
    # the real list comes from the machine's interfaces, loopback among them
    assert ipaddress.ip_address("127.0.0.1") in egress.server_addresses()


def test_allowed_by_cidr():
    allowing = policy("127.0.0.0/8", "10.20.0.0/16")
    for url in ("http://127.0.0.1:5432/", "http://[::ffff:127.0.0.1]/", "http://localhost:9000/", "http://10.20.3.4/"):
        assert allowing.url_refusal(url) is None, url
    for url in ("http://[::1]/", "http://10.21.0.1/", "http://169.254.169.254/"):
        assert allowing.url_refusal(url) is not None, url


def test_allowed_by_host_name_whatever_it_resolves_to():
    dns = FakeDns(receiver_corp_example=["10.0.0.7"], a_b_internal_example=["192.168.5.5"],
                  internal_example=["192.168.5.6"])
    allowing = policy("receiver.corp.example", "*.internal.example", dns=dns)
    assert allowing.url_refusal("https://RECEIVER.corp.example./hook") is None
    assert run(allowing.connectable("receiver.corp.example", 443)) == [ipaddress.ip_address("10.0.0.7")]
    assert run(allowing.connectable("a.b.internal.example", 443)) == [ipaddress.ip_address("192.168.5.5")]
    with pytest.raises(EgressRefused, match="192.168.5.6, a private address"):
        run(allowing.connectable("internal.example", 443))  # `*.` covers the names below, not the name itself


def test_the_setting_takes_a_json_list_of_cidrs_and_names(monkeypatch):
    monkeypatch.setenv("ASTROPLANE_EGRESS_ALLOW", '["127.0.0.1/32", "hooks.corp.example", "*.corp.example"]')
    allowing = EgressPolicy.from_settings(Settings())
    assert allowing.allowed_networks == (ipaddress.ip_network("127.0.0.1/32"),)
    assert allowing.allowed_names == {"hooks.corp.example", "*.corp.example"}
    with pytest.raises(pydantic.ValidationError, match="neither a CIDR nor a host name"):
        Settings(egress_allow=["http://hooks.corp.example/x"])


# ---------------------------------------------------------------- when sending

def test_a_name_is_checked_after_resolution_and_again_each_time():
    dns = FakeDns(receiver_example=["93.184.216.34"])
    checker = policy(dns=dns)
    assert checker.url_refusal("https://receiver.example/hook") is None  # names pass as written
    assert run(checker.connectable("receiver.example", 443)) == [ipaddress.ip_address("93.184.216.34")]
    dns.names["receiver.example"] = ["127.0.0.1"]  # the DNS answer changes after the channel was created
    with pytest.raises(EgressRefused, match="resolves to 127.0.0.1, a loopback address"):
        run(checker.connectable("receiver.example", 443))
    dns.names["receiver.example"] = ["93.184.216.34", "169.254.169.254"]  # one bad answer among good ones
    with pytest.raises(EgressRefused, match="169.254.169.254, a link-local address"):
        run(checker.connectable("receiver.example", 443))
    dns.names["localhost"] = ["127.0.0.1"]
    with pytest.raises(EgressRefused, match="loopback"):
        run(checker.connectable("localhost", 80))
    with pytest.raises(EgressRefused, match="::1, a loopback"):
        run(checker.connectable("[::1]", 80))  # a literal address is not resolved at all
    assert dns.lookups == ["receiver.example"] * 3 + ["localhost"]


def test_the_request_goes_to_the_checked_address_with_the_name_as_host():
    with Webhook() as hook:
        # a rebinding resolver: the first answer is allowed, any later one would be the metadata service
        dns = FakeDns(receiver_test=["127.0.0.1"])
        sender = policy("127.0.0.1/32", dns=dns)

        async def rebinding(host, port):
            answer = await FakeDns.__call__(dns, host, port)
            dns.names[host] = ["169.254.169.254"]
            return answer

        sender = dataclasses.replace(sender, resolver=rebinding)
        response = run(egress.post(sender, f"http://receiver.test:{hook.port}/hook?x=1", json={"hello": 1}))
        assert response.status_code == 200
    assert dns.lookups == ["receiver.test"]  # resolved once; the connection used that answer
    [(_, path, seen)] = hook.received
    assert path == "/hook?x=1" and seen["body"] == {"hello": 1} and seen["host"] == f"receiver.test:{hook.port}"


def _tls_receiver(tmp_path, names: list[str]) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for receiver.test (recording the TLS server names asked
    for into `names`) and a client context that trusts its authority."""
    files = tls.ensure_certificate(tmp_path, ("receiver.test",))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(files.certificate, files.key)
    server.sni_callback = lambda _socket, name, _context: names.append(name)
    return server, ssl.create_default_context(cafile=str(files.authority))


def test_https_sends_the_name_for_sni_and_verifies_the_certificate_for_it(tmp_path):
    names: list[str] = []
    server, client = _tls_receiver(tmp_path, names)
    dns = FakeDns(receiver_test=["127.0.0.1"], elsewhere_test=["127.0.0.1"])
    sender = policy("127.0.0.1/32", dns=dns)
    with Webhook(tls=server) as hook:
        response = run(egress.post(sender, f"https://receiver.test:{hook.port}/hook", json={}, verify=client))
        assert response.status_code == 200 and hook.received[0][2]["host"] == f"receiver.test:{hook.port}"
        assert names == ["receiver.test"]
        # the certificate also covers 127.0.0.1, the address connected to: only a check against the
        # name refuses a certificate that does not cover elsewhere.test
        with pytest.raises(httpx.ConnectError, match="(?i)certificate|hostname"):
            run(egress.post(sender, f"https://elsewhere.test:{hook.port}/hook", json={}, verify=client))
        assert names[-1] == "elsewhere.test" and len(hook.received) == 1


def test_a_redirect_is_not_followed_and_the_delivery_is_refused():
    with Webhook() as target, Webhook(status=302, location=f"{target.url}/stolen") as redirecting:
        sender = policy("receiver.test", dns=FakeDns(receiver_test=["127.0.0.1"]))  # 127.0.0.1 itself is refused
        definition = {"webhookUrl": f"http://receiver.test:{redirecting.port}/hook"}
        with pytest.raises(delivery.DeliveryRefused, match="302, a redirect"):
            run(delivery.send("SLACK", definition, NOTICE, SimpleNamespace(), None, sender))
        # not even when the place it points to is allowed
        with pytest.raises(delivery.DeliveryRefused, match="redirect"):
            run(delivery.send("SLACK", definition, NOTICE, SimpleNamespace(), None,
                              dataclasses.replace(sender, allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))))
        assert len(redirecting.received) == 2 and target.received == []


def test_pagerduty_opsgenie_and_smtp_go_through_the_policy():
    settings = SimpleNamespace(pagerduty_events_url="http://127.0.0.1:9/v2/enqueue",
                               opsgenie_alerts_url="http://[::1]:9/v2/alerts", smtp_host="localhost", smtp_port=25,
                               smtp_from="alerts@astroplane.test")
    sender = policy(dns=FakeDns(localhost=["127.0.0.1"]))
    for channel_type, definition in [("PAGERDUTY", {"integrationKey": "k"}), ("OPSGENIE", {"apiKey": "k"}),
                                     ("EMAIL", {"recipients": ["ops@example.com"]})]:
        with pytest.raises(delivery.DeliveryRefused, match="loopback"):
            run(delivery.send(channel_type, definition, NOTICE, settings, None, sender))


def test_the_system_resolver_finds_localhost_on_loopback():
    with pytest.raises(EgressRefused, match="resolves to .*loopback"):
        run(EgressPolicy().connectable("localhost", 80))


def test_mail_goes_to_the_checked_address_of_an_allowed_smtp_host():
    with Mailbox() as mailbox:
        settings = SimpleNamespace(smtp_host="mail.corp.example", smtp_port=mailbox.port,
                                   smtp_from="alerts@astroplane.test")
        dns = FakeDns(mail_corp_example=["127.0.0.1"])
        run(delivery.send("EMAIL", {"recipients": ["ops@example.com"]}, NOTICE, settings, None,
                          policy("127.0.0.1/32", dns=dns)))
        with pytest.raises(delivery.DeliveryRefused, match="SMTP server: .*loopback"):
            run(delivery.send("EMAIL", {"recipients": ["ops@example.com"]}, NOTICE, settings, None, policy(dns=dns)))
    assert len(mailbox.messages) == 1 and dns.lookups == ["mail.corp.example"] * 2


def test_operator_destinations_the_policy_refuses_are_named_at_start():
    settings = SimpleNamespace(pagerduty_events_url="https://events.pagerduty.com/v2/enqueue",
                               opsgenie_alerts_url="http://[::1]:9/v2/alerts", smtp_host="localhost")
    refusals = dict(configured_destination_refusals(policy(), settings))
    assert set(refusals) == {"OPSGENIE_ALERTS_URL", "SMTP_HOST"} and "loopback" in refusals["SMTP_HOST"]
    assert configured_destination_refusals(policy("127.0.0.0/8", "::1/128"), settings) == []


# ---------------------------------------------------------------- through the API

def _stored_url(server, channel_id: str) -> str:
    with server.database.session(write=False) as session:
        return definition_of(session.get(NotificationChannel, channel_id))["webhookUrl"]


def test_refused_webhook_urls_are_400_at_create_and_update(api, server):
    v = platform(api)
    for url, reason in REFUSED[:7]:
        response = v.post("/notification-channels", json=slack("ORGANIZATION", api.org.id, url))
        assert_error(response, 400, "definition.webhookUrl", reason)
        assert "/hook" not in response.text and "meta-data" not in response.text
    assert v.ok("GET", "/notification-channels")["totalCount"] == 0
    public = "https://hooks.slack.example/services/T1/B1/secret"
    channel = v.ok("POST", "/notification-channels", json=slack("ORGANIZATION", api.org.id, public))
    response = v.post(f"/notification-channels/{channel['id']}",
                      json={"type": "SLACK", "definition": {"webhookUrl": "http://169.254.169.254/latest/meta-data/"}})
    assert_error(response, 400, "definition.webhookUrl", "link-local")
    assert _stored_url(server, channel["id"]) == public
    # sending the mask back keeps the stored (allowed) URL
    v.ok("POST", f"/notification-channels/{channel['id']}", json={"type": "SLACK",
                                                                   "definition": {"webhookUrl": "********"}})
    assert _stored_url(server, channel["id"]) == public


def test_a_loopback_receiver_is_accepted_when_the_setting_allows_it(api, server, loopback_receivers):
    v = platform(api)
    channel = v.ok("POST", "/notification-channels",
                   json=slack("ORGANIZATION", api.org.id, "http://127.0.0.1:5432/hook"))
    assert _stored_url(server, channel["id"]) == "http://127.0.0.1:5432/hook"
    assert_error(v.post("/notification-channels", json=slack("ORGANIZATION", api.org.id, "http://[::1]:5432/")),
                 400, "loopback")
    assert json.dumps(channel).count("127.0.0.1") == 0  # the URL stays a secret in the response


def test_ssl_cert_file_names_the_authorities_that_verify_a_receiver(tmp_path, monkeypatch):
    """An on-premises receiver's internal authority, through SSL_CERT_FILE (proxy variables stay unused)."""
    names: list[str] = []
    server, _ = _tls_receiver(tmp_path, names)
    sender = policy("127.0.0.1/32", dns=FakeDns(receiver_test=["127.0.0.1"]))
    with Webhook(tls=server) as hook:
        url = f"https://receiver.test:{hook.port}/hook"
        with pytest.raises(httpx.ConnectError, match="(?i)certificate"):
            run(egress.post(sender, url, json={}))  # certifi's authorities do not know it
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # would fail the request if it were used
        assert run(egress.post(sender, url, json={})).status_code == 200
