"""The msgspec flavour (``ocppgen generate --style msgspec``): exactness where msgspec alone is
not exact, the fast path, names, API, dispatch, generated tests, types.

Its agreement with jsonschema (and its error codes and paths, equal to the dataclass
flavour's; and its fast paths', equal to its exact parser's) is proven with the other
flavours in ``test_properties``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import gc
import importlib
import inspect
import json
import pickle
import re
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import msgspec
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
    run_tests_against,
)
from flavours import msgspec_as_bindings, msgspec_bindings
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ROOT, SCHEMAS, same_json
from test_cli import _snapshot, run

from generator import toml


def _module(version: str, name: str) -> Any:
    return module(msgspec_bindings(), version, name)


def _runtime(name: str = "_msgspec") -> Any:
    return importlib.import_module(f"{msgspec_bindings()}.{name}")


def _no_vendor_properties_alive() -> None:
    """Collect what earlier tests left in reference cycles: while an object holding vendor
    properties is alive, the fast writers step aside (``_WITH_EXTRA``)."""
    gc.collect()
    assert not _runtime()._WITH_EXTRA


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
                    },
                    {"value": 7360, "measurand": "Power.Active.Import"},
                ],
            }
        ],
        "customData": {"vendorId": "com.acme", "firmware": {"build": 7}},
    }


def _rejection(version: str, class_name: str, payload: Any) -> tuple[str, str]:
    """(code, path) of the msgspec flavour's rejection, which must be the dataclass
    flavour's, from a dict and (when it has JSON text) from that text alike."""
    found = set()
    for package in (msgspec_bindings(), "ocpp_bindings"):
        cls = getattr(module(package, version, "messages"), class_name)
        error = importlib.import_module(f"{package}._runtime").ValidationError
        inputs: list[tuple[Any, Any]] = [(cls.from_dict, payload)]
        with contextlib.suppress(ValueError):  # NaN or an infinity: no JSON text
            inputs.append((cls.from_json, json.dumps(payload, allow_nan=False)))
        for parse, data in inputs:
            with pytest.raises(error) as caught:
                parse(data)
            found.add((caught.value.ocpp_error_code, caught.value.path))
    assert len(found) == 1, found
    return found.pop()


def _outcome(package: str, class_name: str, text: str) -> Any:
    """The payload a 2.0.1 class reads from ``text``, or the (code, path) of its rejection."""
    cls = getattr(module(package, "2.0.1", "messages"), class_name)
    try:
        obj = cls.from_json(text)
    except importlib.import_module(f"{package}._runtime").ValidationError as exc:
        return (exc.ocpp_error_code, exc.path)
    assert json.loads(obj.to_json()) == obj.to_dict(), "to_json writes what it read"
    return obj.to_dict()


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


def test_models_are_msgspec_structs_and_round_trip_vendor_custom_data() -> None:
    cls = _module("2.0.1", "messages").TransactionEventRequest
    assert issubclass(cls, msgspec.Struct)
    payload = _transaction_event()
    for event in (cls.from_dict(payload), cls.from_json(json.dumps(payload))):
        assert event.seq_no == 7 and event.transaction_info.transaction_id == "tx-42"
        sampled = event.meter_value[0].sampled_value
        assert sampled[0].measurand.name == "Energy_Active_Import_Register"
        assert type(sampled[1].value) is int, "integers stay integers in a number"
        assert event.timestamp == datetime(2026, 11, 23, 9, 15, 0, 250000, timezone.utc)
        assert event.timestamp.utcoffset() == timedelta(hours=1), "the offset is kept"
        extra_of = _runtime("_flavour").extra_of
        assert extra_of(event.custom_data) == {"firmware": {"build": 7}}
        assert extra_of(sampled[0].custom_data) == {"meterSerial": "M-1", "n": None}
        same_json(event.to_dict(), payload)
        assert json.loads(event.to_json()) == event.to_dict()
        assert cls.from_json(event.to_json()) == event
        assert event.to_dict()["timestamp"] == "2026-11-23T10:15:00.250000+01:00"
    # vendor properties added in code are written too, and are part of equality
    extra_of(event.custom_data)["more"] = [1, "two"]
    assert json.loads(event.to_json())["customData"]["more"] == [1, "two"]
    assert cls.from_json(event.to_json()) == event != cls.from_dict(payload)
    with pytest.raises(TypeError, match="does not allow additional properties"):
        extra_of(event.evse)


def test_the_common_valid_payload_never_reaches_the_exact_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The benchmark's payloads (and vendor-free customData) stay on msgspec's C code and the
    finisher; the exact parser is only for what the fast path refuses."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from payloads import CASES
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    codec = _runtime()._Codec

    def no_exact(self: Any, data: object) -> Any:
        raise AssertionError(f"{self.cls.__name__} took the exact path")

    monkeypatch.setattr(codec, "exact", no_exact)
    for case in CASES:
        cls = getattr(_module(case.version, "messages"), case.cls)
        same_json(cls.from_json(json.dumps(case.payload)).to_dict(), case.payload)
        same_json(cls.from_dict(case.payload).to_dict(), case.payload)
    custom = {"vendorId": "com.acme"}
    heartbeat = _module("2.0.1", "messages").HeartbeatRequest
    assert heartbeat.from_json(json.dumps({"customData": custom})).custom_data.vendor_id
    with pytest.raises(AssertionError, match="exact path"):
        heartbeat.from_json(json.dumps({"customData": {**custom, "x": 1}}))


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("seqNo", "7", "TypeConstraintViolation"),
        ("seqNo", True, "TypeConstraintViolation"),
        ("evse.id", 1.5, "TypeConstraintViolation"),
        ("evse", None, "TypeConstraintViolation"),
        ("unexpected", 1, "FormatViolation"),
        ("evse.unexpected", 1, "FormatViolation"),
        ("triggerReason", "Whenever", "PropertyConstraintViolation"),
        ("eventType", KeyError, "OccurrenceConstraintViolation"),
        ("transactionInfo.transactionId", "x" * 37, "PropertyConstraintViolation"),
        ("meterValue", [], "OccurrenceConstraintViolation"),
        ("meterValue.0.sampledValue.0.value", float("inf"), "TypeConstraintViolation"),
        # what msgspec's own date-time parser takes, and RFC 3339 (and the schema) does not
        ("timestamp", "2026-11-23 10:15:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:00+0100", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:00", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23", "TypeConstraintViolation"),
        ("timestamp", 1795000000, "TypeConstraintViolation"),
        ("timestamp", "2026-02-30T10:15:00Z", "TypeConstraintViolation"),
        # the common UTC form is checked by slices, the rest by fromisoformat: out of range
        ("timestamp", "2026-13-23T10:15:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-00-23T10:15:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T24:00:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:60:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:60Z", "TypeConstraintViolation"),
        ("timestamp", "0000-11-23T10:15:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-2xT10:15:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:0 Z", "TypeConstraintViolation"),
        ("timestamp", "\u0662026-11-23T10:15:00Z", "TypeConstraintViolation"),
        ("timestamp", "+026-11-23T10:15:00Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23 10:15:00Z\n", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:00.Z", "TypeConstraintViolation"),  # fromisoformat: ok
        ("timestamp", "2026-11-23T10:15:00.\u0661Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:00.12a4Z", "TypeConstraintViolation"),
        ("timestamp", "2026-11-23T10:15:00,5Z", "TypeConstraintViolation"),
    ],
)
def test_strict_where_msgspec_is_lax(path: str, value: Any, code: str) -> None:
    got = _rejection("2.0.1", "TransactionEventRequest", _edited(path, value))
    assert got == (code, path.replace(".0", "[0]"))


