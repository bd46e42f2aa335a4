"""Property-based agreement with jsonschema over every message schema.

Valid payloads come from hypothesis-jsonschema; mutated payloads (a property dropped or added,
a value replaced by another JSON value, a string or array resized, a number nudged, a character
of a string changed) must be accepted by the bindings exactly when the reference validator
(jsonschema with the date-time format checked, see ``support``) accepts them, in every
flavour: a rejection gets the dataclass flavour's code and path, and a flavour's fast path
(the dataclass flavour's compiled parser, msgspec's decoder and converter with their
finishers, the pydantic flavour's native validators) accepts only what its exact parser
accepts, with equal objects and dumps. The mutations also reach the runtime's limits, which
the reference knows too: lone surrogates in strings and property names, integers around 4300
digits (and 401-digit ones, which are fine numbers), "any JSON value" nested around 64 levels;
from_json gets the same values as JSON text.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from ocpp_bindings import ValidationError
from support import (
    MessageCase,
    any_integer_text,
    assert_reported_place,
    is_valid,
    json_text,
    message_cases,
    same_json,
)

FLAVOURS = ("dataclasses", "pydantic", "msgspec")
"""Every flavour of the bindings is held to the same proof, on the same payloads (each drawn
once, checked in every flavour: drawing is most of the cost)."""
# Both tests of one schema run in the same xdist worker, which builds its strategy once.
CASES = [
    pytest.param(case, id=case.id, marks=pytest.mark.xdist_group(case.id))
    for case in message_cases()
]
EXAMPLES = int(os.environ.get("OCPPGEN_PROPERTY_EXAMPLES", "12"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    # hypothesis-jsonschema filters internally to satisfy big schemas (2.1
    # ReportChargingProfilesRequest): that says nothing about the bindings.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)

characters = st.characters() | st.characters(categories=["Cs"])  # lone surrogates too
"""Any code point: what JSON text can carry (``\\ud800`` escapes a lone surrogate)."""
big_integers = st.sampled_from([(1, 400), (-1, 400), (1, 4300), (-1, 4300)]).flatmap(
    lambda sign_digits: st.sampled_from([-1, 0, 1]).map(
        lambda off: sign_digits[0] * 10 ** sign_digits[1] + off
    )
) | st.just(2**60 + 1)
"""Integers just inside and outside the 4300-digit limit, 401-digit ones (fine numbers), and
one a float would round (built when drawn: a 4301-digit int has no repr for hypothesis)."""


def _nested(levels: int, as_dicts: bool) -> Any:
    value: Any = []
    for _ in range(levels - 1):
        value = {"k": value} if as_dicts else [value]
    return value


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | big_integers
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(characters, max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(characters, max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
) | st.builds(_nested, st.integers(62, 66), st.booleans())  # around the nesting limit


GENERATED_MAX_ITEMS = 4


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema to generate payloads from: references inlined, arrays kept small.

    hypothesis-jsonschema cannot resolve local references under a ``urn:`` ``$id``, and
    arrays of up to 1024 nested objects (charging schedule periods) make generation crawl.
    Only generation uses this copy: the reference validator checks the file as the OCA wrote
    it, and the mutations grow arrays past these caps.
    """
    definitions = schema.get("definitions", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[1]])
            out = {k: inline(v) for k, v in node.items() if k not in ("definitions", "$id")}
            if out.get("type") == "array":
                out["maxItems"] = min(out.get("maxItems", GENERATED_MAX_ITEMS), GENERATED_MAX_ITEMS)
            return out
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return inline(schema)  # type: ignore[no-any-return]


@functools.cache
def _payloads(case: MessageCase) -> st.SearchStrategy[Any]:
    """Valid payloads of one schema (built once: canonicalising big schemas is slow)."""
    return from_schema(_inlined(case.schema))


def _in_every_flavour(case: MessageCase) -> list[MessageCase]:
    """The message of ``case`` (a dataclasses case) in each of :data:`FLAVOURS`."""
    index = message_cases().index(case)
    return [message_cases(flavour)[index] for flavour in FLAVOURS]


