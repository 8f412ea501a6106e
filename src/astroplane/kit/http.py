"""httpx, imported on first use. Importing httpx imports its command line too (click, rich,
pygments: ~10 MB with httpx itself) into every server process, for the few requests and background
passes that call out (alert deliveries, the Airflow proxy)."""

import types


def httpx() -> types.ModuleType:
    import httpx as module

    return module
