"""The pydantic v2 flavour's base model and exact types: the dataclass flavour's API and errors.

Every generated model derives from :class:`OcppModel` (through its version's base, which
sets the version's error-code dialect). ``from_dict`` / ``from_json`` validate a JSON payload
as strictly as the schema: no type coercion, no extra properties where the schema forbids
them, no ``null`` for an optional property that is not "any JSON value", RFC 3339 date-times
with an offset, exact ``multipleOf``. Failures raise :class:`ValidationError` with the same
path and OCPP error code as the dataclass flavour. Both try the native fast path of
``_pydantic_native`` first, which accepts only what the model accepts; the model's own
validator decides and explains the rest. Building a model in code (``Model(field=...)``) is
pydantic's usual validated construction.
"""

from __future__ import annotations

import importlib
import math
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Annotated, Any, ClassVar, TypeVar, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, ErrorDetails, PydanticCustomError, core_schema

from . import _runtime as _rt
from ._pydantic_native import (
    fast_path,
    multiple_of_check,
    native_date_time,
    native_equivalent,
    native_integer,
    native_number,
    null_is_a_value,
)
from ._runtime import (
    INTEGER_LIMIT,
    Dialect,
    ErrorKind,
    JsonValue,
    Tolerance,
    ValidationError,
    format_datetime,
    json_text,
    load_json,
    recover,
)

__all__ = [
    "AnyJson",
    "DateTime",
    "Integer",
    "IntegerDraft04",
    "Number",
    "OcppModel",
    "multiple_of",
]

M = TypeVar("M", bound="OcppModel")
_ANY = _rt.AnyJson()


def _parse_exact(parser: _rt.Parser[Any], value: object, path: _rt.Path) -> Any:
    """One of the runtime's exact checks, its failure as a pydantic error of the same kind.

    The error's context holds the runtime's message and the path inside the value (an item
    of "any JSON value"), which :func:`ocpp_error` appends to pydantic's location.
    """
    try:
        return parser.parse(value, path)
    except ValidationError as exc:
        inner = exc.keys if path is None else ()
        context = {"ocpp_message": exc.message, "ocpp_keys": inner}
        raise PydanticCustomError(f"ocpp_{exc.kind.value}", exc.message, context) from None


def _exact(parser: _rt.Parser[Any]) -> Callable[[object], Any]:
    """A pydantic validator running one of the runtime's exact checks."""
    return lambda value: _parse_exact(parser, value, None)


_DATE_TIME = _rt.DateTime()


def _date_time(value: object) -> datetime:
    """An aware ``datetime`` as it is, or RFC 3339 text with an offset."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return _parse_exact(_DATE_TIME, value, None)  # type: ignore[no-any-return]


native_equivalent(_date_time, native_date_time)
DateTime = Annotated[
    datetime, PlainValidator(_date_time), PlainSerializer(format_datetime, when_used="json")
]
"""``format: date-time``: RFC 3339 with an offset (pydantic alone accepts dates and numbers)."""


_SMALL = _rt._SMALL


def _fits(value: int) -> bool:
    return -INTEGER_LIMIT < value < INTEGER_LIMIT


def _integers(exact: Callable[[object], Any]) -> Callable[[object], int]:
    """An integer validator: an int within the digit limit as it is (the common case, checked
    first), anything else as the runtime's ``exact`` check says."""

    def check(value: Any) -> int:
        if value.__class__ is int and (-_SMALL <= value <= _SMALL or _fits(value)):
            return value
        return exact(value)  # type: ignore[no-any-return]

    return check


_draft_06_integer = _integers(_exact(_rt.Integer(accepts_integral_float=True)))
_draft_04_integer = _integers(_exact(_rt.Integer()))
native_equivalent(_draft_06_integer, native_integer)
native_equivalent(_draft_04_integer, native_integer)
Integer = Annotated[int, PlainValidator(_draft_06_integer)]
"""A draft-06 integer: ``1.0`` is an integer (never a boolean); at most 4300 digits."""
IntegerDraft04 = Annotated[int, PlainValidator(_draft_04_integer)]
"""A draft-04 integer (the 1.6 core schemas): ``1.0`` is not one; at most 4300 digits."""


def _checked_any(value: Any) -> Any:
    """An "any JSON value" to dump: the runtime's check first (a value set after building may
    be nested too deep, say), so that what ``from_dict`` refuses is never written."""
    return _ANY.parse(value, None)


_any_json = _exact(_rt.AnyJson())
null_is_a_value(_any_json)
AnyJson = Annotated[Any, PlainValidator(_any_json), PlainSerializer(_checked_any)]
"""Any JSON value (``null`` included): JSON types only, nested at most 64 levels."""