@pytest.mark.parametrize(
    "text",
    ["2026-11-23t10:15:00z", "2026-11-23T10:15:00.9999999Z", "2026-11-23T10:15:00-00:00"],
)
def test_date_times_are_read_as_rfc_3339_and_the_dataclass_flavour_read_them(text: str) -> None:
    """Lower-case letters are RFC 3339; digits past the microsecond are dropped, not rounded
    (msgspec's parser rounds .9999999 up to the next second)."""
    mine = _module("2.0.1", "messages").HeartbeatResponse
    theirs = module("ocpp_bindings", "2.0.1", "messages").HeartbeatResponse
    payload = {"currentTime": text}
    for parse, data in ((mine.from_json, json.dumps(payload)), (mine.from_dict, payload)):
        assert parse(data).current_time == theirs.from_dict(payload).current_time


def test_draft_04_and_draft_06_integers_and_exact_multiple_of() -> None:
    change = {"connectorId": 1.0, "type": "Operative"}
    code, where = _rejection("1.6", "ChangeAvailabilityRequest", change)
    assert (code, where) == ("TypeConstraintViolation", "connectorId")
    for evse in (
        _module("2.0.1", "datatypes").EVSEType.from_dict({"id": 1.0}),
        _module("2.0.1", "datatypes").EVSEType.from_json('{"id": 1.0}'),
    ):
        assert evse.id == 1 and type(evse.id) is int
    limit = {"startPeriod": 0, "limit": 16.7, "numberPhases": 3}
    schedule = {"chargingRateUnit": "W", "chargingSchedulePeriod": [limit]}
    datatypes = _module("1.6", "datatypes")
    assert datatypes.ChargingSchedule.from_json(json.dumps(schedule)).to_dict() == schedule
    assert datatypes.ChargingSchedule.from_dict(schedule).to_dict() == schedule
    periods = [{**limit, "limit": 0.35}]
    code, where = _rejection(
        "1.6",
        "GetCompositeScheduleResponse",
        {"status": "Accepted", "chargingSchedule": {**schedule, "chargingSchedulePeriod": periods}},
    )
    assert (code, where) == (
        "PropertyConstraintViolation",
        "chargingSchedule.chargingSchedulePeriod[0].limit",
    )


def test_integers_of_4300_digits_round_trip() -> None:
    """msgspec writes any integer but reads none of 4300 digits (the runtime's limit): to_dict
    falls back to the exact dump (found by the property tests: msgspec's own error escaped)."""
    messages = _module("2.0.1", "messages")
    for request_id in (-(10**4300) + 1, 10**4300 - 1, 2**64, 10**4299):
        payload = {"requestId": request_id, "generatedAt": "2000-01-01T00:00:00Z", "seqNo": 0}
        for request in (
            messages.NotifyReportRequest.from_dict(payload),
            messages.NotifyReportRequest.from_json(json.dumps(payload)),
        ):
            assert request.to_dict() == payload
            assert json.loads(request.to_json()) == payload


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.one_of(
        st.integers(-(10**9), 10**9).map(lambda n: n / 10),
        st.floats(-(10.0**12), 10.0**12, allow_nan=False),
        st.integers(-(10**9), 10**9)
        .map(lambda n: n / 10)
        .flatmap(lambda x: st.sampled_from([x, float.__add__(x, 1e-9), x * (1 + 2**-52)])),
    )
)
def test_the_fast_multiple_of_check_accepts_only_decimal_multiples(limit: float) -> None:
    """The finisher's ``round(x * 10) / 10 == x`` passes only what the exact (Fraction) check
    passes; the exact parser decides the rest."""
    period = _module("1.6", "datatypes").ChargingSchedulePeriod
    codec = _runtime()._Codec.of(period)
    payload = {"startPeriod": 0, "limit": limit}
    exact = module("ocpp_bindings", "1.6", "datatypes").ChargingSchedulePeriod
    try:
        exact.from_dict(payload)
        valid = True
    except importlib.import_module("ocpp_bindings").ValidationError:
        valid = False
    for fast_path in (lambda: codec.decode(json.dumps(payload)), lambda: codec.convert(payload)):
        try:
            fast_path()
        except Exception:
            continue
        assert valid, f"the fast path takes {limit!r}, not a multiple of 0.1"
    try:
        period.from_dict(payload)
        assert valid
    except _runtime("_runtime").ValidationError:
        assert not valid


def test_same_class_field_and_member_names_as_the_dataclass_flavour() -> None:
    assert_same_names_as_the_dataclass_flavour(
        msgspec_bindings(), lambda cls: [f.name for f in msgspec.structs.fields(cls)]
    )


def test_no_class_has_a_numbered_or_generic_name() -> None:
    assert_no_numbered_or_generic_class_name(msgspec_bindings())


def test_depends_on_msgspec_and_the_standard_library_only() -> None:
    assert_imports_only(msgspec_bindings(), {"msgspec"})


def test_the_generated_code_says_which_msgspec_it_needs() -> None:
    pyproject = toml.loads((ROOT / "pyproject.toml").read_text())
    extra = pyproject["project"]["optional-dependencies"]["msgspec"]
    required = _runtime().MSGSPEC
    assert f"msgspec>={required}.0,<0.24" in extra, "the extra installs what the package needs"
    assert msgspec.__version__.startswith(f"{required}.")
    assert f"msgspec {required} or later" in _runtime().__doc__


@pytest.mark.parametrize("version", VERSIONS)
def test_dispatcher_call_result_and_call_error(version: str) -> None:
    assert_dispatcher_answers(msgspec_bindings(), version)


@pytest.mark.parametrize(
    "test_files",
    [
        ("test_dispatch.py", "test_dispatch_hardening.py"),
        ("test_example_csms.py", "test_interop.py"),
        ("test_calls_in_flight.py", "test_simulator_offline.py"),
    ],
    ids=["dispatcher", "examples-and-interop", "calls-in-flight-and-offline-queue"],
)
def test_tests_written_for_ocpp_bindings_pass_against_the_msgspec_flavour(
    test_files: tuple[str, ...],
) -> None:
    """The dispatcher tests (one CALL in flight included), and the example CSMS's, simulator's
    (with its offline queue) and the interop tests (real servers on loopback), written against
    ``ocpp_bindings``, run with the msgspec flavour in its place: frames read with msgspec,
    same answers."""
    result = run_tests_against(msgspec_as_bindings(), "msgspec", *test_files)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "ocpp_bindings flavour: msgspec" in result.stdout
    assert " passed" in result.stdout and "skipped" not in result.stdout


