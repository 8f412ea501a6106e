"""Request and response shapes of the test-double controls (astroplane's own, not the contract's)."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from astroplane.kit.schemas import ContractModel

FaultKind = Literal["STATUS", "LATENCY", "DROP"]


class Clock(ContractModel):
    now: AwareDatetime = Field(description="The server's time")
    offsetSeconds: float = Field(description="How far the server's time is ahead of the system clock")
    frozen: bool = Field(description="Whether the time stands still (it then moves only when advanced)")


class ClockAdvanced(Clock):
    transitions: int = Field(description="Lifecycle transitions the reconciler made to catch up")


class AdvanceClockRequest(ContractModel):
    duration: Annotated[dt.timedelta, Field(description="Seconds, or an ISO 8601 duration such as PT5M")]


class FreezeClockRequest(ContractModel):
    at: AwareDatetime | None = Field(default=None, description="The instant to stop at; now when left out")


class ArmFaultRequest(ContractModel):
    operationId: str = Field(description="The Astro API operation to disturb, e.g. GetDeployment")
    kind: FaultKind = Field(default="STATUS", description="Answer a status, add latency, or drop the connection")
    statusCode: Annotated[int, Field(ge=400, le=599)] | None = Field(
        default=None, description="STATUS: the status to answer (default 503)")
    message: Annotated[str, Field(max_length=1000)] | None = Field(default=None, description="STATUS: the message")
    latencyMs: Annotated[int, Field(ge=1, le=120_000)] | None = Field(
        default=None, description="LATENCY: the delay before the call proceeds")
    count: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="How many calls get the fault (default 1; unlimited with a fraction)")
    fraction: Annotated[float, Field(gt=0, le=1)] | None = Field(
        default=None, description="The share of calls that get it, spread evenly (0.5: every second call)")


class Fault(ContractModel):
    id: str
    operationId: str
    kind: FaultKind
    statusCode: int | None = None
    message: str | None = None
    latencyMs: int | None = None
    remaining: int | None = Field(default=None, description="Injections left; absent when unlimited")
    fraction: float | None = None
    seen: int = Field(description="Matching calls so far")
    injected: int = Field(description="Calls that got the fault")
    armed: bool
    createdAt: AwareDatetime


class Faults(ContractModel):
    faults: list[Fault]


class ClusterFailureRequest(ContractModel):
    status: Literal["CREATE_FAILED", "UPDATE_FAILED", "FAILOVER_FAILED"] | None = Field(
        default=None, description="The failure expected; the running step decides which one it is")
    statusReason: Annotated[str, Field(min_length=1, max_length=1000)]


class FailureRequest(ContractModel):
    statusReason: Annotated[str, Field(min_length=1, max_length=1000)]


class ForcedFailure(ContractModel):
    id: str
    status: str
    statusReason: str


class ResetResult(ContractModel):
    deleted: dict[str, int] = Field(description="Rows deleted, by table")
