"""Validation rules of the generated bindings, one behaviour at a time."""

from __future__ import annotations

import importlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flavours import bindings
from ocpp_bindings import UNSET, ValidationError, v16, v21, v201
from ocpp_bindings._runtime import fast_source
from ocpp_bindings.v201 import examples as v201_examples


def _profile_period(limit: Any) -> dict[str, Any]:
    return {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
            },
        },
    }


@pytest.mark.parametrize("limit", [21.4, 0.1, 0.3, 16, 7.0, 1e300, -3.3])
def test_multiple_of_is_decimal_exact_accepting(limit: float) -> None:
    request = v16.SetChargingProfileRequest.from_dict(_profile_period(limit))
    period = request.cs_charging_profiles.charging_schedule.charging_schedule_period[0]
    assert period.limit == limit


@pytest.mark.parametrize("limit", [4.11, 0.05, 21.45, 0.30000000000000004])
def test_multiple_of_is_decimal_exact_rejecting(limit: float) -> None:
    with pytest.raises(ValidationError) as caught:
        v16.SetChargingProfileRequest.from_dict(_profile_period(limit))
    assert (
        caught.value.path == "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit"
    )
    assert caught.value.ocpp_error_code == "PropertyConstraintViolation"
    assert "0.1" in caught.value.message


def _meter_values(**sampled: Any) -> dict[str, Any]:
    return {
        "connectorId": 1,
        "meterValue": [
            {"timestamp": "2024-01-01T00:00:00Z", "sampledValue": [{"value": "1"}]},
            {
                "timestamp": "2024-01-01T00:00:00Z",
                "sampledValue": [{"value": "1"}, {"value": "2"}, {"value": "3", **sampled}],
            },
        ],
    }


def test_error_path_points_into_nested_arrays() -> None:
    with pytest.raises(ValidationError) as caught:
        v16.MeterValuesRequest.from_dict(_meter_values(measurand="Nonsense"))
    assert caught.value.path == "meterValue[1].sampledValue[2].measurand"
    assert str(caught.value).startswith("meterValue[1].sampledValue[2].measurand: ")