def test_frames_are_read_as_load_json_reads_them() -> None:
    """The dispatcher's frame reader leaves a CALL's or CALLRESULT's payload as JSON text for
    msgspec, and reads every other frame, and every frame msgspec refuses, as before."""
    runtime = _runtime()
    load_json = _runtime("_runtime").load_json
    frames = [
        '[2,"id","Heartbeat",{}]',
        b'[3,"id",{"currentTime":"2026-11-23T10:00:00Z"}]',
        '[6,"id","NotifyPeriodicEventStream",{"id":1}]',
        '[4,"id","NotImplemented","",{}]',
        '[2,"id","Heartbeat",{"x":"\\ud800"}]',
        '[2.0,"id","Heartbeat",{}]',
        '[2,"id","Heartbeat"]',
        '[2, "id", "Heartbeat", {}, 5]',
        "[]",
        "{}",
    ]
    for text in frames:
        frame = runtime.load_frame(text)
        if isinstance(frame, list):
            frame = [json.loads(bytes(p)) if isinstance(p, msgspec.Raw) else p for p in frame]
        assert frame == load_json(text), text
    assert isinstance(runtime.load_frame(frames[0])[3], msgspec.Raw)
    with pytest.raises(_runtime("_runtime").ValidationError):
        runtime.load_frame('[2,"id",')


def test_readme_examples_run_unchanged() -> None:
    assert_readme_examples_run(msgspec_bindings())


def test_generated_tests_pass_for_the_msgspec_flavour() -> None:
    assert_generated_tests_pass(msgspec_bindings())


def test_mypy_strict_and_ruff_are_clean_on_the_msgspec_flavour() -> None:
    assert_mypy_strict_and_ruff_clean(msgspec_bindings())


def test_the_manifest_records_the_style(tmp_path: Any) -> None:
    schemas = tmp_path / "schemas" / "2.0.1"
    schemas.mkdir(parents=True)
    for name in ("HeartbeatRequest", "HeartbeatResponse"):
        (schemas / f"{name}.json").write_bytes((SCHEMAS / "2.0.1" / f"{name}.json").read_bytes())
    (schemas / "ocppgen.toml").write_text(
        '[profiles]\nAvailability = { letter = "G" }\n\n[actions]\n'
        'Heartbeat = { profile = "Availability", initiator = "ChargingStation" }\n'
    )
    (tmp_path / "pyproject.toml").write_text('[tool.ocppgen]\nstyle = "msgspec"\n')
    common = ("--schemas", str(tmp_path / "schemas"), "--out", str(tmp_path / "out"))
    assert run("generate", *common, cwd=tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "out" / "ocpp_bindings" / "manifest.json").read_text())
    assert manifest["options"]["style"] == "msgspec"
    assert run("check", *common, "--style", "msgspec", cwd=tmp_path).returncode == 0
    before = _snapshot(tmp_path / "out")
    stale = run("check", *common, "--style", "pydantic", cwd=tmp_path)
    assert stale.returncode == 1 and "stale" in stale.stderr
    assert _snapshot(tmp_path / "out") == before


def test_null_is_a_value_only_where_the_schema_allows_any_json() -> None:
    messages = _module("2.0.1", "messages")
    unset = importlib.import_module(msgspec_bindings()).UNSET
    with_null = {"vendorId": "com.acme", "data": None}
    assert messages.DataTransferRequest.from_dict(with_null).to_dict() == with_null
    assert messages.DataTransferRequest.from_json(json.dumps(with_null)).to_dict() == with_null
    absent = messages.DataTransferRequest.from_dict({"vendorId": "com.acme"})
    assert absent.data is unset and absent.message_id is None
    assert absent.to_dict() == {"vendorId": "com.acme"}
    assert messages.DataTransferRequest(vendor_id="com.acme").to_json() == '{"vendorId":"com.acme"}'
    for bad in ({"vendorId": "x", "messageId": None}, {"vendorId": "x", "data": [float("nan")]}):
        code, path = _rejection("2.0.1", "DataTransferRequest", bad)
        assert path in ("messageId", "data[0]") and code == "TypeConstraintViolation"


@pytest.mark.parametrize(
    ("limit", "checked"),
    [("16.7", False), ("16.75", True), ("1675e-2", True), ("1670E-2", True), ("167e-1", True),
     ("1.67e1", True), ("1.6e1", False), ("1.675E+1", True), ("16.70", True), ("-0.35", True),
     ("1e400", False), ("6E+20", False), ("12345678901234567.8", False), ("-3", False)],
)  # fmt: skip
def test_the_multiple_of_pre_check_on_json_text_agrees_with_the_exact_parser(
    limit: str, checked: bool
) -> None:
    """The finisher skips ``multipleOf`` checks for text without a finer fraction or a
    negative exponent (``checked``: the checks run): every spelling of a number gets the
    exact parser's verdict."""
    text = '{"startPeriod": 0, "limit": ' + limit + "}"
    exact = module("ocpp_bindings", "1.6", "datatypes").ChargingSchedulePeriod
    try:
        expected: Any = exact.from_json(text).to_dict()
    except importlib.import_module("ocpp_bindings").ValidationError as error:
        expected = error.ocpp_error_code
    period = _module("1.6", "datatypes").ChargingSchedulePeriod
    try:
        found: Any = period.from_json(text).to_dict()
    except _runtime("_runtime").ValidationError as error:
        found = error.ocpp_error_code
    assert found == expected
    assert _runtime()._Codec.of(period).fine_numbers(text) == checked


def test_an_extra_dict_held_by_the_caller_survives_the_exact_dump_of_another_object() -> None:
    """The exact dump forgets the empty ``extra`` dicts it made itself, never one its caller
    holds (found by review: one object's dump dropped another's)."""
    heartbeat = _module("2.0.1", "messages").HeartbeatResponse
    payload = {"currentTime": "2026-11-23T10:00:00Z", "customData": {"vendorId": "v"}}
    first, second = heartbeat.from_dict(payload), heartbeat.from_dict(payload)
    held = _runtime("_flavour").extra_of(first.custom_data)
    assert second.to_dict() == payload  # the exact dump: it reads second's extra
    held["x"] = 1
    assert first.to_dict()["customData"] == {"vendorId": "v", "x": 1}
    assert json.loads(first.to_json())["customData"] == {"vendorId": "v", "x": 1}


def test_objects_built_in_code_are_checked_by_validate() -> None:
    messages = _module("2.0.1", "messages")
    enums = _module("2.0.1", "enums")
    error = _runtime("_runtime").ValidationError
    response = messages.DataTransferResponse(status=enums.DataTransferStatusEnumType.Accepted)
    response.validate()
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    response.data = cyclic
    with pytest.raises(error, match="contains itself"):
        response.validate()
    naive = messages.HeartbeatResponse(current_time=datetime(2026, 11, 23, 10))
    with pytest.raises(error) as caught:
        naive.validate()
    assert (caught.value.ocpp_error_code, caught.value.path) == (
        "TypeConstraintViolation",
        "currentTime",
    )


