"""Cluster options, read from the package's data file (not from code)."""

import functools
import json
from importlib import resources
from typing import Any

from astroplane.contract.models import ClusterOptions, ProviderInstanceType, ProviderRegion

PROVIDERS = ("AWS", "AZURE", "GCP")


@functools.cache
def data() -> dict[str, Any]:
    return json.loads(resources.files("astroplane.clusters").joinpath("data/cluster_options.json").read_text())


def provider(name: str) -> dict[str, Any]:
    return data()["providers"][name]


def region(provider_name: str, name: str) -> dict[str, Any] | None:
    return next((r for r in provider(provider_name)["regions"] if r["name"] == name), None)


def node_instance_names(provider_name: str) -> list[str]:
    return [i["name"] for i in provider(provider_name)["nodeInstances"]]


def database_instance_names(provider_name: str) -> list[str]:
    return [i["name"] for i in provider(provider_name)["databaseInstances"]]


def supported_astro_machines() -> list[str]:
    return list(data()["supportedAstroMachines"])


def _instance(entries: list[dict[str, Any]], name: str) -> ProviderInstanceType:
    return ProviderInstanceType(**next(e for e in entries if e["name"] == name))


def cluster_options(provider_filter: str | None) -> list[ClusterOptions]:
    options = []
    for name in PROVIDERS:
        if provider_filter and name != provider_filter:
            continue
        entry = provider(name)
        options.append(ClusterOptions(
            provider=name,
            regions=[ProviderRegion(**r) for r in entry["regions"]],
            defaultRegion=ProviderRegion(**region(name, entry["defaultRegion"])),
            nodeInstances=[ProviderInstanceType(**i) for i in entry["nodeInstances"]],
            defaultNodeInstance=_instance(entry["nodeInstances"], entry["defaultNodeInstance"]),
            databaseInstances=[ProviderInstanceType(**i) for i in entry["databaseInstances"]],
            defaultDatabaseInstance=_instance(entry["databaseInstances"], entry["defaultDatabaseInstance"]),
            defaultVpcSubnetRange=entry["defaultVpcSubnetRange"],
            defaultPodSubnetRange=entry.get("defaultPodSubnetRange"),
            defaultServiceSubnetRange=entry.get("defaultServiceSubnetRange"),
            defaultServicePeeringRange=entry.get("defaultServicePeeringRange"),
            nodeCountMin=data()["nodeCountMin"], nodeCountMax=data()["nodeCountMax"],
            nodeCountDefault=data()["nodeCountDefault"],
        ))
    return options
