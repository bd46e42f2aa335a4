"""The pydantic flavour's fast path: each model's validator with its exact checks made native.

The models check draft-06 integers, numbers, date-times and ``multipleOf`` with the runtime's
exact checks, in Python: one call per value. :class:`FastPath` builds, once per model, a
second pydantic-core validator from the model's own core schema in which each such check that
has a native equivalent is replaced by it (:func:`native_equivalent`): a schema of pydantic-core
that accepts a part of what the check accepts, as the same value. So the fast path accepts only
what the model accepts, into an equal object of the same class; whatever it refuses (``1.0`` in
a draft-06 integer, a date-time with a lower-case ``t``, an error) the model's own validator
decides and explains, as before. ``null`` is refused where it is no value (pydantic's ``X | None``
takes it for an optional property; the model refuses it after validating), so an object the
fast path builds needs no check for ``null`` either.

``multipleOf`` has no exact native check (pydantic-core's is a float remainder): the fast path
checks it in Python, or not at all when the JSON text holds no number finer than the coarsest
step (``_runtime.finer_numbers``), as the msgspec flavour does.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from pydantic._internal import _validators
from pydantic_core import CoreSchema, SchemaValidator, core_schema

from . import _runtime as _rt
from ._runtime import INTEGER_LIMIT

__all__ = [
    "FastPath",
    "fast_path",
    "multiple_of_check",
    "native_date_time",
    "native_equivalent",
    "native_integer",
    "native_number",
    "null_is_a_value",
]

Check = Callable[[Any], Any]
"""The function of a plain validator: one of the runtime's exact checks."""


def native_integer() -> CoreSchema:
    """An integer (never a boolean or ``1.0``) within the digit limit, as it is.

    pydantic-core's JSON parser refuses integers of more than 4300 digits by itself (the
    runtime's limit, whatever ``sys.set_int_max_str_digits`` says); Python values are
    bounded, at a small cost per value.
    """
    return core_schema.json_or_python_schema(
        json_schema=core_schema.int_schema(strict=True),
        python_schema=core_schema.int_schema(strict=True, gt=-INTEGER_LIMIT, lt=INTEGER_LIMIT),
    )


def native_number() -> CoreSchema:
    """A finite float, or an integer within the digit limit kept an integer (never a boolean).

    A smart union, the float first: a float is an exact match of it (one try); an integer is
    only a strict one (pydantic-core would make it a float), so the integer choice, an exact
    match, wins.
    """
    finite = core_schema.float_schema(strict=True, allow_inf_nan=False)
    json_schema, python_schema = _both(native_integer())
    return core_schema.json_or_python_schema(
        json_schema=core_schema.union_schema([finite, json_schema]),
        python_schema=core_schema.union_schema([dict(finite), python_schema]),
    )


