"""Our curated metadata next to the schemas: ``schemas/<version>/ocppgen.toml``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

METADATA_FILE = "ocppgen.toml"


@dataclass(frozen=True)
class Overlay:
    """One RFC 6902 operation applied to a schema file at load time."""

    file: str
    op: str
    path: str
    value: Any
    where: str


@dataclass(frozen=True)
class Metadata:
    """Names for inline types and the overlays of one version."""

    source: str
    type_names: dict[str, str]
    overlays: tuple[Overlay, ...]


def load_metadata(version_dir: Path) -> Metadata:
    """Read the version's metadata file; a missing file means no metadata."""
    path = version_dir / METADATA_FILE
    shown = str(path)
    if not path.exists():
        return Metadata(shown, {}, ())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError(f"cannot read metadata: {exc}", shown) from None
    unknown = sorted(set(data) - {"type_names", "overlays"})
    if unknown:
        raise GeneratorError(f"unknown table {unknown[0]!r}", shown)
    names = data.get("type_names", {})
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise GeneratorError("[type_names] must map locations to type names", shown)
    return Metadata(shown, dict(names), _overlays(data.get("overlays", []), shown))


def _overlays(raw: object, shown: str) -> tuple[Overlay, ...]:
    if not isinstance(raw, list):
        raise GeneratorError("overlays must be an array of tables", shown)
    overlays = []
    for index, entry in enumerate(raw):
        where = f"overlays[{index}]"
        if not isinstance(entry, dict) or entry.get("op") not in ("add", "replace", "remove"):
            raise GeneratorError(f"{where}: needs op = add, replace or remove", shown)
        if not isinstance(entry.get("file"), str) or not isinstance(entry.get("path"), str):
            raise GeneratorError(f"{where}: needs file and path strings", shown)
        if entry["op"] != "remove" and "value" not in entry:
            raise GeneratorError(f"{where}: {entry['op']} needs a value", shown)
        overlays.append(
            Overlay(entry["file"], entry["op"], entry["path"], entry.get("value"), where)
        )
    return tuple(overlays)
