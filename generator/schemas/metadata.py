"""Our curated metadata next to the schemas: ``schemas/<version>/ocppgen.toml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import toml as tomllib
from generator.errors import GeneratorError

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
class ProfileMeta:
    """A 1.6 feature profile or a 2.x functional block."""

    name: str
    letter: str | None
    description: str


@dataclass(frozen=True)
class ActionMeta:
    """What the specification says of an action: profile, initiator, CALL or SEND."""

    name: str
    profile: str
    initiator: str
    """A role name of the version, or ``both``."""
    kind: str
    source: str


@dataclass(frozen=True)
class ToleranceMeta:
    """The curated enum tables of the tolerances (``[tolerances]``), by enum name and JSON
    value; checked against the enums when the IR is built."""

    catch_all: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Metadata:
    """Names for inline types, overlays, profiles and actions of one version."""

    source: str
    type_names: dict[str, str]
    overlays: tuple[Overlay, ...]
    profiles: dict[str, ProfileMeta]
    actions: dict[str, ActionMeta]
    tolerances: ToleranceMeta = ToleranceMeta()


def load_metadata(version_dir: Path, roles: tuple[str, ...]) -> Metadata:
    """Read the version's metadata file; ``roles`` are the version's two role names."""
    path = version_dir / METADATA_FILE
    shown = str(path)
    if not path.exists():
        raise GeneratorError("metadata file missing (profiles and initiators of actions)", shown)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError(f"cannot read metadata: {exc}", shown) from None
    unknown = sorted(set(data) - {"type_names", "overlays", "profiles", "actions", "tolerances"})
    if unknown:
        raise GeneratorError(f"unknown table {unknown[0]!r}", shown)
    names = data.get("type_names", {})
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise GeneratorError("[type_names] must map locations to type names", shown)
    profiles = _profiles(data.get("profiles", {}), shown)
    actions = _actions(data.get("actions", {}), profiles, roles, shown)
    overlays = _overlays(data.get("overlays", []), shown)
    tolerances = _tolerances(data.get("tolerances", {}), shown)
    return Metadata(shown, dict(names), overlays, profiles, actions, tolerances)


def _strings(raw: object, where: str, shown: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise GeneratorError(f"[{where}] must map names to strings", shown)
    return dict(raw)


def _tolerances(raw: object, shown: str) -> ToleranceMeta:
    """``[tolerances]``: ``catch_all`` (enum -> member), ``aliases`` (enum -> spelling ->
    member), ``defaults`` (enum -> the member its absence means)."""
    if not isinstance(raw, dict):
        raise GeneratorError("[tolerances] must be a table", shown)
    unknown = sorted(set(raw) - {"catch_all", "aliases", "defaults"})
    if unknown:
        raise GeneratorError(f"tolerances: unknown key {unknown[0]!r}", shown)
    aliases = _table(raw.get("aliases", {}), "tolerances.aliases", shown)
    return ToleranceMeta(
        catch_all=_strings(raw.get("catch_all", {}), "tolerances.catch_all", shown),
        aliases={
            name: _strings(table, f"tolerances.aliases.{name}", shown)
            for name, table in aliases.items()
        },
        defaults=_strings(raw.get("defaults", {}), "tolerances.defaults", shown),
    )


def _table(raw: object, where: str, shown: str) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise GeneratorError(f"[{where}] must map names to tables", shown)
    return raw


def _profiles(raw: object, shown: str) -> dict[str, ProfileMeta]:
    profiles = {}
    for name, entry in _table(raw, "profiles", shown).items():
        unknown = sorted(set(entry) - {"letter", "description"})
        if unknown:
            raise GeneratorError(f"profiles.{name}: unknown key {unknown[0]!r}", shown)
        letter = entry.get("letter")
        description = entry.get("description", "")
        if not name.isidentifier() or not isinstance(description, str):
            raise GeneratorError(f"profiles.{name}: needs an identifier name", shown)
        if letter is not None and not (isinstance(letter, str) and letter.isalpha()):
            raise GeneratorError(f"profiles.{name}: letter must be a letter", shown)
        profiles[name] = ProfileMeta(name, letter, description)
    return profiles


def _actions(
    raw: object, profiles: dict[str, ProfileMeta], roles: tuple[str, ...], shown: str
) -> dict[str, ActionMeta]:
    actions = {}
    initiators = (*roles, "both")
    for name, entry in _table(raw, "actions", shown).items():
        where = f"actions.{name}"
        unknown = sorted(set(entry) - {"profile", "initiator", "kind", "source"})
        if unknown:
            raise GeneratorError(f"{where}: unknown key {unknown[0]!r}", shown)
        if entry.get("profile") not in profiles:
            raise GeneratorError(f"{where}: unknown profile {entry.get('profile')!r}", shown)
        if entry.get("initiator") not in initiators:
            choices = ", ".join(initiators)
            raise GeneratorError(f"{where}: initiator must be one of {choices}", shown)
        kind = entry.get("kind", "CALL")
        if kind not in ("CALL", "SEND"):
            raise GeneratorError(f"{where}: kind must be CALL or SEND", shown)
        source = entry.get("source", "")
        if not isinstance(source, str):
            raise GeneratorError(f"{where}: source must be a string", shown)
        actions[name] = ActionMeta(name, entry["profile"], entry["initiator"], kind, source)
    return actions


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
