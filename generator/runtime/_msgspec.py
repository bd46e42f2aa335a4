"""The msgspec flavour's base structs and types: the dataclass flavour's API and errors.

Every generated model is a ``msgspec.Struct`` (written by datamodel-code-generator) deriving
from :class:`OcppStruct` through its version's base, which sets the version's error-code
dialect. ``from_json`` and ``from_dict`` take two paths, like the dataclass flavour's runtime:

- The fast path is msgspec's C code: its JSON decoder (``from_json``) or converter
  (``from_dict``) with the struct types refuses unknown properties, ``null`` for an optional
  property, wrong types, lengths, ranges, item counts and enum values. One compiled Python
  function per type, its *finisher*, then does what msgspec cannot do exactly: RFC 3339
  date-times (msgspec's own parser also takes a space for ``T`` and ``+0100``, and rounds
  digits past the microsecond; here they are read as text and parsed like the dataclass
  flavour's fast path), decimal ``multipleOf`` (msgspec's check is binary: it refuses 16.7
  for 0.1) and "any JSON" values (the runtime's limits; from Python objects, JSON types
  only). ``from_dict`` first has msgspec's encoder refuse what has no JSON text (lone
  surrogates, integers too long to write). The fast path accepts only what is certainly
  valid, and explains nothing.
- On any refusal the exact parser decides and explains: the dataclass flavour's field tables
  (the folder's ``tables.py``) walked by :mod:`._runtime`, so a ValidationError has the
  dataclass flavour's path and OCPP error code. Integral floats in draft-06 integers, vendor
  properties in ``customData``, text msgspec does not read (UTF-16, lone surrogates) and
  tolerated deviations take this path.

For the dispatcher (``call_reader``, ``result_writer``, ``load_frame`` and ``checked_frame``), a
CALL of an action it has routed is read whole in one pass, msgspec's decoder of the frame with
its request class; and a message it sends is encoded once with its frame and read back by
msgspec with *checking types* (the message's structs with its date-times read as aware
``datetime``, :func:`_checking_type`), after a compiled check that its date-times are
``datetime`` objects and its strings ``str`` (the *kinds* check, also run by ``validate()``
and ``to_json``).

``to_json`` / ``to_dict`` are msgspec's encoder (absent optional properties left out; date-times
as RFC 3339 with ``Z`` for UTC). Objects whose schema allows additional properties
(``customData``) keep them in ``extra`` and write them back. Building a model in code
(``Model(field=...)``) is msgspec's unvalidated construction: ``validate()`` checks it.

The package needs msgspec 0.23 or later (:data:`MSGSPEC`). From Python objects msgspec also
takes a tuple or a set for an array: ``from_dict`` reads those as lists.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import math
import sys
import types
import typing
import weakref
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, cast

from . import _runtime as _rt
from ._runtime import (
    Dialect,
    ErrorKind,
    JsonValue,
    Tolerance,
    ValidationError,
    load_json,
    recover,
)

MSGSPEC = "0.23"
"""The msgspec release this package was generated for and tested with (``msgspec>=0.23``)."""

try:
    import msgspec
except ImportError:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"{__name__.rpartition('.')[0]} was generated with --style msgspec and needs msgspec "
        f"{MSGSPEC} or later: pip install 'msgspec>={MSGSPEC}'"
    ) from None
if tuple(int(part) for part in msgspec.__version__.split(".")[:2]) < (0, 23):  # pragma: no cover
    raise ImportError(
        f"{__name__.rpartition('.')[0]} needs msgspec {MSGSPEC} or later, not "
        f"{msgspec.__version__}: pip install 'msgspec>={MSGSPEC}'"
    )

__all__ = [
    "MSGSPEC",
    "UNSET",
    "AnyJson",
    "DateTime",
    "Integer",
    "IntegerDraft04",
    "OcppStruct",
    "OpenStruct",
    "Optional",
    "Union",
    "UnsetType",
    "checked_frame",
    "describe",
    "dump_frame",
    "extra_of",
    "finisher_source",
    "json_names",
    "load_frame",
    "number",
]

M = TypeVar("M", bound="OcppStruct")

# The names datamodel-code-generator writes in the models, as the models import them from
# their base module. To a type checker they are what they say; to msgspec, an optional
# property's type ``Optional[X]`` (or ``Union[X, None]``) is ``X``: ``null`` is refused in C,
# and an absent property takes the field's default, None.
if TYPE_CHECKING:
    from typing import Optional as Optional
    from typing import TypeAlias
    from typing import Union as Union

    from ._runtime import Unset as UnsetType

    DateTime: TypeAlias = datetime
    AnyJson: TypeAlias = JsonValue
else:

    class _WithoutNull:
        """``Optional[X]`` / ``Union[X, None]`` as msgspec must read an optional property."""

        def __init__(self, name: str) -> None:
            self.name = name

        def __getitem__(self, item: object) -> object:
            members = item if isinstance(item, tuple) else (item,)
            kept = tuple(m for m in members if m is not None and m is not type(None))
            return kept[0] if len(kept) == 1 else typing.Union[kept]  # noqa: UP007

        def __repr__(self) -> str:
            return f"{__name__}.{self.name}"

    Optional = _WithoutNull("Optional")
    Union = _WithoutNull("Union")
    UnsetType = msgspec.UnsetType
    """To msgspec: the property may be absent (its default is :data:`UNSET`)."""
    DateTime = str
    """Read as text by msgspec; the finisher parses it (RFC 3339, like the dataclass flavour)."""
    AnyJson = Any
    """Any JSON value; from Python objects the finisher checks it (finite numbers, str keys)."""

UNSET = _rt.UNSET
"""The value of an absent "any JSON" property: the package's ``UNSET``."""
Integer: TypeAlias = int
"""A draft-06 integer: msgspec takes ``1`` (the exact parser also takes ``1.0``); msgspec
refuses more than 4300 digits, which the exact parser places."""
IntegerDraft04: TypeAlias = int
"""A draft-04 integer (the 1.6 core schemas): ``1.0`` is not one, for msgspec or the exact
parser."""

_MAX_FLOAT = sys.float_info.max


def number(minimum: float | None = None, maximum: float | None = None) -> Any:
    """A JSON number within the bounds as msgspec must read it: an integer, kept as it is
    (any size), or a finite float (NaN and infinities are refused from Python objects too)."""
    low = -_MAX_FLOAT if minimum is None else minimum
    high = _MAX_FLOAT if maximum is None else maximum
    whole: Any = int
    if minimum is not None or maximum is not None:
        integers = msgspec.Meta(
            ge=None if minimum is None else math.ceil(minimum),
            le=None if maximum is None else math.floor(maximum),
        )
        whole = Annotated[int, integers]
    return typing.Union[whole, Annotated[float, msgspec.Meta(ge=low, le=high)]]  # noqa: UP007


class _Reject(Exception):
    """A finisher met something it does not handle: the exact parser decides."""


