"""The pydantic flavour's fast path (``_pydantic_native``): native checks that accept only what
the exact checks accept, as the same values, and do accept the common case.

Whole payloads of every message schema are held to the models' own validators in
``test_properties``; these tests look at each native check alone, at the bounds it takes over
from pydantic's after-validators, and at the ``multipleOf`` pre-check.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, ModuleType
from typing import Annotated, Any

import pydantic
import pytest
from flavours import pydantic_bindings
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic._internal import _validators as pydantic_validators
from pydantic_core import SchemaValidator
from support import json_text
from test_pydantic_flavour import _transaction_event

LIMIT = 10**4300


def _runtime(name: str) -> ModuleType:
    return importlib.import_module(f"{pydantic_bindings()}.{name}")


@functools.cache
def _native(name: str) -> SchemaValidator:
    """The validator of the native schema ``_pydantic_native.<name>()``."""
    return SchemaValidator(getattr(_runtime("_pydantic_native"), name)())


def _outcome(run: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, run()
    except Exception:  # refused (the exact checks raise pydantic's custom errors)
        return False, None


def _agrees(native: SchemaValidator, exact: Callable[[Any], Any], value: Any) -> bool:
    """The native check accepts ``value`` (from Python and as JSON text) only when ``exact``
    does, as the same value of the same type; returns whether it accepted it from Python."""
    accepted, expected = _outcome(lambda: exact(value))
    runs = {"python": lambda: native.validate_python(value)}
    if isinstance(value, str | int | float) and value == value:  # JSON has no NaN
        text = json_text(value)  # reads back as value (-0.0 and every float repr included)
        runs["json"] = lambda: native.validate_json(text)
    result = {}
    for mode, run in runs.items():
        ok, got = _outcome(run)
        result[mode] = ok
        if ok:
            assert accepted, f"native {mode} accepts {value!r:.60}, the exact check refuses it"
            assert got == expected and type(got) is type(expected), (mode, got, expected)
    return result["python"]


_DATE_TIME_PARTS = (
    (("2026", "2024", "0001", "9999"), ("0000", "202", "20261")),
    (("-",), ("",)),
    (("11", "02", "12", "01"), ("00", "13", "1")),
    (("-",), ("/",)),
    (("21", "28", "01"), ("29", "30", "31", "00", "32", "1")),
    (("T", "t"), (" ", "_", "")),
    (("10", "00", "23"), ("24", "1")),
    ((":",), ("",)),
    (("15", "00", "59"), ("60", "5")),
    ((":",), ("",)),
    (("00", "59"), ("60", "61", "")),
    (("", ".250", ".5", ".123456", ".1234567", ".999999999"), (".", ".x")),
    (
        ("Z", "z", "+05:30", "-03:30", "+00:00", "-00:00", "+23:59"),
        ("", "+24:00", "+05:60", "+0530"),
    ),
)
"""Each part of an RFC 3339 date-time: the forms it may take, and some it may not (29 February
is valid in 2024 only)."""


@st.composite
def _date_time_texts(draw: st.DrawFn) -> str:
    """A date-time: each part one of its valid forms, one part (maybe) one of its others."""
    parts = [draw(st.sampled_from(valid)) for valid, _ in _DATE_TIME_PARTS]
    odd = draw(st.integers(0, len(parts)))
    if odd < len(parts):
        parts[odd] = draw(st.sampled_from(_DATE_TIME_PARTS[odd][1]))
    return "".join(parts)


date_times = _date_time_texts() | st.text(max_size=30)


@settings(deadline=None)  # the first example imports and builds
@given(date_times)
def test_native_date_times_are_exact(text: str) -> None:
    exact = _runtime("_pydantic")._date_time
    native = _native("native_date_time")
    if _agrees(native, exact, text):
        assert native.validate_python(text).utcoffset() == exact(text).utcoffset()


def test_native_date_times_read_the_common_forms_and_leave_the_rest() -> None:
    exact = _runtime("_pydantic")._date_time
    native = _native("native_date_time")
    common = ("2026-11-21T10:15:00Z", "2026-11-23T10:15:00.250+01:00")
    for text in (*common, "2024-02-29T23:59:59.123456-03:30"):
        assert _agrees(native, exact, text), text
    # valid, but read by the exact check only: lower-case t and z, more than six digits
    for text in ("2026-11-21t10:15:00z", "2026-11-21T10:15:00.1234567Z"):
        assert not _agrees(native, exact, text) and exact(text), text


special_integers = st.sampled_from(
    [2**63 - 1, 2**63, -(2**63), -(2**63) - 1, LIMIT - 1, -(LIMIT - 1), LIMIT, -LIMIT]
)
numbers = (
    st.integers()
    | special_integers
    | st.floats()
    | st.booleans()
    | st.none()
    | st.text(max_size=3)
    | st.sampled_from([1.0, -0.0, 1e300, 5e-324, 2.0**70])
)


@settings(deadline=None)  # the first example imports and builds
@given(numbers)
def test_native_integers_are_exact(value: Any) -> None:
    checks = _runtime("_pydantic")
    native = _native("native_integer")
    for exact in (checks._draft_06_integer, checks._draft_04_integer):
        _agrees(native, exact, value)


@settings(deadline=None)  # the first example imports and builds
@given(numbers)
def test_native_numbers_are_exact(value: Any) -> None:
    native = _native("native_number")
    _agrees(native, _runtime("_pydantic")._number, value)


def test_native_integers_and_numbers_read_the_common_forms() -> None:
    checks = _runtime("_pydantic")
    integer, number = _native("native_integer"), _native("native_number")
    for value in (0, -7, 3600, 2**63, LIMIT - 1):
        assert _agrees(integer, checks._draft_06_integer, value)
        assert _agrees(number, checks._number, value)
    for value in (15234.5, -0.0, 1e300):
        assert _agrees(number, checks._number, value)
    # the exact checks' own: 1.0 is a draft-06 integer
    assert not _agrees(integer, checks._draft_06_integer, 1.0)
    assert checks._draft_06_integer(1.0) == 1
    assert integer.validate_json("9" * 4300) == int("9" * 4300)  # the digit limit: 4300 in,
    with pytest.raises(pydantic.ValidationError):  # 4301 out (the parser's own limit)
        integer.validate_json("9" * 4301)


def _bounded_model() -> type[pydantic.BaseModel]:
    checks = _runtime("_pydantic")
    integer = checks.Integer
    number = checks.Number

    class Bounded(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="forbid")
        count: Annotated[integer, pydantic.Field(ge=0, le=100)]  # type: ignore[valid-type]
        level: Annotated[number | None, pydantic.Field(le=0)] = None  # type: ignore[valid-type]
        step: Annotated[integer | None, pydantic.Field(multiple_of=5, gt=-10)] = None  # type: ignore[valid-type]

    return Bounded


@contextmanager
def _python_calls(*modules: ModuleType) -> Iterator[list[str]]:
    """The names of the functions of ``modules`` called inside the block."""
    calls: list[str] = []
    files = {module.__file__ for module in modules}

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code.co_filename in files:
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(None)


@settings(deadline=None)  # the first example imports and builds
@given(
    st.sampled_from(["count", "level", "step"]),
    st.integers(-25, 105) | special_integers | st.floats(-1.5, 101) | st.none() | st.booleans(),
)
def test_bounds_become_native_constraints(name: str, value: Any) -> None:
    model = _bounded_model()
    fast = _runtime("_pydantic_native").FastPath(model)
    data = {"count": 50, name: value}
    accepted, expected = _outcome(lambda: model.model_validate(data))
    for run in (lambda: fast.from_python(data), lambda: fast.from_json(json_text(data))):
        ok, got = _outcome(run)
        if ok:
            assert accepted, f"the fast path accepts {data}, the model refuses it"
            assert got == expected
    if accepted and type(value) is int:
        with _python_calls(_runtime("_pydantic"), pydantic_validators) as calls:
            assert fast.from_python(data) == expected
        assert calls == [], "the bounds and checks of integers are native"
        with _python_calls(_runtime("_pydantic"), pydantic_validators) as calls:
            model.model_validate(data)
        assert "greater_than_or_equal_validator" in calls, "the model's are pydantic's"


def test_the_fast_path_runs_no_exact_check_for_a_valid_payload() -> None:
    cls = importlib.import_module(f"{pydantic_bindings()}.v201.messages").TransactionEventRequest
    payload = _transaction_event()
    del payload["customData"], payload["meterValue"][0]["sampledValue"][0]["customData"]
    text = json.dumps(payload)
    event = cls.from_json(text)  # builds the fast path
    with _python_calls(_runtime("_pydantic")) as calls:
        assert cls.from_json(text) == event
    assert calls == ["from_json"], "no check per value: integers, numbers, dates"
    with _python_calls(_runtime("_pydantic")) as calls:
        assert cls.model_validate_json(text, by_alias=True, by_name=False) == event
    assert {"check", "_date_time"} <= set(calls), "the model's own validator checks in Python"


def test_finer_numbers_finds_each_number_that_may_be_no_multiple() -> None:
    finer_numbers = _runtime("_runtime").finer_numbers
    tenths = finer_numbers({"0.1"})
    finer = ('{"a": 16.75}', "[1e-1]", "[0.05]", "[1E-3]", '["16.75 in a string"]')
    dashes = ('["2026-11-21", 15e-1, "a-b"]', '[15e-1, "2026-11-21"]', '["2026-11-21", -1e-1]')
    for text in finer + dashes:  # an exponent between, at and after the first or last "-"
        assert tenths(text) and tenths(text.encode()), text
    plain = '{"limit": 16.7, "n": 160, "e": 1E+2, "t": "2026-11-21T00:00:00Z", "d": -3.5}'
    assert not tenths(plain) and not tenths(plain.encode())
    assert finer_numbers({"0.1", "0.01"})("[0.05]"), "the coarsest step decides"
    assert finer_numbers({"0.1", "0.5"}) is None, "0.5 is no power of ten: always check"


NUMBERS = st.floats(allow_nan=False, allow_infinity=False) | st.integers()
DASHED = st.sampled_from(["2026-11-21T00:00:00Z", "a-b", "e-", "-"])  # "-" outside numbers


@settings(deadline=None)  # the first example imports and builds
@given(st.lists(NUMBERS | DASHED, max_size=6))
def test_text_without_finer_numbers_holds_only_multiples(values: list[Any]) -> None:
    tenths = _runtime("_runtime").finer_numbers({"0.1"})
    check = _runtime("_pydantic").multiple_of("0.1").check
    text = json_text(values)
    if not tenths(text) or not tenths(text.encode()):
        for value in json.loads(text):
            if not isinstance(value, str):
                check(value)  # raises for a number that is no multiple of 0.1


@pytest.mark.parametrize(
    "payload",
    [
        {"vendorId": "com.acme", "messageId": None},
        {"vendorId": "com.acme", "customData": {"vendorId": "v", "x": None}, "messageId": None},
        {"vendorId": "com.acme", "data": {"n": None}, "customData": None},
    ],
)
def test_null_where_it_is_no_value_is_refused_from_text_as_from_dict(payload: Any) -> None:
    cls = importlib.import_module(f"{pydantic_bindings()}.v201.messages").DataTransferRequest
    error = _runtime("_runtime").ValidationError
    with pytest.raises(error) as from_dict:
        cls.from_dict(payload)
    with pytest.raises(error) as from_json:
        cls.from_json(json.dumps(payload))
    assert (from_json.value.ocpp_error_code, from_json.value.path) == (
        from_dict.value.ocpp_error_code,
        from_dict.value.path,
    )
    assert from_dict.value.path in ("messageId", "customData")
