"""Validation and JSON (de)serialisation shared by every generated message class.

Generated modules hold the dataclasses and, for each, a table of field specs; this module
walks those tables. Paths are built lazily (a ``(parent, key)`` chain) and rendered only when
a payload is rejected.

Speed: on first use, each table is also compiled into one specialised Python function for
parsing and one for dumping (``_FastParse``, ``_FastDump``; see ``fast_source(cls)``). The
fast parser checks every constraint but explains nothing: on any doubt it raises, and the
table walk above decides and gives the exact error. Property tests hold the two to agree.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta, timezone
from enum import Enum
from fractions import Fraction
from typing import Any, ClassVar, Generic, NoReturn, Protocol, TypeVar, Union

JsonValue = Union[  # noqa: UP007 - a string forward reference cannot use | at run time
    None, bool, int, float, str, list["JsonValue"], dict[str, "JsonValue"]
]
"""Any JSON value, as ``json.loads`` returns it."""

Path = Union[None, tuple["Path", Union[str, int]]]  # noqa: UP007
"""Where a value sits in a payload: ``None`` for the root, else ``(parent, key)``."""

T = TypeVar("T")
M = TypeVar("M", bound="Model")
E = TypeVar("E", bound=Enum)


class Unset(Enum):
    """Marks a field that may hold any JSON value (``null`` included) as absent."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET


class ErrorKind(Enum):
    """Which OCPP-J error code a validation failure maps to."""

    FORMAT = "format"
    """Malformed JSON or a property the schema does not allow."""
    OCCURRENCE = "occurrence"
    """A required property is missing, or an array has too few or too many items."""
    TYPE = "type"
    """A value of the wrong JSON type, or a malformed date-time."""
    PROPERTY = "property"
    """A value outside its enum, length, range or multipleOf."""


@dataclass(frozen=True)
class EnumRepairs:
    """The version's curated enum tables for the tolerances (``[tolerances]`` of its
    ``ocppgen.toml``), by enum class name and JSON value."""

    catch_all: Mapping[str, str] = field(default_factory=dict)
    """Enum -> the member that stands for any other value."""
    aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Enum -> another spelling -> the member it means."""
    defaulted: frozenset[str] = frozenset()
    """Enums whose absence means a default value: an unknown value is never dropped."""


@dataclass(frozen=True)
class Dialect:
    """An OCPP version's spelling of the error codes for each :class:`ErrorKind` (and its
    curated enum tables for the tolerances)."""

    name: str
    codes: Mapping[ErrorKind, str]
    repairs: EnumRepairs = EnumRepairs()
    """The version's curated enum tables for the tolerances."""


class ValidationError(ValueError):
    """A payload does not conform to its schema.

    ``path`` locates the offending value (``meterValue[0].sampledValue[2].measurand``, empty
    for the payload itself); ``ocpp_error_code`` is the OCPP-J error code to answer with, in
    the spelling of the message's OCPP version.
    """

    def __init__(self, message: str, path: str, kind: ErrorKind) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.kind = kind
        self.dialect: Dialect | None = None
        self.keys: tuple[str | int, ...] = ()
        """The keys of ``path`` from the payload down (as :func:`fail` knows them), for
        flavours that place the error inside a value themselves."""

    @property
    def ocpp_error_code(self) -> str:
        """The OCPP-J error code (OCPP 2.x spelling when no version is known)."""
        if self.dialect is None:
            return _DEFAULT_CODES[self.kind]
        return self.dialect.codes[self.kind]

    def __str__(self) -> str:
        """One line, whatever the payload held: control characters of the path (property
        names come from the payload) are escaped; messages quote values with ``repr``."""
        return f"{printable(self.path) or '<payload>'}: {self.message}"


def printable(text: str) -> str:
    """``text`` as it is when it prints on one line, else escaped as ``repr`` does (for logs
    and error texts that show what a peer sent)."""
    return text if text.isprintable() else repr(text)[1:-1]


_DEFAULT_CODES = {
    ErrorKind.FORMAT: "FormatViolation",
    ErrorKind.OCCURRENCE: "OccurrenceConstraintViolation",
    ErrorKind.TYPE: "TypeConstraintViolation",
    ErrorKind.PROPERTY: "PropertyConstraintViolation",
}


def path_keys(path: Path) -> tuple[str | int, ...]:
    """``(((None, "a"), 0), "b")`` -> ``("a", 0, "b")``."""
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    return tuple(reversed(keys))


def render_keys(keys: Iterable[str | int]) -> str:
    """``("a", 0, "b")`` -> ``a[0].b``."""
    out = ""
    for key in keys:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else key
    return out


def render_path(path: Path) -> str:
    """``(((None, "a"), 0), "b")`` -> ``a[0].b``."""
    return render_keys(path_keys(path))


def fail(message: str, path: Path, kind: ErrorKind) -> ValidationError:
    """Build the error for a value at ``path``."""
    keys = path_keys(path)
    error = ValidationError(message, render_keys(keys), kind)
    error.keys = keys
    return error


MAX_INTEGER_DIGITS = 4300
"""The most decimal digits an integer may have: Python's default limit for converting between
int and text (``sys.get_int_max_str_digits``), which ``json`` (both ways) and pydantic's JSON
parser enforce. A longer integer is refused by ``from_dict`` as by ``from_json``."""
INTEGER_LIMIT: int = 10**MAX_INTEGER_DIGITS
"""Integers lie strictly between ``-INTEGER_LIMIT`` and ``INTEGER_LIMIT``."""
_SMALL = 2**30 - 1
"""The largest int CPython compares by its specialised fast path (one 30-bit digit): ints
this small are within the limit, and checked so first (comparing with ``INTEGER_LIMIT``, a
477-digit int, is several times slower)."""
ANY_JSON_MAX_DEPTH = 64
"""How many arrays and objects an "any JSON value" (DataTransfer ``data``, the vendor
properties of ``customData``) may nest; the typed part of a payload nests as its schema says."""


class LongInteger:
    """An integer literal of more than :data:`MAX_INTEGER_DIGITS` digits, as :func:`load_json`
    reads it: the parsers refuse it at its place, as they refuse such an ``int``."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"<integer of {len(self.text.lstrip('-'))} digits>"


def _too_long(path: Path) -> ValidationError:
    message = f"an integer of more than {MAX_INTEGER_DIGITS} digits"
    return fail(message, path, ErrorKind.PROPERTY)


_SURROGATE = re.compile("[\ud800-\udfff]")


def is_unicode(text: str) -> bool:
    """Is ``text`` Unicode text, without surrogate code points?

    A string holding one (``"\\ud800"`` in JSON) has no UTF-8 form, so it cannot travel in
    an OCPP-J frame (UTF-8 text), and pydantic refuses it.
    """
    return text.isascii() or _SURROGATE.search(text) is None


def _not_unicode(text: str, path: Path) -> ValidationError | None:
    """The error for a string holding a surrogate code point (None for Unicode text)."""
    if text.isascii():
        return None
    found = _SURROGATE.search(text)
    if found is None:
        return None
    message = f"not Unicode text: holds the lone surrogate U+{ord(found[0]):04X}"
    return fail(message, path, ErrorKind.TYPE)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, LongInteger)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _wrong_type(expected: str, value: object, path: Path) -> ValidationError:
    return fail(f"expected {expected}, got {_type_name(value)}", path, ErrorKind.TYPE)


class Parser(Generic[T]):
    """Validates one JSON value into its Python form, and turns it back into JSON."""

    def parse(self, value: object, path: Path) -> T:
        raise NotImplementedError

    def dump(self, value: T, path: Path = None) -> JsonValue:
        """The JSON form of a value built in code; ValidationError (at ``path``) for a value
        of the wrong kind. Constraints are :meth:`parse`'s business."""
        raise NotImplementedError


