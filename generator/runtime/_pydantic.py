"""The pydantic v2 flavour's base model and exact types: the dataclass flavour's API and errors.

Every generated model derives from :class:`OcppModel` (through its version's base, which
sets the version's error-code dialect). ``from_dict`` / ``from_json`` validate a JSON payload
as strictly as the schema: no type coercion, no extra properties where the schema forbids
them, no ``null`` for an optional property that is not "any JSON value", RFC 3339 date-times
with an offset, exact ``multipleOf``. Failures raise :class:`ValidationError` with the same
path and OCPP error code as the dataclass flavour. Building a model in code
(``Model(field=...)``) is pydantic's usual validated construction.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Annotated, Any, ClassVar, TypeVar, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    model_serializer,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from . import _runtime as _rt
from ._runtime import (
    Dialect,
    ErrorKind,
    JsonValue,
    Tolerance,
    ValidationError,
    format_datetime,
    load_json,
    tolerance_logger,
    tolerating,
)

__all__ = ["AnyJson", "DateTime", "Integer", "OcppModel", "multiple_of"]

M = TypeVar("M", bound="OcppModel")


def _parse_exact(parser: _rt.Parser[Any], value: object, path: _rt.Path) -> Any:
    """One of the runtime's exact checks, its failure as a pydantic error of the same kind."""
    try:
        return parser.parse(value, path)
    except ValidationError as exc:
        raise PydanticCustomError(f"ocpp_{exc.kind.value}", exc.message) from None


def _exact(parser: _rt.Parser[Any]) -> Callable[[object], Any]:
    """A pydantic validator running one of the runtime's exact checks."""
    return lambda value: _parse_exact(parser, value, None)


_DATE_TIME = _rt.DateTime()


def _date_time(value: object, info: ValidationInfo) -> datetime:
    """An aware ``datetime`` as it is, or RFC 3339 text with an offset. (A tolerated
    deviation names the field only: pydantic does not tell a validator the whole path.)"""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return _parse_exact(_DATE_TIME, value, (None, info.field_name or ""))  # type: ignore[no-any-return]


DateTime = Annotated[
    datetime, PlainValidator(_date_time), PlainSerializer(format_datetime, when_used="json")
]
"""``format: date-time``: RFC 3339 with an offset (pydantic alone accepts dates and numbers)."""
_exact_integer = _exact(_rt.Integer(accepts_integral_float=True))


def _integer(value: object) -> int:
    """A draft-06 integer: an int as it is (the common case, checked first), or ``1.0``."""
    if value.__class__ is int:
        return value
    return _exact_integer(value)  # type: ignore[no-any-return]


Integer = Annotated[int, PlainValidator(_integer)]
"""A draft-06 integer: ``1.0`` is an integer (never a boolean)."""
AnyJson = Annotated[Any, PlainValidator(_exact(_rt.AnyJson()))]
"""Any JSON value (``null`` included): finite numbers and string keys only."""


def multiple_of(step: str) -> Callable[[object], Any]:
    """A finite number that is an exact decimal multiple of ``step``.

    ``round`` accepts the common case quickly (as the dataclass flavour's fast path does);
    the runtime's exact check decides, and explains, everything else.
    """
    exact = _exact(_rt.Number(multiple_of=step))
    places = _rt._decimal_places(step)

    def check(value: object) -> Any:
        if places is None:
            return exact(value)
        if value.__class__ is int or (value.__class__ is float and math.isfinite(value)):
            number: float = value
            if round(number, places) == number:
                return number
        return exact(value)

    return check


_KINDS = {
    "missing": ErrorKind.OCCURRENCE,
    "too_short": ErrorKind.OCCURRENCE,
    "too_long": ErrorKind.OCCURRENCE,
    "extra_forbidden": ErrorKind.FORMAT,
    "string_too_short": ErrorKind.PROPERTY,
    "string_too_long": ErrorKind.PROPERTY,
    "greater_than": ErrorKind.PROPERTY,
    "greater_than_equal": ErrorKind.PROPERTY,
    "less_than": ErrorKind.PROPERTY,
    "less_than_equal": ErrorKind.PROPERTY,
    "multiple_of": ErrorKind.PROPERTY,
    **{f"ocpp_{kind.value}": kind for kind in ErrorKind},
}
"""pydantic error type -> OCPP error kind; every other type is a wrong type."""


def ocpp_error(exc: PydanticValidationError, dialect: Dialect) -> ValidationError:
    """The first error of a pydantic ValidationError as the runtime's ValidationError."""
    detail: ErrorDetails = exc.errors(include_url=False)[0]
    location = list(detail["loc"])
    kind = _KINDS.get(detail["type"], ErrorKind.TYPE)
    if detail["type"] == "enum" and isinstance(detail.get("input"), str):
        kind = ErrorKind.PROPERTY
    path = ""
    for key in location:
        path += f"[{key}]" if isinstance(key, int) else (f".{key}" if path else str(key))
    error = ValidationError(detail["msg"], path, kind)
    error.dialect = dialect
    return error