_WITH_EXTRA: dict[int, weakref.ref[OpenStruct]] = {}
"""Every live object whose ``extra`` was read or set (by id; an entry goes with its object):
while there is one, encoding also walks the objects to write their additional properties
(msgspec's encoder knows only fields). A plain dict: its truth is one C call."""
_ENCODER = msgspec.json.Encoder()
_UNIQUE_ID = Annotated[str, msgspec.Meta(max_length=36)]
"""A frame's unique id as the dispatcher takes it (``MAX_UNIQUE_ID``: OCPP-J's limit); text
msgspec decodes is Unicode (it refuses lone surrogates), as the dispatcher needs it too. A frame
sent with a longer id (a ``new_id`` of the user's) is checked by the general path."""
_RAW = msgspec.Raw
_INT64 = -(2**63)
"""The least integer a complete check (``_ValueCheckWriter``) passes by itself; the greatest is
``-_INT64 - 1``. Larger ones, rare, are the general path's (the exact parser's limit is
``MAX_INTEGER_DIGITS`` digits)."""


class OcppStruct(
    msgspec.Struct,
    forbid_unknown_fields=True,
    omit_defaults=True,
    repr_omit_defaults=True,
    gc=False,
):
    """Base of every generated msgspec model: the dataclass flavour's methods and errors.

    Its objects are not tracked by Python's cycle collector (msgspec's ``gc=False``): a
    message is a tree of JSON values, and leaving the collector out makes decoding about 15%
    faster. A cycle made through one in code (a message put inside itself) is not collected.
    A subclass whose objects may be part of a cycle passes ``gc=True``, as must one with a
    ``__dict__`` (``dict=True``, or a base that is no struct and has no ``__slots__``).
    """

    ocpp_dialect: ClassVar[Dialect]
    _table: ClassVar[_rt.FieldTable]
    """The exact parser's description of the type (set by the folder's ``tables.py``)."""
    _codec: ClassVar[_Codec | None] = None
    """What the class decodes with (made on first use; each class has its own)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._codec = None  # not the base's: a subclass decodes its own objects

    @classmethod
    def from_dict(cls: type[M], data: object, *, tolerate: Iterable[Tolerance] = ()) -> M:
        """Validate a decoded JSON payload and build the whole object tree.

        ``tolerate``: deviations to accept (strict by default); each accepted one is logged
        as a warning on the ``<package>.tolerance`` logger, as in the dataclass flavour.
        """
        if data.__class__ is _RAW:  # a payload left as JSON text by load_frame
            codec = cls._codec
            if codec is None:
                codec = _Codec.of(cls)
            try:
                return codec.decode(data)  # type: ignore[return-value]
            except Exception:
                return cls.from_json(bytes(data), tolerate=tolerate)
        try:
            return cls._strict(data)
        except ValidationError as error:
            return recover(cls, data, tolerate, error)

    @classmethod
    def _strict(cls: type[M], data: object) -> M:
        """:meth:`from_dict` without tolerances (of decoded JSON, not of ``Raw`` text)."""
        codec = cls._codec
        if codec is None:
            codec = _Codec.of(cls)
        if data.__class__ is dict:
            try:
                return codec.convert(data)  # type: ignore[return-value]
            except Exception:  # the exact parser below decides and explains
                pass
        return codec.exact(data)  # type: ignore[return-value]

    @classmethod
    def ocpp_field_table(cls) -> _rt.FieldTable:
        """The field table of this struct (what the exact parser and tolerances walk)."""
        return _table_of(cls)

    @classmethod
    def from_json(cls: type[M], text: str | bytes, *, tolerate: Iterable[Tolerance] = ()) -> M:
        """Parse and validate JSON text (``str`` or ``bytes``, UTF-8, -16 or -32);
        ``tolerate`` as in :meth:`from_dict`."""
        codec = cls._codec
        if codec is None:
            codec = _Codec.of(cls)  # gives the class its own compiled from_json, if it can
        if text.__class__ is str or text.__class__ is bytes:  # msgspec reads any buffer
            try:
                return codec.decode(text)  # type: ignore[return-value]
            except Exception:  # the general path decides and explains
                pass
        return _from_text(cls, text, tolerate)

    def to_dict(self) -> dict[str, JsonValue]:
        """The JSON payload: JSON names, unset optional fields left out.

        msgspec writes the payload of a type without "any JSON" values or vendor properties;
        any other is the exact dump's (the dataclass flavour's), which checks those values and
        the kind of every value: what no JSON text holds (NaN, a cycle, too deep or too long a
        value, a required property left unset) raises ValidationError at its path.
        """
        text = _fast_text(self)
        if text is not None:
            try:
                return msgspec.json.decode(text)  # type: ignore[no-any-return]
            except msgspec.MsgspecError:  # it reads no integer of 4300 digits (it writes them)
                pass  # the exact dump writes it
        return self._exact_dump()

    def _exact_dump(self) -> dict[str, JsonValue]:
        """The payload by the exact dump (the field tables): ValidationError at the place of
        a value of the wrong kind or one that is no JSON, with the version's codes."""
        before = set(_WITH_EXTRA) if _WITH_EXTRA else set()
        try:
            return cast(Any, _table_of(type(self))).dump(self)  # type: ignore[no-any-return]
        except ValidationError as exc:
            exc.dialect = self.ocpp_dialect
            raise
        except RecursionError:  # a typed value holding itself
            error = ValidationError("the value contains itself", "", ErrorKind.TYPE)
            error.dialect = self.ocpp_dialect
            raise error from None
        finally:
            if len(_WITH_EXTRA) != len(before):
                _forget_empty_extras(before)

    def to_json(self) -> str:
        """The JSON payload as compact text; ValidationError when it cannot be JSON (see
        :meth:`to_dict`)."""
        text = _fast_text(self)
        if text is not None:
            return text.decode()
        return _rt.json_text(self, self.ocpp_dialect)

    def validate(self) -> None:
        """Check an object built in code against its schema; raises ValidationError."""
        if _checked_text(self, self, 1) is None:  # the exact dump and parser explain it
            _codec_of(self.__class__).exact(self._exact_dump())  # not msgspec's convert,
            # which takes a Decimal set in code for a number (and the encoder writes text)


def _checked_text(message: OcppStruct, value: OcppStruct | list[Any], size: int) -> bytes | None:
    """msgspec's text of ``value`` (``message``, or a frame of ``size`` elements ending in it)
    when ``message`` passes its class's frame check (see ``_Codec.frame_check``: the complete
    check, or the kinds check and the read-back), else None: what it passes, the exact parser
    passes too."""
    if _WITH_EXTRA:
        return None
    check = _codec_of(message.__class__).frame_check(size)
    if not check:
        return None
    kinds, read = check
    try:
        sure = kinds is not None and kinds(message, False)
        text = _ENCODER.encode(value)
        if not sure:
            read(text)
    except Exception:  # the general path finds and explains the problem
        return None
    return text


def _fast_text(value: OcppStruct | list[Any]) -> bytes | None:
    """msgspec's JSON text of a message (or of a frame ending in one) when it is certainly
    the payload, else None: its type holds no "any JSON" value and is not recursive, no
    object has vendor properties, its date-times are ``datetime`` objects (msgspec would
    write text or a number set in code as it is; the exact dump refuses them, as the
    dataclass flavour's does), and the text holds no ``null``, which is how msgspec writes NaN
    and a required property set to None (no property of such a type may be null)."""
    if _WITH_EXTRA:
        return None
    message: OcppStruct = value[-1] if value.__class__ is list else value  # type: ignore[assignment]
    codec = _codec_of(message.__class__)
    if not codec.writes:
        return None
    try:
        if codec.kinds is not None:
            codec.kinds(message, False)
        text = _ENCODER.encode(value)
    except Exception:  # a lone surrogate, a long integer, a cycle, a kind: the general path
        return None
    return None if b"null" in text else text