@pytest.mark.parametrize(
    ("version", "payload", "code"),
    [
        (v16, {"connectorId": True, "meterValue": []}, "TypeConstraintViolation"),
        (v16, {"meterValue": []}, "OccurenceConstraintViolation"),
        (v16, {"connectorId": 1, "meterValue": [], "x": 1}, "OccurenceConstraintViolation"),
        (
            v16,
            {
                "connectorId": 1,
                "meterValue": [
                    {"timestamp": "2024-01-01T00:00:00Z", "sampledValue": [{"value": "1"}]}
                ],
                "x": 1,
            },
            "FormationViolation",
        ),
        (v201, {"evseId": 1}, "OccurrenceConstraintViolation"),
        (v201, {"evseId": 1, "meterValue": [], "x": 1}, "OccurrenceConstraintViolation"),
        (v21, {"evseId": "1", "meterValue": []}, "TypeConstraintViolation"),
    ],
)
def test_error_codes_use_the_version_spelling(version: Any, payload: Any, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        version.MeterValuesRequest.from_dict(payload)
    assert caught.value.ocpp_error_code == code


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_an_integer(value: bool) -> None:
    with pytest.raises(ValidationError) as caught:
        v201.HeartbeatResponse.from_dict(
            {"currentTime": "2024-01-01T00:00:00Z", "customData": {"vendorId": value}}
        )
    assert caught.value.path == "customData.vendorId"
    with pytest.raises(ValidationError):
        v201.ClearCacheRequest.from_dict({"customData": {"vendorId": "v"}, "x": value})
    with pytest.raises(ValidationError):
        v201.GetLocalListVersionResponse.from_dict({"versionNumber": value})


def test_a_boolean_is_not_a_number() -> None:
    payload = _profile_period(True)
    with pytest.raises(ValidationError) as caught:
        v16.SetChargingProfileRequest.from_dict(payload)
    assert caught.value.ocpp_error_code == "TypeConstraintViolation"


def test_integral_floats_are_integers_in_draft06_only() -> None:
    assert v201.GetLocalListVersionResponse.from_dict({"versionNumber": 3.0}).version_number == 3
    with pytest.raises(ValidationError):
        v201.GetLocalListVersionResponse.from_dict({"versionNumber": 3.5})
    with pytest.raises(ValidationError):  # 1.6 core is draft-04: 3.0 is a number, not an integer
        v16.GetLocalListVersionResponse.from_dict({"listVersion": 3.0})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29T23:59:59Z", datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone.utc)),
        ("2024-01-01t10:00:00.5z", datetime(2024, 1, 1, 10, 0, 0, 500000, tzinfo=timezone.utc)),
        (
            "2024-01-01T10:00:00.123456789-03:30",
            datetime(
                2024, 1, 1, 10, 0, 0, 123456, tzinfo=timezone(-timedelta(hours=3, minutes=30))
            ),
        ),
    ],
)
def test_date_time_parses_to_aware_datetime(text: str, expected: datetime) -> None:
    response = v201.HeartbeatResponse.from_dict({"currentTime": text})
    assert response.current_time == expected
    assert response.current_time.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-29T00:00:00Z",  # no such day
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:59:60Z",  # leap seconds are not supported (like jsonschema's checker)
        "2024-01-01T10:00:00",  # no offset
        "2024-01-01 10:00:00Z",
        "2024-01-01T10:00:00Z\n",
        "0000-01-01T00:00:00Z",
        "2024-01-01T10:00:00+24:00",
        "\uff12\uff10\uff12\uff14-01-01T10:00:00Z",  # fullwidth (non-ASCII) digits
    ],
)
def test_date_time_rejects_what_rfc3339_rejects(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        v201.HeartbeatResponse.from_dict({"currentTime": text})
    assert caught.value.path == "currentTime"
    assert caught.value.ocpp_error_code == "TypeConstraintViolation"


def test_timestamps_keep_their_instant_and_offset() -> None:
    text = '{"currentTime":"2024-06-01T12:30:00.250+02:00"}'
    response = v201.HeartbeatResponse.from_json(text)
    assert response.to_json() == text
    utc = v201.HeartbeatResponse.from_json('{"currentTime":"2024-06-01T10:30:00.250+00:00"}')
    assert utc.to_json() == '{"currentTime":"2024-06-01T10:30:00.250Z"}'
    assert utc.current_time == response.current_time


def test_max_length_counts_code_points() -> None:
    assert v201.AuthorizeRequest.from_dict({"idToken": {"idToken": "€" * 36, "type": "Central"}})
    with pytest.raises(ValidationError) as caught:
        v201.AuthorizeRequest.from_dict({"idToken": {"idToken": "€" * 37, "type": "Central"}})
    assert caught.value.path == "idToken.idToken"


def test_custom_data_vendor_properties_round_trip() -> None:
    payload = {
        "reason": "PowerUp",
        "chargingStation": {
            "model": "M",
            "vendorName": "V",
            "customData": {"vendorId": "acme", "x": {"deep": [1, None]}},
        },
        "customData": {"vendorId": "acme", "flag": True},
    }
    request = v201.BootNotificationRequest.from_dict(payload)
    assert request.custom_data is not None
    assert request.custom_data.extra == {"flag": True}
    assert request.to_dict() == payload


def test_data_transfer_data_takes_any_json_value_and_keeps_null() -> None:
    for data in (None, 0, "s", [1, {"a": None}], {"k": [True, 2.5]}):
        request = v201.DataTransferRequest.from_dict({"vendorId": "v", "data": data})
        assert request.data == data
        assert request.to_dict() == {"vendorId": "v", "data": data}
    absent = v201.DataTransferRequest.from_dict({"vendorId": "v"})
    assert absent.data is UNSET
    assert absent.to_dict() == {"vendorId": "v"}


@pytest.mark.parametrize(
    "text",
    [b"{", "[1,", '{"currentTime": NaN}', b"\xff\xfe\x00", "", '{"a": Infinity}', "[" * 100000],
)
def test_malformed_json_is_a_validation_error(text: str | bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        v201.HeartbeatResponse.from_json(text)
    assert caught.value.ocpp_error_code == "FormatViolation"
    with pytest.raises(ValidationError) as caught16:
        v16.HeartbeatResponse.from_json(text)
    assert caught16.value.ocpp_error_code == "FormationViolation"


@pytest.mark.parametrize("payload", [None, [], "x", 1, {"currentTime": None}, {1: "x"}])
def test_non_object_payloads_are_validation_errors(payload: Any) -> None:
    with pytest.raises(ValidationError):
        v201.HeartbeatResponse.from_dict(payload)


def test_any_value_rejects_non_json_python_objects() -> None:
    for data in ({1, 2}, object(), float("nan"), {1: "non-string key"}, [b"bytes"]):
        with pytest.raises(ValidationError):
            v201.DataTransferRequest.from_dict({"vendorId": "v", "data": data})


def test_validate_checks_objects_built_in_code() -> None:
    good = v201.HeartbeatResponse(current_time=datetime(2024, 1, 1, tzinfo=timezone.utc))
    good.validate()
    with pytest.raises(ValidationError) as caught:
        v201.AuthorizeRequest(
            id_token=v201.IdTokenType(id_token="x" * 37, type="Central")
        ).validate()
    assert caught.value.path == "idToken.idToken"
    with pytest.raises(ValidationError):
        v201.HeartbeatResponse(current_time="not a datetime").validate()  # type: ignore[arg-type]


def test_send_message_has_a_request_only() -> None:
    assert hasattr(v21, "NotifyPeriodicEventStreamRequest")
    assert not hasattr(v21, "NotifyPeriodicEventStreamResponse")


def test_optional_fields_default_to_none_and_are_omitted() -> None:
    response = v16.StartTransactionResponse(
        transaction_id=5, id_tag_info=v16.IdTagInfo(status=v16.AuthorizationStatus.Accepted)
    )
    assert response.id_tag_info.expiry_date is None
    assert response.to_dict() == {"idTagInfo": {"status": "Accepted"}, "transactionId": 5}


def test_max_items_is_an_occurrence_violation() -> None:
    value = {"variable": {"name": "v"}, "component": {"name": "c"}}
    request = {"getVariableData": [value] * 2}
    assert len(v201.GetVariablesRequest.from_dict(request).get_variable_data) == 2
    periods = [{"startPeriod": i, "limit": 1.0} for i in range(1025)]
    payload = _profile_period(1.0)
    payload["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"] = periods
    assert len(periods) > 1024
    v16.SetChargingProfileRequest.from_dict(payload)  # 1.6 sets no maxItems here
    schedule = {"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": periods}
    profile = {
        "id": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [schedule],
    }
    with pytest.raises(ValidationError) as caught:
        v201.SetChargingProfileRequest.from_dict({"evseId": 1, "chargingProfile": profile})
    assert caught.value.path == "chargingProfile.chargingSchedule[0].chargingSchedulePeriod"
    assert caught.value.ocpp_error_code == "OccurrenceConstraintViolation"


def test_compiled_fast_path_is_inspectable_and_matches_the_exact_parser() -> None:
    payload = {
        "idToken": {"idToken": "AB12", "type": "ISO14443", "customData": {"vendorId": "v", "k": 1}}
    }
    table = v201.AuthorizeRequest._table
    assert table.fast_parse(payload) == table.parse(payload, None)
    source = fast_source(v201.AuthorizeRequest)
    assert "def parse(d):" in source and "def dump(o):" in source
    assert "'idToken'" in source


@pytest.mark.parametrize(
    "payload",
    [
        {"idToken": {"idToken": "AB12", "type": "ISO14443", "extra": 1}},  # unknown property
        {"idToken": {"idToken": "AB12", "type": "ISO14443", "customData": None}},  # null
        {"idToken": {"idToken": "AB12", "type": "Nope"}},  # not an enum value
        {"idToken": {"idToken": "A" * 37, "type": "ISO14443"}},  # too long
        {"idToken": {"idToken": 12, "type": "ISO14443"}},  # wrong type
        {"idToken": {"type": "ISO14443"}},  # required property missing
    ],
)
def test_fast_path_rejects_and_the_exact_parser_explains(payload: dict[str, Any]) -> None:
    with pytest.raises(Exception):  # noqa: B017 - any exception means "not mine"
        v201.AuthorizeRequest._table.fast_parse(payload)
    with pytest.raises(ValidationError) as caught:
        v201.AuthorizeRequest.from_dict(payload)
    assert caught.value.path.startswith("idToken")


def test_to_dict_falls_back_for_values_built_in_code() -> None:
    """A plain string where an enum member belongs still serialises (and validates)."""
    request = v201.AuthorizeRequest(id_token=v201.IdTokenType(id_token="AB", type="ISO14443"))  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        v201.AuthorizeRequest._table.fast_dump(request)
    assert request.to_dict() == {"idToken": {"idToken": "AB", "type": "ISO14443"}}
    request.validate()


# --- limits and Unicode: the same verdict, code and path in every flavour, and both ways -----

FLAVOURS = ("dataclasses", "pydantic", "msgspec")
HEARTBEAT = {"currentTime": "2024-01-01T00:00:00Z"}


def _version(flavour: str, version: str = "v201") -> Any:
    return importlib.import_module(f"{bindings(flavour)}.{version}")


def _error(module: Any) -> type[Exception]:
    """The ValidationError of the package ``module`` belongs to."""
    package = module.__name__.partition(".")[0]
    return importlib.import_module(f"{package}._runtime").ValidationError  # type: ignore[no-any-return]


def _refusal(flavour: str, version: str, name: str, how: str, value: Any) -> tuple[str, str]:
    """``(code, path)`` of the ValidationError (the only exception) for ``value``."""
    module = _version(flavour, version)
    error = _error(module)
    cls = getattr(module, name)
    with pytest.raises(error) as caught:
        cls.from_dict(value) if how == "dict" else cls.from_json(value)
    return caught.value.ocpp_error_code, caught.value.path


def _nested(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


def _sampled(value: Any) -> dict[str, Any]:
    stamp = "2024-01-01T00:00:00Z"
    return {"evseId": 1, "meterValue": [{"timestamp": stamp, "sampledValue": [{"value": value}]}]}


SURROGATES = [  # (version, class, payload, path)
    ("v201", "DataTransferRequest", {"vendorId": "a\ud800"}, "vendorId"),  # with a length bound
    ("v16", "DataTransferRequest", {"vendorId": "v", "data": "\udc00"}, "data"),  # without
    ("v201", "DataTransferRequest", {"vendorId": "v", "data": ["\udfff"]}, "data[0]"),  # any
    ("v201", "DataTransferRequest", {"vendorId": "v", "data": {"\ud800": 1}}, "data"),  # a key
    ("v201", "HeartbeatResponse", {**HEARTBEAT, "customData": {"vendorId": "v", "x": "\ud800"}},
     "customData.x"),
    ("v201", "HeartbeatResponse", {**HEARTBEAT, "customData": {"vendorId": "v", "\ud800": 1}},
     "customData"),
    ("v201", "HeartbeatResponse", {**HEARTBEAT, "zz\ud800": 1}, ""),
]  # fmt: skip


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(("version", "name", "payload", "path"), SURROGATES)
def test_a_lone_surrogate_is_refused_alike_in_every_flavour(
    flavour: str, version: str, name: str, payload: dict[str, Any], path: str
) -> None:
    """A string with a lone surrogate has no UTF-8 form (an OCPP-J frame is UTF-8): refused
    as a TypeConstraintViolation, a property name with one at the object holding it; as
    ``from_dict`` gets it, as a JSON escape, and as (CESU-8) bytes."""
    expected = ("TypeConstraintViolation", path)
    assert _refusal(flavour, version, name, "dict", payload) == expected
    text = json.dumps(payload)  # ensure_ascii: the surrogate as a \\ud800 escape
    assert _refusal(flavour, version, name, "json", text) == expected
    raw = json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert _refusal(flavour, version, name, "json", raw) == expected


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unicode_strings_outside_the_bmp_are_fine(flavour: str) -> None:
    module = _version(flavour)
    request = module.DataTransferRequest.from_json('{"vendorId": "\\ud83d\\ude00"}')
    assert request.vendor_id == "\U0001f600"
    assert module.DataTransferRequest.from_json(request.to_json()) == request


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("value", [10**400, -(10**400), 2**60 + 1, 10**4300 - 1])
def test_any_integer_within_the_digit_limit_is_a_number(flavour: str, value: int) -> None:
    """jsonschema (and the dataclass flavour) take a 401-digit integer as a ``number``; it
    stays that exact integer (pydantic's float would round or refuse it)."""
    module = _version(flavour)
    message = module.MeterValuesRequest.from_dict(_sampled(value))
    sampled = message.meter_value[0].sampled_value[0]
    assert sampled.value == value and type(sampled.value) is int
    assert message.to_dict()["meterValue"][0]["sampledValue"][0]["value"] == value
    assert json.loads(message.to_json())["meterValue"][0]["sampledValue"][0]["value"] == value
    assert module.MeterValuesRequest.from_json(message.to_json()) == message


LONG = [  # (version, class, payload, path) with an integer of 4301 digits
    ("v201", "MeterValuesRequest", _sampled(10**4300), "meterValue[0].sampledValue[0].value"),
    ("v201", "MeterValuesRequest", {**_sampled(1), "evseId": -(10**4300)}, "evseId"),
    ("v16", "GetLocalListVersionResponse", {"listVersion": 10**4300}, "listVersion"),
    ("v201", "DataTransferRequest", {"vendorId": "v", "data": [1, {"a": 10**5000}]}, "data[1].a"),
    (
        "v201",
        "HeartbeatResponse",
        {**HEARTBEAT, "customData": {"vendorId": "v", "n": 10**4300}},
        "customData.n",
    ),
]


def _json_text(value: Any) -> str:
    """JSON text of ``value``, whatever the size of its integers (json.dumps stops at 4300
    digits, as json.loads does)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_json_text(item) for item in value) + "]"
    if isinstance(value, int) and not isinstance(value, bool):
        return _runtime_int_text(value)
    return json.dumps(value)


def _runtime_int_text(value: int) -> str:
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return str(value)
    finally:
        sys.set_int_max_str_digits(limit)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(("version", "name", "payload", "path"), LONG)
def test_an_integer_over_4300_digits_is_refused_at_its_place_both_ways(
    flavour: str, version: str, name: str, payload: dict[str, Any], path: str
) -> None:
    """Python's json refuses such an integer in text (so does pydantic's parser); from_dict
    now refuses it too, with the same code and path as from_json."""
    expected = ("PropertyConstraintViolation", path)
    assert _refusal(flavour, version, name, "dict", payload) == expected
    assert _refusal(flavour, version, name, "json", _json_text(payload)) == expected


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_any_json_value_nests_at_most_64_levels(flavour: str) -> None:
    module = _version(flavour)
    deepest = {"vendorId": "v", "data": _nested(64)}
    assert module.DataTransferRequest.from_json(json.dumps(deepest)).to_dict() == deepest
    extra = {**HEARTBEAT, "customData": {"vendorId": "v", "x": {"y": _nested(63)}}}
    assert module.HeartbeatResponse.from_dict(extra).to_dict() == extra
    place = "data" + "[0]" * 64
    expected = ("FormatViolation", place)
    for levels in (65, 100_000):  # 100 000: past what Python's JSON decoder can read
        payload = {"vendorId": "v", "data": _nested(levels)}
        text = '{"vendorId": "v", "data": ' + "[" * levels + "]" * levels + "}"
        assert _refusal(flavour, "v201", "DataTransferRequest", "dict", payload) == expected
        assert _refusal(flavour, "v201", "DataTransferRequest", "json", text) == expected
    too_deep = {**HEARTBEAT, "customData": {"vendorId": "v", "x": {"y": _nested(64)}}}
    path = "customData.x.y" + "[0]" * 63
    assert _refusal(flavour, "v201", "HeartbeatResponse", "dict", too_deep) == (
        "FormatViolation",
        path,
    )


def _cycle() -> list[Any]:
    cycle: list[Any] = []
    cycle.append(cycle)
    return cycle


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("data", "code", "path"),
    [
        (_nested(300), "FormatViolation", "data" + "[0]" * 64),
        (_nested(100_000), "FormatViolation", "data" + "[0]" * 64),
        (10**5000, "PropertyConstraintViolation", "data"),
        ({"a": float("nan")}, "TypeConstraintViolation", "data.a"),
        (_cycle(), "TypeConstraintViolation", "data[0]"),
    ],
    ids=["300 levels", "100000 levels", "10**5000", "nan", "cycle"],
)
def test_to_json_and_validate_raise_only_validation_errors(
    flavour: str, data: Any, code: str, path: str
) -> None:
    """An object changed after validation may hold what no JSON text holds: ``to_json`` and
    ``validate`` raise ValidationError at its place (before: RecursionError, ValueError,
    PydanticSerializationError, or NaN written out)."""
    module = _version(flavour)
    error = _error(module)
    request = module.DataTransferRequest.from_dict({"vendorId": "v"})
    request.data = data
    for check in (request.validate, request.to_json):
        with pytest.raises(error) as caught:
            check()
        assert (caught.value.ocpp_error_code, caught.value.path) == (code, path)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_validate_names_a_missing_or_wrong_nested_object(flavour: str) -> None:
    module = _version(flavour)
    error = _error(module)
    request = module.AuthorizeRequest.from_dict({"idToken": {"idToken": "AB", "type": "Central"}})
    request.id_token = None
    with pytest.raises(error) as caught:
        request.validate()
    assert (caught.value.ocpp_error_code, caught.value.path) == (
        "OccurrenceConstraintViolation",
        "idToken",
    )
    request.id_token = "AB"
    with pytest.raises(error) as caught:
        request.validate()
    wrong_kind = ("TypeConstraintViolation", "idToken")
    assert (caught.value.ocpp_error_code, caught.value.path) == wrong_kind
    assert "NoneType" not in str(caught.value) and "to_dict" not in str(caught.value)


def test_dataclass_messages_built_in_code_name_the_missing_field() -> None:
    with pytest.raises(ValidationError) as caught:
        v201.AuthorizeRequest(id_token=None).to_dict()  # type: ignore[arg-type]
    assert str(caught.value) == "idToken: required property is missing"
    with pytest.raises(ValidationError) as caught:  # a plain value: not written as null
        v201.IdTokenType(id_token=None, type=v201.IdTokenEnumType.Central).to_dict()  # type: ignore[arg-type]
    assert str(caught.value) == "idToken: required property is missing"
    for not_a_list in ("ab", {"a": 1}, iter([1])):  # iterables, but no arrays
        message = v16.GetConfigurationRequest(key=not_a_list)  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as caught:
            message.to_dict()
        assert caught.value.path == "key", not_a_list
    another = v201.AuthorizeRequest.from_dict({"idToken": {"idToken": "x", "type": "Central"}})
    another.id_token = v21.IdTokenType.from_dict({"idToken": "x", "type": "Central"})  # type: ignore[assignment]
    with pytest.raises(ValidationError) as caught:  # another version's class of the same name
        another.validate()
    assert str(caught.value) == (
        "idToken: expected ocpp_bindings.v201.datatypes.IdTokenType, "
        "got ocpp_bindings.v21.datatypes.IdTokenType"
    )
    with pytest.raises(ValidationError) as caught:
        v201.TransactionEventRequest.from_dict(
            v201_examples.request("TransactionEvent", full=True)
        ).evse.__class__(id="1").validate()  # type: ignore[arg-type]
    assert caught.value.path == "id"


def test_str_of_a_validation_error_is_one_line() -> None:
    with pytest.raises(ValidationError) as caught:
        v201.HeartbeatResponse.from_dict({**HEARTBEAT, "a\nb\u2028c": 1})
    assert caught.value.path == "a\nb\u2028c"
    assert str(caught.value) == "a\\nb\\u2028c: property 'a\\nb\\u2028c' is not allowed"


def test_examples_say_why_there_is_no_example() -> None:
    from ocpp_bindings.v21 import examples
    from ocpp_bindings.v21.registry import Action

    with pytest.raises(KeyError) as caught:
        examples.response("NotifyPeriodicEventStream")
    assert str(caught.value) == "NotifyPeriodicEventStream is a SEND message: it has no response"
    with pytest.raises(examples.NoExample) as unknown:
        examples.request("BootNotificaton")
    assert str(unknown.value) == (
        "OCPP 2.1 has no action 'BootNotificaton' (did you mean BootNotification?)"
    )
    assert examples.request(Action.Reset) == examples.request("Reset")


@pytest.mark.parametrize(
    "payload",
    [
        {**HEARTBEAT, "customData": {"vendorId": "v", "": {"": _nested(64)}}},
        {**HEARTBEAT, "customData": {"vendorId": "v", "0": ["", {"": "\ud800"}]}},
    ],
    ids=["too deep", "surrogate"],
)
def test_paths_through_empty_and_numeric_names_are_the_same_in_every_flavour(
    payload: dict[str, Any],
) -> None:
    """Found by the property tests: the pydantic flavour placed an error inside an extra
    property from rendered text (``customData.[0]`` against ``customData..[0]``)."""
    places = {flavour: _refusal(flavour, "v201", "HeartbeatResponse", "dict", payload)
              for flavour in FLAVOURS}  # fmt: skip
    assert len(set(places.values())) == 1, places
