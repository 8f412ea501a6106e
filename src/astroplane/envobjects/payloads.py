"""The typed blocks of environment objects as plain dicts: validation, merging, masking, setFields.

Pure functions, no database. A payload maps API field names (`schema`, not `schema_`) to values;
a field that is absent or None holds no value.
"""

import re
from typing import Any
from urllib.parse import urlparse

from astroplane.kit.errors import BadRequest

CONNECTION, AIRFLOW_VARIABLE, ENVIRONMENT_VARIABLE, METRICS_EXPORT = (
    "CONNECTION", "AIRFLOW_VARIABLE", "ENVIRONMENT_VARIABLE", "METRICS_EXPORT")
# objectType -> the request/response block that carries its values
BLOCKS = {CONNECTION: "connection", AIRFLOW_VARIABLE: "airflowVariable",
          ENVIRONMENT_VARIABLE: "environmentVariable", METRICS_EXPORT: "metricsExport"}
FIELDS = {
    CONNECTION: ("type", "host", "login", "password", "schema", "port", "extra", "authTypeId"),
    AIRFLOW_VARIABLE: ("value",),
    ENVIRONMENT_VARIABLE: ("value",),
    METRICS_EXPORT: ("endpoint", "exporterType", "authType", "username", "password", "basicToken",
                     "sigV4AssumeArn", "sigV4StsRegion", "headers", "labels"),
}
MAP_FIELDS = {"extra", "headers", "labels"}
# fields that are secret whatever the object; variable values are secret when isSecret is set
ALWAYS_SECRET = {CONNECTION: {"password"}, METRICS_EXPORT: {"password", "basicToken"}}
AUTH_FIELDS = {"BASIC": ("username", "password"), "AUTH_TOKEN": ("basicToken",),
               "SIGV4": ("sigV4AssumeArn", "sigV4StsRegion")}

MAX_KEY_LENGTH = 250
MAX_VALUE_LENGTH = 64 * 1024
ENV_VAR_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
AIRFLOW_KEY = re.compile(r"^[A-Za-z0-9_.\-]+$")
IAM_ROLE_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[A-Za-z0-9+=,.@_/\-]{1,512}$")
AWS_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")


def secret_fields(object_type: str, is_secret: bool) -> set[str]:
    if object_type in (AIRFLOW_VARIABLE, ENVIRONMENT_VARIABLE):
        return {"value"} if is_secret else set()
    return ALWAYS_SECRET.get(object_type, set())


def has_value(value: Any) -> bool:
    return value is not None and value != "" and value != {}


def compact(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if has_value(value)}


def set_fields(payload: dict[str, Any]) -> list[str]:
    """Fields holding a value; map members as dotted paths (extra.aws_secret)."""
    found: list[str] = []
    for key in sorted(payload):
        value = payload[key]
        if key in MAP_FIELDS and isinstance(value, dict):
            found.extend(f"{key}.{member}" for member in sorted(value))
        elif has_value(value):
            found.append(key)
    return found


