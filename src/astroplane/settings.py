"""Server settings, read from ASTROPLANE_* environment variables.

Secrets that are not configured are generated once and persisted under the data directory, so a
fresh `make serve` works without setup while a production deployment can pin its own values.
"""

import functools
import ipaddress
import os
import pathlib
import secrets
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from astroplane.kit import crypto, egress

MIN_SIGNING_KEY_BYTES = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASTROPLANE_", env_file=None, extra="ignore")

    data_dir: pathlib.Path = pathlib.Path(".astroplane")
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""
    # HMAC key for API token JWTs; generated and persisted in data_dir when empty.
    signing_key: str = ""
    # Fernet keys for secrets at rest, newest first; generated and persisted in data_dir when empty.
    encryption_keys: list[str] = Field(default_factory=list)
    token_issuer: str = "astroplane"
    token_audience: str = "astro-api"
    # Peers whose X-Forwarded-For header is believed when deciding the client address.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Days an invitation (and the PENDING user it creates) stays open.
    invite_expiry_days: int = Field(default=7, ge=1, le=365)
    max_body_bytes: int = 10 * 1024 * 1024
    # DAG/bundle archives PUT to a deploy's upload URL: largest body accepted, and how long the
    # signed URL CreateDeploy returns stays valid. Unpacked contents may be at most 8x the limit.
    max_upload_bytes: int = 256 * 1024 * 1024
    upload_url_ttl_seconds: int = 3600
    # Where DAG/bundle archives are kept: empty for <data_dir>/blobs, or s3://bucket[/prefix] for an
    # S3-compatible store (needs boto3: the `s3` extra); endpoint and region for non-AWS stores.
    blob_store_url: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    log_level: str = "info"
    # FastAPI's native OpenTelemetry instrumentation (traces, metrics, logs to the providers you
    # configure). Off by default: /metrics covers requests, and the check alone costs every request
    # ~15% of a cached GET.
    opentelemetry: bool = False
    # Seconds each simulated lifecycle step takes; 0 makes transitions immediate (tests).
    step_delay_seconds: float = 5.0
    reconcile_interval_seconds: float = 1.0
    run_reconciler: bool = True
    # What runs behind a deployment: `simulated` (lifecycles only), `local` (a real Apache Airflow
    # per deployment on this machine; see docs/local-runtime.md) or `kubernetes` (a namespace per
    # deployment on a cluster; see docs/kubernetes.md).
    runtime_backend: Literal["simulated", "local", "kubernetes"] = "simulated"
    # Local runtime: deployment homes (default <data_dir>/runtime), Airflow installs (default
    # <data_dir>/airflow; share it between data dirs to install once), how many deployments this
    # server may run (0: one per 1.5 GiB of the machine's memory), how often Airflow looks for DAGs.
    runtime_dir: pathlib.Path | None = None
    airflow_dir: pathlib.Path | None = None
    local_max_deployments: int = Field(default=0, ge=0)
    dag_refresh_seconds: int = Field(default=10, ge=1)
    # Kubernetes runtime: a kubeconfig file and context (empty: the default file and its current
    # context), or the in-cluster service account; the PostgreSQL server (an admin URL) on which
    # each deployment gets its own metadata database; the image repository (empty: the deployment's
    # own, quay.io/astronomer/astro-runtime) and the Redis image Celery uses as its broker; how long
    # the signed DAG-archive URLs handed to pods stay valid; how often every object is re-applied
    # even when nothing changed (drift repair), and how often pod logs are read.
    k8s_kubeconfig: str = ""
    k8s_context: str = ""
    k8s_in_cluster: bool = False
    k8s_metadata_db_url: str = ""
    k8s_image_repository: str = ""
    k8s_redis_image: str = "redis:7.4-alpine"
    k8s_blob_url_ttl_seconds: int = Field(default=900, ge=60)
    k8s_resync_seconds: float = Field(default=300.0, gt=0)
    k8s_log_interval_seconds: float = Field(default=5.0, gt=0)
    # A test double's controls (docs/testing.md): the API under /astroplane/v1 (clock, faults,
    # forced failures, reset), and reproducible ids from this seed. Never on a shared server.
    test_controls: bool = False
    id_seed: int | None = None

    # Alerts (local runtime only; see docs/alerts.md): how often deployments' Airflows are read,
    # where EMAIL, PAGERDUTY and OPSGENIE channels deliver, and how failed deliveries are retried
    # (after base, 2x base, 4x base ... seconds, at most `alert_max_attempts` tries).
    alert_interval_seconds: float = Field(default=2.0, gt=0)
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "astroplane@localhost"
    pagerduty_events_url: str = "https://events.pagerduty.com/v2/enqueue"
    opsgenie_alerts_url: str = "https://api.opsgenie.com/v2/alerts"
    alert_retry_base_seconds: float = Field(default=5.0, gt=0)
    alert_max_attempts: int = Field(default=6, ge=1)
    # Egress policy (docs/egress.md): CIDRs and host names (`*.corp.example` for every name below
    # one) the server may send to on a user's behalf although they are loopback, private,
    # link-local, its own, ... (refused by default). JSON list, like trusted_proxies.
    egress_allow: list[str] = Field(default_factory=list)

    @field_validator("signing_key")
    @classmethod
    def refuse_weak_signing_key(cls, value: str) -> str:
        if value and len(value.encode()) < MIN_SIGNING_KEY_BYTES:
            raise ValueError(f"ASTROPLANE_SIGNING_KEY must be at least {MIN_SIGNING_KEY_BYTES} bytes")
        if value.lower() in {"changethis", "secret", "changeme"}:
            raise ValueError("ASTROPLANE_SIGNING_KEY is a well-known placeholder; set a random value")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def valid_proxies(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)
        return value

    @field_validator("egress_allow")
    @classmethod
    def valid_egress_allow(cls, value: list[str]) -> list[str]:
        egress.parse_allow(value)
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'astroplane.db').resolve()}"

    @property
    def resolved_runtime_dir(self) -> pathlib.Path:
        return (self.runtime_dir or self.data_dir / "runtime").resolve()

    @property
    def resolved_airflow_dir(self) -> pathlib.Path:
        return (self.airflow_dir or self.data_dir / "airflow").resolve()

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    def persisted_secret(self, name: str, configured: str, factory=lambda: secrets.token_urlsafe(48)) -> str:
        """Return `configured`, or a random secret created once in data_dir/<name>."""
        if configured:
            return configured
        path = self.data_dir / name
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        value = factory()
        # O_EXCL: two workers starting at once must agree on one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        return value

    @functools.cached_property
    def token_signing_key(self) -> str:
        return self.persisted_secret("signing.key", self.signing_key)

    @functools.cached_property
    def secret_keys(self) -> list[str]:
        if self.encryption_keys:
            return list(self.encryption_keys)
        return [self.persisted_secret("encryption.key", "", factory=crypto.generate_key)]


@functools.lru_cache
def get_settings() -> Settings:
    return Settings()