def test_lone_surrogates_and_other_text_msgspec_refuses_get_the_exact_answer() -> None:
    """UTF-16 text is read by the exact parser; a lone surrogate is decided by it too."""
    messages = _module("2.0.1", "messages")
    payload = {"currentTime": "2026-11-23T10:00:00Z"}
    for encoding in ("utf-16", "utf-32"):
        text = json.dumps(payload).encode(encoding)
        assert messages.HeartbeatResponse.from_json(text).to_dict() == payload
    surrogate = json.dumps({"vendorId": "x", "messageId": "\ud800"})
    assert _outcome(msgspec_bindings(), "DataTransferRequest", surrogate) == _outcome(
        "ocpp_bindings", "DataTransferRequest", surrogate
    )


def test_tolerance_mode_works_the_same(caplog: pytest.LogCaptureFixture) -> None:
    tolerance = importlib.import_module(msgspec_bindings()).Tolerance.DATE_TIME_WITHOUT_OFFSET
    messages = _module("2.0.1", "messages")
    text = json.dumps({"currentTime": "2026-11-23T02:24:56"})
    with pytest.raises(_runtime("_runtime").ValidationError):
        messages.HeartbeatResponse.from_json(text)
    with caplog.at_level("WARNING"):
        response = messages.HeartbeatResponse.from_json(text, tolerate={tolerance})
        from_dict = messages.HeartbeatResponse.from_dict(json.loads(text), tolerate={tolerance})
    assert response.current_time.isoformat() == "2026-11-23T02:24:56+00:00"
    assert from_dict.current_time == response.current_time
    assert caplog.text.count("tolerated date-time-without-offset at currentTime") == 2


def test_finishers_visit_only_what_msgspec_cannot_check() -> None:
    source = _runtime().finisher_source
    messages = _module("2.0.1", "messages")
    transaction = source(messages.TransactionEventRequest)
    assert "_fromisoformat(" in transaction and "meter_value" in transaction
    assert "evse" not in transaction and "custom_data" not in transaction
    assert source(messages.BootNotificationRequest) == ""
    assert "round(" in source(_module("1.6", "messages").SetChargingProfileRequest)
    assert re.search(r"_any\(v\d+, None\)", source(messages.DataTransferRequest))


def test_the_date_time_fast_check_needs_fromisoformat_to_refuse_what_is_out_of_range() -> None:
    """The slices that check ``YYYY-MM-DDTHH:MM:SS[.fff]Z`` rely on this Python's
    fromisoformat to refuse a month, hour, minute or second out of range and digits that are
    not ASCII: the probe says so here, and the compiled fast paths of both flavours use the
    slices only then."""
    runtime = importlib.import_module("ocpp_bindings._runtime")
    assert runtime._iso_refuses_out_of_range() is runtime._SLICES_CHECK_UTC_FORM
    if sys.version_info[:2] == (3, 11):  # the project's Python: its fromisoformat does
        assert runtime._SLICES_CHECK_UTC_FORM
    lines = "\n".join(runtime.date_time_lines("v", "o.t", ""))
    assert ("v[4::3] != '--T::Z'" in lines) is runtime._SLICES_CHECK_UTC_FORM
    finisher = _runtime().finisher_source(_module("2.0.1", "messages").HeartbeatResponse)
    assert ("[4::3]" in finisher) is runtime._SLICES_CHECK_UTC_FORM


def test_a_routed_call_is_read_with_its_request_class_in_one_pass() -> None:
    """The flavour's ``call_reader`` reads a CALL whole (str or bytes frames): the payload is
    the request object. It refuses what it does not certainly read right (vendor properties,
    an invalid payload), which then takes the general path."""
    messages = _module("2.0.1", "messages")
    read = _runtime().call_reader(messages.HeartbeatRequest)
    for text in ('[2,"id","Heartbeat",{}]', b'[2, "id", "Heartbeat", {}]'):
        assert read(text) == (2, "id", "Heartbeat", messages.HeartbeatRequest()), text
    for text in (
        '[2,"id","Heartbeat",{"customData":{"vendorId":"v","x":1}}]',
        '[2,"id","Heartbeat",{"customData":{"vendorId":1}}]',
        '[2,"id","Heartbeat",{"x":1}]',
    ):
        with pytest.raises(msgspec.ValidationError):
            read(text)


def test_the_hot_path_takes_only_the_calls_it_certainly_reads_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once an action is routed, its CALLs are answered by the hot path of ``handle_frame``:
    the handler gets the request object read with the frame. A frame whose quotes mislead the
    peek at the action (an escaped quote in the unique id) or that the reader refuses takes
    the general path: its handler gets the request the general path reads, or the frame is
    answered with a CALLERROR, never with the wrong action's handler."""
    messages = _module("2.0.1", "messages")
    dispatch = _module("2.0.1", "dispatch")
    seen: list[tuple[str, Any]] = []
    answers = {
        "Heartbeat": messages.HeartbeatResponse.from_dict({"currentTime": "2026-11-23T10:00:00Z"}),
        "StatusNotification": messages.StatusNotificationResponse(),
    }

    class Central:
        def on_heartbeat(self, request: Any, charging_station_id: str) -> Any:
            seen.append(("Heartbeat", request))
            return answers["Heartbeat"]

        def on_status_notification(self, request: Any, charging_station_id: str) -> Any:
            seen.append(("StatusNotification", request))
            return answers["StatusNotification"]

    central = dispatch.Dispatcher(list(dispatch.Role)[1], [Central()])
    assert not central._fast_calls
    assert _answer(central, '[2,"a","Heartbeat",{}]')[0] == 3  # routes it: the general path
    assert set(central._fast_calls) == {"Heartbeat"}
    padding = " " * _runtime("_dispatch").SMALL_CALL  # over it, the action is peeked at
    with monkeypatch.context() as patch:  # the hot path reads without the general path's reader
        patch.setattr(_runtime("_dispatch"), "load_frame", None)
        assert _answer(central, b'[2,"b","Heartbeat",{}]')[:2] == [3, "b"]
        assert _answer(central, '[2,"b","Heartbeat",{}' + padding + "]")[:2] == [3, "b"]
    misleading = json.dumps([2, 'x","Heartbeat', "StatusNotification", {}], separators=(",", ":"))
    assert misleading.split('"', 4)[3] == "Heartbeat"
    for frame in (misleading, misleading[:-1] + padding + "]"):  # read by call_head; peeked at
        assert _answer(central, frame)[:3] == [4, 'x","Heartbeat', "OccurrenceConstraintViolation"]
    vendor = '[2,"c","Heartbeat",{"customData":{"vendorId":"v","x":1}}]'
    assert _answer(central, vendor)[:2] == [3, "c"]
    assert [action for action, _ in seen] == ["Heartbeat"] * 4
    assert seen[1][1] == seen[2][1] == messages.HeartbeatRequest()
    assert _runtime().extra_of(seen[3][1].custom_data) == {"x": 1}