def _codec_of(cls: type[OcppStruct]) -> _Codec:
    codec = cls._codec
    if codec is None:
        codec = _Codec.of(cls)
    return codec


def _forget_empty_extras(before: set[int]) -> None:
    """Unregister the open objects the exact dump registered (reading ``extra`` does) and
    found without extras, so that msgspec's encoder stays the fast path; an ``extra`` dict
    its caller may hold (one registered ``before``) is kept."""
    for key in _WITH_EXTRA.keys() - before:
        obj = _WITH_EXTRA[key]()
        if obj is not None and not obj.__dict__.get("_extra"):
            del obj.__dict__["_extra"]
            _WITH_EXTRA.pop(key, None)


_GENERIC_FROM_JSON: Callable[..., Any] = vars(OcppStruct)["from_json"].__func__
""":meth:`OcppStruct.from_json` itself: what a compiled ``from_json`` of a subclass falls back
to (and wraps)."""


class OpenStruct(OcppStruct, dict=True, weakref=True, gc=True):
    """Base of the objects whose schema allows additional properties (``CustomDataType``).

    msgspec's decoder refuses them (the base's ``forbid_unknown_fields``): the exact parser
    builds such an object and keeps them in :attr:`extra`; ``to_dict`` writes them back.
    (msgspec requires ``gc=True`` with ``dict=True``.)
    """

    @property
    def extra(self) -> dict[str, JsonValue]:
        """Additional (vendor) properties, kept as they are and written back by ``to_dict``."""
        found: dict[str, JsonValue] | None = self.__dict__.get("_extra")
        if found is None:
            found = self.__dict__["_extra"] = {}
            key = id(self)
            _WITH_EXTRA[key] = weakref.ref(self, lambda _: _WITH_EXTRA.pop(key, None))
        return found

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OpenStruct)
        mine, theirs = self.__dict__.get("_extra") or {}, other.__dict__.get("_extra") or {}
        return bool(msgspec.structs.astuple(self) == msgspec.structs.astuple(other)) and (
            mine == theirs
        )

    def __repr__(self) -> str:
        fields = super().__repr__()
        extra = self.__dict__.get("_extra")
        return f"{fields[:-1]}, extra={extra!r})" if extra else fields

    def __reduce__(self) -> tuple[Any, ...]:
        """``pickle`` and ``copy.deepcopy`` keep the additional properties (msgspec's own
        reduce gives the fields alone)."""
        extra = self.__dict__.get("_extra") or None
        return _rebuilt_open, (type(self), msgspec.structs.asdict(self), extra)


def _rebuilt_open(
    cls: type[OpenStruct], fields: dict[str, Any], extra: dict[str, JsonValue] | None
) -> OpenStruct:
    """An object of ``cls`` from what :meth:`OpenStruct.__reduce__` gave."""
    return cast(OpenStruct, _open_builder(cls)(extra, **fields))


_CALL_FRAME: msgspec.json.Decoder[tuple[int, str, str, msgspec.Raw]] = msgspec.json.Decoder(
    tuple[int, str, str, msgspec.Raw]
)
_RESULT_FRAME: msgspec.json.Decoder[tuple[int, str, msgspec.Raw]] = msgspec.json.Decoder(
    tuple[int, str, msgspec.Raw]
)


def load_frame(text: str | bytes) -> object:
    """An OCPP-J frame for the dispatcher, as ``load_json`` reads it, but a CALL's (or SEND's)
    and a CALLRESULT's payload stays JSON text (a ``msgspec.Raw``) that the message class's
    ``from_dict`` decodes with msgspec in one step. Any other frame, and anything msgspec
    does not read, is ``load_json``'s (the same frames and errors as every flavour), as is
    anything but ``str`` and ``bytes``."""
    if text.__class__ is not str and text.__class__ is not bytes:
        return load_json(text)
    head = text[:3]
    try:
        if head == "[2," or head == b"[2," or head == "[6," or head == b"[6,":
            return list(_CALL_FRAME.decode(text))
        if head == "[3," or head == b"[3,":
            return list(_RESULT_FRAME.decode(text))
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    return load_json(text)


def call_reader(cls: type[OcppStruct]) -> Callable[[str | bytes], tuple[Any, ...]]:
    """The dispatcher's one-pass reader of a CALL of ``cls``: its text to the frame as a
    tuple whose payload is already the request object (msgspec's decoder and the finisher
    in one compiled function), or *some* exception when it is not certainly valid (the
    unique id included: see ``_UNIQUE_ID``)."""
    return _codec_of(cls).reader(4)


call_head: Callable[[str | bytes], tuple[Any, ...]] = msgspec.json.Decoder(
    tuple[int, _UNIQUE_ID, str, msgspec.Raw]
).decode
"""The dispatcher's reader of a small CALL's head: message type, unique id (see
``_UNIQUE_ID``), action and the payload's text (``msgspec.Raw``), or *some* exception."""


def payload_reader(cls: type[OcppStruct]) -> Callable[[Any], OcppStruct]:
    """The dispatcher's reader of a request of ``cls`` from ``call_head``'s payload text: the
    object, or *some* exception (msgspec's decoder and the finisher in one function)."""
    return _codec_of(cls).decode


def result_writer(cls: type[OcppStruct]) -> Callable[[str, OcppStruct], str]:
    """``checked_frame([3, unique_id], response)``'s fast path for a response of ``cls``: the
    frame, or *some* exception (then ``checked_frame`` decides and explains)."""
    return _codec_of(cls).result_writer()


def _refuse(unique_id: str, message: OcppStruct) -> str:
    """A ``result_writer`` for the types whose frames ``checked_frame`` alone writes."""
    raise _Reject


def dump_frame(head: list[JsonValue], message: OcppStruct) -> str:
    """The frame ``head`` + the message's payload, as compact JSON text: written by msgspec's
    encoder in one step when it certainly is the payload (see ``to_json``), else the frame
    around ``to_json()``, which refuses what no JSON text holds, at its place."""
    text = _fast_text([*head, message])
    if text is not None:
        return text.decode()
    start = json.dumps(head, separators=(",", ":"), ensure_ascii=False)[:-1]
    return f"{start},{message.to_json()}]"


def checked_frame(head: list[JsonValue], message: OcppStruct) -> str:
    """``validate()`` and ``dump_frame`` in one: the frame encoded once, checked as
    ``validate()`` checks a message (see ``_Codec.frame_check``), and sent as those bytes; what
    that path does not pass is ``validate()``'s and ``dump_frame``'s."""
    text = _checked_text(message, [*head, message], len(head) + 1)
    if text is not None:
        return text.decode()
    message.validate()
    return dump_frame(head, message)


def _from_text(cls: type[M], text: str | bytes, tolerate: Iterable[Tolerance]) -> M:
    """``from_json``'s general path: the exact parser decides and explains (with the
    tolerances)."""
    try:
        data = load_json(text)
    except ValidationError as exc:
        exc.dialect = cls.ocpp_dialect
        raise
    try:
        return cls._strict(data)
    except ValidationError as error:
        return recover(cls, text, tolerate, error, is_text=True)


