"""``ocppgen schemas import``: bring a new OCA schema release into ``schemas/<version>``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.output.writer import replace_files
from generator.schemas.diff import Changelog, compare, describe
from generator.schemas.metadata import Metadata, load_metadata
from generator.schemas.schemaset import SchemaSource, read_schema_source
from generator.schemas.versions import VERSIONS


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
    stale_metadata: tuple[str, ...] = ()
    """Entries of ``ocppgen.toml`` that name what the new set no longer has (``[actions]
    Reset``): generate refuses them until they are removed."""


def import_schemas(source: Path, schemas_root: Path, version: str) -> Imported:
    """Validate ``source`` and copy its files verbatim into ``schemas_root/version``.

    The version's other files (``ocppgen.toml``) stay; schema files the new set no longer has
    are removed; files whose bytes do not change are not touched (their mode stays), a
    changed file keeps its mode. Nothing is written unless every file is valid, declares one
    of the version's drafts, and every request has its response and every response its
    request (SEND messages, which have none, excepted).
    """
    if version not in VERSIONS:
        raise GeneratorError(f"unknown OCPP version {version!r}", str(source))
    incoming = read_schema_source(source)
    new_set = describe(incoming, VERSIONS[version])  # parses and checks every file
    target = schemas_root / version
    has_metadata = (target / "ocppgen.toml").is_file()
    metadata = load_metadata(target, VERSIONS[version].roles) if has_metadata else None
    send = {n for n, a in metadata.actions.items() if a.kind == "SEND"} if metadata else set()
    requests, responses = incoming.actions()
    for problem, names in (
        ("requests without a response schema", requests - responses - send),
        ("responses without a request schema", responses - requests),
    ):
        if names:
            raise GeneratorError(f"{problem}: {', '.join(sorted(names))}", incoming.origin)
    previous = _current_files(target)
    changelog = None
    if previous:
        changelog = compare(describe(previous), new_set, str(target), incoming.origin)
    new_files = {name: data for name, (_, data) in incoming.files.items()}
    old_files = {name: data for name, (_, data) in previous.files.items()} if previous else {}
    kept = new_files.keys() & old_files.keys()
    changed = sorted(name for name in kept if new_files[name] != old_files[name])
    added = sorted(new_files.keys() - old_files.keys())
    removed = sorted(old_files.keys() - new_files.keys())
    _write(target, {name: new_files[name] for name in (*added, *changed)}, changed, removed)
    known = set(metadata.actions) if metadata else set()
    return Imported(
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        unchanged=len(kept) - len(changed),
        changelog=changelog,
        without_metadata=tuple(sorted(requests - known)),
        stale_metadata=stale_entries(metadata, incoming) if metadata else (),
    )


def _write(target: Path, files: dict[str, bytes], changed: list[str], removed: list[str]) -> None:
    """Write the new and changed files (all or none), keeping a changed file's mode; then
    remove the files the release no longer has."""
    try:
        modes = {name: (target / name).stat().st_mode & 0o7777 for name in changed}
        replace_files({target / name: data for name, data in files.items()})
        for name, mode in modes.items():
            (target / name).chmod(mode)
        for name in removed:
            (target / name).unlink()
    except OSError as exc:
        raise GeneratorError(f"cannot write: {exc.strerror or exc}", str(target)) from None


def stale_entries(metadata: Metadata, incoming: SchemaSource) -> tuple[str, ...]:
    """The entries of ``metadata`` that name actions, files or profiles ``incoming`` lacks."""
    requests, _ = incoming.actions()
    stems = {name.removesuffix(".json") for name in incoming.files}
    gone = sorted(set(metadata.actions) - requests)
    entries = [f"[actions] {name}" for name in gone]
    left = {meta.profile for name, meta in metadata.actions.items() if name not in gone}
    entries += [
        f"[profiles] {name} (no action left)" for name in metadata.profiles if name not in left
    ]
    entries += [
        f'[type_names] "{location}"'
        for location in sorted(metadata.type_names)
        if location.partition(":")[0] not in stems
    ]
    entries += [
        f"{overlay.where} (file {overlay.file})"
        for overlay in metadata.overlays
        if overlay.file not in incoming.files
    ]
    return tuple(entries)


def _current_files(target: Path) -> SchemaSource | None:
    """The version's current schema set, or None when there is none yet."""
    if not any(target.glob("*.json")):
        return None
    return read_schema_source(target)
