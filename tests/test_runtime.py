"""Validation rules of the generated bindings, one behaviour at a time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from ocpp_bindings import UNSET, ValidationError, v16, v21, v201
from ocpp_bindings._runtime import fast_source


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