def extra_of(obj: object) -> dict[str, JsonValue]:
    """The additional properties of an object whose schema allows them (``customData``), as
    a dict the caller may change."""
    if not isinstance(obj, OpenStruct):
        raise TypeError(f"{type(obj).__name__} does not allow additional properties")
    return obj.extra


def json_names(cls: type[OcppStruct]) -> frozenset[str]:
    """The JSON names of the properties ``cls`` declares (additional properties aside)."""
    return frozenset(cls.__struct_encode_fields__)


def describe(
    cls: type[OcppStruct], fields: tuple[_rt.Field, ...], dialect: Dialect, extra: bool = False
) -> None:
    """Give ``cls`` its field table for the exact parser (the folder's ``tables.py`` calls
    this once per type). An open type's table builds the object and keeps its extras."""
    build: Callable[..., OcppStruct] = _open_builder(cls) if extra else cls
    fields = tuple(dataclasses.replace(f, parser=_as_msgspec_writes(f.parser)) for f in fields)
    cls._table = _rt.FieldTable(cast(Any, build), fields, dialect, extra)


class _DateTime(_rt.DateTime):
    """The exact parser's date-time, written as msgspec's encoder writes one (six fraction
    digits when there is a fraction), so that a payload reads the same whichever path wrote
    it."""

    def dump(self, value: datetime, path: _rt.Path = None) -> JsonValue:
        if not isinstance(value, datetime):
            return super().dump(value, path)  # the exact dump's error
        if value.__class__ is not datetime:  # a subclass (freezegun's): msgspec writes none
            value = datetime.combine(value.date(), value.timetz(), value.tzinfo)
        return _ENCODER.encode(value)[1:-1].decode()


def _as_msgspec_writes(parser: _rt.Parser[Any]) -> _rt.Parser[Any]:
    """``parser``, its date-times (at any depth of arrays) as :class:`_DateTime`."""
    if isinstance(parser, _rt.DateTime):
        return _DateTime()
    if isinstance(parser, _rt.ArrayOf):
        items = _as_msgspec_writes(parser.items)
        if items is not parser.items:
            return _rt.ArrayOf(items, parser.min_items, parser.max_items)
    return parser


def _open_builder(cls: type[OcppStruct]) -> Callable[..., OcppStruct]:
    def build(extra: dict[str, JsonValue] | None = None, **fields: Any) -> OcppStruct:
        obj = cls(**fields)
        if extra:
            extra_of(obj).update(extra)
        return obj

    return build


def _table_of(cls: type[OcppStruct]) -> _rt.FieldTable:
    """The field table of ``cls``, importing its folder's ``tables.py`` on first use; a
    subclass of a generated model (in the user's code) gets the model's fields, building
    objects of the subclass (msgspec decodes into it, as the exact parser then does)."""
    table: _rt.FieldTable | None = cls.__dict__.get("_table")
    if table is not None:
        return table
    model = _generated_model(cls)
    if model is cls:
        importlib.import_module(cls.__module__.rpartition(".")[0] + ".tables")
        table = cls.__dict__.get("_table")
    elif model is not None:
        base = _table_of(model)
        build: Callable[..., OcppStruct] = _open_builder(cls) if base.extra else cls
        table = cls._table = _rt.FieldTable(cast(Any, build), base.fields, base.dialect, base.extra)
    if table is None:
        raise TypeError(f"{cls.__qualname__} has no field table: it is not a generated model")
    return table


def _inherits_our_from_json(cls: type[OcppStruct]) -> bool:
    """Is the ``from_json`` that ``cls`` resolves to :meth:`OcppStruct.from_json` or one
    compiled for a base (not one of the user's, on ``cls``, a base or a mixin)?"""
    found = next(vars(k)["from_json"] for k in cls.__mro__ if "from_json" in vars(k))
    function = getattr(found, "__func__", None)
    return _GENERIC_FROM_JSON in (function, getattr(function, "__wrapped__", None))


def _generated_model(cls: type[OcppStruct]) -> type[OcppStruct] | None:
    """The generated model ``cls`` is or derives from: the class just before the version's
    base (the first to set ``ocpp_dialect``) in its method resolution order."""
    mro = cls.__mro__
    version_base = next((i for i, b in enumerate(mro) if "ocpp_dialect" in b.__dict__), 0)
    return mro[version_base - 1] if version_base > 0 else None


