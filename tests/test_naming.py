"""Names, coverage and de-duplication of the generated types."""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from support import SCHEMAS, load_schema

from generator import ir
from generator.config import Settings
from generator.ir.naming import enum_member_name, snake_case
from generator.pipeline import build_specs
from generator.schemas.metadata import load_metadata
from generator.schemas.versions import VERSIONS as VERSIONS_INFO

VERSIONS = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}


@functools.cache
def specs() -> dict[str, ir.Spec]:
    return {spec.version: spec for spec in build_specs(Settings(SCHEMAS, Path("unused"), ()))}


@pytest.mark.parametrize(("version", "count"), [("1.6", 39), ("2.0.1", 64), ("2.1", 91)])
def test_every_action_has_its_classes(version: str, count: int) -> None:
    messages = importlib.import_module(f"ocpp_bindings.{VERSIONS[version]}.messages")
    files = sorted(p.stem for p in (SCHEMAS / version).glob("*.json"))
    actions = {f.removesuffix("Response").removesuffix("Request") for f in files}
    assert len(actions) == count
    for action in actions:
        assert isinstance(getattr(messages, f"{action}Request"), type)
        has_response = f"{action}Response" in files
        assert hasattr(messages, f"{action}Response") == has_response
        if not has_response:
            assert (version, action) == ("2.1", "NotifyPeriodicEventStream")


def _enum_value_sets(node: Any) -> list[tuple[str, ...]]:
    found = []
    if isinstance(node, dict):
        if "enum" in node:
            found.append(tuple(node["enum"]))
        for value in node.values():
            found += _enum_value_sets(value)
    elif isinstance(node, list):
        for value in node:
            found += _enum_value_sets(value)
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_every_enum_value_set_has_an_enum(version: str) -> None:
    enums = importlib.import_module(f"ocpp_bindings.{VERSIONS[version]}.enums")
    generated = {
        tuple(member.value for member in obj): obj
        for obj in vars(enums).values()
        if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__ == enums.__name__
    }
    for path in sorted((SCHEMAS / version).glob("*.json")):
        for values in _enum_value_sets(load_schema(path)):
            assert values in generated, f"{path.name}: no enum holds exactly {values}"
    for cls in generated.values():
        assert issubclass(cls, str)


@pytest.mark.parametrize("version", VERSIONS)
def test_no_invented_names(version: str) -> None:
    spec = specs()[version]
    names = [t.name for t in spec.enums] + [t.name for t in spec.datatypes]
    for name in names:
        assert name not in ("Model", "Type", "Enum")
        assert not name[-1].isdigit(), f"numbered name {name}"


def test_1_6_inline_types_carry_the_specification_names() -> None:
    spec = specs()["1.6"]
    names = {t.name for t in spec.enums} | {t.name for t in spec.datatypes}
    for expected in (
        "IdTagInfo",
        "MeterValue",
        "SampledValue",
        "ChargingProfile",
        "ChargingSchedule",
        "ChargingSchedulePeriod",
        "KeyValue",
        "AuthorizationData",
        "AuthorizationStatus",
        "ChargePointStatus",
        "ChargePointErrorCode",
        "RegistrationStatus",
        "Measurand",
        "ReadingContext",
        "UnitOfMeasure",
    ):
        assert expected in names


def _inline_locations(node: Any, stem: str, path: str = "") -> list[str]:
    out = []
    for name, prop in node.get("properties", {}).items():
        here = f"{path}/{name}" if path else name
        out += _inline_locations_of(prop, stem, here)
    return out


def _inline_locations_of(prop: dict[str, Any], stem: str, here: str) -> list[str]:
    if prop.get("type") == "array":
        return _inline_locations_of(prop["items"], stem, here + "[]")
    out = []
    if prop.get("type") == "object" or "enum" in prop:
        out.append(f"{stem}:{here}")
    if prop.get("type") == "object":
        out += _inline_locations(prop, stem, here)
    return out