def test_the_dispatcher_answers_misleading_frames_as_the_dataclass_flavour_does() -> None:
    """Frames that take the general path after the one-pass reader refused them get the same
    answers as in the dataclass flavour (a CALL mistaken for another action would not)."""
    heartbeat = {"currentTime": "2026-11-23T10:00:00Z"}
    status = {"timestamp": "2026-11-23T10:00:00Z", "connectorStatus": "Available",
              "evseId": 1, "connectorId": 1}  # fmt: skip
    frames = [
        '[2,"a","Heartbeat",{}]',  # routes Heartbeat: later CALLs of it are read in one pass
        json.dumps([2, 'x","Heartbeat', "StatusNotification", {}]),
        json.dumps([2, 'x","Heartbeat', "StatusNotification", status]),
        json.dumps([2, "b", "Heartbeat", {"customData": {"vendorId": "v", "x": 1}}]),
        '[2,"c","Heartbeat",{"customData":{"vendorId":1}}]',
        '[2,"d","Heartbeat",{}]',
        bytearray(b'[2,"f","Heartbeat",{}]'),  # neither str nor bytes: the general path
        memoryview(b'[2,"g","Heartbeat",{}]'),  # not JSON text for load_json
        json.dumps([2, "x" * 36, "Heartbeat", {}]),
        json.dumps([2, "x" * 37, "Heartbeat", {}]),  # the hot path's reader refuses it
        '[2,"\u00e9","Heartbeat",{}]',
        '[2,"\\ud800","Heartbeat",{}]',
    ]
    padding = " " * _runtime("_dispatch").SMALL_CALL  # over it, the action is peeked at
    padded = [frame[:-1] + padding + "]" for frame in frames if isinstance(frame, str)]
    answers = []
    for package in (msgspec_bindings(), "ocpp_bindings"):
        messages = module(package, "2.0.1", "messages")
        central = _central_of(package, {
            "Heartbeat": messages.HeartbeatResponse.from_dict(heartbeat),
            "StatusNotification": messages.StatusNotificationResponse(),
        })  # fmt: skip
        answers.append([_answer(central, frame) for frame in frames + padded])
    assert answers[0] == answers[1]
    short = answers[0][: len(frames)]
    assert answers[0][len(frames) :] == [
        a for f, a in zip(frames, short, strict=True) if isinstance(f, str)
    ]
    assert short[1][0] == 4 and short[2][0] == 3, short
    assert [answer[:2] for answer in short[-3:]] == [[4, "-1"], [3, "\u00e9"], [4, "-1"]]


def _outcomes(package: str, caplog: pytest.LogCaptureFixture) -> list[Any]:
    """Each handler outcome twice on one dispatcher (the second CALL of a routed action takes
    the msgspec flavour's hot path), then after a role change: the answers and log lines."""
    messages = module(package, "2.0.1", "messages")
    dispatch = module(package, "2.0.1", "dispatch")
    good = messages.HeartbeatResponse.from_dict({"currentTime": "2026-11-23T10:00:00Z"})
    bad = messages.StatusNotificationResponse()  # invalid: bytes in a string
    bad.custom_data = module(package, "2.0.1", "datatypes").CustomDataType(vendor_id=b"v")
    outcome: list[Any] = []

    class Central:
        async def on_heartbeat(self, request: Any, charging_station_id: str) -> Any:
            return good  # an async handler

        def on_status_notification(self, request: Any, charging_station_id: str) -> Any:
            if isinstance(outcome[0], Exception):
                raise outcome[0]
            return outcome[0]

    central = dispatch.Dispatcher(list(dispatch.Role)[1], [Central()])
    status = {"timestamp": "2026-11-23T10:00:00Z", "connectorStatus": "Available",
              "evseId": 1, "connectorId": 1}  # fmt: skip
    results: list[Any] = []
    for answer in (RuntimeError("boom"), good, bad, messages.StatusNotificationResponse()):
        outcome[:] = [answer]
        for unique_id in ("a", "b"):
            caplog.clear()
            frame = json.dumps([2, unique_id, "StatusNotification", status])
            results.append((_answer(central, frame), [r.getMessage() for r in caplog.records]))
    for unique_id in ("c", "d"):
        results.append(_answer(central, f'[2,"{unique_id}","Heartbeat",{{}}]'))
    central.role = next(iter(dispatch.Role))  # the station receives neither: routes go
    results.append(_answer(central, '[2,"e","Heartbeat",{}]'))
    return results