class _Codec:
    """What one model class decodes with: msgspec's decoder, the finishers, the exact table."""

    VALUE_CHECKS = 100
    """The most places in the schema (see :func:`_value_checks`) a type's complete check
    (``value_check``) is written for. Its cost grows with the fields an object declares, the
    read-back's with what the text holds: measured on every message's full example (arrays of
    one item), the check and the encoding took 0.5-0.9x the time of the kinds check, the
    encoding and the read-back, at up to 271 places; but a 2.1 SetChargingProfile of 96 periods
    (207 places; each period declares 15 optional fields, most of them absent) took 1.13x. The
    limit keeps the read-back for the large types, whose long arrays of sparse objects are
    where it wins."""

    def __init__(self, cls: type[OcppStruct]) -> None:
        self.cls = cls
        self.table = _table_of(cls)
        self.decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(cls)
        self.finish = _finisher(cls)
        """Run after msgspec's decoder or converter (None: nothing to do for this type);
        its second argument: every ``multipleOf`` certainly holds (see ``fine_numbers``)."""
        self.fine_numbers = _rt.finer_numbers(_multiple_steps(self.table, set()))
        """Does JSON text hold a number that may be finer than the coarsest decimal
        ``multipleOf`` step of the type (None: no such step, or one that is no power of
        ten)? When it does not, every number of the payload is a multiple of every step and
        the finisher skips those checks; text inside strings can only make it say yes (then
        the checks run)."""
        self.plain = not _holds_any_json(self.table, set())
        """No "any JSON" value at any depth: msgspec's encoder writes such an object's values
        as they are (it writes NaN as null, which is a value where any JSON is)."""
        self.writes = self.plain and not _recursive(cls) and _generated_model(cls) is cls
        """Can msgspec's text of an object be checked by ``kinds`` and the checks after it
        (see ``frame_check``)? (The kinds check is written for types without recursion; a
        subclass in user code may change what msgspec writes: its fields, its struct options
        such as ``omit_defaults`` or ``array_like``, so the exact dump writes it.)"""
        self.kinds: Callable[[Any, bool], None] | None = (
            _KindCheckWriter().compile(self.table, cls.__name__) if self.writes else None
        )
        """Raises at the first date-time that is no ``datetime`` object or string that is no
        ``str`` (None: nothing to check, or no fast text: see ``writes``)."""
        self.decode: Callable[[Any], OcppStruct] = _FinishWriter().reader(
            self.table, cls.__name__, self.decoder.decode, self.fine_numbers
        )
        """The fast path from JSON text: the object, or *some* exception (explaining nothing):
        msgspec's decoder and the finisher in one compiled function."""
        self._readers: dict[int, Callable[[Any], tuple[Any, ...]]] = {}
        self._checks: dict[int, _FrameCheck | Literal[False]] = {}
        self._writer: Callable[[str, OcppStruct], str] | None = None
        self._values: Callable[[Any, bool], bool] | Literal[False] | None = None

    def reader(self, size: int) -> Callable[[Any], tuple[Any, ...]]:
        """The fast path from the JSON text of a whole frame of ``size`` elements ending in
        this class's payload (a CALL: message type, unique id, action, payload; a CALLRESULT:
        without action): the frame as a tuple, or *some* exception."""
        read = self._readers.get(size)
        if read is None:
            decoder = msgspec.json.Decoder(_frame_type(size, self.cls))
            read = _FinishWriter().reader(
                self.table, self.cls.__name__, decoder.decode, self.fine_numbers, frame=True
            )
            self._readers[size] = read
        return read

    def frame_check(self, size: int) -> _FrameCheck | Literal[False]:
        """What checks a message of this class, and msgspec's own text of a frame of ``size``
        elements ending in it (1: the payload alone), each raising *some* exception when it is
        not valid (the first may be None: nothing to check); or False when there is no such
        check: the encoder's text may not be the payload ("any JSON" values), or the type is
        recursive (the kinds check is written for types without).

        A compiled check first makes sure that the message's date-times are ``datetime``
        objects and its strings ``str`` (what else is set in code is written as it is). Where
        msgspec checks all a type needs (no ``multipleOf``), the text is then read into
        :func:`_checking_type`'s structs, its date-times by msgspec itself, which is exact for
        its encoder's RFC 3339; else it is read back as a received frame is. A type with a
        ``value_check`` is checked by it instead, and its text read back only when the check
        is not sure (a date-time not in UTC). Made once per size."""
        check = self._checks.get(size)
        if check is None:
            check = self._checks[size] = self._frame_check(size)
        return check

    def _frame_check(self, size: int) -> _FrameCheck | Literal[False]:
        if not self.writes:
            return False
        if _multiple_steps(self.table, set()):
            return self.kinds, (self.reader(size) if size > 1 else self.decode)
        decode = msgspec.json.Decoder(_frame_type(size, _checking_type(self.cls))).decode
        return self.value_check() or self.kinds, decode

    def value_check(self) -> Callable[[Any, bool], bool] | None:
        """The complete check of a message of this class (see :class:`_ValueCheckWriter`), for
        types with at most ``VALUE_CHECKS`` places to check (None for others), written once."""
        if self._values is None:
            count = _value_checks(self.table, set()) if self.writes else None
            self._values = False
            if count is not None and count <= self.VALUE_CHECKS:
                self._values = _ValueCheckWriter().checker(self.table, self.cls.__name__)
        return self._values or None

    def result_writer(self) -> Callable[[str, OcppStruct], str]:
        """``checked_frame([3, unique_id], message)``'s fast path for this class, in one
        compiled function (see :func:`result_writer`), written once."""
        if self._writer is None:
            check, name = self.frame_check(3), self.cls.__name__
            self._writer = _refuse
            if check:
                writer = _ValueCheckWriter() if self.value_check() else _KindCheckWriter()
                self._writer = writer.result_writer(self.table, name, check[1])
        return self._writer

    @staticmethod
    def of(cls: type[OcppStruct]) -> _Codec:
        codec: _Codec | None = cls.__dict__.get("_codec")
        if codec is None:
            codec = _Codec(cls)
            cls._codec = codec
            if _inherits_our_from_json(cls):  # a from_json of the user's own stays
                from_json = _FinishWriter().json_reader(cls, codec)
                setattr(cls, "from_json", classmethod(from_json))  # noqa: B010
        return codec

    def convert(self, data: object) -> OcppStruct:
        """The fast path from Python objects: the object, or *some* exception."""
        _ENCODER.encode(data)  # refuses what has no JSON text: lone surrogates, long integers
        obj = msgspec.convert(data, self.cls)
        if self.finish is not None:
            self.finish(obj, False)
        return obj

    def exact(self, data: object) -> OcppStruct:
        """The dataclass flavour's exact parser: the object, or its ValidationError."""
        table = self.table
        try:
            return cast(OcppStruct, table.parse(data, None))
        except ValidationError as exc:
            exc.dialect = table.dialect
            raise exc from None


_CHECKING: dict[type, type] = {}
_AWARE = Annotated[datetime, msgspec.Meta(tz=True)]


def _checking_type(cls: type[OcppStruct]) -> type:
    """A struct type that checks what ``cls`` holds when msgspec's encoder wrote it: the same
    fields, JSON names and constraints, date-times read by msgspec as timezone-aware
    ``datetime`` (the text is the encoder's, RFC 3339, so its reading is exact), no extras
    (the caller has none), and no cycle collection (what it reads is a tree, thrown away)."""
    found = _CHECKING.get(cls)
    if found is None:
        table = _table_of(cls)
        dates = {f.attr for f in table.fields if isinstance(_innermost(f.parser), _rt.DateTime)}
        fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        for info in msgspec.structs.fields(cls):
            kind = _checking_field(info.type, info.name in dates)
            fields.append((info.name, kind) if info.required else (info.name, kind, info.default))
        names = dict(zip(cls.__struct_fields__, cls.__struct_encode_fields__, strict=True))
        found = msgspec.defstruct(
            f"Checking{cls.__name__}", fields, forbid_unknown_fields=True, gc=False, rename=names
        )
        _CHECKING[cls] = found
    return found


def _checking_field(kind: Any, date_time: bool) -> Any:
    """A field type of :func:`_checking_type`: ``kind`` with structs as their checking types
    and, for a date-time field, its text as an aware ``datetime``."""
    origin = typing.get_origin(kind)
    if origin is Annotated:
        inner, *meta = typing.get_args(kind)
        arguments = (_checking_field(inner, date_time), *meta)
        return cast(Any, Annotated)[arguments]
    if origin is list:
        return list[_checking_field(typing.get_args(kind)[0], date_time)]  # type: ignore[misc]
    if origin is typing.Union or origin is types.UnionType:
        members = tuple(_checking_field(a, date_time) for a in typing.get_args(kind))
        return typing.Union[members]  # noqa: UP007 (built, not written)
    if isinstance(kind, type) and issubclass(kind, OcppStruct):
        return _checking_type(kind)
    return _AWARE if date_time and kind is str else kind


def _frame_type(size: int, payload: type) -> Any:
    """The type of a frame of ``size`` elements ending in a ``payload``: a CALL's is message
    type, unique id, action and payload; a CALLRESULT's has no action (1: the payload)."""
    if size == 1:
        return payload
    head = (int, _UNIQUE_ID, str)[: size - 1]
    return tuple.__class_getitem__((*head, payload))


def _innermost(parser: _rt.Parser[Any]) -> _rt.Parser[Any]:
    """The parser of the values of ``parser``'s (nested) arrays, or ``parser``."""
    while isinstance(parser, _rt.ArrayOf):
        parser = parser.items
    return parser


def _recursive(cls: type[OcppStruct]) -> bool:
    """Does a value of ``cls`` hold, at any depth, a value of a type that holds itself?"""
    table = _table_of(cls)
    return _reaches(table, table, set()) or any(
        _recursive(p.cls)
        for p in (_innermost(f.parser) for f in table.fields)
        if isinstance(p, _rt.ObjectOf) and p.cls is not cls
    )


