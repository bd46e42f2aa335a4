"""Every message of every version: example payloads validate, parse and round trip."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from ocpp_bindings import Model, ValidationError
from support import MessageCase, is_valid, message_cases, same_json

from examples import maximal, minimal

CASES = message_cases()


def _round_trip(case: MessageCase, payload: dict[str, Any]) -> None:
    assert is_valid(case.schema_file, payload), "the example itself must satisfy the schema"
    obj = case.cls.from_dict(payload)
    same_json(obj.to_dict(), payload)
    assert case.cls.from_json(obj.to_json()) == obj
    assert case.cls.from_json(obj.to_json().encode()) == obj
    assert is_valid(case.schema_file, json.loads(obj.to_json()))
    obj.validate()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_minimal_example_round_trips(case: MessageCase) -> None:
    _round_trip(case, minimal(case.schema, case.schema))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_maximal_example_round_trips(case: MessageCase) -> None:
    payload = maximal(case.schema, case.schema)
    _round_trip(case, payload)
    _assert_typed_all_the_way_down(case.cls.from_dict(payload))


def _assert_typed_all_the_way_down(obj: Model) -> None:
    """Nested objects are dataclasses, never dicts (except any-value and extra fields)."""
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Model):
                _assert_typed_all_the_way_down(item)
            elif isinstance(item, dict):
                assert f.name in ("extra", "data"), f"{type(obj).__name__}.{f.name} is a dict"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_unknown_property_is_rejected(case: MessageCase) -> None:
    payload = minimal(case.schema, case.schema)
    payload["notInTheSchema"] = 1
    with pytest.raises(ValidationError) as caught:
        case.cls.from_dict(payload)
    assert caught.value.path == "notInTheSchema"
    assert caught.value.ocpp_error_code in ("FormatViolation", "FormationViolation")


@pytest.mark.parametrize("case", [c for c in CASES if c.schema.get("required")], ids=lambda c: c.id)
def test_missing_required_property_is_an_occurrence_violation(case: MessageCase) -> None:
    payload = minimal(case.schema, case.schema)
    missing = case.schema["required"][0]
    del payload[missing]
    with pytest.raises(ValidationError) as caught:
        case.cls.from_dict(payload)
    assert caught.value.path == missing
    expected = (
        "OccurenceConstraintViolation" if case.version == "1.6" else "OccurrenceConstraintViolation"
    )
    assert caught.value.ocpp_error_code == expected
