"""What runs behind a deployment: a simulated lifecycle, real Airflow processes on this machine, or
Apache Airflow on a Kubernetes cluster."""


def build_runtime(settings):
    """The backend the settings choose (ASTROPLANE_RUNTIME_BACKEND)."""
    if settings.runtime_backend == "local":
        from astroplane.deploys.blobstore import blob_store
        from astroplane.runtime.installs import Installs
        from astroplane.runtime.local import LocalRuntime

        return LocalRuntime(settings.resolved_runtime_dir, Installs(settings.resolved_airflow_dir), blob_store(settings),
                            max_unpacked_bytes=8 * settings.max_upload_bytes,
                            dag_refresh_seconds=settings.dag_refresh_seconds)
    if settings.runtime_backend == "kubernetes":
        from astroplane.runtime.kubernetes import KubernetesRuntime

        return KubernetesRuntime(settings)
    from astroplane.runtime.simulated import SimulatedRuntime

    return SimulatedRuntime()
