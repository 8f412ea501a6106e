"""Pure pieces of the local runtime: what reaches Airflow's environment, which Airflow it installs."""

import json

import pytest

from astroplane.runtime.base import DeploymentSpec
from astroplane.runtime.installs import UnsupportedAirflow, install_version, locked_versions
from astroplane.runtime.spec import environment_of


def test_environment_objects_become_what_airflow_reads():
    objects = [("AIRFLOW_VARIABLE", "greeting", {"value": "hi"}),
               ("CONNECTION", "my.db", {"type": "postgres", "host": "db", "port": 5432, "password": "pw",
                                        "extra": {"sslmode": "require"}, "authTypeId": "ignored"}),
               ("ENVIRONMENT_VARIABLE", "REGION", {"value": "eu"}),
               ("METRICS_EXPORT", "prom", {"endpoint": "https://metrics"})]
    environment = environment_of(objects, {"REGION": "us", "TEAM": "data"})
    assert environment["AIRFLOW_VAR_GREETING"] == "hi"
    assert json.loads(environment["AIRFLOW_CONN_MY.DB"]) == {
        "conn_type": "postgres", "host": "db", "port": 5432, "password": "pw", "extra": {"sslmode": "require"}}
    assert environment["REGION"] == "us" and environment["TEAM"] == "data"  # the deployment's own win
    assert not any("prom" in name.lower() or "metrics" in value for name, value in environment.items())


def test_a_restart_is_needed_only_when_the_environment_or_version_changes():
    spec = DeploymentSpec("d", "o", "3.3.2", "ASTRO", {"A": "s3cr3t"}, dag_version="v1", dag_digest="x")
    same = DeploymentSpec("d", "o", "3.3.2", "ASTRO", {"A": "s3cr3t"}, dag_version="v2", dag_digest="y")
    assert spec.config_hash == same.config_hash  # a new DAG archive is swapped in, not restarted for
    assert spec.config_hash != DeploymentSpec("d", "o", "3.3.2", "ASTRO", {"A": "2"}).config_hash
    assert "s3cr3t" not in repr(spec)  # the environment holds secrets


def test_runtime_versions_map_to_a_locked_airflow():
    newest = locked_versions()[-1]
    assert newest.startswith("3.")
    assert install_version(newest) == newest
    assert install_version("3.1.3") == newest  # same major: the newest one we can pin
    with pytest.raises(UnsupportedAirflow, match="Airflow 2.11.0 is not available locally"):
        install_version("2.11.0")