def test_the_hot_path_answers_every_handler_outcome_as_the_dataclass_flavour_does(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A handler that raises, returns another response class or an invalid response, an
    async handler, and a role change after routing: the msgspec flavour's answers and log
    lines, first and second CALL alike, are the dataclass flavour's."""
    ours, theirs = _outcomes(msgspec_bindings(), caplog), _outcomes("ocpp_bindings", caplog)
    assert ours == theirs
    assert [answer[0][2] for answer in ours[:6]] == ["InternalError"] * 6
    assert "invalid response from the handler for StatusNotification" in ours[5][1]
    assert ours[6][0][:2] == [3, "a"] and ours[8][:2] == [3, "c"] and ours[9][:2] == [3, "d"]
    assert ours[10][:3] == [4, "e", "NotSupported"]


@pytest.mark.parametrize(
    "value", [datetime(2026, 11, 23, tzinfo=timezone.utc), datetime(2026, 11, 23).date(), b"x"]
)
def test_a_string_set_in_code_as_another_kind_is_refused_as_the_dataclass_flavour_does(
    value: object,
) -> None:
    """msgspec's encoder writes a date-time, a date or bytes in a string field as a JSON string
    its read-back takes; ``to_json``, ``validate()`` and the dispatcher's writer refuse it with
    the dataclass flavour's error."""
    errors = []
    for package in (msgspec_bindings(), "ocpp_bindings"):
        messages = module(package, "1.6", "messages")
        response = messages.DataTransferResponse.from_dict({"status": "Accepted"})
        response.data = value
        error = importlib.import_module(f"{package}._runtime").ValidationError
        for write in (response.to_json, response.validate):
            with pytest.raises(error) as caught:
                write()
            errors.append((caught.value.path, str(caught.value)))
        frames = importlib.import_module(f"{package}._dispatch")
        with pytest.raises(error):
            frames.checked_frame([3, "id"], response)
    assert errors[:2] == errors[2:] and errors[0][0] == "data", errors
    _no_vendor_properties_alive()
    writer = _runtime().result_writer(_module("1.6", "messages").DataTransferResponse)
    response = _module("1.6", "messages").DataTransferResponse.from_dict({"status": "Accepted"})
    response.data = value
    with pytest.raises(writer.__globals__["_Reject"]):  # its module's: others re-import it
        writer("id", response)
    response.data = "text"
    assert json.loads(writer("id", response)) == [3, "id", {"status": "Accepted", "data": "text"}]


def _central_of(package: str, answers: dict[str, Any]) -> Any:
    dispatch = module(package, "2.0.1", "dispatch")
    handlers = type("Central", (), {})()
    for action, answer in answers.items():
        method = dispatch.PROTOCOL.features[action].handler
        setattr(handlers, method, lambda request, charging_station_id, answer=answer: answer)
    return dispatch.Dispatcher(list(dispatch.Role)[1], [handlers])


def _answer(central: Any, frame: str) -> Any:
    return json.loads(asyncio.run(central.handle_frame(frame, charging_station_id="CS-1")))


@pytest.mark.parametrize("value", ["2026-11-23T10:00:00Z", 5])
def test_to_json_refuses_a_date_time_set_in_code_as_the_dataclass_flavour_does(
    value: object,
) -> None:
    """msgspec's encoder would write text or a number set in code in a date-time field as it
    is; ``to_json`` and ``to_dict`` refuse it with the dataclass flavour's error and path."""
    errors = []
    for package in (msgspec_bindings(), "ocpp_bindings"):
        messages = module(package, "2.0.1", "messages")
        datatypes = module(package, "2.0.1", "datatypes")
        status = module(package, "2.0.1", "enums").AuthorizationStatusEnumType.Accepted
        info = datatypes.IdTokenInfoType(status=status, cache_expiry_date_time=value)
        response = messages.AuthorizeResponse(id_token_info=info)
        error = importlib.import_module(f"{package}._runtime").ValidationError
        for write in (response.to_json, response.to_dict):
            with pytest.raises(error) as caught:
                write()
            errors.append((package, caught.value.path, str(caught.value)))
    assert [e[1:] for e in errors[:2]] == [e[1:] for e in errors[2:]], errors
    assert errors[0][1] == "idTokenInfo.cacheExpiryDateTime"


def test_a_datetime_subclass_is_written_as_the_dataclass_flavour_writes_it() -> None:
    """msgspec's encoder writes no subclass of ``datetime`` (freezegun's ``FakeDatetime`` is
    one): the exact dump writes it, so ``to_json``, ``to_dict``, ``validate()`` and the
    dispatcher's answer are the dataclass flavour's."""

    class FakeDatetime(datetime):
        pass

    written = []
    for package in (msgspec_bindings(), "ocpp_bindings"):
        messages = module(package, "2.0.1", "messages")
        moment = FakeDatetime(2026, 11, 23, 10, 0, 0, 250000, tzinfo=timezone(timedelta(hours=1)))
        response = messages.HeartbeatResponse(current_time=moment)
        response.validate()
        central = _central_of(package, {"Heartbeat": response})
        answers = [_answer(central, f'[2,"{u}","Heartbeat",{{}}]') for u in "ab"]
        written.append((json.loads(response.to_json()), response.to_dict(), answers))
    (ours, _, our_answers), (theirs, _, their_answers) = written
    assert [w[0] == w[1] for w in written] == [True, True]  # to_json and to_dict agree
    assert datetime.fromisoformat(ours["currentTime"]) == moment  # fractions: 6 and 3 digits
    assert datetime.fromisoformat(theirs["currentTime"]) == moment
    assert our_answers == [[3, "a", ours], [3, "b", ours]]
    assert their_answers == [[3, "a", theirs], [3, "b", theirs]]


def test_a_subclass_of_a_model_in_user_code_reads_and_writes_as_its_model() -> None:
    """A subclass of a generated model (a user's, with methods of its own) decodes into
    itself, on the fast path and the exact one (UTF-16 text, vendor properties), and answers
    as its model does: the same payloads, the same errors and paths as the dataclass
    flavour's model."""
    messages = _module("2.0.1", "messages")
    datatypes = _module("2.0.1", "datatypes")

    class Heartbeat(messages.HeartbeatResponse):
        def hour(self) -> int:
            return int(self.current_time.hour)

    class Custom(datatypes.CustomDataType):
        pass

    text = '{"currentTime":"2026-11-23T10:00:00Z","customData":{"vendorId":"v"}}'
    for source in (text, text.encode("utf-16")):
        read = Heartbeat.from_json(source)
        assert type(read) is Heartbeat and read.hour() == 10, source
        assert json.loads(read.to_json()) == json.loads(text)
        read.validate()
    custom = Custom.from_dict({"vendorId": "v", "serial": "S-1"})
    assert type(custom) is Custom and _runtime().extra_of(custom) == {"serial": "S-1"}
    assert custom.to_dict() == {"vendorId": "v", "serial": "S-1"}
    theirs = module("ocpp_bindings", "2.0.1", "messages").HeartbeatResponse
    refusals = (
        _runtime("_runtime").ValidationError,
        importlib.import_module("ocpp_bindings._runtime").ValidationError,
    )
    for bad in ('{"currentTime":"x"}', '{"currentTime":"2026-11-23T10:00:00Z","x":1}', "{}"):
        errors = []
        for cls, error in zip((Heartbeat, theirs), refusals, strict=True):
            with pytest.raises(error) as caught:
                cls.from_json(bad)
            errors.append((caught.value.path, caught.value.ocpp_error_code, str(caught.value)))
        assert errors[0] == errors[1], errors


def test_a_subclass_with_struct_options_of_its_own_is_written_as_its_model() -> None:
    """A subclass may change what msgspec's encoder writes (``omit_defaults``, ``array_like``,
    a tag, a field of its own); its payload is still its model's: the exact dump writes it."""
    messages = _module("2.0.1", "messages")
    frames = _runtime("_dispatch")
    noon = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    expected = {"currentTime": "2026-11-23T12:00:00Z"}

    class Defaults(messages.HeartbeatResponse, omit_defaults=False):
        pass

    class Positional(messages.HeartbeatResponse, array_like=True):
        pass

    class Tagged(messages.HeartbeatResponse, tag=True):
        pass

    class Noted(messages.HeartbeatResponse):
        note: str = "hi"

    for cls in (Defaults, Positional, Tagged, Noted):
        response = cls(current_time=noon)
        response.validate()
        assert json.loads(response.to_json()) == expected, cls
        assert json.loads(frames.checked_frame([3, "id"], response)) == [3, "id", expected], cls


def test_each_class_gets_a_from_json_of_its_own_and_one_of_the_users_stays() -> None:
    """The first use of a class compiles its ``from_json`` (the decoder and the finishing
    inline); a subclass that inherits it reads its own objects, and a ``from_json`` defined
    in user code (on the class, a base or a mixin) is the one called, first use or not."""
    messages = _module("2.0.1", "messages")
    text = '{"currentTime": "2026-11-23T12:00:00Z"}'
    calls: list[str] = []

    class Inherits(messages.HeartbeatResponse):
        pass

    class Overrides(messages.HeartbeatResponse):
        @classmethod
        def from_json(cls, text: str | bytes, *, tolerate: Any = ()) -> Any:
            calls.append(cls.__name__)
            return super().from_json(text, tolerate=tolerate)

    class Leaf(Overrides):
        pass

    class Logging:
        __slots__ = ()

        @classmethod
        def from_json(cls, text: str | bytes, *, tolerate: Any = ()) -> Any:
            calls.append(cls.__name__)
            return super().from_json(text, tolerate=tolerate)  # type: ignore[misc]

    class Mixed(Logging, messages.HeartbeatResponse):
        pass

    Leaf.from_dict({"currentTime": "2026-11-23T12:00:00Z"})  # its first use, not from_json's
    for cls in (messages.HeartbeatResponse, Inherits, Overrides, Leaf, Mixed):
        for _ in range(2):  # the first call compiles the class's own
            assert type(cls.from_json(text)) is cls, cls
            with pytest.raises(_runtime("_runtime").ValidationError) as refused:
                cls.from_json('{"currentTime": "2026-11-23"}')
            assert refused.value.path == "currentTime"
    assert calls == ["Overrides"] * 4 + ["Leaf"] * 4 + ["Mixed"] * 4
    assert "from_json" in vars(Inherits) and "from_json" not in vars(Leaf) | vars(Mixed)
    signature = inspect.signature(messages.HeartbeatResponse.from_json)
    assert list(signature.parameters) == ["text", "tolerate"]


def test_from_json_takes_the_texts_the_dataclass_flavour_takes() -> None:
    """msgspec's decoder reads any buffer; ``from_json`` takes ``str``, ``bytes`` and
    ``bytearray``, and refuses a ``memoryview`` as the dataclass flavour does."""
    text = b'{"currentTime": "2026-11-23T12:00:00Z"}'
    for package in (msgspec_bindings(), "ocpp_bindings"):
        cls = module(package, "2.0.1", "messages").HeartbeatResponse
        error = importlib.import_module(f"{package}._runtime").ValidationError
        for _ in range(2):  # before and after the class's own from_json is compiled
            assert (
                cls.from_json(text)
                == cls.from_json(text.decode())
                == cls.from_json(bytearray(text))
            )
            with pytest.raises(error) as refused:
                cls.from_json(memoryview(text))
            assert (refused.value.path, refused.value.ocpp_error_code) == ("", "FormatViolation")


def test_copies_and_pickles_keep_vendor_properties() -> None:
    """``copy.copy``, ``copy.deepcopy`` and ``pickle`` give an equal message with the same
    payload, customData's vendor properties included; a deep copy's are its own."""
    messages = _module("2.0.1", "messages")
    extra_of = _runtime().extra_of
    event = messages.TransactionEventRequest.from_json(json.dumps(_transaction_event()))
    for copied in (copy.copy(event), copy.deepcopy(event), pickle.loads(pickle.dumps(event))):
        assert copied == event
        assert json.loads(copied.to_json()) == json.loads(event.to_json())
        assert extra_of(copied.custom_data) == {"firmware": {"build": 7}}
    deep = copy.deepcopy(event)
    extra_of(deep.custom_data)["firmware"]["build"] = 8
    assert extra_of(event.custom_data) == {"firmware": {"build": 7}}


def test_messages_are_left_out_of_the_cycle_collector() -> None:
    """The models are msgspec ``gc=False`` structs (a message is a tree; decoding is faster):
    the collector does not track one, though it holds lists. A subclass may pass ``gc=True``,
    and must with a ``__dict__`` (msgspec refuses ``gc=False`` there)."""
    messages = _module("2.0.1", "messages")
    event = messages.TransactionEventRequest.from_json(json.dumps(_transaction_event()))
    assert gc.is_tracked(event.meter_value), "a list is tracked"
    assert not gc.is_tracked(event) and not gc.is_tracked(event.meter_value[0])

    class Tracked(messages.TransactionEventRequest, gc=True):
        pass

    assert gc.is_tracked(Tracked.from_json(json.dumps(_transaction_event())))
    with pytest.raises(ValueError, match="gc=False"):

        class Untracked(messages.HeartbeatResponse, dict=True):
            pass

    class Plain:  # no __slots__: its objects would have a __dict__
        pass

    with pytest.raises(ValueError, match="gc=False"):

        class Mixed(Plain, messages.HeartbeatResponse):
            pass

    class Tracked2(Plain, messages.HeartbeatResponse, gc=True):
        pass

    assert Tracked2.from_json('{"currentTime": "2026-11-23T12:00:00Z"}').current_time.year == 2026


def test_a_date_time_set_in_code_as_text_is_refused_in_a_type_with_multiple_of() -> None:
    """A type with ``multipleOf`` (1.6 SetChargingProfile) is read back as a received frame
    is, which would turn RFC 3339 text set in code into a date-time: its kinds check refuses
    the text first, in ``validate()`` and in the frame sent, with the dataclass flavour's
    error and path."""
    payload = {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 7, "stackLevel": 1, "chargingProfilePurpose": "TxProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "A", "startSchedule": "2026-11-21T00:00:00Z",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.7}],
            },
        },
    }  # fmt: skip
    errors = []
    for package in (msgspec_bindings(), "ocpp_bindings"):
        request = module(package, "1.6", "messages").SetChargingProfileRequest.from_dict(payload)
        request.validate()
        request.cs_charging_profiles.charging_schedule.start_schedule = "2026-11-21T00:00:00Z"
        error = importlib.import_module(f"{package}._runtime").ValidationError
        with pytest.raises(error) as caught:
            request.validate()
        errors.append((caught.value.path, str(caught.value)))
        frames = importlib.import_module(f"{package}._dispatch")
        with pytest.raises(error):
            frames.checked_frame([2, "id", "SetChargingProfile"], request)
    assert errors[0] == errors[1]
    assert errors[0][0] == "csChargingProfiles.chargingSchedule.startSchedule"


