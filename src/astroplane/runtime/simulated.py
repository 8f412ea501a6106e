"""The default backend: nothing runs; lifecycle steps take ASTROPLANE_STEP_DELAY_SECONDS each."""

from astroplane.runtime.base import HEALTHY, DeploymentSpec, Observation


class SimulatedRuntime:
    supervises = False

    def converge(self, spec: DeploymentSpec, *, restart_on_change: bool) -> Observation:
        return HEALTHY

    def stop(self, deployment_id: str) -> None:
        pass

    def remove(self, deployment_id: str) -> None:
        pass

    def sweep(self) -> None:
        pass

    def collect_logs(self, deployment_id: str) -> list[tuple[str, str]]:
        return []

    def shutdown(self) -> None:
        pass
