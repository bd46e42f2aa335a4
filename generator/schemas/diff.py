"""A semantic changelog between two schema sets, and which of its changes break users.

Each set is described as units: messages (one per file), and the named types and enums of
their ``definitions`` (OCPP 2.x; the first file that defines a name speaks for it). A unit's
fields are its properties, with inline objects and array items flattened into paths such as
``chargingSchedule.chargingSchedulePeriod[].limit`` (OCPP 1.6 has no named types).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

from generator.schemas.loader import check_draft, parse_schema
from generator.schemas.schemaset import SchemaSource
from generator.schemas.versions import VersionInfo

CONSTRAINTS = ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems")
LOWER_BOUNDS = {"minLength", "minimum", "minItems"}


@dataclass(frozen=True)
class FieldShape:
    """What a field accepts; ``description`` aside, any difference is a change."""

    type: str
    required: bool
    constraints: tuple[tuple[str, Any], ...]
    enum: tuple[str, ...] | None
    description: str


@dataclass
class Unit:
    """A message, a named object type, or a named enum."""

    kind: str
    """``message``, ``type``, ``enum``, or ``true schema`` / ``false schema`` (draft-06 takes
    ``true`` for any value and ``false`` for none)."""
    fields: dict[str, FieldShape] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class SchemaSet:
    """What a schema set defines."""

    actions: frozenset[str]
    units: dict[str, Unit]


@dataclass(frozen=True)
class Change:
    """One listed change."""

    subject: str
    """The message, type or enum changed (empty for actions)."""
    path: str
    """The field, or empty for the subject itself."""
    change: str
    """``action added``, ``field removed``, ``enum value added``, ``constraint changed``..."""
    detail: str
    breaking: bool


@dataclass(frozen=True)
class Changelog:
    """All changes from an old to a new set."""

    old: str
    new: str
    actions_added: tuple[str, ...]
    actions_removed: tuple[str, ...]
    changes: tuple[Change, ...]
    description_changes: int

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The listed changes that break existing users."""
        return tuple(c for c in self.changes if c.breaking)

    @property
    def breaking_count(self) -> int:
        """Breaking changes, removed actions included."""
        return len(self.breaking) + len(self.actions_removed)


def describe(source: SchemaSource, version: VersionInfo | None = None) -> SchemaSet:
    """Parse and validate every file of ``source`` (as a file of ``version``, when given: its
    drafts only) and describe what it defines."""
    units: dict[str, Unit] = {}
    for name, (where, data) in source.files.items():
        schema_file = parse_schema(where, name, data)
        if version is not None:
            check_draft(schema_file, version)
        document = schema_file.document
        definitions = document.get("definitions", {})
        message = Unit("message", description=_text(document.get("description")))
        _walk_object(document, "", message, definitions)
        units[name.removesuffix(".json")] = message
        for type_name, definition in sorted(definitions.items()):
            if type_name not in units:
                units[type_name] = _definition_unit(definition, definitions)
    requests, _ = source.actions()
    return SchemaSet(frozenset(requests), units)


