"""Typed reading of ``ocppgen-extension.toml`` values: each problem names the manifest and the
JSON pointer of the value."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from typing import Any

from generator.errors import GeneratorError, json_pointer
from generator.schemas.versions import VERSIONS

CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
"""Unicode categories refused in values that reach generated code: control and format
characters (bidirectional overrides included), line and paragraph separators, surrogates."""


def control_character(text: str) -> str | None:
    """The first control character of ``text`` (see :data:`CONTROL_CATEGORIES`), or None."""
    return next((c for c in text if unicodedata.category(c) in CONTROL_CATEGORIES), None)


class ManifestFields:
    """Reads values of the manifest's data (or of one of its entries) with their checks."""

    def __init__(self, source: str, data: dict[str, Any]) -> None:
        self.source = source
        self.data = data

    def error(self, message: str, *parts: str | int) -> GeneratorError:
        """An error at a place in the manifest."""
        return GeneratorError(message, self.source, json_pointer(parts))

    def text(self, table: dict[str, Any], key: str, *parts: str | int) -> str:
        """A required non-empty string."""
        value = table.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(f"{key} must be a non-empty string", *parts, key)
        return value

    def plain_text(self, table: dict[str, Any], key: str, *parts: str | int) -> str:
        """A required non-empty string without control characters (a vendor or message id:
        it is written into generated code, escaped, and into error messages)."""
        value = self.text(table, key, *parts)
        found = control_character(value)
        if found is not None:
            raise self.error(
                f"{key} contains the control character U+{ord(found):04X}", *parts, key
            )
        return value

    def optional_text(self, table: dict[str, Any], key: str, *parts: str | int) -> str | None:
        """A non-empty string, or None when the key is absent."""
        return self.text(table, key, *parts) if key in table else None

    def entries(self, key: str) -> list[dict[str, Any]]:
        """The entries of an array of tables (``[[key]]``)."""
        raw = self.data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
            raise self.error(f"{key} must be an array of tables ([[{key}]])", key)
        return raw

    def versions(
        self, table: dict[str, Any], allowed: Collection[str], parts: tuple[str | int, ...]
    ) -> tuple[str, ...]:
        """The ``versions`` of a table (default: ``allowed``), each known and allowed, in the
        order of the known versions."""
        raw = table.get("versions", list(allowed))
        if not isinstance(raw, list):
            raise self.error("versions must be an array of strings", *parts, "versions")
        for index, version in enumerate(raw):
            if not isinstance(version, str) or version not in VERSIONS:
                known = ", ".join(VERSIONS)
                raise self.error(
                    f"unknown OCPP version {version!r} (known: {known})", *parts, "versions", index
                )
            if version not in allowed:
                raise self.error(
                    f"version {version} is not one of the extension's versions",
                    *parts,
                    "versions",
                    index,
                )
        return tuple(v for v in VERSIONS if v in raw)

    def check_keys(self, entry: dict[str, Any], keys: set[str], *parts: str | int) -> None:
        """Refuse a key the table does not know."""
        unknown = sorted(set(entry) - keys)
        if unknown:
            raise self.error(f"unknown key {unknown[0]!r}", *parts, unknown[0])
