"""Property-based tests of every tolerance: valid payloads from hypothesis-jsonschema, mutated
into that one deviation at a place the schema allows it, are rejected strictly (as jsonschema
rejects them) and accepted under the tolerance alone, into an object that is strictly valid
(its ``to_json`` passes jsonschema), with the record the mutation predicts; every flavour gives
the same object and the same records. With every tolerance on, a valid payload parses to the
identical object with no record.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from ocpp_bindings import Tolerance, ValidationError, tolerating
from ocpp_bindings import _runtime as rt
from support import MessageCase, is_valid, message_cases
from test_properties import PROPERTY_SETTINGS, _inlined

SELECTED = {
    "1.6": (
        "StatusNotificationRequest",
        "MeterValuesRequest",
        "BootNotificationRequest",
        "BootNotificationResponse",
        "StopTransactionRequest",
        "DataTransferRequest",
        "GetConfigurationResponse",
        "RemoteStartTransactionRequest",
    ),
    "2.0.1": (
        "StatusNotificationRequest",
        "BootNotificationRequest",
        "AuthorizeRequest",
        "MeterValuesRequest",
        "NotifyChargingLimitRequest",
    ),
    "2.1": ("BootNotificationRequest", "StatusNotificationRequest", "AuthorizeResponse"),
}
"""Messages that hold every kind of place a tolerance applies to, in every version."""
EXAMPLES = int(os.environ.get("OCPPGEN_TOLERANCE_EXAMPLES", "12"))
SETTINGS = settings(PROPERTY_SETTINGS, max_examples=EXAMPLES)


OTHER_FLAVOURS = ("pydantic", "msgspec")


def _cases() -> list[tuple[MessageCase, tuple[MessageCase, ...]]]:
    """Each selected message: its dataclasses case, and its cases in the other flavours."""
    others = [{(c.version, c.class_name): c for c in message_cases(f)} for f in OTHER_FLAVOURS]
    return [
        (case, tuple(other[(case.version, case.class_name)] for other in others))
        for case in message_cases()
        if case.class_name in SELECTED.get(case.version, ())
    ]


CASES = _cases()


@functools.cache
def _payloads(case: MessageCase) -> st.SearchStrategy[Any]:
    return from_schema(_inlined(case.schema))


@dataclass(frozen=True)
class Place:
    """A property of the payload (present or not) and what the schema says of it."""

    keys: tuple[str | int, ...]
    field: rt.Field
    table: rt.FieldTable
    present: bool

    @property
    def path(self) -> str:
        return rt.render_keys(self.keys)


def _places(table: rt.FieldTable, value: Any, keys: tuple[str | int, ...] = ()) -> Iterator[Place]:
    for f in table.fields:
        present = f.json_name in value
        yield Place((*keys, f.json_name), f, table, present)
        if not present:
            continue
        inner, parser = value[f.json_name], f.parser
        if isinstance(parser, rt.ObjectOf):
            yield from _places(parser.cls._table, inner, (*keys, f.json_name))
        elif isinstance(parser, rt.ArrayOf) and isinstance(parser.items, rt.ObjectOf):
            for index, item in enumerate(inner):
                yield from _places(parser.items.cls._table, item, (*keys, f.json_name, index))


def _get(node: Any, keys: tuple[str | int, ...]) -> Any:
    for key in keys:
        node = node[key]
    return node


def _set(node: Any, keys: tuple[str | int, ...], value: Any) -> Any:
    """A copy of ``node`` with the value at ``keys`` replaced (``DROP``: removed)."""
    if len(keys) == 1:
        copy = dict(node) if isinstance(node, dict) else list(node)
        copy[keys[0]] = value  # type: ignore[index]
        return copy
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[keys[0]] = _set(node[keys[0]], keys[1:], value)  # type: ignore[index]
    return copy


@dataclass(frozen=True)
class Mutation:
    """The deviant value to put at a place, and what the tolerance should make of it."""

    sent: Any
    result: Any  # rt.UNSET when the property is dropped
    key: str | None = None
    """For an added property: its name (``sent`` is its value)."""


Mutator = Callable[[st.DataObject, Place, Any], Mutation | None]
"""A place and its current value -> the deviation there (None: this place does not fit)."""
UNKNOWN = "NoSuchMemberOfThisEnum"
NUMBERS = st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False)


def _repairs(place: Place) -> rt.EnumRepairs:
    return place.table.dialect.repairs


def _date_time(form: str) -> Mutator:
    def mutate(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
        if not isinstance(place.field.parser, rt.DateTime):
            return None
        moment = data.draw(st.datetimes(datetime(1000, 1, 1), datetime(9999, 12, 31)))
        moment = moment.replace(microsecond=0, hour=moment.hour % 10)
        y, mo, d, h, mi, s = (
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
        )
        full = f"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"
        if form == "without-offset":
            return Mutation(full, full + "Z")
        if form == "short-offset":
            hours, minutes = data.draw(st.integers(0, 23)), data.draw(st.sampled_from([0, 30, 45]))
            sign = data.draw(st.sampled_from("+-"))
            short = f"{sign}{hours:02}" if not minutes else f"{sign}{hours:02}{minutes:02}"
            return Mutation(full + short, f"{full}{sign}{hours:02}:{minutes:02}")
        return Mutation(f"{y:04}-{mo}-{d}T{h}:{mi:02}:{s:02}Z", full + "Z")

    return mutate


def _number_for_string(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    parser = place.field.parser
    if not isinstance(parser, rt.String):
        return None
    number = data.draw(NUMBERS)
    text = json.dumps(number)
    if (parser.max_length or len(text)) < len(text) or (parser.min_length or 0) > len(text):
        return None
    return Mutation(number, text)


def _numeric_string(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    if not isinstance(place.field.parser, (rt.Integer, rt.Number)) or not place.present:
        return None
    return Mutation(json.dumps(value), value)


def _boolean(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    if not isinstance(place.field.parser, rt.Boolean) or not place.present:
        return None
    spelled = data.draw(st.sampled_from([str(value).lower(), str(value), int(value)]))
    return Mutation(spelled, value)


def _enum_case(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    parser = place.field.parser
    if not isinstance(parser, rt.EnumOf) or not place.present:
        return None
    swapped = value.swapcase()
    same = [m for m in parser.members if str(m).casefold() == swapped.casefold()]
    if swapped in parser.members or len(same) != 1:
        return None
    return Mutation(swapped, value)


def _enum_alias(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    parser = place.field.parser
    if not isinstance(parser, rt.EnumOf):
        return None
    aliases = _repairs(place).aliases.get(parser.enum.__name__)
    if not aliases:
        return None
    spelling = data.draw(st.sampled_from(sorted(aliases)))
    return Mutation(spelling, aliases[spelling])


def _enum_catch_all(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    parser = place.field.parser
    if not isinstance(parser, rt.EnumOf):
        return None
    catch_all = _repairs(place).catch_all.get(parser.enum.__name__)
    return None if catch_all is None else Mutation(UNKNOWN, catch_all)


def _enum_dropped(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    parser, repairs = place.field.parser, _repairs(place)
    if not isinstance(parser, rt.EnumOf) or place.field.required:
        return None
    name = parser.enum.__name__
    if name in repairs.catch_all or name in repairs.defaulted:
        return None
    return Mutation(UNKNOWN, rt.UNSET)


def _truncated(identifiers: bool) -> Mutator:
    def mutate(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
        parser = place.field.parser
        if not isinstance(parser, rt.String) or parser.max_length is None or not place.present:
            return None
        if (place.field.json_name in ("idTag", "parentIdTag", "idToken")) != identifiers:
            return None
        extra = data.draw(st.text(st.characters(codec="utf-8"), min_size=1, max_size=5))
        sent = value + "x" * (parser.max_length - len(value)) + extra
        return Mutation(sent, sent[: parser.max_length])

    return mutate


def _additional(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    if place.table.extra:
        return None
    extra = data.draw(st.integers() | st.text(max_size=5) | st.lists(st.booleans(), max_size=2))
    return Mutation(extra, rt.UNSET, key="ocppgenNotAProperty")


def _null(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    if place.field.required or place.field.absent is rt.UNSET:
        return None
    return Mutation(None, rt.UNSET)


def _placeholder(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    parser = place.field.parser
    if place.field.required:
        return None
    if isinstance(parser, rt.DateTime):
        return Mutation(data.draw(st.sampled_from(["", "0"])), rt.UNSET)
    if isinstance(parser, rt.EnumOf) and "" not in parser.members:
        return Mutation("", rt.UNSET)
    return None


def _object_for_array(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    parser = place.field.parser
    if not isinstance(parser, rt.ArrayOf) or not isinstance(parser.items, rt.ObjectOf):
        return None
    if not place.present or len(value) != 1:
        return None
    return Mutation(value[0], value)


def _data_transfer(data: st.DataObject, place: Place, value: Any) -> Mutation | None:
    if place.table.cls.__name__ != "DataTransferRequest" or place.field.json_name != "data":
        return None
    if not isinstance(place.field.parser, rt.String):
        return None  # 2.x data is any JSON value already
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=4)
    inner = st.recursive(
        leaves,
        lambda x: st.lists(x, max_size=2) | st.dictionaries(st.text(max_size=3), x, max_size=2),
        max_leaves=4,
    )
    sent = data.draw(
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    )
    return Mutation(sent, json.dumps(sent, separators=(",", ":"), ensure_ascii=False))


MUTATORS: dict[Tolerance, Mutator] = {
    Tolerance.DATE_TIME_WITHOUT_OFFSET: _date_time("without-offset"),
    Tolerance.DATE_TIME_SHORT_OFFSET: _date_time("short-offset"),
    Tolerance.DATE_TIME_FIELD_WIDTH: _date_time("field-width"),
    Tolerance.NUMBER_FOR_STRING: _number_for_string,
    Tolerance.NUMERIC_STRING: _numeric_string,
    Tolerance.BOOLEAN_SPELLED: _boolean,
    Tolerance.ENUM_CASE: _enum_case,
    Tolerance.ENUM_ALIAS: _enum_alias,
    Tolerance.ENUM_CATCH_ALL: _enum_catch_all,
    Tolerance.ENUM_UNKNOWN_DROPPED: _enum_dropped,
    Tolerance.STRING_TRUNCATED: _truncated(identifiers=False),
    Tolerance.ID_TOKEN_TRUNCATED: _truncated(identifiers=True),
    Tolerance.ADDITIONAL_PROPERTY: _additional,
    Tolerance.NULL_FOR_OPTIONAL: _null,
    Tolerance.PLACEHOLDER_FOR_OPTIONAL: _placeholder,
    Tolerance.OBJECT_FOR_ARRAY: _object_for_array,
    Tolerance.DATA_TRANSFER_STRUCTURED: _data_transfer,
}


def test_every_tolerance_has_a_mutation() -> None:
    assert set(MUTATORS) == set(Tolerance)


def _tolerating(case: MessageCase) -> Any:
    """The ``tolerating`` of the case's package (each package has its own)."""
    return importlib.import_module(f"{case.bindings}._runtime").tolerating


