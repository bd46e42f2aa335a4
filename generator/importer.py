"""``ocppgen schemas import``: bring a new OCA schema release into ``schemas/<version>``."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.metadata import load_metadata
from generator.schemadiff import Changelog, compare, describe
from generator.schemaset import SchemaSource, read_schema_source
from generator.versions import VERSIONS


@dataclass(frozen=True)
class Imported:
    """What an import changed."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: int
    changelog: Changelog | None
    """Against the previous set (None when there was none)."""
    without_metadata: tuple[str, ...]
    """Actions the new set has and ``ocppgen.toml`` does not describe yet."""


def import_schemas(source: Path, schemas_root: Path, version: str) -> Imported:
    """Validate ``source`` and copy its files verbatim into ``schemas_root/version``.

    The version's other files (``ocppgen.toml``) stay; schema files the new set no longer has
    are removed. Nothing is written unless every file is valid and every request has its
    response (SEND messages, which have none, excepted).
    """
    if version not in VERSIONS:
        raise GeneratorError(f"unknown OCPP version {version!r}", str(source))
    incoming = read_schema_source(source)
    new_set = describe(incoming)  # parses and checks every file against its meta-schema
    target = schemas_root / version
    has_metadata = (target / "ocppgen.toml").is_file()
    metadata = load_metadata(target, VERSIONS[version].roles) if has_metadata else None
    send = {n for n, a in metadata.actions.items() if a.kind == "SEND"} if metadata else set()
    requests, responses = incoming.actions()
    unanswered = sorted(requests - responses - send)
    if unanswered:
        raise GeneratorError(
            f"requests without a response schema: {', '.join(unanswered)}", incoming.origin
        )
    previous = _current_files(target)
    changelog = None
    if previous:
        old_source = SchemaSource(
            str(target), {n: (str(target / n), d) for n, d in previous.items()}
        )
        changelog = compare(describe(old_source), new_set, str(target), incoming.origin)
    _replace_files(target, {name: data for name, (_, data) in incoming.files.items()}, previous)
    new_files = {name: data for name, (_, data) in incoming.files.items()}
    known = set(metadata.actions) if metadata else set()
    return Imported(
        added=tuple(sorted(new_files.keys() - previous.keys())),
        removed=tuple(sorted(previous.keys() - new_files.keys())),
        changed=tuple(
            sorted(n for n in new_files.keys() & previous.keys() if new_files[n] != previous[n])
        ),
        unchanged=sum(1 for n in new_files.keys() & previous.keys() if new_files[n] == previous[n]),
        changelog=changelog,
        without_metadata=tuple(sorted(requests - known)),
    )


def _current_files(target: Path) -> dict[str, bytes]:
    if not target.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in sorted(target.glob("*.json"))}


def _replace_files(target: Path, files: dict[str, bytes], previous: dict[str, bytes]) -> None:
    """Write every file to a staging folder first, then move them in; on error, nothing."""
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=target))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        for name in files:
            os.replace(staging / name, target / name)
        for name in previous.keys() - files.keys():
            (target / name).unlink()
    except OSError as exc:
        raise GeneratorError(f"cannot write: {exc.strerror or exc}", str(target)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
