"""``tomllib`` on Python >= 3.11, its backport ``tomli`` before; nesting too deep for the
parser is a ``TOMLDecodeError`` like any other error in the text."""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as _toml

TOMLDecodeError = _toml.TOMLDecodeError

__all__ = ["TOMLDecodeError", "loads"]


class _TooDeep(TOMLDecodeError):
    def __init__(self) -> None:
        ValueError.__init__(self, "arrays or tables nested too deeply")


def loads(text: str) -> dict[str, Any]:
    """The TOML document in ``text``."""
    try:
        return _toml.loads(text)
    except RecursionError:  # the parser recurses into nested arrays and inline tables
        raise _TooDeep() from None
