"""Builders for the alert and notification-channel tests (Platform v1beta1 and Labs v1)."""

import uuid

from conftest import Api, make_workspace
from factories import insert_deployment

PLATFORM = "/platform/v1beta1/organizations/{org}"
LABS = "/labs/v1/organizations/{org}"


class VersionApi(Api):
    """An Api whose relative paths go to an older API's organization routes."""

    def __init__(self, api: Api, base: str):
        super().__init__(api.server, api.org, api.token)
        self.base = base

    def url(self, path: str) -> str:
        return self.base.format(org=self.org.id) + path

    def as_token(self, token: str) -> "VersionApi":
        return VersionApi(Api(self.server, self.org, token), self.base)


def platform(api: Api) -> VersionApi:
    return VersionApi(api, PLATFORM)


def labs(api: Api) -> VersionApi:
    return VersionApi(api, LABS)


def workspace_with_deployments(server, api: Api, count: int = 1) -> tuple[str, list[str]]:
    workspace = make_workspace(api)["id"]
    return workspace, [insert_deployment(server, api.org.id, workspace) for _ in range(count)]


def slack(entity_type: str, entity_id: str, url: str = "https://hooks.slack.example/services/T1/B1/x", **extra) -> dict:
    return {"name": f"slack-{uuid.uuid4().hex[:6]}", "type": "SLACK", "entityType": entity_type, "entityId": entity_id,
            "definition": {"webhookUrl": url}, **extra}


def email(entity_type: str, entity_id: str, *recipients: str, **extra) -> dict:
    return {"name": f"mail-{uuid.uuid4().hex[:6]}", "type": "EMAIL", "entityType": entity_type,
            "entityId": entity_id, "definition": {"recipients": list(recipients or ["ops@example.com"])}, **extra}


def alert(deployment_id: str, channel_ids: list[str], alert_type: str = "DAG_FAILURE", patterns=None,
          **properties) -> dict:
    return {"name": f"alert-{uuid.uuid4().hex[:6]}", "type": alert_type, "severity": "CRITICAL",
            "entityType": "DEPLOYMENT", "entityId": deployment_id, "notificationChannelIds": channel_ids,
            "rules": {"properties": {"deploymentId": deployment_id, **properties},
                      "patternMatches": patterns if patterns is not None else
                      [{"entityType": "DAG_ID", "operatorType": "IS", "values": ["etl"]}]}}
