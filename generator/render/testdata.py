"""Example payloads built from the IR, and typical invalid variants of them.

Minimal: required properties only, arrays at their minimum size. Full: every property, one
item per array (or the minimum). Values sit inside every constraint (length, range,
multipleOf) and survive a ``from_dict``/``to_dict`` round trip unchanged. Everything is
derived from the schemas, so the output is deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from generator import ir

EXAMPLE_DATE_TIME = "2025-01-01T12:00:00Z"
NOT_AN_ENUM_VALUE = "NotAValidValue"
EXTRA_PROPERTY = "unexpectedProperty"


@dataclass(frozen=True)
class InvalidCase:
    """A typical mistake, as an edit of the full example, and how the bindings reject it."""

    label: str
    """``required missing``, ``string too long``, ``unknown enum value``, ``extra property``
    or ``wrong type``."""
    keys: tuple[str | int, ...]
    """Where the edit happens in the payload."""
    edit: str
    """``set`` (to ``value``), ``drop`` (the property) or ``repeat`` (``"x" * value``)."""
    value: Any
    kind: str
    """An ``ErrorKind`` member name: FORMAT, OCCURRENCE, TYPE or PROPERTY."""
    path: str
    """The error path the bindings report."""


INVALID_LABELS = (
    "required missing",
    "string too long",
    "unknown enum value",
    "extra property",
    "wrong type",
)


class ExampleBuilder:
    """Builds examples for the object types of one spec."""

    def __init__(self, spec: ir.Spec) -> None:
        self.objects = {o.name: o for o in spec.datatypes}
        self.objects.update({m.type.name: m.type for m in spec.messages})
        self.enums = {e.name: e for e in spec.enums}

    def payload(self, obj: ir.ObjectDef, full: bool) -> dict[str, Any]:
        """The minimal or full example of an object type."""
        return {
            f.json_name: self.value(f.type, f.json_name, full)
            for f in obj.fields
            if full or f.required
        }

    def value(self, t: ir.TypeExpr, name: str, full: bool) -> Any:
        """An example value of type ``t`` for a property called ``name``."""
        if isinstance(t, ir.ObjectRef):
            return self.payload(self.objects[t.name], full)
        if isinstance(t, ir.ArrayType):
            count = max(t.min_items or 0, 1 if full else 0)
            if t.max_items is not None:
                count = min(count, t.max_items)
            return [self.value(t.items, name, full) for _ in range(count)]
        if isinstance(t, ir.EnumRef):
            return self.enums[t.name].members[0].value
        if isinstance(t, ir.StringType):
            return _string(name, t)
        if isinstance(t, (ir.IntegerType, ir.NumberType)):
            return _number(t)
        if isinstance(t, ir.BooleanType):
            return True
        if isinstance(t, ir.DateTimeType):
            return EXAMPLE_DATE_TIME
        return {"example": [1, "two", None]} if full else "example"

    def invalid_cases(self, obj: ir.ObjectDef) -> list[InvalidCase]:
        """Each typical mistake that applies to ``obj``, made on its full example."""
        full = self.payload(obj, full=True)
        cases = []
        required = [f for f in obj.fields if f.required]
        if required:
            name = required[0].json_name
            cases.append(InvalidCase("required missing", (name,), "drop", None, "OCCURRENCE", name))
        too_long = self._find(obj, full, "", _bounded_string)
        if too_long is not None:
            path, keys, t = too_long
            assert isinstance(t, ir.StringType) and t.max_length is not None
            cases.append(
                InvalidCase("string too long", keys, "repeat", t.max_length + 1, "PROPERTY", path)
            )
        enum = self._find(obj, full, "", lambda t: isinstance(t, ir.EnumRef))
        if enum is not None:
            path, keys, _ = enum
            cases.append(
                InvalidCase("unknown enum value", keys, "set", NOT_AN_ENUM_VALUE, "PROPERTY", path)
            )
        if not obj.allows_extra:
            cases.append(
                InvalidCase("extra property", (EXTRA_PROPERTY,), "set", 1, "FORMAT", EXTRA_PROPERTY)
            )
        for f in [*required, *obj.fields]:
            wrong = _wrong_value(f.type)
            if wrong is not None:
                cases.append(
                    InvalidCase("wrong type", (f.json_name,), "set", wrong, "TYPE", f.json_name)
                )
                break
        return cases

    def _find(
        self, obj: ir.ObjectDef, payload: dict[str, Any], prefix: str, wanted: Any
    ) -> tuple[str, tuple[str | int, ...], ir.TypeExpr] | None:
        """The first field (depth first, in field order) whose type is ``wanted``."""
        for f in obj.fields:
            if f.json_name not in payload or f.json_name == "customData":  # vendor's, not OCA's
                continue
            path = f"{prefix}{f.json_name}"
            t, value = f.type, payload[f.json_name]
            keys: tuple[str | int, ...] = (f.json_name,)
            while isinstance(t, ir.ArrayType) and value:
                t, keys, value, path = t.items, (*keys, 0), value[0], f"{path}[0]"
            if wanted(t):
                return path, keys, t
            if isinstance(t, ir.ObjectRef) and isinstance(value, dict):
                found = self._find(self.objects[t.name], value, f"{path}.", wanted)
                if found is not None:
                    inner_path, inner_keys, inner_type = found
                    return inner_path, (*keys, *inner_keys), inner_type
        return None


def _bounded_string(t: ir.TypeExpr) -> bool:
    return isinstance(t, ir.StringType) and t.max_length is not None


def _string(name: str, t: ir.StringType) -> str:
    low = t.min_length or 0
    high = t.max_length if t.max_length is not None else max(len(name), low)
    length = min(max(len(name), low, 1), high)
    return (name * (length // max(len(name), 1) + 1))[:length]


def _number(t: ir.IntegerType | ir.NumberType) -> int | float:
    value = Fraction(1) if isinstance(t, ir.IntegerType) else Fraction(3, 2)
    if t.minimum is not None:
        value = max(value, Fraction(t.minimum))
    if t.maximum is not None:
        value = min(value, Fraction(t.maximum))
    if t.multiple_of is not None:
        step = Fraction(t.multiple_of)
        value = math.ceil(value / step) * step
    if isinstance(t, ir.IntegerType):
        return math.ceil(value)
    return float(value)


def _wrong_value(t: ir.TypeExpr) -> Any:
    """A JSON value of the wrong type for ``t`` (None when every value is right)."""
    if isinstance(t, (ir.StringType, ir.DateTimeType, ir.EnumRef)):
        return 12345
    if isinstance(t, (ir.IntegerType, ir.NumberType)):
        return "12345"
    if isinstance(t, ir.BooleanType):
        return "true"
    if isinstance(t, ir.ObjectRef):
        return ["not", "an", "object"]
    if isinstance(t, ir.ArrayType):
        return {"not": "an array"}
    return None
