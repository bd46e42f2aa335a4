"""The pydantic flavour (``ocppgen generate --style pydantic``): names, strictness, dispatch.

Its agreement with jsonschema (and its error codes and paths, equal to the dataclass
flavour's) is proven with the dataclass flavour's in ``test_properties``.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pydantic
import pytest
from flavour_checks import (
    VERSIONS,
    assert_dispatcher_answers,
    assert_generated_tests_pass,
    assert_imports_only,
    assert_mypy_strict_and_ruff_clean,
    assert_no_numbered_or_generic_class_name,
    assert_readme_examples_run,
    assert_same_names_as_the_dataclass_flavour,
    module,
)
from flavours import pydantic_bindings
from support import SCHEMAS
from test_cli import _snapshot, run


def _module(version: str, name: str) -> Any:
    return module(pydantic_bindings(), version, name)


def _transaction_event() -> dict[str, Any]:
    return {
        "eventType": "Updated",
        "timestamp": "2026-11-23T10:15:00.250+01:00",
        "triggerReason": "MeterValuePeriodic",
        "seqNo": 7,
        "transactionInfo": {"transactionId": "tx-42", "chargingState": "Charging"},
        "evse": {"id": 1, "connectorId": 1},
        "meterValue": [
            {
                "timestamp": "2026-11-23T09:15:00Z",
                "sampledValue": [
                    {
                        "value": 1234.5,
                        "measurand": "Energy.Active.Import.Register",
                        "unitOfMeasure": {"unit": "Wh", "multiplier": 0},
                        "customData": {"vendorId": "com.acme", "meterSerial": "M-1", "n": None},
                    }
                ],
            }
        ],
        "customData": {"vendorId": "com.acme", "firmware": {"build": 7}},
    }


def test_models_are_pydantic_and_round_trip_vendor_custom_data() -> None:
    messages = _module("2.0.1", "messages")
    cls = messages.TransactionEventRequest
    assert issubclass(cls, pydantic.BaseModel)
    payload = _transaction_event()
    event = cls.from_dict(payload)
    assert event.seq_no == 7 and event.transaction_info.transaction_id == "tx-42"
    assert event.meter_value[0].sampled_value[0].measurand.name == "Energy_Active_Import_Register"
    assert event.to_dict() == {**payload, "timestamp": "2026-11-23T10:15:00.250+01:00"}
    assert cls.from_json(event.to_json()) == event
    dumped = event.model_dump(by_alias=True, exclude_none=True, mode="json")
    assert dumped["customData"] == {"vendorId": "com.acme", "firmware": {"build": 7}}
    sampled = dumped["meterValue"][0]["sampledValue"][0]["customData"]
    assert sampled == {"vendorId": "com.acme", "meterSerial": "M-1"}, "exclude_none drops n"
    assert cls.model_validate(dumped) == cls.from_dict(dumped)


def _code(version: str, class_name: str, payload: Any) -> tuple[str, str]:
    cls = getattr(_module(version, "messages"), class_name)
    errors = importlib.import_module(f"{pydantic_bindings()}._runtime")
    with pytest.raises(errors.ValidationError) as caught:
        cls.from_dict(payload)
    return caught.value.ocpp_error_code, caught.value.path


def _edited(path: str, value: Any) -> dict[str, Any]:
    payload = _transaction_event()
    node: Any = payload
    *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return payload


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("seqNo", "7", "TypeConstraintViolation"),
        ("seqNo", True, "TypeConstraintViolation"),
        ("evse.id", 1.5, "TypeConstraintViolation"),
        ("unexpected", 1, "FormatViolation"),
        ("triggerReason", "Whenever", "PropertyConstraintViolation"),
        ("eventType", KeyError, "OccurrenceConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:00", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23", "TypeConstraintViolation"),
        ("timestamp", 1795000000, "TypeConstraintViolation"),
        ("evse", None, "TypeConstraintViolation"),
        ("transactionInfo.transactionId", "x" * 37, "PropertyConstraintViolation"),
        ("meterValue", [], "OccurrenceConstraintViolation"),
        ("meterValue.0.sampledValue.0.value", float("inf"), "TypeConstraintViolation"),
    ],
)
def test_strict_where_pydantic_is_lax(path: str, value: Any, code: str) -> None:
    got_code, got_path = _code("2.0.1", "TransactionEventRequest", _edited(path, value))
    assert got_code == code
    assert got_path == path.replace(".0", "[0]")


def test_draft_04_and_draft_06_integers_and_exact_multiple_of() -> None:
    v16 = _module("1.6", "messages")
    with pytest.raises(Exception, match="integer"):
        v16.ChangeAvailabilityRequest.from_dict({"connectorId": 1.0, "type": "Operative"})
    evse = _module("2.0.1", "datatypes").EVSEType.from_dict({"id": 1.0})
    assert evse.id == 1 and type(evse.id) is int
    limit = {"startPeriod": 0, "limit": 0.3, "numberPhases": 3}
    schedule = {"chargingRateUnit": "W", "chargingSchedulePeriod": [limit]}
    assert _module("1.6", "datatypes").ChargingSchedule.from_dict(schedule).to_dict() == schedule
    code, where = _code(
        "1.6",
        "GetCompositeScheduleResponse",
        {"status": "Accepted", "chargingSchedule": {**schedule, "chargingSchedulePeriod": [
            {**limit, "limit": 0.35}]}},
    )  # fmt: skip
    assert (code, where) == (
        "PropertyConstraintViolation",
        "chargingSchedule.chargingSchedulePeriod[0].limit",
    )


def test_same_class_field_and_member_names_as_the_dataclass_flavour() -> None:
    assert_same_names_as_the_dataclass_flavour(pydantic_bindings(), lambda cls: cls.model_fields)


def test_no_class_has_a_numbered_or_generic_name() -> None:
    assert_no_numbered_or_generic_class_name(pydantic_bindings())


def test_depends_on_pydantic_and_the_standard_library_only() -> None:
    assert_imports_only(pydantic_bindings(), {"pydantic", "pydantic_core"})


@pytest.mark.parametrize("version", VERSIONS)
def test_dispatcher_call_result_and_call_error(version: str) -> None:
    assert_dispatcher_answers(pydantic_bindings(), version)


def test_readme_dispatcher_example_runs_unchanged() -> None:
    assert_readme_examples_run(pydantic_bindings())


def test_generated_tests_pass_for_the_pydantic_flavour() -> None:
    assert_generated_tests_pass(pydantic_bindings())


def test_mypy_strict_and_ruff_are_clean_on_the_pydantic_flavour() -> None:
    assert_mypy_strict_and_ruff_clean(pydantic_bindings())


def test_the_manifest_records_the_style(tmp_path: Any) -> None:
    schemas = tmp_path / "schemas" / "2.0.1"
    schemas.mkdir(parents=True)
    for name in ("HeartbeatRequest", "HeartbeatResponse"):
        (schemas / f"{name}.json").write_bytes((SCHEMAS / "2.0.1" / f"{name}.json").read_bytes())
    (schemas / "ocppgen.toml").write_text(
        '[profiles]\nAvailability = { letter = "G" }\n\n[actions]\n'
        'Heartbeat = { profile = "Availability", initiator = "ChargingStation" }\n'
    )
    common = ("--schemas", str(tmp_path / "schemas"), "--out", str(tmp_path / "out"))
    assert run("generate", *common, "--style", "pydantic", cwd=tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "out" / "ocpp_bindings" / "manifest.json").read_text())
    assert manifest["options"]["style"] == "pydantic"
    assert run("check", *common, "--style", "pydantic", cwd=tmp_path).returncode == 0
    before = _snapshot(tmp_path / "out")
    stale = run("check", *common, cwd=tmp_path)
    assert stale.returncode == 1, "a pydantic package is stale for the dataclass style"
    assert "stale" in stale.stderr
    assert _snapshot(tmp_path / "out") == before
    bad = run("generate", *common, "--style", "attrs", cwd=tmp_path)
    assert bad.returncode == 2 and "attrs" in bad.stderr


def test_null_is_a_value_only_where_the_schema_allows_any_json() -> None:
    messages = _module("2.0.1", "messages")
    with_null = {"vendorId": "com.acme", "data": None}
    assert messages.DataTransferRequest.from_dict(with_null).to_dict() == with_null
    assert messages.DataTransferRequest.from_json(json.dumps(with_null)).to_dict() == with_null
    absent = messages.DataTransferRequest.from_dict({"vendorId": "com.acme"})
    assert absent.to_dict() == {"vendorId": "com.acme"}
    code, path = _code("2.0.1", "DataTransferRequest", {"vendorId": "x", "messageId": None})
    assert (code, path) == ("TypeConstraintViolation", "messageId")


def test_tolerance_mode_works_the_same(caplog: pytest.LogCaptureFixture) -> None:
    package = pydantic_bindings()
    tolerance = importlib.import_module(package).Tolerance.DATE_TIME_WITHOUT_OFFSET
    messages = _module("2.0.1", "messages")
    text = json.dumps({"currentTime": "2026-11-23T02:24:56"})
    with pytest.raises(importlib.import_module(f"{package}._runtime").ValidationError):
        messages.HeartbeatResponse.from_json(text)
    with caplog.at_level("WARNING"):
        response = messages.HeartbeatResponse.from_json(text, tolerate={tolerance})
        from_dict = messages.HeartbeatResponse.from_dict(json.loads(text), tolerate={tolerance})
    assert (
        response.current_time.isoformat()
        == "2026-11-23T02:24:56+00:00"
        == (from_dict.current_time.isoformat())
    )
    # the same record as the dataclass flavour: the JSON path, the value as sent and after
    assert caplog.text.count("tolerated date-time-without-offset at currentTime") == 2
