"""Read a schema set as the OCA distributes it: a folder or a zip, with nested folders.

Files are returned as bytes, untouched (BOM and CRLF included); ``parse`` reads them the way
the loader does. What is read is bounded (``MAX_FILE_BYTES`` a file, ``MAX_TOTAL_BYTES`` a
set, ``MAX_ENTRIES`` entries and ``MAX_RATIO`` expansion a zip), so a zip bomb is refused
before it is unpacked; a zip entry whose path climbs out (``..``) is refused, not skipped.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from generator.errors import GeneratorError

MAX_FILE_BYTES = 4 * 1024 * 1024
"""The largest schema file read (the largest OCA file has 49 KB)."""
MAX_TOTAL_BYTES = 64 * 1024 * 1024
"""The most read for one set (OCPP 2.1 has 1.4 MB)."""
MAX_ENTRIES = 10_000
"""The most entries a zip may list."""
MAX_RATIO = 100
"""The most a zip entry over ``RATIO_FROM_BYTES`` may expand (JSON deflates about 10 times)."""
RATIO_FROM_BYTES = 1024 * 1024


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
    """Hidden files and folders and macOS resource forks (``__MACOSX``, ``._X.json``)."""
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


class _Collected:
    """The files found so far, with the bytes read."""

    def __init__(self, origin: Path) -> None:
        self.origin = origin
        self.files: dict[str, tuple[str, bytes]] = {}
        self.total = 0

    def add(self, name: str, where: str, size: int, stream: IO[bytes]) -> None:
        """Read one file of ``size`` bytes (as declared) from ``stream``, within bounds."""
        if name in self.files:
            raise GeneratorError(f"two schema files named {name}: {self.files[name][0]}", where)
        if size > MAX_FILE_BYTES:
            raise GeneratorError(
                f"{size} bytes: larger than a schema file can be ({MAX_FILE_BYTES} bytes)", where
            )
        if self.total + size > MAX_TOTAL_BYTES:
            raise GeneratorError(
                f"the set is larger than {MAX_TOTAL_BYTES} bytes; refusing to read on", where
            )
        data = stream.read(size + 1)
        if len(data) > size:
            raise GeneratorError("the file is larger than its declared size", where)
        self.total += len(data)
        self.files[name] = (where, data)


def read_schema_source(source: Path) -> SchemaSource:
    """Every ``*.json`` under a folder or inside a zip, found at any depth."""
    found = _Collected(source)
    if source.is_dir():
        _read_folder(source, found)
    elif source.is_file() and zipfile.is_zipfile(source):
        try:
            with zipfile.ZipFile(source) as archive:
                _read_zip(source, archive, found)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            zlib.error,
            RuntimeError,  # an encrypted entry
            NotImplementedError,  # a compression method this Python lacks
        ) as exc:
            raise GeneratorError(f"cannot read the zip: {exc}", str(source)) from None
    elif source.exists():
        raise GeneratorError("not a folder or a zip file", str(source))
    else:
        raise GeneratorError("no such folder or zip file", str(source))
    if not found.files:
        raise GeneratorError("no schema files (*.json) found", str(source))
    return SchemaSource(str(source), dict(sorted(found.files.items())))


def _read_folder(source: Path, found: _Collected) -> None:
    for path in sorted(source.rglob("*.json")):
        if path.is_file() and not _ignored(path.relative_to(source).parts):
            try:
                with path.open("rb") as stream:
                    found.add(path.name, str(path), path.stat().st_size, stream)
            except OSError as exc:
                raise GeneratorError(f"cannot read: {exc.strerror or exc}", str(path)) from None


def _read_zip(source: Path, archive: zipfile.ZipFile, found: _Collected) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise GeneratorError(f"{len(entries)} entries; at most {MAX_ENTRIES} are read", str(source))
    for info in sorted(entries, key=lambda i: i.filename):
        where = f"{source}!{info.filename}"
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if ".." in member.parts:
            raise GeneratorError("an entry whose path climbs out of the zip ('..')", where)
        if info.is_dir() or member.suffix != ".json" or _ignored(member.parts):
            continue
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise GeneratorError(
                f"expands {info.file_size // max(info.compress_size, 1)} times "
                f"(at most {MAX_RATIO}): refusing a zip bomb",
                where,
            )
        with archive.open(info) as stream:
            found.add(member.name, where, info.file_size, stream)