class String(Parser[str]):
    """A string with optional length bounds, counted in code points."""

    def __init__(self, min_length: int | None = None, max_length: int | None = None) -> None:
        self.min_length = min_length
        self.max_length = max_length

    def parse(self, value: object, path: Path) -> str:
        if not isinstance(value, str):
            raise _wrong_type("string", value, path)
        error = _not_unicode(value, path)
        if error is not None:
            raise error
        if self.max_length is not None and len(value) > self.max_length:
            raise fail(f"longer than {self.max_length} characters", path, ErrorKind.PROPERTY)
        if self.min_length is not None and len(value) < self.min_length:
            raise fail(f"shorter than {self.min_length} characters", path, ErrorKind.PROPERTY)
        return value

    def dump(self, value: str, path: Path = None) -> JsonValue:
        return value


def _is_multiple(value: int | float, step: Fraction) -> bool:
    """Decimal-exact multipleOf: 21.4 is a multiple of 0.1, 4.11 is not."""
    return (Fraction(repr(value)) / step).denominator == 1


class _Numeric:
    def __init__(
        self,
        minimum: float | None = None,
        maximum: float | None = None,
        multiple_of: str | None = None,
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.multiple_of_text = multiple_of
        self.multiple_of = None if multiple_of is None else Fraction(multiple_of)

    def check(self, value: int | float, path: Path) -> None:
        if self.minimum is not None and value < self.minimum:
            raise fail(f"less than the minimum {self.minimum}", path, ErrorKind.PROPERTY)
        if self.maximum is not None and value > self.maximum:
            raise fail(f"greater than the maximum {self.maximum}", path, ErrorKind.PROPERTY)
        if self.multiple_of is not None and not _is_multiple(value, self.multiple_of):
            raise fail(f"not a multiple of {self.multiple_of_text}", path, ErrorKind.PROPERTY)


class Integer(_Numeric, Parser[int]):
    """An integer (never a boolean); ``accepts_integral_float`` for draft-06 schemas."""

    def __init__(
        self,
        minimum: float | None = None,
        maximum: float | None = None,
        multiple_of: str | None = None,
        accepts_integral_float: bool = False,
    ) -> None:
        super().__init__(minimum, maximum, multiple_of)
        self.accepts_integral_float = accepts_integral_float

    def parse(self, value: object, path: Path) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if not (
                self.accepts_integral_float and isinstance(value, float) and value.is_integer()
            ):
                if isinstance(value, LongInteger):
                    raise _too_long(path)
                raise _wrong_type("integer", value, path)
            value = int(value)
        if not -INTEGER_LIMIT < value < INTEGER_LIMIT:
            raise _too_long(path)
        self.check(value, path)
        return value

    def dump(self, value: int, path: Path = None) -> JsonValue:
        return value


class Number(_Numeric, Parser[float]):
    """A finite number (never a boolean); integers stay integers."""

    def parse(self, value: object, path: Path) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, LongInteger):
                raise _too_long(path)
            raise _wrong_type("number", value, path)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise fail("not a finite number", path, ErrorKind.TYPE)
        elif not -INTEGER_LIMIT < value < INTEGER_LIMIT:
            raise _too_long(path)
        self.check(value, path)
        return value

    def dump(self, value: float, path: Path = None) -> JsonValue:
        return value


class Boolean(Parser[bool]):
    """``true`` or ``false``."""

    def parse(self, value: object, path: Path) -> bool:
        if not isinstance(value, bool):
            raise _wrong_type("boolean", value, path)
        return value

    def dump(self, value: bool, path: Path = None) -> JsonValue:
        return value


_RFC3339 = re.compile(
    r"([0-9]{4})-(0[1-9]|1[0-2])-([0-9]{2})[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])"
    r"(?:\.([0-9]+))?(?:([Zz])|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))"
)