_FINISHERS: dict[type, Callable[[Any, bool], None] | None] = {}
_COMPILING: set[type] = set()
_SOURCES: dict[type, str] = {}


def finisher_source(cls: type[OcppStruct]) -> str:
    """The compiled finisher's source for ``cls`` (empty when it needs none; for the curious)."""
    _finisher(cls)
    return _SOURCES.get(cls, "")


def _finisher(cls: type[OcppStruct]) -> Callable[[Any, bool], None] | None:
    """The compiled finisher of ``cls`` (None when its values need no finishing)."""
    if cls not in _FINISHERS:
        if cls in _COMPILING:  # a recursive type: call back once it is compiled
            return lambda obj, fine: cast(Callable[[Any, bool], None], _FINISHERS[cls])(obj, fine)
        _COMPILING.add(cls)
        try:
            writer = _FinishWriter()
            _FINISHERS[cls] = writer.compile(_table_of(cls), cls.__name__)
            if writer.source:
                _SOURCES[cls] = writer.source
        finally:
            _COMPILING.discard(cls)
    return _FINISHERS[cls]


def _holds_any_json(table: _rt.FieldTable, seen: set[int]) -> bool:
    """Does a value of ``table``'s type hold, at any depth, an "any JSON" value?"""
    seen.add(id(table))
    for f in table.fields:
        parser = f.parser
        while isinstance(parser, _rt.ArrayOf):
            parser = parser.items
        if isinstance(parser, _rt.AnyJson):
            return True
        if isinstance(parser, _rt.ObjectOf):
            inner = _table_of(parser.cls)
            if id(inner) not in seen and _holds_any_json(inner, seen):
                return True
    return False


def _multiple_steps(table: _rt.FieldTable, seen: set[int]) -> set[str]:
    """The ``multipleOf`` steps (as written) of the numbers a value of ``table``'s type holds,
    at any depth."""
    seen.add(id(table))
    found: set[str] = set()
    for f in table.fields:
        parser = f.parser
        while isinstance(parser, _rt.ArrayOf):
            parser = parser.items
        if isinstance(parser, _rt.Number) and parser.multiple_of_text is not None:
            found.add(parser.multiple_of_text)
        elif isinstance(parser, _rt.ObjectOf):
            inner = _table_of(parser.cls)
            if id(inner) not in seen:
                found |= _multiple_steps(inner, seen)
    return found


_CHECKED_KINDS = (_rt.String, _rt.DateTime, _rt.Integer, _rt.Number, _rt.Boolean, _rt.EnumOf)


def _value_checks(table: _rt.FieldTable, seen: set[int]) -> int | None:
    """How many places of the schema :class:`_ValueCheckWriter` checks in a message of
    ``table``'s type (fields, and an array's items once), or None when it cannot check them
    all: "any JSON" values, ``multipleOf``, a recursive type."""
    if id(table) in seen:
        return None
    seen.add(id(table))
    count = 0
    for f in table.fields:
        parser = f.parser
        while isinstance(parser, _rt.ArrayOf):
            parser, count = parser.items, count + 1
        if isinstance(parser, _rt.ObjectOf):
            inner = _value_checks(_table_of(parser.cls), seen)
            if inner is None:
                return None
            count += 1 + inner
        elif not isinstance(parser, _CHECKED_KINDS) or (
            isinstance(parser, _rt._Numeric) and parser.multiple_of is not None
        ):
            return None
        else:
            count += 1
    seen.discard(id(table))
    return count


def _reaches(table: _rt.FieldTable, target: _rt.FieldTable, seen: set[int]) -> bool:
    """Does a value of ``table``'s type hold, at any depth, one of ``target``'s?"""
    for f in table.fields:
        parser = f.parser
        while isinstance(parser, _rt.ArrayOf):
            parser = parser.items
        if isinstance(parser, _rt.ObjectOf):
            inner = _table_of(parser.cls)
            if inner is target:
                return True
            if id(inner) not in seen:
                seen.add(id(inner))
                if _reaches(inner, target, seen):
                    return True
    return False


_FrameCheck = tuple[Callable[[Any, bool], bool | None] | None, Callable[[bytes], object]]
"""The fast checks of a message and of its frame's text (see ``_Codec.frame_check``): the
second is skipped when the first returns True."""


