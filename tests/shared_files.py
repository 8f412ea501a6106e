"""The project's reference material in ../shared, beside the checkout: tests that read it fail with
one clear line when it is not there, instead of a FileNotFoundError deep in a fixture."""

import pathlib

import pytest

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared"


def shared_file(*parts: str) -> pathlib.Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"this test needs ../shared beside the checkout, and {path} is missing "
                    "(clone the project next to its shared/ folder)", pytrace=False)
    return path
