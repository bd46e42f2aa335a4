"""Decode the JSON of a schema file, refusing what the generator cannot represent faithfully.

Refused, each as one :class:`GeneratorError` naming the file and the JSON pointer: ``NaN``,
``Infinity`` and numbers beyond a double's range (``1e400``); integers of more than
``MAX_INT_DIGITS`` digits; containers nested deeper than ``MAX_DEPTH`` levels; strings and
names that are not valid Unicode (lone surrogates such as ``"\\ud800"``). The same checks run
again on a document an overlay changed.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from generator.errors import GeneratorError, json_pointer

MAX_DEPTH = 64
"""Objects and arrays nested in each other, the document itself included (the OCA schemas
need 10)."""
MAX_INT_DIGITS = 4300
"""The longest integer accepted: Python's own limit for converting integers to and from text,
fixed here so that what is accepted does not depend on the interpreter's setting."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[][{},:]')


class _Refused:
    """A value that cannot be represented: stands in for it until its pointer is known."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _shown(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}...{text[-8:]} ({len(text)} characters)"


def _float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    return _Refused(f"the number {_shown(text)} is out of range (not a finite double)")


def _int(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits <= MAX_INT_DIGITS:
        try:
            return int(text)
        except ValueError:  # the interpreter's limit was set lower
            pass
    return _Refused(f"an integer of {digits} digits (at most {MAX_INT_DIGITS} are allowed)")


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a JSON number")


def load_json(text: str, shown: str) -> Any:
    """The document in ``text`` (``shown`` names the file in errors), checked as above."""
    try:
        document = json.loads(text, parse_float=_float, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise GeneratorError(
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", shown
        ) from None
    except RecursionError:
        raise GeneratorError(_too_deep(), shown, _first_too_deep(text)) from None
    check_values(document, shown)
    return document


def _too_deep() -> str:
    return f"nested deeper than {MAX_DEPTH} levels of objects and arrays"


def check_values(document: Any, shown: str) -> None:
    """Refuse the first value (in document order) that :func:`load_json` would refuse."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while stack:
        parts, value = stack.pop()
        problem = _problem(value)
        if problem is None and isinstance(value, (dict, list)):
            if len(parts) >= MAX_DEPTH:
                problem = _too_deep()
            elif isinstance(value, dict):
                for name in value:
                    if _problem(name) is not None:
                        pointer = json_pointer((*parts, name))
                        raise GeneratorError(f"the name {_problem(name)}", shown, pointer)
                stack += [((*parts, k), v) for k, v in reversed(value.items())]
            else:
                stack += [((*parts, i), v) for i, v in reversed(list(enumerate(value)))]
        if problem is not None:
            raise GeneratorError(problem, shown, json_pointer(parts))


def _problem(value: Any) -> str | None:
    if isinstance(value, _Refused):
        return value.reason
    if isinstance(value, str):
        found = _LONE_SURROGATE.search(value)
        if found is not None:
            escaped = found.group().encode("unicode_escape").decode()
            return f"is not valid Unicode: a lone surrogate {escaped} at character {found.start()}"
        return None
    if isinstance(value, float) and not math.isfinite(value):  # an overlay's TOML value
        return f"the number {value} is not finite"
    return None


def _first_too_deep(text: str) -> str | None:
    """The pointer of the first container nested deeper than ``MAX_DEPTH``, found by scanning
    the text (the document is too deep to be decoded)."""
    positions: list[str | int] = []
    """Per open container: the key (object) or index (array) where the scan is inside it."""
    in_object: list[bool] = []
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            if len(in_object) >= MAX_DEPTH:
                return json_pointer(tuple(positions))
            in_object.append(token == "{")
            positions.append(0)
            expect_key = token == "{"
        elif token in "]}":
            in_object.pop()
            positions.pop()
            expect_key = False
        elif token == ",":
            if in_object and in_object[-1]:
                expect_key = True
            elif in_object:
                positions[-1] = int(positions[-1]) + 1
        elif token == ":":
            expect_key = False
        elif expect_key and in_object:
            positions[-1] = json.loads(token)
    return None
