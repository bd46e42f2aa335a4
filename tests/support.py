"""Shared test helpers: the message catalogue and the jsonschema reference validator."""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft4Validator, Draft6Validator, FormatChecker
from jsonschema.protocols import Validator

from generator.config import Settings
from generator.pipeline import build_specs

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
GENERATED = ROOT / "generated"


@dataclass(frozen=True)
class MessageCase:
    """One message schema with its generated class."""

    version: str
    package: str
    action: str
    kind: str
    schema_file: Path
    class_name: str
    flavour: str = "dataclasses"

    @property
    def id(self) -> str:
        prefix = "" if self.flavour == "dataclasses" else f"{self.flavour}-"
        return f"{prefix}{self.version}-{self.class_name}"

    @property
    def bindings(self) -> str:
        """The import name of the package holding the class (one per flavour)."""
        from flavours import bindings

        return bindings(self.flavour)

    @property
    def validation_error(self) -> type[Exception]:
        """The ValidationError class of the case's package."""
        return importlib.import_module(f"{self.bindings}._runtime").ValidationError  # type: ignore[no-any-return]

    @functools.cached_property
    def schema(self) -> dict[str, Any]:
        return load_schema(self.schema_file)

    @property
    def cls(self) -> Any:
        module = importlib.import_module(f"{self.bindings}.{self.package}.messages")
        return getattr(module, self.class_name)


@functools.cache
def load_schema(path: Path) -> dict[str, Any]:
    """A schema exactly as the OCA file has it (utf-8-sig)."""
    return json.loads(path.read_text(encoding="utf-8-sig"))  # type: ignore[no-any-return]


@functools.cache
def message_cases(flavour: str = "dataclasses") -> tuple[MessageCase, ...]:
    """Every request and response schema of every version, in one flavour of the bindings."""
    cases = []
    for spec in build_specs(Settings(SCHEMAS, GENERATED, ())):
        for message in spec.messages:
            cases.append(
                MessageCase(
                    spec.version,
                    spec.package,
                    message.action,
                    message.kind,
                    Path(message.schema_file),
                    message.type.name,
                    flavour,
                )
            )
    return tuple(cases)


def _decimal_multiple_of(
    validator: Validator, step: float, instance: object, schema: object
) -> Iterator[jsonschema.ValidationError]:
    """multipleOf on the decimal value: 21.4 is a multiple of 0.1 (jsonschema says no)."""
    if validator.is_type(instance, "number") and not isinstance(instance, bool):
        assert isinstance(instance, (int, float))
        exact = Fraction(instance) if isinstance(instance, int) else Fraction(repr(instance))
        if (exact / Fraction(repr(step))).denominator != 1:
            yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {step}")


def _date_time_checker() -> FormatChecker:
    """jsonschema's own date-time check (rfc3339-validator) and nothing else.

    One correction: rfc3339-validator's regex ends in ``$``, which also matches before a final
    newline; RFC 3339 has no such newline, and the bindings reject it.
    """
    reference = FormatChecker(formats=["date-time"])
    checker = FormatChecker(formats=[])

    @checker.checks("date-time")
    def is_datetime(instance: object) -> bool:
        if isinstance(instance, str) and instance.endswith("\n"):
            return False
        return reference.conforms(instance, "date-time")

    return checker


DATE_TIME = _date_time_checker()


@functools.cache
def reference_validator(path: Path) -> Validator:
    """The oracle: jsonschema for the file's draft, with the date-time format checked."""
    schema = load_schema(path)
    base = Draft4Validator if "draft-04" in schema["$schema"] else Draft6Validator
    exact = jsonschema.validators.extend(base, {"multipleOf": _decimal_multiple_of})
    return exact(schema, format_checker=DATE_TIME)  # type: ignore[no-any-return]


MAX_INTEGER_DIGITS = 4300
ANY_JSON_MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def limit_violations(path: Path, payload: object) -> set[str]:
    """Where ``payload`` breaks the runtime's documented limits, which jsonschema (reading
    Python values, not UTF-8 text) does not know: a string or property name holding a lone
    surrogate (no UTF-8 form; a bad name is placed at its object), an integer of more than
    4300 digits, an "any JSON value" nested deeper than 64 arrays and objects."""
    schema = load_schema(path)
    found: set[str] = set()
    _typed(schema, schema, payload, (), found)
    return found


