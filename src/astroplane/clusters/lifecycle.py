"""Cluster lifecycle: a pure transition table, driven by the reconciler and the service.

Events: `update` / `failover` / `delete` come from requests; `succeeded` / `failed` end the running
step. A (status, event) pair missing from the table is not allowed (the service answers 409).
While a delete is pending the cluster shows UPDATING (the contract has no DELETING); when that step
succeeds the row is removed (DELETED is never stored).
"""

TRANSIENT = frozenset({"CREATING", "UPDATING", "FAILING_OVER"})
DELETED = "DELETED"

TRANSITIONS: dict[tuple[str, str], str] = {
    ("CREATING", "succeeded"): "CREATED",
    ("CREATING", "failed"): "CREATE_FAILED",
    ("UPDATING", "succeeded"): "CREATED",
    ("UPDATING", "failed"): "UPDATE_FAILED",
    ("FAILING_OVER", "succeeded"): "CREATED",
    ("FAILING_OVER", "failed"): "FAILOVER_FAILED",
    ("UPDATING", "deleted"): DELETED,
    ("CREATED", "update"): "UPDATING",
    ("UPDATE_FAILED", "update"): "UPDATING",
    ("FAILOVER_FAILED", "update"): "UPDATING",
    ("UPGRADE_PENDING", "update"): "UPDATING",
    ("CREATED", "failover"): "FAILING_OVER",
    ("FAILOVER_FAILED", "failover"): "FAILING_OVER",
    ("CREATED", "delete"): "UPDATING",
    ("CREATE_FAILED", "delete"): "UPDATING",
    ("UPDATE_FAILED", "delete"): "UPDATING",
    ("FAILOVER_FAILED", "delete"): "UPDATING",
    ("UPGRADE_PENDING", "delete"): "UPDATING",
    ("ACCESS_DENIED", "delete"): "UPDATING",
}


def next_status(status: str, event: str) -> str | None:
    return TRANSITIONS.get((status, event))


def step_event(status: str, delete_pending: bool, should_fail: bool) -> str | None:
    """The event that ends the running step, or None when nothing is running."""
    if status not in TRANSIENT:
        return None
    if delete_pending:
        return "deleted"
    return "failed" if should_fail else "succeeded"


def health(status: str) -> str:
    if status == "CREATED":
        return "HEALTHY"
    if status in TRANSIENT or status == "UPGRADE_PENDING":
        return "UNKNOWN"
    return "UNHEALTHY"
