"""Tolerance: normalising a received payload that failed strict validation.

Shared by every flavour: it walks the payload (decoded JSON) beside the field tables of the
dataclass runtime (each flavour's classes carry one as ``_table``), changes only the values
that fail their own check and a named :class:`Tolerance` covers, records each change as a
:class:`Deviation`, and hands the result to the flavour's strict parser. Whatever is built
is therefore strictly valid; a payload that still fails raises the strict error of what is
left. Imported only on that path: the strict path never reaches this module.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from ._runtime import (
    UNSET,
    AnyJson,
    ArrayOf,
    Boolean,
    DateTime,
    Deviation,
    EnumOf,
    EnumRepairs,
    Field,
    FieldTable,
    Integer,
    JsonFloat,
    JsonValue,
    Number,
    ObjectOf,
    Parser,
    Path,
    String,
    Tolerance,
    ValidationError,
    load_json,
    render_path,
    report_deviations,
)

M = TypeVar("M")

ID_TOKENS = frozenset({"idTag", "parentIdTag", "idToken"})
"""JSON names of identifiers: cut only by :attr:`Tolerance.ID_TOKEN_TRUNCATED`."""
DATA_TRANSFER = frozenset({"DataTransferRequest", "DataTransferResponse"})
"""The 1.6 messages whose string ``data`` may arrive structured."""

_DROP = object()
"""Returned for a property to leave out."""
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_LOOSE_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})([Tt])([0-9]{1,2}):([0-9]{1,2})"
    r"(?::([0-9]{1,2})(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)
_DATE_TIME = DateTime()


def table_of(cls: type[Any]) -> FieldTable:
    """The field table of a class of any flavour (the pydantic flavour loads its tables on
    first use, from the version's ``tables`` module)."""
    table = cls.__dict__.get("_table")
    if table is None:  # a flavour that builds or loads its tables on first use
        table = cls.ocpp_field_table()
    assert isinstance(table, FieldTable), cls
    return table


def parse_tolerated(
    cls: type[M],
    source: object,
    allowed: frozenset[Tolerance],
    logged: bool,
    error: ValidationError,
    is_text: bool = False,
) -> M:
    """``cls.from_dict`` of the payload (or of JSON text, its numbers read with their text)
    normalised under ``allowed``; raises ``error`` (the strict one) when no tolerance applies
    or the text is not JSON, else the strict error of the normalised payload."""
    data = source
    if is_text:
        try:
            data = load_json(source, number_texts=True)  # type: ignore[arg-type]
        except ValidationError:
            raise error from None
    table = table_of(cls)
    normaliser = Normaliser(allowed, table.dialect.repairs)
    normalised = normaliser.walk_object(table, data, None, cls.__name__)
    if not normaliser.found:
        raise error
    model: M = cls._strict(normalised)  # type: ignore[attr-defined]
    report_deviations(cls.__name__, normaliser.found, logged)
    return model


def normalise(
    cls: type[Any], data: object, allowed: frozenset[Tolerance]
) -> tuple[object, list[Deviation]]:
    """The payload as the tolerances ``allowed`` make it, and what they changed (the payload
    unchanged, and no record, when nothing applies). Not validated: see :func:`parse_tolerated`."""
    table = table_of(cls)
    normaliser = Normaliser(allowed, table.dialect.repairs)
    return normaliser.walk_object(table, data, None, cls.__name__), normaliser.found


def plain(value: object) -> Any:
    """``value`` with every :class:`JsonFloat` a plain ``float`` (what ``json.loads`` gives)."""
    if isinstance(value, JsonFloat):
        return float(value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def _number_text(value: int | float) -> str:
    """The JSON text of a decoded number: as written when known, else as ``json`` writes it."""
    if isinstance(value, JsonFloat):
        return value.text
    return json.dumps(float(value) if isinstance(value, float) else value)


def _passes(parser: Parser[Any], value: object) -> bool:
    try:
        parser.parse(value, None)
    except ValidationError:
        return False
    return True


class Normaliser:
    """One walk: the tolerances allowed, the version's enum tables, the records so far."""

    def __init__(self, allowed: frozenset[Tolerance], repairs: EnumRepairs) -> None:
        self.allowed = allowed
        self.repairs = repairs
        self.found: list[Deviation] = []

    def record(self, tolerance: Tolerance, path: Path, original: object, result: object) -> None:
        became: JsonValue = UNSET if result is _DROP else plain(result)  # type: ignore[assignment]
        self.found.append(Deviation(tolerance, render_path(path), plain(original), became))

    def apply(self, tolerance: Tolerance, path: Path, original: object, result: object) -> object:
        """``result`` recorded as what ``tolerance`` made of ``original``."""
        self.record(tolerance, path, original, result)
        return result

    def walk_object(self, table: FieldTable, value: object, path: Path, owner: str) -> object:
        """An object's properties, each normalised; those not allowed dropped if tolerated.
        ``owner`` names the object's class."""
        if not isinstance(value, dict):
            return value
        out: dict[object, object] = {}
        for key, raw in value.items():
            where = (path, key)
            f = table.by_name.get(key) if isinstance(key, str) else None
            if f is None:
                if not table.extra and Tolerance.ADDITIONAL_PROPERTY in self.allowed:
                    self.record(Tolerance.ADDITIONAL_PROPERTY, where, raw, _DROP)
                else:
                    out[key] = plain(raw)
                continue
            if raw is None and not f.required and f.absent is not UNSET:  # noqa: SIM102
                if Tolerance.NULL_FOR_OPTIONAL in self.allowed:
                    self.record(Tolerance.NULL_FOR_OPTIONAL, where, raw, _DROP)
                    continue
            result = self.value(f.parser, raw, where, f, owner)
            if result is not _DROP:
                out[key] = result
        return out

    def value(
        self, parser: Parser[Any], value: object, path: Path, f: Field | None, owner: str
    ) -> object:
        """One value, normalised for ``parser``; ``f`` is its property (None in an array) of
        an object of class ``owner``."""
        if isinstance(parser, ObjectOf):
            return self.walk_object(table_of(parser.cls), value, path, parser.cls.__name__)
        if isinstance(parser, ArrayOf):
            return self.array(parser, value, path, owner)
        if isinstance(parser, AnyJson) or _passes(parser, value):
            return plain(value)
        if isinstance(parser, Boolean):
            return self.boolean(value, path)
        optional = f is not None and not f.required
        if isinstance(parser, String):
            return self.string(parser, value, path, f, owner)
        if isinstance(parser, (Integer, Number)):
            return self.number(parser, value, path)
        if isinstance(parser, DateTime):
            return self.date_time(value, path, optional)
        if isinstance(parser, EnumOf):
            return self.enum(parser, value, path, optional)
        return value

    def array(self, parser: ArrayOf[Any], value: object, path: Path, owner: str) -> object:
        if (
            isinstance(value, dict)
            and isinstance(parser.items, ObjectOf)
            and Tolerance.OBJECT_FOR_ARRAY in self.allowed
        ):
            self.record(Tolerance.OBJECT_FOR_ARRAY, path, value, [value])
            value = [value]
        if not isinstance(value, list):
            return value
        return [
            self.value(parser.items, item, (path, index), None, owner)
            for index, item in enumerate(value)
        ]

    def string(
        self, parser: String, value: object, path: Path, f: Field | None, owner: str
    ) -> object:
        allowed = self.allowed
        if isinstance(value, str):
            limit = parser.max_length
            if limit is None or len(value) <= limit:
                return value
            identifier = f is not None and f.json_name in ID_TOKENS
            which = Tolerance.ID_TOKEN_TRUNCATED if identifier else Tolerance.STRING_TRUNCATED
            cut = value[:limit]
            if which in allowed and _passes(parser, cut):
                return self.apply(which, path, value, cut)
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = _number_text(value)
            if Tolerance.NUMBER_FOR_STRING in allowed and _passes(parser, text):
                return self.apply(Tolerance.NUMBER_FOR_STRING, path, value, text)
            return plain(value)
        structured = isinstance(value, (dict, list)) and f is not None and f.json_name == "data"
        if (
            structured
            and owner in DATA_TRANSFER
            and Tolerance.DATA_TRANSFER_STRUCTURED in allowed
            and _passes(AnyJson(), value)
        ):
            text = json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)
            if _passes(parser, text):
                return self.apply(Tolerance.DATA_TRANSFER_STRUCTURED, path, value, text)
        return plain(value)

    def boolean(self, value: object, path: Path) -> object:
        if Tolerance.BOOLEAN_SPELLED not in self.allowed:
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return self.apply(Tolerance.BOOLEAN_SPELLED, path, value, value.lower() == "true")
        if value.__class__ is int and value in (0, 1):
            return self.apply(Tolerance.BOOLEAN_SPELLED, path, value, value == 1)
        return value

    def number(self, parser: Integer | Number, value: object, path: Path) -> object:
        if not isinstance(value, str) or Tolerance.NUMERIC_STRING not in self.allowed:
            return plain(value)
        match = _NUMBER.fullmatch(value)
        if match is None:
            return value
        try:
            number: int | float = float(value) if match[1] or match[2] else int(value)
        except ValueError:  # an integer beyond the digit limit
            return value
        if not _passes(parser, number):
            return value
        return self.apply(Tolerance.NUMERIC_STRING, path, value, number)

    def date_time(self, value: object, path: Path, optional: bool) -> object:
        if not isinstance(value, str):
            return value
        if optional and value in ("", "0"):
            if Tolerance.PLACEHOLDER_FOR_OPTIONAL in self.allowed:
                return self.apply(Tolerance.PLACEHOLDER_FOR_OPTIONAL, path, value, _DROP)
            return value
        match = _LOOSE_DATE_TIME.fullmatch(value)
        if match is None:
            return value
        year, month, day, t, hour, minute, second, fraction, offset = match.groups()
        needed: list[Tolerance] = []
        parts = (month, day, hour, minute, second or "00")
        if any(len(part) == 1 for part in parts) or second is None:
            needed.append(Tolerance.DATE_TIME_FIELD_WIDTH)
        if offset is None:
            needed.append(Tolerance.DATE_TIME_WITHOUT_OFFSET)
            offset = "Z"
        elif len(offset) != 1 and ":" not in offset:
            needed.append(Tolerance.DATE_TIME_SHORT_OFFSET)
            offset = f"{offset[:3]}:{offset[3:] or '00'}"
        if not needed or not all(t in self.allowed for t in needed):
            return value
        month, day, hour, minute, second = (part.zfill(2) for part in parts)
        text = f"{year}-{month}-{day}{t}{hour}:{minute}:{second}{fraction or ''}{offset}"
        if not _passes(_DATE_TIME, text):
            return value
        for tolerance in needed:
            self.record(tolerance, path, value, text)
        return text

    def enum(self, parser: EnumOf[Any], value: object, path: Path, optional: bool) -> object:
        if not isinstance(value, str):
            return value
        allowed, name = self.allowed, parser.enum.__name__
        if Tolerance.ENUM_CASE in allowed:
            folded = value.casefold()
            same = [m for m in parser.members if isinstance(m, str) and m.casefold() == folded]
            if len(same) == 1:
                return self.apply(Tolerance.ENUM_CASE, path, value, same[0])
        alias = self.repairs.aliases.get(name, {}).get(value)
        if alias is not None and Tolerance.ENUM_ALIAS in allowed:
            return self.apply(Tolerance.ENUM_ALIAS, path, value, alias)
        if value == "" and optional and Tolerance.PLACEHOLDER_FOR_OPTIONAL in allowed:
            return self.apply(Tolerance.PLACEHOLDER_FOR_OPTIONAL, path, value, _DROP)
        catch_all = self.repairs.catch_all.get(name)
        if catch_all is not None and Tolerance.ENUM_CATCH_ALL in allowed:
            return self.apply(Tolerance.ENUM_CATCH_ALL, path, value, catch_all)
        dropped = optional and name not in self.repairs.defaulted and catch_all is None
        if dropped and Tolerance.ENUM_UNKNOWN_DROPPED in allowed:
            return self.apply(Tolerance.ENUM_UNKNOWN_DROPPED, path, value, _DROP)
        return value