def _resolved(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _is_any(schema: object) -> bool:
    """Is ``schema`` "any JSON value" (DataTransfer ``data``: a description only)?"""
    if not isinstance(schema, dict):
        return schema is True
    keywords = {"type", "$ref", "enum", "properties", "items"}
    return not keywords & set(schema)


def _typed(
    root: dict[str, Any],
    schema: dict[str, Any],
    value: object,
    at: tuple[Any, ...],
    found: set[str],
) -> None:
    schema = _resolved(root, schema)
    if _is_any(schema):
        _any_json(value, at, 0, found)
    elif isinstance(value, dict) and "properties" in schema:
        if any(not isinstance(k, str) or _SURROGATE.search(k) for k in value):
            found.add(_render(at))
            return
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in schema["properties"]:
                _typed(root, schema["properties"][key], item, (*at, key), found)
            elif extra is not False:
                _typed(root, extra if isinstance(extra, dict) else {}, item, (*at, key), found)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            _typed(root, schema["items"], item, (*at, index), found)
    else:
        _scalar(value, at, found)


def _scalar(value: object, at: tuple[Any, ...], found: set[str]) -> None:
    limit = 10**MAX_INTEGER_DIGITS
    surrogate = isinstance(value, str) and _SURROGATE.search(value) is not None
    if surrogate or (isinstance(value, int) and not -limit < value < limit):
        found.add(_render(at))


def _any_json(value: object, at: tuple[Any, ...], depth: int, found: set[str]) -> None:
    if isinstance(value, (dict, list)):
        if depth == ANY_JSON_MAX_DEPTH:
            found.add(_render(at))
            return
        if isinstance(value, dict):
            if any(_SURROGATE.search(key) for key in value):
                found.add(_render(at))
            items = list(value.items())
        else:
            items = list(enumerate(value))
        for key, item in items:
            _any_json(item, (*at, key), depth + 1, found)
    else:
        _scalar(value, at, found)


@contextlib.contextmanager
def any_integer_text() -> Iterator[None]:
    """Let ``str`` and ``repr`` write integers of any size (jsonschema's messages quote the
    values); the bindings run outside, under Python's default limit."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(limit)


def is_valid(path: Path, payload: object) -> bool:
    """Does the reference (jsonschema, and the runtime's limits) accept ``payload`` for the
    schema at ``path``?"""
    with any_integer_text():
        if not reference_validator(path).is_valid(payload):
            return False
    return not limit_violations(path, payload)


def json_text(value: object) -> str:
    """JSON text of ``value``, whatever the size of its integers (``json.dumps`` stops at
    4300 digits, as ``json.loads`` does); lone surrogates as ``\\ud800`` escapes."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_text(item) for item in value) + "]"
    if isinstance(value, int) and not isinstance(value, bool):
        with any_integer_text():
            return str(value)
    return json.dumps(value)


def assert_reported_place(path: Path, payload: object, error_path: str) -> None:
    """A rejection's path is a place where the reference validator reports an error.

    jsonschema reports a missing or unexpected property at the object holding it, the bindings
    at the property itself: for those two keywords the property's own path is the place.
    """
    places = limit_violations(path, payload)
    with any_integer_text():
        errors = list(reference_validator(path).iter_errors(payload))
    for error in errors:
        where = _render(error.absolute_path)
        places.add(where)
        instance = error.instance if isinstance(error.instance, dict) else {}
        if error.validator == "required":
            places.update(_render([*error.absolute_path, k]) for k in error.validator_value
                          if k not in instance)  # fmt: skip
        elif error.validator == "additionalProperties":
            allowed = error.schema.get("properties", {})
            places.update(_render([*error.absolute_path, k]) for k in instance if k not in allowed)
    assert places, f"the reference validator accepts what the bindings reject at {error_path!r}"
    assert error_path in places, f"rejected at {error_path!r}, jsonschema reports {sorted(places)}"


def _render(keys: Iterable[str | int]) -> str:
    """jsonschema's path ``deque(['a', 0, 'b'])`` as a ValidationError path ``a[0].b``."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def same_json(left: object, right: object, path: str = "") -> None:
    """Assert two JSON trees are equal; date-time strings compare by instant."""
    from datetime import datetime

    if isinstance(left, dict) and isinstance(right, dict):
        assert left.keys() == right.keys(), f"{path}: keys {left.keys()} != {right.keys()}"
        for key in left:
            same_json(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list) and isinstance(right, list):
        assert len(left) == len(right), f"{path}: lengths differ"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            same_json(a, b, f"{path}[{index}]")
    elif isinstance(left, str) and isinstance(right, str) and left != right:

        def instant(text: str) -> datetime:
            return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))

        assert instant(left) == instant(right), f"{path}: {left!r} != {right!r}"
    else:
        assert type(left) in (int, float) or type(left) is type(right), f"{path}: types differ"
        assert left == right, f"{path}: {left!r} != {right!r}"
