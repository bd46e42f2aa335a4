"""Load one version's schema files: read, apply overlays, check against the meta-schema."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft6Validator, exceptions

from generator.errors import GeneratorError, json_pointer
from generator.schemas.device_model import Catalogue, catalogue_paths, load_catalogue
from generator.schemas.json_text import check_values, load_json
from generator.schemas.metadata import Metadata, Overlay, load_metadata
from generator.schemas.versions import DRAFT_04, VersionInfo
from generator.schemas.versions import DRAFT_06 as DRAFT_06  # extensions read it here

META_VALIDATORS: dict[str, type[Draft4Validator] | type[Draft6Validator]] = {
    DRAFT_04: Draft4Validator,
    DRAFT_06: Draft6Validator,
}


@dataclass(frozen=True)
class SchemaFile:
    """One schema document, overlays applied, with the draft it declares."""

    shown: str
    stem: str
    document: dict[str, Any]
    draft: str


@dataclass(frozen=True)
class LoadedVersion:
    """The schema files of one version, its metadata and a digest of all its inputs."""

    info: VersionInfo
    files: tuple[SchemaFile, ...]
    metadata: Metadata
    digest: str
    catalogue: Catalogue = Catalogue()
    """The device model (2.x) or configuration keys (1.6), where the folder has them."""


def load_version(version_dir: Path, info: VersionInfo) -> LoadedVersion:
    """Read every ``*.json`` in ``version_dir`` (sorted by name) and the version's metadata."""
    metadata = load_metadata(version_dir, info.roles)
    paths = sorted(version_dir.glob("*.json"), key=lambda p: p.name)
    if not paths:
        raise GeneratorError("no schema files (*.json) found", str(version_dir))
    raw = {path: _read(path) for path in paths}
    digest = hashlib.sha256()
    for path, data in raw.items():
        digest.update(path.name.encode() + b"\0" + data + b"\0")
    metadata_path = version_dir / "ocppgen.toml"
    if metadata_path.exists():
        digest.update(metadata_path.read_bytes())
    for path in catalogue_paths(version_dir):
        digest.update(path.name.encode() + b"\0" + _read(path) + b"\0")
    by_name = {path.name: path for path in paths}
    _check_overlay_targets(metadata, by_name)
    files = tuple(
        check_draft(parse_schema(str(path), path.name, data, metadata.overlays), info)
        for path, data in raw.items()
    )
    catalogue = load_catalogue(version_dir)
    return LoadedVersion(info, files, metadata, digest.hexdigest(), catalogue)


def check_draft(schema_file: SchemaFile, info: VersionInfo) -> SchemaFile:
    """Refuse a file whose ``$schema`` is not one of the version's drafts (a draft-04 file in
    2.x would change what counts as an integer)."""
    if schema_file.draft not in info.drafts:
        expected = " or ".join(_DRAFT_NAMES[draft] for draft in info.drafts)
        raise GeneratorError(
            f"a {_DRAFT_NAMES[schema_file.draft]} schema in {info.title}, whose files are "
            f"{expected}",
            schema_file.shown,
            "/$schema",
        )
    return schema_file


_DRAFT_NAMES = {DRAFT_04: "draft-04", DRAFT_06: "draft-06"}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GeneratorError(f"cannot read file: {exc.strerror}", str(path)) from None


def _check_overlay_targets(metadata: Metadata, by_name: dict[str, Path]) -> None:
    for overlay in metadata.overlays:
        if overlay.file not in by_name:
            raise GeneratorError(
                f"{overlay.where}: no schema file {overlay.file!r}", metadata.source
            )


def parse_schema(
    shown: str, file_name: str, data: bytes, overlays: tuple[Overlay, ...] = ()
) -> SchemaFile:
    """Decode one schema file (UTF-8, BOM allowed), apply its overlays, check its meta-schema.

    ``shown`` is where the file is, for error messages. Numbers, nesting and strings the
    generator cannot represent are refused (:mod:`generator.schemas.json_text`).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeneratorError(f"not UTF-8 (byte {exc.start})", shown) from None
    document = load_json(text, shown)
    if not isinstance(document, dict):
        raise GeneratorError("a schema must be a JSON object", shown, "")
    mine = [overlay for overlay in overlays if overlay.file == file_name]
    for overlay in mine:
        document = _apply_overlay(document, overlay, shown)
    if mine:
        check_values(document, shown)
    draft = document.get("$schema")
    validator = META_VALIDATORS.get(draft) if isinstance(draft, str) else None
    if validator is None:
        raise GeneratorError(
            f"unsupported $schema {draft!r} (expected draft-04 or draft-06)", shown, "/$schema"
        )
    error = exceptions.best_match(validator(validator.META_SCHEMA).iter_errors(document))
    if error is not None:
        pointer = json_pointer(tuple(error.absolute_path))
        raise GeneratorError(f"invalid schema: {error.message[:200]}", shown, pointer)
    return SchemaFile(shown, file_name.removesuffix(".json"), document, draft)


def _apply_overlay(document: dict[str, Any], overlay: Overlay, shown: str) -> dict[str, Any]:
    """Apply one add/replace/remove operation; a bad pointer is an error naming the overlay."""
    result = copy.deepcopy(document)
    parts = [p.replace("~1", "/").replace("~0", "~") for p in overlay.path.split("/")[1:]]
    if not overlay.path.startswith("/") or not parts:
        raise GeneratorError(f"{overlay.where}: path must point inside the document", shown)
    parent: Any = result
    for part in parts[:-1]:
        parent = _step(parent, part, overlay, shown)
    last = parts[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" and overlay.op == "add" else _index(last, overlay, shown)
        if overlay.op == "add":
            parent.insert(index, overlay.value)
        elif index >= len(parent):
            raise GeneratorError(f"{overlay.where}: nothing at {overlay.path}", shown)
        elif overlay.op == "replace":
            parent[index] = overlay.value
        else:
            del parent[index]
        return result
    if not isinstance(parent, dict):
        raise GeneratorError(f"{overlay.where}: nothing at {overlay.path}", shown)
    if overlay.op != "add" and last not in parent:
        raise GeneratorError(f"{overlay.where}: nothing at {overlay.path}", shown)
    if overlay.op == "remove":
        del parent[last]
    else:
        parent[last] = overlay.value
    return result


def _step(node: Any, part: str, overlay: Overlay, shown: str) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list):
        index = _index(part, overlay, shown)
        if index < len(node):
            return node[index]
    raise GeneratorError(f"{overlay.where}: nothing at {overlay.path}", shown)


def _index(part: str, overlay: Overlay, shown: str) -> int:
    if not part.isdigit():
        raise GeneratorError(f"{overlay.where}: {part!r} is not an array index", shown)
    return int(part)


def draft06_integers(schema_file: SchemaFile) -> bool:
    """Draft-06 counts integral floats (``1.0``) as integers; draft-04 does not."""
    return schema_file.draft == DRAFT_06
