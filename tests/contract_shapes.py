"""Walk a response along its schema in a reference document (helper for the shape tests)."""

import json

from shared_files import shared_file

_DOCUMENTS: dict[str, dict] = {}


def reference(name: str) -> dict:
    if name not in _DOCUMENTS:
        with open(shared_file("reference", f"{name}.openapi.json")) as handle:
            _DOCUMENTS[name] = json.load(handle)
    return _DOCUMENTS[name]


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _variants(document: dict, schema: dict) -> list[dict]:
    schema = _resolve(document, schema)
    found = []
    for key in ("oneOf", "anyOf", "allOf"):
        for option in schema.get(key, []):
            found += _variants(document, option)
    return found or [schema]


def empty_optional_lists(document: dict, schema: dict, value, path: str = "$") -> list[str]:
    """Paths in `value` holding [] where the schema makes the member optional (the real service
    leaves such a member out when it has nothing to say)."""
    found: list[str] = []
    for variant in _variants(document, schema):
        if isinstance(value, dict) and variant.get("properties"):
            required = set(variant.get("required", []))
            for name, member in variant["properties"].items():
                if name not in value:
                    continue
                item = value[name]
                if item == [] and name not in required:
                    found.append(f"{path}.{name}")
                found += empty_optional_lists(document, member, item, f"{path}.{name}")
        elif isinstance(value, list) and "items" in variant:
            for index, item in enumerate(value):
                found += empty_optional_lists(document, variant["items"], item, f"{path}[{index}]")
    return sorted(set(found))


def response_schema(document: dict, method: str, path: str) -> dict | None:
    """The JSON 200/201 response schema of `method path` (a path as the document writes it), or
    None when it answers no JSON (a CSV export, a redirect)."""
    responses = document["paths"][path][method.lower()]["responses"]
    for status in ("200", "201"):
        content = responses.get(status, {}).get("content", {})
        if "application/json" in content:
            return content["application/json"]["schema"]
    return None
