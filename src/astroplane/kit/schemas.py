"""Base for every API schema.

Models are generated from the contract (astroplane.contract.models) on top of ContractModel.
Unknown request fields are ignored (never stored); optional response fields with no value are
omitted by the router (see kit.router), never sent as null.
"""

from pydantic import BaseModel, ConfigDict


class ContractModel(BaseModel):
    # defer_build: a model's validator and serializer are built when it is first used, not when its
    # module is imported; many of the four APIs' ~430 models serve rarely hit routes (issue 21)
    model_config = ConfigDict(populate_by_name=True, extra="ignore", serialize_by_alias=True, defer_build=True)
