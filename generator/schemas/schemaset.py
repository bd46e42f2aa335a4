"""Read a schema set as the OCA distributes it: a folder or a zip, with nested folders.

Files are returned as bytes, untouched (BOM and CRLF included); ``parse`` reads them the way
the loader does.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import GeneratorError


@dataclass(frozen=True)
class SchemaSource:
    """The ``*.json`` files of one schema set: file name -> (where it was found, bytes)."""

    origin: str
    files: dict[str, tuple[str, bytes]]

    def actions(self) -> tuple[set[str], set[str]]:
        """Action names with a request file, and with a response file.

        OCPP 2.x names requests ``<Action>Request.json``; 1.6 names them ``<Action>.json``.
        """
        stems = [name.removesuffix(".json") for name in self.files]
        responses = {s.removesuffix("Response") for s in stems if s.endswith("Response")}
        requests = {s.removesuffix("Request") for s in stems if not s.endswith("Response")}
        return requests, responses


def _ignored(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def read_schema_source(source: Path) -> SchemaSource:
    """Every ``*.json`` under a folder or inside a zip, found at any depth."""
    found: dict[str, tuple[str, bytes]] = {}

    def add(name: str, where: str, data: bytes) -> None:
        if name in found:
            raise GeneratorError(f"two schema files named {name}: {found[name][0]}", where)
        found[name] = (where, data)

    if source.is_dir():
        for path in sorted(source.rglob("*.json")):
            if path.is_file() and not _ignored(path.relative_to(source).parts):
                add(path.name, str(path), path.read_bytes())
    elif source.is_file() and zipfile.is_zipfile(source):
        try:
            with zipfile.ZipFile(source) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    member = PurePosixPath(info.filename)
                    if info.is_dir() or member.suffix != ".json" or _ignored(member.parts):
                        continue
                    add(member.name, f"{source}!{info.filename}", archive.read(info))
        except (zipfile.BadZipFile, OSError) as exc:
            raise GeneratorError(f"cannot read the zip: {exc}", str(source)) from None
    elif source.exists():
        raise GeneratorError("not a folder or a zip file", str(source))
    else:
        raise GeneratorError("no such folder or zip file", str(source))
    if not found:
        raise GeneratorError("no schema files (*.json) found", str(source))
    return SchemaSource(str(source), dict(sorted(found.items())))