class _FinishWriter:
    """Writes the Python source of one type's finisher and compiles it.

    The finisher takes a struct tree fresh from msgspec, parses its date-time texts, checks
    its ``multipleOf`` numbers and its "any JSON" values, and raises on anything the exact
    parser must decide. Subtrees with nothing to do are not visited;
    nested structs are finished inline up to ``INLINE_DEPTH`` levels (a call costs as much as
    a few checks).
    """

    INLINE_DEPTH = 3

    def __init__(self) -> None:
        self.names: dict[str, object] = {
            "_Reject": _Reject,
            "UNSET": UNSET,
            "_rfc3339": _rt._RFC3339_SHAPE.fullmatch,
            "_fromisoformat": datetime.fromisoformat,
            "_date_time": _rt._fast_datetime,
            "_any": _rt.AnyJson().parse,
            "_is_multiple": _rt._is_multiple,
        }
        self.helpers: list[str] = []
        self.counter = 0
        self.source = ""
        self.guarded = False
        """Are the lines being written inside an ``if not fine:`` already?"""
        self.uses_fine = False
        """Do the lines written so far read ``fine``?"""

    def compile(self, table: _rt.FieldTable, name: str) -> Callable[[Any, bool], None] | None:
        if not self.finishes(table):
            return None
        body = self.object_lines(table, "o", "    ", 0)
        self.source = "\n".join([*self.helpers, "def finish(o, fine):", *body]) + "\n"
        label = f"<{__name__} finisher of {name}>"
        exec(compile(self.source, label, "exec"), self.names)  # our own source, see above
        return cast(Callable[[Any, bool], None], self.names["finish"])

    def reader(
        self,
        table: _rt.FieldTable,
        name: str,
        decode: Callable[[Any], Any],
        finer: Callable[[Any], bool] | None,
        frame: bool = False,
    ) -> Callable[[Any], Any]:
        """msgspec's ``decode`` and the finishing of ``table``'s type in one compiled function
        of the JSON text (``finer``: see ``_Codec.fine_numbers``). It returns the object, or
        with ``frame`` the frame (a tuple) ``decode`` reads, its last item finished."""
        if not self.finishes(table):
            return decode
        self.names["_decode"], self.names["_finer"] = decode, finer
        lines = self.read_lines(table, finer, "    ", frame)
        self.source = "\n".join([*self.helpers, "def read(text):", *lines]) + "\n"
        label = f"<{__name__} reader of {name}>"
        exec(compile(self.source, label, "exec"), self.names)  # our own source, see above
        return cast(Callable[[Any], Any], self.names["read"])

    def read_lines(
        self, table: _rt.FieldTable, finer: Callable[[Any], bool] | None, pad: str, frame: bool
    ) -> list[str]:
        """Lines at ``pad`` that read the JSON text in ``text`` with ``_decode``, finish what
        it holds and return the object (with ``frame``: the frame, its last item finished)."""
        decoded = [f"{pad}f = _decode(text)", f"{pad}o = f[-1]"]
        start = decoded if frame else [f"{pad}o = _decode(text)"]
        body = self.object_lines(table, "o", pad, 0)
        if self.uses_fine:
            start.append(f"{pad}fine = {'False' if finer is None else 'not _finer(text)'}")
        return [*start, *body, f"{pad}return {'f' if frame else 'o'}"]

    def json_reader(self, cls: type[OcppStruct], codec: _Codec) -> Callable[..., Any]:
        """``cls.from_json`` in one compiled function, msgspec's decoder and the finishing
        inline (a Python call less than ``codec.decode``'s; the general path on any
        refusal). A subclass that inherits it gets :meth:`OcppStruct.from_json`, which gives
        it one of its own."""
        table, pad = codec.table, " " * 12
        self.names.update(
            _cls=cls,
            _decode=codec.decoder.decode,
            _finer=codec.fine_numbers,
            _general=_from_text,
            _generic=_GENERIC_FROM_JSON,
        )
        if self.finishes(table):
            read = self.read_lines(table, codec.fine_numbers, pad, frame=False)
        else:
            read = [f"{pad}return _decode(text)"]
        lines = [
            "def from_json(cls, text, *, tolerate=()):",
            "    if cls is _cls and (text.__class__ is str or text.__class__ is bytes):",
            "        try:",
            *read,
            "        except Exception:  # the general path decides and explains",
            "            pass",
            "        return _general(cls, text, tolerate)",
            "    return _generic(cls, text, tolerate=tolerate)  # a subclass's, or other text",
        ]
        self.source = "\n".join([*self.helpers, *lines]) + "\n"
        exec(compile(self.source, f"<{__name__} from_json of {cls.__name__}>", "exec"), self.names)
        compiled = cast(Callable[..., Any], self.names["from_json"])
        return functools.update_wrapper(compiled, _GENERIC_FROM_JSON)

    def finishes(self, table: _rt.FieldTable) -> bool:
        """Does an object of ``table``'s type have anything to finish?"""
        return any(self.needs(f.parser, set()) for f in table.fields)

    def needs(self, parser: _rt.Parser[Any], seen: set[int], multiples: bool = True) -> bool:
        """Does a value of ``parser`` need finishing? (``seen``: the tables being visited;
        ``multiples``: do ``multipleOf`` checks count?)"""
        if isinstance(parser, _rt.DateTime):
            return True
        if isinstance(parser, _rt.Number):
            return multiples and parser.multiple_of_text is not None
        if isinstance(parser, _rt.AnyJson):
            return True
        if isinstance(parser, _rt.ArrayOf):
            return self.needs(parser.items, seen, multiples)
        if isinstance(parser, _rt.ObjectOf):
            table = _table_of(parser.cls)
            if id(table) in seen:
                return True  # recursive: its own finisher decides
            seen.add(id(table))
            try:
                return any(self.needs(f.parser, seen, multiples) for f in table.fields)
            finally:
                seen.discard(id(table))
        return False

    def fresh(self, hint: str) -> str:
        self.counter += 1
        return f"{hint}{self.counter}"

    def ref(self, value: object, hint: str) -> str:
        name = self.fresh(hint)
        self.names[name] = value
        return name

    def object_lines(self, table: _rt.FieldTable, var: str, pad: str, depth: int) -> list[str]:
        """Lines that finish the struct in ``var`` (its fields with something to do)."""
        lines: list[str] = []
        for f in table.fields:
            if not self.needs(f.parser, set()):
                continue
            if not self.guarded and not self.needs(f.parser, set(), multiples=False):
                lines.append(f"{pad}if not fine:")  # multipleOf checks only: skipped if fine
                self.uses_fine = True
                self.guarded = True
                lines += self.field_lines(f, var, pad + "    ", depth)
                self.guarded = False
            else:
                lines += self.field_lines(f, var, pad, depth)
        return lines or [f"{pad}pass"]

    def field_lines(self, f: _rt.Field, var: str, pad: str, depth: int) -> list[str]:
        """Lines that finish the field ``f`` of the struct in ``var``."""
        lines: list[str] = []
        value = self.fresh("v")
        target = f"{var}.{f.attr}"
        lines.append(f"{pad}{value} = {target}")
        if f.required:
            return lines + self.value_lines(f.parser, value, target, pad, depth)
        absent = "UNSET" if isinstance(f.parser, _rt.AnyJson) else "None"
        lines.append(f"{pad}if {value} is not {absent}:")
        lines += self.value_lines(f.parser, value, target, pad + "    ", depth)
        return lines

    def value_lines(
        self, parser: _rt.Parser[Any], var: str, target: str, pad: str, depth: int
    ) -> list[str]:
        """Lines that finish the value in ``var``, storing a converted one into ``target``."""
        if isinstance(parser, _rt.DateTime):
            if not _rt._ISO_READS_RFC3339:  # Python 3.10: the exact parser's date-times
                return [f"{pad}{target} = _date_time({var})"]
            return _rt.date_time_lines(var, target, pad)
        if isinstance(parser, _rt.Number):
            return [f"{pad}if {self.not_multiple(parser, var)}:", f"{pad}    raise _Reject"]
        if isinstance(parser, _rt.AnyJson):
            return [f"{pad}_any({var}, None)"]
        if isinstance(parser, _rt.ObjectOf):
            table = _table_of(parser.cls)
            if depth < self.INLINE_DEPTH and not _reaches(table, table, set()):
                return self.object_lines(table, var, pad, depth + 1)  # not recursive: inline
            finish = _finisher(parser.cls)
            self.uses_fine = True
            return [f"{pad}{self.ref(finish, '_finish')}({var}, fine)"]
        assert isinstance(parser, _rt.ArrayOf), parser
        item = self.fresh("x")
        if self.converts(parser.items):
            convert = self.converter(parser.items)
            return [f"{pad}{target} = [{convert}({item}) for {item} in {var}]"]
        return [
            f"{pad}for {item} in {var}:",
            *self.value_lines(parser.items, item, item, pad + "    ", depth),
        ]

    def not_multiple(self, parser: _rt.Number, var: str) -> str:
        """A test that is true unless ``var`` is certainly a multiple of the step.

        For a step ``10**-k``: ``var`` is the float nearest to the decimal ``n / 10**k`` for an
        integer ``n`` (true division of integers is correctly rounded), so its shortest text
        has at most ``k`` decimals: a multiple. Very large numbers may fail the test; the
        exact check (``Fraction``) decides those.
        """
        assert parser.multiple_of_text is not None
        places = _rt._decimal_places(parser.multiple_of_text)
        if places is None:
            return f"not _is_multiple({var}, {self.ref(parser.multiple_of, '_step')})"
        scale = 10**places
        return f"round({var} * {scale}) / {scale} != {var}"

    def converts(self, parser: _rt.Parser[Any]) -> bool:
        """Is the finished value another object than the decoded one (a date-time)?"""
        if isinstance(parser, _rt.ArrayOf):
            return self.converts(parser.items)
        return isinstance(parser, _rt.DateTime)

    def converter(self, parser: _rt.Parser[Any]) -> str:
        """A helper function that finishes one value and returns it."""
        name = self.fresh("_convert")
        self.helpers += [
            f"def {name}(x):",
            *self.value_lines(parser, "x", "x", "    ", self.INLINE_DEPTH),
            "    return x",
            "",
        ]
        return name


