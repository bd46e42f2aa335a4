"""Property-based tests of the value codecs, one per data type: ``parse(format(v)) == v`` for
generated values, and random or near-miss texts are accepted exactly when an independent
oracle (``json`` for numbers, ``rfc3339_validator`` for date-times, plain set logic for the
lists) says they are values of the type. A refusal is the runtime's ValidationError, at the
path given (a variable's)."""

from __future__ import annotations

import json
import string
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ocpp_bindings import ValidationError
from ocpp_bindings import _codecs as codecs
from ocpp_bindings.v201 import device_model as dm
from rfc3339_validator import validate_rfc3339

PATH = "Component.Variable"
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)

near_numbers = st.text(alphabet="0123456789-+.eE ,xNaIfinty", max_size=12)
members = st.text(alphabet=string.ascii_letters + string.digits + ".-_ ", min_size=1, max_size=8)
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
aware = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=offsets
)


def refused(codec: codecs.Codec[Any], text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        codec.parse(text, PATH)
    assert caught.value.path == PATH
    return caught.value


def accepts(codec: codecs.Codec[Any], text: str) -> bool:
    try:
        codec.parse(text, PATH)
    except ValidationError as exc:
        assert exc.path == PATH and exc.ocpp_error_code
        return False
    return True


def _json_number(text: str) -> object:
    """What ``json`` reads from ``text`` (None when it is not a JSON number by itself)."""
    if text != text.strip() or text in ("NaN", "Infinity", "-Infinity"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@SETTINGS
@given(st.integers())
def test_integer_round_trips(value: int) -> None:
    text = codecs.INTEGER.format(value, PATH)
    assert json.loads(text) == value
    assert codecs.INTEGER.parse(text, PATH) == value


@SETTINGS
@given(st.one_of(near_numbers, st.text(max_size=8)))
def test_integer_accepts_exactly_json_integers(text: str) -> None:
    assert accepts(codecs.INTEGER, text) == isinstance(_json_number(text), int)


@SETTINGS
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_decimal_round_trips_exactly(value: Decimal) -> None:
    text = codecs.DECIMAL.format(value, PATH)
    parsed = codecs.DECIMAL.parse(text, PATH)
    assert parsed == value and isinstance(parsed, Decimal)
    assert _json_number(text) is not None


@SETTINGS
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_decimal_as_float_round_trips_exactly(value: float) -> None:
    codec = codecs.DECIMAL.as_float()
    text = codec.format(value, PATH)
    parsed = codec.parse(text, PATH)
    assert parsed == value and isinstance(parsed, float)
    assert _json_number(text) == value


@SETTINGS
@given(st.one_of(near_numbers, st.text(max_size=8)))
def test_decimal_accepts_exactly_json_numbers(text: str) -> None:
    number = _json_number(text)
    assert accepts(codecs.DECIMAL, text) == (number is not None)
    if number is not None:
        assert codecs.DECIMAL.parse(text, PATH) == Decimal(text)


def test_one_decimal_codec_takes_one_kind_of_number() -> None:
    assert codecs.DECIMAL.format(5, PATH) == codecs.DECIMAL.as_float().format(5, PATH) == "5"
    with pytest.raises(ValidationError, match="expected a Decimal or an int, got float"):
        codecs.DECIMAL.format(0.1, PATH)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="expected a float or an int, got Decimal"):
        codecs.DECIMAL.as_float().format(Decimal("0.1"), PATH)  # type: ignore[arg-type]
    for bad in (Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValidationError, match="not a finite number"):
            codecs.DECIMAL.format(bad, PATH)
    assert refused(codecs.DECIMAL.as_float(), "1e999").kind.value == "property"
    assert dm.EVSE.Power.parse("11000.5") == Decimal("11000.5")
    assert dm.EVSE.Power.as_float().parse("11000.5") == 11000.5
    assert dm.EVSE.Power.as_float() == dm.EVSE.Power  # the same variable, read as float


@SETTINGS
@given(st.booleans())
def test_boolean_round_trips(value: bool) -> None:
    assert codecs.BOOLEAN.parse(codecs.BOOLEAN.format(value, PATH), PATH) is value


@SETTINGS
@given(st.one_of(st.sampled_from(["true", "false", "True", "TRUE", "1", "0", ""]), st.text()))
def test_boolean_accepts_exactly_true_and_false(text: str) -> None:
    assert accepts(codecs.BOOLEAN, text) == (text in ("true", "false"))


@SETTINGS
@given(aware)
def test_date_time_round_trips(value: datetime) -> None:
    text = codecs.DATE_TIME.format(value, PATH)
    assert validate_rfc3339(text)
    parsed = codecs.DATE_TIME.parse(text, PATH)
    assert parsed == value and parsed.utcoffset() == value.utcoffset()


near_date_times = st.builds(
    "{}-{}-{}{}{}:{}:{}{}{}".format,
    st.sampled_from(["2026", "0000", "999", "19999"]),
    st.sampled_from(["01", "02", "12", "13", "00", "1"]),
    st.sampled_from(["01", "28", "29", "30", "31", "32"]),
    st.sampled_from(["T", "t", " ", ""]),
    st.sampled_from(["00", "23", "24", "9"]),
    st.sampled_from(["00", "59", "60"]),
    st.sampled_from(["00", "59", "60", "5"]),
    st.sampled_from(["", ".1", ".123456789", "."]),
    st.sampled_from(["Z", "z", "+02:00", "-23:59", "+24:00", "", "+0200"]),
)


@SETTINGS
@given(st.one_of(near_date_times, st.text(max_size=25)))
def test_date_time_accepts_exactly_rfc_3339_with_an_offset(text: str) -> None:
    assert accepts(codecs.DATE_TIME, text) == validate_rfc3339(text.upper())


def test_date_time_needs_a_timezone() -> None:
    with pytest.raises(ValidationError, match="needs a timezone"):
        codecs.DATE_TIME.format(datetime(2026, 1, 1), PATH)


@SETTINGS
@given(st.text())
def test_string_round_trips_any_text(text: str) -> None:
    assert codecs.STRING.parse(codecs.STRING.format(text, PATH), PATH) == text


values_lists = st.lists(members.filter(lambda m: "," not in m), min_size=1, max_size=6, unique=True)


@SETTINGS
@given(values_lists, st.data())
def test_option_list_takes_one_listed_value(values: list[str], data: st.DataObject) -> None:
    codec = codecs.OptionListCodec(values)
    chosen = data.draw(st.sampled_from(values))
    assert codec.parse(codec.format(chosen, PATH), PATH) == chosen
    text = data.draw(st.text(max_size=10))
    assert accepts(codec, text) == (text in values)


@SETTINGS
@given(values_lists, st.data())
def test_sequence_list_keeps_order_and_repeats(values: list[str], data: st.DataObject) -> None:
    codec = codecs.SequenceListCodec(values)
    chosen = tuple(data.draw(st.lists(st.sampled_from(values), max_size=8)))
    assert codec.parse(codec.format(chosen, PATH), PATH) == chosen
    parts = data.draw(st.lists(st.one_of(st.sampled_from(values), members), min_size=1))
    text = ",".join(parts)
    assert accepts(codec, text) == all(part in values for part in parts)


@SETTINGS
@given(values_lists, st.data())
def test_member_list_is_a_set_without_repeats(values: list[str], data: st.DataObject) -> None:
    codec = codecs.MemberListCodec(values)
    chosen = data.draw(st.frozensets(st.sampled_from(values)))
    text = codec.format(chosen, PATH)
    assert codec.parse(text, PATH) == chosen
    assert text.split(",") == [v for v in values if v in chosen] or not chosen  # list order
    parts = data.draw(st.lists(st.one_of(st.sampled_from(values), members), min_size=1))
    ok = all(part in values for part in parts) and len(set(parts)) == len(parts)
    assert accepts(codec, ",".join(parts)) == ok
    with pytest.raises(ValidationError, match="listed twice"):
        codec.format([values[0], values[0]], PATH)  # type: ignore[arg-type]


@SETTINGS
@given(st.lists(members, max_size=6))
def test_csl_and_lists_without_values_take_any_members(items: list[str]) -> None:
    for codec in (codecs.CSL, codecs.SequenceListCodec()):
        assert codec.parse(codec.format(tuple(items), PATH), PATH) == tuple(items)
    assert codecs.MemberListCodec().parse(",".join(sorted(set(items))), PATH) == set(items)


@pytest.mark.parametrize(
    ("codec", "value"),
    [
        (codecs.INTEGER, True),
        (codecs.INTEGER, 1.0),
        (codecs.BOOLEAN, 1),
        (codecs.STRING, 5),
        (codecs.DATE_TIME, "2026-01-01T00:00:00Z"),
        (codecs.CSL, "a,b"),
        (codecs.MemberListCodec(), "a"),
        (codecs.OptionListCodec(("A",)), "B"),
        (codecs.SequenceListCodec(("A",)), ("A", "")),
    ],
)
def test_format_refuses_a_value_of_another_type(codec: codecs.Codec[Any], value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        codec.format(value, PATH)
    assert caught.value.path == PATH


def test_a_variable_names_itself_in_errors() -> None:
    variable = dm.DeviceDataCtrlr.BytesPerMessage["GetReport"]
    with pytest.raises(ValidationError) as caught:
        variable.parse("many")
    assert caught.value.path == "DeviceDataCtrlr.BytesPerMessage[GetReport]"
    assert caught.value.ocpp_error_code == "TypeConstraintViolation"
    with pytest.raises(ValidationError) as caught:
        dm.EVSE(evse=1).AvailabilityState.format("Broken")
    assert caught.value.path == "EVSE[evse=1].AvailabilityState"
    assert caught.value.ocpp_error_code == "PropertyConstraintViolation"