class NumberCheck:
    """The pydantic type of a JSON Schema ``number``: ``Annotated[float, NumberCheck(...)]``.

    ``check`` validates; values are dumped as they are, so an integer stays an integer of any
    size (pydantic's float would round ``2**60 + 1`` and refuse ``10**400``, which the schema
    and the dataclass flavour accept).
    """

    def __init__(self, check: Callable[[object], Any]) -> None:
        self.check = check

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        any_value = core_schema.simple_ser_schema("any")
        return core_schema.no_info_plain_validator_function(self.check, serialization=any_value)

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "number"}


def _numbers(exact: Callable[[object], Any], places: int | None = None) -> Callable[[object], Any]:
    """A number validator: a finite float or an int within the digit limit as it is (and,
    with ``places``, when ``round`` keeps it: a multiple of ``10**-places``), anything else as
    the runtime's ``exact`` check says."""

    def check(value: Any) -> Any:
        if value.__class__ is float:
            fits = -math.inf < value < math.inf
        else:
            fits = value.__class__ is int and (-_SMALL <= value <= _SMALL or _fits(value))
        if fits and (places is None or round(value, places) == value):
            return value
        return exact(value)

    return check


_number = _numbers(_exact(_rt.Number()))
native_equivalent(_number, native_number)
Number = Annotated[float, NumberCheck(_number)]
"""A finite number (never a boolean); an integer stays an integer, of at most 4300 digits."""


def multiple_of(step: str) -> NumberCheck:
    """The check of a finite number that is an exact decimal multiple of ``step``
    (``Annotated[float, multiple_of("0.1")]``).

    ``round`` accepts the common case quickly (as the dataclass flavour's fast path does);
    the runtime's exact check decides, and explains, everything else.
    """
    exact = _exact(_rt.Number(multiple_of=step))
    places = _rt._decimal_places(step)
    check = exact if places is None else _numbers(exact, places)
    multiple_of_check(check, step)
    return NumberCheck(check)


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
    kind = _KINDS.get(detail["type"], ErrorKind.TYPE)
    if detail["type"] == "enum" and isinstance(detail.get("input"), str):
        kind = ErrorKind.PROPERTY
    message, inner = detail["msg"], ()
    context = detail.get("ctx") or {}
    if "ocpp_message" in context:  # one of the runtime's checks: its own message and keys
        message, inner = context["ocpp_message"], context["ocpp_keys"]
    location = detail["loc"]
    if detail["type"] == "invalid_key":  # a key that is no string: the object holding it
        location = location[:-1]
    error = ValidationError(message, _rt.render_keys((*location, *inner)), kind)
    error.dialect = dialect
    return error


def _falls_back(exc: PydanticValidationError) -> bool:
    """Must pydantic's JSON parser leave ``from_json`` text to the general path? For text it
    does not read (malformed, or holding what the runtime must place: a lone surrogate, an
    integer over the digit limit, nesting deeper than its own limit) and for a ``str`` with
    a lone surrogate outside any string of the JSON."""
    first = exc.errors(include_url=False)[0]
    kind = first["type"]
    return kind == "json_invalid" or (kind == "string_unicode" and not first["loc"])


def _may_hold_constants(text: str | bytes) -> bool:
    """Might ``text`` hold NaN or Infinity (not JSON, yet read by pydantic's parser)?"""
    if isinstance(text, str):
        return "NaN" in text or "Infinity" in text
    return b"NaN" in text or b"Infinity" in text