def test_no_inline_1_6_type_is_left_unnamed() -> None:
    """Every inline object and enum of the 1.6 core files is named by the curated table."""
    table = load_metadata(SCHEMAS / "1.6", VERSIONS_INFO["1.6"].roles).type_names
    locations = []
    for path in sorted((SCHEMAS / "1.6").glob("*.json")):
        schema = load_schema(path)
        if "definitions" not in schema:
            locations += _inline_locations(schema, path.stem)
    assert len(locations) == 70
    assert sorted(locations) == sorted(table)
    # the specification's 43 names + 3 StopTransaction variants (MeterValue, SampledValue, unit)
    assert len(set(table.values())) == 46


def test_one_name_one_shape_and_stop_transaction_units_differ() -> None:
    from ocpp_bindings import v16

    assert "Hertz" in v16.UnitOfMeasure.__members__
    assert "Hertz" not in v16.StopTransactionUnitOfMeasure.__members__
    assert (
        v16.StopTransactionSampledValue.__dataclass_fields__["measurand"].type == "Measurand | None"
    )
    with pytest.raises(v16.ValidationError if hasattr(v16, "ValidationError") else Exception):
        v16.StopTransactionRequest.from_dict(
            {
                "meterStop": 1,
                "timestamp": "2024-01-01T00:00:00Z",
                "transactionId": 1,
                "transactionData": [
                    {
                        "timestamp": "2024-01-01T00:00:00Z",
                        "sampledValue": [{"value": "1", "unit": "Hertz"}],
                    }
                ],
            }
        )


@pytest.mark.parametrize("version", ["2.0.1", "2.1"])
def test_shared_2x_types_are_defined_once(version: str) -> None:
    spec = specs()[version]
    by_name: dict[str, int] = {}
    for path in sorted((SCHEMAS / version).glob("*.json")):
        for name in load_schema(path).get("definitions", {}):
            by_name[name] = by_name.get(name, 0) + 1
    generated = [t.name for t in spec.enums] + [t.name for t in spec.datatypes]
    assert sorted(generated) == sorted(by_name)
    assert by_name["CustomDataType"] > 100


@pytest.mark.parametrize(
    ("json_name", "python_name"),
    [
        ("limit_L2", "limit_l2"),
        ("fixedPF", "fixed_pf"),
        ("soH", "so_h"),
        ("priceScheduleID", "price_schedule_id"),
        ("evseId", "evse_id"),
        ("EVConnectionTimeOut", "ev_connection_time_out"),
        ("iso15118SchemaVersion", "iso15118_schema_version"),
        ("evMinV2XEnergyRequest", "ev_min_v2x_energy_request"),
        ("type", "type"),
        ("global", "global_"),
    ],
)
def test_snake_case(json_name: str, python_name: str) -> None:
    assert snake_case(json_name) == python_name


@pytest.mark.parametrize(
    ("value", "member"),
    [
        ("Accepted", "Accepted"),
        ("Energy.Active.Import.Register", "Energy_Active_Import_Register"),
        ("L1-N", "L1_N"),
        ("kWh", "kWh"),
        ("None", "None_"),
        ("15118", "_15118"),
    ],
)
def test_enum_member_names(value: str, member: str) -> None:
    assert enum_member_name(value) == member


@pytest.mark.parametrize("version", VERSIONS)
def test_every_field_keeps_its_exact_json_name(version: str) -> None:
    """All property names of the schemas appear verbatim as JSON names of fields."""
    spec = specs()[version]
    fields = {
        f.json_name
        for obj in (*spec.datatypes, *(m.type for m in spec.messages))
        for f in obj.fields
    }
    for path in sorted((SCHEMAS / version).glob("*.json")):
        text = json.dumps(load_schema(path))
        for name in _property_names(load_schema(path)):
            assert name in fields, f"{name} from {path.name}"
        assert text


def _property_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_fields_have_docstrings_from_the_schema() -> None:
    from ocpp_bindings.v201 import datatypes

    source = Path(datatypes.__file__).read_text()
    assert (
        'serial_number: str | None = None\n    """Vendor-specific device identifier."""' in source
    )
    assert "\r" not in source


def test_dataclasses_use_slots() -> None:
    from ocpp_bindings import v201

    assert dataclasses.is_dataclass(v201.BootNotificationRequest)
    assert "__slots__" in vars(v201.BootNotificationRequest)