def test_a_response_is_checked_as_validate_checks_it_and_written_as_to_json_writes_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The dispatcher's answer to a CALL: the handler's response encoded once and read back by
    msgspec with checking types. A date-time set in code as text (which the encoder would
    write as it is, RFC 3339 or not) is refused as ``validate()`` refuses it: InternalError,
    nothing sent; a valid response is the frame around its ``to_json()``."""
    messages = _module("2.0.1", "messages")
    enums = _module("2.0.1", "enums")
    accepted = enums.AuthorizationStatusEnumType.Accepted
    info = _module("2.0.1", "datatypes").IdTokenInfoType(status=accepted)
    response = messages.AuthorizeResponse(id_token_info=info)
    central = _central_of(msgspec_bindings(), {"Authorize": response})
    frame = json.dumps([2, "u", "Authorize", {"idToken": {"idToken": "t", "type": "Central"}}])
    expiry = datetime(2026, 11, 23, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    for value in (None, expiry):
        info.cache_expiry_date_time = value
        assert _answer(central, frame) == [3, "u", json.loads(response.to_json())]
    error = _runtime("_runtime").ValidationError
    for text in ("2026-11-23 10:30:00Z", "2026-11-23T10:30:00+0100", "2026-11-23T10:30:00Z"):
        info.cache_expiry_date_time = text
        with pytest.raises(error):
            response.validate()
        assert _answer(central, frame)[:3] == [4, "u", "InternalError"], text
    assert "invalid response from the handler for Authorize" in caplog.text


_UTC_NOON = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
_COMMON_PROBES: tuple[object, ...] = (
    None, "", "x", 0, -1, 2**63, -(2**63) - 1, 10**30, 1.5, 1e300, float("nan"),
    float("inf"), Decimal("1"), True, [], {}, b"x", _UTC_NOON.date(), datetime(2026, 11, 23, 12),
    _UTC_NOON,
    datetime(2026, 11, 23, 12, tzinfo=timezone(timedelta(hours=1))),
)  # fmt: skip
"""Values set in code at every field of every message (wrong kinds, edges of msgspec's
integers, non-finite floats, date-times naive, UTC and with an offset)."""


def _probes(package: str, parser: Any, current: object) -> list[object]:
    """The common probes and the edges of ``parser``'s own bounds (``current``: the example's
    value there, repeated for an array's sizes; ``package``: the flavour's)."""
    runtime = importlib.import_module(f"{package}._runtime")
    probes = list(_COMMON_PROBES)
    if isinstance(parser, runtime.String):
        probes += ["x" * n for n in (parser.min_length, parser.max_length) if n is not None]
        probes += ["x" * (parser.max_length + 1)] if parser.max_length is not None else []
        probes += ["x" * (parser.min_length - 1)] if parser.min_length else []
    if isinstance(parser, runtime._Numeric):
        for bound in (parser.minimum, parser.maximum):
            if bound is not None:
                probes += [int(bound), int(bound) - 1, int(bound) + 1, bound - 0.5, bound + 0.5]
    if isinstance(parser, runtime.EnumOf):
        probes += [next(iter(parser.enum)).value]  # the value, not the member
    if isinstance(parser, runtime.ArrayOf) and isinstance(current, list) and current:
        sizes = (parser.min_items, parser.max_items)
        probes += [current * n for n in sizes if n is not None]
        probes += [current * (parser.max_items + 1)] if parser.max_items else []
        probes += [tuple(current)]
    return probes


def _places(package: str, obj: Any, trail: tuple[Any, ...] = ()) -> Any:
    """(trail to a field, its parser, its value) for every field of ``obj`` and of the objects
    it holds (an array's first item stands for all); a trail is attribute names and indexes."""
    runtime = importlib.import_module(f"{package}._runtime")
    table = type(obj)._table if package == "ocpp_bindings" else _runtime()._table_of(type(obj))
    for f in table.fields:
        value = getattr(obj, f.attr)
        yield (*trail, f.attr), f.parser, value
        parser, inner, where = f.parser, value, (*trail, f.attr)
        while isinstance(parser, runtime.ArrayOf) and isinstance(inner, list) and inner:
            parser, inner, where = parser.items, inner[0], (*where, 0)
            yield where, parser, inner
        if isinstance(parser, runtime.ObjectOf) and inner is not None:
            yield from _places(package, inner, where)


def _set(obj: Any, trail: tuple[Any, ...], value: object) -> object:
    """Set ``value`` at ``trail`` in ``obj``; returns the value that was there."""
    *parents, last = trail
    for step in parents:
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    old = obj[last] if isinstance(last, int) else getattr(obj, last)
    if isinstance(last, int):
        obj[last] = value
    else:
        setattr(obj, last, value)
    return old


def _checked(package: str, obj: Any) -> Any:
    """What ``validate()`` and ``checked_frame`` make of ``obj``: the frame, or the error's
    (code, path) from both."""
    error = importlib.import_module(f"{package}._runtime").ValidationError
    frames = importlib.import_module(f"{package}._dispatch")
    try:
        obj.validate()
    except error as exc:
        with pytest.raises(error) as caught:
            frames.checked_frame([3, "id"], obj)
        assert (caught.value.ocpp_error_code, caught.value.path) == (exc.ocpp_error_code, exc.path)
        return exc.ocpp_error_code, exc.path
    return json.loads(frames.checked_frame([3, "id"], obj))


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_messages_set_wrong_in_code_are_checked_as_the_dataclass_flavour_checks_them(
    version: str,
) -> None:
    """The complete checks of objects built in code (``_ValueCheckWriter``: validate(),
    checked_frame and the dispatcher's writer skip the read-back when they are sure): every
    field of every message's full example set to each probe, and the outcome compared with the
    dataclass flavour's, error code and path included. The writer may refuse more (the general
    path decides then), never pass what the dataclass flavour refuses."""
    dispatch, examples = _module(version, "dispatch"), _module(version, "examples")
    reference = module("ocpp_bindings", version, "messages")
    checked = probed = 0
    _no_vendor_properties_alive()
    for action, feature in sorted(dispatch.PROTOCOL.features.items()):
        for side, cls in (("request", feature.request), ("response", feature.response)):
            try:
                payload = getattr(examples, side)(action, full=True)
            except KeyError:  # a SEND has no response
                continue
            codec = _runtime()._Codec.of(cls)
            if codec.value_check() is None:
                continue
            checked += 1
            writer = _runtime().result_writer(cls)
            ours = cls.from_dict(payload)
            theirs = getattr(reference, cls.__name__).from_dict(payload)
            assert json.loads(writer("id", ours)) == _checked("ocpp_bindings", theirs), cls
            places = zip(
                list(_places(msgspec_bindings(), ours)),
                list(_places("ocpp_bindings", theirs)),
                strict=True,
            )
            for (trail, parser, current), (_, their_parser, their_current) in places:
                probes = zip(
                    _probes(msgspec_bindings(), parser, current),
                    _probes("ocpp_bindings", their_parser, their_current),
                    strict=True,
                )
                for probe, their_probe in probes:
                    old, their_old = _set(ours, trail, probe), _set(theirs, trail, their_probe)
                    expected = _checked("ocpp_bindings", theirs)
                    assert _checked(msgspec_bindings(), ours) == expected, (cls, trail, probe)
                    try:
                        written = writer("id", ours)
                    except Exception:  # the general path decides
                        written = None
                    if written is not None:
                        assert json.loads(written) == expected, (cls, trail, probe)
                    _set(ours, trail, old)
                    _set(theirs, trail, their_old)
                    probed += 1
    assert checked > 50 and probed > 3_000, (checked, probed)


def test_the_read_back_is_skipped_only_when_the_complete_check_is_sure() -> None:
    """A small type's answer is checked on the objects (``_Codec.value_check``) and its text is
    not read back, unless a date-time has an offset other than UTC's (msgspec's reading of its
    encoder's text decides those); a type with more values to check keeps the read-back."""
    messages = _module("2.0.1", "messages")
    _no_vendor_properties_alive()
    codec = _runtime()._Codec.of(messages.HeartbeatResponse)
    writer = _runtime().result_writer(messages.HeartbeatResponse)
    reads: list[bytes] = []
    read = writer.__globals__["_read"]
    writer.__globals__["_read"] = lambda text: reads.append(text) or read(text)
    try:
        for hours, sure in ((0, True), (1, False)):
            moment = datetime(2026, 11, 23, 12, tzinfo=timezone(timedelta(hours=hours)))
            response = messages.HeartbeatResponse(current_time=moment)
            assert codec.value_check()(response, False) is sure
            assert json.loads(writer("id", response))[2] == json.loads(response.to_json())
            assert len(reads) == (0 if sure else 1), hours
    finally:
        writer.__globals__["_read"] = read
    large = _module("2.1", "messages").SetChargingProfileRequest
    assert _runtime()._value_checks(_runtime()._table_of(large), set()) > 100
    assert _runtime()._Codec.of(large).value_check() is None