def _value_text(value: object) -> str:
    """An enum value as text: a string as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value else ""


def _definition_unit(definition: dict[str, Any] | bool, definitions: dict[str, Any]) -> Unit:
    if isinstance(definition, bool):  # draft-06: true takes any value, false none
        return Unit(TRUE_SCHEMA if definition else "false schema")
    description = _text(definition.get("description"))
    if "enum" in definition:
        return Unit(
            "enum", values=tuple(map(_value_text, definition["enum"])), description=description
        )
    unit = Unit("type", description=description)
    _walk_object(definition, "", unit, definitions)
    return unit


def _walk_object(schema: dict[str, Any], prefix: str, unit: Unit, defs: dict[str, Any]) -> None:
    required = set(schema.get("required", []))
    for name, sub in sorted(schema.get("properties", {}).items()):
        path = prefix + name
        unit.fields[path] = _shape(sub, name in required, defs)
        if not isinstance(sub, dict):
            continue
        inner, suffix = (sub.get("items", {}), "[].") if sub.get("type") == "array" else (sub, ".")
        if isinstance(inner, dict) and "properties" in inner:
            _walk_object(inner, path + suffix, unit, defs)


def _shape(schema: dict[str, Any] | bool, required: bool, defs: dict[str, Any]) -> FieldShape:
    if isinstance(schema, bool):
        return FieldShape(_type_name(schema), required, (), None, "")
    constraints = [(key, schema[key]) for key in CONSTRAINTS if key in schema]
    for key in ("multipleOf", "format"):
        if key in schema:
            constraints.append((key, schema[key]))
    kind = _type_name(schema)
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, bool):
        kind = f"array of {_type_name(items)}"
    elif schema.get("type") == "array" and isinstance(items, dict):
        kind = f"array of {_type_name(items)}"
        constraints += [
            (f"items.{k}", items[k]) for k in (*CONSTRAINTS, "multipleOf") if k in items
        ]
        schema = items
    enum = tuple(map(_value_text, schema["enum"])) if "enum" in schema else None
    return FieldShape(kind, required, tuple(constraints), enum, _text(schema.get("description")))


ANY_VALUE = "any value"
"""The type of a field whose schema is ``true``; ``false`` is ``no value``."""
TRUE_SCHEMA = "true schema"
"""The kind of a definition that is ``true``; ``false`` is a ``false schema``."""


def _type_name(schema: dict[str, Any] | bool) -> str:
    if isinstance(schema, bool):
        return ANY_VALUE if schema else "no value"
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    kind = schema.get("type", "any")
    if kind == "object" and "properties" in schema:
        return "object"
    return str(kind) if not isinstance(kind, list) else "|".join(map(str, kind))


def compare(old: SchemaSet, new: SchemaSet, old_label: str, new_label: str) -> Changelog:
    """Every change from ``old`` to ``new``, sorted by subject and path."""
    changes: list[Change] = []
    descriptions = 0
    added_actions = new.actions - old.actions
    removed_actions = old.actions - new.actions
    for name in sorted(old.units.keys() | new.units.keys()):
        before, after = old.units.get(name), new.units.get(name)
        if before is None or after is None:
            present = before or after
            assert present is not None
            if present.kind != "message":  # messages come and go with their actions
                what = "added" if before is None else "removed"
                changes.append(Change(name, "", f"{present.kind} {what}", "", what == "removed"))
            continue
        descriptions += before.description != after.description
        found, count = _unit_changes(name, before, after)
        changes += found
        descriptions += count
    return Changelog(
        old_label,
        new_label,
        tuple(sorted(added_actions)),
        tuple(sorted(removed_actions)),
        tuple(changes),
        descriptions,
    )


def _unit_changes(name: str, before: Unit, after: Unit) -> tuple[list[Change], int]:
    changes = []
    if before.kind != after.kind:  # an enum became an object, a schema became ``true``...
        detail = f"{before.kind} -> {after.kind}"
        changes.append(Change(name, "", "kind changed", detail, after.kind != TRUE_SCHEMA))
    changes += _value_changes(name, "", before.values, after.values)
    descriptions = 0
    for path in sorted(before.fields.keys() | after.fields.keys()):
        old, new = before.fields.get(path), after.fields.get(path)
        if old is None:
            assert new is not None
            detail = f"{new.type}, {'required' if new.required else 'optional'}"
            changes.append(Change(name, path, "field added", detail, new.required))
        elif new is None:
            changes.append(Change(name, path, "field removed", old.type, True))
        else:
            found = _field_changes(name, path, old, new)
            changes += found
            descriptions += old.description != new.description
    return changes, descriptions


def _value_changes(
    name: str, path: str, old: tuple[str, ...] | None, new: tuple[str, ...] | None
) -> list[Change]:
    old_values, new_values = set(old or ()), set(new or ())
    out = [
        Change(name, path, "enum value added", v, False) for v in sorted(new_values - old_values)
    ]
    out += [
        Change(name, path, "enum value removed", v, True) for v in sorted(old_values - new_values)
    ]
    return out


def _field_changes(name: str, path: str, old: FieldShape, new: FieldShape) -> list[Change]:
    out = []
    if old.type != new.type:
        detail = f"{old.type} -> {new.type}"
        out.append(Change(name, path, "type changed", detail, new.type != ANY_VALUE))
    if old.required != new.required:
        became = "required" if new.required else "optional"
        out.append(Change(name, path, f"became {became}", "", new.required))
    old_c, new_c = dict(old.constraints), dict(new.constraints)
    for key in sorted(old_c.keys() | new_c.keys()):
        before, after = old_c.get(key), new_c.get(key)
        if before != after:
            detail = f"{key}: {_show(before)} -> {_show(after)}"
            out.append(
                Change(name, path, "constraint changed", detail, _tighter(key, before, after))
            )
    if old.enum is not None or new.enum is not None:
        out += _value_changes(name, path, old.enum, new.enum)
    return out


def _show(value: object) -> str:
    return "none" if value is None else json.dumps(value)


def _tighter(key: str, before: Any, after: Any) -> bool:
    """Whether a constraint now rejects something it accepted."""
    if after is None:
        return False
    if before is None:
        return True
    bound = key.removeprefix("items.")
    if bound in LOWER_BOUNDS:
        return bool(after > before)
    if bound in ("maxLength", "maximum", "maxItems"):
        return bool(after < before)
    if bound == "multipleOf":  # still tighter unless every old multiple is a new one
        return (Fraction(repr(before)) / Fraction(repr(after))).denominator != 1
    return True  # a changed format


def render(log: Changelog, output_format: str) -> str:
    """The changelog as ``text``, ``markdown`` or ``json``."""
    if output_format == "json":
        document = {
            "old": log.old,
            "new": log.new,
            "actions_added": list(log.actions_added),
            "actions_removed": list(log.actions_removed),
            "changes": [asdict(change) for change in log.changes],
            "description_changes": log.description_changes,
            "breaking": log.breaking_count,
        }
        return json.dumps(document, indent=2) + "\n"
    markdown = output_format == "markdown"
    lines = [f"{'# ' if markdown else ''}Schema changes: {log.old} -> {log.new}", ""]
    for label, names in (
        ("Actions added", log.actions_added),
        ("Actions removed", log.actions_removed),
    ):
        lines.append(f"{'## ' if markdown else ''}{label} ({len(names)})")
        lines += [f"{'- ' if markdown else '  '}{name}" for name in names]
        lines.append("")
    subject = None
    for change in log.changes:
        if change.subject != subject:
            subject = change.subject
            lines += ["", f"## {subject}"] if markdown else [subject]
        where = (
            f"`{change.path}` "
            if markdown and change.path
            else (f"{change.path} " if change.path else "")
        )
        detail = f": {change.detail}" if change.detail else ""
        flag = " (breaking)" if change.breaking else ""
        lines.append(f"{'- ' if markdown else '  '}{where}{change.change}{detail}{flag}")
    lines += [
        "",
        f"{len(log.changes)} changes listed, {log.breaking_count} breaking; "
        f"{log.description_changes} description-only changes not listed.",
    ]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"