def _records(found: list[Any]) -> list[tuple[str, str, Any, Any]]:
    return [
        (
            d.tolerance.value,
            d.path,
            d.original,
            "dropped" if type(d.result).__name__ == "Unset" else d.result,
        )
        for d in found
    ]


@pytest.mark.parametrize("tolerance", list(Tolerance), ids=[t.value for t in Tolerance])
def test_a_mutated_payload_is_rejected_strictly_and_normalised_under_its_tolerance(
    tolerance: Tolerance,
) -> None:
    mutate = MUTATORS[tolerance]

    @SETTINGS
    @given(st.data())
    def check(data: st.DataObject) -> None:
        case, others = data.draw(st.sampled_from(CASES), label="case")
        payload = data.draw(_payloads(case), label="payload")
        assume(is_valid(case.schema_file, payload))  # hypothesis' multipleOf is a float's
        fits = [
            (place, mutation)
            for place in _places(case.cls._table, payload)
            if (
                mutation := mutate(
                    data, place, _get(payload, place.keys) if place.present else None
                )
            )
            is not None
        ]
        assume(fits)
        place, mutation = data.draw(st.sampled_from(fits), label="place")
        if mutation.key is not None:  # an added property, beside the place
            keys: tuple[str | int, ...] = (*place.keys[:-1], mutation.key)
        else:
            keys = place.keys
        mutated = _set(payload, keys, mutation.sent)
        assert not is_valid(case.schema_file, mutated), "the mutation is a deviation"
        with pytest.raises(ValidationError):
            case.cls.from_dict(mutated)
        text = json.dumps(mutated, ensure_ascii=False)
        model, found = tolerating({tolerance}, lambda: case.cls.from_json(text))
        result = "dropped" if mutation.result is rt.UNSET else mutation.result
        assert _records(found) == [(tolerance.value, rt.render_keys(keys), mutation.sent, result)]
        normalised = json.loads(model.to_json())
        assert is_valid(case.schema_file, normalised), "the result is strictly valid"
        assert case.cls.from_dict(normalised) == model
        for other in others:
            twin, twin_found = _tolerating(other)({tolerance}, lambda: other.cls.from_json(text))  # noqa: B023
            same = case.cls.from_dict(twin.to_dict())  # msgspec writes 6 fraction digits
            assert same == model, f"{other.flavour}: the same object"
            assert _records(twin_found) == _records(found), f"{other.flavour}: the same records"

    check()


@pytest.mark.parametrize(("case", "others"), CASES, ids=[c.id for c, _ in CASES])
def test_every_tolerance_on_leaves_a_valid_payload_as_it_is(
    case: MessageCase, others: tuple[MessageCase, ...]
) -> None:
    @SETTINGS
    @given(_payloads(case))
    def check(payload: Any) -> None:
        assume(is_valid(case.schema_file, payload))  # hypothesis' multipleOf is a float's
        text = json.dumps(payload)
        for flavour in (case, *others):
            cls, expected = flavour.cls, flavour.cls.from_dict(payload)
            tolerating = _tolerating(flavour)
            for parse in (lambda: cls.from_dict(payload), lambda: cls.from_json(text)):  # noqa: B023
                model, found = tolerating(frozenset(Tolerance), parse)
                assert model == expected and found == []

    check()
