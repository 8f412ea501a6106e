"""Regenerate the contract's pydantic models under src/astroplane/contract/ from the references.

The contracts' shapes (names, types, enums, required-ness) are facts we match exactly, so the
pydantic models are generated from them. Their prose is not ours to copy: descriptions and examples
are stripped before generation. Each API version gets its own module:

    astro-v1          -> models.py            (the Astro API v1)
    platform-v1beta1  -> platform_v1beta1.py  (the Platform API v1beta1)
    iam-v1beta1       -> iam_v1beta1.py       (the IAM API v1beta1)
    labs-v1           -> labs_v1.py           (the Labs API v1)

    python scripts/gen_contract_models.py                 # every API
    python scripts/gen_contract_models.py iam-v1beta1     # one API
    python scripts/gen_contract_models.py path/to/astro-v1.openapi.json   # v1 from another file
"""

import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
REFERENCES = ROOT.parent / "shared" / "reference"
CONTRACT = ROOT / "src" / "astroplane" / "contract"
PROSE_KEYS = {"description", "example", "examples", "summary", "title"}
# API name -> (generated module, what its header calls it, extra generator options).
# The older APIs keep "required and nullable" apart (`--strict-nullable`): platform v1beta1's
# hibernation override members must be present but may be null. The v1 models predate the option.
APIS = {
    "astro-v1": ("models.py", "the Astro API v1 contract", []),
    "platform-v1beta1": ("platform_v1beta1.py", "the Astro Platform API v1beta1 contract", ["--strict-nullable"]),
    "iam-v1beta1": ("iam_v1beta1.py", "the Astro IAM API v1beta1 contract", ["--strict-nullable"]),
    "labs-v1": ("labs_v1.py", "the Astro Labs API v1 contract", ["--strict-nullable"]),
}


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


def generate(reference: pathlib.Path, output: pathlib.Path, source: str, options: list[str]) -> None:
    document = strip_prose(json.loads(reference.read_text()))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(document, handle)
    subprocess.run(
        [
            sys.executable, "-m", "datamodel_code_generator",
            "--input", handle.name,
            "--input-file-type", "openapi",
            "--output", str(output),
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
            "--custom-file-header",
            f"# Generated from {source} ({reference.name}) by scripts/gen_contract_models.py. Do not edit.",
            *options,
        ],
        check=True,
    )
    pathlib.Path(handle.name).unlink()


def main(arguments: list[str]) -> None:
    if arguments and arguments[0].endswith(".json"):
        module, source, options = APIS["astro-v1"]
        generate(pathlib.Path(arguments[0]), CONTRACT / module, source, options)
        return
    for name in arguments or list(APIS):
        module, source, options = APIS[name]
        generate(REFERENCES / f"{name}.openapi.json", CONTRACT / module, source, options)


if __name__ == "__main__":
    main(sys.argv[1:])