class OcppModel(BaseModel):
    """Base of every generated pydantic model: the dataclass flavour's methods and errors."""

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        allow_inf_nan=False,
        use_enum_values=False,
        ser_json_inf_nan="constants",  # NaN set after building is refused, not made null
        # every string is then read as Unicode text: a lone surrogate is refused (pydantic
        # does so by itself only for strings with a length bound)
        str_max_length=sys.maxsize,
    )
    __pydantic_extra__: dict[str, AnyJson] = Field(init=False)
    """The additional properties (of ``customData``): each one "any JSON value"."""
    ocpp_dialect: ClassVar[Dialect]
    _table: ClassVar[_rt.FieldTable]
    """The model's field table (as the dataclass flavour's), set by the version's ``tables``
    module: what tolerances walk (see :meth:`ocpp_field_table`)."""
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
        if not isinstance(self, OcppModel):  # a value of the wrong kind, set after building
            return data
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
        try:
            return cls._strict(data)
        except ValidationError as error:
            return recover(cls, data, tolerate, error)

    @classmethod
    def _strict(cls: type[M], data: object) -> M:
        """:meth:`from_dict` without tolerances: the fast path first (see
        ``_pydantic_native``); what it refuses, the model's own validator decides."""
        try:
            return fast_path(cls).from_python(data)  # type: ignore[no-any-return]
        except Exception:
            pass
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
        if isinstance(text, str | bytes):
            # The fast path first, in one step (see ``_pydantic_native``; it refuses NaN,
            # Infinity, and null where null is no value): what it refuses, the model's own
            # validator decides and explains.
            try:
                return fast_path(cls).from_json(text)  # type: ignore[no-any-return]
            except Exception:
                pass
        try:
            return cls._from_json(text)
        except ValidationError as error:
            return recover(cls, text, tolerate, error, is_text=True)

    @classmethod
    def _from_json(cls: type[M], text: str | bytes) -> M:
        """:meth:`from_json` by the model's own validator, strictly."""
        # pydantic's own JSON parser, in one step; it reads NaN and Infinity, which are not
        # JSON: text that may hold them takes the general path below.
        if isinstance(text, str | bytes) and not _may_hold_constants(text):
            model = cls._validated_json(text)
            if model is not None:
                if ("null" if isinstance(text, str) else b"null") in text:  # type: ignore[operator]
                    model._reject_null("")
                return model
        try:
            data = load_json(text)
        except ValidationError as exc:
            exc.dialect = cls.ocpp_dialect
            raise
        return cls._strict(data)

    @classmethod
    def _validated_json(cls: type[M], text: str | bytes) -> M | None:
        """The model's own validator of JSON text (its exact checks); None for text pydantic's
        parser leaves to the general path (see :func:`_falls_back`)."""
        try:
            return cls.model_validate_json(text, by_alias=True, by_name=False)
        except PydanticValidationError as exc:
            if _falls_back(exc):
                return None
            raise ocpp_error(exc, cls.ocpp_dialect) from None

    @classmethod
    def ocpp_field_table(cls) -> _rt.FieldTable:
        """The field table of this model, loading the version's ``tables`` module (which
        sets every model's ``_table``) on first use."""
        table = cls.__dict__.get("_table")
        if table is None:
            importlib.import_module(cls.__module__.rpartition(".")[0] + ".tables")
            table = cls.__dict__["_table"]
        assert isinstance(table, _rt.FieldTable)
        return table

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
        """The JSON payload: JSON names, unset optional fields left out.

        A value pydantic cannot dump (possible only in a model changed after it was built,
        say "any JSON value" nested too deep) raises ValidationError at its path.
        """
        return self._payload(warn=True)

    def _payload(self, warn: bool) -> dict[str, JsonValue]:
        """:meth:`to_dict`; ``warn``: let pydantic warn of values of the wrong kind."""
        try:
            return self.model_dump(mode="json", by_alias=True, warnings=warn)
        except Exception as exc:  # the runtime's checks find the value and say why
            raise self._dump_error(exc) from None

    def _dump_error(self, exc: Exception) -> ValidationError:
        """Why pydantic cannot dump this model (``exc``), as ValidationError at the value's
        path: a value of the wrong kind (a required property unset, a string where a nested
        object belongs) as ``from_dict`` says of the best-effort payload; an "any JSON value"
        pydantic cannot dump (nested too deep) as the runtime's check says."""
        try:
            payload = self.model_dump(mode="json", by_alias=True, warnings=False)
        except Exception:
            self._check_values(None)
        else:
            type(self).from_dict(payload)
        message = f"cannot serialise: {type(exc).__name__}: {str(exc)[:120]}"
        error = ValidationError(message, "", ErrorKind.TYPE)
        error.dialect = self.ocpp_dialect
        return error

    def to_json(self) -> str:
        """The JSON payload as compact text; ValidationError when it cannot be JSON."""
        return json_text(self, self.ocpp_dialect)

    def validate(self) -> None:  # type: ignore[override]
        """Check an object built in code against its schema; raises ValidationError."""
        type(self).from_dict(self._payload(warn=False))  # from_dict says what is wrong

    def _check_values(self, path: _rt.Path) -> None:
        """Raise for an "any JSON value" (a field or an additional property) that is no JSON,
        walking the objects in field order (the runtime's check, with its path and code)."""
        cls = type(self)
        fields = cls.model_fields.items()
        items = [(info.alias or name, self.__dict__.get(name)) for name, info in fields]
        items += (self.__pydantic_extra__ or {}).items()
        for key, value in items:
            where = (path, key)
            if key in cls._keeps_null or key not in cls._field_names:
                try:
                    _ANY.parse(value, where)
                except ValidationError as exc:
                    exc.dialect = cls.ocpp_dialect
                    raise
            elif isinstance(value, OcppModel):
                value._check_values(where)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, OcppModel):
                        item._check_values((where, index))
