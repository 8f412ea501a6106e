"""Regenerate src/astroplane/contract/models.py from the reference Astro API v1 contract.

The contract's shapes (names, types, enums, required-ness) are facts we match exactly, so the
pydantic models are generated from it. Its prose is not ours to copy: descriptions and examples
are stripped before generation.

    python scripts/gen_contract_models.py [path/to/astro-v1.openapi.json]
"""

import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "astro-v1.openapi.json"
OUTPUT = ROOT / "src" / "astroplane" / "contract" / "models.py"
PROSE_KEYS = {"description", "example", "examples", "summary", "title"}


def strip_prose(node, in_name_map=False):
    """Drop prose keys; a "properties" map's keys are field names, so they are kept."""
    if isinstance(node, dict):
        return {
            key: strip_prose(value, in_name_map=key in ("properties", "schemas"))
            for key, value in node.items()
            if in_name_map or key not in PROSE_KEYS
        }
    if isinstance(node, list):
        return [strip_prose(item) for item in node]
    return node


def main() -> None:
    reference = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REFERENCE
    document = strip_prose(json.loads(reference.read_text()))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(document, handle)
    subprocess.run(
        [
            sys.executable, "-m", "datamodel_code_generator",
            "--input", handle.name,
            "--input-file-type", "openapi",
            "--output", str(OUTPUT),
            "--output-model-type", "pydantic_v2.BaseModel",
            "--base-class", "astroplane.kit.schemas.ContractModel",
            "--target-python-version", "3.11",
            "--use-annotated",
            "--field-constraints",
            "--use-standard-collections",
            "--use-union-operator",
            "--enum-field-as-literal", "all",
            "--collapse-root-models",
            "--disable-timestamp",
            "--custom-file-header", "# Generated from the Astro API v1 contract by scripts/gen_contract_models.py. Do not edit.",
        ],
        check=True,
    )


if __name__ == "__main__":
    main()
