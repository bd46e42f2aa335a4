"""Value codecs of the device model and the 1.6 configuration keys.

Attribute values (2.x ``attributeValue``) and configuration values (1.6 ``value``) travel as
strings. A codec turns such a string into its Python value (``parse``) and back (``format``);
a string or value that does not fit raises the runtime's ``ValidationError`` with the given
path (the variable or key). Codecs are immutable and shared.

| data type | Python value | text |
|---|---|---|
| ``integer`` | ``int`` | ``-?(0|[1-9][0-9]*)`` |
| ``decimal`` | ``Decimal`` (or ``float``: :meth:`DecimalCodec.as_float`) | a JSON number |
| ``boolean`` | ``bool`` | ``true`` / ``false`` |
| ``dateTime`` | aware ``datetime`` | RFC 3339 with an offset |
| ``string`` | ``str`` | any |
| ``OptionList`` | ``str`` | one value of the list |
| ``SequenceList`` | ``tuple[str, ...]`` | comma separated, in order |
| ``MemberList`` | ``frozenset[str]`` | comma separated, no value twice |
| ``CSL`` (1.6) | ``tuple[str, ...]`` | comma separated |
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from ._runtime import DateTime, ErrorKind, ValidationError, format_datetime

T = TypeVar("T")

_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_SHOWN = 40
"""Characters of a rejected text quoted in an error message."""


def _shown(text: str) -> str:
    return repr(text[:_SHOWN] + ("..." if len(text) > _SHOWN else ""))


class Codec(Generic[T]):
    """Reads and writes the values of one data type (``type_name``, as the catalogue names
    it); list types also have their allowed ``values`` (empty: any value)."""

    type_name: str = ""
    values: tuple[str, ...] = ()

    def parse(self, text: object, path: str) -> T:
        """The value of ``text``; ValidationError (path ``path``) when it is not one."""
        if not isinstance(text, str):
            raise ValidationError(
                f"expected a string, got {type(text).__name__}", path, ErrorKind.TYPE
            )
        return self._parse(text, path)

    def format(self, value: T, path: str) -> str:
        """The text of ``value``; ValidationError (path ``path``) when it is not one."""
        raise NotImplementedError

    def _parse(self, text: str, path: str) -> T:
        raise NotImplementedError

    def with_values(self, values: Iterable[str]) -> Codec[T]:
        """The same codec limited to ``values`` (list types only)."""
        raise TypeError(f"a {self.type_name} has no values list")

    def __repr__(self) -> str:
        listed = f"({', '.join(self.values)})" if self.values else ""
        return f"<codec {self.type_name}{listed}>"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, Codec)
            and (self.type_name, self.values) == (other.type_name, other.values)
        )

    def __hash__(self) -> int:
        return hash((type(self), self.type_name, self.values))


def _wrong(expected: str, value: object, path: str) -> ValidationError:
    return ValidationError(f"expected {expected}, got {type(value).__name__}", path, ErrorKind.TYPE)


class IntegerCodec(Codec[int]):
    """Integers as JSON writes them: an optional minus, no leading zeros, no sign, no fraction."""

    type_name = "integer"

    def _parse(self, text: str, path: str) -> int:
        if not _INTEGER.fullmatch(text):
            raise ValidationError(f"not an integer: {_shown(text)}", path, ErrorKind.TYPE)
        return int(text)

    def format(self, value: int, path: str) -> str:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _wrong("an int", value, path)
        return str(value)


class DecimalCodec(Codec[T]):
    """Decimal numbers as JSON writes them, read exactly as ``Decimal`` (or, from
    :meth:`as_float`, as ``float``). A codec takes only its own kind (and ``int``), so one
    program cannot mix the two by accident."""

    type_name = "decimal"

    def __init__(self, kind: type[T]) -> None:
        self.kind = kind

    @staticmethod
    def exact() -> DecimalCodec[Decimal]:
        """Values as ``Decimal``."""
        return DecimalCodec(Decimal)

    def as_float(self) -> DecimalCodec[float]:
        """Values as ``float`` (the nearest one; written in its shortest exact form)."""
        return DecimalCodec(float)

    def _parse(self, text: str, path: str) -> T:
        if not _NUMBER.fullmatch(text):
            raise ValidationError(f"not a decimal number: {_shown(text)}", path, ErrorKind.TYPE)
        if self.kind is float:
            number = float(text)
            if not math.isfinite(number):
                raise ValidationError(
                    f"out of the float range: {_shown(text)}", path, ErrorKind.PROPERTY
                )
            return number  # type: ignore[return-value]
        return Decimal(text)  # type: ignore[return-value]

    def format(self, value: T, path: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, self.kind):
            raise _wrong(f"a {self.kind.__name__} or an int", value, path)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValidationError(f"not a finite number: {value}", path, ErrorKind.PROPERTY)
            return repr(value)
        assert isinstance(value, Decimal)
        if not value.is_finite():
            raise ValidationError(f"not a finite number: {value}", path, ErrorKind.PROPERTY)
        return str(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DecimalCodec) and other.kind is self.kind

    def __hash__(self) -> int:
        return hash((DecimalCodec, self.kind))

    def __repr__(self) -> str:
        return f"<codec decimal as {self.kind.__name__}>"


class BooleanCodec(Codec[bool]):
    """``true`` and ``false``, lower case."""

    type_name = "boolean"

    def _parse(self, text: str, path: str) -> bool:
        if text not in ("true", "false"):
            raise ValidationError(
                f"not a boolean (true or false): {_shown(text)}", path, ErrorKind.TYPE
            )
        return text == "true"

    def format(self, value: bool, path: str) -> str:
        if not isinstance(value, bool):
            raise _wrong("a bool", value, path)
        return "true" if value else "false"


class DateTimeCodec(Codec[datetime]):
    """RFC 3339 date-times with an offset, as the message fields take them."""

    type_name = "dateTime"
    _parser = DateTime()

    def _parse(self, text: str, path: str) -> datetime:
        try:
            return self._parser.parse(text, None)
        except ValidationError as exc:
            raise ValidationError(exc.message, path, exc.kind) from None

    def format(self, value: datetime, path: str) -> str:
        if not isinstance(value, datetime):
            raise _wrong("a datetime", value, path)
        if value.utcoffset() is None:
            raise ValidationError("a date-time needs a timezone", path, ErrorKind.PROPERTY)
        return format_datetime(value)


class StringCodec(Codec[str]):
    """Any string."""

    type_name = "string"

    def _parse(self, text: str, path: str) -> str:
        return text

    def format(self, value: str, path: str) -> str:
        if not isinstance(value, str):
            raise _wrong("a str", value, path)
        return value


class _Members:
    """Checks the members of a list value: non-empty, no comma, in ``values`` when known."""

    values: tuple[str, ...]
    type_name: str

    def _member(self, member: object, path: str) -> str:
        if not isinstance(member, str):
            raise _wrong("a str member", member, path)
        if not member or "," in member:
            raise ValidationError(
                f"{_shown(member)} cannot be a {self.type_name} member (empty or with a comma)",
                path,
                ErrorKind.PROPERTY,
            )
        if self.values and member not in self.values:
            raise ValidationError(
                f"{_shown(member)} is not one of the values list", path, ErrorKind.PROPERTY
            )
        return member

    def _split(self, text: str, path: str) -> list[str]:
        return [] if text == "" else [self._member(part, path) for part in text.split(",")]


class OptionListCodec(_Members, Codec[str]):
    """One value of the values list (any value without a comma when the list is empty)."""

    type_name = "OptionList"

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values = tuple(values)

    def _parse(self, text: str, path: str) -> str:
        return self._member(text, path)

    def format(self, value: str, path: str) -> str:
        return self._member(value, path)

    def with_values(self, values: Iterable[str]) -> OptionListCodec:
        return OptionListCodec(values)


def _collection(value: object, path: str, kind: str) -> Collection[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Collection):
        raise _wrong(f"a collection of str ({kind})", value, path)
    return value


class SequenceListCodec(_Members, Codec[tuple[str, ...]]):
    """An ordered list of values from the values list (any values when it is empty), comma
    separated; ``""`` is the empty list. Also the 1.6 CSL (``type_name="CSL"``)."""

    def __init__(self, values: Iterable[str] = (), type_name: str = "SequenceList") -> None:
        self.values = tuple(values)
        self.type_name = type_name

    def _parse(self, text: str, path: str) -> tuple[str, ...]:
        return tuple(self._split(text, path))

    def format(self, value: tuple[str, ...], path: str) -> str:
        members = _collection(value, path, "a sequence")
        return ",".join(self._member(member, path) for member in members)

    def with_values(self, values: Iterable[str]) -> SequenceListCodec:
        return SequenceListCodec(values, self.type_name)


class MemberListCodec(_Members, Codec[frozenset[str]]):
    """A set of values from the values list (any values when it is empty), comma separated,
    none twice; written in the order of the values list (sorted when it is empty)."""

    type_name = "MemberList"

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values = tuple(values)

    def _parse(self, text: str, path: str) -> frozenset[str]:
        members = self._split(text, path)
        self._no_repeats(members, path)
        return frozenset(members)

    def format(self, value: frozenset[str], path: str) -> str:
        members = [self._member(member, path) for member in _collection(value, path, "a set")]
        self._no_repeats(members, path)
        order = {value: index for index, value in enumerate(self.values)}
        return ",".join(sorted(members, key=lambda m: (order.get(m, len(order)), m)))

    def _no_repeats(self, members: list[str], path: str) -> None:
        if len(set(members)) != len(members):
            repeated = next(member for member in members if members.count(member) > 1)
            raise ValidationError(
                f"{_shown(repeated)} is listed twice in a MemberList", path, ErrorKind.PROPERTY
            )

    def with_values(self, values: Iterable[str]) -> MemberListCodec:
        return MemberListCodec(values)


INTEGER = IntegerCodec()
DECIMAL = DecimalCodec.exact()
BOOLEAN = BooleanCodec()
DATE_TIME = DateTimeCodec()
STRING = StringCodec()
CSL = SequenceListCodec(type_name="CSL")
"""The 1.6 comma separated list."""


def codec_for(type_name: str, values: Iterable[str] = ()) -> Codec[Any]:
    """The codec of a data type named as the catalogue (or a report's ``dataType``) names it;
    ValueError for an unknown name."""
    scalars: dict[str, Codec[Any]] = {
        "integer": INTEGER,
        "decimal": DECIMAL,
        "boolean": BOOLEAN,
        "dateTime": DATE_TIME,
        "string": STRING,
        "CSL": CSL,
    }
    lists: dict[str, type[OptionListCodec | SequenceListCodec | MemberListCodec]] = {
        "OptionList": OptionListCodec,
        "SequenceList": SequenceListCodec,
        "MemberList": MemberListCodec,
    }
    if type_name in scalars:
        return scalars[type_name]
    if type_name in lists:
        return lists[type_name](values)
    raise ValueError(f"unknown data type {type_name!r}")
