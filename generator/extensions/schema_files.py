"""The schema files an extension's entries name: read once, each checked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import GeneratorError
from generator.extensions.fields import ManifestFields

if TYPE_CHECKING:  # the loader imports jsonschema: only a generation needs it
    from generator.schemas.loader import SchemaFile


def is_inside(folder: Path, path: Path) -> bool:
    """Whether ``path``, links resolved, is in ``folder``."""
    return path.resolve().is_relative_to(folder.resolve())


class SchemaFiles:
    """The extension folder's schemas, by the relative path the manifest writes."""

    def __init__(self, folder: Path, fields: ManifestFields) -> None:
        self.folder = folder
        self.fields = fields
        self.files: dict[str, SchemaFile] = {}

    def read(self, entry: dict[str, Any], key: str, *parts: str | int) -> str | None:
        """Read and check the schema file an entry names (None when the key is absent)."""
        if key not in entry:
            return None
        relative = self.fields.plain_text(entry, key, *parts)
        if relative not in self.files:
            self.files[relative] = self._parse(relative, key, parts)
        return relative

    def _parse(self, relative: str, key: str, parts: tuple[str | int, ...]) -> SchemaFile:
        from generator.schemas.loader import DRAFT_06, parse_schema

        path = self.folder / relative
        if not is_inside(self.folder, path):
            raise self.fields.error(
                f"schema {relative!r} is outside the extension folder", *parts, key
            )
        if path.exists() and not path.is_file():  # a FIFO or a device would block the read
            raise self.fields.error(f"schema {relative!r} is not a regular file", *parts, key)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise self.fields.error(
                f"cannot read schema {relative!r}: {exc.strerror}", *parts, key
            ) from None
        schema_file = parse_schema(str(path), path.name, data)
        if schema_file.draft != DRAFT_06:
            raise GeneratorError("extension schemas must be draft-06", str(path), "/$schema")
        if schema_file.document.get("type") != "object":
            raise GeneratorError("a payload schema must have type object", str(path), "")
        return schema_file