def _accepts(case: MessageCase, payload: Any) -> bool:
    if case.flavour == "dataclasses":
        _fast_path_agrees(case, payload)
    elif case.flavour == "msgspec":
        _msgspec_fast_paths_agree(case, payload)
    else:
        _pydantic_fast_paths_agree(case, payload)
    try:
        case.cls.from_dict(payload)
    except case.validation_error as error:
        if case.flavour == "dataclasses":
            if not is_valid(case.schema_file, payload):
                assert_reported_place(case.schema_file, payload, error.path)
        else:
            _same_error_as_dataclasses(case, payload, error)
        return False
    return True


def _same_error_as_dataclasses(case: MessageCase, payload: Any, error: Any) -> None:
    """Another flavour rejects with the dataclass flavour's OCPP error code and path."""
    reference = message_cases()[message_cases(case.flavour).index(case)].cls
    try:
        reference.from_dict(payload)
    except ValidationError as expected:
        assert (error.ocpp_error_code, error.path) == (expected.ocpp_error_code, expected.path), (
            f"{case.flavour}: {error}; dataclasses: {expected}"
        )
    else:
        raise AssertionError(f"{case.flavour} rejects what the dataclasses accept: {error}")


def _fast_path_agrees(case: MessageCase, payload: Any) -> None:
    """The compiled fast path accepts only what the exact parser accepts, with equal results.

    It may pass a payload on to the exact parser (integral floats in draft-06 integers do),
    but never accepts one the exact parser rejects; its dump is the exact dump, key order too.
    """
    table = case.cls._table
    try:
        fast = table.fast_parse(payload)
    except Exception:
        return
    exact = table.parse(payload, None)
    assert fast == exact
    assert json.dumps(table.fast_dump(fast)) == json.dumps(table.dump(exact))


def _msgspec_fast_paths_agree(case: MessageCase, payload: Any) -> None:
    """msgspec's decoder (JSON text) and converter (Python objects), each followed by the
    type's finisher, accept only what the exact parser accepts, with equal objects and dumps.

    The exact parser is the dataclass flavour's tables; its verdicts are held to jsonschema
    and to the dataclass flavour's errors by the tests below.
    """
    codec = importlib.import_module(f"{case.bindings}._msgspec")._Codec.of(case.cls)
    try:
        exact = codec.table.parse(payload, None)
    except case.validation_error:
        exact = None
    text = json_text(payload)
    fast_paths = {"decode": lambda: codec.decode(text), "convert": lambda: codec.convert(payload)}
    for name, fast_path in fast_paths.items():
        try:
            fast = fast_path()
        except Exception:
            continue  # refused: the exact parser decides
        assert exact is not None, f"msgspec's {name} accepts what the exact parser refuses"
        assert fast == exact
        assert json.dumps(fast.to_dict()) == json.dumps(exact.to_dict())


def _pydantic_fast_paths_agree(case: MessageCase, payload: Any) -> None:
    """The pydantic flavour's native validators (of JSON text, ``multipleOf`` checked and,
    where the text holds no finer number, not; of Python values) accept only what the
    model's own validator (its exact checks, then the null check) accepts, with equal
    objects and dumps.

    The model's own validator is the flavour's exact parser: its verdicts are held to
    jsonschema and to the dataclass flavour's errors by the tests below.
    """
    fast = importlib.import_module(f"{case.bindings}._pydantic_native").fast_path(case.cls)
    try:
        exact = case.cls.model_validate(payload, by_alias=True, by_name=False)
        exact._reject_null("")
    except (pydantic.ValidationError, case.validation_error):
        exact = None
    text = json_text(payload)
    fast_paths = {
        "checked JSON": lambda: fast.checked.validate_json(text),
        "Python": lambda: fast.from_python(payload),
        "from_json": lambda: fast.from_json(text),
    }
    if fast.finer is not None and not fast.finer(text):
        fast_paths["coarse JSON"] = lambda: fast.coarse.validate_json(text)
    for name, fast_path in fast_paths.items():
        try:
            obj = fast_path()
        except Exception:
            continue  # refused: the model's own validator decides
        assert exact is not None, f"the {name} fast path accepts what the model refuses"
        assert obj == exact and type(obj) is type(exact), name
        assert json.dumps(obj.to_dict()) == json.dumps(exact.to_dict()), name


