"""Unit tests of the pure payload rules: merging updates, unsetting overrides, effective values,
setFields, masking and the metrics-export formats."""

import pytest

from astroplane.envobjects import payloads as p
from astroplane.kit.errors import BadRequest


def test_merge_keeps_left_out_fields_clears_nulls_and_ignores_empty_secrets():
    current = {"type": "postgres", "host": "a", "password": "pw", "port": 1}
    merged = p.merge(current, {"host": "b", "port": None, "password": ""}, {"password"})
    assert merged == {"type": "postgres", "host": "b", "password": "pw"}
    assert p.merge(current, {"password": None}, {"password"}) == {"type": "postgres", "host": "a", "port": 1}


def test_unset_removes_fields_and_map_members():
    overrides = {"host": "h", "extra": {"a": 1, "b": 2}}
    assert p.unset(overrides, ["host", "extra.a"], "") == {"extra": {"b": 2}}
    assert p.unset(overrides, ["extra.a", "extra.b"], "") == {"host": "h"}
    assert overrides == {"host": "h", "extra": {"a": 1, "b": 2}}  # the input is left alone
    with pytest.raises(BadRequest):
        p.unset(overrides, ["host.nested"], "")


def test_effective_values_merge_maps_member_by_member():
    defaults = {"host": "a", "extra": {"x": 1, "y": 2}}
    assert p.effective(defaults, {"host": "b", "extra": {"y": 3}}) == {"host": "b", "extra": {"x": 1, "y": 3}}
    assert p.effective(defaults, {}) == defaults


def test_set_fields_are_sorted_dotted_paths():
    assert p.set_fields({"value": ""}) == []
    assert p.set_fields({"type": "t", "extra": {"b": 1, "a": 2}, "port": 0}) == ["extra.a", "extra.b", "port", "type"]


def test_mask_hides_secrets_unless_shown():
    payload = {"type": "t", "password": "pw", "authTypeId": "x"}
    assert p.mask(p.CONNECTION, payload, False, False) == {"type": "t"}
    assert p.mask(p.CONNECTION, payload, False, True) == {"type": "t", "password": "pw"}
    assert p.mask(p.AIRFLOW_VARIABLE, {"value": "v"}, True, False) == {}
    assert p.mask(p.AIRFLOW_VARIABLE, {"value": "v"}, False, False) == {"value": "v"}
    assert p.mask(p.METRICS_EXPORT, {"password": "a", "basicToken": "b", "username": "u"}, False, False) == {
        "username": "u"}


@pytest.mark.parametrize("arn, ok", [
    ("arn:aws:iam::123456789012:role/prom", True),
    ("arn:aws-us-gov:iam::123456789012:role/path/prom", True),
    ("arn:aws:iam::12345678901:role/prom", False),
    ("arn:aws:iam::123456789012:user/prom", False),
    ("arn:aws:sts::123456789012:role/prom", False),
])
def test_iam_role_arns(arn, ok):
    payload = {"sigV4AssumeArn": arn}
    if ok:
        p.check_fields(p.METRICS_EXPORT, payload, "")
    else:
        with pytest.raises(BadRequest):
            p.check_fields(p.METRICS_EXPORT, payload, "")


@pytest.mark.parametrize("region, ok", [("us-east-1", True), ("eu-central-2", True), ("us-gov-west-1", True),
                                        ("ap-southeast-10", True), ("useast1", False), ("US-EAST-1", False)])
def test_region_names(region, ok):
    assert bool(p.AWS_REGION.match(region)) is ok


def test_auth_credentials_of_other_types_are_dropped():
    payload = {"authType": "AUTH_TOKEN", "basicToken": "t", "username": "u", "password": "p", "endpoint": "e"}
    assert p.without_other_auth(payload) == {"authType": "AUTH_TOKEN", "basicToken": "t", "endpoint": "e"}
    assert p.without_other_auth({"username": "u", "endpoint": "e"}) == {"endpoint": "e"}
