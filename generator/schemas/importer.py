"""``ocppgen schemas import``: bring a new OCA schema release into ``schemas/<version>``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.schemas.metadata import load_metadata
from generator.schemas.diff import Changelog, compare, describe
from generator.schemas.schemaset import SchemaSource, read_schema_source
from generator.schemas.versions import VERSIONS
from generator.output.writer import replace_files


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
        changelog = compare(describe(previous), new_set, str(target), incoming.origin)
    new_files = {name: data for name, (_, data) in incoming.files.items()}
    old_files = {name: data for name, (_, data) in previous.files.items()} if previous else {}
    try:
        replace_files({target / name: data for name, data in new_files.items()})
        for name in old_files.keys() - new_files.keys():
            (target / name).unlink()
    except OSError as exc:
        raise GeneratorError(f"cannot write: {exc.strerror or exc}", str(target)) from None
    kept = new_files.keys() & old_files.keys()
    changed = sorted(name for name in kept if new_files[name] != old_files[name])
    known = set(metadata.actions) if metadata else set()
    return Imported(
        added=tuple(sorted(new_files.keys() - old_files.keys())),
        removed=tuple(sorted(old_files.keys() - new_files.keys())),
        changed=tuple(changed),
        unchanged=len(kept) - len(changed),
        changelog=changelog,
        without_metadata=tuple(sorted(requests - known)),
    )


def _current_files(target: Path) -> SchemaSource | None:
    """The version's current schema set, or None when there is none yet."""
    if not any(target.glob("*.json")):
        return None
    return read_schema_source(target)