class Tolerance(str, Enum):
    """A known deviation of deployed charging stations (and CSMSs) from the schemas.

    Strict is the default everywhere; a deviation is accepted only where it is named in a
    ``tolerate`` argument (one by one, or a profile such as :data:`FIELD`), only in what a
    side receives, and only after the payload failed strict validation. The tolerated
    payload is normalised into one that passes strict validation, and each change is
    reported as a :class:`Deviation` (see :func:`tolerating`). A missing required property
    and text that is not JSON stay errors: nothing is invented.
    """

    DATE_TIME_WITHOUT_OFFSET = "date-time-without-offset"
    """A date-time without an offset (``2026-11-23T02:24:56``) is read as UTC (``...Z``).
    Seen: Growatt THOR (evcc-io/evcc#10399, lorenzodonini/ocpp-go#237), CSMSs answering with
    ``datetime.utcnow().isoformat()`` (mobilityhouse/ocpp#216, #230)."""
    DATE_TIME_SHORT_OFFSET = "date-time-short-offset"
    """An offset of hours only or without its colon (``+02``, ``+0200``) becomes ``+02:00``,
    the same instant. Seen: Monta OCPP emulator (monta-app/ocpp-emulator#5, #53)."""
    DATE_TIME_FIELD_WIDTH = "date-time-field-width"
    """A one-digit month, day, hour, minute or second (``2022-07-10T3:11:55Z``) or omitted
    seconds (``2013-01-01T00:00Z``) are padded (``03:11:55``, ``00:00:00``): readings with
    one meaning only. Seen: INFINITY chargebox simulator (dallmann-consulting/OCPP.Core#16),
    ioBroker.ocpp (foxriver76/ioBroker.ocpp#24)."""
    NUMBER_FOR_STRING = "number-for-string"
    """A JSON number where a string is wanted (1.6 ``sampledValue.value: 604.213``) becomes
    the number's JSON text (``"604.213"``; ``from_json`` keeps the text as sent, a decoded
    payload gives Python's shortest form). Seen: OpenEVSE / ArduinoOcpp (lbbrhzn/ocpp#210,
    OpenEVSE/openevse_esp32_firmware#335), Wallbox GetConfiguration (lbbrhzn/ocpp#1499)."""
    NUMERIC_STRING = "numeric-string-for-number"
    """A string where an integer or number is wanted (``"connectorId": "1"``) becomes the
    number, only when the whole string is a JSON number literal and the number meets the
    property's constraints (``" 1"``, ``"1.5"`` for an integer, ``"NaN"`` stay errors).
    Reported for a 2.0 simulator (JavaIsJavaScript/OCPP-2.0-CP-Simulator#2)."""
    BOOLEAN_SPELLED = "boolean-spelled"
    """``"true"`` / ``"false"`` (in any letter case) or the integers ``1`` / ``0`` where a
    boolean is wanted become ``true`` / ``false``; nothing else (``"yes"``, ``2``, ``1.0``).
    Seen: Wall-E GetConfiguration ``"readonly": "true"`` (evcc-io/evcc#10339), ``readonly``
    as ``0`` / ``1`` (evcc-io/evcc#26253)."""
    ENUM_CASE = "enum-case"
    """An enum value that differs from exactly one member only in letter case
    (``Current.import``) becomes that member (``Current.Import``). Seen: MicroOcpp
    (matth-x/MicroOcpp#128)."""
    ENUM_ALIAS = "enum-alias"
    """A value that a curated table of the version's metadata (``[tolerances.aliases]`` of
    ``schemas/<version>/ocppgen.toml``) names as another spelling of a member becomes that
    member: 1.6 unit ``Hz`` -> ``Hertz``. Seen: MicroOcpp (matth-x/MicroOcpp#128), Charge
    Amps Halo (lbbrhzn/ocpp#1576), lbbrhzn/ocpp#1969, mobilityhouse/ocpp#759."""
    ENUM_CATCH_ALL = "enum-unknown-catch-all"
    """A value not in the enum becomes the enum's catch-all member where the version's
    metadata names one (``[tolerances.catch_all]``: 1.6 ``ChargePointErrorCode`` ->
    ``OtherError``, ``ReadingContext`` -> ``Other``, ...); required or optional. Members
    such as ``Unknown`` that are real answers (an authorisation status) are not catch-alls.
    Seen: Legrand GreenUp ``errorCode: "Error"`` (lbbrhzn/ocpp#1248), Alfen ``context:
    "CurrentMax"`` (lbbrhzn/ocpp#361)."""
    ENUM_UNKNOWN_DROPPED = "enum-unknown-optional-dropped"
    """A value not in the enum, for an optional property whose enum has no catch-all, is
    dropped (the property becomes absent). Never for the enums the metadata lists in
    ``[tolerances.defaults]`` (1.6 ``Measurand``, ``UnitOfMeasure``, ``Location``,
    ``ValueFormat``, ...): their absence means a default (``Wh``, an energy register), so
    dropping would change what the value says; those stay rejected. Seen:
    mobilityhouse/ocpp#54 (``Request.Energy``)."""
    STRING_TRUNCATED = "string-truncated"
    """A string longer than its ``maxLength`` is cut to the limit; the full text is in the
    record. Not for identifiers (``idTag``, ``parentIdTag``, ``idToken``): see
    :attr:`ID_TOKEN_TRUNCATED`. Seen: Schneider EVlink serial numbers (lbbrhzn/ocpp#213,
    #1622, mobilityhouse/ocpp#121), StatusNotification ``info`` (lbbrhzn/ocpp#987)."""
    ID_TOKEN_TRUNCATED = "id-token-truncated"
    """An ``idTag``, ``parentIdTag`` or ``idToken`` longer than its ``maxLength`` is cut to
    the limit. Not in :data:`FIELD`: the cut token is another token, which the CSMS might
    authorise. Seen: Sigen EVDC StopTransaction ``idTag`` of 21 characters
    (lbbrhzn/ocpp#1803)."""
    ADDITIONAL_PROPERTY = "additional-property-dropped"
    """A property the schema does not allow is dropped (its name and value are in the
    record). Seen: Authorize with ``connectorId`` (evcc-io/evcc#14579), CitrineOS
    (citrineos/citrineos-core#561)."""
    NULL_FOR_OPTIONAL = "null-for-optional"
    """``null`` for an optional property (not "any JSON value", where ``null`` is a value)
    makes it absent; ``null`` for a required one stays an error. Seen: StatusNotification
    ``info: null`` (mobilityhouse/ocpp#296)."""
    PLACEHOLDER_FOR_OPTIONAL = "placeholder-for-optional"
    """An empty string (or ``"0"``) for an optional date-time, or an empty string for an
    optional enum, makes the property absent (plain strings keep ``""``: it is a valid
    value). Seen: Heidelberg Amperfied (evcc-io/evcc#17836), lorenzodonini/ocpp-go#313,
    EVerest/libocpp#808."""
    OBJECT_FOR_ARRAY = "object-for-array"
    """A single object where an array of objects is wanted (a ``meterValue`` object)
    becomes a one-item array. Seen: Huawei wallbox (lbbrhzn/ocpp#1144)."""
    DATA_TRANSFER_STRUCTURED = "data-transfer-data-structured"
    """1.6 DataTransfer ``data`` sent as a JSON object or array becomes its compact JSON
    text. Seen: mobilityhouse/ocpp#462, matth-x/MicroOcpp#395, EVerest/EVerest#2588."""


FIELD: frozenset[Tolerance] = frozenset(Tolerance) - {Tolerance.ID_TOKEN_TRUNCATED}
"""The built-in profile for deployed stations: every tolerance but
:attr:`Tolerance.ID_TOKEN_TRUNCATED` (a cut token is another identity)."""
STRICT: frozenset[Tolerance] = frozenset()
"""No tolerance: the default."""
TOLERANCE_PROFILES: Mapping[str, frozenset[Tolerance]] = {
    "strict": STRICT,
    "field": FIELD,
    "all": frozenset(Tolerance),
}
"""The named profiles, by the names ``tolerances_named`` and the command line accept."""


def tolerances_named(names: Iterable[str]) -> frozenset[Tolerance]:
    """The union of profiles (``field``) and tolerances (``enum-case``) named; ValueError
    naming the first unknown name and the known ones."""
    chosen: set[Tolerance] = set()
    known = {t.value: t for t in Tolerance}
    for name in names:
        key = name.strip().lower()
        if key in TOLERANCE_PROFILES:
            chosen |= TOLERANCE_PROFILES[key]
        elif key in known:
            chosen.add(known[key])
        else:
            profiles = ", ".join(TOLERANCE_PROFILES)
            raise ValueError(
                f"unknown tolerance or profile {name!r} (profiles: {profiles}; tolerances: "
                f"{', '.join(known)})"
            )
    return frozenset(chosen)


@dataclass(frozen=True)
class Deviation:
    """One accepted deviation: which tolerance, where (a field path such as
    ``meterValue[0].sampledValue[2].value``), the value as received and what it became
    (:data:`UNSET` when the property was dropped)."""

    tolerance: Tolerance
    path: str
    original: JsonValue
    result: JsonValue | Unset

    @property
    def pointer(self) -> str:
        """The JSON pointer of the value (``/meterValue/0/sampledValue/2/value``)."""
        keys = re.findall(r"\[(\d+)\]|([^.\[\]]+)", self.path)
        parts = [index or name for index, name in keys]
        return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)

    def describe(self, action: str = "") -> str:
        """One line for logs: ``enum-case [in MeterValues] at measurand: 'Current.import' ->
        'Current.Import'`` (``dropped`` for a dropped value)."""
        became = "dropped" if self.result is UNSET else _short(self.result)
        where = f" in {printable(action)}" if action else ""
        path = self.path or "<payload>"
        return f"{self.tolerance.value}{where} at {path}: {_short(self.original)} -> {became}"


def _short(value: object) -> str:
    text = repr(value)
    return printable(text if len(text) <= 80 else text[:77] + "...")


@dataclass
class _Tolerating:
    allowed: frozenset[Tolerance]
    found: list[Deviation]


_TOLERATING: ContextVar[_Tolerating | None] = ContextVar("ocpp_tolerating", default=None)
tolerance_logger = logging.getLogger(f"{__name__.rpartition('.')[0]}.tolerance")


def tolerating(tolerate: Iterable[Tolerance], parse: Callable[[], T]) -> tuple[T, list[Deviation]]:
    """Run ``parse`` (``from_dict`` / ``from_json`` calls) accepting the ``tolerate``
    deviations; its result and the deviations accepted, in payload order.

    Only parsing that failed strictly consults the tolerances: the strict path is unchanged.
    """
    state = _Tolerating(frozenset(Tolerance(t) for t in tolerate), [])
    token = _TOLERATING.set(state)
    try:
        return parse(), state.found
    finally:
        _TOLERATING.reset(token)


