"""What each channel receives, how it is sent, and when a failed send is tried again.

Payload builders and the back-off are pure (unit-tested); `send` does the I/O: an HTTP POST for
SLACK, PAGERDUTY and OPSGENIE, SMTP for EMAIL — each under the egress policy (kit.egress: resolved,
checked, sent to the checked address, redirects not followed) — and for DAG_TRIGGER a run of the
named DAG in the named deployment's Airflow (astroplane's own component, not a user-given
destination), once the channel's deployment API token is found to allow it.
"""

import asyncio
import datetime as dt
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from typing import Any

from astroplane.kit.http import httpx

from astroplane.kit import egress

SEVERITY_PAGERDUTY = {"CRITICAL": "critical", "WARNING": "warning", "INFO": "info"}
SEVERITY_OPSGENIE = {"CRITICAL": "P1", "WARNING": "P3", "INFO": "P5"}
TIMEOUT_SECONDS = 10


class DeliveryFailed(Exception):
    """The channel did not take the notification; the message says why (never a secret)."""


class DeliveryRefused(DeliveryFailed):
    """The delivery cannot succeed as configured (the egress policy refuses its destination, or the
    endpoint redirects): failed at once, never retried."""


@dataclass(frozen=True)
class Notice:
    """One firing, as every channel describes it."""

    firing_id: str
    alert_id: str
    alert_name: str
    alert_type: str
    severity: str
    summary: str
    organization_id: str
    deployment_id: str
    deployment_name: str
    dag_id: str
    event_at: dt.datetime
    run_id: str | None = None
    task_id: str | None = None
    try_number: int | None = None

    @property
    def title(self) -> str:
        return f"[{self.severity}] {self.alert_name}: {self.summary}"

    def details(self) -> dict[str, Any]:
        shown = {key: value for key, value in asdict(self).items() if value is not None}
        shown["event_at"] = self.event_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return shown


def backoff(attempts: int, now: dt.datetime, base_seconds: float, max_attempts: int) -> dt.datetime | None:
    """When to try again after `attempts` failed tries (base, 2x, 4x ... capped at an hour), or None
    when the delivery gives up."""
    if attempts >= max_attempts:
        return None
    return now + dt.timedelta(seconds=min(base_seconds * 2 ** (attempts - 1), 3600))


def slack_payload(notice: Notice) -> dict[str, Any]:
    lines = [f"*{notice.title}*", f"Deployment: {notice.deployment_name} ({notice.deployment_id})",
             f"DAG: {notice.dag_id}"]
    if notice.run_id:
        lines.append(f"Run: {notice.run_id}")
    if notice.task_id:
        lines.append(f"Task: {notice.task_id} (try {notice.try_number})")
    return {"text": "\n".join(lines), "astroplane": notice.details()}


def pagerduty_payload(integration_key: str, notice: Notice) -> dict[str, Any]:
    return {"routing_key": integration_key, "event_action": "trigger",
            "dedup_key": f"astroplane-{notice.firing_id}",
            "payload": {"summary": notice.title[:1024], "source": f"astroplane deployment {notice.deployment_id}",
                        "severity": SEVERITY_PAGERDUTY[notice.severity],
                        "timestamp": notice.event_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "component": notice.dag_id, "group": notice.deployment_name,
                        "class": notice.alert_type, "custom_details": notice.details()}}


def opsgenie_payload(notice: Notice) -> dict[str, Any]:
    return {"message": notice.title[:130], "alias": f"astroplane-{notice.firing_id}", "description": notice.summary,
            "priority": SEVERITY_OPSGENIE[notice.severity], "source": "astroplane",
            "tags": [notice.alert_type, notice.deployment_name],
            "details": {key: str(value) for key, value in notice.details().items()}}


def email_message(notice: Notice, sender: str, recipients: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = notice.title[:200]
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    body = [notice.summary, "", *(f"{key}: {value}" for key, value in notice.details().items())]
    message.set_content("\n".join(body))
    return message


def dag_trigger_body(notice: Notice) -> dict[str, Any]:
    return {"logical_date": None, "conf": {"astroplane_alert": notice.details()}}


async def _post(policy: egress.EgressPolicy, url: str, payload: dict[str, Any],
                headers: dict[str, str] | None = None) -> None:
    try:
        response = await egress.post(policy, url, json=payload, headers=headers, timeout=TIMEOUT_SECONDS)
    except egress.EgressRefused as refused:
        raise DeliveryRefused(str(refused)) from None
    except (httpx().HTTPError, httpx().InvalidURL, OSError, ValueError) as error:  # the message would name the URL: a secret
        raise DeliveryFailed(f"the request failed ({type(error).__name__})") from None
    if 300 <= response.status_code < 400:
        raise DeliveryRefused(f"the endpoint answered {response.status_code}, a redirect; astroplane does not "
                              "follow redirects (give the final URL)")
    if response.status_code >= 300:
        raise DeliveryFailed(f"the endpoint answered {response.status_code}")


def _send_mail(host: str, port: int, message: EmailMessage) -> None:
    import smtplib  # imported by the first e-mail delivery, not by every server

    with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
        smtp.send_message(message)


async def _smtp_address(policy: egress.EgressPolicy, host: str, port: int) -> str:
    try:
        return str((await policy.connectable(host, port))[0])
    except egress.EgressRefused as refused:
        raise DeliveryRefused(f"SMTP server: {refused}") from None
    except OSError as error:
        raise DeliveryFailed(f"the SMTP server's host did not resolve ({type(error).__name__})") from None


async def send(channel_type: str, definition: dict[str, Any], notice: Notice, settings, trigger_dag,
               policy: egress.EgressPolicy) -> None:
    """Deliver `notice` to one channel; DeliveryFailed when it did not arrive (DeliveryRefused when it
    never can). `trigger_dag(deployment id, dag id, token, body)` runs a DAG for DAG_TRIGGER
    channels (see alerts.loop)."""
    if channel_type == "SLACK":
        await _post(policy, definition["webhookUrl"], slack_payload(notice))
    elif channel_type == "PAGERDUTY":
        await _post(policy, settings.pagerduty_events_url, pagerduty_payload(definition["integrationKey"], notice))
    elif channel_type == "OPSGENIE":
        await _post(policy, settings.opsgenie_alerts_url, opsgenie_payload(notice),
                    headers={"Authorization": f"GenieKey {definition['apiKey']}"})
    elif channel_type == "EMAIL":
        if not settings.smtp_host:
            raise DeliveryFailed("no SMTP server is configured (ASTROPLANE_SMTP_HOST)")
        message = email_message(notice, settings.smtp_from, definition["recipients"])
        address = await _smtp_address(policy, settings.smtp_host, settings.smtp_port)
        try:
            await asyncio.to_thread(_send_mail, address, settings.smtp_port, message)
        except OSError as error:  # smtplib.SMTPException is an OSError
            raise DeliveryFailed(f"the SMTP server refused or was unreachable ({type(error).__name__})") from None
    elif channel_type == "DAG_TRIGGER":
        await trigger_dag(definition["deploymentId"], definition["dagId"], definition["deploymentApiToken"],
                          dag_trigger_body(notice))
    else:
        raise DeliveryFailed(f"unknown channel type {channel_type}")