@pytest.mark.parametrize("case", CASES)
def test_generated_payloads_are_accepted_and_round_trip(case: MessageCase) -> None:
    @PROPERTY_SETTINGS
    @given(_payloads(case))
    def check(payload: Any) -> None:
        # hypothesis-jsonschema builds multipleOf values by float multiplication
        # (492895.10000000003 for 0.1): the decimal-exact reference rejects those.
        expected = is_valid(case.schema_file, payload)
        for flavoured in _in_every_flavour(case):
            assert _accepts(flavoured, payload) == expected, flavoured.flavour
            if expected:
                obj = flavoured.cls.from_dict(payload)
                same_json(obj.to_dict(), payload)
                assert flavoured.cls.from_json(obj.to_json()) == obj, flavoured.flavour

    check()


def _locations(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in a JSON tree, the root included."""
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _locations(value, (*path, index))
    return out


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = node.copy()
    copy[path[0]] = _replace(node[path[0]], path[1:], value)
    return copy


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@st.composite
def _mutated_value(draw: st.DrawFn, value: Any) -> Any:
    """A variation of ``value``, often close to what the schema allows."""
    if isinstance(value, dict):
        choice = draw(st.sampled_from(["drop", "add", "replace"]))
        if choice == "drop" and value:
            key = draw(st.sampled_from(sorted(value)))
            return {k: v for k, v in value.items() if k != key}
        if choice == "add":
            names = st.text(characters, max_size=6)
            key = draw(names | st.sampled_from(["vendorId", "zz", "customData"]))
            return {**value, key: draw(json_values)}
    elif isinstance(value, list):
        choice = draw(st.sampled_from(["empty", "grow", "replace"]))
        if choice == "empty":
            return []
        if choice == "grow" and value:
            return value + value[:1] * draw(st.integers(1, 30))
    elif isinstance(value, bool):
        return draw(st.sampled_from([not value, int(value), None, str(value)]))
    elif isinstance(value, (int, float)):
        delta = draw(st.sampled_from([1, -1, 0.5, 0.1, -0.05, 10**6, -(10**6)]))
        big = draw(big_integers)
        return draw(st.sampled_from([value + delta, float(value), str(value), -value, big]))
    elif isinstance(value, str):
        choice = draw(st.sampled_from(["grow", "shrink", "char", "replace"]))
        if choice == "grow":
            return value + draw(st.text(min_size=1, max_size=2)) * draw(st.integers(1, 3000))
        if choice == "shrink":
            return value[: draw(st.integers(0, max(len(value) - 1, 0)))]
        if choice == "char" and value:
            index = draw(st.integers(0, len(value) - 1))
            return value[:index] + draw(characters) + value[index + 1 :]
    return draw(json_values)


def _said(case: MessageCase, expected: bool, payload: Any) -> str:
    """The failure message: the flavour, the reference's verdict and the payload (its
    integers written whatever their size)."""
    with any_integer_text():
        return f"{case.flavour}: jsonschema says {expected} for {payload!r}"


@pytest.mark.parametrize("case", CASES)
def test_mutated_payloads_agree_with_jsonschema(case: MessageCase) -> None:
    @PROPERTY_SETTINGS
    @given(_payloads(case), st.data())
    def check(payload: Any, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(_locations(payload)), label="path")
        mutated = _replace(payload, path, data.draw(_mutated_value(_get(payload, path))))
        expected = is_valid(case.schema_file, mutated)
        text = json_text(mutated)
        for flavoured in _in_every_flavour(case):
            assert _accepts(flavoured, mutated) == expected, _said(flavoured, expected, mutated)
            try:
                obj = flavoured.cls.from_json(text)
            except flavoured.validation_error:
                assert not expected, _said(flavoured, expected, mutated)
            else:
                assert expected, _said(flavoured, expected, mutated)
                same_json(obj.to_dict(), mutated)

    check()