def allowed_tolerances(tolerate: Iterable[Tolerance]) -> frozenset[Tolerance]:
    """The tolerances a parse may use: those given, else those of :func:`tolerating`."""
    if tolerate:
        return frozenset(Tolerance(t) for t in tolerate)
    state = _TOLERATING.get()
    return STRICT if state is None else state.allowed


def recover(
    cls: type[T],
    source: object,
    tolerate: Iterable[Tolerance],
    error: ValidationError,
    *,
    is_text: bool = False,
) -> T:
    """After strict parsing failed with ``error``: the object the tolerances allowed here
    (:func:`allowed_tolerances`) make of ``source`` (a decoded payload, or its JSON text with
    ``is_text``), else ``error`` raised again. Every flavour's ``from_dict`` / ``from_json``
    end here, so all accept the same deviations into equal objects with equal records."""
    allowed = allowed_tolerances(tolerate)
    if not allowed:
        raise error
    from ._tolerance import parse_tolerated  # only on this path: strict costs nothing

    return parse_tolerated(cls, source, allowed, bool(tolerate), error, is_text)


def report_deviations(model: str, found: list[Deviation], logged: bool) -> None:
    """Hand accepted deviations to the enclosing :func:`tolerating` (if any) and, when the
    caller asked for tolerances itself (``logged``), log each as a warning."""
    state = _TOLERATING.get()
    if state is not None:
        state.found.extend(found)
    if logged:
        for deviation in found:
            tolerance_logger.warning("%s: tolerated %s", model, deviation.describe())


class DateTime(Parser[datetime]):
    """An RFC 3339 date-time with an offset; parsed to a timezone-aware ``datetime``.

    The offset is kept, so the instant and its local form survive a round trip. Python's
    datetime holds microseconds: further fraction digits are dropped, and year 0000 (valid
    RFC 3339, no ``datetime``) is rejected.
    """

    def parse(self, value: object, path: Path) -> datetime:
        if not isinstance(value, str):
            raise _wrong_type("date-time string", value, path)
        match = _RFC3339.fullmatch(value)
        if match is None:
            raise fail(f"not an RFC 3339 date-time: {value[:40]!r}", path, ErrorKind.TYPE)
        year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
        if zulu:
            tz = timezone.utc
        else:
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            tz = timezone(-offset if sign == "-" else offset)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        try:
            return datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
            )
        except ValueError:
            raise fail(f"not a valid date: {value[:40]!r}", path, ErrorKind.TYPE) from None

    def dump(self, value: datetime, path: Path = None) -> JsonValue:
        if not isinstance(value, datetime):
            raise _wrong_type("datetime", value, path)
        return format_datetime(value)


def format_datetime(value: datetime) -> str:
    """RFC 3339 text: ``Z`` for UTC, milliseconds or microseconds only when present."""
    spec = "seconds" if not value.microsecond else "milliseconds"
    if value.microsecond % 1000:
        spec = "microseconds"
    text = value.isoformat(timespec=spec)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class EnumOf(Parser[E]):
    """One of a str-Enum's values."""

    def __init__(self, enum: type[E]) -> None:
        self.enum = enum
        self.members: dict[object, E] = {member.value: member for member in enum}

    def parse(self, value: object, path: Path) -> E:
        if not isinstance(value, str):
            raise _wrong_type("string", value, path)
        member = self.members.get(value)
        if member is None:
            error = _not_unicode(value, path)
            if error is not None:  # as anywhere else (pydantic says so first)
                raise error
            raise fail(
                f"{value[:40]!r} is not a valid {self.enum.__name__}", path, ErrorKind.PROPERTY
            )
        return member

    def dump(self, value: E, path: Path = None) -> JsonValue:
        return value.value if isinstance(value, Enum) else value  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Leave:
    """On :class:`AnyJson`'s stack: the items of the container ``key`` (its id) are done."""

    key: int


class AnyJson(Parser[JsonValue]):
    """Any JSON value, kept as it is. Only JSON passes: finite numbers, integers of at most
    :data:`MAX_INTEGER_DIGITS` digits, Unicode strings, string keys, and at most
    :data:`ANY_JSON_MAX_DEPTH` levels of arrays and objects."""

    def parse(self, value: object, path: Path, depth: int = 0) -> JsonValue:
        """``depth``: the levels above ``value`` that count (``-1`` for the dict of an object's
        additional properties, which stands for the object itself)."""
        # Depth-first without recursion; ``inside`` holds the containers on the current path,
        # so a list or dict that contains itself is an error, not a hang.
        pending: list[tuple[object, Path, int]] = [(value, path, depth)]
        inside: set[int] = set()
        while pending:
            item, where, level = pending.pop()
            if item is None or item is True or item is False:
                continue
            if isinstance(item, str):
                error = _not_unicode(item, where)
                if error is not None:
                    raise error
            elif isinstance(item, int):
                if not (-_SMALL <= item <= _SMALL or -INTEGER_LIMIT < item < INTEGER_LIMIT):
                    raise _too_long(where)
            elif isinstance(item, float):
                if not math.isfinite(item):
                    raise fail("not a finite number", where, ErrorKind.TYPE)
            elif isinstance(item, _Leave):
                inside.discard(item.key)
            elif isinstance(item, (list, dict)):
                if id(item) in inside:
                    raise fail("the value contains itself", where, ErrorKind.TYPE)
                level += 1
                if level > ANY_JSON_MAX_DEPTH:
                    message = f"nested deeper than {ANY_JSON_MAX_DEPTH} arrays and objects"
                    raise fail(message, where, ErrorKind.FORMAT)
                inside.add(id(item))
                pending.append((_Leave(id(item)), where, level))
                if isinstance(item, list):
                    pending.extend((x, (where, i), level) for i, x in enumerate(item))
                    continue
                for key, element in item.items():
                    if not isinstance(key, str) or _not_unicode(key, where) is not None:
                        message = "property names must be Unicode strings"
                        raise fail(message, where, ErrorKind.TYPE)
                    pending.append((element, (where, key), level))
            elif isinstance(item, LongInteger):
                raise _too_long(where)
            else:
                raise _wrong_type("a JSON value", item, where)
        return value  # type: ignore[return-value]

    def dump(self, value: JsonValue, path: Path = None) -> JsonValue:
        """The value as it is, once checked: what ``from_dict`` refuses here is never written
        (a value set in code nested too deep, say)."""
        return self.parse(value, path)


class ArrayOf(Parser[list[T]]):
    """A list of one item type with optional size bounds."""

    def __init__(
        self, items: Parser[T], min_items: int | None = None, max_items: int | None = None
    ) -> None:
        self.items = items
        self.min_items = min_items
        self.max_items = max_items

    def parse(self, value: object, path: Path) -> list[T]:
        if not isinstance(value, list):
            raise _wrong_type("array", value, path)
        if self.min_items is not None and len(value) < self.min_items:
            raise fail(f"fewer than {self.min_items} items", path, ErrorKind.OCCURRENCE)
        if self.max_items is not None and len(value) > self.max_items:
            raise fail(f"more than {self.max_items} items", path, ErrorKind.OCCURRENCE)
        parse = self.items.parse
        return [parse(item, (path, index)) for index, item in enumerate(value)]

    def dump(self, value: list[T], path: Path = None) -> JsonValue:
        if not isinstance(value, (list, tuple)):
            raise _wrong_type("array", value, path)
        dump = self.items.dump
        return [dump(item, (path, index)) for index, item in enumerate(value)]


