"""Request unions resolved by their discriminator, with the fields of other variants refused.

Contract models ignore unknown fields, so a field that belongs to another variant (a GCP range on
an AWS cluster, `scheduler` on a STANDARD deployment) would otherwise vanish silently. Handlers take
the raw JSON body next to the parsed model and services check it with `refuse_foreign_fields`.
"""

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, PrivateAttr, RootModel, ValidationError, model_validator

from astroplane.kit.errors import BadRequest


async def _raw_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


RawBody = Annotated[dict[str, Any], Depends(_raw_body)]


def refuse_foreign_fields(raw: dict[str, Any], variant: type[BaseModel], variants: Iterable[type[BaseModel]],
                          label: str, prefix: str = "") -> None:
    """400 naming the first field that another variant declares but `variant` does not."""
    own = set(variant.model_fields)
    for other in variants:
        for name in other.model_fields:
            if name not in own and raw.get(name) is not None:
                raise BadRequest(f"{prefix}{name} is not valid for {label}", field=f"{prefix}{name}")


def parse_variant(variant: type[BaseModel], raw: dict[str, Any]) -> Any:
    """Validate `raw` as one variant, turning pydantic errors into a 400 with fieldErrors."""
    try:
        return variant.model_validate(raw)
    except ValidationError as error:
        errors = []
        for item in error.errors():
            field = ".".join(str(part) for part in item.get("loc", ())) or "body"
            message = "is required" if item.get("type") == "missing" else item.get("msg", "invalid value")
            errors.append({"field": field, "code": item.get("type", "invalid"), "message": message})
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        raise _with_fields(summary, errors) from None


def _with_fields(summary: str, errors: list[dict[str, str]]) -> BadRequest:
    failure = BadRequest(f"Invalid request: {summary}")
    failure.field_errors = errors
    return failure


def advertise_discriminator(union: type[BaseModel], field: str, values: list[str], *, required: bool = True) -> None:
    """Publish each variant's discriminator as the contract does: an enum of every value.

    The contract declares the tag of every variant as the full enum (e.g. each cluster variant's
    `cloudProvider` is AWS|AZURE|GCP); validation still dispatches on the one value each accepts.
    """
    variants = union.model_fields["root"].annotation.__args__  # type: ignore[union-attr]
    advertise_variants(variants, field, values, required=required)
    union.model_rebuild(force=True)


def advertise_variants(variants: Iterable[type[BaseModel]], field: str, values: list[str], *,
                       required: bool = True) -> None:
    """advertise_discriminator for variants listed inline (in a list of a body) rather than in a
    union model; rebuild the models that hold them afterwards."""
    def as_enum(schema: dict[str, Any]) -> None:
        schema.pop("const", None)
        schema["enum"] = list(values)

    def optional_tag(schema: dict[str, Any]) -> None:
        if field in schema.get("required", []):
            schema["required"].remove(field)

    for variant in variants:
        variant.model_fields[field].json_schema_extra = as_enum
        if not required:  # the contract lets this tag be omitted (the server infers it)
            variant.model_config = {**variant.model_config, "json_schema_extra": optional_tag}
        variant.model_rebuild(force=True)


def with_optional_tag(union: type[RootModel], field: str, placeholder: str,
                      variant_fields: tuple[str, ...] = ()) -> type[RootModel]:
    """The union, accepting a body without its tag: parsed as the `placeholder` variant (leaving out
    `variant_fields`, whose shape depends on the variant), with `tag_given` False, so the service
    parses the raw body again as the variant it knows applies (e.g. the stored object's type on an
    update). Publish the tag as optional with advertise_discriminator(..., required=False)."""

    class OptionalTag(union):  # type: ignore[valid-type, misc]
        _tag_given: bool = PrivateAttr(default=True)

        @model_validator(mode="wrap")
        @classmethod
        def _infer_later(cls, data: Any, handler):
            if isinstance(data, dict) and data.get(field) is None:
                kept = {name: value for name, value in data.items() if name not in variant_fields}
                parsed = handler({**kept, field: placeholder})
                parsed._tag_given = False
                return parsed
            return handler(data)

        @property
        def tag_given(self) -> bool:
            return self._tag_given

    OptionalTag.__name__ = OptionalTag.__qualname__ = union.__name__
    return OptionalTag