class _KindCheckWriter(_FinishWriter):
    """Writes a check that the date-times of a message built in code are ``datetime`` objects
    and its strings ``str`` objects (raising ``_Reject`` at the first that is not: msgspec's
    encoder writes text, a number, a ``date`` or ``bytes`` set there as JSON its read-back
    takes), visiting only the fields that can hold one; for types without recursion (a check
    per type, every nested one inline)."""

    INLINE_DEPTH = sys.maxsize
    START: tuple[str, ...] = ()
    """The result writer's first lines."""
    READ: tuple[str, ...] = ("    _read(text)",)
    """The result writer's lines after the encoding: the read-back of msgspec's text."""

    def __init__(self) -> None:
        super().__init__()
        self.names["_datetime"] = datetime

    def needs(self, parser: _rt.Parser[Any], seen: set[int], multiples: bool = False) -> bool:
        return isinstance(parser, _rt.String) or super().needs(parser, seen, multiples=False)

    def result_writer(
        self, table: _rt.FieldTable, name: str, read: Callable[[bytes], object]
    ) -> Callable[[str, OcppStruct], str]:
        """A CALLRESULT's frame of a message of ``table``'s type, checked, in one function:
        ``(unique_id, message)`` to the text, or *some* exception. The check is this writer's
        kinds check inline and ``read`` of the text msgspec wrote (see ``_Codec.frame_check``);
        objects with vendor properties are refused (``checked_frame`` writes those)."""
        checks = self.object_lines(table, "o", "    ", 0)
        assert not self.uses_fine, name  # kinds checks have no multipleOf lines to skip
        self.names.update(_encode=_ENCODER.encode, _read=read, _with_extra=_WITH_EXTRA)
        lines = ["def write(unique_id, o):", "    if _with_extra:", "        raise _Reject"]
        lines += [*self.START, *checks, "    text = _encode((3, unique_id, o))", *self.READ]
        self.source = "\n".join([*self.helpers, *lines, "    return text.decode()"]) + "\n"
        label = f"<{__name__} result writer of {name}>"
        exec(compile(self.source, label, "exec"), self.names)  # our own source, see above
        return cast(Callable[[str, OcppStruct], str], self.names["write"])

    def converts(self, parser: _rt.Parser[Any]) -> bool:
        return False

    def value_lines(
        self, parser: _rt.Parser[Any], var: str, target: str, pad: str, depth: int
    ) -> list[str]:
        if isinstance(parser, _rt.DateTime):
            return [f"{pad}if {var}.__class__ is not _datetime:", f"{pad}    raise _Reject"]
        if isinstance(parser, _rt.String):  # a subclass of str: the exact dump decides
            return [f"{pad}if {var}.__class__ is not str:", f"{pad}    raise _Reject"]
        return super().value_lines(parser, var, target, pad, depth)


class _ValueCheckWriter(_KindCheckWriter):
    """Writes a complete check of a message built in code, for the small types whose every
    constraint it can test on the objects themselves (see :func:`_value_checks`): it returns
    True when the message is certainly valid (msgspec's text of it needs no read-back), False
    when a date-time is not in UTC (the read-back decides), and raises ``_Reject`` at the
    first value it does not pass (the general path decides and explains). Only classes are
    compared (a subclass, of ``str`` or of a struct, is the general path's)."""

    START = ("    sure = True",)
    READ = ("    if not sure:", "        _read(text)")

    def __init__(self) -> None:
        super().__init__()
        self.names["_utc"] = timezone.utc

    def needs(self, parser: _rt.Parser[Any], seen: set[int], multiples: bool = False) -> bool:
        return True

    def checker(self, table: _rt.FieldTable, name: str) -> Callable[[Any, bool], bool]:
        """The check of a message of ``table``'s type, compiled."""
        body = self.object_lines(table, "o", "    ", 0)
        lines = ["def check(o, fine):", *self.START, *body, "    return sure"]
        self.source = "\n".join([*self.helpers, *lines]) + "\n"
        label = f"<{__name__} value check of {name}>"
        exec(compile(self.source, label, "exec"), self.names)  # our own source, see above
        return cast(Callable[[Any, bool], bool], self.names["check"])

    def value_lines(
        self, parser: _rt.Parser[Any], var: str, target: str, pad: str, depth: int
    ) -> list[str]:
        refuse = f"{pad}    raise _Reject"
        if isinstance(parser, _rt.Number):  # a float within the bounds (so finite), or an int
            floats = _bounds(var, parser.minimum, parser.maximum, -_MAX_FLOAT, _MAX_FLOAT)
            ints = _bounds(var, parser.minimum, parser.maximum, _INT64, -_INT64 - 1)
            return [
                f"{pad}if {var}.__class__ is not float or not {floats}:",
                f"{pad}    if {var}.__class__ is not int or not {ints}:",
                f"    {refuse}",
            ]
        test = f"{var}.__class__ is not {self.kind_of(parser)}"
        if isinstance(parser, _rt.Integer):
            test += f" or not {_bounds(var, parser.minimum, parser.maximum, _INT64, -_INT64 - 1)}"
        elif isinstance(parser, _rt.String):
            test += _length_test(var, parser.min_length, parser.max_length)
        elif isinstance(parser, _rt.ArrayOf):
            test += _length_test(var, parser.min_items, parser.max_items)
        lines = [f"{pad}if {test}:", refuse]
        if isinstance(parser, _rt.DateTime):
            lines += [f"{pad}if {var}.tzinfo is not _utc:", f"{pad}    sure = False"]
        elif isinstance(parser, _rt.ObjectOf):
            lines += self.object_lines(_table_of(parser.cls), var, pad, depth + 1)
        elif isinstance(parser, _rt.ArrayOf):
            item = self.fresh("x")
            lines += [
                f"{pad}for {item} in {var}:",
                *self.value_lines(parser.items, item, item, pad + "    ", depth),
            ]
        return lines

    def kind_of(self, parser: _rt.Parser[Any]) -> str:
        """The name of the one class a value of ``parser`` may have."""
        if isinstance(parser, _rt.DateTime):
            return "_datetime"
        if isinstance(parser, _rt.EnumOf):
            return self.ref(parser.enum, "_enum")
        if isinstance(parser, _rt.ObjectOf):
            return self.ref(parser.cls, "_struct")
        kinds = {_rt.String: "str", _rt.Integer: "int", _rt.Boolean: "bool", _rt.ArrayOf: "list"}
        return next(name for kind, name in kinds.items() if isinstance(parser, kind))


def _bounds(var: str, low: float | None, high: float | None, least: float, most: float) -> str:
    """A chained comparison that holds when ``var`` is within the bounds and within
    ``least``..``most`` (what else the value's kind allows)."""
    low = least if low is None else max(low, least)
    high = most if high is None else min(high, most)
    return f"{low!r} <= {var} <= {high!r}"


def _length_test(var: str, least: int | None, most: int | None) -> str:
    """`` or ...`` tests that hold when ``len(var)`` is outside the bounds (or nothing)."""
    tests = ([f" or len({var}) < {least}"] if least is not None else []) + (
        [f" or len({var}) > {most}"] if most is not None else []
    )
    return "".join(tests)