class ObjectOf(Parser[M]):
    """A nested object, parsed by its class's field table."""

    def __init__(self, cls: type[M]) -> None:
        self.cls = cls

    def parse(self, value: object, path: Path) -> M:
        return self.cls._table.parse(value, path)  # type: ignore[return-value]

    def dump(self, value: M, path: Path = None) -> JsonValue:
        if not isinstance(value, self.cls):
            if type(value).__name__ == self.cls.__name__:  # another version's, say: say which
                given = f"{type(value).__module__}.{type(value).__qualname__}"
                message = f"expected {self.cls.__module__}.{self.cls.__qualname__}, got {given}"
                raise fail(message, path, ErrorKind.TYPE)
            raise _wrong_type(self.cls.__name__, value, path)
        return self.cls._table.dump(value, path)


@dataclass(frozen=True)
class Field:
    """One property: its JSON name, the attribute holding it, its parser and occurrence."""

    json_name: str
    attr: str
    parser: Parser[Any]
    required: bool = False
    absent: object = None
    """The attribute's value when the property is absent (``UNSET`` for any-value fields)."""


_MISSING = object()


class FieldTable:
    """All fields of one object type; ``extra`` when it allows additional properties."""

    def __init__(
        self, cls: type[Any], fields: tuple[Field, ...], dialect: Dialect, extra: bool = False
    ) -> None:
        self.cls = cls
        self.fields = fields
        self.names = frozenset(f.json_name for f in fields)
        self.by_name = {f.json_name: f for f in fields}
        self.dialect = dialect
        self.extra = extra
        self._fast_parse: Callable[[object], Model] | None = None
        self._fast_dump: Callable[[Model], dict[str, JsonValue]] | None = None
        self._compiling: set[str] = set()
        self.fast_sources: dict[str, str] = {}
        """The source of the compiled fast paths (``parse``, ``dump``), once compiled."""

    def fast_parse(self, value: object) -> Model:
        """Build the object from a valid payload; raises *some* exception on anything else.

        Compiled on first use (``_FastParse``). It never explains a rejection: callers fall
        back to :meth:`parse`, which does.
        """
        fast = self._fast_parse or self.compiled_parse()
        return fast(value)

    def fast_dump(self, obj: Model) -> dict[str, JsonValue]:
        """:meth:`dump` compiled for this type; raises on an object it is not sure about."""
        fast = self._fast_dump or self.compiled_dump()
        return fast(obj)

    def compiled_parse(self) -> Callable[[object], Model]:
        """The compiled fast parser (compiling it now if needed)."""
        if self._fast_parse is None:
            compiled = self._compile(_FastParse)
            if compiled is None:  # a recursive type: call back through the method
                return self.fast_parse
            self._fast_parse = compiled
        return self._fast_parse

    def compiled_dump(self) -> Callable[[Model], dict[str, JsonValue]]:
        """The compiled fast dump (compiling it now if needed)."""
        if self._fast_dump is None:
            compiled = self._compile(_FastDump)
            if compiled is None:
                return self.fast_dump
            self._fast_dump = compiled
        return self._fast_dump

    def _compile(self, writer: type[_FastParse] | type[_FastDump]) -> Any:
        """``writer``'s function for this table; None while it is being compiled already."""
        if writer.kind in self._compiling:
            return None
        self._compiling.add(writer.kind)
        try:
            return writer(self).compile()
        finally:
            self._compiling.discard(writer.kind)

    def parse(self, value: object, path: Path) -> Model:
        if not isinstance(value, dict):
            raise _wrong_type("object", value, path)
        for key in value:  # as pydantic does: the names first, the object as a whole
            if not isinstance(key, str) or _not_unicode(key, path) is not None:
                raise fail("property names must be Unicode strings", path, ErrorKind.TYPE)
        kwargs: dict[str, Any] = {}
        seen = 0
        for f in self.fields:
            raw = value.get(f.json_name, _MISSING)
            if raw is _MISSING:
                if f.required:
                    raise fail(
                        "required property is missing", (path, f.json_name), ErrorKind.OCCURRENCE
                    )
                continue
            seen += 1
            kwargs[f.attr] = f.parser.parse(raw, (path, f.json_name))
        if seen != len(value):
            unknown = {key: item for key, item in value.items() if key not in self.names}
            if not self.extra:
                key = next(iter(unknown))
                raise fail(f"property {key!r} is not allowed", (path, key), ErrorKind.FORMAT)
            kwargs["extra"] = _ANY.parse(unknown, path, -1)
        return self.cls(**kwargs)  # type: ignore[no-any-return]

    def dump(self, obj: Model, path: Path = None) -> dict[str, JsonValue]:
        """The payload of an object built in code: checks the kind of every value (a nested
        object where one belongs, a required property set), not its constraints."""
        out: dict[str, JsonValue] = {}
        for f in self.fields:
            value = getattr(obj, f.attr)
            if value is f.absent:
                if f.required:
                    where = (path, f.json_name)
                    raise fail("required property is missing", where, ErrorKind.OCCURRENCE)
                continue
            out[f.json_name] = f.parser.dump(value, (path, f.json_name))
        if self.extra:
            out.update(_ANY.parse(obj.extra, path, -1))  # type: ignore[arg-type, attr-defined]
        return out


_ANY = AnyJson()


class _Reject(Exception):
    """A compiled fast path met something it does not handle: the exact parser decides."""


def _refuse() -> NoReturn:
    """Raise :class:`_Reject` (in an expression of a compiled fast path)."""
    raise _Reject


