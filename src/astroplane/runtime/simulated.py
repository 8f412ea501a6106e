"""The default backend: nothing runs; lifecycle steps take ASTROPLANE_STEP_DELAY_SECONDS each."""


class SimulatedRuntime:
    supervises = False  # the reconciler neither converges it nor collects logs from it

    def stop(self, deployment_id: str) -> None:
        pass

    def remove(self, deployment_id: str) -> None:
        pass

    def sweep(self) -> None:
        pass

    def endpoint(self, deployment_id: str) -> str | None:
        return None

    def shutdown(self) -> None:
        pass