def _may_hold_constants(text: str | bytes) -> bool:
    """Might ``text`` hold NaN or Infinity (not JSON, yet read by pydantic's parser)?"""
    if isinstance(text, str):
        return "NaN" in text or "Infinity" in text
    return b"NaN" in text or b"Infinity" in text


def _tolerated(cls: type[M], parse: Callable[[], M], tolerate: Iterable[Tolerance]) -> M:
    """``parse()`` accepting the ``tolerate`` deviations, each one logged."""
    model, found = tolerating(tolerate, parse)
    for deviation in found:
        tolerance_logger.warning(
            "%s: tolerated %s at %s: %r",
            cls.__name__,
            deviation.tolerance.value,
            deviation.path,
            deviation.value,
        )
    return model


class OcppModel(BaseModel):
    """Base of every generated pydantic model: the dataclass flavour's methods and errors."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, allow_inf_nan=False, use_enum_values=False
    )
    ocpp_dialect: ClassVar[Dialect]
    _keeps_null: ClassVar[frozenset[str]] = frozenset()
    """Names (Python and JSON) of the "any JSON value" fields, where ``null`` is a value."""
    _field_names: ClassVar[dict[str, str]] = {}
    """Python or JSON name -> Python name of every field (extra properties are not fields)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        keeps: set[str] = set()
        cls._field_names = {}
        for name, info in cls.model_fields.items():
            alias = info.alias or name
            cls._field_names.update({name: name, alias: name})
            if info.annotation == AnyJson or AnyJson in get_args(info.annotation):
                keeps |= {name, alias}
        cls._keeps_null = frozenset(keeps)

    @model_serializer(mode="wrap")
    def _without_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        names = self._field_names
        keeps = self._keeps_null
        given = self.model_fields_set
        return {
            key: value
            for key, value in data.items()
            if value is not None
            or (name := names.get(key)) is None  # an extra property's null stays
            or (key in keeps and name in given)  # an explicit null of an "any" field stays
        }

    @classmethod
    def from_dict(cls: type[M], data: object, *, tolerate: Iterable[Tolerance] = ()) -> M:
        """Validate a decoded JSON payload and build the whole object tree.

        ``tolerate``: deviations to accept (strict by default), each logged as a warning on
        the ``<package>.tolerance`` logger, as in the dataclass flavour.
        """
        if tolerate:
            return _tolerated(cls, lambda: cls.from_dict(data), tolerate)
        try:
            model = cls.model_validate(data, by_alias=True, by_name=False)
        except PydanticValidationError as exc:
            raise ocpp_error(exc, cls.ocpp_dialect) from None
        model._reject_null("")
        return model

    @classmethod
    def from_json(cls: type[M], text: str | bytes, *, tolerate: Iterable[Tolerance] = ()) -> M:
        """Parse and validate JSON text (``str`` or ``bytes``, UTF-8, -16 or -32);
        ``tolerate`` as in :meth:`from_dict`."""
        if tolerate:
            return _tolerated(cls, lambda: cls.from_json(text), tolerate)
        if isinstance(text, str | bytes) and not _may_hold_constants(text):
            # pydantic's own JSON parser, in one step; it reads NaN and Infinity, which are
            # not JSON: text that may hold them takes the general path below.
            try:
                model = cls.model_validate_json(text, by_alias=True, by_name=False)
            except PydanticValidationError as exc:
                if exc.errors()[0]["type"] != "json_invalid":
                    raise ocpp_error(exc, cls.ocpp_dialect) from None
            else:
                if ("null" if isinstance(text, str) else b"null") in text:  # type: ignore[operator]
                    model._reject_null("")
                return model
        try:
            data = load_json(text)
        except ValidationError as exc:
            exc.dialect = cls.ocpp_dialect
            raise
        return cls.from_dict(data)

    def _reject_null(self, path: str) -> None:
        """Raise for a ``null`` given for an optional property that is not "any JSON value".

        pydantic's ``X | None`` accepts ``null``; the schema does not. Checked after
        validation (walking the objects, in field order) so that validation keeps pydantic's
        speed; ``from_json`` walks only when the text holds ``null`` at all.
        """
        cls = type(self)
        given = self.model_fields_set
        for name, info in cls.model_fields.items():
            value = self.__dict__.get(name)
            where = f"{path}.{info.alias or name}" if path else (info.alias or name)
            if value is None:
                if name in given and name not in cls._keeps_null:
                    error = ValidationError("null is not allowed here", where, ErrorKind.TYPE)
                    error.dialect = cls.ocpp_dialect
                    raise error
            elif isinstance(value, OcppModel):
                value._reject_null(where)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, OcppModel):
                        item._reject_null(f"{where}[{index}]")

    def to_dict(self) -> dict[str, JsonValue]:
        """The JSON payload: JSON names, unset optional fields left out."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> str:
        """The JSON payload as compact text."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)

    def validate(self) -> None:  # type: ignore[override]
        """Check an object built in code against its schema; raises ValidationError."""
        try:
            payload = self.to_dict()
        except (AttributeError, TypeError, ValueError) as exc:
            error = ValidationError(f"cannot serialise: {exc}", "", ErrorKind.TYPE)
            error.dialect = self.ocpp_dialect
            raise error from None
        type(self).from_dict(payload)