_RFC3339_SHAPE = re.compile(  # _RFC3339 without groups: a little faster when only checking
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-[0-9]{2}[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
# From Python 3.11, fromisoformat reads every RFC 3339 form but a lower-case z, and fast.
_ISO_READS_RFC3339 = sys.version_info >= (3, 11)
_DATE_TIME = DateTime()


def _iso_refuses_out_of_range() -> bool:
    """Does this Python's fromisoformat refuse, in the form ``YYYY-MM-DDTHH:MM:SS[.fff]Z``,
    every field out of RFC 3339's ranges (month, hour, minute, second), every digit that is no
    ASCII digit and anything but digits between the fraction's ``.`` and the ``Z``? Then that
    form needs no pattern: slices check its separators (and that a fraction has a digit), and
    fromisoformat does the rest."""
    for text in (
        "2026-00-01T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:60Z",
        "2026-01-0\u0661T00:00:00Z",
        "2026-01-01T00:00:00.\u0661Z",
        "2026-01-01T00:00:00.1.2Z",
        "2026-01-01T00:00:00.1+Z",
        "2026-01-01T00:00:00.1 Z",
        "2026-01-01T00:00:00.0Z0Z",
        "2026-01-01T00:00:00.1+01:00Z",
        "2026-01-01T00:00:00Z0Z",
    ):
        try:
            datetime.fromisoformat(text)
        except ValueError:
            continue
        return False
    return _ISO_READS_RFC3339


_SLICES_CHECK_UTC_FORM = _iso_refuses_out_of_range()


def date_time_lines(var: str, target: str, pad: str) -> list[str]:
    """Source lines of a compiled fast path: the RFC 3339 text in ``var`` checked and read into
    ``target`` (``_Reject`` raised for a form the exact parser must decide, any other
    exception for text fromisoformat refuses). The common UTC form ``YYYY-MM-DDTHH:MM:SSZ``,
    with or without a fraction, is checked by slices (see ``_iso_refuses_out_of_range``),
    any other by the pattern. Needs ``_rfc3339``, ``_fromisoformat`` and ``_Reject`` bound;
    Python 3.11 or later."""
    check = [f"{pad}if _rfc3339({var}) is None:", f"{pad}    raise _Reject"]
    if _SLICES_CHECK_UTC_FORM:
        check = [
            f"{pad}if len({var}) != 20 or {var}[4::3] != '--T::Z':  # not YYYY-MM-DDTHH:MM:SSZ",
            f"{pad}    # nor that with a fraction",
            f"{pad}    if {var}[-1] != 'Z' or {var}[4:20:3] != '--T::.' or {var}[20:21] == 'Z':",
            *(f"        {line}" for line in check),
        ]
    return [*check, f"{pad}{target} = _fromisoformat({var})"]


def _fast_datetime(text: str) -> datetime:
    if not _ISO_READS_RFC3339:
        return _DATE_TIME.parse(text, None)
    if _RFC3339_SHAPE.fullmatch(text) is None:
        raise _Reject
    return datetime.fromisoformat(text)


def _within_limit(var: str) -> str:
    """An expression: the int in ``var`` has at most MAX_INTEGER_DIGITS digits (compared with
    ``_SMALL`` first, as a literal)."""
    return f"(-{_SMALL} <= {var} <= {_SMALL} or -_BIG < {var} < _BIG)"


def _decimal_places(step: str) -> int | None:
    """``k`` when ``step`` is ``10**-k`` written as a decimal (``0.1``, ``0.01``), else None."""
    if re.fullmatch(r"0\.0*1", step):
        return len(step) - 2
    return None


def finer_numbers(steps: Iterable[str]) -> Callable[[Any], bool] | None:
    """Might JSON text (``str`` or bytes-like) hold a number that is no multiple of one of the
    ``multipleOf`` ``steps`` (as written)? None when there is no step or one is no power of
    ten: then it always might.

    Only a number with more digits after its ``.`` than the coarsest step ``10**-k`` allows,
    or with a negative exponent, can be one: a positive exponent only moves the point right.
    Two searches for a literal (fast in ``re``), not one for a token; the second only between
    the first and the last ``-`` (found by ``find``, which is much faster than ``re``: most
    texts hold a few, in their date-times). Text inside strings can only make the answer yes.
    The msgspec and pydantic flavours skip their ``multipleOf`` checks on text it says no to.
    """
    places = [_decimal_places(step) for step in steps]
    if not places or None in places:
        return None
    fraction = rf"\.[0-9]{{{min(p for p in places if p is not None) + 1},}}"
    negative = r"-(?<=[eE]-)"
    fraction_in, negative_in = re.compile(fraction).search, re.compile(negative).search
    fraction_in_bytes = re.compile(fraction.encode()).search
    negative_in_bytes = re.compile(negative.encode()).search

    def finds(text: Any) -> bool:
        if isinstance(text, str):
            if fraction_in(text) is not None:
                return True
            first = text.find("-")
            return first >= 0 and negative_in(text, first, text.rfind("-") + 1) is not None
        return fraction_in_bytes(text) is not None or negative_in_bytes(text) is not None

    return finds


class _FastWriter:
    """Writes the Python source of one specialised function and compiles it.

    The source names runtime objects (classes, enum member maps, helpers) by generated names
    bound in ``self.names``; ``source`` keeps the text for :func:`fast_source`.
    """

    kind = ""

    def __init__(self, table: FieldTable) -> None:
        self.table = table
        self.names: dict[str, object] = {
            "_Reject": _Reject,
            "_INF": math.inf,
            "_MISSING": _MISSING,
            "UNSET": UNSET,
            "_any": _ANY.parse,
            "_BIG": INTEGER_LIMIT,
            "_surrogate": _SURROGATE.search,
            "_datetime": _fast_datetime,
            "_rfc3339": _RFC3339_SHAPE.fullmatch,
            "_fromisoformat": datetime.fromisoformat,
            "_is_multiple": _is_multiple,
            "_format_datetime": format_datetime,
            "_refuse": _refuse,
        }
        self.name_of = {id(value): name for name, value in self.names.items()}
        self.helpers: list[str] = []

    def ref(self, value: object, hint: str) -> str:
        """A name under which the generated code reaches ``value`` (``hint`` if still free)."""
        known = self.name_of.get(id(value))
        if known is not None:
            return known
        name, number = hint, 1
        while name in self.names:
            number += 1
            name = f"{hint}_{number}"
        self.names[name] = value
        self.name_of[id(value)] = name
        return name

    def finish(self, body: list[str]) -> Callable[..., Any]:
        source = "\n".join([*self.helpers, *body]) + "\n"
        label = f"<{__name__} fast {self.kind} of {self.table.cls.__name__}>"
        exec(compile(source, label, "exec"), self.names)  # our own source, see fast_source()
        self.table.fast_sources[self.kind] = source
        return self.names[self.kind]  # type: ignore[return-value]


_CONVERTED = (EnumOf, ObjectOf, DateTime, AnyJson)
"""Parsers whose Python value differs from the JSON one: the fast path calls a converter."""


class _FastParse(_FastWriter):
    """``parse(d)``: straight-line checks for one object type, no paths, no messages.

    Nested objects are parsed inline (up to ``INLINE_DEPTH`` levels, array items included),
    deeper ones by their own compiled function: a Python call costs as much as a few checks.
    """

    kind = "parse"
    INLINE_DEPTH = 3

    def compile(self) -> Callable[[object], Model]:
        body = self.object_lines(self.table, "d", "", "    ", 0)
        return self.finish(["def parse(d):", *body, "    return d"])

    def object_lines(
        self, table: FieldTable, var: str, prefix: str, pad: str, depth: int
    ) -> list[str]:
        """Lines that check the dict in ``var`` and replace it by its object.

        Locals get ``prefix`` (``f3_`` for the fields of ``f3``), so inlined objects do not
        clash with their parent.
        """
        found = f"{prefix}found"
        lines = [
            f"{pad}if {var}.__class__ is not dict:",
            f"{pad}    raise _Reject",
            f"{pad}{found} = {sum(f.required for f in table.fields)}",
        ]
        variables: dict[str, str] = {}
        for index, f in enumerate(table.fields):
            field_var = f"{prefix}f{index}"
            variables[f.attr] = field_var
            key = repr(f.json_name)
            if f.required:
                lines.append(f"{pad}{field_var} = {var}[{key}]")
                lines += self.value(f.parser, field_var, pad, depth)
                continue
            if f.absent is UNSET:
                lines += [
                    f"{pad}{field_var} = {var}.get({key}, _MISSING)",
                    f"{pad}if {field_var} is _MISSING:",
                    f"{pad}    {field_var} = UNSET",
                    f"{pad}else:",
                ]
            else:
                lines += [
                    f"{pad}{field_var} = {var}.get({key})",
                    f"{pad}if {field_var} is not None:",
                ]
            lines.append(f"{pad}    {found} += 1")
            lines += self.value(f.parser, field_var, pad + "    ", depth)
        if table.extra:
            extra = variables["extra"] = f"{prefix}extra"
            known = self.ref(table.names, f"_{table.cls.__name__}_keys")
            lines += [
                f"{pad}{extra} = {{k: v for k, v in {var}.items() if k not in {known}}}",
                f"{pad}if len({extra}) + {found} != len({var}):",
                f"{pad}    raise _Reject",
                f"{pad}{extra} = _any({extra}, None, -1)",
            ]
        else:
            lines += [f"{pad}if len({var}) != {found}:", f"{pad}    raise _Reject"]
        attributes = dataclass_fields(table.cls)
        arguments = [variables.get(f.name, f.name) for f in attributes]
        cls = self.ref(table.cls, table.cls.__name__)
        return [*lines, f"{pad}{var} = {cls}({', '.join(arguments)})"]

    def value(self, parser: Parser[Any], var: str, pad: str, depth: int) -> list[str]:
        """Lines that check ``var`` and, where the Python form differs, convert it."""
        if isinstance(parser, ObjectOf) and depth < self.INLINE_DEPTH:
            return self.object_lines(parser.cls._table, var, f"{var}_", pad, depth + 1)
        if isinstance(parser, ArrayOf):
            return [f"{pad}{var} = {self.array_function(parser, depth)}({var})"]
        if isinstance(parser, DateTime) and _ISO_READS_RFC3339:  # C calls, no frame
            return date_time_lines(var, var, pad)
        if isinstance(parser, _CONVERTED):
            return [f"{pad}{var} = {self.convert(parser, var)}"]
        conditions = self.conditions(parser, var)
        return [f"{pad}if {' or '.join(conditions)}:", f"{pad}    raise _Reject"]

    def array_function(self, parser: ArrayOf[Any], depth: int) -> str:
        """A helper function that checks a list and gives the list of its items' forms."""
        conditions = ["a.__class__ is not list"]
        if parser.min_items is not None:
            conditions.append(f"len(a) < {parser.min_items}")
        if parser.max_items is not None:
            conditions.append(f"len(a) > {parser.max_items}")
        body = [f"    if {' or '.join(conditions)}:", "        raise _Reject"]
        items = parser.items
        if isinstance(items, ObjectOf) and depth < self.INLINE_DEPTH:
            body += ["    out = []", "    for x in a:"]
            body += self.object_lines(items.cls._table, "x", "x_", "        ", depth + 1)
            body += ["        out.append(x)", "    return out"]
        elif isinstance(items, _CONVERTED):
            body.append(f"    return [{self.convert(items, 'x')} for x in a]")
        else:
            body += [
                "    for x in a:",
                *self.value(items, "x", "        ", depth),
                "    return list(a)",
            ]
        name = f"_array{sum(line.startswith('def ') for line in self.helpers)}"
        self.helpers += [f"def {name}(a):", *body, ""]
        return name

    def conditions(self, parser: Parser[Any], var: str) -> list[str]:
        """Conditions any of which rejects a scalar value."""
        if isinstance(parser, String):
            out = [f"{var}.__class__ is not str"]
            if parser.max_length is not None:
                out.append(f"len({var}) > {parser.max_length}")
            if parser.min_length is not None:
                out.append(f"len({var}) < {parser.min_length}")
            return [*out, f"not {var}.isascii() and _surrogate({var})"]
        if isinstance(parser, Boolean):
            return [f"{var}.__class__ is not bool"]
        if isinstance(parser, Integer):
            out = [f"{var}.__class__ is not int"]
            low, high = parser.minimum, parser.maximum  # the limit, unless the bounds imply it
            if low is None or high is None or low <= -INTEGER_LIMIT or high >= INTEGER_LIMIT:
                out.append(f"not {_within_limit(var)}")
        elif isinstance(parser, Number):
            finite = f"{var}.__class__ is float and -_INF < {var} < _INF"
            out = [f"not ({finite} or {var}.__class__ is int and {_within_limit(var)})"]
        else:
            raise TypeError(f"no fast path for {type(parser).__name__}")
        if parser.minimum is not None:
            out.append(f"{var} < {parser.minimum!r}")
        if parser.maximum is not None:
            out.append(f"{var} > {parser.maximum!r}")
        if parser.multiple_of_text is not None:
            places = _decimal_places(parser.multiple_of_text)
            if places is not None:
                out.append(f"round({var}, {places}) != {var}")
            else:
                step = self.ref(parser.multiple_of, "_step")
                out.append(f"not _is_multiple({var}, {step})")
        return out

    def convert(self, parser: Parser[Any], var: str) -> str:
        """An expression that checks ``var`` and gives its Python form."""
        if isinstance(parser, EnumOf):
            return f"{self.ref(parser.members, f'_{parser.enum.__name__}')}[{var}]"
        if isinstance(parser, ObjectOf):
            name = f"_parse_{parser.cls.__name__}"
            return f"{self.ref(parser.cls._table.compiled_parse(), name)}({var})"
        if isinstance(parser, DateTime):
            return f"_datetime({var})"
        assert isinstance(parser, AnyJson), parser
        return f"_any({var}, None)"


class _FastDump(_FastWriter):
    """``dump(obj)``: the payload dict of one object type, one statement per field."""

    kind = "dump"

    def compile(self) -> Callable[[Model], dict[str, JsonValue]]:
        lines = ["def dump(o):", "    out = {}"]
        for f in self.table.fields:
            key = repr(f.json_name)
            lines.append(f"    v = o.{f.attr}")
            if f.required:
                value = self.expression(f.parser, "v", 0)
                if value == "v":  # unconverted: unset (None) would be written as null
                    lines += [f"    if v is {_absent_name(f)}:", "        raise _Reject"]
                lines.append(f"    out[{key}] = {value}")
            else:
                lines += [
                    f"    if v is not {_absent_name(f)}:",
                    f"        out[{key}] = {self.expression(f.parser, 'v', 0)}",
                ]
        if self.table.extra:
            lines.append("    out.update(_any(o.extra, None, -1))")
        lines.append("    return out")
        return self.finish(lines)

    def expression(self, parser: Parser[Any], var: str, depth: int) -> str:
        """The JSON form of ``var``."""
        if isinstance(parser, EnumOf):
            return f"{var}._value_"
        if isinstance(parser, DateTime):
            return f"_format_datetime({var})"
        if isinstance(parser, ObjectOf):
            cls = self.ref(parser.cls, parser.cls.__name__)
            dump = self.ref(parser.cls._table.compiled_dump(), f"_dump_{parser.cls.__name__}")
            return f"({dump}({var}) if {var}.__class__ is {cls} else _refuse())"
        if isinstance(parser, ArrayOf):  # a list or tuple (anything else: the general dump)
            item = f"x{depth}"
            inner = self.expression(parser.items, item, depth + 1)
            items = f"list({var})" if inner == item else f"[{inner} for {item} in {var}]"
            kinds = f"{var}.__class__ is list or {var}.__class__ is tuple"
            return f"({items} if {kinds} else _refuse())"
        if isinstance(parser, AnyJson):  # checked: never written beyond the runtime's limits
            return f"_any({var}, None)"
        return var


def _absent_name(f: Field) -> str:
    """The name of the value of ``f``'s attribute when the property is absent."""
    return "UNSET" if f.absent is UNSET else "None"


def fast_source(cls: type[Model]) -> str:
    """The specialised parse and dump source of a message or data type (for the curious)."""
    table = cls._table
    table.compiled_parse()
    table.compiled_dump()
    return table.fast_sources["parse"] + "\n" + table.fast_sources["dump"]


class RuntimeMismatch(ImportError):
    """A module generated against another runtime than this package's (another ocppgen
    version or flavour)."""


def require_runtime(generated_against: str, module: str) -> None:
    """Fail the import of ``module`` unless this package's runtime (``RUNTIME`` of the
    package) is the one it was generated against."""
    package = __name__.rpartition(".")[0]
    actual = getattr(sys.modules.get(package), "RUNTIME", "unknown")
    if actual != generated_against:
        raise RuntimeMismatch(
            f"{module} was generated against the {package} runtime {generated_against}, but "
            f"this {package} has the runtime {actual}: generate both with the same ocppgen "
            f"version and --style"
        )


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _read_integer(text: str) -> int | LongInteger:
    """``parse_int`` of the decoder that places long integers: a :class:`LongInteger` for an
    integer of more digits than :data:`MAX_INTEGER_DIGITS` (``int`` would refuse it)."""
    if len(text) - text.startswith("-") > MAX_INTEGER_DIGITS:
        return LongInteger(text)
    return int(text)


class JsonFloat(float):
    """A JSON number read by ``load_json(..., number_texts=True)``: the float, and its text
    as written (``0.10``, ``1e21``), for tolerances that turn a number into a string."""

    text: str

    def __new__(cls, text: str) -> JsonFloat:
        number = super().__new__(cls, text)
        number.text = text
        return number


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_PLACING_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_int=_read_integer)
_TEXT_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_int=_read_integer, parse_float=JsonFloat
)
_SHALLOW_DEPTH = 200
"""Where :func:`load_json` cuts JSON text too deep for Python's decoder (about 1,000 levels):
deeper than any payload nests (the typed part as its schema, "any JSON value" 64 levels), so
the cut part is never read: validation refuses the value around it, at its path."""
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def _shallow(text: str) -> str:
    """``text`` with every array and object deeper than ``_SHALLOW_DEPTH`` levels replaced
    by ``null`` (an unclosed one by nothing: the text stays malformed)."""
    pieces: list[str] = []
    level, kept_from = 0, 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match[0]
        if token[0] == '"':
            continue
        if token in "[{":
            level += 1
            if level == _SHALLOW_DEPTH + 1:
                pieces += [text[kept_from : match.start()], "null"]
        else:
            if level == _SHALLOW_DEPTH + 1:
                kept_from = match.end()
            level -= 1
    if level <= _SHALLOW_DEPTH:
        pieces.append(text[kept_from:])
    return "".join(pieces)