NATIVE_DATE_TIME = (
    r"^[0-9]{4}-(?:0[1-9]|1[0-2])-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]{1,6})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)
"""The date-times the fast path reads natively: RFC 3339 with an upper-case ``T`` and ``Z``
and at most six fraction digits, which pydantic-core's parser reads as the runtime does (others,
valid or not, are the exact check's)."""


def native_date_time() -> CoreSchema:
    """RFC 3339 text of :data:`NATIVE_DATE_TIME`'s shape, read by pydantic-core (an invalid
    date, such as 30 February or year 0, is refused)."""
    shape = core_schema.str_schema(pattern=NATIVE_DATE_TIME)
    return core_schema.chain_schema([shape, core_schema.datetime_schema()])


_NATIVE: dict[Check, Callable[[], CoreSchema]] = {}
_STEPS: dict[Check, str] = {}
_NULL_IS_A_VALUE: set[Check] = set()


def native_equivalent(check: Check, native: Callable[[], CoreSchema]) -> None:
    """Let the fast path replace ``check`` by the schema ``native()`` builds, which must accept
    only what ``check`` accepts, as the value ``check`` returns."""
    _NATIVE[check] = native


def multiple_of_check(check: Check, step: str) -> None:
    """``check`` is that of a number that must be a multiple of ``step``: the fast path skips
    it (reads a plain number natively) where the JSON text holds no finer number."""
    _STEPS[check] = step


def null_is_a_value(check: Check) -> None:
    """``check`` is that of "any JSON value", where ``null`` is a value: the only place the
    fast path reads a ``null`` (elsewhere pydantic's ``X | None`` would take it for absent;
    the model refuses it after validating, see ``OcppModel._reject_null``)."""
    _NULL_IS_A_VALUE.add(check)


def _check_of(node: dict[str, Any]) -> Check | None:
    """The function of a plain validator's schema (None for any other schema)."""
    if node.get("type") != "function-plain":
        return None
    check = node.get("function", {}).get("function")
    return check if isinstance(check, Hashable) and callable(check) else None


def _both(schema: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON and the Python schema of a ``json-or-python`` schema."""
    return dict(schema["json_schema"]), dict(schema["python_schema"])


_BOUNDS: dict[Callable[..., Any], str] = {
    _validators.greater_than_validator: "gt",
    _validators.greater_than_or_equal_validator: "ge",
    _validators.less_than_validator: "lt",
    _validators.less_than_or_equal_validator: "le",
    _validators.multiple_of_validator: "multiple_of",
}
"""pydantic's after-validators for ``Field(ge=0)`` and the like -> the native constraint."""
_FLOAT_EXACT = 2**53
"""Integer bounds up to this size compare with a float as Python compares them."""
_KEPT = frozenset({"cls", "config", "default", "members", "metadata", "serialization"})
"""Keys of a core schema whose values are no schemas to rewrite (serialization is the
model's own: the fast path only validates)."""


def _folded(function: object, inner: dict[str, Any]) -> dict[str, Any] | None:
    """``inner`` (a native integer or number) with the constraint of pydantic's
    after-validator ``function`` (a partial of one of :data:`_BOUNDS`) as its own; None when
    it cannot take it (the after-validator then stays)."""
    if not isinstance(function, functools.partial) or function.func not in _BOUNDS:
        return None
    key = _BOUNDS[function.func]
    bound = function.keywords.get(key)
    if type(bound) is not int or inner.get("type") != "json-or-python":
        return None

    def constrained(schema: dict[str, Any]) -> dict[str, Any] | None:
        if schema["type"] == "union":
            choices = [constrained(choice) for choice in schema["choices"]]
            return None if None in choices else {**schema, "choices": choices}
        if schema["type"] == "float" and (key == "multiple_of" or abs(bound) > _FLOAT_EXACT):
            return None
        if key not in schema:
            return {**schema, key: bound}
        if key == "multiple_of":
            return None
        tighter = max if key in ("gt", "ge") else min  # with the digit limit's bound
        return {**schema, key: tighter(schema[key], bound)}

    json_schema, python_schema = (constrained(mode) for mode in _both(inner))
    if json_schema is None or python_schema is None:
        return None
    return {**inner, "json_schema": json_schema, "python_schema": python_schema}


class _Rewrite:
    """A model's core schema, each exact check with a native equivalent replaced by it (a
    ``multipleOf`` check by a plain number only when ``coarse``); ``steps`` collects the
    ``multipleOf`` steps met."""

    def __init__(self, coarse: bool) -> None:
        self.coarse = coarse
        self.steps: set[str] = set()

    def node(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.node(item) for item in node]
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        if kind == "nullable" and _check_of(node["schema"]) not in _NULL_IS_A_VALUE:
            return self.node(node["schema"])  # null is no value: refused, the model explains
        if kind == "model" and "config" in node:  # JSON names only, not Python names
            node = {**node, "config": {**node["config"], "validate_by_name": False}}
        elif kind == "function-plain":
            check = _check_of(node)
            native = None if check is None else _NATIVE.get(check)
            step = None if check is None else _STEPS.get(check)
            if step is not None:
                self.steps.add(step)
                native = native_number if self.coarse else None
            if native is not None:
                return native()
        elif kind == "function-after":
            inner = self.node(node["schema"])
            folded = _folded(node.get("function", {}).get("function"), inner)
            return folded if folded is not None else {**node, "schema": inner}
        return {key: value if key in _KEPT else self.node(value) for key, value in node.items()}


def _validator(schema: Any) -> SchemaValidator:
    # Without _use_prebuilt=False, pydantic-core would validate each nested model with the
    # model's own validator (its exact checks), which pydantic's model_rebuild(force=True)
    # avoids the same way.
    return SchemaValidator(schema, _use_prebuilt=False)


class FastPath:
    """The native validators of one model class (see the module's docstring)."""

    def __init__(self, model: type[Any]) -> None:
        schema = model.__pydantic_core_schema__
        checked = _Rewrite(coarse=False)
        self.checked = _validator(checked.node(schema))
        """``multipleOf`` checked (in Python): for JSON text that may hold finer numbers and
        for Python values."""
        self.finer = _rt.finer_numbers(checked.steps) if checked.steps else None
        """Might JSON text hold a number finer than a ``multipleOf`` step? (None: no steps,
        or one that is no power of ten.)"""
        self.coarse = self.checked
        """``multipleOf`` not checked: for JSON text that :attr:`finer` says holds no finer
        number, so that every number in it is a multiple of every step."""
        if self.finer is not None:
            self.coarse = _validator(_Rewrite(coarse=True).node(schema))

        self.from_json: Callable[[str | bytes], Any] = self.coarse.validate_json
        """The model of JSON text, or *some* exception (explaining nothing)."""
        if self.finer is not None:
            self.from_json = self._finely
        self.from_python: Callable[[object], Any] = self.checked.validate_python
        """The model of decoded JSON, or *some* exception."""

    def _finely(self, text: str | bytes) -> Any:
        finer = self.finer
        validator = self.checked if finer is not None and finer(text) else self.coarse
        return validator.validate_json(text)


_FAST: dict[type[Any], FastPath] = {}
_BUILDING = threading.Lock()


def fast_path(model: type[Any]) -> FastPath:
    """The fast path of ``model``, built on first use."""
    fast = _FAST.get(model)
    if fast is None:
        with _BUILDING:
            fast = _FAST.get(model)
            if fast is None:
                fast = _FAST[model] = FastPath(model)
    return fast