def check_key(object_type: str, key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise BadRequest(f"objectKey must be 1 to {MAX_KEY_LENGTH} characters", field="objectKey")
    if object_type == ENVIRONMENT_VARIABLE and not ENV_VAR_KEY.match(key):
        raise BadRequest("objectKey of an ENVIRONMENT_VARIABLE must be letters, digits and underscores, "
                         "not starting with a digit", field="objectKey")
    if object_type != ENVIRONMENT_VARIABLE and not AIRFLOW_KEY.match(key):
        raise BadRequest("objectKey may hold only letters, digits, '_', '-' and '.'", field="objectKey")
    return key


def check_block_matches(object_type: str, blocks: dict[str, Any], prefix: str = "") -> None:
    """Only the block named by objectType may be present (400 naming the stray block)."""
    expected = BLOCKS[object_type]
    for name, value in blocks.items():
        if value is not None and name != expected:
            raise BadRequest(f"{prefix}{name} does not match objectType {object_type}; send {prefix}{expected}",
                             field=prefix + name)


def check_fields(object_type: str, payload: dict[str, Any], prefix: str) -> None:
    """Formats of the values present (ports, URLs, ARNs, regions, sizes)."""
    for key, value in payload.items():
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            raise BadRequest(f"{prefix}{key} must be at most {MAX_VALUE_LENGTH} characters", field=prefix + key)
    if object_type == CONNECTION:
        port = payload.get("port")
        if port is not None and not 1 <= port <= 65535:
            raise BadRequest(f"{prefix}port must be between 1 and 65535", field=prefix + "port")
        if "type" in payload and payload["type"] is not None and not str(payload["type"]).strip():
            raise BadRequest(f"{prefix}type must not be empty", field=prefix + "type")
    if object_type == METRICS_EXPORT:
        endpoint = payload.get("endpoint")
        if has_value(endpoint):
            parsed = urlparse(endpoint)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise BadRequest(f"{prefix}endpoint must be an http or https URL", field=prefix + "endpoint")
        arn = payload.get("sigV4AssumeArn")
        if has_value(arn) and not IAM_ROLE_ARN.match(arn):
            raise BadRequest(f"{prefix}sigV4AssumeArn must be an IAM role ARN "
                             "(arn:aws:iam::<12-digit account>:role/<name>)", field=prefix + "sigV4AssumeArn")
        region = payload.get("sigV4StsRegion")
        if has_value(region) and not AWS_REGION.match(region):
            raise BadRequest(f"{prefix}sigV4StsRegion must be an AWS region name such as us-east-1",
                             field=prefix + "sigV4StsRegion")


def check_complete(object_type: str, payload: dict[str, Any], prefix: str) -> None:
    """The required values of a whole (effective) payload."""
    if object_type == CONNECTION and not has_value(payload.get("type")):
        raise BadRequest(f"{prefix}type is required", field=prefix + "type")
    if object_type == METRICS_EXPORT:
        if not has_value(payload.get("endpoint")):
            raise BadRequest(f"{prefix}endpoint is required", field=prefix + "endpoint")
        if payload.get("exporterType") != "PROMETHEUS":
            raise BadRequest(f"{prefix}exporterType must be PROMETHEUS", field=prefix + "exporterType")
        auth = payload.get("authType")
        for field in AUTH_FIELDS.get(auth, ()):
            if not has_value(payload.get(field)):
                raise BadRequest(f"{prefix}{field} is required when authType is {auth}", field=prefix + field)


def without_other_auth(payload: dict[str, Any]) -> dict[str, Any]:
    """Drop credentials that belong to an auth type other than the chosen one."""
    keep = set(AUTH_FIELDS.get(payload.get("authType"), ()))
    others = {field for fields in AUTH_FIELDS.values() for field in fields} - keep
    return {key: value for key, value in payload.items() if key not in others}


def merge(current: dict[str, Any], changes: dict[str, Any], secrets: set[str]) -> dict[str, Any]:
    """Apply an update: a field sent replaces, a field left out stays, an explicit null clears.

    A secret sent as "" means "no change", so clients can echo what they read back.
    """
    merged = dict(current)
    for key, value in changes.items():
        if key in secrets and value == "":
            continue
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return compact(merged)


def unset(overrides: dict[str, Any], paths: list[str], prefix: str) -> dict[str, Any]:
    """Remove dotted paths from link overrides so those fields inherit again."""
    result = {key: (dict(value) if isinstance(value, dict) else value) for key, value in overrides.items()}
    for path in paths:
        head, _, member = path.partition(".")
        if member and head in MAP_FIELDS:
            result.get(head, {}).pop(member, None)
        elif not member:
            result.pop(head, None)
        else:
            raise BadRequest(f"{prefix}unsetFields: {path!r} is not a field of this object",
                             field=prefix + "unsetFields")
    return compact(result)


def effective(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """What a linked deployment sees: the object's values with the link's overrides on top (maps per member)."""
    result = dict(defaults)
    for key, value in overrides.items():
        if key in MAP_FIELDS and isinstance(value, dict):
            result[key] = {**(defaults.get(key) or {}), **value}
        else:
            result[key] = value
    return compact(result)


def mask(object_type: str, payload: dict[str, Any], is_secret: bool, show_secrets: bool) -> dict[str, Any]:
    """The payload as a response shows it: secrets left out unless revealed."""
    shown = dict(payload)
    shown.pop("authTypeId", None)  # write-only (the contract resolves it to connectionAuthType)
    if show_secrets:
        return shown
    for field in secret_fields(object_type, is_secret):
        shown.pop(field, None)
    return shown


def linked_values(object_type: str, defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The effective values, with credentials of an overridden metrics auth type dropped."""
    values = effective(defaults, overrides)
    if object_type == METRICS_EXPORT and "authType" in overrides:
        values = without_other_auth(values)
    return values