def load_json(text: str | bytes, number_texts: bool = False) -> object:
    """Parse JSON text; anything malformed becomes a FORMAT ValidationError.

    What ``from_dict`` refuses at a path stays placed, so that ``from_json`` refuses it at
    the same path: an integer longer than :data:`MAX_INTEGER_DIGITS` digits is read as a
    :class:`LongInteger`, and text nested too deep for Python's decoder is read cut (see
    ``_SHALLOW_DEPTH``).
    """
    try:
        if not isinstance(text, str):
            if not isinstance(text, (bytes, bytearray)):
                raise TypeError(f"expected str or bytes, not {type(text).__name__}")
            text = text.decode(json.detect_encoding(text), "surrogatepass")
        try:
            return (_TEXT_DECODER if number_texts else _DECODER).decode(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # not a syntax error: int() refused a long integer
            return _PLACING_DECODER.decode(text)
        except RecursionError:
            return _PLACING_DECODER.decode(_shallow(text))
    except (ValueError, TypeError, RecursionError) as exc:
        message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ValidationError(f"malformed JSON: {message}", "", ErrorKind.FORMAT) from None


def _with_dialect(error: ValidationError, dialect: Dialect) -> ValidationError:
    error.dialect = dialect
    return error


class Model:
    """Base of every generated dataclass: parsing, validation and JSON output."""

    __slots__ = ()
    _table: ClassVar[FieldTable]

    @classmethod
    def from_dict(cls: type[M], data: object, *, tolerate: Iterable[Tolerance] = ()) -> M:
        """Validate a decoded JSON payload and build the whole object tree.

        ``tolerate``: deviations to accept (strict by default): a payload that fails strict
        validation is normalised (see :class:`Tolerance`) and parsed strictly again; each
        accepted deviation is logged as a warning on the ``<package>.tolerance`` logger.
        """
        try:
            return cls._strict(data)
        except ValidationError as error:
            return recover(cls, data, tolerate, error)

    @classmethod
    def _strict(cls: type[M], data: object) -> M:
        """:meth:`from_dict` without tolerances."""
        table = cls._table
        try:
            return (table._fast_parse or table.compiled_parse())(data)  # type: ignore[return-value]
        except Exception:  # the exact parser below decides and explains
            pass
        try:
            return table.parse(data, None)  # type: ignore[return-value]
        except ValidationError as exc:
            raise _with_dialect(exc, table.dialect) from None

    @classmethod
    def from_json(cls: type[M], text: str | bytes, *, tolerate: Iterable[Tolerance] = ()) -> M:
        """Parse and validate JSON text (``str`` or UTF-8 ``bytes``); ``tolerate`` as in
        :meth:`from_dict` (numbers where strings are wanted keep their JSON text)."""
        table = cls._table
        if text.__class__ is str:  # the common case, in one step
            try:
                fast = table._fast_parse or table.compiled_parse()
                return fast(_DECODER.decode(text))  # type: ignore[return-value]
            except Exception:  # the general path below decides and explains
                pass
        try:
            data = load_json(text)
        except ValidationError as exc:
            raise _with_dialect(exc, table.dialect) from None
        try:
            return cls._strict(data)
        except ValidationError as error:
            return recover(cls, text, tolerate, error, is_text=True)

    def to_dict(self) -> dict[str, JsonValue]:
        """The JSON payload: camelCase names, unset optional fields left out.

        An object built in code with a value of the wrong kind (a required property unset,
        a string where a nested object belongs) raises ValidationError at its path.
        """
        table = self._table
        try:
            return (table._fast_dump or table.compiled_dump())(self)
        except Exception:  # the general dump handles (or reports) odd values
            pass
        try:
            return table.dump(self)
        except ValidationError as exc:
            raise _with_dialect(exc, table.dialect) from None

    def to_json(self) -> str:
        """The JSON payload as compact text; ValidationError when it cannot be JSON."""
        return json_text(self, self._table.dialect)

    def validate(self) -> None:
        """Check an object built in code against its schema; raises ValidationError."""
        type(self).from_dict(self.to_dict())


class _Payload(Protocol):
    """What :func:`json_text` needs of a model of any flavour."""

    def to_dict(self) -> dict[str, JsonValue]: ...

    @classmethod
    def from_dict(cls, data: object) -> object: ...


def json_text(model: _Payload, dialect: Dialect) -> str:
    """``model.to_json()`` of every flavour: its payload as compact JSON text.

    What cannot be JSON text (a value nested too deep, an integer too long, NaN, a cycle:
    possible in an object built in code) raises the ValidationError that ``from_dict`` gives
    for the payload, with its path and code, never ``RecursionError`` or ``ValueError``.
    """
    payload = model.to_dict()
    try:
        return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError, RecursionError) as exc:
        type(model).from_dict(payload)  # raises the error, with its place
        message = f"cannot be JSON text: {type(exc).__name__}: {str(exc)[:120]}"
        raise _with_dialect(ValidationError(message, "", ErrorKind.TYPE), dialect) from None
